/*
 * Benchmark: the bench's critical path for one scan. From the first report of a scan pushed
 * into an emulated keyboard-wedge scanner to the workflow's answer, which comes only after the
 * scan, its packed count and its outbox event are committed durably. The baseline, measured in
 * the same run on the same disk, is a bare SQLite loop committing one row per transaction with
 * the same settings (WAL, synchronous=FULL). Prints medians, p99 and the ratio; asserts no time.
 */
#include <sqlite3.h> /* the baseline only */
#include <stdio.h>

#include "emulated/st-emulated-device.h"
#include "keyboard/st-keyboard-encoder.h"
#include "st-daemon.h"
#include "st-log.h"
#include "st-test-util.h"

static gint
cmp_gint64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
	return x < y ? -1 : x > y;
}

static void
stats(GArray *us, gdouble *median, gdouble *p99)
{
	g_array_sort(us, cmp_gint64);
	*median = (gdouble)g_array_index(us, gint64, us->len / 2);
	*p99 = (gdouble)g_array_index(us, gint64, MIN(us->len - 1, (us->len * 99) / 100));
}

static GArray *
bench_baseline(const gchar *dir, guint n)
{
	g_autofree gchar *path = g_build_filename(dir, "baseline.db", NULL);
	GArray *times = g_array_new(FALSE, FALSE, sizeof(gint64));
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, device TEXT, data "
			 "BLOB, at TEXT)",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO t (device, data, at) VALUES (?, ?, ?)", -1, &stmt,
			       NULL) != SQLITE_OK)
		g_error("baseline: %s", sqlite3_errmsg(db));
	for (guint i = 0; i < n; i++) {
		gint64 t0 = g_get_monotonic_time();
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_text(stmt, 1, "scanner-1", -1, SQLITE_STATIC);
		sqlite3_bind_blob(stmt, 2, "4006381333931", 13, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, "2026-11-23T00:00:00Z", -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			g_error("baseline: %s", sqlite3_errmsg(db));
		sqlite3_reset(stmt);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		g_array_append_val(times, (gint64){g_get_monotonic_time() - t0});
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return times;
}

typedef struct {
	gint64 answered;
	gboolean ok;
} Answer;

static void
on_result(StScanRouter *router, StVerdict *result, gpointer user_data)
{
	Answer *answer = user_data;
	answer->answered = g_get_monotonic_time();
	answer->ok = result->ok;
}

static GArray *
bench_station(const gchar *dir, guint n)
{
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = st_store_new("bench");
	g_autoptr(StKeyboardEncoder) encoder = st_keyboard_encoder_new("us", NULL, &error);
	g_autoptr(GByteArray) item = g_byte_array_new();
	g_autoptr(GByteArray) order = g_byte_array_new();
	g_autoptr(StDaemon) daemon = NULL;
	GArray *times = g_array_new(FALSE, FALSE, sizeof(gint64));
	const gchar *barcodes[] = {"4006381333931", NULL};
	StOrderLineSpec lines[] = {{"PEN", n}};
	StConfig *config = st_config_new_default();
	StDeviceInfo *info = st_device_info_new("scanner-1", "emulated");
	StEmulatedDevice *scanner;
	Answer answer = {0};

	if (!st_store_open(store, db, 5000, &error) ||
	    !st_store_put_product(store,
				  &(StProductSpec){.sku = "PEN",
						   .name = "Pen",
						   .weight_g = 12,
						   .barcodes = barcodes},
				  NULL, &error) ||
	    !st_store_put_order(store,
				&(StOrderSpec){.number = "ORD-1",
					       .status = ST_ORDER_STATUS_RELEASED,
					       .lines = lines,
					       .n_lines = 1},
				NULL, &error))
		g_error("seed: %s", error->message);
	st_store_close(store);
	st_keyboard_encoder_type(encoder, "ORD-1\n", -1, ST_KEYBOARD_GS_CTRL, order, NULL);
	st_keyboard_encoder_type(encoder, "4006381333931\n", -1, ST_KEYBOARD_GS_CTRL, item, NULL);

	g_free(config->store_path);
	config->store_path = g_strdup(db);
	config->usb_enabled = FALSE;
	st_device_info_set_option(info, "driver", "emulated");
	g_ptr_array_add(config->devices, info);
	daemon = st_daemon_new(config);
	g_signal_connect(st_daemon_get_router(daemon), "verdict", G_CALLBACK(on_result), &answer);
	if (!st_daemon_start(daemon, &error))
		g_error("start: %s", error->message);
	scanner = g_ptr_array_index(st_daemon_get_devices(daemon), 0);
	for (guint i = 0; i + 8 <= order->len; i += 8)
		st_emulated_device_push_report(scanner, order->data + i, 8);
	for (guint k = 0; k < n; k++) {
		gint64 t0 = g_get_monotonic_time();
		answer.answered = 0;
		for (guint i = 0; i + 8 <= item->len; i += 8)
			st_emulated_device_push_report(scanner, item->data + i, 8);
		if (answer.answered == 0 || !answer.ok)
			g_error("scan %u was not accepted", k);
		g_array_append_val(times, (gint64){answer.answered - t0});
	}
	st_daemon_stop(daemon);
	return times;
}

int
main(int argc, char **argv)
{
	guint n = argc > 1 ? (guint)g_ascii_strtoull(argv[1], NULL, 10) : 500;
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autoptr(GArray) base = NULL;
	g_autoptr(GArray) station = NULL;
	gdouble bm, bp, sm, sp;

	st_log_setup(G_LOG_LEVEL_WARNING);
	if (n < 10)
		n = 10;
	/* interleave a warm-up of each so neither gets a cold cache advantage */
	g_array_unref(bench_baseline(dir, 20));
	base = bench_baseline(dir, n);
	station = bench_station(dir, n);
	stats(base, &bm, &bp);
	stats(station, &sm, &sp);
	printf("bench-scan: %u scans, each committed durably (WAL, synchronous=FULL)\n", n);
	printf("  baseline  bare SQLite insert + commit           median %8.1f us  p99 %8.1f us\n",
	       bm, bp);
	printf("  station   reports -> decode -> pack -> commit   median %8.1f us  p99 %8.1f us\n",
	       sm, sp);
	printf("  ratio     station / baseline (median)           %.2f\n", sm / bm);
	st_test_tmpdir_free(g_steal_pointer(&dir));
	return 0;
}
