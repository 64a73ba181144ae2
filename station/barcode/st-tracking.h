/*
 * The carriers' tracking numbers (st-tracking.c), as st-barcode.c asks about a scan that is
 * not a product code: text (letters and digits) or digits alone.
 */
#pragma once

#include "st-barcode.h"

G_BEGIN_DECLS

/* how the couriers' rules may take a scan (st_tracking_parse_couriers()) */
typedef enum {
	ST_TRACKING_ANY,
	ST_TRACKING_CHECKED,
} StTrackingMode;

gboolean
st_tracking_fedex12_ok(const gchar *digits);
void
st_tracking_fedex12(StBarcode *self, const gchar *digits);
gboolean
st_tracking_parse_text(StBarcode *self, const gchar *text, gsize len, const gchar *const *listed);
gboolean
st_tracking_parse_digits(StBarcode *self,
			 const gchar *digits,
			 gsize len,
			 const gchar *const *listed);

gboolean
st_tracking_parse_couriers(StBarcode *self,
			   const gchar *text,
			   gsize len,
			   const gchar *const *listed,
			   StTrackingMode mode);
void
st_tracking_set_url(StBarcode *self);

G_END_DECLS
