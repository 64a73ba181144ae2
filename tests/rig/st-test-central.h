/*
 * The reference central order system (tests/central/st-central) for a test: started on a free
 * loopback port, ended with the test (even one that aborts), and its own doors: the faults it
 * injects and what it holds.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "station/st-store.h"
#include "st-test-util.h"

typedef struct {
	GSubprocess *proc;
	gchar *url; /* "http://127.0.0.1:PORT/" */
	SoupSession *http;
} StTestCentral;

/* @extra: (nullable): more arguments for st-central (--hmac-secret S, --tls-cert F ...) */
static inline StTestCentral *
st_test_central_start_with(const gchar *token, const gchar *const *extra)
{
	const gchar *bin = g_getenv("ST_CENTRAL_BIN");
	g_autoptr(GSubprocessLauncher) launcher =
		g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE);
	g_autoptr(GError) error = NULL;
	g_autoptr(GDataInputStream) out = NULL;
	g_autofree gchar *line = NULL;
	StTestCentral *c = g_new0(StTestCentral, 1);

	g_assert_nonnull(bin);
	g_subprocess_launcher_set_child_setup(launcher, st_test_child_dies_with_parent, NULL, NULL);
	{
		g_autoptr(GPtrArray) argv = g_ptr_array_new();
		g_ptr_array_add(argv, (gpointer)bin);
		g_ptr_array_add(argv, (gpointer) "--token");
		g_ptr_array_add(argv, (gpointer)token);
		for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
			g_ptr_array_add(argv, (gpointer)extra[i]);
		g_ptr_array_add(argv, NULL);
		c->proc = g_subprocess_launcher_spawnv(launcher, (const gchar *const *)argv->pdata,
						       &error);
	}
	g_assert_no_error(error);
	out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(c->proc));
	line = g_data_input_stream_read_line(out, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(line);
	g_assert_true(g_str_has_prefix(line, "listening on "));
	c->url = g_strdup(line + strlen("listening on "));
	c->http = soup_session_new();
	return c;
}

static inline StTestCentral *
st_test_central_start(const gchar *token)
{
	return st_test_central_start_with(token, NULL);
}

static inline void
st_test_central_stop(StTestCentral *c)
{
	g_subprocess_send_signal(c->proc, SIGTERM);
	g_subprocess_wait(c->proc, NULL, NULL);
	g_object_unref(c->proc);
	g_object_unref(c->http);
	g_free(c->url);
	g_free(c);
}

/* a request to the server's own doors (/v1/_faults, /v1/_query/...): its JSON answer */
static inline JsonNode *
st_test_central_call(StTestCentral *c, const gchar *method, const gchar *path, const gchar *json)
{
	g_autofree gchar *uri = g_strconcat(c->url, path + 1, NULL);
	g_autoptr(SoupMessage) msg = soup_message_new(method, uri);
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();

	if (json != NULL) {
		g_autoptr(GBytes) req = g_bytes_new(json, strlen(json));
		soup_message_set_request_body_from_bytes(msg, "application/json", req);
	}
	body = soup_session_send_and_read(c->http, msg, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(soup_message_get_status(msg), ==, 200);
	if (!json_parser_load_from_data(parser, g_bytes_get_data(body, NULL),
					(gssize)g_bytes_get_size(body), NULL))
		return NULL;
	return json_node_copy(json_parser_get_root(parser));
}

static inline void
st_test_central_faults(StTestCentral *c, const gchar *json)
{
	g_autoptr(JsonNode) ignored = st_test_central_call(c, "POST", "/v1/_faults", json);
}

static inline gint64
st_test_central_stat(StTestCentral *c, const gchar *name)
{
	g_autoptr(JsonNode) root = st_test_central_call(c, "GET", "/v1/_query/stats", NULL);
	return json_object_get_int_member(json_node_get_object(root), name);
}

/* what the server holds: each event once, how many came more than once, how many arrived
 * out of their order's sequence */
typedef struct {
	guint events;
	guint twice;
	guint out_of_order;
} StTestCentralHeld;

static inline StTestCentralHeld
st_test_central_held(StTestCentral *c)
{
	g_autoptr(JsonNode) root = st_test_central_call(c, "GET", "/v1/_query/events", NULL);
	JsonArray *events = json_node_get_array(root);
	StTestCentralHeld h = {.events = json_array_get_length(events)};
	for (guint i = 0; i < h.events; i++) {
		JsonObject *e = json_array_get_object_element(events, i);
		if (json_object_get_int_member(e, "deliveries") > 1)
			h.twice++;
		if (!json_object_get_boolean_member(e, "in_order"))
			h.out_of_order++;
	}
	return h;
}

/* an order of one PEN (the product must exist) put in @store and walked from released to
 * @until (packed or shipped): the status events the central system is told of */
static inline void
st_test_central_order_events(StStore *store, const gchar *number, StOrderStatus until)
{
	static const StOrderStatus walk[] = {ST_ORDER_STATUS_RELEASED, ST_ORDER_STATUS_PACKING,
					     ST_ORDER_STATUS_PACKED, ST_ORDER_STATUS_SHIPPED};
	g_autoptr(GError) error = NULL;
	g_autoptr(StOrder) order = NULL;
	StOrderLineSpec lines[] = {{"PEN", 1}};

	g_assert_true(st_store_put_order(store,
					 &(StOrderSpec){.number = number,
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	order = st_store_find_order(store, number, &error);
	g_assert_no_error(error);
	for (guint i = 0; i + 1 < G_N_ELEMENTS(walk) && walk[i] != until; i++)
		g_assert_true(
			st_store_set_order_status(store, order, walk[i], walk[i + 1], 0, &error));
	g_assert_no_error(error);
}
