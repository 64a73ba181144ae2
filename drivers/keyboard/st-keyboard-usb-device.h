/* The keyboard-wedge scanner on USB: boot-keyboard reports read over libusb. */
#pragma once

#include "../usb/st-usb-hid-device.h"

G_BEGIN_DECLS

#define ST_TYPE_KEYBOARD_USB_DEVICE (st_keyboard_usb_device_get_type())
G_DECLARE_FINAL_TYPE(StKeyboardUsbDevice,
		     st_keyboard_usb_device,
		     ST,
		     KEYBOARD_USB_DEVICE,
		     StUsbHidDevice)

extern const StDriver st_keyboard_usb_driver;

G_END_DECLS
