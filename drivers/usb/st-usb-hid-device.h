/*
 * StUsbHidDevice: what every USB HID device of the station is, whatever it sends: created
 * on a USB interface, opened by claiming it (reads in flight), closed by giving it back, and
 * gone when unplugged, a scan in progress dropped with a message. Each driver's device
 * (keyboard wedge, HID POS scanner, scale) derives from it and says only what a report means.
 */
#pragma once

#include "station/st-device.h"

#include "st-usb-hid.h"

G_BEGIN_DECLS

#define ST_TYPE_USB_HID_DEVICE (st_usb_hid_device_get_type())
G_DECLARE_DERIVABLE_TYPE(StUsbHidDevice, st_usb_hid_device, ST, USB_HID_DEVICE, StDevice)

/**
 * StUsbHidDeviceClass:
 * @report: one input report as received (report id byte included), on the main thread
 * @opening: (nullable): called just before the interface is claimed (reset what a new
 *   session starts without)
 * @abort: (nullable): drop a scan in progress, saying @why; called on close and when the
 *   device stops
 */
struct _StUsbHidDeviceClass {
	StDeviceClass parent_class;
	void (*report)(StUsbHidDevice *self, const guint8 *buf, gsize len);
	void (*opening)(StUsbHidDevice *self);
	void (*abort)(StUsbHidDevice *self, const gchar *why);
};

StDevice *
st_usb_hid_device_new(GType type, const StDriver *driver, const StDeviceInfo *info, GError **error);
StUsbHid *
st_usb_hid_device_get_hid(StUsbHidDevice *self);
void
st_usb_hid_device_describe_bus(StUsbHidDevice *self, GString *str);

G_END_DECLS
