/*
 * Between the barcode module's files: st-barcode.c decides what a scan is, st-tracking.c knows
 * the carriers' tracking numbers.
 */
#pragma once

#include "st-barcode.h"

G_BEGIN_DECLS

void
st_barcode_check_failed(StBarcode *self, const gchar *what, guint want, gchar have, gint pos);
gboolean
st_tracking_fedex12_ok(const gchar *digits);
void
st_tracking_fedex12(StBarcode *self, const gchar *digits);
gboolean
st_tracking_parse_text(StBarcode *self, const gchar *text, gsize len);
gboolean
st_tracking_parse_digits(StBarcode *self, const gchar *digits, gsize len);

G_END_DECLS
