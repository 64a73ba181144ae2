/*
 * Known USB devices: one row per model (VID:PID from usb.ids and vendors' documents), with
 * the driver that runs it and its quirks. A model that works with the generic detection needs
 * no row; a row is for naming it, or for a quirk.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	ST_USB_QUIRK_NONE = 0,
	ST_USB_QUIRK_STALE_FIRST_REPORT = 1 << 0, /* the first report after open is old data */
	ST_USB_QUIRK_NO_DESCRIPTOR = 1 << 1,	  /* use the default report layout, not the
						     device's report descriptor */
} StUsbQuirk;

typedef struct {
	guint16 vid;
	guint16 pid; /* 0: any product of the vendor that the driver's detection accepts */
	const gchar *driver;
	const gchar *model;
	StUsbQuirk quirks;
} StUsbKnownDevice;

const StUsbKnownDevice *
st_usb_known_lookup(guint16 vid, guint16 pid);
const StUsbKnownDevice *
st_usb_known_get_all(guint *n);

G_END_DECLS
