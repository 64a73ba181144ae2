/*
 * Tests of product-code interpretation. Expected values come from outside the code under
 * test: published examples (Wikipedia's UPC-E 04252614 = UPC-A 042100005264, GS1's GTIN-14
 * 10614141000415), and expansions worked out by hand from the GS1 zero-suppression rules.
 * Shipping: GS1's SSCC example 106141411234567897, UPS's published 1Z999AA10123456784 and
 * 1Z2203480342495730 from an unrelated public example, FedEx's 012345678983 from its check
 * digit documentation; the S10 and USPS numbers below had their check digits worked out by
 * hand from the published algorithms.
 */
#include "st-barcode.h"
#include "st-gs1.h"

static StBarcode *
parse(const gchar *text, const gchar *symbology)
{
	return st_barcode_parse((const guint8 *)text, strlen(text), symbology);
}

typedef struct {
	const gchar *scan;
	const gchar *symbology;
	gboolean valid;
	const gchar *format;
	const gchar *gtin14; /* the key: GTIN-14, SSCC or tracking number; NULL when invalid */
	gint position;
} Case;

static const Case cases[] = {
	/* EAN-13, valid and with each kind of single-digit fault */
	{"4006381333931", NULL, TRUE, "EAN-13", "04006381333931", -1},
	{"4006381333932", NULL, FALSE, "EAN-13", NULL, 12},
	{"4006381332931", NULL, FALSE, "EAN-13", NULL, 12},
	{"9780201379624", NULL, TRUE, "EAN-13", "09780201379624", -1},
	/* UPC-A and its GTIN-14 */
	{"012345678905", NULL, TRUE, "UPC-A", "00012345678905", -1},
	{"012345678900", NULL, FALSE, "UPC-A", NULL, 11},
	/* GTIN-8 and GTIN-14 (GS1's example) */
	{"96385074", NULL, TRUE, "GTIN-8", "00000096385074", -1},
	{"10614141000415", NULL, TRUE, "GTIN-14", "10614141000415", -1},
	{"10614141000416", NULL, FALSE, "GTIN-14", NULL, 13},
	/* UPC-E, each expansion rule (told from an EAN-8 by the check digit) */
	{"01234531", NULL, TRUE, "UPC-E", "00012300000451", -1},
	{"01234543", NULL, TRUE, "UPC-E", "00012340000053", -1},
	/* AIM identifiers (ISO/IEC 15424): ]E0 carries 13 digits, a UPC-E expanded to its
	 * UPC-A with a leading 0 (Wikipedia's 04252614 = 042100005264); ]E4 the 8 of an EAN-8
	 * (Wikipedia's 96385074), never a UPC-E; another length is the scanner's setting */
	{"0042100005264", "]E0", TRUE, "EAN-13", "00042100005264", -1},
	{"96385074", "]E4", TRUE, "GTIN-8", "00000096385074", -1},
	{"04252614", "]E4", FALSE, "GTIN-8", NULL, 7},
	{"04252614", "]E0", FALSE, "EAN-13", NULL, 8},
	{"042100005264", "]E0", FALSE, "EAN-13", NULL, 12},
	{"963850745", "]E4", FALSE, "EAN-8", NULL, 8},
	/* the same 8 digits without a symbology: a valid EAN-8 wins */
	{"01234565", NULL, TRUE, "GTIN-8", "00000001234565", -1},
	/* not an EAN-8 check digit, but a valid UPC-E */
	{"04252614", NULL, TRUE, "UPC-E", "00042100005264", -1},
	/* SSCC, bare and behind AI 00 */
	{"106141411234567897", NULL, TRUE, "SSCC-18", "106141411234567897", -1},
	{"00106141411234567897", NULL, TRUE, "SSCC-18", "106141411234567897", -1},
	{"106141411234567891", NULL, FALSE, "SSCC-18", NULL, 17},
	/* an SSCC whose check fails, yet FedEx Ground's check of its last 16 digits holds: the
	 * courier's number, not a misread SSCC */
	{"106141411234567890", NULL, TRUE, "FedEx Ground (SSCC-18)", "106141411234567890", -1},
	{"00106141411234567890", NULL, FALSE, "SSCC-18", NULL, 19},
	/* UPS */
	{"1Z999AA10123456784", NULL, TRUE, "UPS 1Z", "1Z999AA10123456784", -1},
	{"1Z2203480342495730", NULL, TRUE, "UPS 1Z", "1Z2203480342495730", -1},
	{"1Z999AA10123456785", NULL, FALSE, "UPS 1Z", NULL, 17},
	{"1Z999AB10123456784", NULL, FALSE, "UPS 1Z", NULL, 17},
	{"1Z999aa10123456784", NULL, FALSE, "UPS 1Z", NULL, 5},
	/* FedEx Express: 12 digits that are not a valid UPC-A */
	{"012345678983", NULL, TRUE, "FedEx Express", "012345678983", -1},
	/* USPS IMpb, bare and behind 420 + ZIP and 420 + ZIP+4 */
	{"9205500000000000000001", NULL, TRUE, "USPS IMpb", "9205500000000000000001", -1},
	{"9205500000000000000002", NULL, FALSE, "USPS IMpb", NULL, 21},
	{"420123459205500000000000000001", NULL, TRUE, "USPS IMpb", "9205500000000000000001", -1},
	{"420123456789"
	 "9205500000000000000001",
	 NULL, TRUE, "USPS IMpb", "9205500000000000000001", -1},
	{"420123459205500000000000000009", NULL, FALSE, "USPS IMpb", NULL, 29},
	/* UPU S10 */
	{"RR123456785DE", NULL, TRUE, "UPU S10", "RR123456785DE", -1},
	{"EA000000005US", NULL, TRUE, "UPU S10", "EA000000005US", -1},
	{"EA000000000US", NULL, FALSE, "UPU S10", NULL, 10},
	/* not product codes: kept as text, nothing wrong */
	{"ORD-1001", NULL, TRUE, NULL, NULL, -1},
	{"12345", NULL, TRUE, NULL, NULL, -1},
	{"123456789012345", NULL, TRUE, NULL, NULL, -1},
};

static void
test_case(gconstpointer data)
{
	const Case *c = data;
	g_autoptr(StBarcode) b = parse(c->scan, c->symbology);
	g_assert_cmpint(b->valid, ==, c->valid);
	g_assert_cmpstr(b->format, ==, c->format);
	g_assert_cmpstr(b->key, ==, c->gtin14);
	g_assert_cmpint(b->position, ==, c->position);
	if (!c->valid)
		g_assert_nonnull(b->reason);
	else
		g_assert_null(b->reason);
}

static void
test_every_single_digit_error(void)
{
	/* the GTIN check digit catches every single wrong digit: change each digit of a valid
	 * EAN-13 to each other value and it must be refused */
	const gchar *good = "5901234123457";
	for (guint i = 0; i < 13; i++) {
		for (gchar d = '0'; d <= '9'; d++) {
			g_autofree gchar *bad = g_strdup(good);
			g_autoptr(StBarcode) b = NULL;
			if (bad[i] == d)
				continue;
			bad[i] = d;
			b = parse(bad, NULL);
			if (b->valid)
				g_error("%s accepted", bad);
		}
	}
}

static void
test_notes(void)
{
	g_autoptr(StBarcode) isbn = parse("9780201379624", NULL);
	g_autoptr(StBarcode) issn = parse("9771234567003", NULL);
	g_autoptr(StBarcode) restricted = parse("2012345678903", NULL);
	g_assert_nonnull(strstr(isbn->note, "ISBN"));
	g_assert_true(issn->valid);
	g_assert_nonnull(strstr(issn->note, "ISSN"));
	g_assert_true(restricted->valid);
	g_assert_nonnull(strstr(restricted->note, "restricted circulation"));
}

static void
test_carriers(void)
{
	g_autoptr(StBarcode) ups = parse("1Z999AA10123456784", NULL);
	g_autoptr(StBarcode) usps = parse("420123459205500000000000000001", NULL);
	g_autoptr(StBarcode) fedex = parse("012345678983", NULL);
	g_autoptr(StBarcode) s10 = parse("RR123456785DE", NULL);
	g_autoptr(StBarcode) upca = parse("012345678905", NULL);

	g_assert_cmpint(ups->kind, ==, ST_BARCODE_KIND_TRACKING);
	g_assert_cmpstr(ups->carrier, ==, "UPS");
	g_assert_nonnull(strstr(ups->note, "service code 01"));
	g_assert_cmpstr(usps->carrier, ==, "USPS");
	g_assert_nonnull(strstr(usps->note, "ZIP 12345"));
	g_assert_cmpstr(fedex->carrier, ==, "FedEx");
	g_assert_nonnull(strstr(s10->carrier, "DE"));
	/* a valid UPC-A stays a product code */
	g_assert_cmpint(upca->kind, ==, ST_BARCODE_KIND_GTIN);
}

static void
test_bytes(void)
{
	const guint8 nul[] = {'1', '2', 0, '3'};
	const guint8 latin1[] = {'A', 0xE9, 'B'};
	const guint8 gs[] = {'1', '0', 'A', 0x1d, '2', '1', 'X'};
	g_autoptr(StBarcode) a = st_barcode_parse(nul, sizeof(nul), NULL);
	g_autoptr(StBarcode) b = st_barcode_parse(latin1, sizeof(latin1), NULL);
	g_autoptr(StBarcode) c = st_barcode_parse(gs, sizeof(gs), NULL);
	g_autofree gchar *json = st_barcode_to_json(c);

	g_assert_false(a->valid);
	g_assert_cmpint(a->position, ==, 2);
	g_assert_false(b->valid);
	g_assert_cmpint(b->position, ==, 1);
	g_assert_nonnull(strstr(b->reason, "UTF-8"));
	/* GS-separated data is read as GS1 element strings: a lot and a serial without the
	 * GTIN they belong to break GS1's pairing rules, and the text is kept as scanned */
	g_assert_false(c->valid);
	g_assert_cmpint(c->kind, ==, ST_BARCODE_KIND_GS1);
	g_assert_nonnull(strstr(c->reason, "(10) BATCH/LOT needs (01) or (02)"));
	g_assert_cmpstr(c->text, ==, "10A<GS>21X");
	g_assert_nonnull(strstr(json, "\"text\":\"10A<GS>21X\""));
}

/* an EAN/UPC with a composite component (GS1 General Specifications, EAN.UCC composite):
 * the linear part and the 2D part after ]e0, with or without the | a scanner puts between */
static void
test_composite(void)
{
	static const gchar *scans[] = {"4006381333931|]e01012345\\x1d17251231",
				       "4006381333931]e01012345\\x1d17251231"};
	for (guint i = 0; i < G_N_ELEMENTS(scans); i++) {
		g_autoptr(GByteArray) raw = g_byte_array_new();
		g_autoptr(StBarcode) b = NULL;
		g_assert_true(st_barcode_unescape(scans[i], raw));
		b = st_barcode_parse_full(NULL, raw->data, raw->len, "]E0", ST_BARCODE_INPUT_SCAN);
		g_assert_true(b->valid);
		g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_GS1);
		g_assert_cmpstr(b->key, ==, "04006381333931");
		g_assert_cmpstr(st_gs1_message_find(b->gs1, "10")->value, ==, "12345");
		g_assert_cmpstr(st_gs1_message_find(b->gs1, "17")->value, ==, "251231");
	}
	{
		/* the linear part's check digit, or the composite's element, at fault: said */
		g_autoptr(StBarcode) linear =
			st_barcode_parse_full(NULL, (const guint8 *)"4006381333932|]e010AB", 21,
					      "]E0", ST_BARCODE_INPUT_SCAN);
		g_autoptr(StBarcode) element =
			st_barcode_parse_full(NULL, (const guint8 *)"4006381333931|]e017251399", 25,
					      "]E0", ST_BARCODE_INPUT_SCAN);
		g_assert_false(linear->valid);
		g_assert_nonnull(strstr(linear->reason, "the linear part"));
		g_assert_cmpint(linear->position, ==, 12);
		g_assert_false(element->valid);
		g_assert_cmpint(element->position, >=, 17);
	}
}

/* Digital Link: the scheme in capitals (a QR code's alphanumeric mode) is read; mixed case
 * is not (as GS1's Syntax Engine); the convenience alphas only where the bench allows them */
static void
test_digital_link_corners(void)
{
	g_autoptr(StBarcodePatterns) alphas = st_barcode_patterns_new();
	const gchar *upper = "HTTPS://ID.GS1.ORG/01/09501101530003";
	const gchar *alpha = "https://example.com/gtin/09501101530003/lot/AB1";
	g_autoptr(StBarcode) b = st_barcode_parse((const guint8 *)upper, strlen(upper), NULL);
	g_autoptr(StBarcode) by_alpha = NULL;
	g_autoptr(StBarcode) plain = NULL;

	g_assert_true(b->valid);
	g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_GS1);
	g_assert_cmpstr(b->key, ==, "09501101530003");
	st_barcode_patterns_set_dl_alphas(alphas, TRUE);
	by_alpha = st_barcode_parse_full(alphas, (const guint8 *)alpha, strlen(alpha), NULL,
					 ST_BARCODE_INPUT_SCAN);
	plain = st_barcode_parse((const guint8 *)alpha, strlen(alpha), NULL);
	g_assert_cmpint(by_alpha->kind, ==, ST_BARCODE_KIND_GS1);
	g_assert_cmpstr(by_alpha->key, ==, "09501101530003");
	g_assert_cmpstr(st_gs1_message_find(by_alpha->gs1, "10")->value, ==, "AB1");
	g_assert_cmpint(plain->kind, ==, ST_BARCODE_KIND_UNKNOWN);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *name =
			g_strdup_printf("/station/barcode/case/%s%s%s", cases[i].scan,
					cases[i].symbology != NULL ? "/" : "",
					cases[i].symbology != NULL ? cases[i].symbology + 1 : "");
		g_test_add_data_func(name, &cases[i], test_case);
	}
	g_test_add_func("/station/barcode/every-single-digit-error", test_every_single_digit_error);
	g_test_add_func("/station/barcode/notes", test_notes);
	g_test_add_func("/station/barcode/carriers", test_carriers);
	g_test_add_func("/station/barcode/bytes", test_bytes);
	g_test_add_func("/station/barcode/composite", test_composite);
	g_test_add_func("/station/barcode/digital-link-corners", test_digital_link_corners);
	return g_test_run();
}
