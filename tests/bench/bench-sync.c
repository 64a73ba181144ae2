/*
 * Benchmark: draining the outbox to the reference central system over loopback. A backlog of
 * N events (default 100,000) is made in rounds of 10,000; each round is drained by the
 * station's sync (read the outbox, CloudEvents batches of 100, POST, parse the per-event
 * answer, record the outcomes durably) and, interleaved with it (the order alternating round
 * by round, so a busy moment hits both), a bare libsoup client posts the same batches, byte
 * for byte, to a second reference server. Meanwhile a main-loop tick every 20 ms does a
 * scan's store work (a durable stock change) and measures how late it came and how long it
 * took, beside the same figure with no drain running. Prints medians, p99, events per second,
 * the ratio, and this process's memory; asserts no time.
 */
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "st-bench.h"
#include "st-cloudevents.h"
#include "st-config.h"
#include "st-sync.h"
#include "st-test-central.h"
#include "st-test-util.h"

#define ROUND 10000

typedef struct {
	StStore *store;
	GArray *tick_late_ms;
	GArray *tick_work_ms;
	gint64 expected_us;
	guint at_least; /* events a drain must deliver */
	gboolean ticking;
	guint tick_id;
	GMainLoop *loop;
} Bench;

static glong
status_kib(const gchar *field)
{
	g_autofree gchar *text = NULL;
	const gchar *at;
	if (!g_file_get_contents("/proc/self/status", &text, NULL, NULL))
		return -1;
	at = strstr(text, field);
	return at != NULL ? atol(at + strlen(field) + 1) : -1;
}

/* a round's backlog: ROUND / 2 orders, each packing and packed (two events), in one
 * transaction (not timed) */
static void
make_round(StStore *store, guint round)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StStoreTransaction) tx = st_store_transaction_begin(store, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < ROUND / 2; i++) {
		g_autofree gchar *number = g_strdup_printf("R%u-%u", round, i);
		st_test_central_order_events(store, number, ST_ORDER_STATUS_PACKED);
	}
	g_assert_true(st_store_transaction_commit(tx, &error));
}

/* the bodies the station will send for the backlog, in batches of 100 */
static GPtrArray *
round_bodies(StStore *store)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) all = st_store_get_outbox(store, &error);
	GPtrArray *bodies = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	for (guint at = 0; at < all->len; at += 100) {
		g_autoptr(GPtrArray) batch = g_ptr_array_new();
		for (guint i = at; i < MIN(at + 100, all->len); i++)
			g_ptr_array_add(batch, all->pdata[i]);
		g_ptr_array_add(bodies, st_cloudevents_batch(batch, "bench", &error));
		g_assert_no_error(error);
	}
	return bodies;
}

static gdouble
bare_post(SoupSession *http, const gchar *url, GPtrArray *bodies)
{
	g_autofree gchar *uri = g_strconcat(url, "v1/events", NULL);
	gint64 t0 = g_get_monotonic_time();
	for (guint i = 0; i < bodies->len; i++) {
		g_autoptr(SoupMessage) msg = soup_message_new("POST", uri);
		g_autoptr(GBytes) answer = NULL;
		g_autoptr(GError) error = NULL;
		soup_message_headers_replace(soup_message_get_request_headers(msg), "Authorization",
					     "Bearer bench");
		soup_message_set_request_body_from_bytes(msg, ST_CLOUDEVENTS_CONTENT_TYPE,
							 bodies->pdata[i]);
		answer = soup_session_send_and_read(http, msg, NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(soup_message_get_status(msg), ==, 200);
	}
	return (g_get_monotonic_time() - t0) / 1000.0;
}

/* every 20 ms: a scan's store work, timed, and how late the loop let it run */
static gboolean
tick_cb(gpointer data)
{
	Bench *b = data;
	g_autoptr(GError) error = NULL;
	gint64 now = g_get_monotonic_time();
	StStockChange c = {.kind = ST_LEDGER_RECEIVE, .sku = "PEN", .to = "BIN-1", .quantity = 1};
	gdouble late = (now - b->expected_us) / 1000.0;
	gint64 t0;

	b->tick_id = 0;
	g_array_append_val(b->tick_late_ms, late);
	t0 = g_get_monotonic_time();
	if (!st_store_change_stock(b->store, &c, NULL, &error))
		g_error("%s", error->message);
	{
		gdouble work = (g_get_monotonic_time() - t0) / 1000.0;
		g_array_append_val(b->tick_work_ms, work);
	}
	/* one shot at a time: the next is due 20 ms from now, and its lateness is measured
	 * from that */
	if (b->ticking) {
		b->expected_us = g_get_monotonic_time() + 20000;
		b->tick_id = g_timeout_add(20, tick_cb, b);
	}
	return G_SOURCE_REMOVE;
}

static void
ticks_start(Bench *b, GArray *late, GArray *work)
{
	b->tick_late_ms = late;
	b->tick_work_ms = work;
	b->ticking = TRUE;
	b->expected_us = g_get_monotonic_time() + 20000;
	b->tick_id = g_timeout_add(20, tick_cb, b);
}

static void
ticks_stop(Bench *b)
{
	b->ticking = FALSE;
	if (b->tick_id != 0)
		g_source_remove(b->tick_id);
	b->tick_id = 0;
}

static void
drained_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	Bench *b = data;
	g_autoptr(GError) error = NULL;
	StSyncReport r = {0};
	if (!st_sync_drain_finish(ST_SYNC(source), result, &r, &error))
		g_error("%s", error->message);
	/* the round's events, and the ticks' own stock events */
	if (r.failed > 0 || r.delivered < b->at_least)
		g_error("drain: %u delivered, %u failed: %s", r.delivered, r.failed,
			r.last_problem);
	st_sync_report_clear(&r);
	g_main_loop_quit(b->loop);
}

static gboolean
quit_cb(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

int
main(int argc, char **argv)
{
	guint events = argc > 1 ? (guint)g_ascii_strtoull(argv[1], NULL, 10) : 100000;
	guint rounds = MAX(events / ROUND, 2);
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *token = g_build_filename(dir, "token", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = st_store_new("bench");
	g_autoptr(StConfig) config = st_config_new_default();
	g_autoptr(StCentralClient) client = NULL;
	g_autoptr(StSync) sync = NULL;
	g_autoptr(SoupSession) http = soup_session_new();
	g_autoptr(GArray) station_ms = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) bare_ms = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) ratio = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) idle_late = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) idle_work = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) busy_late = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) busy_work = g_array_new(FALSE, FALSE, sizeof(gdouble));
	StTestCentral *central = st_test_central_start("bench");
	StTestCentral *bare = st_test_central_start("bench");
	const gchar *pen[] = {"4006381333931", NULL};
	glong rss_idle, rss_before = 0, rss_peak = 0;
	Bench b = {.store = store};

	g_assert_true(st_store_open(store, db, 5000, &error));
	g_assert_true(st_store_put_product(
		store, &(StProductSpec){.sku = "PEN", .name = "Pen", .barcodes = pen}, NULL,
		&error));
	g_assert_true(st_store_put_location(
		store, &(StLocationSpec){.code = "BIN-1", .barcode = "BIN-1", .kind = "bin"},
		&error));
	g_assert_no_error(error);
	g_assert_true(g_file_set_contents(token, "bench\n", -1, NULL));
	g_chmod(token, 0600);
	config->central_url = g_strdup(central->url);
	config->central_token_file = g_strdup(token);
	client = st_central_client_new(config, &error);
	g_assert_no_error(error);
	sync = st_sync_new(store, client, "bench", 100, 300);
	b.loop = g_main_loop_new(NULL, FALSE);

	/* the loop idle: the same ticks for as long as a round takes, about */
	rss_idle = status_kib("VmRSS:");
	for (guint r = 0; r < rounds; r++) {
		g_autoptr(GPtrArray) bodies = NULL;
		gdouble station = 0, bare_one = 0, per_round;

		make_round(store, r);
		bodies = round_bodies(store);
		for (guint part = 0; part < 2; part++) {
			gboolean station_now = (part == 0) == (r % 2 == 0);
			if (station_now) {
				gint64 t0 = g_get_monotonic_time();
				rss_before = MAX(rss_before, status_kib("VmRSS:"));
				ticks_start(&b, busy_late, busy_work);
				b.at_least = ROUND;
				st_sync_drain_async(sync, NULL, drained_cb, &b);
				g_main_loop_run(b.loop);
				ticks_stop(&b);
				station = (g_get_monotonic_time() - t0) / 1000.0;
				rss_peak = MAX(rss_peak, status_kib("VmRSS:"));
			} else {
				bare_one = bare_post(http, bare->url, bodies);
			}
		}
		/* the same ticks with nothing draining, for about as long */
		ticks_start(&b, idle_late, idle_work);
		g_timeout_add((guint)MIN(station, 2000), quit_cb, b.loop);
		g_main_loop_run(b.loop);
		ticks_stop(&b);
		g_array_append_val(station_ms, station);
		g_array_append_val(bare_ms, bare_one);
		per_round = station / bare_one;
		g_array_append_val(ratio, per_round);
		g_print("round %u: station %.0f ms, bare libsoup %.0f ms (%u events)\n", r + 1,
			station, bare_one, ROUND);
	}
	{
		/* the last ticks' events too, then: everything the station made is there, once,
		 * in order */
		StTestCentralHeld held;
		StOutboxStatus status;
		b.at_least = 0;
		st_sync_drain_async(sync, NULL, drained_cb, &b);
		g_main_loop_run(b.loop);
		held = st_test_central_held(central);
		g_assert_true(st_store_outbox_status(store, &status, &error));
		if (status.pending != 0 || held.events != status.delivered ||
		    held.out_of_order != 0 || held.twice != 0)
			g_error("the central system holds %u events (%u out of order, %u twice), "
				"the "
				"station delivered %u and has %u waiting",
				held.events, held.out_of_order, held.twice, status.delivered,
				status.pending);
		st_outbox_status_clear(&status);
	}
	g_print("\nbench-sync: %u events drained to the reference server over loopback, in %u "
		"rounds of %u (batches of 100)\n",
		rounds * ROUND, rounds, ROUND);
	g_print("  station drain    median %.0f ms a round = %.0f events/s\n",
		st_bench_quantile(station_ms, 0.5),
		ROUND / st_bench_quantile(station_ms, 0.5) * 1000);
	g_print("  bare libsoup     median %.0f ms a round = %.0f events/s (same bodies, second "
		"server)\n",
		st_bench_quantile(bare_ms, 0.5), ROUND / st_bench_quantile(bare_ms, 0.5) * 1000);
	g_print("  ratio station/bare, per round: median %.2f (min %.2f, max %.2f)\n",
		st_bench_quantile(ratio, 0.5), st_bench_quantile(ratio, 0.0),
		st_bench_quantile(ratio, 1.0));
	st_bench_row("bench-sync", "events drained to the central system over loopback, events/s",
		     ROUND / st_bench_quantile(station_ms, 0.5) * 1000, NAN,
		     "bare libsoup client posting the same bodies",
		     ROUND / st_bench_quantile(bare_ms, 0.5) * 1000, st_bench_quantile(ratio, 0.5),
		     st_bench_quantile(ratio, 0.0), st_bench_quantile(ratio, 1.0),
		     "min-max (time ratio)", rounds);
	g_print("  a scan's store work (a durable stock change) on the main loop every 20 ms, and "
		"how late the loop ran it:\n");
	g_print("                      idle median %.2f ms p99 %.2f, late median "
		"%.2f ms p99 %.2f (%u)\n",
		st_bench_quantile(idle_work, 0.5), st_bench_quantile(idle_work, 0.99),
		st_bench_quantile(idle_late, 0.5), st_bench_quantile(idle_late, 0.99),
		idle_work->len);
	g_print("                      while draining median %.2f ms p99 %.2f, late median "
		"%.2f ms p99 %.2f (%u)\n",
		st_bench_quantile(busy_work, 0.5), st_bench_quantile(busy_work, 0.99),
		st_bench_quantile(busy_late, 0.5), st_bench_quantile(busy_late, 0.99),
		busy_work->len);
	g_print("  memory (this process: the store's page cache and a round's backlog "
		"included): %ld KiB at start, %ld KiB before a drain, %ld KiB after one, at most\n",
		rss_idle, rss_before, rss_peak);
	g_main_loop_unref(b.loop);
	st_test_central_stop(central);
	st_test_central_stop(bare);
	st_store_close(store);
	st_test_tmpdir_free(g_steal_pointer(&dir));
	return 0;
}
