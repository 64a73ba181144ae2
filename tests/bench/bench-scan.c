/*
 * Benchmark: the bench's critical path for one scan. From the first report of a scan pushed
 * into an emulated keyboard-wedge scanner to the workflow's answer, which comes only after the
 * scan, its packed count and its outbox event are committed durably. The baseline, measured in
 * the same run on the same disk, is a bare SQLite loop committing one row per transaction with
 * the same settings (WAL, synchronous=FULL) and SQLite's own page size (4 KiB); the same loop
 * with the station's page size (1 KiB, ST_STORE_PAGE_SIZE: a commit writes whole pages, so
 * this one writes less too and is the fair floor for a one-row commit); and bare SQLite doing
 * a scan's reads and writing its rows (SameRows). All are interleaved with the station scan by
 * scan so a busy moment of the machine hits all four. Then whole shifts: rounds of a simulated
 * shift (login, orders of three items each weighed on the scale) through the real router and
 * workflows, each round followed by as many bare commits as the shift answered. Prints medians,
 * p99, scans per second and the ratios; asserts no time.
 */
#include <sqlite3.h> /* the baseline only */
#include <stdio.h>
#include <string.h>

#include "emulated/st-emulated-device.h"
#include "keyboard/st-keyboard-encoder.h"
#include "st-bench.h"
#include "st-daemon.h"
#include "st-simulator.h"
#include "st-log.h"
#include "st-test-util.h"

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

/* the bare SQLite commit loop: one row per transaction, timed one by one */
typedef struct {
	sqlite3 *db;
	sqlite3_stmt *stmt;
	gchar *path;
} Baseline;

/* @page_size: 0 for SQLite's own */
static void
baseline_open(Baseline *self, const gchar *dir, guint page_size)
{
	g_autofree gchar *name = g_strdup_printf("baseline-%u.db", page_size);
	g_autofree gchar *size = g_strdup_printf("PRAGMA page_size=%u", page_size);
	self->path = g_build_filename(dir, name, NULL);
	if (sqlite3_open(self->path, &self->db) != SQLITE_OK ||
	    (page_size != 0 && sqlite3_exec(self->db, size, NULL, NULL, NULL) != SQLITE_OK) ||
	    sqlite3_exec(self->db,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, device TEXT, data "
			 "BLOB, at TEXT)",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(self->db, "INSERT INTO t (device, data, at) VALUES (?, ?, ?)", -1,
			       &self->stmt, NULL) != SQLITE_OK)
		g_error("baseline: %s", sqlite3_errmsg(self->db));
}

/* Returns: the microseconds of one insert and commit */
static gint64
baseline_commit(Baseline *self)
{
	gint64 t0 = g_get_monotonic_time();
	sqlite3_exec(self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_bind_text(self->stmt, 1, "scanner-1", -1, SQLITE_STATIC);
	sqlite3_bind_blob(self->stmt, 2, "4006381333931", 13, SQLITE_STATIC);
	sqlite3_bind_text(self->stmt, 3, "2026-11-23T00:00:00Z", -1, SQLITE_STATIC);
	if (sqlite3_step(self->stmt) != SQLITE_DONE)
		g_error("baseline: %s", sqlite3_errmsg(self->db));
	sqlite3_reset(self->stmt);
	sqlite3_exec(self->db, "COMMIT", NULL, NULL, NULL);
	return g_get_monotonic_time() - t0;
}

static void
baseline_close(Baseline *self)
{
	sqlite3_finalize(self->stmt);
	sqlite3_close(self->db);
	g_free(self->path);
}

/* the most commits, and scans, a warm-up may take before its WAL has grown
 * (st_bench_wal_grown): a one-row commit writes one frame, a scan about fourteen */
#define WARM_UP_COMMITS 5000
#define WARM_UP_SCANS	500

/* commits until the WAL has grown once, then one more: it is written over from then on */
static void
baseline_warm(Baseline *self)
{
	for (guint i = 0; i < WARM_UP_COMMITS && !st_bench_wal_grown(self->path); i++)
		baseline_commit(self);
	if (!st_bench_wal_grown(self->path))
		g_error("%s: its WAL did not grow to 1000 frames", self->path);
	baseline_commit(self);
}

/* opens a new database at @path in @store, with the product PEN (barcode 4006381333931) */
static void
seed_pen(StStore *store, const gchar *path)
{
	g_autoptr(GError) error = NULL;
	const gchar *barcodes[] = {"4006381333931", NULL};

	if (!st_store_open(store, path, 5000, &error) ||
	    !st_store_put_product(store,
				  &(StProductSpec){.sku = "PEN",
						   .name = "Pen",
						   .weight_g = 12,
						   .barcodes = barcodes},
				  NULL, &error))
		g_error("seed: %s", error->message);
}

/* a new database at @path with the station's schema, the product PEN and the order ORD-1 of
 * @n pens in @status */
static void
seed_one_order(const gchar *path, guint n, StOrderStatus status)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = st_store_new("bench");
	StOrderLineSpec lines[] = {{"PEN", n}};

	seed_pen(store, path);
	if (!st_store_put_order(store,
				&(StOrderSpec){.number = "ORD-1",
					       .status = status,
					       .lines = lines,
					       .n_lines = 1},
				NULL, &error))
		g_error("seed: %s", error->message);
	st_store_close(store);
}

/*
 * The second baseline: bare SQLite doing what one accepted item scan does to the database, the
 * statements the store runs for it (read with sqlite3_trace_v2 from a scan, 2026-12-07): the
 * order, barcode, claim and line lookups, then in one transaction the scan's row, the line's
 * count, the outbox event and the packed item, committed with the same settings. What the
 * station adds beyond its rows is the ratio to this one; what its rows cost beyond a one-row
 * commit is this one's ratio to the first. (If the store's statements change, this copy does
 * not follow them: it is a floor, not the station.)
 */
typedef struct {
	sqlite3 *db;
	sqlite3_stmt *reads[5], *begin, *scan, *line, *seq, *event, *item, *tote, *commit;
	gint64 n;
	gchar *path;
} SameRows;

static sqlite3_stmt *
same_rows_prepare(SameRows *self, const gchar *sql)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v3(self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
	    SQLITE_OK)
		g_error("same rows: %s: %s", sql, sqlite3_errmsg(self->db));
	return stmt;
}

static void
same_rows_open(SameRows *self, const gchar *dir, guint n)
{
	g_autofree gchar *path = g_build_filename(dir, "same-rows.db", NULL);
	static const gchar *const reads[] = {
		"SELECT id, number, status FROM orders WHERE number = '4006381333931'",
		"SELECT p.id, p.sku, p.name, p.weight_g, b.quantity, p.track_serial FROM "
		"product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode = "
		"'4006381333931'",
		"SELECT id, number, status FROM orders WHERE number = 'ORD-1'",
		"SELECT coalesce(holder, '') FROM order_claims WHERE order_id = 1 AND state = "
		"'conflict'",
		"SELECT l.id, l.line_no, l.product_id, p.sku, p.name, l.quantity, l.packed, "
		"p.weight_g, p.length_mm, p.width_mm, p.height_mm, p.weight_tolerance_g, (SELECT "
		"coalesce(sum(i.quantity), 0) FROM packed_items i JOIN parcels pa ON pa.id = "
		"i.parcel_id WHERE i.line_id = l.id AND i.undone_by IS NULL AND i.parcel_id IS NOT "
		"NULL AND pa.voided_by IS NULL) FROM order_lines l JOIN products p ON p.id = "
		"l.product_id WHERE l.order_id = 1 ORDER BY l.line_no",
	};

	/* the station's schema, a product and an order, made by the store */
	seed_one_order(path, n, ST_ORDER_STATUS_PACKING);
	self->path = g_strdup(path);
	if (sqlite3_open_v2(path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
		    SQLITE_OK ||
	    sqlite3_exec(self->db,
			 "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA "
			 "foreign_keys = ON; PRAGMA cache_size = -2048; PRAGMA mmap_size = 0",
			 NULL, NULL, NULL) != SQLITE_OK)
		g_error("same rows: %s", sqlite3_errmsg(self->db));
	for (guint i = 0; i < G_N_ELEMENTS(reads); i++)
		self->reads[i] = same_rows_prepare(self, reads[i]);
	self->begin = same_rows_prepare(self, "BEGIN IMMEDIATE");
	self->scan = same_rows_prepare(
		self, "INSERT INTO scans (station, device, raw, data, text, symbology, scanned_at, "
		      "verdict, reason, message, order_id, product_id, operator, seat) VALUES "
		      "('bench', 'scanner-1', ?1, x'34303036333831333333393331', '4006381333931', "
		      "NULL, ?2, 'ok', NULL, 'Pen (PEN): 1 of 10; 9 items left in order ORD-1', 1, "
		      "1, NULL, 'bench')");
	self->line = same_rows_prepare(self, "UPDATE order_lines SET packed = packed + 1 WHERE id "
					     "= 1 AND packed + 1 <= quantity");
	self->seq = same_rows_prepare(
		self, "SELECT coalesce(max(order_seq), 0) + 1 FROM outbox WHERE order_id = 1");
	self->event = same_rows_prepare(
		self, "INSERT INTO outbox (idempotency_key, kind, order_id, payload, created_at, "
		      "order_seq) VALUES (?1, 'item.packed', 1, ?2, ?3, ?4)");
	self->item =
		same_rows_prepare(self, "INSERT INTO packed_items (scan_id, order_id, "
					"line_id, quantity, serial) VALUES (?1, 1, 1, 1, NULL)");
	self->tote = same_rows_prepare(
		self,
		"SELECT t.code, po.picked_at IS NULL FROM picklist_orders po JOIN picklists p "
		"ON p.id = po.picklist_id LEFT JOIN locations t ON t.id = po.tote_id WHERE "
		"po.order_id = 1 AND p.status != 'cancelled' ORDER BY p.id DESC LIMIT 1");
	self->commit = same_rows_prepare(self, "COMMIT");
}

static void
same_rows_run(sqlite3_stmt *stmt)
{
	gint rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		g_error("same rows: %s", sqlite3_errmsg(sqlite3_db_handle(stmt)));
	sqlite3_reset(stmt);
}

/* Returns: the microseconds of one item scan's reads, rows and commit */
static gint64
same_rows_scan(SameRows *self, const guint8 *raw, gsize raw_len)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree gchar *at = g_date_time_format_iso8601(now);
	g_autofree gchar *uuid = g_uuid_string_random();
	g_autofree gchar *key = g_strdup_printf("bench-%s", uuid);
	g_autofree gchar *payload = NULL;
	gint64 t0 = g_get_monotonic_time(), seq, scan_id;

	for (guint i = 0; i < G_N_ELEMENTS(self->reads); i++)
		same_rows_run(self->reads[i]);
	same_rows_run(self->begin);
	sqlite3_bind_blob(self->scan, 1, raw, (gint)raw_len, SQLITE_STATIC);
	sqlite3_bind_text(self->scan, 2, at, -1, SQLITE_STATIC);
	same_rows_run(self->scan);
	scan_id = sqlite3_last_insert_rowid(self->db);
	same_rows_run(self->line);
	if (sqlite3_step(self->seq) != SQLITE_ROW)
		g_error("same rows: %s", sqlite3_errmsg(self->db));
	seq = sqlite3_column_int64(self->seq, 0);
	sqlite3_reset(self->seq);
	payload = g_strdup_printf("{\"order\":\"ORD-1\",\"line\":1,\"sku\":\"PEN\",\"quantity\":1,"
				  "\"scan\":%" G_GINT64_FORMAT ",\"orderseq\":%" G_GINT64_FORMAT
				  ",\"event\":\"item.packed\",\"station\":\"bench\","
				  "\"idempotency_key\":\"%s\",\"at\":\"%s\"}",
				  scan_id, seq, key, at);
	sqlite3_bind_text(self->event, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(self->event, 2, payload, -1, SQLITE_STATIC);
	sqlite3_bind_text(self->event, 3, at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(self->event, 4, seq);
	sqlite3_bind_int64(self->item, 1, scan_id);
	same_rows_run(self->event);
	same_rows_run(self->item);
	same_rows_run(self->tote);
	same_rows_run(self->commit);
	return g_get_monotonic_time() - t0;
}

static void
same_rows_close(SameRows *self)
{
	sqlite3_stmt *stmt;
	while ((stmt = sqlite3_next_stmt(self->db, NULL)) != NULL)
		sqlite3_finalize(stmt);
	sqlite3_close(self->db);
	g_free(self->path);
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

static void
bench_station(const gchar *dir,
	      guint n,
	      Baseline *baseline,
	      Baseline *small,
	      SameRows *same,
	      GArray *base,
	      GArray *small_times,
	      GArray *same_times,
	      GArray *times)
{
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardEncoder) encoder = st_keyboard_encoder_new("us", NULL, &error);
	g_autoptr(GByteArray) item = g_byte_array_new();
	g_autoptr(GByteArray) order = g_byte_array_new();
	g_autoptr(StDaemon) daemon = NULL;
	StConfig *config = config_without_api();
	StDeviceInfo *info = st_device_info_new("scanner-1", "emulated");
	StEmulatedDevice *scanner;
	Answer answer = {0};

	seed_one_order(db, n + WARM_UP_SCANS + 1, ST_ORDER_STATUS_RELEASED);
	st_keyboard_encoder_type(encoder, "ORD-1\n", -1, ST_KEYBOARD_GS_CTRL, order, NULL);
	st_keyboard_encoder_type(encoder, "4006381333931\n", -1, ST_KEYBOARD_GS_CTRL, item, NULL);

	g_free(config->store_path);
	config->store_path = g_strdup(db);
	config->usb_enabled = FALSE;
	/* the scans are measured, not printing: no slip for the packed orders */
	g_free(config->slip_template);
	config->slip_template = g_strdup("none");
	st_device_info_set_option(info, "driver", "emulated");
	g_ptr_array_add(config->devices, info);
	daemon = st_daemon_new(config);
	g_signal_connect(st_daemon_get_router(daemon), "verdict", G_CALLBACK(on_result), &answer);
	if (!st_daemon_start(daemon, &error))
		g_error("start: %s", error->message);
	scanner = g_ptr_array_index(st_daemon_get_devices(daemon), 0);
	for (guint i = 0; i + 8 <= order->len; i += 8)
		st_emulated_device_push_report(scanner, order->data + i, 8);
	/* the station's WAL grown once too, as the baselines' are (st_bench_wal_grown) */
	for (guint k = 0; k <= WARM_UP_SCANS; k++) {
		gboolean grown = st_bench_wal_grown(db);
		answer.answered = 0;
		for (guint i = 0; i + 8 <= item->len; i += 8)
			st_emulated_device_push_report(scanner, item->data + i, 8);
		if (answer.answered == 0 || !answer.ok)
			g_error("warm-up scan %u was not accepted", k);
		if (grown)
			break;
		if (k == WARM_UP_SCANS)
			g_error("%s: its WAL did not grow to 1000 frames", db);
	}
	for (guint k = 0; k < n; k++) {
		gint64 t0;
		/* round by round: the two bare commits, the same rows by bare SQLite, then a
		 * scan */
		g_array_append_val(base, (gint64){baseline_commit(baseline)});
		g_array_append_val(small_times, (gint64){baseline_commit(small)});
		g_array_append_val(same_times,
				   (gint64){same_rows_scan(same, item->data, item->len)});
		t0 = g_get_monotonic_time();
		answer.answered = 0;
		for (guint i = 0; i + 8 <= item->len; i += 8)
			st_emulated_device_push_report(scanner, item->data + i, 8);
		if (answer.answered == 0 || !answer.ok)
			g_error("scan %u was not accepted", k);
		g_array_append_val(times, (gint64){answer.answered - t0});
	}
	st_daemon_stop(daemon);
}

/* a shift of @n_orders orders from @first: a login, then each order opened, its three items
 * scanned and its parcel weighed, every answer expected */
static gchar *
shift_script(guint first, guint n_orders)
{
	GString *s = g_string_new("scale scale on\nscan bench OP-0042\nexpect ok\n");
	for (guint o = first; o < first + n_orders; o++) {
		g_string_append_printf(s, "scan bench ORD-%u\nexpect ok\n", o);
		for (guint i = 0; i < 3; i++)
			g_string_append(s, "scan bench 4006381333931\nexpect ok\n");
		/* three pens of 12 g and the 100 g box */
		g_string_append(s, "weigh scale 136\nexpect ok\n");
	}
	return g_string_free(s, FALSE);
}

static void
count_answer(const StSimStep *step, const StVerdict *verdict, gpointer data)
{
	(*(guint *)data)++;
}

static void
count_printed(const StSimStep *step, const gchar *line, gpointer data)
{
	if (strstr(line, ": completed: written to ") == NULL)
		g_error("not printed: %s", line);
	(*(guint *)data)++;
}

/* shifts through st_sim_run, round by round with as many bare commits as each answered */
static void
bench_shift(const gchar *dir, guint rounds, guint n_orders, Baseline *baseline)
{
	g_autofree gchar *db = g_build_filename(dir, "shift.db", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = st_store_new("bench");
	g_autoptr(GArray) station_rate = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) base_rate = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) ratios = g_array_new(FALSE, FALSE, sizeof(gdouble));
	StOrderLineSpec lines[] = {{"PEN", 3}};
	StOperatorSpec ana = {"0042", "Ana", ST_OPERATOR_ROLE_PACKER, NULL};
	StBoxTypeSpec small = {"S1", "small box", "BOX-S1", 100, 200, 150, 100, 5000};
	StConfig *config = config_without_api();
	guint answers_total = 0;
	gdouble sm, bm;

	seed_pen(store, db);
	if (!st_store_put_operator(store, &ana, &error) ||
	    !st_store_put_box_type(store, &small, &error))
		g_error("seed: %s", error->message);
	for (guint o = 0; o < rounds * n_orders; o++) {
		g_autofree gchar *number = g_strdup_printf("ORD-%u", o);
		if (!st_store_put_order(store,
					&(StOrderSpec){.number = number,
						       .status = ST_ORDER_STATUS_RELEASED,
						       .lines = lines,
						       .n_lines = 1},
					NULL, &error))
			g_error("seed: %s", error->message);
	}
	g_free(config->store_path);
	config->store_path = g_strdup(db);
	config->usb_enabled = FALSE;
	for (guint r = 0; r < rounds; r++) {
		g_autofree gchar *text = shift_script(r * n_orders, n_orders);
		g_autoptr(StSimScript) script =
			st_sim_script_parse(text, strlen(text), "shift", &error);
		guint answers = 0;
		gint64 t0, station_us, base_us = 0;
		if (script == NULL)
			g_error("script: %s", error->message);
		t0 = g_get_monotonic_time();
		if (!st_sim_run(store, config, script, TRUE, count_answer, NULL, &answers, &error))
			g_error("shift %u: %s", r, error->message);
		station_us = g_get_monotonic_time() - t0;
		for (guint i = 0; i < answers; i++)
			base_us += baseline_commit(baseline);
		g_array_append_val(station_rate, (gdouble){answers * 1e6 / MAX(station_us, 1)});
		g_array_append_val(base_rate, (gdouble){answers * 1e6 / MAX(base_us, 1)});
		g_array_append_val(ratios, (gdouble){(gdouble)base_us / MAX(station_us, 1)});
		answers_total += answers;
	}
	sm = st_bench_quantile(station_rate, 0.5);
	bm = st_bench_quantile(base_rate, 0.5);
	printf("bench-scan: %u shifts of %u orders (login, 3 items, a weighed parcel each), %u "
	       "answers in all\n",
	       rounds, n_orders, answers_total);
	printf("  baseline  bare commits, as many as answers      median %8.0f /s\n", bm);
	printf("  station   simulated shift, each answer durable  median %8.0f answers/s\n", sm);
	printf("  ratio     station / baseline rate, per round    median %.2f  (p10 %.2f, p90 "
	       "%.2f; "
	       "%u rounds)\n",
	       st_bench_quantile(ratios, 0.5), st_bench_quantile(ratios, 0.1),
	       st_bench_quantile(ratios, 0.9), rounds);
	st_bench_row("bench-scan", "simulated shift, durable answers/s (ratio: rate / bare rate)",
		     sm, NAN, "bare one-row commits/s", bm, st_bench_quantile(ratios, 0.5),
		     st_bench_quantile(ratios, 0.1), st_bench_quantile(ratios, 0.9), "p10-p90",
		     rounds);
	st_config_free(config);
}

/* one zint CLI run making the parcel label's SSCC barcode (GS1-128); Returns: its
 * microseconds, or -1 without zint */
static gint64
zint_sscc(const gchar *dir)
{
	g_autofree gchar *out = g_build_filename(dir, "zint-sscc.png", NULL);
	const gchar *argv[] = {"zint", "-b", "16", "--gs1", "-d", "[00]006141410000000012",
			       "-o",   out,  NULL};
	gint64 t0 = g_get_monotonic_time();
	gint status = 0;
	if (!g_spawn_sync(NULL, (gchar **)argv, NULL,
			  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
			  &status, NULL) ||
	    status != 0)
		return -1;
	return g_get_monotonic_time() - t0;
}

/* from the last scan of an order to its parcel label's bytes in the spool folder: the scan
 * that completes the order (committed, its parcel given an SSCC), the label rendered from the
 * order and stored, and written to the label printer's spool folder; interleaved order by
 * order with the zint CLI making the label's SSCC barcode */
static void
bench_label(const gchar *dir, guint n)
{
	g_autofree gchar *db = g_build_filename(dir, "label.db", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = st_store_new("bench");
	g_autoptr(GArray) station = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) base = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) ratios = g_array_new(FALSE, FALSE, sizeof(gdouble));
	StOrderLineSpec lines[] = {{"PEN", 2}};
	StConfig *config = config_without_api();
	StPrinterConfig *label = g_new0(StPrinterConfig, 1);
	StAddress to = {.name = "Ana Muller",
			.street1 = "Hauptstrasse 5",
			.city = "Berlin",
			.postal_code = "10115",
			.country = "DE"};
	guint printed = 0;

	seed_pen(store, db);
	for (guint o = 0; o < n; o++) {
		g_autofree gchar *number = g_strdup_printf("ORD-%u", o);
		if (!st_store_put_order(store,
					&(StOrderSpec){.number = number,
						       .status = ST_ORDER_STATUS_RELEASED,
						       .ship_to = &to,
						       .lines = lines,
						       .n_lines = 1},
					NULL, &error))
			g_error("seed: %s", error->message);
	}
	g_free(config->store_path);
	config->store_path = g_strdup(db);
	config->usb_enabled = FALSE;
	g_free(config->pack_weigh);
	config->pack_weigh = g_strdup("no");
	config->sscc_prefix = g_strdup("00614141");
	g_free(config->slip_template);
	config->slip_template = g_strdup("none");
	g_hash_table_insert(config->sender, g_strdup("name"), g_strdup("Bench Warehouse"));
	g_hash_table_insert(config->sender, g_strdup("street"), g_strdup("1 Depot Road"));
	g_hash_table_insert(config->sender, g_strdup("postal-code"), g_strdup("10115"));
	g_hash_table_insert(config->sender, g_strdup("city"), g_strdup("Berlin"));
	g_hash_table_insert(config->sender, g_strdup("country"), g_strdup("DE"));
	label->name = g_strdup("label");
	label->spool = g_build_filename(dir, "spool", NULL);
	label->language = g_strdup("zpl");
	label->dpi = 203;
	g_ptr_array_add(config->printers, label);
	for (guint o = 0; o < n; o++) {
		g_autofree gchar *first =
			g_strdup_printf("scan bench ORD-%u\nscan bench 4006381333931\n", o);
		const gchar *last = "scan bench 4006381333931\nexpect ok\n";
		g_autoptr(StSimScript) open =
			st_sim_script_parse(first, strlen(first), "open", &error);
		g_autoptr(StSimScript) close =
			st_sim_script_parse(last, strlen(last), "last", &error);
		gint64 t0, station_us, zint_us;
		if (open == NULL || close == NULL ||
		    !st_sim_run(store, config, open, FALSE, NULL, NULL, NULL, &error))
			g_error("order %u: %s", o, error->message);
		zint_us = zint_sscc(dir);
		t0 = g_get_monotonic_time();
		/* st_sim_run returns once what the step printed has ended */
		if (!st_sim_run(store, config, close, TRUE, NULL, count_printed, &printed, &error))
			g_error("order %u: %s", o, error->message);
		station_us = g_get_monotonic_time() - t0;
		g_array_append_val(station, (gdouble){station_us / 1000.0});
		if (zint_us >= 0) {
			g_array_append_val(base, (gdouble){zint_us / 1000.0});
			g_array_append_val(ratios,
					   (gdouble){(gdouble)station_us / MAX(zint_us, 1)});
		}
	}
	if (printed != n)
		g_error("%u labels printed for %u orders", printed, n);
	printf("bench-scan: the last scan of an order to its parcel label in the spool folder, %u "
	       "orders\n",
	       n);
	if (base->len > 0)
		printf("  baseline  zint CLI, the label's SSCC GS1-128    median %8.2f ms  p99 "
		       "%8.2f ms\n",
		       st_bench_quantile(base, 0.5), st_bench_quantile(base, 0.99));
	else
		printf("  baseline  zint CLI not installed: no ratio\n");
	printf("  station   last scan -> commit -> label bytes   median %8.2f ms  p99 %8.2f ms\n",
	       st_bench_quantile(station, 0.5), st_bench_quantile(station, 0.99));
	if (ratios->len > 0)
		printf("  ratio     station / baseline, per order         median %.2f  (p10 %.2f, "
		       "p90 %.2f; %u rounds)\n",
		       st_bench_quantile(ratios, 0.5), st_bench_quantile(ratios, 0.1),
		       st_bench_quantile(ratios, 0.9), ratios->len);
	st_bench_row(
		"bench-scan", "last scan of an order to its label's bytes in the spool, ms",
		st_bench_quantile(station, 0.5), st_bench_quantile(station, 0.99),
		"zint CLI, the SSCC barcode", base->len > 0 ? st_bench_quantile(base, 0.5) : NAN,
		ratios->len > 0 ? st_bench_quantile(ratios, 0.5) : NAN,
		ratios->len > 0 ? st_bench_quantile(ratios, 0.1) : NAN,
		ratios->len > 0 ? st_bench_quantile(ratios, 0.9) : NAN, "p10-p90", ratios->len);
	st_config_free(config);
}

int
main(int argc, char **argv)
{
	guint n = argc > 1 ? (guint)g_ascii_strtoull(argv[1], NULL, 10) : 500;
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autoptr(GArray) base = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GArray) small_times = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GArray) small_ratios = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) same_times = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GArray) station = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GArray) ratios = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) same_ratios = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) rows_ratios = g_array_new(FALSE, FALSE, sizeof(gdouble));
	Baseline baseline = {NULL}, small = {NULL};
	SameRows same = {NULL};
	gdouble bm, bp, km, kp, rm, rp, sm, sp;

	st_log_setup(G_LOG_LEVEL_WARNING);
	if (n < 10)
		n = 10;
	baseline_open(&baseline, dir, 0);
	baseline_open(&small, dir, 1024);
	same_rows_open(&same, dir, n + WARM_UP_SCANS + 1);
	/* every WAL grown once before the first timed commit, as a running station's is */
	baseline_warm(&baseline);
	baseline_warm(&small);
	for (guint i = 0; i < WARM_UP_SCANS && !st_bench_wal_grown(same.path); i++)
		same_rows_scan(&same, (const guint8 *)"warm-up", 7);
	if (!st_bench_wal_grown(same.path))
		g_error("%s: its WAL did not grow to 1000 frames", same.path);
	same_rows_scan(&same, (const guint8 *)"warm-up", 7);
	bench_station(dir, n, &baseline, &small, &same, base, small_times, same_times, station);
	for (guint i = 0; i < station->len; i++) {
		gdouble s = (gdouble)g_array_index(station, gint64, i);
		gdouble b = (gdouble)MAX(g_array_index(base, gint64, i), 1);
		gdouble r = (gdouble)MAX(g_array_index(same_times, gint64, i), 1);
		g_array_append_val(ratios, (gdouble){s / b});
		g_array_append_val(same_ratios, (gdouble){s / r});
		g_array_append_val(rows_ratios, (gdouble){r / b});
		g_array_append_val(
			small_ratios,
			(gdouble){s / (gdouble)MAX(g_array_index(small_times, gint64, i), 1)});
	}
	stats(base, &bm, &bp);
	stats(small_times, &km, &kp);
	stats(same_times, &rm, &rp);
	stats(station, &sm, &sp);
	printf("bench-scan: %u scans, each committed durably (WAL, synchronous=FULL), interleaved "
	       "with the baselines\n",
	       n);
	printf("  baseline  bare SQLite insert + commit           median %8.1f us  p99 %8.1f us\n",
	       bm, bp);
	printf("  baseline  %-37s median %8.1f us  p99 %8.1f us\n",
	       "the same, 1 KiB pages as the station", km, kp);
	printf("  baseline  bare SQLite, a scan's reads and rows  median %8.1f us  p99 %8.1f us\n",
	       rm, rp);
	printf("  station   reports -> decode -> pack -> commit   median %8.1f us  p99 %8.1f us\n",
	       sm, sp);
	printf("  ratio     station / one-row commit, per scan    median %.2f  (p10 %.2f, p90 "
	       "%.2f; %u rounds)\n",
	       st_bench_quantile(ratios, 0.5), st_bench_quantile(ratios, 0.1),
	       st_bench_quantile(ratios, 0.9), n);
	printf("  ratio     station / 1 KiB-page one-row commit   median %.2f  (p10 %.2f, p90 "
	       "%.2f)\n",
	       st_bench_quantile(small_ratios, 0.5), st_bench_quantile(small_ratios, 0.1),
	       st_bench_quantile(small_ratios, 0.9));
	printf("  ratio     station / the same rows, per scan     median %.2f  (p10 %.2f, p90 "
	       "%.2f)\n",
	       st_bench_quantile(same_ratios, 0.5), st_bench_quantile(same_ratios, 0.1),
	       st_bench_quantile(same_ratios, 0.9));
	printf("  ratio     the same rows / one-row commit        median %.2f  (p10 %.2f, p90 "
	       "%.2f): the floor of the first ratio\n",
	       st_bench_quantile(rows_ratios, 0.5), st_bench_quantile(rows_ratios, 0.1),
	       st_bench_quantile(rows_ratios, 0.9));
	st_bench_row("bench-scan", "scan to its durable verdict (HID reports in), us", sm, sp,
		     "bare one-row SQLite commit", bm, st_bench_quantile(ratios, 0.5),
		     st_bench_quantile(ratios, 0.1), st_bench_quantile(ratios, 0.9), "p10-p90", n);
	st_bench_row("bench-scan", "scan to its durable verdict (HID reports in), us", sm, sp,
		     "bare one-row SQLite commit, 1 KiB pages", km,
		     st_bench_quantile(small_ratios, 0.5), st_bench_quantile(small_ratios, 0.1),
		     st_bench_quantile(small_ratios, 0.9), "p10-p90", n);
	st_bench_row("bench-scan", "scan to its durable verdict (HID reports in), us", sm, sp,
		     "bare SQLite, the scan's reads and rows", rm,
		     st_bench_quantile(same_ratios, 0.5), st_bench_quantile(same_ratios, 0.1),
		     st_bench_quantile(same_ratios, 0.9), "p10-p90", n);
	st_bench_row("bench-scan", "bare SQLite, a scan's reads and rows, us", rm, rp,
		     "bare one-row SQLite commit", bm, st_bench_quantile(rows_ratios, 0.5),
		     st_bench_quantile(rows_ratios, 0.1), st_bench_quantile(rows_ratios, 0.9),
		     "p10-p90", n);
	bench_shift(dir, 10, MAX(n / 25, 2), &baseline);
	bench_label(dir, MAX(n / 10, 10));
	same_rows_close(&same);
	baseline_close(&baseline);
	baseline_close(&small);
	st_test_tmpdir_free(g_steal_pointer(&dir));
	return 0;
}
