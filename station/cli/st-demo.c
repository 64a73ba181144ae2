/*
 * The demo: seeds a temporary database with a few products and orders (through the store's
 * verbs, as an import would), starts the daemon on it with one emulated keyboard-wedge
 * scanner whose script types an order number, its items and one wrong item as HID boot
 * reports, prints each verdict as it happens; the bench prints the packed order's parcel
 * label (ZPL, with the SSCC the station gave the parcel) and packing slip (PDF) by itself, to
 * spool folders as a bench without printers would; then a summary.
 */
#include <glib/gstdio.h>
#include <stdio.h>

#include "station/st-error.h"

#include "st-cli.h"
#include "st-daemon.h"
#include "st-demo.h"
#include "st-label-data.h"
#include "st-log.h"

typedef struct {
	StDaemon *daemon;
	guint failures;
	guint results;
	gboolean finished; /* the scanner's script ran to its end (not Ctrl+C) */
} StDemo;

/* with what a customs declaration says of each (ORD-1001 leaves the EU) */
static const struct {
	const gchar *sku;
	const gchar *name;
	guint weight_g;
	const gchar *barcode;
	const gchar *hs_code, *origin;
	guint64 value_cents;
} demo_products[] = {
	{"PEN-BLK", "Fineliner pen, black", 12, "4006381333931", "960820", "DE", 150},
	{"TAPE-48", "Packing tape 48 mm", 210, "5901234123457", "391910", "PL", 320},
	{"MUG-WHT", "Mug, white", 340, "0012345678905", "691200", "PT", 890},
	{"BOOK-PAT", "Design Patterns (book)", 980, "9780201379624", "490199", "US", 4500},
};

static const gchar *demo_script = "# station demo: one packer packs order ORD-1001\n"
				  "wait 100\n"
				  "type ORD-1001\n"
				  "wait 150\n"
				  "type 4006381333931\n"
				  "wait 150\n"
				  "type 5901234123457\n"
				  "wait 150\n"
				  "# the mug is not in ORD-1001: refused\n"
				  "type 0012345678905\n"
				  "wait 150\n"
				  "type 5901234123457\n"
				  "wait 150\n";

static gboolean
st_demo_seed(const gchar *path, GError **error)
{
	g_autoptr(StStore) store = st_store_new("demo-bench");
	StOrderLineSpec order1[] = {{"PEN-BLK", 1}, {"TAPE-48", 2}};
	StAddress ship_to = {"Ana Müller", NULL, "Hauptstraße 5", NULL,
			     "Trenton",	   "NJ", "08102",	  "US",
			     NULL,	   NULL};
	StOrderSpec spec1 = {"ORD-1001", ST_ORDER_STATUS_RELEASED, &ship_to, "GROUND", "UPS",
			     order1,	 G_N_ELEMENTS(order1)};
	StOrderLineSpec order2[] = {{"BOOK-PAT", 1}, {"MUG-WHT", 1}};
	StOrderLineSpec order3[] = {{"MUG-WHT", 2}};

	if (!st_store_open(store, path, 5000, error))
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(demo_products); i++) {
		const gchar *barcodes[] = {demo_products[i].barcode, NULL};
		if (!st_store_put_product(
			    store,
			    &(StProductSpec){.sku = demo_products[i].sku,
					     .name = demo_products[i].name,
					     .weight_g = demo_products[i].weight_g,
					     .barcodes = barcodes,
					     .hs_code = demo_products[i].hs_code,
					     .origin_country = demo_products[i].origin,
					     .customs_value_cents = demo_products[i].value_cents},
			    NULL, error))
			return FALSE;
	}
	if (!st_store_put_order(store, &spec1, NULL, error))
		return FALSE;
	if (!st_store_put_order(store,
				&(StOrderSpec){.number = "ORD-1002",
					       .status = ST_ORDER_STATUS_RELEASED,
					       .lines = order2,
					       .n_lines = G_N_ELEMENTS(order2)},
				NULL, error))
		return FALSE;
	if (!st_store_put_order(store,
				&(StOrderSpec){.number = "ORD-1003",
					       .status = ST_ORDER_STATUS_CANCELLED,
					       .lines = order3,
					       .n_lines = G_N_ELEMENTS(order3)},
				NULL, error))
		return FALSE;
	st_store_close(store);
	return TRUE;
}

static void
st_demo_scan_result_cb(StScanRouter *router, StVerdict *result, gpointer user_data)
{
	StDemo *demo = user_data;
	demo->results++;
	g_print("  scan %-3" G_GINT64_FORMAT " %-8s %-16s %s%s%s%s\n", result->scan_id,
		result->ok ? "ok" : "REFUSED", result->display, result->message,
		result->reason != NULL ? " [" : "", result->reason != NULL ? result->reason : "",
		result->reason != NULL ? "]" : "");
}

static void
st_demo_scan_lost_cb(StDaemon *daemon,
		     const gchar *device_id,
		     const gchar *reason,
		     gpointer user_data)
{
	g_print("  LOST     %s: %s\n", device_id, reason);
}

static void
st_demo_scan_failed_cb(StDaemon *daemon, const gchar *message, gpointer user_data)
{
	StDemo *demo = user_data;
	demo->failures++;
	g_print("  FAILED   %s\n", message);
}

static void
st_demo_finished_cb(StDevice *device, gpointer user_data)
{
	StDemo *demo = user_data;
	demo->finished = TRUE;
	st_daemon_quit(demo->daemon);
}

/* what the bench printed by itself when the order was packed (the parcel's GS1 logistic
 * label with the SSCC the station gave it, and the packing slip, to spool folders), once the
 * prints have ended; and a PNG preview of the label beside them */
static gboolean
st_demo_print(StDaemon *daemon, const StConfig *config, const gchar *tmpdir, GError **error)
{
	StBenchPrint *print = st_daemon_get_bench_print(daemon);
	g_autoptr(GPtrArray) done = NULL;
	g_autoptr(StLabelTemplate) tmpl = NULL;
	g_autoptr(StLabel) label = NULL;
	g_autoptr(GBytes) png = NULL;
	g_autofree gchar *path = g_build_filename(tmpdir, "ORD-1001-label.png", NULL);
	gsize len = 0;
	g_autofree gchar *data = NULL;

	while (st_bench_print_get_pending(print) > 0)
		g_main_context_iteration(NULL, TRUE);
	done = st_bench_print_take_done(print);
	if (done->len == 0) {
		g_set_error(error, ST_CLI_ERROR, ST_ERROR_FAILED, "the bench printed nothing");
		return FALSE;
	}
	for (guint i = 0; i < done->len; i++)
		g_print("  %s\n", (const gchar *)g_ptr_array_index(done, i));
	data = st_label_parcel_data(st_daemon_get_store(daemon), config, "ORD-1001", 1, &len,
				    error);
	tmpl = data != NULL ? st_label_find_template(config->label_template, error) : NULL;
	if (tmpl == NULL)
		return FALSE;
	label = st_label_template_fill(tmpl, data, (gssize)len, 203, st_label_check_value, NULL,
				       error);
	png = label != NULL ? st_label_render(label, ST_LABEL_FORMAT_PNG, error) : NULL;
	if (png == NULL || !g_file_set_contents(path, g_bytes_get_data(png, NULL),
						(gssize)g_bytes_get_size(png), error))
		return FALSE;
	g_print("  preview   %s\n", path);
	return TRUE;
}

static gboolean
st_demo_rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;
	if (dir != NULL) {
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			if (g_file_test(child, G_FILE_TEST_IS_DIR))
				st_demo_rm_rf(child);
			else
				g_unlink(child);
		}
	}
	return g_rmdir(path) == 0;
}

gint
st_demo_run(gint argc, gchar **argv)
{
	gboolean keep = FALSE;
	gboolean verbose = FALSE;
	g_autofree gchar *layout = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmpdir = NULL;
	g_autofree gchar *db = NULL;
	g_autofree gchar *script = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(StDaemon) daemon = NULL;
	StDeviceInfo *info;
	StStoreSummary summary = {0};
	StDemo demo = {0};
	gint rc;
	GOptionEntry entries[] = {
		{"keep", 'k', 0, G_OPTION_ARG_NONE, &keep,
		 N_("Keep the demo's database and script instead of deleting them"), NULL},
		{"layout", 'l', 0, G_OPTION_ARG_STRING, &layout,
		 N_("Keyboard layout of the emulated scanner, such as de or fr (default: us)"),
		 N_("LAYOUT")},
		{"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
		 N_("Also show the daemon's log (state changes, devices)"), NULL},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("Run the station on a temporary database with an emulated scanner: it\n"
		   "opens order ORD-1001, scans its items and one wrong item, and prints\n"
		   "each verdict and a summary. Nothing outside a temporary folder is used."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "demo", &argc, &argv, 0)) >= 0)
		return rc;
	st_log_set_threshold(verbose ? G_LOG_LEVEL_INFO : G_LOG_LEVEL_WARNING);

	tmpdir = g_dir_make_tmp("station-demo-XXXXXX", &error);
	if (tmpdir == NULL) {
		g_printerr(_("station demo: cannot make a temporary folder: %s\n"), error->message);
		return 1;
	}
	db = g_build_filename(tmpdir, "station.db", NULL);
	script = g_build_filename(tmpdir, "scanner.script", NULL);
	if (!g_file_set_contents(script, demo_script, -1, &error) || !st_demo_seed(db, &error)) {
		g_printerr(_("station demo: preparing the demo database failed: %s\n"),
			   error->message);
		st_demo_rm_rf(tmpdir);
		return 1;
	}

	config = st_config_new_default();
	g_free(config->station_id);
	config->station_id = g_strdup("demo-bench");
	g_free(config->store_path);
	config->store_path = g_strdup(db);
	config->usb_enabled = FALSE;
	/* no printers at a demo: the label printer and the document printer are spool folders */
	for (guint i = 0; i < 2; i++) {
		StPrinterConfig *printer = g_new0(StPrinterConfig, 1);
		printer->name = g_strdup(i == 0 ? "label" : "document");
		printer->spool = g_build_filename(tmpdir, "spool", printer->name, NULL);
		printer->language = g_strdup(i == 0 ? "zpl" : "pdf");
		printer->dpi = i == 0 ? 203 : 300;
		g_ptr_array_add(config->printers, printer);
	}
	/* GS1's example company prefix 0614141, extension digit 0 */
	config->sscc_prefix = g_strdup("00614141");
	g_hash_table_insert(config->sender, g_strdup("name"), g_strdup("Example Warehouse"));
	g_hash_table_insert(config->sender, g_strdup("street"), g_strdup("1 Depot Road"));
	g_hash_table_insert(config->sender, g_strdup("postal-code"), g_strdup("10115"));
	g_hash_table_insert(config->sender, g_strdup("city"), g_strdup("Berlin"));
	g_hash_table_insert(config->sender, g_strdup("country"), g_strdup("DE"));
	info = st_device_info_new("demo-scanner", "emulated");
	info->role = ST_DEVICE_ROLE_SCANNER;
	st_device_info_set_option(info, "driver", "emulated");
	st_device_info_set_option(info, "script", script);
	st_device_info_set_option(info, "key-interval", "1");
	if (layout != NULL)
		st_device_info_set_option(info, "layout", layout);
	g_ptr_array_add(config->devices, info);

	daemon = st_daemon_new(g_steal_pointer(&config));
	demo.daemon = daemon;
	g_signal_connect(st_daemon_get_router(daemon), "verdict",
			 G_CALLBACK(st_demo_scan_result_cb), &demo);
	g_signal_connect(daemon, "scan-lost", G_CALLBACK(st_demo_scan_lost_cb), &demo);
	g_signal_connect(daemon, "scan-failed", G_CALLBACK(st_demo_scan_failed_cb), &demo);
	if (!st_daemon_start(daemon, &error)) {
		g_printerr(_("station demo: %s\n"), error->message);
		st_demo_rm_rf(tmpdir);
		return 1;
	}
	/* what the bench prints is shown at the end */
	st_bench_print_set_keep(st_daemon_get_bench_print(daemon), TRUE);
	g_print(_("station demo: bench demo-bench packs order ORD-1001\n"));
	g_print("  database: %s\n", db);
	for (guint i = 0; i < st_daemon_get_devices(daemon)->len; i++) {
		StDevice *device = g_ptr_array_index(st_daemon_get_devices(daemon), i);
		g_autofree gchar *desc = st_device_describe(device);
		g_print("  device:   %s\n", desc);
		/* the emulated scanner says when its script is done ("finished") */
		if (g_strcmp0(st_device_get_driver_name(device), "emulated") == 0)
			g_signal_connect(device, "finished", G_CALLBACK(st_demo_finished_cb),
					 &demo);
	}
	g_print("\n");
	st_daemon_run(daemon);
	if (!demo.finished) {
		/* stopped (Ctrl+C) before the order was packed: no labels for it */
		g_printerr(
			_("\nstation demo: stopped before the scanner finished; order ORD-1001 is "
			  "not packed, so no labels were printed\n"));
		st_daemon_stop(daemon);
		if (keep)
			g_print(_("kept: %s (open it with sqlite3 %s)\n"), tmpdir, db);
		else
			st_demo_rm_rf(tmpdir);
		return 1;
	}

	g_print(_("\nstation demo: the packed order's labels\n"));
	if (!st_demo_print(daemon, st_daemon_get_config(daemon), tmpdir, &error)) {
		g_printerr(_("station demo: printing the labels failed: %s\n"), error->message);
		st_daemon_stop(daemon);
		st_demo_rm_rf(tmpdir);
		return 1;
	}
	if (!st_store_get_summary(st_daemon_get_store(daemon), &summary, &error)) {
		g_printerr(_("station demo: %s\n"), error->message);
		st_daemon_stop(daemon);
		st_demo_rm_rf(tmpdir);
		return 1;
	}
	st_daemon_stop(daemon);
	g_print(_("\nsummary: %u scans, %u ok, %u refused; %u order%s packed; %u event%s in the "
		  "outbox for the central system\n"),
		summary.scans, summary.scans_ok, summary.scans_refused, summary.orders_packed,
		summary.orders_packed == 1 ? "" : "s", summary.outbox_pending,
		summary.outbox_pending == 1 ? "" : "s");
	if (keep)
		g_print(_("kept: %s (open it with sqlite3 %s)\n"), tmpdir, db);
	else
		st_demo_rm_rf(tmpdir);
	if (demo.failures > 0) {
		g_printerr(_("station demo: %u scan%s could not be recorded\n"), demo.failures,
			   demo.failures == 1 ? "" : "s");
		return 1;
	}
	if (demo.results == 0) {
		g_printerr(
			_("station demo: no scan reached the workflow; run with --verbose to see "
			  "the scanner's log\n"));
		return 1;
	}
	return 0;
}
