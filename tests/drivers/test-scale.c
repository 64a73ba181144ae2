/*
 * Tests of the scale decoder: every status and unit through the report descriptor, the
 * reports of ../shared/fixtures/usb/scale.ioctl through the descriptor and through the common
 * layout, refusals, conversion to milligrams, and the zero output report.
 */
#include <string.h>

#include "scale/st-scale-decoder.h"
#include "usb/st-usb-known.h"
#include "st-test-hid.h"
#include "st-test-util.h"
#include "station/st-error.h"

static StScaleDecoder *
decoder_with_descriptor(void)
{
	g_autoptr(GBytes) desc =
		g_bytes_new_static(st_test_scale_descriptor, sizeof(st_test_scale_descriptor));
	g_autoptr(GError) error = NULL;
	StScaleDecoder *decoder = st_scale_decoder_new(desc, &error);
	g_assert_no_error(error);
	return decoder;
}

static void
test_every_status_and_unit(void)
{
	g_autoptr(StScaleDecoder) decoder = decoder_with_descriptor();
	for (guint status = 1; status <= 8; status++) {
		for (guint unit = 1; unit <= 12; unit++) {
			const guint8 report[] = {3, status, unit, 0xFE, 0x34, 0x12};
			g_autoptr(GError) error = NULL;
			StWeight w;
			g_assert_true(st_scale_decoder_decode(decoder, report, sizeof(report), &w,
							      &error));
			g_assert_no_error(error);
			g_assert_cmpint(w.status, ==, status);
			g_assert_cmpint(w.unit, ==, unit);
			g_assert_cmpint(w.exponent, ==, -2);
			g_assert_cmpint(w.value, ==, 0x1234);
		}
	}
}

/* the scale reports of the fixture, from its REAPURBNDELAY lines */
static GPtrArray *
fixture_reports(void)
{
	g_autofree gchar *path = st_test_source_path("../../shared/fixtures/usb/scale.ioctl");
	g_autofree gchar *text = NULL;
	g_auto(GStrv) lines = NULL;
	GPtrArray *reports = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return NULL;
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) f = g_strsplit(lines[i], " ", -1);
		g_autoptr(GByteArray) b = g_byte_array_new();
		const gchar *hex;
		/* REAPURBNDELAY ret type endpoint status flags buffer_len actual_len errors hex */
		if (!g_str_has_prefix(lines[i], "USBDEVFS_REAPURBNDELAY") || g_strv_length(f) < 10)
			continue;
		hex = f[9];
		for (guint j = 0; hex[j] != '\0' && hex[j + 1] != '\0'; j += 2) {
			gchar byte[3] = {hex[j], hex[j + 1], 0};
			guint8 v = (guint8)g_ascii_strtoull(byte, NULL, 16);
			g_byte_array_append(b, &v, 1);
		}
		g_ptr_array_add(reports, g_byte_array_free_to_bytes(g_steal_pointer(&b)));
	}
	return reports;
}

static void
test_fixture(gconstpointer use_descriptor)
{
	g_autoptr(GPtrArray) reports = fixture_reports();
	g_autoptr(StScaleDecoder) decoder = use_descriptor != NULL
						    ? decoder_with_descriptor()
						    : st_scale_decoder_new(NULL, NULL);
	/* fixtures/usb/SOURCES.md: stable zero; in motion 500 g; stable 1000 g; stable 35.1 oz */
	const struct {
		StWeightStatus status;
		StWeightUnit unit;
		gint64 mg;
	} expect[] = {
		{ST_WEIGHT_STATUS_STABLE_ZERO, ST_WEIGHT_UNIT_GRAM, 0},
		{ST_WEIGHT_STATUS_IN_MOTION, ST_WEIGHT_UNIT_GRAM, 500000},
		{ST_WEIGHT_STATUS_STABLE, ST_WEIGHT_UNIT_GRAM, 1000000},
		{ST_WEIGHT_STATUS_STABLE, ST_WEIGHT_UNIT_OUNCE, 995068},
	};

	if (reports == NULL) {
		g_test_skip("../shared/fixtures/usb/scale.ioctl not found: fixture not checked");
		return;
	}
	g_assert_cmpuint(reports->len, ==, G_N_ELEMENTS(expect));
	for (guint i = 0; i < reports->len; i++) {
		GBytes *r = g_ptr_array_index(reports, i);
		g_autoptr(GError) error = NULL;
		StWeight w;
		gint64 mg = -1;
		g_assert_true(st_scale_decoder_decode(decoder, g_bytes_get_data(r, NULL),
						      g_bytes_get_size(r), &w, &error));
		g_assert_no_error(error);
		g_assert_cmpint(w.status, ==, expect[i].status);
		g_assert_cmpint(w.unit, ==, expect[i].unit);
		g_assert_true(st_weight_to_milligrams(&w, &mg, &error));
		g_assert_cmpint(mg, ==, expect[i].mg);
	}
}

typedef struct {
	const gchar *name;
	guint8 report[8];
	gsize len;
	const gchar *expect;
} BadReport;

static const BadReport bad[] = {
	{"short", {3, 4, 2, 0, 0xE8}, 5, "too short"},
	{"other-report-id", {4, 4, 2, 0, 0xE8, 3}, 6, "report id 4"},
	{"status-0", {3, 0, 2, 0, 0xE8, 3}, 6, "status"},
	{"status-9", {3, 9, 2, 0, 0xE8, 3}, 6, "status"},
	{"unit-0", {3, 4, 0, 0, 0xE8, 3}, 6, "unit"},
	{"unit-13", {3, 4, 13, 0, 0xE8, 3}, 6, "unit"},
	{"exponent-9", {3, 4, 2, 9, 0xE8, 3}, 6, "exponent 9"},
	{"empty", {0}, 0, "empty"},
};

static void
test_bad(gconstpointer user_data)
{
	const BadReport *c = user_data;
	g_autoptr(StScaleDecoder) with = decoder_with_descriptor();
	g_autoptr(StScaleDecoder) without = st_scale_decoder_new(NULL, NULL);
	g_autoptr(GError) error = NULL;
	StWeight w;

	g_assert_false(st_scale_decoder_decode(with, c->report, c->len, &w, &error));
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
	if (strstr(error->message, c->expect) == NULL)
		g_error("%s: '%s' lacks '%s'", c->name, error->message, c->expect);
	g_clear_error(&error);
	/* the common layout refuses them too (it accepts any exponent byte, which the
	 * conversion to milligrams then refuses) */
	if (g_strcmp0(c->name, "exponent-9") != 0) {
		g_assert_false(st_scale_decoder_decode(without, c->report, c->len, &w, &error));
		g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
	} else {
		gint64 mg;
		g_assert_true(st_scale_decoder_decode(without, c->report, c->len, &w, &error));
		g_assert_false(st_weight_to_milligrams(&w, &mg, &error));
	}
}

static void
test_zero_report(void)
{
	g_autoptr(StScaleDecoder) with = decoder_with_descriptor();
	g_autoptr(StScaleDecoder) without = st_scale_decoder_new(NULL, NULL);
	g_autoptr(GByteArray) report = g_byte_array_new();
	g_autoptr(GError) error = NULL;
	guint8 id = 0;

	g_assert_true(st_scale_decoder_make_zero_report(with, &id, report, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(id, ==, 5);
	g_assert_cmpuint(report->len, ==, 1);
	g_assert_cmpuint(report->data[0], ==, 0x01);
	g_assert_false(st_scale_decoder_make_zero_report(without, &id, report, &error));
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_NOT_SUPPORTED);
}

static void
test_milligrams(void)
{
	g_autoptr(GError) error = NULL;
	gint64 mg = 0;
	/* 1 lb = 453.59237 g exactly; 0.5 kg; -12 g under zero; 2 ct = 400 mg */
	StWeight lb = {.status = 4, .unit = ST_WEIGHT_UNIT_POUND, .value = 1};
	StWeight kg = {.status = 4, .unit = ST_WEIGHT_UNIT_KILOGRAM, .value = 5, .exponent = -1};
	StWeight under = {.status = 5, .unit = ST_WEIGHT_UNIT_GRAM, .value = -12};
	StWeight ct = {.status = 4, .unit = ST_WEIGHT_UNIT_CARAT, .value = 2};
	StWeight huge = {.status = 4,
			 .unit = ST_WEIGHT_UNIT_METRIC_TON,
			 .value = G_MAXINT64 / 2,
			 .exponent = 7};
	StWeight bad_unit = {.status = 4, .unit = 99, .value = 1};
	StWeight bad_exp = {.status = 4, .unit = ST_WEIGHT_UNIT_GRAM, .value = 1, .exponent = 9};

	g_assert_true(st_weight_to_milligrams(&lb, &mg, &error));
	g_assert_cmpint(mg, ==, 453592);
	g_assert_true(st_weight_to_milligrams(&kg, &mg, &error));
	g_assert_cmpint(mg, ==, 500000);
	g_assert_true(st_weight_to_milligrams(&under, &mg, &error));
	g_assert_cmpint(mg, ==, -12000);
	g_assert_true(st_weight_to_milligrams(&ct, &mg, &error));
	g_assert_cmpint(mg, ==, 400);
	g_assert_no_error(error);
	g_assert_false(st_weight_to_milligrams(&huge, &mg, &error));
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_false(st_weight_to_milligrams(&bad_unit, &mg, &error));
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_false(st_weight_to_milligrams(&bad_exp, &mg, &error));
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
}

static void
test_descriptor_without_scale(void)
{
	g_autoptr(GBytes) desc = g_bytes_new_static(st_test_keyboard_descriptor,
						    sizeof(st_test_keyboard_descriptor));
	g_autoptr(GError) error = NULL;
	g_autoptr(StScaleDecoder) decoder = st_scale_decoder_new(desc, &error);
	g_assert_null(decoder);
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
}

/* the known-model table: sorted, one row a model, and the scales the station names */
static void
test_known_models(void)
{
	guint n = 0;
	const StUsbKnownDevice *all = st_usb_known_get_all(&n);
	static const struct {
		guint16 vid, pid;
		const gchar *model;
	} named[] = {
		{0x0922, 0x8003, "DYMO M10"},
		{0x0922, 0x8004, "DYMO M25"},
		{0x0922, 0x8009, "DYMO S250"},
		{0x1446, 0x6a73, "Stamps.com"},
		{0x2474, 0x3550, "Stamps.com"},
		{0x0b67, 0x555e, "Fairbanks"},
		{0x0eb8, 0xf000, "Mettler Toledo PS60"},
		{0x0d8f, 0x0200, "Pitney Bowes"},
		{0x7b7c, 0x0100, "Elane"},
		/* a vendor's other products: its vendor-wide row (a DYMO S400, say) */
		{0x0eb8, 0x1234, "Mettler Toledo scale"},
		{0x0922, 0x8010, "DYMO scale"},
	};

	g_assert_cmpuint(n, >, 0);
	for (guint i = 1; i < n; i++)
		g_assert_cmpuint((guint32)all[i - 1].vid << 16 | all[i - 1].pid, <,
				 (guint32)all[i].vid << 16 | all[i].pid);
	for (guint i = 0; i < G_N_ELEMENTS(named); i++) {
		const StUsbKnownDevice *k = st_usb_known_lookup(named[i].vid, named[i].pid);
		g_assert_nonnull(k);
		g_assert_cmpstr(k->driver, ==, "scale");
		g_assert_nonnull(strstr(k->model, named[i].model));
	}
	g_assert_true(st_usb_known_lookup(0x0922, 0x8003)->quirks &
		      ST_USB_QUIRK_STALE_FIRST_REPORT);
	g_assert_true(st_usb_known_lookup(0x0922, 0x8010)->quirks &
		      ST_USB_QUIRK_STALE_FIRST_REPORT);
	g_assert_null(st_usb_known_lookup(0x1d6b, 0x0002)); /* a root hub */
}

/* a reading as a person reads it, from the value and exponent, exactly */
static void
test_to_string(void)
{
	struct {
		gint64 value;
		gint8 exponent;
		StWeightUnit unit;
		const gchar *text;
	} cases[] = {
		{351, -1, ST_WEIGHT_UNIT_OUNCE, "35.1 oz"},
		{3, 2, ST_WEIGHT_UNIT_GRAM, "300 g"},
		{300000, 0, ST_WEIGHT_UNIT_MILLIGRAM, "300000 mg"},
		{5, -3, ST_WEIGHT_UNIT_KILOGRAM, "0.005 kg"},
		{-25, -1, ST_WEIGHT_UNIT_POUND, "-2.5 lb"},
		{0, -2, ST_WEIGHT_UNIT_GRAM, "0.00 g"},
		{0, 3, ST_WEIGHT_UNIT_GRAM, "0 g"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		StWeight w = {.unit = cases[i].unit,
			      .value = cases[i].value,
			      .exponent = cases[i].exponent};
		g_autofree gchar *text = st_weight_to_string(&w);
		g_assert_cmpstr(text, ==, cases[i].text);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/scale/to-string", test_to_string);
	g_test_add_func("/drivers/scale/every-status-and-unit", test_every_status_and_unit);
	g_test_add_data_func("/drivers/scale/fixture/descriptor", "yes", test_fixture);
	g_test_add_data_func("/drivers/scale/fixture/common-layout", NULL, test_fixture);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree gchar *name = g_strdup_printf("/drivers/scale/bad/%s", bad[i].name);
		g_test_add_data_func(name, &bad[i], test_bad);
	}
	g_test_add_func("/drivers/scale/zero-report", test_zero_report);
	g_test_add_func("/drivers/scale/milligrams", test_milligrams);
	g_test_add_func("/drivers/scale/descriptor-without-scale", test_descriptor_without_scale);
	g_test_add_func("/drivers/usb/known-models", test_known_models);
	return g_test_run();
}
