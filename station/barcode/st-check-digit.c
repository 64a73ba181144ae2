/* Check digits: the arithmetic of each algorithm, once; st-check-digit.h says which. */
#include "st-check-digit.h"

/* Returns: the GS1 check digit of @len digits (weights 3 and 1 from the right) */
guint
st_check_digit_gs1(const gchar *digits, gsize len)
{
	guint sum = 0;
	for (gsize i = 0; i < len; i++) {
		guint d = (guint)(digits[len - 1 - i] - '0');
		sum += (i % 2 == 0) ? d * 3 : d;
	}
	return (10 - sum % 10) % 10;
}

/* Returns: whether @len digits, the last being the check digit, pass Luhn's check */
gboolean
st_check_digit_luhn_ok(const gchar *digits, gsize len)
{
	guint total = 0;
	for (gsize i = 0; i < len; i++) {
		guint v = (guint)(digits[len - 1 - i] - '0');
		if (i % 2 == 1)
			v = v * 2 > 9 ? v * 2 - 9 : v * 2;
		total += v;
	}
	return total % 10 == 0;
}

/* Returns: the sum of @len digits, each times its weight, the weights repeating from the
 * left */
guint
st_check_digit_weighted_sum(const gchar *digits, gsize len, const guint *weights, gsize n_weights)
{
	guint total = 0;
	for (gsize i = 0; i < len; i++)
		total += (guint)(digits[i] - '0') * weights[i % n_weights];
	return total;
}

/* Returns: @len digits, read as one number, modulo 7 */
guint
st_check_digit_mod7(const gchar *digits, gsize len)
{
	guint rest = 0;
	for (gsize i = 0; i < len; i++)
		rest = (rest * 10 + (guint)(digits[i] - '0')) % 7;
	return rest;
}

/* marks @barcode invalid: the check digit @what's algorithm gives is @want, the character
 * at @pos is @have */
void
st_check_digit_mismatch(StBarcode *barcode, const gchar *what, guint want, gchar have, gint pos)
{
	barcode->valid = FALSE;
	barcode->position = pos;
	barcode->reason = g_strdup_printf("%s check digit is %u, the barcode has %c: a character "
					  "was misread or mistyped",
					  what, want, have);
}
