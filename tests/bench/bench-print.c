/*
 * From render request to the label at the printer, through a private CUPS (tests/st-test-cups.c:
 * a raw queue to a TCP sink on loopback), against `lp -o raw` printing the same ZPL in the
 * same run. Station: fill and render carrier-4x6 as ZPL, store the label, record the print,
 * submit, follow the job; measured to the bytes arriving at the sink and to the job's
 * "completed" state as the station sees it (which includes the poll interval). lp: from the
 * command starting to the bytes arriving. Each round one of each, so a busy moment hits both;
 * medians and p99 of N rounds, the median of the rounds' ratios; no time is asserted.
 *
 * Usage: bench-print SOURCE_DIR [N]
 */
#include <string.h>

#include "st-label-data.h"
#include "st-bench.h"
#include "st-printing.h"
#include "st-test-cups.h"
#include "st-test-util.h"

static gboolean
tick_cb(gpointer user_data)
{
	return G_SOURCE_CONTINUE;
}

static void
wait_received(StTestCups *cups, guint n)
{
	while (cups->received->len < n)
		g_main_context_iteration(NULL, TRUE);
}

typedef struct {
	gint64 print_id;
	gboolean completed;
	gboolean failed;
} Round;

static void
on_change(StPrinting *printing, StPrintProgress *p, gpointer user_data)
{
	Round *r = user_data;
	if (p->print_id != r->print_id)
		return;
	if (g_strcmp0(p->state, "completed") == 0)
		r->completed = TRUE;
	else if (st_print_state_is_final(p->state))
		r->failed = TRUE;
}

static void
print_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	Round *r = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(StPrintProgress) p =
		st_printing_print_finish(ST_PRINTING(source), result, &error);
	if (p == NULL)
		g_error("print: %s", error->message);
	r->print_id = p->print_id;
	if (g_strcmp0(p->state, "completed") == 0)
		r->completed = TRUE;
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *missing = st_test_cups_missing(FALSE);
	g_autoptr(StTestCups) cups = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *db = NULL;
	g_autofree gchar *conf = NULL;
	g_autofree gchar *data = NULL;
	g_autofree gchar *zpl_path = NULL;
	g_autofree gchar *shipment = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(StPrinting) printing = NULL;
	g_autoptr(StLabelTemplate) tmpl = NULL;
	g_autoptr(GArray) t_sink = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) t_done = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) t_lp = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) t_ratio = g_array_new(FALSE, FALSE, sizeof(gdouble));
	guint n = argc > 2 ? (guint)atoi(argv[2]) : 50;
	gsize len = 0;
	guint tick;
	Round round = {0};

	if (argc < 2) {
		g_printerr("usage: bench-print SOURCE_DIR [N]\n");
		return 2;
	}
	if (missing != NULL) {
		g_print("bench-print: skipped: %s\n", missing);
		return 0;
	}
	cups = st_test_cups_start(FALSE, &error);
	if (cups == NULL)
		g_error("starting CUPS: %s", error->message);
	dir = st_test_tmpdir_new();
	db = g_build_filename(dir, "bench.db", NULL);
	conf = g_strdup_printf("[station]\nid = bench\n[store]\npath = %s\n[cups]\nserver = %s\n"
			       "poll-interval = 20\n",
			       db, cups->socket);
	config = st_config_load_data(conf, strlen(conf), "bench.conf", &error);
	g_assert_no_error(error);
	store = st_store_new("bench");
	if (!st_store_open(store, db, 5000, &error))
		g_error("%s", error->message);
	printing = st_printing_new(store, config);
	g_signal_connect(printing, "print-changed", G_CALLBACK(on_change), &round);
	shipment = g_build_filename(argv[1], "tests", "labels", "shipment-ups.json", NULL);
	if (!g_file_get_contents(shipment, &data, &len, &error))
		g_error("%s", error->message);
	tmpl = st_label_find_template("carrier-4x6", &error);
	g_assert_no_error(error);
	tick = g_timeout_add(5, tick_cb, NULL);

	for (guint i = 0; i < n; i++) {
		g_autoptr(StLabel) label = NULL;
		g_autoptr(GBytes) zpl = NULL;
		gint64 label_id = 0;
		gint64 start = g_get_monotonic_time();
		StLabelSpec spec = {"carrier", "carrier-4x6", "zpl", 203, "na_index-4x6_4x6in"};
		guint before = cups->received->len;
		gdouble sink_ms = 0;

		label = st_label_template_fill(tmpl, data, (gssize)len, 203, st_label_check_value,
					       NULL, &error);
		g_assert_no_error(error);
		zpl = st_label_render(label, ST_LABEL_FORMAT_ZPL, &error);
		g_assert_no_error(error);
		spec.content = zpl;
		if (!st_store_put_label(store, &spec, &label_id, NULL, &error))
			g_error("%s", error->message);
		memset(&round, 0, sizeof(round));
		/* the same label each round: a reprint, as the station refuses a silent copy */
		st_printing_print_async(printing, label_id, NULL, TRUE, "bench", NULL, print_done,
					&round);
		while (!round.completed && !round.failed) {
			g_main_context_iteration(NULL, TRUE);
			if (sink_ms == 0 && cups->received->len > before)
				sink_ms = (g_get_monotonic_time() - start) / 1000.0;
		}
		if (round.failed)
			g_error("round %u did not print", i);
		wait_received(cups, before + 1);
		if (sink_ms == 0)
			sink_ms = (g_get_monotonic_time() - start) / 1000.0;
		g_array_append_val(t_sink, sink_ms);
		{
			gdouble done = (g_get_monotonic_time() - start) / 1000.0;
			g_array_append_val(t_done, done);
		}
		if (i == 0) {
			zpl_path = g_build_filename(dir, "label.zpl", NULL);
			g_file_set_contents(zpl_path, g_bytes_get_data(zpl, NULL),
					    (gssize)g_bytes_get_size(zpl), NULL);
		}
		/* the baseline in the same round: lp with the same ZPL, raw */
		{
			gdouble ms, r;
			before = cups->received->len;
			start = g_get_monotonic_time();
			if (!st_test_cups_run(cups, &error, "lp", "-d", "label", "-o", "raw",
					      zpl_path, NULL))
				g_error("lp: %s", error->message);
			wait_received(cups, before + 1);
			ms = (g_get_monotonic_time() - start) / 1000.0;
			g_array_append_val(t_lp, ms);
			r = sink_ms / MAX(ms, 0.001);
			g_array_append_val(t_ratio, r);
		}
	}
	g_source_remove(tick);

	g_print("bench-print: %u rounds each; a raw queue to a TCP sink on loopback\n", n);
	g_print("  station render+store+print, to bytes at the printer: median %.1f ms, p99 "
		"%.1f ms\n",
		st_bench_quantile(t_sink, 0.5), st_bench_quantile(t_sink, 0.99));
	g_print("  station, to the job seen completed (poll every 20 ms): median %.1f ms, p99 "
		"%.1f ms\n",
		st_bench_quantile(t_done, 0.5), st_bench_quantile(t_done, 0.99));
	g_print("  lp -o raw (baseline), to bytes at the printer: median %.1f ms, p99 %.1f ms\n",
		st_bench_quantile(t_lp, 0.5), st_bench_quantile(t_lp, 0.99));
	g_print("  ratio station/lp to the printer, median of the rounds %.2f (p10 %.2f, p90 "
		"%.2f)\n",
		st_bench_quantile(t_ratio, 0.5), st_bench_quantile(t_ratio, 0.1),
		st_bench_quantile(t_ratio, 0.9));
	st_bench_row("bench-print",
		     "carrier label rendered, stored and printed through CUPS to the printer, ms",
		     st_bench_quantile(t_sink, 0.5), st_bench_quantile(t_sink, 0.99),
		     "lp -o raw with the same ZPL", st_bench_quantile(t_lp, 0.5),
		     st_bench_quantile(t_ratio, 0.5), st_bench_quantile(t_ratio, 0.1),
		     st_bench_quantile(t_ratio, 0.9), "p10-p90", n);
	st_test_tmpdir_free(g_steal_pointer(&dir));
	return 0;
}
