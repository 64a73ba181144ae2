/*
 * Benchmark: a scan submitted over the API (POST /api/v1/seats/bench/scans) until its verdict
 * arrives on a WebSocket, with 1 and with 20 screens connected, against the same scan handed
 * to the router directly in the same process (what a USB scanner's scan costs after its
 * driver), interleaved scan by scan so a busy moment hits both. The server, the store and the
 * router are the daemon's, on one main loop; the clients are libsoup on the same loop. Prints
 * medians, p99, the ratio and the resident memory with 20 sockets; asserts no time.
 */
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "st-api.h"
#include "st-bench.h"
#include "st-test-util.h"

typedef struct {
	GMainLoop *loop;
	gint64 want_scan; /* the scan whose verdict is awaited on socket 0 */
	SoupWebsocketConnection *sockets[20];
	guint n_sockets;
	guint received;	  /* messages on every socket */
	GHashTable *seen; /* scan ids whose verdict socket 0 received */
} Bench;

static glong
rss_kib(void)
{
	g_autofree gchar *text = NULL;
	const gchar *at;
	if (!g_file_get_contents("/proc/self/status", &text, NULL, NULL))
		return -1;
	at = strstr(text, "VmRSS:");
	return at != NULL ? atol(at + 6) : -1;
}

static void
message_cb(SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer data)
{
	Bench *b = data;
	g_autofree gchar *text =
		g_strndup(g_bytes_get_data(message, NULL), g_bytes_get_size(message));
	const gchar *at = strstr(text, "\"scan\":");
	b->received++;
	if (conn == b->sockets[0] && at != NULL)
		g_hash_table_add(b->seen, GINT_TO_POINTER((gint)g_ascii_strtoll(at + 7, NULL, 10)));
}

static void
connected_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	Bench *b = data;
	g_autoptr(GError) error = NULL;
	SoupWebsocketConnection *conn =
		soup_session_websocket_connect_finish(SOUP_SESSION(source), result, &error);
	g_assert_no_error(error);
	g_signal_connect(conn, "message", G_CALLBACK(message_cb), b);
	b->sockets[b->n_sockets++] = conn;
	g_main_loop_quit(b->loop);
}

typedef struct {
	GMainLoop *loop;
	GBytes *body;
	gboolean waiting;
} Post;

static void
posted_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	Post *p = data;
	g_autoptr(GError) error = NULL;
	p->body = soup_session_send_and_read_finish(SOUP_SESSION(source), result, &error);
	g_assert_no_error(error);
	if (p->waiting)
		g_main_loop_quit(p->loop);
}

int
main(int argc, char **argv)
{
	guint rounds = argc > 1 ? (guint)g_ascii_strtoull(argv[1], NULL, 10) : 300;
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = st_store_new("bench");
	g_autoptr(StScanRouter) router = NULL;
	g_autoptr(StConfig) config = st_config_new_default();
	g_autoptr(StApi) api = NULL;
	g_autoptr(SoupSession) http = soup_session_new();
	g_autofree gchar *token = NULL;
	const gchar *pen[] = {"4006381333931", NULL};
	Bench b = {0};
	guint counts[] = {1, 20};

	b.loop = g_main_loop_new(NULL, FALSE);
	b.seen = g_hash_table_new(NULL, NULL);
	g_assert_true(st_store_open(store, db, 5000, &error));
	g_assert_true(st_store_put_product(
		store, &(StProductSpec){.sku = "PEN", .name = "Pen", .barcodes = pen}, NULL,
		&error));
	router = st_scan_router_new(store, NULL);
	g_free(config->http_listen);
	config->http_listen = g_strdup("127.0.0.1:0");
	api = st_api_new(store, router, config);
	g_signal_connect_swapped(router, "verdict", G_CALLBACK(st_api_broadcast_verdict), api);
	g_assert_true(st_api_start(api, &error));
	{
		/* a station without operators: a session for the bench without a badge */
		g_autofree gchar *uri = g_strconcat(st_api_get_uri(api), "api/v1/sessions", NULL);
		g_autoptr(SoupMessage) msg = soup_message_new("POST", uri);
		g_autoptr(GBytes) body = g_bytes_new_static("{\"seat\": \"bench\"}", 17);
		Post p = {.loop = b.loop, .waiting = TRUE};
		const gchar *at;
		soup_message_set_request_body_from_bytes(msg, "application/json", body);
		soup_session_send_and_read_async(http, msg, G_PRIORITY_DEFAULT, NULL, posted_cb,
						 &p);
		g_main_loop_run(b.loop);
		g_assert_cmpuint(soup_message_get_status(msg), ==, 201);
		at = strstr(g_bytes_get_data(p.body, NULL), "\"token\":\"") + 9;
		token = g_strndup(at, 64);
		g_bytes_unref(p.body);
	}
	g_print("bench-api: a scan over the API to its verdict on a WebSocket, against the same "
		"scan handed to the router, interleaved; %u scans each\n",
		rounds);
	for (guint c = 0; c < G_N_ELEMENTS(counts); c++) {
		g_autoptr(GArray) api_ms = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) direct_ms = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) ratio = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autofree gchar *post_uri =
			g_strconcat(st_api_get_uri(api), "api/v1/seats/bench/scans", NULL);
		g_autofree gchar *auth = g_strdup_printf("Bearer %s", token);

		while (b.n_sockets < counts[c]) {
			g_autofree gchar *uri = g_strdup_printf("%sapi/v1/events?token=%s",
								st_api_get_uri(api), token);
			g_autoptr(SoupMessage) msg = soup_message_new("GET", uri);
			soup_session_websocket_connect_async(
				http, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, connected_cb, &b);
			g_main_loop_run(b.loop);
		}
		for (guint i = 0; i < rounds; i++) {
			g_autoptr(SoupMessage) msg = soup_message_new("POST", post_uri);
			g_autoptr(GBytes) body =
				g_bytes_new_static("{\"text\": \"4006381333931\"}", 25);
			g_autoptr(StScan) scan = NULL;
			g_autoptr(GBytes) data = g_bytes_new_static("4006381333931", 13);
			g_autoptr(StVerdict) v = NULL;
			Post p = {.loop = b.loop};
			gint64 t0;
			gdouble one_api, one_direct, r;
			const gchar *at;

			/* over the API: the POST answered, then the verdict on socket 0 */
			soup_message_headers_replace(soup_message_get_request_headers(msg),
						     "Authorization", auth);
			soup_message_set_request_body_from_bytes(msg, "application/json", body);
			t0 = g_get_monotonic_time();
			p.waiting = TRUE;
			soup_session_send_and_read_async(http, msg, G_PRIORITY_DEFAULT, NULL,
							 posted_cb, &p);
			g_main_loop_run(b.loop);
			g_assert_cmpuint(soup_message_get_status(msg), ==, 200);
			at = strstr(g_bytes_get_data(p.body, NULL), "\"scan\":");
			b.want_scan = g_ascii_strtoll(at + 7, NULL, 10);
			g_bytes_unref(p.body);
			/* the socket may have it already: it was sent before the POST's answer */
			while (!g_hash_table_contains(b.seen, GINT_TO_POINTER((gint)b.want_scan)))
				g_main_context_iteration(NULL, TRUE);
			one_api = (g_get_monotonic_time() - t0) / 1000.0;
			/* the same scan handed to the router */
			scan = st_scan_new("bench", data, NULL);
			t0 = g_get_monotonic_time();
			v = st_scan_router_handle_scan(router, scan, &error);
			g_assert_no_error(error);
			one_direct = (g_get_monotonic_time() - t0) / 1000.0;
			/* its verdict goes to the sockets too: let them drain; and keep under the
			 * API's 20 requests a second per token (a bench scans far less often) */
			{
				gint64 until = t0 + 55000;
				while (g_main_context_iteration(NULL, FALSE) ||
				       g_get_monotonic_time() < until)
					g_usleep(1000);
			}
			g_array_append_val(api_ms, one_api);
			g_array_append_val(direct_ms, one_direct);
			r = one_api / MAX(one_direct, 0.001);
			g_array_append_val(ratio, r);
		}
		g_print("  %2u WebSocket(s): API median %.2f ms p99 %.2f; router alone median %.2f "
			"ms p99 %.2f; ratio per scan median %.2f (p10 %.2f, p90 %.2f); resident "
			"%ld KiB\n",
			counts[c], st_bench_quantile(api_ms, 0.5), st_bench_quantile(api_ms, 0.99),
			st_bench_quantile(direct_ms, 0.5), st_bench_quantile(direct_ms, 0.99),
			st_bench_quantile(ratio, 0.5), st_bench_quantile(ratio, 0.1),
			st_bench_quantile(ratio, 0.9), rss_kib());
		{
			g_autofree gchar *figure = g_strdup_printf(
				"scan over the API to its verdict on %u WebSocket(s), ms",
				counts[c]);
			st_bench_row("bench-api", figure, st_bench_quantile(api_ms, 0.5),
				     st_bench_quantile(api_ms, 0.99),
				     "the router alone, in process",
				     st_bench_quantile(direct_ms, 0.5),
				     st_bench_quantile(ratio, 0.5), st_bench_quantile(ratio, 0.1),
				     st_bench_quantile(ratio, 0.9), "p10-p90", api_ms->len);
		}
	}
	g_print("  every socket received every verdict: %u messages on %u sockets\n", b.received,
		b.n_sockets);
	for (guint i = 0; i < b.n_sockets; i++)
		g_object_unref(b.sockets[i]);
	st_api_stop(api);
	g_main_loop_unref(b.loop);
	g_hash_table_unref(b.seen);
	st_store_close(store);
	st_test_tmpdir_free(g_steal_pointer(&dir));
	return 0;
}
