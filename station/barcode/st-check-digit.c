/* Check digits: the arithmetic of each algorithm, once; st-check-digit.h says which. */
#include <string.h>

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
	return len > 0 && st_check_digit_luhn(digits, len - 1) == (guint)(digits[len - 1] - '0');
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

/**
 * st_check_digit_mod10_weighted:
 * @chars: digits and capital letters (a letter counts as its code minus 3, mod 10)
 * @evens: the multiplier of the characters at 0-based even positions (the first, the
 *   third, ...), counted from the right when @reverse
 * @odds: the multiplier of the others
 *
 * The "mod10" of the couriers' data (UPS, USPS, FedEx Ground, Canada Post, OnTrac): the
 * weighted sum's complement to a multiple of @modulo.
 *
 * Returns: the check digit
 */
guint
st_check_digit_mod10_weighted(const gchar *chars,
			      gsize len,
			      guint evens,
			      guint odds,
			      guint modulo,
			      gboolean reverse)
{
	guint64 total = 0;
	guint r;
	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)(reverse ? chars[len - 1 - i] : chars[i]);
		guint v = g_ascii_isdigit(c) ? (guint)(c - '0') : (guint)((c - 3) % 10);
		total += (guint64)v * (i % 2 == 0 ? evens : odds);
	}
	r = (guint)(total % (modulo > 0 ? modulo : 10));
	return r == 0 ? 0 : 10 - r;
}

/**
 * st_check_digit_luhn:
 *
 * Returns: the Luhn (ISO/IEC 7812) check digit of @len digits
 */
guint
st_check_digit_luhn(const gchar *digits, gsize len)
{
	guint total = 0;
	for (gsize i = 0; i < len; i++) {
		guint v = (guint)(digits[len - 1 - i] - '0');
		if (i % 2 == 0)
			v = v * 2 > 9 ? v * 2 - 9 : v * 2;
		total += v;
	}
	return (10 - total % 10) % 10;
}

/**
 * st_check_digit_iso7064_hybrid:
 * @alphabet: the characters, by value (0 to @m - 1)
 * @m: 36 for MOD 37,36 (DPD), 10 for MOD 11,10
 *
 * ISO/IEC 7064 hybrid system MOD m+1,m.
 *
 * Returns: the check character's value, or -1 when a character is not in @alphabet
 */
gint
st_check_digit_iso7064_hybrid(const gchar *chars, gsize len, const gchar *alphabet, guint m)
{
	guint p = m;
	for (gsize i = 0; i < len; i++) {
		const gchar *at = chars[i] != '\0' ? strchr(alphabet, chars[i]) : NULL;
		if (at == NULL)
			return -1;
		p = (p + (guint)(at - alphabet)) % m;
		if (p == 0)
			p = m;
		p = (p * 2) % (m + 1);
	}
	return (gint)((m + 1 - p) % m);
}

/**
 * st_check_digit_s10:
 *
 * Returns: the UPU S10 check digit of 8 digits: weights 8 6 4 2 3 5 9 7, 11 minus the sum
 *   mod 11, 10 giving 0 and 11 giving 5
 */
guint
st_check_digit_s10(const gchar *digits)
{
	static const guint weights[] = {8, 6, 4, 2, 3, 5, 9, 7};
	guint r = 11 - st_check_digit_weighted_sum(digits, 8, weights, G_N_ELEMENTS(weights)) % 11;
	return r == 10 ? 0 : r == 11 ? 5 : r;
}
