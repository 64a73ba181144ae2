/* The known-device table. Keep it sorted by VID, then PID. */
#include "st-usb-known.h"

static const StUsbKnownDevice known[] = {
	/* keyboard-wedge scanners */
	{0x05e0, 0x1200, "keyboard", "Symbol/Zebra bar code scanner (keyboard mode)", 0},
	/* HID POS scales */
	{0x0922, 0x8003, "scale", "DYMO M10 postal scale", ST_USB_QUIRK_STALE_FIRST_REPORT},
	{0x0922, 0x8004, "scale", "DYMO M25 postal scale", ST_USB_QUIRK_STALE_FIRST_REPORT},
	{0x0922, 0x8009, "scale", "DYMO S250 postal scale", ST_USB_QUIRK_STALE_FIRST_REPORT},
	{0x0b67, 0x0000, "scale", "Fairbanks scale", 0},
	{0x0d8f, 0x0000, "scale", "Pitney Bowes scale", 0},
	{0x0eb8, 0x0000, "scale", "Mettler Toledo scale", 0},
	{0x1446, 0x6a73, "scale", "Stamps.com Model 510 5 lb scale",
	 ST_USB_QUIRK_STALE_FIRST_REPORT},
	{0x1446, 0x6a78, "scale", "DYMO Endicia 75 lb scale", ST_USB_QUIRK_STALE_FIRST_REPORT},
};

/* Returns: (nullable): the row for @vid:@pid, else the vendor-wide row for @vid */
const StUsbKnownDevice *
st_usb_known_lookup(guint16 vid, guint16 pid)
{
	const StUsbKnownDevice *vendor = NULL;
	for (guint i = 0; i < G_N_ELEMENTS(known); i++) {
		if (known[i].vid != vid)
			continue;
		if (known[i].pid == pid)
			return &known[i];
		if (known[i].pid == 0)
			vendor = &known[i];
	}
	return vendor;
}

const StUsbKnownDevice *
st_usb_known_get_all(guint *n)
{
	*n = G_N_ELEMENTS(known);
	return known;
}
