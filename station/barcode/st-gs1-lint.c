/*
 * GS1 component checks, written from the GS1 General Specifications (character sets 82, 39
 * and 64 in 7.11, check digits in 7.9, the check character pair in 7.9.5, dates in 7.12)
 * and the GS1 Barcode Syntax Tests for the names of the checks and their faults.
 */
#include <stdlib.h>
#include <string.h>

#include "st-gs1-lint.h"

#define FAIL ST_GS1_LINT_FAIL

/* GS1 AI encodable character set 82, in the order of its values (7.11, figure 7.11-1): the
 * order matters for the check character pair, which counts characters by their place here */
static const gchar cset82_order[] = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
				    "abcdefghijklmnopqrstuvwxyz";
/* the 32 characters a check character pair is written with */
static const gchar cset32[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

gboolean
st_gs1_cset82_valid(guchar c)
{
	return c != '\0' && strchr(cset82_order, c) != NULL;
}

gboolean
st_gs1_cset39_valid(guchar c)
{
	return c == '#' || c == '-' || c == '/' || g_ascii_isdigit(c) || g_ascii_isupper(c);
}

gboolean
st_gs1_cset64_valid(guchar c)
{
	return g_ascii_isalnum(c) || c == '-' || c == '_';
}

/* the year a two-digit year means (GS1 General Specifications 7.12): within 49 years ahead of
 * this year, else the past 50 years */
gint
st_gs1_year_from_yy(guint yy)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	gint year = g_date_time_get_year(now);
	gint century = year / 100 * 100;
	gint diff = (gint)yy - year % 100;
	if (diff >= 51)
		return century - 100 + (gint)yy;
	if (diff <= -50)
		return century + 100 + (gint)yy;
	return century + (gint)yy;
}

static const gchar *
lint_digits(const gchar *data, gsize data_len, gsize *pos, gsize *len)
{
	for (gsize i = 0; i < data_len; i++) {
		if (!g_ascii_isdigit(data[i]))
			FAIL("non-digit-character", i, 1);
	}
	return NULL;
}

const gchar *
st_gs1_lint_cset(gchar type, const gchar *data, gsize data_len, gsize *pos, gsize *len)
{
	switch (type) {
	case 'N':
		return lint_digits(data, data_len, pos, len);
	case 'X':
		for (gsize i = 0; i < data_len; i++) {
			if (!st_gs1_cset82_valid((guchar)data[i]))
				FAIL("invalid-cset82-character", i, 1);
		}
		return NULL;
	case 'Y':
		for (gsize i = 0; i < data_len; i++) {
			if (!st_gs1_cset39_valid((guchar)data[i]))
				FAIL("invalid-cset39-character", i, 1);
		}
		return NULL;
	case 'Z': {
		/* base64url: at most two '=' of padding at the end, and only to a whole group */
		gsize pads = 0;
		while (pads < data_len && data[data_len - 1 - pads] == '=')
			pads++;
		if (pads > 2 || (pads > 0 && data_len % 3 != 0))
			FAIL("invalid-cset64-padding", data_len - pads, pads);
		for (gsize i = 0; i < data_len - pads; i++) {
			if (!st_gs1_cset64_valid((guchar)data[i]))
				FAIL("invalid-cset64-character", i, 1);
		}
		return NULL;
	}
	default:
		g_assert_not_reached();
	}
}

static const gchar *
lint_cset82(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return st_gs1_lint_cset('X', d, n, pos, len);
}

static const gchar *
lint_cset39(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return st_gs1_lint_cset('Y', d, n, pos, len);
}

static const gchar *
lint_cset64(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return st_gs1_lint_cset('Z', d, n, pos, len);
}

/* the GS1 check digit: weights 3 and 1 from the right, complement of the sum to 10 */
static const gchar *
lint_csum(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	guint sum = 0;
	const gchar *err;

	if (n == 0)
		FAIL("too-short-for-check-digit", 0, 0);
	if ((err = lint_digits(d, n, pos, len)) != NULL)
		return err;
	for (gsize i = 0; i + 1 < n; i++) {
		guint v = (guint)(d[n - 2 - i] - '0');
		sum += (i % 2 == 0) ? v * 3 : v;
	}
	if ((guint)(d[n - 1] - '0') != (10 - sum % 10) % 10)
		FAIL("incorrect-check-digit", n - 1, 1);
	return NULL;
}

/* the check character pair (7.9.5): each character's place in CSET 82 times a prime, the
 * primes from 2 upwards starting at the character just before the pair; the sum modulo 1021
 * gives two characters of CSET 32 (the sum divided by 32, and its remainder) */
static const gchar *
lint_csumalpha(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	static guint primes[97];
	static gsize primes_once = 0;
	guint sum = 0;
	gsize body;

	if (g_once_init_enter(&primes_once)) {
		guint count = 0;
		for (guint c = 2; count < G_N_ELEMENTS(primes); c++) {
			gboolean prime = TRUE;
			for (guint i = 0; i < count && primes[i] * primes[i] <= c; i++) {
				if (c % primes[i] == 0) {
					prime = FALSE;
					break;
				}
			}
			if (prime)
				primes[count++] = c;
		}
		g_once_init_leave(&primes_once, 1);
	}
	if (n < 2)
		FAIL("too-short-for-check-pair", 0, n);
	body = n - 2;
	if (body > G_N_ELEMENTS(primes))
		FAIL("too-long-for-check-pair-implementation", 0, n);
	for (gsize i = 0; i < body; i++) {
		const gchar *at = d[i] != '\0' ? strchr(cset82_order, d[i]) : NULL;
		if (at == NULL)
			FAIL("invalid-cset82-character", i, 1);
		sum += (guint)(at - cset82_order) * primes[body - 1 - i];
	}
	sum %= 1021;
	if (d[body] != cset32[sum >> 5] || d[body + 1] != cset32[sum & 31])
		FAIL("incorrect-check-pair", body, 2);
	return NULL;
}

/* the GS1 Company Prefix is at least 4 digits; which prefixes exist is GS1's registry
 * (online only), so the station checks only that the prefix can be one */
static const gchar *
lint_gcppos(const gchar *d, gsize n, gsize offset, gsize *pos, gsize *len)
{
	if (n < offset + 4)
		FAIL("too-short-for-gcp", 0, n);
	for (gsize i = offset; i < offset + 4; i++) {
		if (!g_ascii_isdigit(d[i]))
			FAIL("invalid-gcp-prefix", i, 1);
	}
	return NULL;
}

static const gchar *
lint_gcppos1(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_gcppos(d, n, 0, pos, len);
}

static const gchar *
lint_gcppos2(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_gcppos(d, n, 1, pos, len);
}

static guint
num(const gchar *d, gsize n)
{
	guint v = 0;
	for (gsize i = 0; i < n; i++)
		v = v * 10 + (guint)(d[i] - '0');
	return v;
}

static const gchar *
lint_date(const gchar *d,
	  gsize n,
	  gboolean four_digit_year,
	  gboolean day_zero_ok,
	  gsize *pos,
	  gsize *len)
{
	static const guint8 days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	gsize want = four_digit_year ? 8 : 6;
	gsize m = want - 4; /* where the month starts */
	const gchar *err;
	guint year, month, day;

	if (n < want)
		FAIL("date-too-short", 0, n);
	if (n > want)
		FAIL("date-too-long", 0, n);
	if ((err = lint_digits(d, n, pos, len)) != NULL)
		return err;
	month = num(d + m, 2);
	day = num(d + m + 2, 2);
	year = four_digit_year ? num(d, 4) : (guint)st_gs1_year_from_yy(num(d, 2));
	if (month < 1 || month > 12)
		FAIL("illegal-month", m, 2);
	if (day == 0 && day_zero_ok)
		return NULL;
	if (day < 1 || day > days[month - 1] ||
	    (month == 2 && day == 29 && !g_date_is_leap_year((GDateYear)year)))
		FAIL("illegal-day", m + 2, 2);
	return NULL;
}

static const gchar *
lint_yymmdd(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_date(d, n, FALSE, FALSE, pos, len);
}

static const gchar *
lint_yymmd0(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_date(d, n, FALSE, TRUE, pos, len);
}

static const gchar *
lint_yyyymmdd(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_date(d, n, TRUE, FALSE, pos, len);
}

static const gchar *
lint_yyyymmd0(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_date(d, n, TRUE, TRUE, pos, len);
}

static const gchar *
lint_two_digits(const gchar *d,
		gsize n,
		guint limit,
		const gchar *short_code,
		const gchar *long_code,
		const gchar *illegal_code,
		gsize *pos,
		gsize *len)
{
	const gchar *err;
	if (n < 2)
		FAIL(short_code, 0, n);
	if (n > 2)
		FAIL(long_code, 0, n);
	if ((err = lint_digits(d, n, pos, len)) != NULL)
		return err;
	if (num(d, 2) >= limit)
		FAIL(illegal_code, 0, 2);
	return NULL;
}

static const gchar *
lint_hh(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_two_digits(d, n, 24, "hour-too-short", "hour-too-long", "illegal-hour", pos,
			       len);
}

static const gchar *
lint_mi(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_two_digits(d, n, 60, "minute-too-short", "minute-too-long", "illegal-minute",
			       pos, len);
}

static const gchar *
lint_ss(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_two_digits(d, n, 60, "second-too-short", "second-too-long", "illegal-second",
			       pos, len);
}

static const gchar *
lint_hhmi(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	const gchar *err;
	if (n < 4)
		FAIL("hour-with-minute-too-short", 0, n);
	if (n > 4)
		FAIL("hour-with-minute-too-long", 0, n);
	if ((err = lint_digits(d, n, pos, len)) != NULL)
		return err;
	if (num(d, 2) > 23)
		FAIL("illegal-hour", 0, 2);
	if (num(d + 2, 2) > 59)
		FAIL("illegal-minute", 2, 2);
	return NULL;
}

static const gchar *
lint_one_of(const gchar *d,
	    gsize n,
	    const gchar *allowed,
	    const gchar *code,
	    gsize *pos,
	    gsize *len)
{
	if (n != 1 || d[0] == '\0' || strchr(allowed, d[0]) == NULL)
		FAIL(code, 0, n);
	return NULL;
}

/* ISO/IEC 5218: 0 not known, 1 male, 2 female, 9 not applicable */
static const gchar *
lint_iso5218(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_one_of(d, n, "0129", "invalid-biological-sex-code", pos, len);
}

/* AI 8001: 0 face out, 1 face in, 9 undefined */
static const gchar *
lint_winding(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_one_of(d, n, "019", "invalid-winding-direction", pos, len);
}

static const gchar *
lint_yesno(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_one_of(d, n, "01", "not-zero-or-one", pos, len);
}

/* a non-empty run of @c, else @code over the whole */
static const gchar *
lint_all_of(const gchar *d, gsize n, gchar c, const gchar *code, gsize *pos, gsize *len)
{
	if (n == 0)
		FAIL(code, 0, 0);
	for (gsize i = 0; i < n; i++) {
		if (d[i] != c)
			FAIL(code, 0, n);
	}
	return NULL;
}

static const gchar *
lint_zero(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_all_of(d, n, '0', "not-zero", pos, len);
}

static const gchar *
lint_nonzero(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	const gchar *err = lint_digits(d, n, pos, len);
	if (err != NULL)
		return err;
	for (gsize i = 0; i < n; i++) {
		if (d[i] != '0')
			return NULL;
	}
	FAIL("illegal-zero-value", 0, n);
}

static const gchar *
lint_nozeroprefix(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	const gchar *err = lint_digits(d, n, pos, len);
	if (err != NULL)
		return err;
	if (n > 1 && d[0] == '0')
		FAIL("illegal-zero-prefix", 0, 1);
	return NULL;
}

static const gchar *
lint_hyphen(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_all_of(d, n, '-', "not-hyphen", pos, len);
}

static const gchar *
lint_hasnondigit(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	for (gsize i = 0; i < n; i++) {
		if (!g_ascii_isdigit(d[i]))
			return NULL;
	}
	FAIL("requires-non-digit-character", 0, n);
}

/* piece number and total, each half of the digits (AI 8006, 8026) */
static const gchar *
lint_pieceoftotal(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	const gchar *err;
	gsize half = n / 2;
	gboolean zero_piece = TRUE, zero_total = TRUE;

	if (n == 0 || n % 2 != 0)
		FAIL("invalid-length-for-piece-of-total", 0, n);
	if ((err = lint_digits(d, n, pos, len)) != NULL)
		return err;
	for (gsize i = 0; i < half; i++) {
		zero_piece = zero_piece && d[i] == '0';
		zero_total = zero_total && d[half + i] == '0';
	}
	if (zero_piece)
		FAIL("zero-piece-number", 0, half);
	if (zero_total)
		FAIL("zero-total-pieces", half, half);
	if (memcmp(d, d + half, half) > 0)
		FAIL("piece-number-exceeds-total", 0, n);
	return NULL;
}

/* "position/count" without leading zeros (AI 7258, birth sequence) */
static const gchar *
lint_posinseqslash(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	const gchar *slash = memchr(d, '/', n);
	gsize a, b;

	if (slash == NULL)
		FAIL("position-in-sequence-malformed", 0, n);
	a = (gsize)(slash - d);
	b = n - a - 1;
	if (a == 0 || b == 0)
		FAIL("position-in-sequence-malformed", 0, n);
	for (gsize i = 0; i < n; i++) {
		if (i != a && !g_ascii_isdigit(d[i]))
			FAIL("position-in-sequence-malformed", 0, n);
	}
	if (d[0] == '0')
		FAIL("illegal-zero-prefix", 0, a);
	if (d[a + 1] == '0')
		FAIL("illegal-zero-prefix", a + 1, b);
	if (a > b || (a == b && memcmp(d, d + a + 1, a) > 0))
		FAIL("position-exceeds-end", 0, n);
	return NULL;
}

static const gchar *
lint_coordinate(const gchar *d,
		gsize n,
		guint64 limit,
		const gchar *length_code,
		const gchar *range_code,
		gsize *pos,
		gsize *len)
{
	const gchar *err;
	guint64 v = 0;
	if (n != 10)
		FAIL(length_code, 0, n);
	if ((err = lint_digits(d, n, pos, len)) != NULL)
		return err;
	for (gsize i = 0; i < n; i++)
		v = v * 10 + (guint64)(d[i] - '0');
	if (v > limit)
		FAIL(range_code, 0, n);
	return NULL;
}

/* AI 4309: latitude + 90 and longitude + 180, in ten-millionths of a degree */
static const gchar *
lint_latitude(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_coordinate(d, n, 1800000000, "latitude-invalid-length", "invalid-latitude", pos,
			       len);
}

static const gchar *
lint_longitude(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_coordinate(d, n, 3600000000u, "longitude-invalid-length", "invalid-longitude",
			       pos, len);
}

/* AI 7241, AIDC media type: 01 to 10 are assigned by GS1, 80 to 99 are company internal */
static const gchar *
lint_mediatype(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	guint v;
	if (n != 2 || !g_ascii_isdigit(d[0]) || !g_ascii_isdigit(d[1]))
		FAIL("invalid-media-type", 0, n);
	v = num(d, 2);
	if (!((v >= 1 && v <= 10) || v >= 80))
		FAIL("invalid-media-type", 0, n);
	return NULL;
}

/* AI 7040, the importer index: one character of 0-9, A-Z, a-z, "-" or "_" */
static const gchar *
lint_importeridx(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	if (n != 1)
		FAIL("importer-idx-must-be-one-character", 0, n);
	if (!st_gs1_cset64_valid((guchar)d[0]))
		FAIL("invalid-import-idx-character", 0, 1);
	return NULL;
}

/* "%" followed by two hexadecimal digits */
static const gchar *
lint_pcenc(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	for (gsize i = 0; i < n; i++) {
		if (d[i] != '%')
			continue;
		if (i + 2 >= n)
			FAIL("invalid-percent-sequence", i, n - i);
		if (!g_ascii_isxdigit(d[i + 1]) || !g_ascii_isxdigit(d[i + 2]))
			FAIL("invalid-percent-sequence", i, 3);
		i += 2;
	}
	return NULL;
}

static const gchar *
lint_code3(const gchar *d,
	   gsize n,
	   gboolean (*in)(const gchar *),
	   const gchar *extra,
	   const gchar *code,
	   gsize *pos,
	   gsize *len)
{
	gchar buf[4];
	if (n != 3)
		FAIL(code, 0, n);
	memcpy(buf, d, 3);
	buf[3] = '\0';
	if (!g_ascii_isdigit(buf[0]) || !g_ascii_isdigit(buf[1]) || !g_ascii_isdigit(buf[2]))
		FAIL(code, 0, n);
	if (extra != NULL && strcmp(buf, extra) == 0)
		return NULL;
	if (!in(buf))
		FAIL(code, 0, n);
	return NULL;
}

static const gchar *
lint_iso3166(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_code3(d, n, st_gs1_is_iso3166_numeric, NULL, "not-iso3166", pos, len);
}

static const gchar *
lint_iso3166999(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_code3(d, n, st_gs1_is_iso3166_numeric, "999", "not-iso3166-or-999", pos, len);
}

static const gchar *
lint_iso4217(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	return lint_code3(d, n, st_gs1_is_iso4217_numeric, NULL, "not-iso4217", pos, len);
}

static const gchar *
lint_iso3166alpha2(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	gchar buf[3];
	if (n != 2)
		FAIL("not-iso3166-alpha2", 0, n);
	buf[0] = d[0];
	buf[1] = d[1];
	buf[2] = '\0';
	if (!st_gs1_is_iso3166_alpha2(buf))
		FAIL("not-iso3166-alpha2", 0, n);
	return NULL;
}

static const gchar *
lint_packagetype(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	if (!st_gs1_is_package_type(d, n))
		FAIL("invalid-package-type", 0, n);
	return NULL;
}

/* the countries of the SWIFT IBAN registry (with their IBAN lengths, for reference: the check
 * follows GS1 and holds every IBAN to the general 15 to 34 characters) */
static const struct {
	gchar cc[3];
	guint8 len;
} iban_lengths[] = {
	{"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
	{"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22},
	{"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20},
	{"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22},
	{"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HN", 28}, {"HR", 21},
	{"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30},
	{"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
	{"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
	{"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23},
	{"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22},
	{"RU", 33}, {"SA", 24}, {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24},
	{"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26},
	{"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

/* IBAN (ISO 13616): country, two check digits, the account; the whole rearranged (the first
 * four characters moved to the end, letters as 10 to 35) is 1 modulo 97 */
static const gchar *
lint_iban(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	gboolean known = FALSE;
	guint rem = 0;

	if (n < 5)
		FAIL("iban-too-short", 0, n);
	if (n > 34)
		FAIL("iban-too-long", 0, n);
	for (guint i = 0; i < G_N_ELEMENTS(iban_lengths); i++) {
		if (d[0] == iban_lengths[i].cc[0] && d[1] == iban_lengths[i].cc[1])
			known = TRUE;
	}
	if (!known)
		FAIL("illegal-iban-country-code", 0, 2);
	if (n < 15)
		FAIL("iban-too-short", 0, n);
	if (!g_ascii_isdigit(d[2]) || !g_ascii_isdigit(d[3]))
		FAIL("invalid-iban-character", g_ascii_isdigit(d[2]) ? 3 : 2, 1);
	for (gsize i = 4; i < n; i++) {
		if (!g_ascii_isdigit(d[i]) && !g_ascii_isupper(d[i]))
			FAIL("invalid-iban-character", i, 1);
	}
	for (gsize k = 0; k < n; k++) {
		gchar c = d[(k + 4) % n];
		if (g_ascii_isdigit(c))
			rem = (rem * 10 + (guint)(c - '0')) % 97;
		else
			rem = (rem * 100 + (guint)(c - 'A' + 10)) % 97;
	}
	if (rem != 1)
		FAIL("incorrect-iban-checksum", 2, 2);
	return NULL;
}

const gchar *
st_gs1_lint_coupon_code(const gchar *d, gsize n, gsize *pos, gsize *len);
const gchar *
st_gs1_lint_coupon_pos_offer(const gchar *d, gsize n, gsize *pos, gsize *len);

static const struct {
	const gchar *name;
	StGs1LintFunc func;
} linters[] = {
	{"couponcode", st_gs1_lint_coupon_code},
	{"couponposoffer", st_gs1_lint_coupon_pos_offer},
	{"cset39", lint_cset39},
	{"cset64", lint_cset64},
	{"cset82", lint_cset82},
	{"csetnumeric", lint_digits},
	{"csum", lint_csum},
	{"csumalpha", lint_csumalpha},
	{"gcppos1", lint_gcppos1},
	{"gcppos2", lint_gcppos2},
	{"hasnondigit", lint_hasnondigit},
	{"hh", lint_hh},
	{"hhmi", lint_hhmi},
	{"hyphen", lint_hyphen},
	{"iban", lint_iban},
	{"importeridx", lint_importeridx},
	{"iso3166", lint_iso3166},
	{"iso3166999", lint_iso3166999},
	{"iso3166alpha2", lint_iso3166alpha2},
	{"iso4217", lint_iso4217},
	{"iso5218", lint_iso5218},
	{"latitude", lint_latitude},
	{"longitude", lint_longitude},
	{"mediatype", lint_mediatype},
	{"mi", lint_mi},
	{"nonzero", lint_nonzero},
	{"nozeroprefix", lint_nozeroprefix},
	{"packagetype", lint_packagetype},
	{"pcenc", lint_pcenc},
	{"pieceoftotal", lint_pieceoftotal},
	{"posinseqslash", lint_posinseqslash},
	{"ss", lint_ss},
	{"winding", lint_winding},
	{"yesno", lint_yesno},
	{"yymmd0", lint_yymmd0},
	{"yymmdd", lint_yymmdd},
	{"yyyymmd0", lint_yyyymmd0},
	{"yyyymmdd", lint_yyyymmdd},
	{"zero", lint_zero},
};

StGs1LintFunc
st_gs1_lint_lookup(const gchar *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(linters); i++) {
		if (g_strcmp0(linters[i].name, name) == 0)
			return linters[i].func;
	}
	return NULL;
}
