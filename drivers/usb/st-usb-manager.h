/*
 * The USB core: watches the bus (hotplug through GUsb), describes every HID interface that
 * appears, binds it to a configured device (by VID:PID, serial or port path) or to a known
 * model, asks the drivers which takes it, and hands the resulting StDevice to its owner.
 */
#pragma once

#include "station/st-device.h"

G_BEGIN_DECLS

#define ST_TYPE_USB_MANAGER (st_usb_manager_get_type())
G_DECLARE_FINAL_TYPE(StUsbManager, st_usb_manager, ST, USB_MANAGER, GObject)

/* option names of a configured device that bind it to a USB device */
#define ST_USB_OPTION_VID_PID	"vid-pid"
#define ST_USB_OPTION_SERIAL	"serial"
#define ST_USB_OPTION_PORT_PATH "port-path"

gboolean
st_usb_manager_is_option(const gchar *key);
StUsbManager *
st_usb_manager_new(GPtrArray *configured);
gboolean
st_usb_manager_start(StUsbManager *self, GError **error);
GPtrArray *
st_usb_manager_describe(StUsbManager *self);

G_END_DECLS
