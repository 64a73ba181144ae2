/*
 * The API's tests' client: an HTTP exchange and a WebSocket of events, each run on the
 * test's main loop (the daemon's or the API's own) until it answers, and failing the test
 * after 10 s instead of hanging it. For tests linked with libsoup and json-glib.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define ST_TEST_WS_WAIT_S 10

typedef struct {
	GMainLoop *loop;
	SoupWebsocketConnection *conn;
	GError *error;		/* the connection's, when it was refused */
	GPtrArray *messages;	/* (element-type utf8): the messages kept, in order */
	const gchar *only_type; /* keep only the messages whose "type" is this; NULL: all */
	gboolean waiting;	/* the test waits for a message: the loop is this one's to end */
	gboolean timed_out;
} StTestWs;

static inline gboolean
st_test_ws_timeout_cb(gpointer data)
{
	gboolean *timed_out = data;
	*timed_out = TRUE;
	return G_SOURCE_REMOVE;
}

/* runs @loop until *@done or ST_TEST_WS_WAIT_S; Returns: FALSE when the time ran out */
static inline gboolean
st_test_loop_until(GMainLoop *loop, const gboolean *done)
{
	gboolean timed_out = FALSE;
	guint timeout = g_timeout_add_seconds(ST_TEST_WS_WAIT_S, st_test_ws_timeout_cb, &timed_out);
	GMainContext *context = g_main_loop_get_context(loop);

	while (!*done && !timed_out)
		g_main_context_iteration(context, TRUE);
	if (!timed_out)
		g_source_remove(timeout);
	return !timed_out;
}

typedef struct {
	gboolean done;
	GBytes *body;
	GError *error;
} StTestHttp;

static inline void
st_test_http_sent_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	StTestHttp *h = data;
	h->body = soup_session_send_and_read_finish(SOUP_SESSION(source), result, &h->error);
	h->done = TRUE;
}

/* Returns: (transfer full): the body of @msg's answer (its status in @msg) */
static inline GBytes *
st_test_http_send(SoupSession *http, GMainLoop *loop, SoupMessage *msg)
{
	StTestHttp h = {0};
	soup_session_send_and_read_async(http, msg, G_PRIORITY_DEFAULT, NULL, st_test_http_sent_cb,
					 &h);
	if (!st_test_loop_until(loop, &h.done))
		g_error("no answer to %s %s in %d s", soup_message_get_method(msg),
			g_uri_to_string(soup_message_get_uri(msg)), ST_TEST_WS_WAIT_S);
	g_assert_no_error(h.error);
	return h.body;
}

static inline void
st_test_ws_message_cb(SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer data)
{
	StTestWs *ws = data;

	if (ws->only_type != NULL) {
		g_autoptr(JsonParser) parser = json_parser_new();
		JsonNode *root;
		if (!json_parser_load_from_data(parser, g_bytes_get_data(message, NULL),
						(gssize)g_bytes_get_size(message), NULL))
			return;
		root = json_parser_get_root(parser);
		if (!JSON_NODE_HOLDS_OBJECT(root) ||
		    g_strcmp0(json_object_get_string_member_with_default(json_node_get_object(root),
									 "type", NULL),
			      ws->only_type) != 0)
			return;
	}
	g_ptr_array_add(ws->messages,
			g_strndup(g_bytes_get_data(message, NULL), g_bytes_get_size(message)));
	if (ws->waiting)
		g_main_loop_quit(ws->loop);
}

typedef struct {
	StTestWs *ws;
	gboolean done;
} StTestWsConnect;

static inline void
st_test_ws_connected_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	StTestWsConnect *c = data;
	c->ws->conn =
		soup_session_websocket_connect_finish(SOUP_SESSION(source), result, &c->ws->error);
	if (c->ws->conn != NULL)
		g_signal_connect(c->ws->conn, "message", G_CALLBACK(st_test_ws_message_cb), c->ws);
	c->done = TRUE;
}

/* opens the events' socket at @uri (refused: ws->conn NULL, ws->error why) */
static inline void
st_test_ws_connect(StTestWs *ws,
		   SoupSession *http,
		   GMainLoop *loop,
		   const gchar *uri,
		   const gchar *origin)
{
	g_autoptr(SoupMessage) msg = soup_message_new("GET", uri);
	StTestWsConnect c = {ws, FALSE};

	ws->loop = loop;
	ws->messages = g_ptr_array_new_with_free_func(g_free);
	soup_session_websocket_connect_async(http, msg, origin, NULL, G_PRIORITY_DEFAULT, NULL,
					     st_test_ws_connected_cb, &c);
	if (!st_test_loop_until(loop, &c.done))
		g_error("the WebSocket %s did not open or close in %d s", uri, ST_TEST_WS_WAIT_S);
}

static inline gboolean
st_test_ws_wait_timeout_cb(gpointer data)
{
	StTestWs *ws = data;
	ws->timed_out = TRUE;
	g_main_loop_quit(ws->loop);
	return G_SOURCE_REMOVE;
}

/* runs the loop until the next message kept on @ws; one that never comes fails the test */
static inline void
st_test_ws_wait(StTestWs *ws)
{
	guint timeout = g_timeout_add_seconds(ST_TEST_WS_WAIT_S, st_test_ws_wait_timeout_cb, ws);
	ws->timed_out = FALSE;
	ws->waiting = TRUE;
	g_main_loop_run(ws->loop);
	ws->waiting = FALSE;
	if (!ws->timed_out)
		g_source_remove(timeout);
	g_assert_false(ws->timed_out);
}

static inline void
st_test_ws_clear(StTestWs *ws)
{
	if (ws->conn != NULL &&
	    soup_websocket_connection_get_state(ws->conn) == SOUP_WEBSOCKET_STATE_OPEN)
		soup_websocket_connection_close(ws->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
	g_clear_object(&ws->conn);
	g_clear_error(&ws->error);
	g_clear_pointer(&ws->messages, g_ptr_array_unref);
}
