/*
 * Tests of carriers' tracking numbers and of the station's own barcodes.
 *
 * The tracking numbers are published ones, from outside the code under test: the valid and
 * invalid examples that the tracking_number_data project collected from real labels and from
 * the carriers' documentation (UPS 1Z5R89390357567127, FedEx 986578788855, USPS
 * 9400111201080805483016, DHL 3318810025, ...). An invalid example differs from a valid one in
 * its check digit, or was published as invalid.
 */
#include "station/st-error.h"

#include "st-barcode.h"
#include "st-label-data.h"
#include "st-config.h"

static StBarcode *
parse(const StBarcodePatterns *patterns, const gchar *text, const gchar *symbology)
{
	return st_barcode_parse_full(patterns, (const guint8 *)text, strlen(text), symbology,
				     ST_BARCODE_INPUT_SCAN);
}

typedef struct {
	const gchar *scan;
	gboolean valid;
	const gchar *carrier; /* NULL: not a tracking number */
	const gchar *format;
	const gchar *key;     /* NULL when invalid */
	const gchar *service; /* NULL: the number names none */
	gint position;	      /* of the fault, or -1 */
} Case;

static const Case cases[] = {
	/* UPS 1Z: service from the 9th and 10th characters */
	{"1Z5R89390357567127", TRUE, "UPS", "UPS 1Z", "1Z5R89390357567127", "Ground", -1},
	{"1Z879E930346834440", TRUE, "UPS", "UPS 1Z", "1Z879E930346834440", "Ground", -1},
	{"1Z410E7W0392751591", TRUE, "UPS", "UPS 1Z", "1Z410E7W0392751591", "Ground", -1},
	{"1Z8V92A70367203024", TRUE, "UPS", "UPS 1Z", "1Z8V92A70367203024", "Ground", -1},
	{"1Z999AA10123456784", TRUE, "UPS", "UPS 1Z", "1Z999AA10123456784", "Next Day Air", -1},
	{"1Z1111111111111111", FALSE, "UPS", "UPS 1Z", NULL, NULL, 17},
	{"1Z5R89390357567128", FALSE, "UPS", "UPS 1Z", NULL, NULL, 17},
	{"1Z5R8939035756712x", FALSE, "UPS", "UPS 1Z", NULL, NULL, 17},
	/* FedEx Express, 12 digits (those that are not also a valid UPC-A) */
	{"986578788855", TRUE, "FedEx", "FedEx Express", "986578788855", NULL, -1},
	{"477179081230", TRUE, "FedEx", "FedEx Express", "477179081230", NULL, -1},
	{"799531274483", TRUE, "FedEx", "FedEx Express", "799531274483", NULL, -1},
	{"790535312317", TRUE, "FedEx", "FedEx Express", "790535312317", NULL, -1},
	{"974367662710", TRUE, "FedEx", "FedEx Express", "974367662710", NULL, -1},
	/* FedEx 34-digit barcodes end with the 12-digit number */
	{"1001921334250001000300779017972697", TRUE, "FedEx", "FedEx Express 34-digit barcode",
	 "779017972697", NULL, -1},
	{"1001921380360001000300639585804382", TRUE, "FedEx", "FedEx Express 34-digit barcode",
	 "639585804382", NULL, -1},
	{"1002297871540001000300790695517286", TRUE, "FedEx", "FedEx Express 34-digit barcode",
	 "790695517286", NULL, -1},
	{"1001901781990001000300617767839438", FALSE, "FedEx", "FedEx Express 34-digit barcode",
	 NULL, NULL, 33},
	{"9622001900000000000000776632517510", TRUE, "FedEx", "FedEx Ground 34-digit barcode (GSN)",
	 "776632517510", NULL, -1},
	{"9632001560123456789900794808390594", TRUE, "FedEx", "FedEx Ground 34-digit barcode (GSN)",
	 "794808390594", NULL, -1},
	{"9622001560001234567100794808390595", FALSE, "FedEx",
	 "FedEx Ground 34-digit barcode (GSN)", NULL, NULL, 33},
	/* FedEx Ground: 15 digits, and its 22-digit "96" barcode */
	{"041441760228964", TRUE, "FedEx", "FedEx Ground", "041441760228964", NULL, -1},
	{"568283610012000", TRUE, "FedEx", "FedEx Ground", "568283610012000", NULL, -1},
	{"568283610012734", TRUE, "FedEx", "FedEx Ground", "568283610012734", NULL, -1},
	{"9611020987654312345672", TRUE, "FedEx", "FedEx Ground 96 barcode", "987654312345672",
	 NULL, -1},
	{"9600000000000000000001", FALSE, "FedEx", "FedEx Ground 96 barcode", NULL, NULL, 21},
	/* FedEx SmartPost: an IMpb without its 92 */
	{"61299998820821171811", TRUE, "FedEx", "FedEx SmartPost", "61299998820821171811",
	 "Ground Economy (delivered by USPS)", -1},
	/* USPS IMpb, 22 and 26 digits, bare or behind 420 + ZIP or ZIP+4 */
	{"9400111201080805483016", TRUE, "USPS", "USPS IMpb", "9400111201080805483016", NULL, -1},
	{"9361289878700317633795", TRUE, "USPS", "USPS IMpb", "9361289878700317633795", NULL, -1},
	{"9505511069605048600624", TRUE, "USPS", "USPS IMpb", "9505511069605048600624", NULL, -1},
	{"9101123456789000000013", TRUE, "USPS", "USPS IMpb", "9101123456789000000013", NULL, -1},
	{"9405803699300124287899", TRUE, "USPS", "USPS IMpb", "9405803699300124287899", NULL, -1},
	{"9261292700768711948021", TRUE, "USPS", "USPS IMpb", "9261292700768711948021", NULL, -1},
	{"92748931507708513018050063", TRUE, "USPS", "USPS IMpb", "92748931507708513018050063",
	 NULL, -1},
	{"420221539101026837331000039521", TRUE, "USPS", "USPS IMpb", "9101026837331000039521",
	 NULL, -1},
	{"4201002334249200190132607600833457", TRUE, "USPS", "USPS IMpb", "9200190132607600833457",
	 NULL, -1},
	{"4201028200009261290113185417468510", TRUE, "USPS", "USPS IMpb", "9261290113185417468510",
	 NULL, -1},
	{"4201028200009261290113185417468511", FALSE, "USPS", "USPS IMpb", NULL, NULL, 33},
	{"9261292700768711948020", FALSE, "USPS", "USPS IMpb", NULL, NULL, 21},
	{"9200000000000000000000", FALSE, "USPS", "USPS IMpb", NULL, NULL, 21},
	/* USPS 20 digits: its own check, or an IMpb without its 91 */
	{"03071790000523483741", TRUE, "USPS", "USPS 20-digit", "03071790000523483741", NULL, -1},
	{"71123456789123456787", TRUE, "USPS", "USPS 20-digit", "71123456789123456787",
	 "Certified Mail", -1},
	{"71969010756003077385", TRUE, "USPS", "USPS IMpb without its 91", "71969010756003077385",
	 NULL, -1},
	/* DHL Express: 10 or 11 digits mod 7; piece ids (licence plates) */
	{"3318810025", TRUE, "DHL", "DHL Express waybill", "3318810025", "Express", -1},
	{"8487135506", TRUE, "DHL", "DHL Express waybill", "8487135506", "Express", -1},
	{"1099255990", TRUE, "DHL", "DHL Express waybill", "1099255990", "Express", -1},
	{"3821724944", TRUE, "DHL", "DHL Express waybill", "3821724944", "Express", -1},
	{"73891051146", TRUE, "DHL", "DHL Express waybill", "73891051146", "Express", -1},
	/* piece ids have no check digit: taken only where [barcodes] couriers lists dhl
	 * (test_listed_couriers), otherwise noted as possible */
	{"JJD0099999999", TRUE, NULL, NULL, NULL, NULL, -1},
	{"JJD014600007191834526", TRUE, NULL, NULL, NULL, NULL, -1},
	/* UPU S10: service from the first letter, the country checked against ISO 3166 */
	{"RB123456785GB", TRUE, "postal operator of GB", "UPU S10", "RB123456785GB",
	 "registered letter", -1},
	{"EE123456785US", TRUE, "postal operator of US", "UPU S10", "EE123456785US",
	 "EMS (express mail service)", -1},
	{"CP123456785CF", TRUE, "postal operator of CF", "UPU S10", "CP123456785CF", "parcel", -1},
	{"RB123456786US", FALSE, "postal operator of US", "UPU S10", NULL, "registered letter", 10},
	{"RB123456785XX", FALSE, "postal operator of XX", "UPU S10", NULL, "registered letter", 11},
	/* lengths other codes share: a failed check leaves the scan unknown, not invalid */
	{"3318810010", TRUE, NULL, NULL, NULL, NULL, -1},
	{"3318810034", TRUE, NULL, NULL, NULL, NULL, -1},
	{"568283610012732", TRUE, NULL, NULL, NULL, NULL, -1},
	{"XJD0099999998", TRUE, NULL, NULL, NULL, NULL, -1},
	{"2Z5R89390357567127", TRUE, NULL, NULL, NULL, NULL, -1},
};

/* numbers without a check digit: a bench that lists the courier in [barcodes] couriers takes
 * them; another notes what they could be; an unknown courier code is refused by name */
static void
test_listed_couriers(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StBarcodePatterns) listed = st_barcode_patterns_new();
	g_autoptr(StBarcodePatterns) none = st_barcode_patterns_new();
	const gchar *numbers[][3] = {
		{"JJD014600007191834526", "DHL", "DHL Express piece id"},
		{"JJD0099999999", "DHL", "DHL Express piece id"},
		{"TBA123456789012", "Amazon", "Amazon Logistics"},
		{"GFUS01234567890123", "GOFO Express", "GOFO Express (US)"},
	};

	g_assert_true(st_barcode_patterns_set_couriers(listed, "dhl, Amazon,gofo", &error));
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(numbers); i++) {
		g_autoptr(StBarcode) taken = parse(listed, numbers[i][0], NULL);
		g_autoptr(StBarcode) noted = parse(none, numbers[i][0], NULL);
		g_autofree gchar *json = st_barcode_to_json(taken);
		g_test_message("%s -> %s", numbers[i][0], json);
		g_assert_cmpint(taken->kind, ==, ST_BARCODE_KIND_TRACKING);
		g_assert_true(taken->valid);
		g_assert_cmpstr(taken->carrier, ==, numbers[i][1]);
		g_assert_cmpstr(taken->format, ==, numbers[i][2]);
		g_assert_nonnull(strstr(taken->note, "check digit: a misread cannot be told"));
		g_assert_cmpint(noted->kind, ==, ST_BARCODE_KIND_UNKNOWN);
		g_assert_true(noted->valid);
		g_assert_nonnull(strstr(noted->note, "has numbers of this form"));
		g_assert_nonnull(strstr(noted->note, "[barcodes] couriers"));
	}
	g_assert_false(st_barcode_patterns_set_couriers(listed, "dhl,pony-express", &error));
	g_assert_error(error, ST_BARCODE_ERROR, ST_ERROR_INVALID_CONFIG);
	g_assert_nonnull(strstr(error->message, "pony-express"));
}

static void
test_cases(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		const Case *c = &cases[i];
		g_autoptr(StBarcode) b = parse(NULL, c->scan, NULL);
		g_autofree gchar *json = st_barcode_to_json(b);

		g_test_message("%s -> %s", c->scan, json);
		g_assert_cmpint(b->valid, ==, c->valid);
		g_assert_cmpstr(b->carrier, ==, c->carrier);
		g_assert_cmpstr(b->format, ==, c->format);
		g_assert_cmpstr(b->service, ==, c->service);
		g_assert_cmpint(b->position, ==, c->position);
		if (c->carrier != NULL) {
			g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_TRACKING);
			g_assert_cmpstr(b->key, ==, c->key);
			g_assert_true(c->valid == (b->reason == NULL));
		} else {
			g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_UNKNOWN);
			g_assert_null(b->key);
		}
	}
}

/* The mod 10 checks with weights 3 and 1 (USPS, FedEx Ground) catch every single wrong digit
 * in the digits they cover: each one makes the number invalid, or not that carrier's number at
 * all; never a valid number of it. Some digits are outside the check: the ZIP code behind 420
 * (USPS sorts by it; the tracking number leaves it out) and the SCNC and service code of a
 * FedEx Ground 96 barcode (the check covers its 15-digit number). */
static void
test_single_digit_errors(void)
{
	static const struct {
		const gchar *number;
		gsize checked_from;
	} numbers[] = {
		{"9400111201080805483016", 0},
		{"92748931507708513018050063", 0},
		{"420221539101026837331000039521", 8},
		{"9611020987654312345672", 7},
		{"041441760228964", 0},
	};
	for (guint n = 0; n < G_N_ELEMENTS(numbers); n++) {
		const gchar *number = numbers[n].number;
		g_autoptr(StBarcode) good = parse(NULL, number, NULL);
		g_assert_true(good->valid);
		for (gsize i = numbers[n].checked_from; number[i] != '\0'; i++) {
			for (gchar d = '0'; d <= '9'; d++) {
				g_autofree gchar *bad = g_strdup(number);
				g_autoptr(StBarcode) b = NULL;
				if (d == bad[i])
					continue;
				bad[i] = d;
				b = parse(NULL, bad, NULL);
				if (b->valid && b->kind == ST_BARCODE_KIND_TRACKING &&
				    g_strcmp0(b->format, good->format) == 0)
					g_error("%s read as a valid %s", bad, b->format);
			}
		}
	}
}

/* UPS doubles every other character without summing the digits of the product, so a digit
 * changed by 5 at a doubled position passes (2 x 5 = 10): those, and only those, go unseen */
static void
test_ups_blind_spot(void)
{
	const gchar *good = "1Z5R89390357567127";
	guint unseen = 0;
	for (gsize i = 2; i < 17; i++) {
		if (!g_ascii_isdigit(good[i]))
			continue;
		for (gchar d = '0'; d <= '9'; d++) {
			g_autofree gchar *bad = g_strdup(good);
			g_autoptr(StBarcode) b = NULL;
			gboolean doubled = (i - 2) % 2 == 1;
			if (d == bad[i])
				continue;
			bad[i] = d;
			b = parse(NULL, bad, NULL);
			g_assert_cmpint(b->valid, ==, doubled && ABS(d - good[i]) == 5);
			unseen += b->valid;
		}
	}
	g_assert_cmpuint(unseen, >, 0);
}

/* 34 digits after 420: ZIP+4 and a 22-digit IMpb, or a ZIP and a 26-digit one; the split
 * whose check digit holds is taken */
static void
test_impb_split(void)
{
	/* 420 + 12345 + 92748931507708513018050063 (26) */
	g_autoptr(StBarcode) b = parse(NULL, "4201234592748931507708513018050063", NULL);
	g_assert_true(b->valid);
	g_assert_cmpstr(b->key, ==, "92748931507708513018050063");
	g_assert_nonnull(strstr(b->note, "ZIP 12345"));
}

/* the two checks, written out plainly here for the test */
static gboolean
upca_ok(const gchar *d)
{
	guint sum = 0;
	for (guint i = 0; i < 12; i++)
		sum += (guint)(d[i] - '0') * (i % 2 == 0 ? 3 : 1);
	return sum % 10 == 0;
}

static gboolean
fedex_ok(const gchar *d)
{
	guint sum = 0;
	for (guint i = 0; i < 11; i++)
		sum += (guint)(d[i] - '0') * (i % 3 == 0 ? 3 : i % 3 == 1 ? 1 : 7);
	return sum % 11 % 10 == (guint)(d[11] - '0');
}

/* 12 digits: a valid UPC-A stays a product (and says when FedEx's check holds too); FedEx
 * Express only when the UPC-A check fails and FedEx's holds; else an invalid UPC-A */
static void
test_upca_or_fedex(void)
{
	guint seen[4] = {0};
	for (guint n = 0; n < 1000; n++) {
		g_autofree gchar *digits = g_strdup_printf("98657878%04u", n * 7);
		g_autoptr(StBarcode) b = parse(NULL, digits, NULL);
		gboolean upc = upca_ok(digits), fedex = fedex_ok(digits);
		seen[upc * 2 + fedex]++;
		if (upc) {
			g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_GTIN);
			g_assert_true(b->valid);
			g_assert_cmpint(b->note != NULL && strstr(b->note, "FedEx") != NULL, ==,
					fedex);
		} else if (fedex) {
			g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_TRACKING);
			g_assert_true(b->valid);
			g_assert_cmpstr(b->key, ==, digits);
		} else {
			g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_GTIN);
			g_assert_false(b->valid);
		}
	}
	for (guint i = 0; i < 4; i++)
		g_assert_cmpuint(seen[i], >, 0);
}

static void
test_station_defaults(void)
{
	g_autoptr(StBarcodePatterns) patterns = st_barcode_patterns_new();
	static const struct {
		const gchar *scan;
		StBarcodeKind kind;
		const gchar *key;
	} scans[] = {
		{"CMD-CANCEL", ST_BARCODE_KIND_COMMAND, "cancel"},
		{"CMD-NEW-BOX", ST_BARCODE_KIND_COMMAND, "new-box"},
		{"CMD-SHORT-PICK", ST_BARCODE_KIND_COMMAND, "short-pick"},
		{"OP-0042", ST_BARCODE_KIND_BADGE, "0042"},
		{"ORD-SO1001", ST_BARCODE_KIND_ORDER, "SO1001"},
		{"PL-7781", ST_BARCODE_KIND_PICK_LIST, "7781"},
		{"TOTE-0099", ST_BARCODE_KIND_TOTE, "0099"},
		{"LOC-A-01-02-03", ST_BARCODE_KIND_LOCATION, "A-01-02-03"},
		{"BOX-M2", ST_BARCODE_KIND_BOX_TYPE, "M2"},
		/* not the station's: the patterns are exact and anchored */
		{"LOC-", ST_BARCODE_KIND_UNKNOWN, NULL},
		{"XLOC-A1", ST_BARCODE_KIND_UNKNOWN, NULL},
		{"LOC-A1\n", ST_BARCODE_KIND_UNKNOWN, NULL},
		{"loc-a1", ST_BARCODE_KIND_UNKNOWN, NULL},
		{"4006381333931", ST_BARCODE_KIND_GTIN, "04006381333931"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(scans); i++) {
		g_autoptr(StBarcode) b = parse(patterns, scans[i].scan, NULL);
		g_assert_cmpint(b->kind, ==, scans[i].kind);
		g_assert_cmpstr(b->key, ==, scans[i].key);
		g_assert_true(b->valid);
	}
	/* without patterns, none is recognised */
	{
		g_autoptr(StBarcode) b = parse(NULL, "CMD-CANCEL", NULL);
		g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_UNKNOWN);
	}
	/* a GS1 symbology identifier says GS1, whatever the patterns */
	{
		g_autoptr(StBarcodePatterns) digits = st_barcode_patterns_new();
		g_autoptr(StBarcode) b = NULL;
		g_assert_true(
			st_barcode_patterns_set(digits, ST_BARCODE_KIND_LOCATION, "\\d+", NULL));
		b = parse(digits, "0109501101530003", "]C1");
		g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_GS1);
		g_clear_pointer(&b, st_barcode_free);
		b = parse(digits, "0109501101530003", NULL);
		g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_LOCATION);
	}
}

static void
test_commands(void)
{
	g_autoptr(StBarcodePatterns) patterns = st_barcode_patterns_new();
	g_autoptr(StBarcode) unknown = parse(patterns, "CMD-FLY", NULL);
	g_autoptr(StBarcodePatterns) loose = st_barcode_patterns_new();
	g_autoptr(StBarcode) underscore = NULL;

	g_assert_cmpint(unknown->kind, ==, ST_BARCODE_KIND_COMMAND);
	g_assert_false(unknown->valid);
	g_assert_nonnull(strstr(unknown->reason, "no command 'fly'"));
	g_assert_nonnull(strstr(unknown->reason, "reprint"));
	g_assert_null(unknown->key);

	/* a site's own command sheet: case and '_' do not matter */
	g_assert_true(st_barcode_patterns_set(loose, ST_BARCODE_KIND_COMMAND,
					      "(?i)\\*(?<key>[a-z_]+)\\*", NULL));
	underscore = parse(loose, "*Short_Pick*", NULL);
	g_assert_true(underscore->valid);
	g_assert_cmpstr(underscore->key, ==, "short-pick");
	for (const gchar *const *c = st_barcode_commands(); *c != NULL; c++) {
		g_autofree gchar *up = g_ascii_strup(*c, -1);
		g_autofree gchar *scan = g_strdup_printf("CMD-%s", up);
		g_autoptr(StBarcode) b = parse(patterns, scan, NULL);
		g_assert_true(b->valid);
		g_assert_cmpstr(b->key, ==, *c);
	}
}

static void
test_patterns_set(void)
{
	g_autoptr(StBarcodePatterns) patterns = st_barcode_patterns_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(StBarcode) b = NULL;

	/* a pattern that does not compile changes nothing and says why in the user's terms */
	g_assert_false(
		st_barcode_patterns_set(patterns, ST_BARCODE_KIND_TOTE, "TOTE-[0-9", &error));
	g_assert_error(error, ST_BARCODE_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "'TOTE-[0-9'"));
	g_assert_null(strstr(error->message, "\\A"));
	g_assert_cmpstr(st_barcode_patterns_get(patterns, ST_BARCODE_KIND_TOTE), ==,
			ST_BARCODE_PATTERN_TOTE);

	/* the patterns are matched as one expression: a group is referred to by name */
	g_clear_error(&error);
	g_assert_false(
		st_barcode_patterns_set(patterns, ST_BARCODE_KIND_TOTE, "(T)\\d+\\1", &error));
	g_assert_error(error, ST_BARCODE_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "by number"));
	g_assert_true(st_barcode_patterns_set(patterns, ST_BARCODE_KIND_TOTE,
					      "(?<t>[TC])\\d+\\k<t>", NULL));
	b = parse(patterns, "T12T", NULL);
	g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_TOTE);
	g_clear_pointer(&b, st_barcode_free);
	b = parse(patterns, "T12C", NULL);
	g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_UNKNOWN);
	g_clear_pointer(&b, st_barcode_free);

	/* no key group: the whole scan is the key; an alternation is anchored as a whole */
	g_assert_true(
		st_barcode_patterns_set(patterns, ST_BARCODE_KIND_TOTE, "T\\d{4}|C\\d{3}", NULL));
	b = parse(patterns, "C123", NULL);
	g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_TOTE);
	g_assert_cmpstr(b->key, ==, "C123");
	g_clear_pointer(&b, st_barcode_free);
	b = parse(patterns, "T12345", NULL);
	g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_UNKNOWN);
	g_clear_pointer(&b, st_barcode_free);

	/* the earlier kind wins: a badge pattern that also matches an order number */
	g_assert_true(st_barcode_patterns_set(patterns, ST_BARCODE_KIND_BADGE, "ORD-.*", NULL));
	b = parse(patterns, "ORD-77", NULL);
	g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_BADGE);
	g_clear_pointer(&b, st_barcode_free);

	/* empty turns a kind off */
	g_assert_true(st_barcode_patterns_set(patterns, ST_BARCODE_KIND_BADGE, "", NULL));
	g_assert_null(st_barcode_patterns_get(patterns, ST_BARCODE_KIND_BADGE));
	b = parse(patterns, "ORD-77", NULL);
	g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_ORDER);
}

/* [barcodes] in the configuration file: read as written, checked with the line */
static void
test_config(void)
{
	static const gchar good[] = "[barcodes]\n"
				    "location = [A-Z]-\\d\\d-\\d\\d\n"
				    "box-type =\n"
				    "order = (?i)SO-(?<key>\\d+)\n";
	static const gchar bad[] = "[station]\nid = vm\n[barcodes]\n"
				   "tote = (T\\d+\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = st_config_load_data(good, sizeof(good) - 1, "t.conf", &error);
	g_autoptr(StConfig) none = NULL;
	g_autoptr(StBarcode) loc = NULL;
	g_autoptr(StBarcode) box = NULL;
	g_autoptr(StBarcode) order = NULL;
	g_autoptr(StBarcode) tote = NULL;

	g_assert_no_error(error);
	loc = parse(config->barcode_patterns, "A-01-02", NULL);
	box = parse(config->barcode_patterns, "BOX-S", NULL);
	order = parse(config->barcode_patterns, "so-1001", NULL);
	tote = parse(config->barcode_patterns, "TOTE-1", NULL);
	g_assert_cmpint(loc->kind, ==, ST_BARCODE_KIND_LOCATION);
	g_assert_cmpint(box->kind, ==, ST_BARCODE_KIND_UNKNOWN);
	g_assert_cmpint(order->kind, ==, ST_BARCODE_KIND_ORDER);
	g_assert_cmpstr(order->key, ==, "1001");
	g_assert_cmpint(tote->kind, ==, ST_BARCODE_KIND_TOTE); /* the default stays */

	none = st_config_load_data(bad, sizeof(bad) - 1, "t.conf", &error);
	g_assert_null(none);
	g_assert_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG);
	g_assert_nonnull(strstr(error->message, "t.conf:4"));
	g_assert_nonnull(strstr(error->message, "tote"));
	g_assert_nonnull(strstr(error->message, "missing"));
}

/* the checks label templates ask for ("check": ...), by the station's interpretation */
static void
label_check(const gchar *check, const gchar *value, gboolean ok, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_assert_cmpint(st_label_check_value(check, value, NULL, &error), ==, ok);
	if (!ok) {
		g_test_message("%s", error->message);
		g_assert_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, needle));
	}
}

static void
test_label_checks(void)
{
	label_check("tracking", "1Z999AA10123456784", TRUE, NULL);
	label_check("tracking", "1Z999AA10123456785", FALSE, "not a valid tracking");
	label_check("tracking", "4006381333931", FALSE, "reads as gtin");
	label_check("sscc", "095011010000000018", TRUE, NULL);
	label_check("sscc", "095011010000000019", FALSE, "not a valid sscc");
	label_check("gtin", "4006381333931", TRUE, NULL);
	label_check("gtin", "1Z999AA10123456784", FALSE, "not a gtin");
	/* per barcode: (37) without (00) is accepted, a wrong GTIN check digit is not */
	label_check("gs1", "(02)09501101530003(37)24", TRUE, NULL);
	label_check("gs1", "(02)09501101530004(37)24", FALSE, "not valid GS1 data");
	label_check("weight", "1", FALSE, "unknown check");
	/* the carrier named too; bracketed GS1 data (a USPS IMpb) read as scanned */
	label_check("tracking:ups", "1Z999AA10123456784", TRUE, NULL);
	label_check("tracking:UPS", "1Z999AA10123456784", TRUE, NULL);
	label_check("tracking:usps", "1Z999AA10123456784", FALSE,
		    "is a UPS tracking number, not usps");
	label_check("tracking:usps", "(420)08102(92)05590164917312751089", TRUE, NULL);
	label_check("tracking:usps", "(420)08102(92)05590164917312751088", FALSE,
		    "not a valid usps tracking number");
	label_check("tracking:fedex", "1001901781000000810200012345678983", TRUE, NULL);
	label_check("tracking:fedex", "ORD-1001", FALSE, "not a valid fedex tracking number");
	label_check("trackingx", "1Z999AA10123456784", FALSE, "unknown check");
	/* a label's number comes from the carrier: couriers without a check digit count there
	 * whatever [barcodes] couriers lists (that is for scans) */
	label_check("tracking:amazon", "TBA123456789012", TRUE, NULL);
	label_check("tracking:yodel", "JD0123456789012345", TRUE, NULL);
	label_check("tracking:yodel", "1Z999AA10123456784", FALSE, "is a UPS tracking number");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/station/tracking/cases", test_cases);
	g_test_add_func("/station/tracking/listed-couriers", test_listed_couriers);
	g_test_add_func("/station/tracking/single-digit-errors", test_single_digit_errors);
	g_test_add_func("/station/tracking/ups-blind-spot", test_ups_blind_spot);
	g_test_add_func("/station/tracking/impb-split", test_impb_split);
	g_test_add_func("/station/tracking/upca-or-fedex", test_upca_or_fedex);
	g_test_add_func("/station/station-barcodes/defaults", test_station_defaults);
	g_test_add_func("/station/station-barcodes/commands", test_commands);
	g_test_add_func("/station/station-barcodes/set", test_patterns_set);
	g_test_add_func("/station/station-barcodes/config", test_config);
	g_test_add_func("/station/label-checks", test_label_checks);
	return g_test_run();
}
