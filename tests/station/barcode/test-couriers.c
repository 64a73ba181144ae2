/*
 * The couriers' rules as data (station/barcode/tracking, st-couriers.c): each check-digit
 * algorithm with a worked example, each courier's numbers valid and invalid, single-character
 * changes, and the precedence between couriers and GS1 codes.
 *
 * The sample numbers do not come from the data's own samples (removed from the shipped copy):
 * they are the carriers' published examples (UPS 1Z999AA10123456784 from UPS's developer
 * documentation, DHL 3318810025, FedEx 986578788855), the algorithms' textbook examples
 * (Luhn's 79927398713), or numbers computed by hand from the rules, the computation in the
 * comment beside them.
 */
#include <string.h>

#include "station/st-error.h"

#include "st-barcode.h"
#include "st-check-digit.h"
#include "st-couriers.h"

static StBarcode *
parse(const StBarcodePatterns *patterns, const gchar *text)
{
	return st_barcode_parse_full(patterns, (const guint8 *)text, strlen(text), NULL,
				     ST_BARCODE_INPUT_SCAN);
}

static const StCourierRule *
rule(const gchar *id)
{
	for (guint i = 0; i < st_n_courier_rules; i++) {
		if (g_strcmp0(st_courier_rules[i].id, id) == 0)
			return &st_courier_rules[i];
	}
	g_error("no courier rule %s", id);
}

/* one worked example per algorithm the data names */
static void
test_algorithms(void)
{
	guint due = 0;

	/* mod10 with multipliers (UPS 1Z999AA10123456784): the 15 characters after 1Z,
	 * letters as (code - 3) mod 10 (A = 65 - 3 = 62: 2), are 9 9 9 2 2 1 0 1 2 3 4 5 6 7
	 * 8; the even positions (0-based) sum to 40, times 1; the odd ones to 28, times 2: 96;
	 * 10 - 96 mod 10 = 4 */
	g_assert_cmpuint(st_check_digit_mod10_weighted("999AA1012345678", 15, 1, 2, 10, FALSE), ==,
			 4);
	g_assert_true(st_courier_check_ok(rule("ups"), "999AA1012345678", 15, '4', &due));
	g_assert_false(st_courier_check_ok(rule("ups"), "999AA1012345678", 15, '3', &due));
	g_assert_cmpuint(due, ==, 4);

	/* mod7 (DHL 3318810025): 331881002 mod 7 = 5 */
	g_assert_true(st_courier_check_ok(rule("dhl_express"), "331881002", 9, '5', &due));
	g_assert_false(st_courier_check_ok(rule("dhl_express"), "331881002", 9, '6', &due));

	/* Luhn (79927398713): from the right, every other digit doubled (1 7 9 3 8 9 -> 2 14
	 * 18 6 16 18, less 9 above 9), the others as they are: 67; 10 - 7 = 3 */
	g_assert_cmpuint(st_check_digit_luhn("7992739871", 10), ==, 3);
	g_assert_true(st_courier_check_ok(rule("old_dominion"), "0721234567", 10, '7', &due));

	/* S10 (RR123456785GB): 1 2 3 4 5 6 7 8 times 8 6 4 2 3 5 9 7 = 8 + 12 + 12 + 8 + 15 +
	 * 30 + 63 + 56 = 204; 204 mod 11 = 6; 11 - 6 = 5 (10 would give 0, 11 give 5) */
	g_assert_cmpuint(st_check_digit_s10("12345678"), ==, 5);
	g_assert_true(st_courier_check_ok(rule("s10"), "12345678", 8, '5', &due));

	/* ISO 7064 MOD 37,36 (DPD): p = 36; for each character p = (p + value) mod 36 (0 gives
	 * 36), then p = 2p mod 37. For 01234567890123 p runs 35 35 2 10 28 29 33 8 32 10 20 5
	 * 14 34; the check is (37 - 34) mod 36 = 3 */
	g_assert_cmpint(st_check_digit_iso7064_hybrid("01234567890123", 14,
						      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 36),
			==, 3);
	g_assert_true(st_courier_check_ok(rule("dpd_14"), "01234567890123", 14, '3', &due));
	g_assert_false(st_courier_check_ok(rule("dpd_14"), "01234567890123", 14, 'A', &due));

	/* the weighted sum, mod 11, mod 10 (FedEx 986578788855): 9 8 6 5 7 8 7 8 8 8 5 times
	 * 3 1 7 3 1 7 3 1 7 3 1 = 269; 269 mod 11 = 5; 5 mod 10 = 5 */
	g_assert_true(st_courier_check_ok(rule("fedex_12"), "98657878885", 11, '5', &due));
	g_assert_false(st_courier_check_ok(rule("fedex_12"), "98657878885", 11, '4', &due));
}

typedef struct {
	const gchar *scan;
	const gchar *carrier; /* NULL: not taken as a tracking number */
	const gchar *format;
	gboolean valid;
} Case;

/* each courier of the data: a valid number and one that is not (its check digit changed, or
 * not of the form); those without a check digit are read with the courier listed */
static void
test_couriers(void)
{
	static const Case cases[] = {
		/* Canada Post: 15 digits, mod 10 weights 3 and 1: 702321003941460 -> 4 */
		{"7023210039414604", "Canada Post", "Canada Post (16)", TRUE},
		{"7023210039414605", NULL, NULL, TRUE},
		/* DHL Express: the published 3318810025 (mod 7) */
		{"3318810025", "DHL", "DHL Express waybill", TRUE},
		{"3318810026", NULL, NULL, TRUE},
		/* DPD: 14 digits and a MOD 37,36 character (see test_algorithms), and 27 + 1 */
		{"012345678901233", "DPD", "DPD (14)", TRUE},
		{"01234567890123A", "DPD", "DPD (14)", FALSE},
		{"0123456123456789012341012764", "DPD", "DPD (28)", TRUE},
		{"0123456123456789012341012765", NULL, NULL, TRUE},
		/* FedEx Express: the published 986578788855 */
		{"986578788855", "FedEx", "FedEx Express", TRUE},
		/* Old Dominion: 072 1234567, Luhn -> 7; 80 12345678, Luhn -> 4 */
		{"07212345677", "Old Dominion Freight Line", "Old Dominion", TRUE},
		{"80123456784", "Old Dominion Freight Line", "Old Dominion Guaranteed Shipment",
		 TRUE},
		{"07212345678", NULL, NULL, TRUE},
		/* OnTrac: C or D, 13 digits, mod 10 weights 1 and 2: 1234567890123 -> 7,
		 * 1234567890124 -> 6 */
		{"C12345678901237", "OnTrac", "OnTrac", TRUE},
		{"D12345678901246", "OnTrac", "OnTrac D", TRUE},
		{"C12345678901238", "OnTrac", "OnTrac", FALSE},
		/* Purolator: 12 digits, Luhn: 12345678901 -> 5 */
		{"123456789015", "Purolator", "Purolator (12)", TRUE},
		/* UPS: the published 1Z999AA10123456784; a waybill V 987654321 -> 5 */
		{"1Z999AA10123456784", "UPS", "UPS 1Z", TRUE},
		{"V9876543215", "UPS", "UPS Waybill", TRUE},
		{"V9876543216", "UPS", "UPS Waybill", FALSE},
		/* S10: RR 12345678 5 GB, the United Kingdom's operator */
		{"RR123456785GB", "postal operator of GB", "UPU S10", TRUE},
		/* USPS: a 20-digit number, weights 3 and 1: 7112345678901234567 -> 3 */
		{"71123456789012345673", "USPS", "USPS 20-digit", TRUE},
		/* without a check digit: listed below, so taken; a number of another form not */
		{"TBA123456789012", "Amazon", "Amazon Logistics", TRUE},
		{"A1234567890", "Amazon", "Amazon International", TRUE},
		{"D123456789012345678901", "Canpar", "Canpar (22)", TRUE},
		{"GM2951173225174494", "DHL", "DHL E-Commerce", TRUE},
		{"GFUS01234567890123", "GOFO Express", "GOFO Express (US)", TRUE},
		{"LTN12345678N1", "Landmark Global LTN", "Landmark Global LTN", TRUE},
		{"LX11234567", "LaserShip", "LaserShip LX", TRUE},
		{"1LS711234123456", "LaserShip", "LaserShip 1LS7 (15)", TRUE},
		{"1LS7112011123456-1", "LaserShip", "LaserShip 1LS7 (18)", TRUE},
		{"1LSCX1234567890", "LaserShip", "LaserShip 1LSCX (15)", TRUE},
		{"ABC123456789", "Purolator", "Purolator (alpha + 9)", TRUE},
		{"SP123456789012345678", "Spee-Dee Delivery", "Spee-Dee (20)", TRUE},
		{"YT1234567890123456", "YunExpress", "YunExpress", TRUE},
		{"JJD0123456789012345", "DHL", "DHL Express piece id", TRUE},
		{"TBX123456789012", NULL, NULL, TRUE},
		{"GFUS0123456789012", NULL, NULL, TRUE},
		{"LTN12345678N2", NULL, NULL, TRUE},
		{"SP12345678901234567", NULL, NULL, TRUE},
		{"B123456789012345678901", NULL, NULL, TRUE}, /* Canpar: not one of its letters */
		{"GM12345", NULL, NULL, TRUE},		      /* DHL e-commerce: too short */
		{"LX41234567", NULL, NULL, TRUE},	      /* LaserShip LX: 1 to 3 after LX */
		{"123456789016", NULL, "UPC-A", FALSE},	      /* Purolator: Luhn gives 5, a UPC-A
							       * misread then */
		{"YT123456789012345", NULL, NULL, TRUE},      /* YunExpress: 16 digits */
		{"JJD0123456789012345678901", NULL, NULL,
		 TRUE}, /* Yodel: 16 digits; DHL: 21 at most */
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(StBarcodePatterns) patterns = st_barcode_patterns_new();
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

	g_assert_true(st_barcode_patterns_set_couriers(
		patterns,
		"amazon,canpar,dhl,gofo,landmark,lasership,purolator,speedee,yodel,yunexpress",
		&error));
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		const Case *c = &cases[i];
		g_autoptr(StBarcode) b = parse(patterns, c->scan);
		g_autofree gchar *json = st_barcode_to_json(b);
		g_test_message("%s -> %s", c->scan, json);
		g_assert_cmpint(b->valid, ==, c->valid);
		g_assert_cmpstr(b->carrier, ==, c->carrier);
		g_assert_cmpstr(b->format, ==, c->format);
		if (c->carrier != NULL) {
			g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_TRACKING);
			if (c->valid)
				g_hash_table_add(seen, (gpointer)c->carrier);
		} else {
			g_assert_cmpint(b->kind, !=, ST_BARCODE_KIND_TRACKING);
		}
	}
	/* Yodel: JJD or JD and 16 digits, shared with DHL's piece ids: listed alone, Yodel's */
	{
		g_autoptr(StBarcodePatterns) yodel = st_barcode_patterns_new();
		g_autoptr(StBarcode) b = NULL;
		g_assert_true(st_barcode_patterns_set_couriers(yodel, "yodel", NULL));
		b = parse(yodel, "JD0123456789012345");
		g_assert_cmpstr(b->carrier, ==, "Yodel");
		g_assert_true(b->valid);
		g_hash_table_add(seen, (gpointer) "Yodel");
	}
	/* every courier of the data has a number above */
	for (guint i = 0; i < st_n_courier_rules; i++) {
		const gchar *name = st_courier_rules[i].courier;
		gboolean found = g_hash_table_contains(seen, name) ||
				 g_str_has_prefix(name, "S10") || /* postal operators */
				 g_strcmp0(name, "United States Postal Service") == 0; /* USPS */
		if (!found)
			g_error("no valid number of %s in this test", name);
	}
}

/* every single-character change of a number is refused where the algorithm is made to catch
 * it: Luhn, mod 10 with weights 3 and 1, S10 and MOD 37,36 catch every one; mod 10 with
 * weights 1 and 2 all but a digit changed by 5 at a doubled position (2 x d and 2 x (d + 5)
 * are the same mod 10: 2 <-> 7 in C12345678901237 passes) */
static void
test_single_changes(void)
{
	static const struct {
		const gchar *number;
		const gchar *format;
		gboolean doubled_blind; /* d <-> d + 5 at a position times 2 passes */
		guint from, to;		/* the characters the check covers */
	} numbers[] = {
		{"07212345677", "Old Dominion", FALSE, 0, 11},
		{"123456789015", "Purolator (12)", FALSE, 0, 12},
		{"7023210039414604", "Canada Post (16)", FALSE, 0, 16},
		{"012345678901233", "DPD (14)", FALSE, 0, 15},
		{"C12345678901237", "OnTrac", TRUE, 1, 15},
		{"V9876543215", "UPS Waybill", TRUE, 1, 11},
	};
	for (guint n = 0; n < G_N_ELEMENTS(numbers); n++) {
		const gchar *number = numbers[n].number;
		for (guint i = numbers[n].from; i < numbers[n].to; i++) {
			for (gchar d = '0'; d <= '9'; d++) {
				g_autofree gchar *bad = g_strdup(number);
				g_autoptr(StBarcode) b = NULL;
				gboolean blind;
				if (d == bad[i])
					continue;
				blind = numbers[n].doubled_blind && i < numbers[n].to - 1 &&
					(i - numbers[n].from) % 2 == 1 && ABS(bad[i] - d) == 5;
				bad[i] = d;
				b = parse(NULL, bad);
				if (blind)
					continue;
				if (b->valid && g_strcmp0(b->format, numbers[n].format) == 0)
					g_error("%s (from %s) passes as %s", bad, number,
						numbers[n].format);
			}
		}
	}
}

/* which reading wins when a scan fits several */
static void
test_precedence(void)
{
	g_autoptr(StBarcodePatterns) dhl = st_barcode_patterns_new();
	g_assert_true(st_barcode_patterns_set_couriers(dhl, "dhl", NULL));

	/* 14 digits: a GTIN-14 whose check holds is a GTIN even where DHL e-commerce (no check
	 * digit) collects; one whose check fails is DHL's there, and elsewhere an invalid
	 * GTIN-14 that notes DHL's form */
	{
		g_autoptr(StBarcode) gtin = parse(dhl, "12345678901231");
		g_autoptr(StBarcode) taken = parse(dhl, "12345678901234");
		g_autoptr(StBarcode) noted = parse(NULL, "12345678901234");
		g_assert_cmpint(gtin->kind, ==, ST_BARCODE_KIND_GTIN);
		g_assert_true(gtin->valid);
		g_assert_cmpint(taken->kind, ==, ST_BARCODE_KIND_TRACKING);
		g_assert_cmpstr(taken->format, ==, "DHL E-Commerce (14)");
		g_assert_true(taken->valid);
		g_assert_cmpint(noted->kind, ==, ST_BARCODE_KIND_GTIN);
		g_assert_false(noted->valid);
		g_assert_nonnull(strstr(noted->note, "DHL E-Commerce (14)"));
	}
	/* 12 digits: a valid UPC-A that is also a valid FedEx number is the UPC-A (noted); one
	 * whose UPC-A check fails and FedEx's holds is FedEx's */
	{
		g_autoptr(StBarcode) upca = parse(NULL, "123456789012");
		g_autoptr(StBarcode) fedex = parse(NULL, "986578788855");
		g_assert_cmpint(upca->kind, ==, ST_BARCODE_KIND_GTIN);
		g_assert_nonnull(strstr(upca->note, "FedEx"));
		g_assert_cmpint(fedex->kind, ==, ST_BARCODE_KIND_TRACKING);
		g_assert_cmpstr(fedex->carrier, ==, "FedEx");
	}
	/* 20 digits: 00 and a valid SSCC is the SSCC (USPS's 20-digit check over the same
	 * digits is the same arithmetic, so the two never disagree); a USPS number not behind
	 * 00 is USPS's */
	{
		g_autoptr(StBarcode) sscc = parse(NULL, "00106141411234567897");
		g_autoptr(StBarcode) usps = parse(NULL, "71123456789012345673");
		g_assert_cmpint(sscc->kind, ==, ST_BARCODE_KIND_SSCC);
		g_assert_true(sscc->valid);
		g_assert_cmpint(usps->kind, ==, ST_BARCODE_KIND_TRACKING);
		g_assert_cmpstr(usps->carrier, ==, "USPS");
	}
	/* a check that fails where a courier without one fits: not called invalid */
	{
		g_autoptr(StBarcode) b = parse(NULL, "A1234567890");
		g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_UNKNOWN);
		g_assert_true(b->valid);
		g_assert_nonnull(strstr(b->note, "Amazon International"));
		g_assert_nonnull(strstr(b->note, "UPS Waybill"));
	}
}

/* tracking numbers carry their courier's tracking page */
static void
test_urls(void)
{
	g_autoptr(StBarcode) ups = parse(NULL, "1Z999AA10123456784");
	g_autoptr(StBarcode) canada = parse(NULL, "7023210039414604");
	g_assert_cmpstr(ups->tracking_url, ==,
			"https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums="
			"1Z999AA10123456784");
	g_assert_true(g_str_has_suffix(canada->tracking_url, "searchFor=7023210039414604"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/station/couriers/algorithms", test_algorithms);
	g_test_add_func("/station/couriers/couriers", test_couriers);
	g_test_add_func("/station/couriers/single-changes", test_single_changes);
	g_test_add_func("/station/couriers/precedence", test_precedence);
	g_test_add_func("/station/couriers/urls", test_urls);
	return g_test_run();
}
