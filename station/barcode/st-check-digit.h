/*
 * Check digits, each algorithm once, for the product codes and the carriers' numbers: the
 * GS1 modulo 10 (weights 3 and 1 from the right: GTIN, SSCC, USPS, FedEx Ground), Luhn,
 * the weighted sums of FedEx Express and UPU S10 (each reduces it its own way) and modulo 7 (DHL
 * Express). Digits are ASCII '0'..'9'; the callers have checked that.
 */
#pragma once

#include "st-barcode.h"

G_BEGIN_DECLS

guint
st_check_digit_gs1(const gchar *digits, gsize len);
gboolean
st_check_digit_luhn_ok(const gchar *digits, gsize len);
guint
st_check_digit_weighted_sum(const gchar *digits, gsize len, const guint *weights, gsize n_weights);
guint
st_check_digit_mod7(const gchar *digits, gsize len);
guint
st_check_digit_mod10_weighted(const gchar *chars,
			      gsize len,
			      guint evens,
			      guint odds,
			      guint modulo,
			      gboolean reverse);
guint
st_check_digit_luhn(const gchar *digits, gsize len);
gint
st_check_digit_iso7064_hybrid(const gchar *chars, gsize len, const gchar *alphabet, guint m);
guint
st_check_digit_s10(const gchar *digits);
void
st_check_digit_mismatch(StBarcode *barcode, const gchar *what, guint want, gchar have, gint pos);

G_END_DECLS
