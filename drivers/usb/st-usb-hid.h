/*
 * The USB side of a HID device, shared by every USB driver: claim the interface (detaching
 * the kernel driver, re-attaching it on close), keep interrupt-IN reads in flight, hand each
 * report to the driver, send output reports, and tell the driver when the device is gone.
 */
#pragma once

#include <gusb.h>

#include "station/st-device.h"

G_BEGIN_DECLS

#define ST_TYPE_USB_HID (st_usb_hid_get_type())
G_DECLARE_FINAL_TYPE(StUsbHid, st_usb_hid, ST, USB_HID, GObject)

/* called on the main thread for every report (as received, report id byte included) */
typedef void (*StUsbHidReportFunc)(const guint8 *buf, gsize len, gpointer user_data);
/* called on the main thread once, when reading stopped for good: @error says why */
typedef void (*StUsbHidStoppedFunc)(const GError *error, gpointer user_data);

StUsbHid *
st_usb_hid_new(GUsbDevice *usb_device, guint8 interface_number, const gchar *device_id);
void
st_usb_hid_set_callbacks(StUsbHid *self,
			 StUsbHidReportFunc report_cb,
			 StUsbHidStoppedFunc stopped_cb,
			 gpointer user_data);
gboolean
st_usb_hid_open(StUsbHid *self, GError **error);
gboolean
st_usb_hid_close(StUsbHid *self, GError **error);
guint
st_usb_hid_get_in_flight(void);
gboolean
st_usb_hid_set_report(StUsbHid *self,
		      guint8 report_type,
		      guint8 report_id,
		      const guint8 *data,
		      gsize len,
		      GError **error);
GBytes *
st_usb_hid_read_report_descriptor(GUsbDevice *usb_device,
				  guint8 interface_number,
				  guint16 length,
				  GError **error);

#define ST_USB_HID_REPORT_INPUT	  0x01
#define ST_USB_HID_REPORT_OUTPUT  0x02
#define ST_USB_HID_REPORT_FEATURE 0x03

G_END_DECLS
