/*
 * Tests of configuration loading: a good file, the defaults, and each kind of mistake a
 * shift lead makes, each of which must name the file, the line and the key.
 */
#include "st-config.h"
#include "st-test-util.h"
#include "station/st-error.h"

static void
test_good(void)
{
	g_autofree gchar *path = st_test_source_path("fixtures/config/good.conf");
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = st_config_load_file(path, &error);
	StDeviceInfo *device;

	g_assert_no_error(error);
	g_assert_cmpstr(config->station_id, ==, "bench-07");
	g_assert_cmpstr(config->store_path, ==, "/var/lib/station/bench-07.db");
	g_assert_cmpuint(config->busy_timeout_ms, ==, 2500);
	g_assert_cmpint(config->log_level, ==, G_LOG_LEVEL_INFO);
	g_assert_cmpuint(config->devices->len, ==, 1);
	device = g_ptr_array_index(config->devices, 0);
	g_assert_cmpstr(device->id, ==, "front-scanner");
	g_assert_cmpint(device->role, ==, ST_DEVICE_ROLE_SCANNER);
	g_assert_cmpstr(st_device_info_get_option(device, "driver"), ==, "emulated");
	g_assert_cmpstr(st_device_info_get_option(device, "layout"), ==, "de");
	g_assert_cmpstr(st_device_info_get_option(device, "inter-key-timeout"), ==, "80");
}

static void
test_usb_binding(void)
{
	const gchar *text = "[usb]\nenabled = false\n"
			    "[device gun]\ndriver = keyboard\nvid-pid = 05E0:1200\n"
			    "serial = S1\nport-path = 1-2.3.4\nlayout = fr\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = st_config_load_data(text, strlen(text), "ok.conf", &error);
	StDeviceInfo *info;

	g_assert_no_error(error);
	g_assert_false(config->usb_enabled);
	info = g_ptr_array_index(config->devices, 0);
	g_assert_cmpstr(st_device_info_get_option(info, "vid-pid"), ==, "05E0:1200");
	g_assert_cmpstr(st_device_info_get_option(info, "serial"), ==, "S1");
	g_assert_cmpstr(st_device_info_get_option(info, "port-path"), ==, "1-2.3.4");
}

static void
test_defaults(void)
{
	g_autoptr(StConfig) config = st_config_new_default();
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) empty = st_config_load_data("", 0, "empty.conf", &error);

	g_assert_no_error(error);
	g_assert_cmpstr(config->store_path, ==, "/var/lib/station/station.db");
	g_assert_cmpuint(config->busy_timeout_ms, ==, 5000);
	g_assert_nonnull(config->station_id);
	g_assert_cmpuint(strlen(config->station_id), >, 0);
	g_assert_cmpstr(empty->store_path, ==, config->store_path);
	g_assert_cmpuint(empty->devices->len, ==, 0);
}

typedef struct {
	const gchar *name;
	const gchar *text;
	const gchar *expect[4]; /* substrings the message must hold */
} BadCase;

static const BadCase bad_cases[] = {
	{"unknown-key",
	 "[station]\nid = a\n\n[store]\npaht = /tmp/x.db\n",
	 {"bad.conf:5:", "paht", "[store]", NULL}},
	{"bad-number",
	 "[store]\nbusy-timeout = soon\n",
	 {"bad.conf:2:", "busy-timeout", "'soon'", "0 to 600000"}},
	{"number-too-big",
	 "[store]\nbusy-timeout = 9999999\n",
	 {"bad.conf:2:", "busy-timeout", NULL, NULL}},
	{"bad-choice", "[log]\nlevel = loud\n", {"bad.conf:2:", "level", "loud", "debug"}},
	{"bad-name", "[station]\nid = bench 7\n", {"bad.conf:2:", "[station] id", NULL, NULL}},
	{"unknown-group", "[printer]\nqueue = x\n", {"bad.conf:1:", "[printer]", NULL, NULL}},
	{"not-key-value", "[store]\npath /tmp/x.db\n", {"bad.conf:2:", "key = value", NULL, NULL}},
	{"key-before-group",
	 "path = /tmp/x.db\n",
	 {"bad.conf:1:", "before any [group]", NULL, NULL}},
	{"duplicate-key",
	 "[store]\npath = /a\npath = /b\n",
	 {"bad.conf:3:", "twice", "line 2", NULL}},
	{"duplicate-group", "[store]\n[log]\n[store]\n", {"bad.conf:3:", "twice", NULL, NULL}},
	{"device-without-driver",
	 "[device s1]\nlayout = us\n",
	 {"bad.conf:1:", "driver", NULL, NULL}},
	{"bad-role",
	 "[device s1]\ndriver = emulated\nrole = printer\n",
	 {"bad.conf:3:", "role", "printer", NULL}},
	{"bad-device-name",
	 "[device two words]\ndriver = emulated\n",
	 {"bad.conf:1:", "unknown group", NULL, NULL}},
	{"empty-value", "[store]\npath =\n", {"bad.conf:2:", "empty", NULL, NULL}},
	{"not-utf8", "[station]\nid = \xff\xfe\n", {"bad.conf", "UTF-8", NULL, NULL}},
	{"vid-pid-short",
	 "[device s]\ndriver = keyboard\nvid-pid = 5e0:1200\n",
	 {"bad.conf:3:", "vid-pid", "05e0:1200", NULL}},
	{"vid-pid-not-hex",
	 "[device s]\ndriver = keyboard\nvid-pid = 05e0:12g0\n",
	 {"bad.conf:3:", "vid-pid", NULL, NULL}},
	{"port-path-dangling",
	 "[device s]\ndriver = keyboard\nport-path = 1-2.\n",
	 {"bad.conf:3:", "port-path", "1-2.3", NULL}},
	{"port-path-no-bus",
	 "[device s]\ndriver = keyboard\nport-path = -2\n",
	 {"bad.conf:3:", "port-path", NULL, NULL}},
	{"usb-device-unmatched",
	 "[device s]\ndriver = keyboard\nlayout = de\n",
	 {"bad.conf:1:", "vid-pid, serial or port-path", NULL, NULL}},
	{"usb-enabled-maybe",
	 "[usb]\nenabled = maybe\n",
	 {"bad.conf:2:", "true, false", NULL, NULL}},
	{"sscc-prefix-letters",
	 "[pack]\nsscc-prefix = 0614X41\n",
	 {"bad.conf:2:", "sscc-prefix", "5 to 16 digits", NULL}},
	{"sscc-prefix-long",
	 "[pack]\nsscc-prefix = 12345678901234567\n",
	 {"bad.conf:2:", "5 to 16 digits", NULL, NULL}},
	{"customs-area-name",
	 "\n[customs]\narea = DE, Germany\n",
	 {"bad.conf:3:", "'Germany' is not an ISO 3166", NULL, NULL}},
	{"carrier-templates-pair",
	 "[pack]\ncarrier-templates = UPS carrier-4x6-ups\n",
	 {"bad.conf:2:", "CARRIER:TEMPLATE", NULL, NULL}},
	{"customs-category", "[customs]\ncategory = bribe\n", {"bad.conf:2:", "sale", NULL, NULL}},
};

static void
test_bad(gconstpointer user_data)
{
	const BadCase *c = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config =
		st_config_load_data(c->text, strlen(c->text), "bad.conf", &error);
	g_assert_null(config);
	g_assert_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG);
	for (guint i = 0; i < G_N_ELEMENTS(c->expect) && c->expect[i] != NULL; i++) {
		if (strstr(error->message, c->expect[i]) == NULL)
			g_error("%s: message '%s' lacks '%s'", c->name, error->message,
				c->expect[i]);
	}
}

static void
test_missing_file(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = st_config_load("/nonexistent/station.conf", &error);
	g_assert_null(config);
	g_assert_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG);
	g_assert_nonnull(strstr(error->message, "/nonexistent/station.conf"));
}

static void
test_unreadable_file(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = NULL;

	/* a folder where a file is expected cannot be read as one, even by root */
	config = st_config_load(dir, &error);
	g_assert_null(config);
	g_assert_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG);
	g_assert_nonnull(strstr(error->message, "cannot read configuration"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

static void
test_resolve_order(void)
{
	gboolean explicit_path = FALSE;
	g_setenv("STATION_CONFIG", "/from/env.conf", TRUE);
	g_assert_cmpstr(st_config_resolve_path("/from/cli.conf", &explicit_path), ==,
			"/from/cli.conf");
	g_assert_true(explicit_path);
	g_assert_cmpstr(st_config_resolve_path(NULL, &explicit_path), ==, "/from/env.conf");
	g_assert_true(explicit_path);
	g_unsetenv("STATION_CONFIG");
	g_assert_cmpstr(st_config_resolve_path(NULL, &explicit_path), ==, ST_CONFIG_DEFAULT_PATH);
	g_assert_false(explicit_path);
}

static void
test_reference(void)
{
	g_autofree gchar *text = st_config_to_reference();
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(GString) uncommented = g_string_new(NULL);
	g_auto(GStrv) lines = NULL;

	/* the reference, with its example lines uncommented, is itself a valid file (the
	 * device group given a name and its driver) */
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		const gchar *l = lines[i];
		if (g_str_has_prefix(l, "#[printer NAME]")) {
			g_string_append(uncommented, "[printer p1]\nqueue = label-1\n");
			continue;
		}
		if (g_str_has_prefix(l, "#[device NAME]")) {
			g_string_append(uncommented, "[device d1]\n");
			continue;
		}
		if (l[0] == '#' && strchr(l, '=') != NULL && !g_str_has_prefix(l, "# ") &&
		    l[strlen(l) - 1] != '=') {
			g_string_append_printf(uncommented, "%s\n", l + 1);
			continue;
		}
		g_string_append_printf(uncommented, "%s\n", l);
	}
	g_string_append(uncommented, "driver = emulated\n");
	config = st_config_load_data(uncommented->str, uncommented->len, "reference", &error);
	g_assert_no_error(error);
	g_assert_nonnull(config);
	g_assert_cmpuint(config->devices->len, ==, 1);
	g_assert_cmpuint(config->printers->len, ==, 1);
	g_clear_pointer(&config, st_config_free);
	/* and as it is (the sample `meson install` puts in /etc/station): every key commented
	 * out, the built-in defaults */
	config = st_config_load_data(text, strlen(text), "sample", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(config->devices->len, ==, 0);
	g_assert_cmpstr(config->store_path, ==, "/var/lib/station/station.db");
}

static void
test_readme_documents_every_key(void)
{
	g_autofree gchar *readme_path = st_test_source_path("../README.md");
	g_autofree gchar *readme = NULL;
	g_autofree gchar *reference = st_config_to_reference();
	g_auto(GStrv) lines = g_strsplit(reference, "\n", -1);
	guint n_keys = 0;

	g_assert_true(g_file_get_contents(readme_path, &readme, NULL, NULL));
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autofree gchar *key = NULL;
		g_autofree gchar *quoted = NULL;
		const gchar *l = lines[i];
		if (l[0] != '#' || l[1] == ' ' || strchr(l, '=') == NULL)
			continue;
		key = g_strstrip(g_strndup(l + 1, (gsize)(strchr(l, '=') - l - 1)));
		quoted = g_strdup_printf("| `%s` |", key);
		if (strstr(readme, quoted) == NULL)
			g_error("README.md does not document the key %s", key);
		n_keys++;
	}
	g_assert_cmpuint(n_keys, >=, 10);
}

/* [store] allow-negative: location codes, commas, spaces and empty entries ignored */
static void
test_allow_negative(void)
{
	static const gchar text[] = "[store]\nallow-negative = BENCH-1, ,DOCK \n";
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = st_config_load_data(text, sizeof(text) - 1, "t.conf", &error);
	g_autoptr(StConfig) none = st_config_new_default();
	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(config->allow_negative), ==, 2);
	g_assert_cmpstr(config->allow_negative[0], ==, "BENCH-1");
	g_assert_cmpstr(config->allow_negative[1], ==, "DOCK");
	g_assert_null(none->allow_negative);
}

/* the bench's keys and the pack keys in either order keep each other's values */
static void
test_bench_and_pack(void)
{
	static const gchar text[] = "[bench]\nlocation = BENCH-1\nidle-logout = 60\n\n"
				    "[pack]\nweigh = yes\nweight-tolerance-g = 30\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = st_config_load_data(text, sizeof(text) - 1, "t.conf", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(config->bench_location, ==, "BENCH-1");
	g_assert_cmpstr(config->pack_weigh, ==, "yes");
	g_assert_cmpuint(config->idle_logout_s, ==, 60);
	g_assert_cmpuint(config->weight_tolerance_g, ==, 30);
}

/* printing by the bench: [pack] and [customs]; who needs a customs declaration */
static void
test_printing_keys(void)
{
	static const gchar text[] = "[pack]\nsscc-prefix = 00614141\nconfirm-label = yes\n"
				    "label-template = my-label\nslip-template = none\n\n"
				    "[sender]\ncountry = DE\n";
	static const gchar area[] = "[sender]\ncountry = CH\n\n[customs]\narea = ch, LI\n"
				    "currency = CHF\n";
	static const gchar us[] =
		"[sender]\ncountry = US\n[pack]\ncarrier-templates = ups: "
		"carrier-4x6-ups, USPS:carrier-4x6-usps, UPS/Express:ups-express\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = st_config_load_data(text, sizeof(text) - 1, "t.conf", &error);
	g_autoptr(StConfig) swiss = NULL;
	g_autoptr(StConfig) american = NULL;
	g_autoptr(StConfig) empty = st_config_load_data("", 0, "e.conf", &error);

	g_assert_no_error(error);
	g_assert_cmpstr(config->sscc_prefix, ==, "00614141");
	g_assert_true(config->confirm_label);
	g_assert_cmpstr(config->label_template, ==, "my-label");
	g_assert_cmpstr(config->slip_template, ==, "none");
	g_assert_cmpstr(empty->label_template, ==, "gs1-logistic");
	g_assert_cmpstr(empty->slip_template, ==, "packing-slip");
	g_assert_cmpstr(empty->customs_template, ==, "cn23");
	g_assert_cmpstr(empty->customs_currency, ==, "EUR");
	g_assert_false(empty->confirm_label);
	g_assert_null(empty->sscc_prefix);
	/* a sender in the EU: the EU's 27 are one customs area */
	g_assert_false(st_config_customs_needed(config, "FR"));
	g_assert_false(st_config_customs_needed(config, "de"));
	g_assert_true(st_config_customs_needed(config, "GB"));
	g_assert_true(st_config_customs_needed(config, "CH"));
	g_assert_true(st_config_customs_needed(config, "US"));
	g_assert_false(st_config_customs_needed(config, NULL));
	g_assert_false(st_config_customs_needed(config, ""));
	/* an area of its own */
	swiss = st_config_load_data(area, sizeof(area) - 1, "ch.conf", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(swiss->customs_currency, ==, "CHF");
	g_assert_false(st_config_customs_needed(swiss, "LI"));
	g_assert_true(st_config_customs_needed(swiss, "DE"));
	/* outside the EU without an area: the sender's country alone */
	american = st_config_load_data(us, sizeof(us) - 1, "us.conf", &error);
	g_assert_false(st_config_customs_needed(american, "US"));
	g_assert_true(st_config_customs_needed(american, "CA"));
	/* the carrier's template for a parcel it gave a number for: by carrier, else * */
	g_assert_cmpstr(st_config_carrier_template(empty, "DHL", NULL), ==, "carrier-4x6");
	g_assert_cmpstr(st_config_carrier_template(american, "UPS", "Ground"), ==,
			"carrier-4x6-ups");
	g_assert_cmpstr(st_config_carrier_template(american, "UPS", "express"), ==, "ups-express");
	g_assert_cmpstr(st_config_carrier_template(american, "usps", ""), ==, "carrier-4x6-usps");
	g_assert_null(st_config_carrier_template(american, "DHL", NULL));
	/* no sender country: nothing is known, no declaration */
	g_assert_false(st_config_customs_needed(empty, "CN"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/station/config/good", test_good);
	g_test_add_func("/station/config/allow-negative", test_allow_negative);
	g_test_add_func("/station/config/bench-and-pack", test_bench_and_pack);
	g_test_add_func("/station/config/printing-keys", test_printing_keys);
	g_test_add_func("/station/config/defaults", test_defaults);
	g_test_add_func("/station/config/usb-binding", test_usb_binding);
	for (guint i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
		g_autofree gchar *name =
			g_strdup_printf("/station/config/bad/%s", bad_cases[i].name);
		g_test_add_data_func(name, &bad_cases[i], test_bad);
	}
	g_test_add_func("/station/config/missing-file", test_missing_file);
	g_test_add_func("/station/config/unreadable-file", test_unreadable_file);
	g_test_add_func("/station/config/resolve-order", test_resolve_order);
	g_test_add_func("/station/config/reference", test_reference);
	g_test_add_func("/station/config/readme-documents-every-key",
			test_readme_documents_every_key);
	return g_test_run();
}
