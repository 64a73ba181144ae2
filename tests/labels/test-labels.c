/*
 * Tests of the label model and templates: page sizes in whole dots at each resolution, GS1
 * brackets to element strings, the barcode data checks, templates refused for their faults,
 * filling (missing fields named, optional ones, empty lines dropped, repeats and their
 * limit), and ZPL's compressed graphic fields read back dot for dot.
 */
#include <cairo.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "station/st-error.h"
#include "station/st-label.h"

static StLabel *
fill(const gchar *tmpl_json, const gchar *data, gint dpi, GError **error)
{
	g_autoptr(StLabelTemplate) t = st_label_template_new_from_data("t", tmpl_json, -1, error);
	if (t == NULL)
		return NULL;
	return st_label_template_fill(t, data, -1, dpi, NULL, NULL, error);
}

static void
test_pages(void)
{
	const gchar *t = "{\"page\":\"4x6in\",\"items\":[]}";
	g_autoptr(GError) error = NULL;
	g_autoptr(StLabel) l203 = fill(t, "{}", 203, &error);
	g_autoptr(StLabel) l300 = fill(t, "{}", 300, &error);
	g_autoptr(StLabel) a4 =
		fill("{\"page\":\"a4\",\"format\":\"pdf\",\"items\":[]}", "{}", 300, &error);
	g_assert_no_error(error);
	g_assert_cmpint(l203->width, ==, 812);
	g_assert_cmpint(l203->height, ==, 1218);
	g_assert_cmpint(l300->width, ==, 1200);
	g_assert_cmpint(l300->height, ==, 1800);
	g_assert_cmpint(a4->width, ==, 2480);
	g_assert_cmpint(a4->height, ==, 3508);
	g_assert_null(fill(t, "{}", 50, &error));
	g_assert_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA);
}

static void
test_gs1_brackets(void)
{
	g_autoptr(GError) error = NULL;
	/* (01) has a predefined length: no GS after it; (10) has not: GS before (17) */
	g_autoptr(GBytes) b =
		st_label_gs1_from_brackets("(01)09501101530003(10)AB1(17)251231", &error);
	g_autoptr(GBytes) bad = NULL;
	gsize n = 0;
	const gchar *d;
	g_assert_no_error(error);
	d = g_bytes_get_data(b, &n);
	g_assert_cmpmem(d, n,
			"0109501101530003"
			"10AB1\x1d"
			"17251231",
			30);
	bad = st_label_gs1_from_brackets("(10)A^B", &error);
	g_assert_null(bad);
	g_assert_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_null(st_label_gs1_from_brackets("0109501101530003", &error));
	g_assert_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA);
}

static void
check_symbol(StSymbology s, const gchar *data, gboolean ok, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) b = g_bytes_new(data, strlen(data));
	gboolean got = st_label_check_symbol(s, b, &error);
	g_assert_cmpint(got, ==, ok);
	if (!ok) {
		g_test_message("%s", error->message);
		g_assert_nonnull(strstr(error->message, needle));
	}
}

static void
test_symbol_checks(void)
{
	check_symbol(ST_SYMBOL_EAN13, "4006381333931", TRUE, NULL);
	check_symbol(ST_SYMBOL_EAN13, "400638133393", TRUE, NULL);
	check_symbol(ST_SYMBOL_EAN13, "4006381333932", FALSE, "should be 1");
	check_symbol(ST_SYMBOL_UPCA, "036000291452", TRUE, NULL);
	check_symbol(ST_SYMBOL_UPCA, "03600029145", TRUE, NULL);
	check_symbol(ST_SYMBOL_EAN8, "96385073", FALSE, "should be 4");
	check_symbol(ST_SYMBOL_ITF, "15400141288763", TRUE, NULL);
	check_symbol(ST_SYMBOL_ITF, "15400141288764", FALSE, "should be 3");
	check_symbol(ST_SYMBOL_ITF, "123", FALSE, "even number");
	check_symbol(ST_SYMBOL_CODE39, "LOC-A1", TRUE, NULL);
	check_symbol(ST_SYMBOL_CODE39, "loc", FALSE, "position 0");
	check_symbol(ST_SYMBOL_CODE128, "caf\xc3\xa9", FALSE, "ASCII only");
	check_symbol(ST_SYMBOL_QR, "", FALSE, "no data");
}

static void
assert_template_refused(const gchar *json, const gchar *needle);

/* the ZPL of a one-item label holding a MaxiCode of @data, or NULL with @error */
static gchar *
maxicode_zpl(const gchar *data, gsize len, gint rotation, GError **error)
{
	g_autoptr(StLabel) l = st_label_new(812, 1218, 203);
	g_autoptr(GBytes) zpl = NULL;
	StLabelItem *item = st_label_item_new(ST_LABEL_BARCODE);
	item->symbology = ST_SYMBOL_MAXICODE;
	item->x = 20;
	item->y = 20;
	item->rotation = rotation;
	item->data = g_bytes_new(data, len);
	g_ptr_array_add(l->items, item);
	zpl = st_label_render(l, ST_LABEL_FORMAT_ZPL, error);
	return zpl != NULL ? g_strndup(g_bytes_get_data(zpl, NULL), g_bytes_get_size(zpl)) : NULL;
}

#define SCM(postal, country, service, rest)                                                        \
	"[)>\x1e"                                                                                  \
	"01\x1d"                                                                                   \
	"96" postal "\x1d" country "\x1d" service "\x1d" rest "\x1e\x04"

static void
test_maxicode(void)
{
	static const struct {
		const gchar *data;
		const gchar *zpl; /* in the ^BD field, or NULL when refused */
		const gchar *error;
	} cases[] = {
		/* a 5-digit ZIP is written as 9 digits, as ^BD requires */
		{SCM("08102", "840", "002", "1Z23456784\x1dUPSN"),
		 "^BD2,1,1^FH_^FD002840081020000[)>_1E01_1D961Z23456784_1DUPSN_1E_04^FS", NULL},
		{SCM("081021234", "840", "001", "X"),
		 "^BD2,1,1^FH_^FD001840081021234[)>_1E01_1D96X_1E", NULL},
		/* mode 3: up to 6 characters, space padded; a longer postal code cut to 6 */
		{SCM("W1A1AA", "826", "066", "X"), "^BD3,1,1^FH_^FD066826W1A1AA[)>", NULL},
		{SCM("B11AA", "826", "066", "X"), "^BD3,1,1^FH_^FD066826B11AA [)>", NULL},
		{SCM("SW1A1AA", "826", "066", "X"), "^FD066826SW1A1A[)>", NULL},
		/* a numeric postal code outside the United States is mode 3 too: Germany's
		 * 10115 (country 276), Poland's 90-001 written 90001 (616), China's 310012
		 * (156); never mode 2 padded with 0000 */
		{SCM("10115", "276", "011", "X"), "^BD3,1,1^FH_^FD01127610115 [)>", NULL},
		{SCM("90001", "616", "011", "X"), "^BD3,1,1^FH_^FD01161690001 [)>", NULL},
		{SCM("310012", "156", "066", "X"), "^BD3,1,1^FH_^FD066156310012[)>", NULL},
		/* the United States' postal code is a ZIP code */
		{SCM("0810", "840", "002", "X"), NULL, "ZIP code of 5 or 9 digits"},
		{SCM("W1A1AA", "840", "002", "X"), NULL, "ZIP code of 5 or 9 digits"},
		/* no header: a mode 4 symbol of the data as it is, ^ and ~ escaped */
		{"ORDER ^XZ ~JA", "^BD4,1,1^FH_^FDORDER _5EXZ _7EJA^FS", NULL},
		{SCM("08102", "US", "002", "X"), NULL, "three-digit number"},
		{SCM("08102", "840", "2", "X"), NULL, "class of service is three digits"},
		{SCM("w1a1aa", "826", "066", "X"), NULL, "upper-case letters"},
		{"[)>\x1e"
		 "01\x1d"
		 "9608102\x1d"
		 "840",
		 NULL, "each ended by GS"},
		{"Hauptstra\xc3\x9f"
		 "e",
		 NULL, "printable ASCII"},
	};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *rotated = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *zpl =
			maxicode_zpl(cases[i].data, strlen(cases[i].data), 0, &error);
		g_test_message("case %u: %s", i, zpl != NULL ? zpl : error->message);
		if (cases[i].zpl != NULL) {
			g_assert_no_error(error);
			g_assert_nonnull(strstr(zpl, cases[i].zpl));
		} else {
			g_assert_null(zpl);
			g_assert_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA);
			g_assert_nonnull(strstr(error->message, cases[i].error));
			g_clear_error(&error);
		}
	}
	/* a message too long for the symbol: the street is cut first, then the city (UPS's
	 * own example of the fault: "12345 N Westchester Blvd Ste 1200" in Trenton); what
	 * still does not fit is refused naming the field */
	{
		const gchar *fields =
			"1Z23456784\x1dUPSN\x1d"
			"999AA1\x1d"
			"327\x1d\x1d"
			"1/2\x1d"
			"6\x1dY\x1d"
			"12345 N WESTCHESTER BLVD STE 1200 BUILDING C\x1dTRENTON\x1dNJ";
		g_autofree gchar *data = g_strdup_printf("[)>\x1e"
							 "01\x1d"
							 "9608102\x1d"
							 "840\x1d"
							 "002\x1d%s\x1e\x04",
							 fields);
		g_autofree gchar *zpl = maxicode_zpl(data, strlen(data), 0, &error);
		g_autofree gchar *huge = g_strdup_printf(
			"[)>\x1e"
			"01\x1d"
			"9608102\x1d"
			"840\x1d"
			"002\x1d"
			"1Z23456784\x1dUPSN\x1d"
			"999AA1\x1d"
			"327\x1d%s\x1d"
			"1/"
			"2\x1d"
			"6\x1dY\x1dST\x1d"
			"CITY\x1dNJ\x1e\x04",
			"SHIPMENT-0123456789-0123456789-0123456789-0123456789-0123456789");
		g_autofree gchar *refused = NULL;
		g_assert_no_error(error);
		g_assert_nonnull(zpl);
		g_assert_null(strstr(zpl, "BUILDING C"));
		g_assert_nonnull(strstr(zpl, "_1D12345 N WE"));
		g_assert_nonnull(strstr(zpl, "_1DNJ_1E_04"));
		refused = maxicode_zpl(huge, strlen(huge), 0, &error);
		g_assert_null(refused);
		g_assert_nonnull(strstr(error->message, "the shipment id"));
		g_clear_error(&error);
	}

	/* ZPL cannot turn a MaxiCode; refused rather than drawn otherwise than asked */
	rotated = maxicode_zpl("X", 1, 90, &error);
	g_assert_null(rotated);
	g_assert_nonnull(strstr(error->message, "no rotation"));
}

/* a banner (white text on a black bar) has its text in the middle of the bar, the same in
 * the ZPL (its ^FO moved down by half the room left) and in the drawing (measured: the white
 * ink's margins above and below) */
static void
test_banner(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StLabel) l = st_label_new(400, 100, 203);
	StLabelItem *item = st_label_item_new(ST_LABEL_TEXT);
	g_autoptr(GBytes) zpl = NULL;
	g_autoptr(GBytes) png = NULL;
	g_autofree gchar *path = g_build_filename(g_get_tmp_dir(), "st-test-banner.png", NULL);
	cairo_surface_t *img;
	gint top = -1, bottom = -1;

	item->w = 400;
	item->h = 100;
	item->size = 40;
	item->reverse = TRUE;
	item->align = ST_ALIGN_CENTER;
	item->text = g_strdup("GROUND");
	g_ptr_array_add(l->items, item);
	zpl = st_label_render(l, ST_LABEL_FORMAT_ZPL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(
		memmem(g_bytes_get_data(zpl, NULL), g_bytes_get_size(zpl), "^FO0,30^A0N", 11));
	png = st_label_render(l, ST_LABEL_FORMAT_PNG, &error);
	g_assert_no_error(error);
	g_assert_true(g_file_set_contents(path, g_bytes_get_data(png, NULL),
					  (gssize)g_bytes_get_size(png), &error));
	img = cairo_image_surface_create_from_png(path);
	cairo_surface_flush(img);
	for (gint y = 0; y < 100; y++) {
		const guint8 *row =
			cairo_image_surface_get_data(img) + y * cairo_image_surface_get_stride(img);
		gint bpp = cairo_image_surface_get_format(img) == CAIRO_FORMAT_A8 ? 1 : 4;
		for (gint x = 0; x < 400; x++) {
			if (row[x * bpp] > 128) {
				if (top < 0)
					top = y;
				bottom = y;
				break;
			}
		}
	}
	cairo_surface_destroy(img);
	g_unlink(path);
	g_test_message("white ink from row %d to %d of 100", top, bottom);
	g_assert_cmpint(top, >=, 0);
	/* capitals: ink margins above and below within a quarter of the bar of each other */
	g_assert_cmpint(ABS(top - (99 - bottom)), <, 25);
}

static void
test_filters(void)
{
	const gchar *t = "{\"page\":\"4x6in\",\"items\":["
			 "{\"type\":\"text\",\"x\":1,\"y\":1,\"text\":"
			 "\"{a|ascii|upper}/{b|right:8}/{b|left:8|skip:2}/{c|group:4}/"
			 "{d|day-of-year}/{e|country-number}/{f|digits}/{f|alnum}\"},"
			 "{\"type\":\"barcode\",\"x\":1,\"y\":40,\"symbology\":\"code128\","
			 "\"data\":\"X{g}\"}]}";
	const gchar *data = "{\"a\":\"Stra\u00dfe \u00c9vora\",\"b\":\"1Z999AA10123456784\","
			    "\"c\":\"9205590164917312751089\",\"d\":\"2024-12-31\",\"e\":\"deu\","
			    "\"f\":\"SW1A 1AA-9\",\"g\":\"1\"}";
	g_autoptr(GError) error = NULL;
	g_autoptr(StLabel) l = fill(t, data, 203, &error);
	g_autofree gchar *bad = NULL;
	StLabelItem *item;

	g_assert_no_error(error);
	item = g_ptr_array_index(l->items, 0);
	g_assert_cmpstr(item->text, ==,
			"STRASSE EVORA/23456784/999AA1/9205 5901 6491 7312 7510 89/366/276/119/"
			"SW1A1AA9");
	g_clear_pointer(&l, st_label_free);

	/* an unknown filter is refused when the template is loaded, a bad value when filled */
	assert_template_refused("{\"page\":\"4x6in\",\"items\":[{\"type\":\"text\","
				"\"text\":\"{a|lower}\"}]}",
				"unknown filter \"lower\"");
	assert_template_refused("{\"page\":\"4x6in\",\"items\":[{\"type\":\"text\","
				"\"text\":\"{a|left:0}\"}]}",
				"unknown filter \"left:0\"");
	l = fill("{\"page\":\"4x6in\",\"items\":[{\"type\":\"text\",\"text\":"
		 "\"{e|country-number}\"}]}",
		 "{\"e\":\"XX\"}", 203, &error);
	g_assert_null(l);
	g_assert_nonnull(strstr(error->message, "not an ISO 3166 country code"));
	g_clear_error(&error);
	l = fill("{\"page\":\"4x6in\",\"items\":[{\"type\":\"text\",\"text\":"
		 "\"{d|day-of-year}\"}]}",
		 "{\"d\":\"23.11.2026\"}", 203, &error);
	g_assert_null(l);
	g_assert_nonnull(strstr(error->message, "YYYY-MM-DD"));
	g_clear_error(&error);

	/* ascii: any script in Latin letters (ICU's Any-Latin; Latin-ASCII), never '?': a
	 * Chinese street in pinyin, a Russian city, Greek; a tab is a space */
	l = fill("{\"page\":\"4x6in\",\"items\":[{\"type\":\"text\",\"text\":"
		 "\"{s|ascii|upper}/{c|ascii}/{g|ascii}/{t|ascii}\"}]}",
		 "{\"s\":\"\u897f\u6e56\u533a\u6587\u4e09\u8def 90 \u53f7\","
		 "\"c\":\"\u041c\u043e\u0441\u043a\u0432\u0430\","
		 "\"g\":\"\u0391\u03b8\u03ae\u03bd\u03b1\",\"t\":\"a\tb\"}",
		 203, &error);
	g_assert_no_error(error);
	item = g_ptr_array_index(l->items, 0);
	g_assert_cmpstr(item->text, ==, "XI HU QU WEN SAN LU 90 HAO/Moskva/Athena/a b");
	g_assert_null(strchr(item->text, '?'));
	g_clear_pointer(&l, st_label_free);

	/* control characters in a text field: a line break stays one (CR LF or CR too), a
	 * tab is a space, a bell or an escape would print as a box: dropped */
	l = fill("{\"page\":\"4x6in\",\"items\":[{\"type\":\"text\",\"text\":\"{a}\"}]}",
		 "{\"a\":\"Hauptstr.\\u0007 5\\r\\nHinterhaus\\rEG\\tlinks\\u001b\"}", 203, &error);
	g_assert_no_error(error);
	item = g_ptr_array_index(l->items, 0);
	g_assert_cmpstr(item->text, ==, "Hauptstr. 5\nHinterhaus\nEG links");
	g_clear_pointer(&l, st_label_free);

	/* a field's control character cannot reach barcode data built around it, but data
	 * that is one field alone is that field's bytes */
	bad = g_strdup("{\"g\":\"1\\u001d2\"}");
	l = fill("{\"page\":\"4x6in\",\"items\":[{\"type\":\"barcode\",\"x\":1,\"y\":1,"
		 "\"symbology\":\"code128\",\"data\":\"X{g}\"}]}",
		 bad, 203, &error);
	g_assert_null(l);
	g_assert_nonnull(strstr(error->message, "control character"));
	g_clear_error(&error);
	l = fill("{\"page\":\"4x6in\",\"items\":[{\"type\":\"barcode\",\"x\":1,\"y\":1,"
		 "\"symbology\":\"datamatrix\",\"data\":\"{g}\"}]}",
		 bad, 203, &error);
	g_assert_no_error(error);
	item = g_ptr_array_index(l->items, 0);
	g_assert_cmpmem(g_bytes_get_data(item->data, NULL), g_bytes_get_size(item->data),
			"1\x1d"
			"2",
			3);
}

static void
test_paged(void)
{
	const gchar *t =
		"{\"page\":\"a6\",\"items\":["
		"{\"type\":\"text\",\"x\":1,\"y\":1,\"text\":\"{#page}/{#pages} {title}\"},"
		"{\"type\":\"repeat\",\"over\":\"l\",\"dy\":10,\"max\":2,\"pages\":true,"
		"\"items\":[{\"type\":\"text\",\"x\":1,\"y\":20,\"text\":\"{.s}\"}]}]}";
	g_autoptr(GError) error = NULL;
	g_autoptr(StLabel) l =
		fill(t,
		     "{\"title\":\"T\",\"l\":[{\"s\":\"a\"},{\"s\":\"b\"},{\"s\":\"c\"},"
		     "{\"s\":\"d\"},{\"s\":\"e\"}]}",
		     203, &error);
	g_autoptr(GBytes) zpl = NULL;
	g_autoptr(GBytes) pdf = NULL;
	g_autoptr(GBytes) png = NULL;
	g_autoptr(GString) big = g_string_new("{\"title\":\"T\",\"l\":[");
	static const gchar *const want[][3] = {{"1/3 T", "a", "b"},
					       {"2/3 T", "c", "d"},
					       {"3/3 T", "e", NULL}};
	cairo_surface_t *img;
	guint n = 0;

	g_assert_no_error(error);
	/* five entries, two a page: three pages, each with the other items */
	g_assert_cmpuint(l->more_pages->len, ==, 2);
	for (guint p = 0; p < 3; p++) {
		StLabel *page = p == 0 ? l : g_ptr_array_index(l->more_pages, p - 1);
		g_assert_cmpuint(page->items->len, ==, want[p][2] != NULL ? 3 : 2);
		for (guint i = 0; i < page->items->len; i++) {
			StLabelItem *item = g_ptr_array_index(page->items, i);
			g_assert_cmpstr(item->text, ==, want[p][i]);
		}
		/* the entries start at the repeat's place on every page */
		g_assert_cmpint(((StLabelItem *)g_ptr_array_index(page->items, 1))->y, ==,
				st_label_dots(20, 203));
	}
	/* ZPL: a format a page; PDF: a page a page; PNG: the pages one under another */
	zpl = st_label_render(l, ST_LABEL_FORMAT_ZPL, &error);
	g_assert_no_error(error);
	{
		/* GBytes from the renderers are not NUL-terminated */
		g_autofree gchar *text =
			g_strndup(g_bytes_get_data(zpl, NULL), g_bytes_get_size(zpl));
		for (const gchar *p = text; (p = strstr(p, "^XA")) != NULL; p++)
			n++;
	}
	g_assert_cmpuint(n, ==, 3);
	pdf = st_label_render(l, ST_LABEL_FORMAT_PDF, &error);
	g_assert_no_error(error);
	{
		g_assert_nonnull(
			memmem(g_bytes_get_data(pdf, NULL), g_bytes_get_size(pdf), "/Count 3", 8));
	}
	png = st_label_render(l, ST_LABEL_FORMAT_PNG, &error);
	g_assert_no_error(error);
	{
		g_autofree gchar *path =
			g_build_filename(g_get_tmp_dir(), "st-test-paged.png", NULL);
		g_assert_true(g_file_set_contents(path, g_bytes_get_data(png, NULL),
						  (gssize)g_bytes_get_size(png), &error));
		img = cairo_image_surface_create_from_png(path);
		g_assert_cmpint(cairo_image_surface_get_height(img), >, 3 * l->height);
		g_assert_cmpint(cairo_image_surface_get_width(img), ==, l->width);
		cairo_surface_destroy(img);
		g_unlink(path);
	}
	g_clear_pointer(&l, st_label_free);

	/* no entries: one page; more than ST_LABEL_MAX_PAGES pages: refused */
	l = fill(t, "{\"title\":\"T\",\"l\":[]}", 203, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(l->more_pages->len, ==, 0);
	g_clear_pointer(&l, st_label_free);
	for (guint i = 0; i < 2 * ST_LABEL_MAX_PAGES + 1; i++)
		g_string_append_printf(big, "%s{\"s\":\"x\"}", i > 0 ? "," : "");
	g_string_append(big, "]}");
	l = fill(t, big->str, 203, &error);
	g_assert_null(l);
	g_assert_nonnull(strstr(error->message, "pages"));
	g_clear_error(&error);

	assert_template_refused("{\"page\":\"a6\",\"items\":[{\"type\":\"repeat\",\"over\":\"l\","
				"\"pages\":true,\"items\":[]}]}",
				"needs \"max\"");
	assert_template_refused("{\"page\":\"a6\",\"items\":[{\"type\":\"repeat\",\"over\":\"l\","
				"\"max\":1,\"pages\":true,\"items\":[]},{\"type\":\"repeat\","
				"\"over\":\"m\",\"max\":1,\"pages\":true,\"items\":[]}]}",
				"only one repeat");
	assert_template_refused("{\"page\":\"a6\",\"items\":[{\"type\":\"text\",\"pages\":true}]}",
				"only a repeat has \"pages\"");
}

static void
assert_template_refused(const gchar *json, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StLabelTemplate) t = st_label_template_new_from_data("t", json, -1, &error);
	g_assert_null(t);
	g_assert_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, needle));
}

static void
test_template_faults(void)
{
	assert_template_refused("{", "not JSON");
	assert_template_refused("[]", "JSON object");
	assert_template_refused("{\"page\":\"b5\",\"items\":[]}", "\"page\" must be");
	assert_template_refused("{\"page\":\"4x6in\"}", "no \"items\"");
	assert_template_refused("{\"page\":\"4x6in\",\"items\":[{\"type\":\"text\",\"colour\":1}]}",
				"unknown key \"colour\"");
	assert_template_refused("{\"page\":\"4x6in\",\"items\":[{\"type\":\"text\",\"x\":\"1\"}]}",
				"\"x\" must be a number");
	assert_template_refused("{\"page\":\"4x6in\",\"items\":[{\"type\":\"circle\"}]}",
				"\"type\" must be");
	assert_template_refused(
		"{\"page\":\"4x6in\",\"items\":[{\"type\":\"barcode\",\"symbology\":\"aztec\"}]}",
		"must be one of code128");
	assert_template_refused(
		"{\"page\":\"4x6in\",\"items\":[{\"type\":\"text\",\"rotation\":45}]}", "rotation");
	assert_template_refused(
		"{\"page\":\"4x6in\",\"items\":[{\"type\":\"repeat\",\"over\":\"l\","
		"\"items\":[{\"type\":\"repeat\",\"over\":\"m\",\"items\":[]}]}]}",
		"cannot be nested");
	assert_template_refused("{\"page\":\"4x6in\",\"format\":\"svg\",\"items\":[]}",
				"\"format\" must be");
}

static void
test_fill(void)
{
	const gchar *t =
		"{\"page\":\"4x6in\",\"items\":["
		"{\"type\":\"text\",\"name\":\"addr\",\"x\":1,\"y\":1,\"w\":90,\"text\":"
		"\"{r.name}\\n{r.company?}\\n{r.city} {{x}}\"},"
		"{\"type\":\"text\",\"x\":1,\"y\":40,\"text\":\"shown\",\"when\":\"flag\"},"
		"{\"type\":\"repeat\",\"over\":\"lines\",\"dy\":10,\"max\":2,\"items\":["
		"{\"type\":\"text\",\"x\":1,\"y\":60,\"text\":\"{.sku} x{.qty}\"}]}]}";
	g_autoptr(GError) error = NULL;
	g_autoptr(StLabel) l =
		fill(t,
		     "{\"r\":{\"name\":\"Ana\",\"city\":\"Lyon\"},\"flag\":false,"
		     "\"lines\":[{\"sku\":\"A\",\"qty\":2},{\"sku\":\"B\",\"qty\":1.5}]}",
		     203, &error);
	StLabelItem *item;
	g_assert_no_error(error);
	g_assert_cmpuint(l->items->len, ==, 3); /* the "when" item left out */
	item = g_ptr_array_index(l->items, 0);
	g_assert_cmpstr(item->text, ==, "Ana\nLyon {x}"); /* the empty company line dropped */
	item = g_ptr_array_index(l->items, 1);
	g_assert_cmpstr(item->text, ==, "A x2");
	g_assert_cmpint(item->y, ==, st_label_dots(60, 203));
	item = g_ptr_array_index(l->items, 2);
	g_assert_cmpstr(item->text, ==, "B x1.5");
	g_assert_cmpint(item->y, ==, st_label_dots(70, 203));

	/* a missing field is named, with the item */
	g_clear_pointer(&l, st_label_free);
	l = fill(t, "{\"r\":{\"name\":\"Ana\"},\"lines\":[]}", 203, &error);
	g_assert_null(l);
	g_assert_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "no r.city"));
	g_assert_nonnull(strstr(error->message, "\"addr\""));
	g_clear_error(&error);
	/* more entries than the template has room for */
	l = fill(t, "{\"r\":{\"name\":\"A\",\"city\":\"L\"},\"lines\":[{},{},{}]}", 203, &error);
	g_assert_null(l);
	g_assert_nonnull(strstr(error->message, "has room for 2"));
	g_clear_error(&error);
	/* not JSON */
	l = fill(t, "{\"r\":", 203, &error);
	g_assert_null(l);
	g_assert_nonnull(strstr(error->message, "not JSON"));
}

/* reads ZPL's ^GFA compressed hex back into rows of hex digits */
static GPtrArray *
read_gfa(const gchar *data, gint row_bytes)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
	GString *row = g_string_new(NULL);
	gint width = row_bytes * 2;
	for (const gchar *p = data; *p != '\0' && *p != '^'; p++) {
		gint count = 0;
		while ((*p >= 'G' && *p <= 'Y') || (*p >= 'g' && *p <= 'z')) {
			count += *p <= 'Y' ? *p - 'F' : (*p - 'f') * 20;
			p++;
		}
		if (*p == ',') {
			while ((gint)row->len < width)
				g_string_append_c(row, '0');
		} else if (*p == ':') {
			g_assert_cmpuint(rows->len, >, 0);
			g_string_assign(row, g_ptr_array_index(rows, rows->len - 1));
		} else {
			g_assert_true(g_ascii_isxdigit(*p));
			for (gint i = 0; i < MAX(count, 1); i++)
				g_string_append_c(row, *p);
		}
		g_assert_cmpint((gint)row->len, <=, width);
		if ((gint)row->len == width) {
			g_ptr_array_add(rows, g_strdup(row->str));
			g_string_truncate(row, 0);
		}
	}
	g_assert_cmpuint(row->len, ==, 0);
	g_string_free(row, TRUE);
	return rows;
}

static void
test_zpl_graphic(void)
{
	/* Chinese text: a graphic field whose rows read back to as many as it says */
	const gchar *t = "{\"page\":\"4x6in\",\"items\":[{\"type\":\"text\",\"x\":2,\"y\":2,"
			 "\"w\":90,\"h\":20,\"size\":6,\"text\":\"{n}\"}]}";
	g_autoptr(GError) error = NULL;
	g_autoptr(StLabel) l = fill(t, "{\"n\":\"张伟 上海市浦东新区\"}", 203, &error);
	g_autoptr(GBytes) zpl = NULL;
	g_autoptr(GPtrArray) rows = NULL;
	g_autofree gchar *text = NULL;
	const gchar *z, *gfa;
	gint total, total2, row_bytes, black = 0;

	g_assert_no_error(error);
	zpl = st_label_render(l, ST_LABEL_FORMAT_ZPL, &error);
	g_assert_no_error(error);
	{
		gsize n = 0;
		const gchar *raw = g_bytes_get_data(zpl, &n);
		z = text = g_strndup(raw, n); /* the bytes have no NUL at their end */
	}
	g_assert_null(strstr(z, "张"));
	gfa = strstr(z, "^GFA,");
	g_assert_nonnull(gfa);
	g_assert_cmpint(sscanf(gfa, "^GFA,%d,%d,%d,", &total, &total2, &row_bytes), ==, 3);
	g_assert_cmpint(total, ==, total2);
	g_assert_cmpint(row_bytes, ==, (st_label_dots(90, 203) + 7) / 8);
	for (gint commas = 0; commas < 4; gfa++)
		commas += *gfa == ',';
	rows = read_gfa(gfa, row_bytes);
	g_assert_cmpint((gint)rows->len * row_bytes, ==, total);
	g_assert_cmpint((gint)rows->len, ==, st_label_dots(20, 203));
	for (guint r = 0; r < rows->len; r++)
		for (const gchar *p = g_ptr_array_index(rows, r); *p != '\0'; p++)
			black += *p != '0';
	g_assert_cmpint(black, >, 100); /* the characters are there */
}

static cairo_status_t
append_png(void *closure, const unsigned char *data, unsigned int length)
{
	g_byte_array_append(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/* a 16 x 16 PNG, black left half, as base64 */
static gchar *
small_png_base64(void)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 16, 16);
	cairo_t *cr = cairo_create(s);
	g_autoptr(GByteArray) png = g_byte_array_new();
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_rectangle(cr, 0, 0, 8, 16);
	cairo_fill(cr);
	cairo_destroy(cr);
	g_assert_cmpint(cairo_surface_write_to_png_stream(s, append_png, png), ==,
			CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
	return g_base64_encode(png->data, png->len);
}

static void
assert_render_refused(const gchar *tmpl, const gchar *data, const gchar *needle)
{
	StLabelFormat formats[] = {ST_LABEL_FORMAT_ZPL, ST_LABEL_FORMAT_PDF, ST_LABEL_FORMAT_PNG};
	for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(StLabel) l = fill(tmpl, data, 203, &error);
		g_autoptr(GBytes) out = NULL;
		g_assert_no_error(error);
		out = st_label_render(l, formats[i], &error);
		g_assert_null(out);
		g_assert_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA);
		g_test_message("%s", error->message);
		g_assert_nonnull(strstr(error->message, needle));
	}
}

static void
test_images(void)
{
	const gchar *t = "{\"page\":{\"width_mm\":20,\"height_mm\":20},\"items\":["
			 "{\"type\":\"image\",\"name\":\"logo\",\"x\":1,\"y\":1,"
			 "\"w\":4,\"h\":4,\"image\":\"{logo}\"}]}";
	g_autofree gchar *b64 = small_png_base64();
	g_autofree gchar *data = g_strdup_printf("{\"logo\":\"%s\"}", b64);
	g_autoptr(GError) error = NULL;
	g_autoptr(StLabel) l = fill(t, data, 203, &error);
	g_autoptr(GBytes) zpl = NULL;
	g_autofree gchar *z = NULL;
	gsize n = 0;
	guchar *bad_png;
	g_autofree gchar *huge = NULL, *huge_data = NULL;

	g_assert_no_error(error);
	zpl = st_label_render(l, ST_LABEL_FORMAT_ZPL, &error);
	g_assert_no_error(error);
	{
		const gchar *raw = g_bytes_get_data(zpl, &n);
		z = g_strndup(raw, n);
	}
	/* 4 mm at 203 dpi is 32 dots: 4 bytes a row, 32 rows, each "FF" twice then zeros */
	g_assert_nonnull(strstr(z, "^FO8,8^GFA,128,128,4,"));
	g_assert_nonnull(strstr(z, "JF,"));

	/* not a PNG; a PNG claiming 100000 x 1 pixels: refused naming the image */
	assert_render_refused(t, "{\"logo\":\"aGVsbG8gd29ybGQ=\"}", "logo is not a PNG");
	bad_png = g_base64_decode(b64, &n);
	bad_png[16] = 0;
	bad_png[17] = 1;
	bad_png[18] = 0x86;
	bad_png[19] = 0xa0; /* width 100000 */
	huge = g_base64_encode(bad_png, n);
	huge_data = g_strdup_printf("{\"logo\":\"%s\"}", huge);
	assert_render_refused(t, huge_data, "100000 x 16 pixels");
	g_free(bad_png);
}

static void
test_refusals(void)
{
	g_autoptr(GError) error = NULL;
	/* a Code 128 that the data makes wider than the page, in every format */
	assert_render_refused("{\"page\":{\"width_mm\":40,\"height_mm\":20},\"items\":["
			      "{\"type\":\"barcode\",\"name\":\"trk\",\"x\":2,\"y\":2,"
			      "\"h\":5,\"symbology\":\"code128\",\"data\":\"{t}\"}]}",
			      "{\"t\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZ\"}", "does not fit the label");
	/* a box with a negative width; text bigger than the page; a page too large */
	g_assert_null(fill("{\"page\":\"4x4in\",\"items\":[{\"type\":\"box\",\"x\":5,"
			   "\"y\":5,\"w\":-3,\"h\":3}]}",
			   "{}", 203, &error));
	g_assert_nonnull(strstr(error->message, "outside the page"));
	g_clear_error(&error);
	g_assert_null(fill("{\"page\":\"4x4in\",\"items\":[{\"type\":\"text\",\"x\":5,"
			   "\"y\":5,\"size\":500,\"text\":\"x\"}]}",
			   "{}", 203, &error));
	g_assert_nonnull(strstr(error->message, "\"size\" must be within the page"));
	g_clear_error(&error);
	g_assert_null(fill("{\"page\":{\"width_mm\":600,\"height_mm\":1000},\"items\":[]}", "{}",
			   1200, &error));
	g_assert_nonnull(strstr(error->message, "too large"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/labels/pages", test_pages);
	g_test_add_func("/labels/gs1-brackets", test_gs1_brackets);
	g_test_add_func("/labels/symbol-checks", test_symbol_checks);
	g_test_add_func("/labels/template-faults", test_template_faults);
	g_test_add_func("/labels/fill", test_fill);
	g_test_add_func("/labels/zpl-graphic", test_zpl_graphic);
	g_test_add_func("/labels/images", test_images);
	g_test_add_func("/labels/refusals", test_refusals);
	g_test_add_func("/labels/maxicode", test_maxicode);
	g_test_add_func("/labels/banner", test_banner);
	g_test_add_func("/labels/filters", test_filters);
	g_test_add_func("/labels/paged", test_paged);
	return g_test_run();
}
