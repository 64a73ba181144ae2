/*
 * GS1 element strings, Digital Link and the AI table, with the project's own cases (the GS1
 * conformance suite in test-gs1-conformance.c needs ../shared/fixtures; these always run).
 * Examples follow the GS1 General Specifications and the GS1 Digital Link standard.
 */
#include <string.h>

#include "st-barcode.h"
#include "st-gs1-lint.h"
#include "st-gs1.h"

static StGs1Message *
parse_es(const gchar *caret, StGs1Error *err)
{
	g_autofree gchar *data = g_strdup(caret);
	StGs1Options opts;
	st_gs1_options_init(&opts);
	g_strdelimit(data, "^", ST_GS1_GS);
	return st_gs1_parse_element_string((const guint8 *)data, strlen(data), &opts, err);
}

static void
test_table(void)
{
	/* every row compiles, AIs sharing two leading digits share a length (scanners rely on
	 * it to find where an AI ends), and every AI named in a rule is one */
	for (gsize i = 0; i < st_gs1_ai_table_len; i++) {
		const StGs1AiEntry *e = &st_gs1_ai_table[i];
		const StGs1Ai *ai = st_gs1_ai_lookup(e->ai, strlen(e->ai));
		g_assert_nonnull(ai);
		g_assert_cmpstr(st_gs1_ai_get_format(ai), ==, e->format);
		for (gsize j = 0; j < st_gs1_ai_table_len; j++) {
			if (strncmp(e->ai, st_gs1_ai_table[j].ai, 2) == 0)
				g_assert_cmpuint(strlen(e->ai), ==, strlen(st_gs1_ai_table[j].ai));
		}
		for (guint r = 0; r < 2; r++) {
			const gchar *rule = r == 0 ? e->requires : e->excludes;
			g_auto(GStrv) ais = rule != NULL ? g_strsplit_set(rule, " ,+", -1) : NULL;
			for (guint k = 0; ais != NULL && ais[k] != NULL; k++) {
				g_autofree gchar *concrete = g_strdup(ais[k]);
				g_strdelimit(concrete, "n", '0');
				g_assert_nonnull(st_gs1_ai_lookup(concrete, strlen(concrete)));
			}
		}
	}
	g_assert_cmpstr(st_gs1_ai_get_title(st_gs1_ai_lookup("7033", 4)), ==, "PROCESSOR # 3");
	g_assert_cmpstr(st_gs1_ai_get_title(st_gs1_ai_lookup("7230", 4)), ==, "CERT # 1");
	g_assert_cmpint(st_gs1_ai_decimals(st_gs1_ai_lookup("3103", 4)), ==, 3);
	g_assert_null(st_gs1_ai_lookup("3106", 4)); /* 310n stops at 5 decimals */
	g_assert_null(st_gs1_ai_lookup("89", 2));
}

static void
test_element_strings(void)
{
	StGs1Error err = {.position = -1};
	g_autoptr(StGs1Message) m = parse_es("010950110153000317250100"
					     "10AB-123^21S1",
					     &err);
	g_autoptr(StGs1Message) bad = NULL;
	g_autofree gchar *es = NULL;
	g_autofree gchar *br = NULL;

	g_assert_nonnull(m);
	g_assert_cmpuint(m->elements->len, ==, 4);
	g_assert_cmpstr(st_gs1_message_find(m, "17")->value, ==, "250100");
	g_assert_cmpstr(st_gs1_message_find(m, "10")->value, ==, "AB-123");
	es = st_gs1_message_to_element_string(m, '^');
	/* no separator after the fixed-length 01 and 17, one after the lot */
	g_assert_cmpstr(es, ==, "01095011015300031725010010AB-123^21S1");
	br = st_gs1_message_to_bracketed(m);
	g_assert_cmpstr(br, ==, "(01)09501101530003(17)250100(10)AB-123(21)S1");

	/* wrong check digit: the position of the digit in the data */
	bad = parse_es("0109501101530004", &err);
	g_assert_null(bad);
	g_assert_cmpstr(err.code, ==, "incorrect-check-digit");
	g_assert_cmpint(err.position, ==, 15);
	g_assert_cmpstr(err.markup, ==, "(01)0950110153000|4|");
	st_gs1_error_clear(&err);

	/* a missing GS after a variable-length value swallows the next element: caught by the
	 * length or the character set, never a silent wrong answer */
	bad = parse_es("0109501101530003"
		       "10ABCDEFGHIJKLMNOPQRSTUV",
		       &err);
	g_assert_null(bad);
	g_assert_cmpstr(err.code, ==, "value-too-long");
	st_gs1_error_clear(&err);

	/* 30 February, month 13, DD=00 allowed only where the AI says so */
	bad = parse_es("0109501101530003"
		       "17250230",
		       &err);
	g_assert_cmpstr(err.code, ==, "illegal-day");
	st_gs1_error_clear(&err);
	bad = parse_es("0109501101530003"
		       "11251300",
		       &err);
	g_assert_cmpstr(err.code, ==, "illegal-month");
	st_gs1_error_clear(&err);
	bad = parse_es("0109501101530003"
		       "7006250100",
		       &err);
	g_assert_cmpstr(err.code, ==, "illegal-day");
	st_gs1_error_clear(&err);

	/* unknown AI, empty data, two separators */
	bad = parse_es("0109501101530003"
		       "991234^^10A",
		       &err);
	g_assert_cmpstr(err.code, ==, "empty-element");
	st_gs1_error_clear(&err);
	bad = parse_es("891234", &err);
	g_assert_cmpstr(err.code, ==, "unknown-ai");
	st_gs1_error_clear(&err);
	bad = parse_es("", &err);
	g_assert_cmpstr(err.code, ==, "no-ai-data");
	st_gs1_error_clear(&err);
}

static void
test_associations(void)
{
	StGs1Error err = {.position = -1};
	StGs1Options opts;
	g_autoptr(StGs1Message) m = NULL;

	st_gs1_options_init(&opts);
	/* a count needs the content GTIN and an SSCC */
	m = st_gs1_parse_bracketed("(02)09501101530003(37)12", &opts, &err);
	g_assert_null(m);
	g_assert_cmpstr(err.code, ==, "required-ais-not-satisfied");
	st_gs1_error_clear(&err);
	m = st_gs1_parse_bracketed("(00)095011015300000034(02)09501101530003(37)12", &opts, &err);
	g_assert_nonnull(m);
	g_clear_pointer(&m, st_gs1_message_free);
	/* two net weights in kilograms with different decimals exclude each other */
	m = st_gs1_parse_bracketed("(01)09501101530003(3103)000195(3102)001950", &opts, &err);
	g_assert_null(m);
	g_assert_cmpstr(err.code, ==, "invalid-ai-pairing");
	st_gs1_error_clear(&err);
	/* the same AI twice: fine with one value, refused with two */
	m = st_gs1_parse_bracketed("(01)09501101530003(10)A(10)A", &opts, &err);
	g_assert_nonnull(m);
	g_clear_pointer(&m, st_gs1_message_free);
	m = st_gs1_parse_bracketed("(01)09501101530003(10)A(10)B", &opts, &err);
	g_assert_null(m);
	g_assert_cmpstr(err.code, ==, "ai-repeated-with-different-values");
	st_gs1_error_clear(&err);
	/* an escaped bracket is part of the value */
	m = st_gs1_parse_bracketed("(01)09501101530003(10)A\\(1)", &opts, &err);
	g_assert_nonnull(m);
	g_assert_cmpstr(st_gs1_message_find(m, "10")->value, ==, "A(1)");
	g_clear_pointer(&m, st_gs1_message_free);
	/* an AI not in the table is accepted when asked, but not one shaped like no AI can be */
	opts.permit_unknown_ais = TRUE;
	m = st_gs1_parse_bracketed("(89)X", &opts, &err);
	g_assert_nonnull(m);
	g_clear_pointer(&m, st_gs1_message_free);
	m = st_gs1_parse_bracketed("(002)2", &opts, &err);
	g_assert_null(m);
	g_assert_cmpstr(err.code, ==, "malformed-ai");
	st_gs1_error_clear(&err);
	opts.permit_unknown_ais = FALSE;
	for (guint i = 0; i < 4; i++) {
		const gchar *broken[] = {"01)1", "(1)2", "(01", "(01)"};
		m = st_gs1_parse_bracketed(broken[i], &opts, &err);
		g_assert_null(m);
		g_assert_nonnull(err.message);
		st_gs1_error_clear(&err);
	}
}

static void
test_digital_link(void)
{
	StGs1Error err = {.position = -1};
	StGs1Options opts;
	const gchar *uri = "https://example.com/01/09501101530003/10/AB%2F1?17=250100&3103=000195";
	g_autoptr(StGs1Message) m = NULL;
	g_autofree gchar *back = NULL;
	g_autofree gchar *canon = NULL;

	st_gs1_options_init(&opts);
	m = st_gs1_parse_digital_link(uri, strlen(uri), &opts, &err);
	g_assert_nonnull(m);
	g_assert_cmpstr(st_gs1_message_find(m, "10")->value, ==, "AB/1");
	g_assert_cmpint(st_gs1_message_find(m, "01")->dl_path_order, ==, 0);
	g_assert_cmpint(st_gs1_message_find(m, "17")->dl_path_order, ==, -1);
	back = st_gs1_message_to_digital_link(m, "https://example.com", &opts, &err);
	g_assert_cmpstr(back, ==, uri);
	canon = st_gs1_message_to_digital_link(m, NULL, &opts, &err);
	g_assert_true(g_str_has_prefix(canon, "https://id.gs1.org/01/09501101530003/"));
	g_clear_pointer(&m, st_gs1_message_free);

	/* qualifiers out of order, an attribute that belongs in the path, no key */
	for (guint i = 0; i < 4; i++) {
		const gchar *bad[] = {
			"https://a/01/09501101530003/21/S/10/L",
			"https://a/01/09501101530003?21=S",
			"https://a/10/L",
			"https://a/01/09501101530003/10/L<",
		};
		m = st_gs1_parse_digital_link(bad[i], strlen(bad[i]), &opts, &err);
		g_assert_null(m);
		g_assert_nonnull(err.code);
		st_gs1_error_clear(&err);
	}
	/* a message without a primary key has no Digital Link */
	m = st_gs1_parse_bracketed("(400)PO-1", &opts, &err);
	g_assert_nonnull(m);
	g_assert_null(st_gs1_message_to_digital_link(m, NULL, &opts, &err));
	g_assert_cmpstr(err.code, ==, "no-primary-key");
	st_gs1_error_clear(&err);
}

static void
test_scan_data(void)
{
	StGs1Error err = {.position = -1};
	StGs1Options opts;
	StGs1Scan scan;
	const gchar *dm = "]d20109501101530003\x1d"; /* trailing GS tolerated */
	const gchar *ean = "]E04006381333931";

	st_gs1_options_init(&opts);
	g_assert_true(st_gs1_parse_scan_data((const guint8 *)dm, strlen(dm), &opts, &scan, &err));
	g_assert_true(scan.gs1);
	g_assert_cmpstr(st_gs1_message_find(scan.message, "01")->value, ==, "09501101530003");
	st_gs1_scan_clear(&scan);
	g_assert_true(st_gs1_parse_scan_data((const guint8 *)ean, strlen(ean), &opts, &scan, &err));
	g_assert_cmpstr(scan.primary, ==, "4006381333931");
	st_gs1_scan_clear(&scan);
	g_assert_false(st_gs1_parse_scan_data((const guint8 *)"]C1", 3, &opts, &scan, &err));
	st_gs1_error_clear(&err);
	st_gs1_scan_clear(&scan);
}

static void
test_barcode_gs1(void)
{
	/* through the one result type: a keyboard-wedge scan without AIM but with GS */
	const gchar *wedge = "0109501101530003"
			     "17250100"
			     "10LOT7\x1d"
			     "3103000195";
	g_autoptr(StBarcode) b = st_barcode_parse((const guint8 *)wedge, strlen(wedge), NULL);
	g_autofree gchar *json = st_barcode_to_json(b);
	g_assert_true(b->valid);
	g_assert_cmpint(b->kind, ==, ST_BARCODE_KIND_GS1);
	g_assert_cmpstr(b->key_type, ==, "gtin");
	g_assert_cmpstr(b->key, ==, "09501101530003");
	g_assert_nonnull(strstr(json, "\"expiry\":\"2025-01-31\""));
	g_assert_nonnull(strstr(json, "\"lot\":\"LOT7\""));
	g_assert_nonnull(strstr(json, "\"decimal\":\"0.195\""));
	g_assert_nonnull(strstr(json, "\"title\":\"NET WEIGHT (kg)\""));
	g_assert_nonnull(strstr(json, "\"net_weight\":{\"value\":\"0.195\",\"unit\":\"kg\"}"));
}

static void
test_lint(void)
{
	gsize pos = 0, len = 0;
	/* the check character pair of a GMN (AI 8013), GS1 General Specifications example */
	g_assert_null(st_gs1_lint("csumalpha", "1987654Ad4X4bL5ttr2310c2K", 25, &pos, &len));
	g_assert_cmpstr(st_gs1_lint("csumalpha", "1987654Ad4X4bL5ttr2310c2X", 25, &pos, &len), ==,
			"incorrect-check-pair");
	g_assert_null(st_gs1_lint("iban", "DE91100000000123456789", 22, &pos, &len));
	g_assert_cmpstr(st_gs1_lint("iban", "DE92100000000123456789", 22, &pos, &len), ==,
			"incorrect-iban-checksum");
	g_assert_null(st_gs1_lint("iso3166", "276", 3, &pos, &len));
	g_assert_nonnull(st_gs1_lint("iso3166", "999", 3, &pos, &len));
	g_assert_null(st_gs1_lint("iso4217", "978", 3, &pos, &len));
	g_assert_nonnull(st_gs1_lint("iso4217", "191", 3, &pos, &len)); /* kuna, withdrawn */
	g_assert_null(st_gs1_lint("packagetype", "PX", 2, &pos, &len));
	g_assert_nonnull(st_gs1_lint("packagetype", "QQQ", 3, &pos, &len));
	g_assert_null(st_gs1_lint("couponcode", "012345612345611110123", 21, &pos, &len));
	g_assert_cmpstr(st_gs1_lint("couponcode", "0123456123456111101233200010", 28, &pos, &len),
			==, "coupon-invalid-exipiration-date");
	g_assert_null(st_gs1_lint("pieceoftotal", "0203", 4, &pos, &len));
	g_assert_cmpstr(st_gs1_lint("pieceoftotal", "0302", 4, &pos, &len), ==,
			"piece-number-exceeds-total");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/gs1/table", test_table);
	g_test_add_func("/gs1/element-strings", test_element_strings);
	g_test_add_func("/gs1/associations", test_associations);
	g_test_add_func("/gs1/digital-link", test_digital_link);
	g_test_add_func("/gs1/scan-data", test_scan_data);
	g_test_add_func("/gs1/barcode", test_barcode_gs1);
	g_test_add_func("/gs1/lint", test_lint);
	return g_test_run();
}
