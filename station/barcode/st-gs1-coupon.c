/*
 * The North American coupon codes carried in AI 8110 (coupon code) and AI 8112 (paperless
 * coupon, positive offer file), from GS1 US's coupon application guideline: digits only,
 * fields introduced by a variable length indicator (VLI) that says how many digits follow.
 *
 * 8110: company prefix VLI (0-6: 6 to 12 digits) and prefix, offer code (6), save value VLI
 * (1-5) and value, primary purchase requirement VLI (1-5) and requirement, its code (0-4, 9)
 * and family code (3); then optional fields in ascending order of their indicator:
 *   1 second purchase: rules code (0-3), requirement VLI (1-5) and requirement, code, family
 *     code (3), company prefix VLI (0-6, or 9 for "same as the primary") and prefix;
 *   2 third purchase: requirement VLI (1-5) and requirement, code, family code, prefix VLI
 *     and prefix;
 *   3 expiration date, 4 start date (YYMMDD, the start not after the expiry);
 *   5 serial number VLI (0-9: 6 to 15 digits) and number;
 *   6 retailer company prefix or GLN VLI (1-7: 7 to 13 digits) and the number;
 *   9 miscellaneous: save value code (0, 1, 2, 5, 6), applies to item (0-2), store coupon
 *     flag, don't-multiply flag (0-1).
 * 8112: format code (0 or 1), funder VLI (0-6) and funder prefix, offer code (6), serial
 * number VLI (0-9) and number.
 */
#include <string.h>

#include "st-gs1-lint.h"

const gchar *
st_gs1_lint_coupon_code(const gchar *d, gsize n, gsize *pos, gsize *len);
const gchar *
st_gs1_lint_coupon_pos_offer(const gchar *d, gsize n, gsize *pos, gsize *len);

#define FAIL ST_GS1_LINT_FAIL

/* a coupon's YYMMDD, checked like any GS1 date, as YYYYMMDD for comparison */
static gboolean
coupon_date(const gchar *d, guint *yyyymmdd)
{
	gsize pos, len;
	if (st_gs1_lint_lookup("yymmdd")(d, 6, &pos, &len) != NULL)
		return FALSE;
	*yyyymmdd = (guint)st_gs1_year_from_yy((guint)((d[0] - '0') * 10 + (d[1] - '0'))) * 10000 +
		    (guint)((d[2] - '0') * 10 + (d[3] - '0')) * 100 +
		    (guint)((d[4] - '0') * 10 + (d[5] - '0'));
	return TRUE;
}

/* a purchase requirement code: 0 units, 1 cash, 2 total transaction, 3 detail, 4 free, 9 none */
static gboolean
requirement_code_ok(gchar c)
{
	return (c >= '0' && c <= '4') || c == '9';
}

const gchar *
st_gs1_lint_coupon_code(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	const gchar *err;
	gsize i = 0;
	guint vli;
	gint last_field = 0;
	guint expiry = 0, start = 0;
	gsize expiry_at = 0;

	if ((err = st_gs1_lint_cset('N', d, n, pos, len)) != NULL)
		return err;

	/* primary company prefix */
	if (n < 1)
		FAIL("coupon-truncated-gcp", 0, 0);
	vli = (guint)(d[0] - '0');
	if (vli > 6)
		FAIL("coupon-invalid-gcp-length", 0, 1);
	if (n < 1 + vli + 6)
		FAIL("coupon-truncated-gcp", 1, n - 1);
	i = 1 + vli + 6;
	if (n < i + 6)
		FAIL("coupon-truncated-offer-code", i, n - i);
	i += 6;

	/* save value */
	if (i >= n)
		FAIL("coupon-missing-save-value-vli", 0, n);
	vli = (guint)(d[i] - '0');
	if (vli < 1 || vli > 5)
		FAIL("coupon-invalid-save-value-length", i, 1);
	if (n < i + 1 + vli)
		FAIL("coupon-truncated-save-value", 0, n);
	i += 1 + vli;

	/* primary purchase requirement */
	if (i >= n)
		FAIL("coupon-missing-1st-purchase-requirement-vli", 0, n);
	vli = (guint)(d[i] - '0');
	if (vli < 1 || vli > 5)
		FAIL("coupon-invalid-1st-purchase-requirement-length", i, 1);
	if (n < i + 1 + vli)
		FAIL("coupon-truncated-1st-purchase-requirement", 0, n);
	i += 1 + vli;
	if (i >= n)
		FAIL("coupon-missing-1st-purchase-requirement-code", 0, n);
	if (!requirement_code_ok(d[i]))
		FAIL("coupon-invalid-1st-purchase-requirement-code", i, 1);
	i++;
	if (n < i + 3)
		FAIL("coupon-truncated-1st-purchase-family-code", 0, n);
	i += 3;

	while (i < n) {
		gint field = d[i] - '0';
		gsize field_at = i;
		if (field <= last_field || field == 7 || field == 8)
			FAIL("coupon-excess-data", i, n - i);
		last_field = field;
		i++;
		switch (field) {
		case 1:
			if (i >= n)
				FAIL("coupon-missing-additional-purchase-rules-code", 0, n);
			if (d[i] > '3')
				FAIL("coupon-invalid-additional-purchase-rules-code", i, 1);
			i++;
			if (i >= n)
				FAIL("coupon-missing-2nd-purchase-requirement-vli", 0, n);
			vli = (guint)(d[i] - '0');
			if (vli < 1 || vli > 5)
				FAIL("coupon-invalid-2nd-purchase-requirement-length", i, 1);
			if (n < i + 1 + vli)
				FAIL("coupon-truncated-2nd-purchase-requirement", 0, n);
			i += 1 + vli;
			if (i >= n)
				FAIL("coupon-missing-2nd-purchase-requirement-code", 0, n);
			if (!requirement_code_ok(d[i]))
				FAIL("coupon-invalid-2nd-purchase-requirement-code", i, 1);
			i++;
			if (n < i + 3)
				FAIL("coupon-truncated-2nd-purchase-family-code", 0, n);
			i += 3;
			if (i >= n)
				FAIL("coupon-missing-2nd-purchase-gcp-vli", 0, n);
			vli = (guint)(d[i] - '0');
			if (vli == 9) {
				i++;
				break;
			}
			if (vli > 6)
				FAIL("coupon-invalid-2nd-purchase-gcp-length", i, 1);
			if (n < i + 1 + vli + 6)
				FAIL("coupon-truncated-2nd-purchase-gcp", 0, n);
			i += 1 + vli + 6;
			break;
		case 2:
			if (i >= n)
				FAIL("coupon-missing-3rd-purchase-requirement-vli", 0, n);
			vli = (guint)(d[i] - '0');
			if (vli < 1 || vli > 5)
				FAIL("coupon-invalid-3rd-purchase-requirement-length", i, 1);
			if (n < i + 1 + vli)
				FAIL("coupon-truncated-3rd-purchase-requirement", 0, n);
			i += 1 + vli;
			if (i >= n)
				FAIL("coupon-missing-3rd-purchase-requirement-code", 0, n);
			if (!requirement_code_ok(d[i]))
				FAIL("coupon-invalid-3rd-purchase-requirement-code", i, 1);
			i++;
			if (n < i + 3)
				FAIL("coupon-truncated-3rd-purchase-family-code", 0, n);
			i += 3;
			if (i >= n)
				FAIL("coupon-missing-3rd-purchase-gcp-vli", 0, n);
			vli = (guint)(d[i] - '0');
			if (vli == 9) {
				i++;
				break;
			}
			if (vli > 6)
				FAIL("coupon-invalid-3rd-purchase-gcp-length", i, 1);
			if (n < i + 1 + vli + 6)
				FAIL("coupon-truncated-3rd-purchase-gcp", i, n - i);
			i += 1 + vli + 6;
			break;
		case 3:
		case 4: {
			guint *date = field == 3 ? &expiry : &start;
			if (n < i + 6)
				FAIL(field == 3 ? "coupon-too-short-for-expiration-date"
						: "coupon-too-short-for-start-date",
				     i, n - i);
			if (!coupon_date(d + i, date))
				FAIL(field == 3 ? "coupon-invalid-exipiration-date"
						: "coupon-invalid-start-date",
				     i, 6);
			if (field == 3)
				expiry_at = field_at;
			i += 6;
			if (field == 4 && expiry != 0 && expiry < start)
				FAIL("coupon-expiration-before-start", expiry_at, i - expiry_at);
			break;
		}
		case 5:
			if (i >= n)
				FAIL("coupon-missing-serial-number-vli", 0, n);
			vli = (guint)(d[i] - '0');
			if (n < i + 1 + vli + 6)
				FAIL("coupon-truncated-serial-number", 0, n);
			i += 1 + vli + 6;
			break;
		case 6:
			if (i >= n)
				FAIL("coupon-missing-retailer-gcp-or-gln-vli", 0, n);
			vli = (guint)(d[i] - '0');
			if (vli < 1 || vli > 7)
				FAIL("coupon-invalid-retailer-gcp-or-gln-length", i, 1);
			if (n < i + 1 + vli + 6)
				FAIL("coupon-truncated-retailer-gcp-or-gln", 0, n);
			i += 1 + vli + 6;
			break;
		case 9:
			if (i >= n)
				FAIL("coupon-missing-save-value-code", 0, n);
			if (strchr("01256", d[i]) == NULL)
				FAIL("coupon-invalid-save-value-code", i, 1);
			i++;
			if (i >= n)
				FAIL("coupon-missing-save-value-applies-to-item", 0, n);
			if (d[i] > '2')
				FAIL("coupon-invalid-save-value-applies-to-item", i, 1);
			i++;
			if (i >= n)
				FAIL("coupon-missing-store-coupon-flag", 0, n);
			i++;
			if (i >= n)
				FAIL("coupon-missing-dont-multiply-flag", 0, n);
			if (d[i] > '1')
				FAIL("coupon-invalid-dont-multiply-flag", i, 1);
			i++;
			break;
		default:
			FAIL("coupon-excess-data", field_at, n - field_at);
		}
	}
	return NULL;
}

const gchar *
st_gs1_lint_coupon_pos_offer(const gchar *d, gsize n, gsize *pos, gsize *len)
{
	const gchar *err;
	gsize i;
	guint vli;

	if ((err = st_gs1_lint_cset('N', d, n, pos, len)) != NULL)
		return err;
	if (n < 1 || (d[0] != '0' && d[0] != '1'))
		FAIL("coupon-invalid-format-code", 0, n < 1 ? 0 : 1);
	if (n < 2)
		FAIL("coupon-missing-funder-vli", 0, n);
	vli = (guint)(d[1] - '0');
	if (vli > 6)
		FAIL("coupon-invalid-funder-length", 1, 1);
	if (n < 2 + vli + 6)
		FAIL("coupon-truncated-funder", 2, n - 2);
	i = 2 + vli + 6;
	if (n < i + 6)
		FAIL("coupon-truncated-offer-code", i, n - i);
	i += 6;
	if (i >= n)
		FAIL("coupon-missing-serial-number-vli", 0, n);
	vli = (guint)(d[i] - '0');
	if (n < i + 1 + vli + 6)
		FAIL("coupon-truncated-serial-number", i + 1, n - i - 1);
	i += 1 + vli + 6;
	if (i < n)
		FAIL("coupon-excess-data", i, n - i);
	return NULL;
}
