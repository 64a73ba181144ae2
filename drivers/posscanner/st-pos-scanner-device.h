/* HID POS barcode scanners (usage page 0x8C) on USB. */
#pragma once

#include "../usb/st-usb-hid-device.h"

G_BEGIN_DECLS

#define ST_TYPE_POS_SCANNER_DEVICE (st_pos_scanner_device_get_type())
G_DECLARE_FINAL_TYPE(StPosScannerDevice,
		     st_pos_scanner_device,
		     ST,
		     POS_SCANNER_DEVICE,
		     StUsbHidDevice)

extern const StDriver st_pos_scanner_driver;

G_END_DECLS
