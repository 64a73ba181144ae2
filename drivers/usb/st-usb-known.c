/* The known-device table. Keep it sorted by VID, then PID. Sources of the ids: usb.ids
 * (Debian's usbutils), and for models it lacks the lists of two public scale readers,
 * erjiang/usbscale (scales.h) and libretees/silverscale (usb_ids.py). A quirk is set only
 * where a model's or its family's behaviour is known. */
#include "st-usb-known.h"
#include "station/st-drivers.h"

static const StUsbKnownDevice known[] = {
	/* keyboard-wedge scanners */
	{0x05e0, 0x1200, "keyboard", "Symbol/Zebra bar code scanner (keyboard mode)", 0},
	/* HID POS scales */
	/* DYMO's other scales (the M5, S100, S400, whose product ids no source here gives): by
	 * the vendor, with the family's stale first reading; its label printers are not HID
	 * scales, so the scale driver's detection leaves them alone */
	{0x0922, 0x0000, "scale", "DYMO scale", ST_USB_QUIRK_STALE_FIRST_REPORT},
	{0x0922, 0x8003, "scale", "DYMO M10 postal scale", ST_USB_QUIRK_STALE_FIRST_REPORT},
	{0x0922, 0x8004, "scale", "DYMO M25 postal scale", ST_USB_QUIRK_STALE_FIRST_REPORT},
	{0x0922, 0x8009, "scale", "DYMO S250 postal scale", ST_USB_QUIRK_STALE_FIRST_REPORT},
	{0x0b67, 0x0000, "scale", "Fairbanks scale", 0},
	{0x0b67, 0x555e, "scale", "Fairbanks SCB-R9000 scale", 0},
	{0x0d8f, 0x0000, "scale", "Pitney Bowes scale", 0},
	{0x0d8f, 0x0200, "scale", "Pitney Bowes 10 lb scale 397-B", 0},
	{0x0eb8, 0x0000, "scale", "Mettler Toledo scale", 0},
	{0x0eb8, 0x2200, "scale", "Mettler Toledo Ariva scale", 0},
	{0x0eb8, 0xf000, "scale", "Mettler Toledo PS60 shipping scale (PS series)", 0},
	{0x1446, 0x6a73, "scale", "Stamps.com Model 510 5 lb scale",
	 ST_USB_QUIRK_STALE_FIRST_REPORT},
	{0x1446, 0x6a78, "scale", "DYMO Endicia 75 lb scale", ST_USB_QUIRK_STALE_FIRST_REPORT},
	{0x2474, 0x0550, "scale", "Stamps.com stainless steel 5 lb scale", 0},
	{0x2474, 0x3550, "scale", "Stamps.com stainless steel 35 lb scale", 0},
	{0x6096, 0x0158, "scale", "Sanford DYMO 10 lb postal scale", 0},
	{0x7b7c, 0x0100, "scale", "Elane USPS PS311 UParcel 30 lb scale", 0},
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

/**
 * st_drivers_udev_rules_known:
 * @group: the group the devices are given to
 *
 * udev rules giving @group the usbfs nodes of every model in the table (a model that is
 * known is used without configuration), one a line, each after a comment naming it; a
 * vendor-wide row gives every product of the vendor.
 *
 * Returns: (transfer full): the rules
 */
gchar *
st_drivers_udev_rules_known(const gchar *group)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < G_N_ELEMENTS(known); i++) {
		g_string_append_printf(out, "# %s (driver %s)\n", known[i].model, known[i].driver);
		g_string_append_printf(out,
				       "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", "
				       "ATTR{idVendor}==\"%04x\", ",
				       known[i].vid);
		if (known[i].pid != 0)
			g_string_append_printf(out, "ATTR{idProduct}==\"%04x\", ", known[i].pid);
		g_string_append_printf(out, "MODE=\"0660\", GROUP=\"%s\"\n", group);
	}
	return g_string_free(out, FALSE);
}
