/* HID POS scales (usage page 0x8D) on USB. */
#pragma once

#include "../usb/st-usb-hid-device.h"

G_BEGIN_DECLS

#define ST_TYPE_SCALE_DEVICE (st_scale_device_get_type())
G_DECLARE_FINAL_TYPE(StScaleDevice, st_scale_device, ST, SCALE_DEVICE, StUsbHidDevice)

extern const StDriver st_scale_driver;

G_END_DECLS
