/*
 * The scan path end to end inside one process: boot-keyboard reports pushed into an
 * emulated scanner, through the daemon's wiring and the pack workflow, to a stored scan with
 * its verdict. The reports come from the encoder for the scanner's layout, so they are the
 * bytes a real scanner set to that layout would send.
 */
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emulated/st-emulated-device.h"
#include "keyboard/st-keyboard-encoder.h"
#include "st-daemon.h"
#include "st-pack-workflow.h"
#include "st-test-util.h"
#include "st-test-ws.h"
#include "station/st-error.h"

typedef struct {
	gchar *dir;
	gchar *db;
	StDaemon *daemon;
	GPtrArray *results; /* of gchar*: "ok" or the refusal reason */
	GPtrArray *lost;
	const gchar *order_pattern; /* (nullable): [barcodes] order, set before start() */
	gboolean api;		    /* the API on a free port of 127.0.0.1, set before start() */
	guint busy_timeout_ms;	    /* [store] busy-timeout when not 0, set before start() */
} Fixture;

/* the default configuration without the API: the daemon alone (a test running beside it may
 * hold 127.0.0.1:8080, and the warning about a taken port would end this one) */
static StConfig *
config_without_api(void)
{
	StConfig *config = st_config_new_default();
	g_free(config->http_listen);
	config->http_listen = g_strdup("none");
	return config;
}

static void
on_result(StScanRouter *router, StVerdict *result, gpointer user_data)
{
	Fixture *fx = user_data;
	g_ptr_array_add(fx->results, g_strdup(result->ok ? "ok" : result->reason));
}

static void
on_lost(StDaemon *daemon, const gchar *device_id, const gchar *reason, gpointer user_data)
{
	Fixture *fx = user_data;
	g_ptr_array_add(fx->lost, g_strdup(reason));
}

static void
seed(const gchar *db)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	const gchar *pen[] = {"4006381333931", NULL};
	const gchar *mug[] = {"0012345678905", NULL};
	StOrderLineSpec lines[] = {{"PEN", 2}};

	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_true(st_store_put_product(
		store,
		&(StProductSpec){.sku = "PEN", .name = "Pen", .weight_g = 12, .barcodes = pen},
		NULL, &error));
	g_assert_true(st_store_put_product(
		store,
		&(StProductSpec){.sku = "MUG", .name = "Mug", .weight_g = 300, .barcodes = mug},
		NULL, &error));
	g_assert_true(st_store_put_order(store,
					 &(StOrderSpec){.number = "ORD-1",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_no_error(error);
}

/* starts a daemon with one emulated scanner; @options are key, value pairs */
static void
start(Fixture *fx, const gchar *first_key, ...)
{
	g_autoptr(GError) error = NULL;
	StConfig *config = config_without_api();
	StDeviceInfo *info = st_device_info_new("scanner-1", "emulated");
	va_list args;

	fx->dir = st_test_tmpdir_new();
	fx->db = g_build_filename(fx->dir, "station.db", NULL);
	fx->results = g_ptr_array_new_with_free_func(g_free);
	fx->lost = g_ptr_array_new_with_free_func(g_free);
	seed(fx->db);

	g_free(config->store_path);
	config->store_path = g_strdup(fx->db);
	config->usb_enabled = FALSE;
	if (fx->api) {
		g_free(config->http_listen);
		config->http_listen = g_strdup("127.0.0.1:0");
	}
	if (fx->busy_timeout_ms > 0)
		config->busy_timeout_ms = fx->busy_timeout_ms;
	if (fx->order_pattern != NULL)
		g_assert_true(st_barcode_patterns_set(
			config->barcode_patterns, ST_BARCODE_KIND_ORDER, fx->order_pattern, NULL));
	st_device_info_set_option(info, "driver", "emulated");
	va_start(args, first_key);
	for (const gchar *k = first_key; k != NULL; k = va_arg(args, const gchar *))
		st_device_info_set_option(info, k, va_arg(args, const gchar *));
	va_end(args);
	g_ptr_array_add(config->devices, info);
	fx->daemon = st_daemon_new(config);
	g_signal_connect(st_daemon_get_router(fx->daemon), "verdict", G_CALLBACK(on_result), fx);
	g_signal_connect(fx->daemon, "scan-lost", G_CALLBACK(on_lost), fx);
	g_assert_true(st_daemon_start(fx->daemon, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(st_daemon_get_devices(fx->daemon)->len, ==, 1);
}

static void
stop(Fixture *fx)
{
	st_daemon_stop(fx->daemon);
	g_object_unref(fx->daemon);
	g_ptr_array_unref(fx->results);
	g_ptr_array_unref(fx->lost);
	st_test_tmpdir_free(fx->dir);
	g_free(fx->db);
}

static StEmulatedDevice *
scanner(Fixture *fx)
{
	return ST_EMULATED_DEVICE(g_ptr_array_index(st_daemon_get_devices(fx->daemon), 0));
}

/* types @text on a scanner set to @layout and returns the reports it sent */
static GByteArray *
type_into(Fixture *fx, const gchar *layout, const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardEncoder) encoder = st_keyboard_encoder_new(layout, NULL, &error);
	GByteArray *reports = g_byte_array_new();

	g_assert_no_error(error);
	g_assert_true(
		st_keyboard_encoder_type(encoder, text, -1, ST_KEYBOARD_GS_CTRL, reports, &error));
	g_assert_no_error(error);
	for (guint i = 0; i + 8 <= reports->len; i += 8)
		st_emulated_device_push_report(scanner(fx), reports->data + i, 8);
	return reports;
}

static GPtrArray *
stored_scans(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *scans = st_store_get_scans(st_daemon_get_store(fx->daemon), &error);
	g_assert_no_error(error);
	return scans;
}

static void
test_order_and_items(void)
{
	Fixture fx = {0};
	g_autoptr(GByteArray) reports = NULL;
	g_autoptr(GPtrArray) scans = NULL;
	StScanRecord *r;

	start(&fx, NULL);
	reports = type_into(&fx, "us", "ORD-1\n");
	g_byte_array_unref(type_into(&fx, "us", "4006381333931\n"));
	g_byte_array_unref(type_into(&fx, "us", "0012345678905\n"));
	g_byte_array_unref(type_into(&fx, "us", "4242\n"));
	g_byte_array_unref(type_into(&fx, "us", "4006381333931\n"));
	g_byte_array_unref(type_into(&fx, "us", "4006381333931\n"));

	g_assert_cmpuint(fx.results->len, ==, 6);
	g_assert_cmpstr(fx.results->pdata[0], ==, "ok");
	g_assert_cmpstr(fx.results->pdata[1], ==, "ok");
	g_assert_cmpstr(fx.results->pdata[2], ==, "not-in-order");
	g_assert_cmpstr(fx.results->pdata[3], ==, "unknown-barcode");
	g_assert_cmpstr(fx.results->pdata[4], ==, "ok");
	g_assert_cmpstr(fx.results->pdata[5], ==, "order-complete");
	g_assert_cmpint(
		st_pack_workflow_get_state(ST_PACK_WORKFLOW(st_scan_router_get_seat_workflow(
			st_daemon_get_router(fx.daemon), "bench"))),
		==, ST_PACK_STATE_PACKED);

	/* every scan is stored, with the exact reports it came from */
	scans = stored_scans(&fx);
	g_assert_cmpuint(scans->len, ==, 6);
	r = scans->pdata[0];
	g_assert_true(r->ok);
	g_assert_cmpstr(r->text, ==, "ORD-1");
	g_assert_cmpstr(r->device_id, ==, "scanner-1");
	g_assert_cmpstr(r->order_number, ==, "ORD-1");
	/* all of them but the release of Enter, which comes after the scan ended */
	g_assert_cmpmem(g_bytes_get_data(r->raw, NULL), g_bytes_get_size(r->raw), reports->data,
			reports->len - 8);
	r = scans->pdata[2];
	g_assert_false(r->ok);
	g_assert_cmpstr(r->reason, ==, "not-in-order");
	g_assert_cmpstr(r->sku, ==, "MUG");
	g_assert_nonnull(strstr(r->message, "ORD-1"));
	stop(&fx);
}

static void
set_true(gboolean *flag)
{
	*flag = TRUE;
}

/* a script that is a named pipe: each line written plays at once, a wrong line is left out,
 * said in the log and left out, the device waits for more (it never finishes) */
static void
test_fifo_script(void)
{
	Fixture fx = {0};
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *fifo = g_build_filename(dir, "scanner.fifo", NULL);
	const gchar *lines[] = {"type ORD-1\n", "bogus step\ntype 4006381333931\n",
				"wait 1\ntype 4006381333931\n"};
	gboolean finished = FALSE;
	guint expected[] = {1, 2, 3};
	gint fd;

	g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
	start(&fx, "script", fifo, NULL);
	g_signal_connect_swapped(scanner(&fx), "finished", G_CALLBACK(set_true), &finished);
	fd = open(fifo, O_WRONLY | O_CLOEXEC);
	g_assert_cmpint(fd, >=, 0);
	for (guint i = 0; i < G_N_ELEMENTS(lines); i++) {
		g_assert_cmpint(write(fd, lines[i], strlen(lines[i])), ==,
				(gssize)strlen(lines[i]));
		while (fx.results->len < expected[i])
			g_main_context_iteration(NULL, TRUE);
	}
	close(fd);
	g_assert_cmpuint(fx.results->len, ==, 3);
	g_assert_cmpstr(fx.results->pdata[0], ==, "ok");
	g_assert_cmpstr(fx.results->pdata[1], ==, "ok");
	g_assert_cmpstr(fx.results->pdata[2], ==, "ok");
	g_assert_false(finished);
	stop(&fx);
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

static void
test_gtin_forms(void)
{
	Fixture fx = {0};
	g_autoptr(GPtrArray) scans = NULL;

	start(&fx, NULL);
	g_byte_array_unref(type_into(&fx, "us", "ORD-1\n"));
	/* the pen is stored as EAN-13 4006381333931: its GTIN-14 form is the same product */
	g_byte_array_unref(type_into(&fx, "us", "04006381333931\n"));
	/* the mug is stored as 0012345678905: its UPC-A form finds it (and it is not ordered) */
	g_byte_array_unref(type_into(&fx, "us", "012345678905\n"));
	/* a misread digit: the check digit says so, and where */
	g_byte_array_unref(type_into(&fx, "us", "4006381333932\n"));
	g_assert_cmpuint(fx.results->len, ==, 4);
	g_assert_cmpstr(fx.results->pdata[1], ==, "ok");
	g_assert_cmpstr(fx.results->pdata[2], ==, "not-in-order");
	g_assert_cmpstr(fx.results->pdata[3], ==, "invalid-barcode");
	scans = stored_scans(&fx);
	g_assert_cmpstr(((StScanRecord *)scans->pdata[2])->sku, ==, "MUG");
	g_assert_nonnull(strstr(((StScanRecord *)scans->pdata[3])->message, "check digit is 1"));
	stop(&fx);
}

static void
test_layout_matters(void)
{
	Fixture fx = {0};
	g_autoptr(GPtrArray) scans = NULL;

	/* a scanner set to German: decoded with de, "ORD-1" arrives intact */
	start(&fx, "layout", "de", NULL);
	g_byte_array_unref(type_into(&fx, "de", "ORD-1\n"));
	g_assert_cmpuint(fx.results->len, ==, 1);
	g_assert_cmpstr(fx.results->pdata[0], ==, "ok");
	stop(&fx);

	/* the same reports decoded as US English are garbled and refused */
	memset(&fx, 0, sizeof(fx));
	start(&fx, "layout", "us", NULL);
	g_byte_array_unref(type_into(&fx, "de", "ORD-1\n"));
	g_assert_cmpuint(fx.results->len, ==, 1);
	g_assert_cmpstr(fx.results->pdata[0], ==, "unknown-barcode");
	scans = stored_scans(&fx);
	g_assert_cmpstr(((StScanRecord *)scans->pdata[0])->text, ==, "ORD/1");
	stop(&fx);
}

static void
test_gs_stored(void)
{
	Fixture fx = {0};
	g_autoptr(GPtrArray) scans = NULL;
	StScanRecord *r;
	const gchar expect[] = "0109501101530003\x1d"
			       "10LOT7";

	start(&fx, NULL);
	g_byte_array_unref(type_into(&fx, "us",
				     "0109501101530003\x1d"
				     "10LOT7\n"));
	scans = stored_scans(&fx);
	g_assert_cmpuint(scans->len, ==, 1);
	r = scans->pdata[0];
	g_assert_cmpmem(g_bytes_get_data(r->data, NULL), g_bytes_get_size(r->data), expect,
			sizeof(expect) - 1);
	stop(&fx);
}

static gboolean
quit_cb(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

static void
on_result_quit(StScanRouter *router, StVerdict *result, gpointer loop)
{
	g_main_loop_quit(loop);
}

/* runs the main loop until the router's next verdict (20 s at most: a safety net so a broken
 * timeout fails instead of hanging, not a timing assertion), then checks that the scan was one,
 * answered ok */
static void
run_until_one_verdict(Fixture *fx, GMainLoop *loop)
{
	guint safety;

	g_signal_connect(st_daemon_get_router(fx->daemon), "verdict", G_CALLBACK(on_result_quit),
			 loop);
	safety = g_timeout_add_seconds(20, quit_cb, loop);
	g_main_loop_run(loop);
	g_source_remove(safety);
	g_assert_cmpuint(fx->results->len, ==, 1);
	g_assert_cmpstr(fx->results->pdata[0], ==, "ok");
}

static void
test_inter_key_timeout(void)
{
	Fixture fx = {0};
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);

	start(&fx, "terminator", "none", "inter-key-timeout", "20", NULL);
	g_byte_array_unref(type_into(&fx, "us", "ORD-1"));
	/* nothing yet: the scan ends only when the scanner stays quiet */
	g_assert_cmpuint(fx.results->len, ==, 0);
	run_until_one_verdict(&fx, loop);
	stop(&fx);
}

typedef struct {
	Fixture *fx;
	GByteArray *reports;
	guint next; /* byte offset of the next report */
} SlowTyping;

static gboolean
slow_typing_cb(gpointer data)
{
	SlowTyping *typing = data;
	st_emulated_device_push_report(scanner(typing->fx), typing->reports->data + typing->next,
				       8);
	typing->next += 8;
	return typing->next + 8 <= typing->reports->len ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* a scanner typing slower than its timeout allows in all, but faster than it between two
 * reports: one scan, not cut where the first report's timeout would have ended it (the
 * timer is armed once and waits again for the deadline the last report set) */
static void
test_inter_key_timeout_slow(void)
{
	Fixture fx = {0};
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_autoptr(StKeyboardEncoder) encoder = st_keyboard_encoder_new("us", NULL, NULL);
	g_autoptr(GByteArray) reports = g_byte_array_new();
	SlowTyping typing = {&fx, reports, 0};

	/* 10 reports 300 ms apart: 3 s in all against a timeout of 2 s (the margins are
	 * wide for a loaded machine: a stall of 1.7 s between two reports would cut it) */
	start(&fx, "terminator", "none", "inter-key-timeout", "2000", NULL);
	g_assert_true(
		st_keyboard_encoder_type(encoder, "ORD-1", -1, ST_KEYBOARD_GS_CTRL, reports, NULL));
	g_assert_cmpuint(reports->len, ==, 10 * 8);
	g_timeout_add(300, slow_typing_cb, &typing);
	run_until_one_verdict(&fx, loop);
	g_assert_cmpuint(typing.next, ==, reports->len);
	stop(&fx);
}

typedef struct {
	Fixture *fx;
	GByteArray *reports;
	guint from;
} HeldUp;

static gboolean
held_up_rest_cb(gpointer data)
{
	HeldUp *h = data;
	for (guint i = h->from; i + 8 <= h->reports->len; i += 8)
		st_emulated_device_push_report(scanner(h->fx), h->reports->data + i, 8);
	return G_SOURCE_REMOVE;
}

/* the main loop held up mid-scan past the inter-key timeout while the rest of the scan's
 * reports wait (a slow commit, a busy machine): the waiting reports are taken first, and the
 * scan is one, not cut where the loop stopped */
static void
test_inter_key_timeout_held_up(void)
{
	Fixture fx = {0};
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_autoptr(StKeyboardEncoder) encoder = st_keyboard_encoder_new("us", NULL, NULL);
	g_autoptr(GByteArray) reports = g_byte_array_new();
	HeldUp h = {&fx, reports, 4 * 8};

	start(&fx, "inter-key-timeout", "50", NULL);
	g_assert_true(st_keyboard_encoder_type(encoder, "ORD-1\n", -1, ST_KEYBOARD_GS_CTRL, reports,
					       NULL));
	for (guint i = 0; i < h.from; i += 8)
		st_emulated_device_push_report(scanner(&fx), reports->data + i, 8);
	/* the timer is armed; the loop does not run for four times the timeout */
	g_usleep(200 * 1000);
	g_idle_add_full(G_PRIORITY_DEFAULT, held_up_rest_cb, &h, NULL);
	run_until_one_verdict(&fx, loop);
	stop(&fx);
}

static void
test_unplug_mid_scan(void)
{
	Fixture fx = {0};
	g_autoptr(GPtrArray) scans = NULL;

	start(&fx, NULL);
	g_byte_array_unref(type_into(&fx, "us", "ORD"));
	st_emulated_device_unplug(scanner(&fx));
	g_assert_cmpuint(fx.lost->len, ==, 1);
	g_assert_nonnull(strstr(fx.lost->pdata[0], "unplugged"));
	g_assert_nonnull(strstr(fx.lost->pdata[0], "scan the barcode again"));
	g_assert_cmpuint(fx.results->len, ==, 0);
	g_assert_cmpuint(st_daemon_get_devices(fx.daemon)->len, ==, 0);
	scans = stored_scans(&fx);
	g_assert_cmpuint(scans->len, ==, 0);
	stop(&fx);
}

static void
test_stuck_key(void)
{
	Fixture fx = {0};
	const guint8 press[] = {0, 0, 0x04, 0, 0, 0, 0, 0};
	const guint8 release[8] = {0};

	/* no terminator is ever typed and the timeout is long: the runaway scan is dropped with
	 * a message, never silently */
	start(&fx, "terminator", "enter", "inter-key-timeout", "60000", NULL);
	for (guint i = 0; i < 9000 && fx.lost->len == 0; i++) {
		st_emulated_device_push_report(scanner(&fx), press, sizeof(press));
		st_emulated_device_push_report(scanner(&fx), release, sizeof(release));
	}
	g_assert_cmpuint(fx.lost->len, ==, 1);
	g_assert_nonnull(strstr(fx.lost->pdata[0], "more than 8192 characters"));
	g_assert_cmpuint(fx.results->len, ==, 0);
	stop(&fx);
}

static void
test_bad_device_options(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autoptr(GError) error = NULL;
	StConfig *config = config_without_api();
	StDeviceInfo *info = st_device_info_new("scanner-1", "emulated");
	g_autoptr(StDaemon) daemon = NULL;

	g_free(config->store_path);
	config->store_path = g_build_filename(dir, "station.db", NULL);
	config->usb_enabled = FALSE;
	st_device_info_set_option(info, "driver", "emulated");
	st_device_info_set_option(info, "terminator", "semicolon");
	g_ptr_array_add(config->devices, info);
	daemon = st_daemon_new(config);
	g_assert_false(st_daemon_start(daemon, &error));
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG);
	g_assert_nonnull(strstr(error->message, "[device scanner-1]"));
	g_assert_nonnull(strstr(error->message, "semicolon"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

static void
test_option_not_for_driver(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *text = g_strdup_printf("[usb]\nenabled = false\n[store]\npath = %s/s.db\n"
						 "[device bench-scale]\ndriver = emulated\n"
						 "kind = scale\nrole = scale\nlayout = de\n",
						 dir);
	g_autoptr(GError) error = NULL;
	StConfig *config = st_config_load_data(text, strlen(text), "bench.conf", &error);
	g_autoptr(StDaemon) daemon = NULL;

	/* every key is a valid configuration key, but a scale has no keyboard layout */
	g_assert_no_error(error);
	daemon = st_daemon_new(config);
	g_assert_false(st_daemon_start(daemon, &error));
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG);
	g_assert_nonnull(strstr(error->message, "bench.conf:5: [device bench-scale]"));
	g_assert_nonnull(strstr(error->message, "option 'layout' is not known to the emulated "
						"driver (it takes kind, script, key-interval)"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* the station's own barcodes reach the workflow: an order by its pattern's key, the others
 * refused with what they are */
static void
test_station_barcodes(void)
{
	Fixture fx = {.order_pattern = "SO-(?<key>.+)"};
	g_autoptr(GPtrArray) scans = NULL;
	const gchar *const in[] = {"SO-ORD-9\n", "SO-ORD-1\n", "LOC-5\n",
				   "CMD-FLY\n",	 "CMD-SKIP\n", "4006381333931\n"};

	start(&fx, "layout", "us", NULL);
	for (guint i = 0; i < G_N_ELEMENTS(in); i++)
		g_byte_array_unref(type_into(&fx, "us", in[i]));
	g_assert_cmpuint(fx.results->len, ==, G_N_ELEMENTS(in));
	g_assert_cmpstr(fx.results->pdata[0], ==, "unknown-order");
	g_assert_cmpstr(fx.results->pdata[1], ==, "ok");
	g_assert_cmpstr(
		st_pack_workflow_get_order_number(ST_PACK_WORKFLOW(st_scan_router_get_seat_workflow(
			st_daemon_get_router(fx.daemon), "bench"))),
		==, "ORD-1");
	g_assert_cmpstr(fx.results->pdata[2], ==, "not-for-packing");
	g_assert_cmpstr(fx.results->pdata[3], ==, "unknown-command");
	g_assert_cmpstr(fx.results->pdata[4], ==, "not-for-packing");
	g_assert_cmpstr(fx.results->pdata[5], ==, "ok");
	scans = stored_scans(&fx);
	g_assert_cmpuint(scans->len, ==, G_N_ELEMENTS(in));
	g_assert_nonnull(strstr(((StScanRecord *)scans->pdata[0])->message, "SO-ORD-9"));
	g_assert_nonnull(strstr(((StScanRecord *)scans->pdata[2])->message, "location"));
	g_assert_nonnull(strstr(((StScanRecord *)scans->pdata[3])->message, "fly"));
	stop(&fx);
}

/*
 * A scan that cannot be recorded (another writer holds the database past the busy timeout):
 * nothing of it is stored, the verdict is not "ok", and the seat's screens are told in the
 * operator's language, reason not-recorded, so nobody goes on believing it counted. Once the
 * writer is gone, the same scan is recorded.
 */
static void
test_not_recorded_told(void)
{
	Fixture fx = {.api = TRUE, .busy_timeout_ms = 100};
	g_autoptr(SoupSession) http = soup_session_new();
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *origin = NULL;
	g_autoptr(GPtrArray) scans = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	StTestWs ws = {.only_type = "verdict"}; /* not the outbox's counts that follow them */
	const gchar *uri;
	sqlite3 *writer = NULL;
	JsonObject *verdict;
	StOperatorSpec li = {"0099", "Li Wei", ST_OPERATOR_ROLE_PACKER, "zh-CN"};

	start(&fx, NULL);
	g_assert_true(st_store_put_operator(st_daemon_get_store(fx.daemon), &li, &error));
	g_assert_no_error(error);
	uri = st_daemon_get_api_uri(fx.daemon);
	g_assert_nonnull(uri);
	/* the packer's badge at the bench's screen: a session for the seat */
	{
		g_autofree gchar *login = g_strconcat(uri, "api/v1/sessions", NULL);
		g_autoptr(SoupMessage) msg = soup_message_new("POST", login);
		const gchar *body = "{\"seat\": \"bench\", \"badge\": \"0099\"}";
		g_autoptr(GBytes) b = g_bytes_new_static(body, strlen(body));
		g_autoptr(GBytes) answer = NULL;
		soup_message_set_request_body_from_bytes(msg, "application/json", b);
		answer = st_test_http_send(http, loop, msg);
		g_assert_cmpuint(soup_message_get_status(msg), ==, 201);
		g_assert_true(json_parser_load_from_data(parser, g_bytes_get_data(answer, NULL),
							 (gssize)g_bytes_get_size(answer), NULL));
		token = g_strdup(json_object_get_string_member(
			json_node_get_object(json_parser_get_root(parser)), "token"));
	}
	{
		g_autoptr(GUri) u = g_uri_parse(uri, G_URI_FLAGS_NONE, NULL);
		g_autofree gchar *events = g_strdup_printf("%sapi/v1/events?token=%s", uri, token);
		origin = g_strdup_printf("http://127.0.0.1:%d", g_uri_get_port(u));
		st_test_ws_connect(&ws, http, loop, events, origin);
		g_assert_no_error(ws.error);
		g_assert_nonnull(ws.conn);
	}

	/* the packer, who reads Chinese, logs in at the scanner */
	g_byte_array_unref(type_into(&fx, "us", "OP-0099\n"));
	if (ws.messages->len == 0)
		st_test_ws_wait(&ws);
	g_assert_cmpuint(ws.messages->len, ==, 1);
	g_assert_nonnull(strstr(ws.messages->pdata[0], "\"ok\":true"));

	/* another writer holds the database */
	g_assert_cmpint(sqlite3_open(fx.db, &writer), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(writer, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
	g_byte_array_unref(type_into(&fx, "us", "ORD-1\n"));
	if (ws.messages->len == 1)
		st_test_ws_wait(&ws);
	g_assert_cmpuint(ws.messages->len, ==, 2);
	g_assert_true(json_parser_load_from_data(parser, ws.messages->pdata[1], -1, NULL));
	verdict = json_object_get_object_member(json_node_get_object(json_parser_get_root(parser)),
						"verdict");
	g_assert_nonnull(verdict);
	g_assert_false(json_object_get_boolean_member(verdict, "ok"));
	g_assert_cmpstr(json_object_get_string_member(verdict, "reason"), ==, "not-recorded");
	g_assert_true(
		g_str_has_prefix(json_object_get_string_member(verdict, "message"), "未记录"));
	g_assert_cmpstr(json_object_get_string_member(verdict, "input"), ==, "ORD-1");
	g_assert_cmpint(sqlite3_exec(writer, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
	sqlite3_close(writer);
	/* nothing of it stored: the login only */
	scans = stored_scans(&fx);
	g_assert_cmpuint(scans->len, ==, 1);
	g_clear_pointer(&scans, g_ptr_array_unref);

	/* the writer gone: the same scan is recorded, and its verdict is on the screen */
	g_byte_array_unref(type_into(&fx, "us", "ORD-1\n"));
	if (ws.messages->len < 3)
		st_test_ws_wait(&ws);
	g_assert_cmpuint(ws.messages->len, ==, 3);
	g_assert_nonnull(strstr(ws.messages->pdata[2], "\"ok\":true"));
	scans = stored_scans(&fx);
	g_assert_cmpuint(scans->len, ==, 2);

	st_test_ws_clear(&ws);
	stop(&fx);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
	g_test_add_func("/station/scan-path/order-and-items", test_order_and_items);
	g_test_add_func("/station/scan-path/station-barcodes", test_station_barcodes);
	g_test_add_func("/station/scan-path/layout-matters", test_layout_matters);
	g_test_add_func("/station/scan-path/gtin-forms", test_gtin_forms);
	g_test_add_func("/station/scan-path/gs-stored", test_gs_stored);
	g_test_add_func("/station/scan-path/inter-key-timeout", test_inter_key_timeout);
	g_test_add_func("/station/scan-path/inter-key-timeout-slow", test_inter_key_timeout_slow);
	g_test_add_func("/station/scan-path/inter-key-timeout-held-up",
			test_inter_key_timeout_held_up);
	g_test_add_func("/station/scan-path/unplug-mid-scan", test_unplug_mid_scan);
	g_test_add_func("/station/scan-path/fifo-script", test_fifo_script);
	g_test_add_func("/station/scan-path/bad-device-options", test_bad_device_options);
	g_test_add_func("/station/scan-path/stuck-key", test_stuck_key);
	g_test_add_func("/station/scan-path/option-not-for-driver", test_option_not_for_driver);
	g_test_add_func("/station/scan-path/not-recorded-told", test_not_recorded_told);
	return g_test_run();
}
