/*
 * StWeight: a scale reading kept exact as value x 10^exponent in the reported unit, with a
 * conversion to milligrams that refuses rather than rounds silently on overflow.
 */
#include <string.h>

#include "station/st-error.h"
#include "station/st-weight.h"

G_DEFINE_BOXED_TYPE(StWeight, st_weight, st_weight_copy, st_weight_free)

StWeight *
st_weight_copy(const StWeight *self)
{
	return g_memdup2(self, sizeof(*self));
}

void
st_weight_free(StWeight *self)
{
	g_free(self);
}

gboolean
st_weight_is_stable(const StWeight *self)
{
	return self->status == ST_WEIGHT_STATUS_STABLE ||
	       self->status == ST_WEIGHT_STATUS_STABLE_ZERO;
}

const gchar *
st_weight_status_to_string(StWeightStatus status)
{
	static const gchar *names[] = {
		"unknown",    "fault",	     "stable-zero",	  "in-motion",	 "stable",
		"under-zero", "over-weight", "needs-calibration", "needs-rezero"};
	if ((guint)status >= G_N_ELEMENTS(names))
		return "unknown";
	return names[status];
}

const gchar *
st_weight_unit_to_string(StWeightUnit unit)
{
	static const gchar *names[] = {"unknown", "mg", "g",   "kg",  "ct", "tael", "gr",
				       "dwt",	  "t",	"ton", "ozt", "oz", "lb"};
	if ((guint)unit >= G_N_ELEMENTS(names))
		return "unknown";
	return names[unit];
}

/*
 * Milligrams per unit as a rational numerator/denominator, exact where the unit is defined
 * exactly: 1 oz = 28349.523125 mg, 1 lb = 453592.37 mg, 1 grain = 64.79891 mg,
 * 1 troy oz = 31103.4768 mg, 1 dwt = 1555.17384 mg, 1 ct = 200 mg, 1 tael = 37799.364167 mg
 * (the Hong Kong tael of 604.78982 g / 16), 1 short ton = 907184740 mg.
 */
static gboolean
st_weight_unit_ratio(StWeightUnit unit, gint64 *num, gint64 *den)
{
	switch (unit) {
	case ST_WEIGHT_UNIT_MILLIGRAM:
		*num = 1, *den = 1;
		return TRUE;
	case ST_WEIGHT_UNIT_GRAM:
		*num = 1000, *den = 1;
		return TRUE;
	case ST_WEIGHT_UNIT_KILOGRAM:
		*num = 1000000, *den = 1;
		return TRUE;
	case ST_WEIGHT_UNIT_CARAT:
		*num = 200, *den = 1;
		return TRUE;
	case ST_WEIGHT_UNIT_TAEL:
		*num = 604789820, *den = 16000;
		return TRUE;
	case ST_WEIGHT_UNIT_GRAIN:
		*num = 6479891, *den = 100000;
		return TRUE;
	case ST_WEIGHT_UNIT_PENNYWEIGHT:
		*num = 155517384, *den = 100000;
		return TRUE;
	case ST_WEIGHT_UNIT_METRIC_TON:
		*num = 1000000000, *den = 1;
		return TRUE;
	case ST_WEIGHT_UNIT_AVOIR_TON:
		*num = 907184740, *den = 1;
		return TRUE;
	case ST_WEIGHT_UNIT_TROY_OUNCE:
		*num = 311034768, *den = 10000;
		return TRUE;
	case ST_WEIGHT_UNIT_OUNCE:
		*num = 28349523125, *den = 1000000;
		return TRUE;
	case ST_WEIGHT_UNIT_POUND:
		*num = 45359237, *den = 100;
		return TRUE;
	default:
		return FALSE;
	}
}

/**
 * st_weight_to_milligrams:
 * @milligrams: (out): the weight rounded to the nearest milligram
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA for an unknown unit, an exponent out of the
 * HID range or a value that does not fit.
 */
gboolean
st_weight_to_milligrams(const StWeight *self, gint64 *milligrams, GError **error)
{
	gint64 num = 0, den = 0;
	gint exp = self->exponent;
	gint64 v = self->value;
	gboolean neg = v < 0;
	guint64 mag = neg ? (guint64)(-(v + 1)) + 1 : (guint64)v;
	guint64 n, d;

	if (!st_weight_unit_ratio(self->unit, &num, &den)) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA, "unknown weight unit %d",
			    self->unit);
		return FALSE;
	}
	if (exp < -8 || exp > 7) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "weight exponent %d outside -8..7", exp);
		return FALSE;
	}
	n = (guint64)num;
	d = (guint64)den;
	for (; exp > 0; exp--) {
		if (n > G_MAXUINT64 / 10)
			goto overflow;
		n *= 10;
	}
	for (; exp < 0; exp++)
		d *= 10;
	/* mag * n / d, rounded, without overflow in the product */
	{
		guint64 q = mag / d, r = mag % d;
		guint64 hi, lo;
		if (q != 0 && n > G_MAXUINT64 / q)
			goto overflow;
		hi = q * n;
		if (r != 0 && n > G_MAXUINT64 / r)
			goto overflow;
		lo = (r * n + d / 2) / d;
		if (hi > (guint64)G_MAXINT64 - lo)
			goto overflow;
		*milligrams = neg ? -(gint64)(hi + lo) : (gint64)(hi + lo);
	}
	return TRUE;
overflow:
	g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
		    "weight %" G_GINT64_FORMAT "e%d %s does not fit in milligrams", self->value,
		    self->exponent, st_weight_unit_to_string(self->unit));
	return FALSE;
}

/* @value x 10^@exponent as a decimal, exactly: 351, -1 -> "35.1"; 3, 2 -> "300" */
static gchar *
st_weight_decimal(gint64 value, gint exponent)
{
	GString *str = g_string_new(NULL);
	guint64 magnitude = value < 0 ? (guint64)(-(value + 1)) + 1 : (guint64)value;
	g_autofree gchar *digits = g_strdup_printf("%" G_GUINT64_FORMAT, magnitude);
	gsize n = strlen(digits);

	if (value < 0)
		g_string_append_c(str, '-');
	if (exponent >= 0) {
		g_string_append(str, digits);
		if (magnitude != 0)
			for (gint i = 0; i < exponent; i++)
				g_string_append_c(str, '0');
	} else {
		gsize decimals = (gsize)-exponent;
		if (n <= decimals) {
			g_string_append(str, "0.");
			for (gsize i = n; i < decimals; i++)
				g_string_append_c(str, '0');
			g_string_append(str, digits);
		} else {
			g_string_append_len(str, digits, (gssize)(n - decimals));
			g_string_append_c(str, '.');
			g_string_append(str, digits + n - decimals);
		}
	}
	return g_string_free(str, FALSE);
}

/**
 * st_weight_to_string:
 *
 * Returns: (transfer full): the reading as a person reads it: "35.1 oz", "300 g",
 * "0.25 kg", from the reported value and exponent, exactly
 */
gchar *
st_weight_to_string(const StWeight *self)
{
	g_autofree gchar *number = st_weight_decimal(self->value, self->exponent);
	return g_strdup_printf("%s %s", number, st_weight_unit_to_string(self->unit));
}
