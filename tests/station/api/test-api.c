/*
 * The API over real HTTP and WebSocket on loopback: the server (station/api) on a free port
 * of 127.0.0.1 with a real store and the real router, a libsoup client on the same main loop.
 * Sessions and device tokens, every refusal as problem+json with nothing changed, a scan
 * submitted and its verdict on the WebSocket, the origin and flood checks, limits.
 */
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <zint.h>

#include "st-api-decode.h"
#include "st-api-request.h"
#include "st-api.h"
#include "st-i18n.h"
#include "st-test-util.h"
#include "st-test-ws.h"
#include "station/st-error.h"

typedef struct {
	gchar *dir;
	StStore *store;
	StScanRouter *router;
	StConfig *config;
	StApi *api;
	SoupSession *http;
	GMainLoop *loop;
} Fixture;

static void
fixture_set_up(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *db = NULL;
	const gchar *pen[] = {"4006381333931", NULL};
	StOrderLineSpec lines[] = {{"PEN", 1}};
	StOperatorSpec ana = {"0042", "Ana", ST_OPERATOR_ROLE_PACKER, NULL};
	StOperatorSpec li = {"0099", "Li Wei", ST_OPERATOR_ROLE_LEAD, "zh-CN"};

	fx->dir = st_test_tmpdir_new();
	db = g_build_filename(fx->dir, "station.db", NULL);
	fx->store = st_store_new("bench-api");
	g_assert_true(st_store_open(fx->store, db, 1000, &error));
	g_assert_true(st_store_put_product(
		fx->store, &(StProductSpec){.sku = "PEN", .name = "Pen", .barcodes = pen}, NULL,
		&error));
	g_assert_true(st_store_put_order(fx->store,
					 &(StOrderSpec){.number = "ORD-1",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_true(st_store_put_operator(fx->store, &ana, &error));
	g_assert_true(st_store_put_operator(fx->store, &li, &error));
	g_assert_no_error(error);
	fx->router = st_scan_router_new(fx->store, NULL);
	g_assert_true(st_scan_router_set_device_workflow(fx->router, "handheld", "pick", &error));
	fx->config = st_config_new_default();
	g_free(fx->config->http_listen);
	fx->config->http_listen = g_strdup(data != NULL ? data : "127.0.0.1:0");
	fx->api = st_api_new(fx->store, fx->router, fx->config);
	g_signal_connect_swapped(fx->router, "verdict", G_CALLBACK(st_api_broadcast_verdict),
				 fx->api);
	g_assert_true(st_api_start(fx->api, &error));
	g_assert_no_error(error);
	fx->http = soup_session_new();
	fx->loop = g_main_loop_new(NULL, FALSE);
}

static void
fixture_tear_down(Fixture *fx, gconstpointer data)
{
	g_object_unref(fx->http);
	g_object_unref(fx->api);
	g_object_unref(fx->router);
	g_object_unref(fx->store);
	st_config_free(fx->config);
	g_main_loop_unref(fx->loop);
	st_test_tmpdir_free(fx->dir);
}

/* a request; Returns: the status, with the answer's JSON in @answer */
static guint
call(Fixture *fx,
     const gchar *method,
     const gchar *path,
     const gchar *token,
     const gchar *body,
     JsonNode **answer)
{
	g_autofree gchar *uri = g_strconcat(st_api_get_uri(fx->api), path + 1, NULL);
	g_autoptr(SoupMessage) msg = soup_message_new(method, uri);
	g_autoptr(GBytes) body_in = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();

	if (token != NULL) {
		g_autofree gchar *auth = g_strdup_printf("Bearer %s", token);
		soup_message_headers_replace(soup_message_get_request_headers(msg), "Authorization",
					     auth);
	}
	if (body != NULL) {
		g_autoptr(GBytes) b = g_bytes_new(body, strlen(body));
		soup_message_set_request_body_from_bytes(msg, "application/json", b);
	}
	body_in = st_test_http_send(fx->http, fx->loop, msg);
	if (answer != NULL) {
		*answer = NULL;
		if (g_bytes_get_size(body_in) > 0 &&
		    json_parser_load_from_data(parser, g_bytes_get_data(body_in, NULL),
					       (gssize)g_bytes_get_size(body_in), NULL))
			*answer = json_node_copy(json_parser_get_root(parser));
	}
	if (soup_message_get_status(msg) >= 400 && soup_message_get_status(msg) != 404)
		g_assert_cmpstr(soup_message_headers_get_content_type(
					soup_message_get_response_headers(msg), NULL),
				==, "application/problem+json");
	return soup_message_get_status(msg);
}

/* Returns: (transfer full): the body of GET @path, as text */
static gchar *
get_text(Fixture *fx, const gchar *path)
{
	g_autofree gchar *uri = g_strconcat(st_api_get_uri(fx->api), path + 1, NULL);
	g_autoptr(SoupMessage) msg = soup_message_new("GET", uri);
	g_autoptr(GBytes) body = st_test_http_send(fx->http, fx->loop, msg);

	g_assert_cmpuint(soup_message_get_status(msg), ==, 200);
	return g_strndup(g_bytes_get_data(body, NULL), g_bytes_get_size(body));
}

static const gchar *
member(JsonNode *node, const gchar *name)
{
	return json_object_get_string_member(json_node_get_object(node), name);
}

static gchar *
login(Fixture *fx, const gchar *seat, const gchar *badge)
{
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *body =
		g_strdup_printf("{\"seat\": \"%s\", \"badge\": \"%s\"}", seat, badge);
	g_assert_cmpuint(call(fx, "POST", "/api/v1/sessions", NULL, body, &answer), ==, 201);
	return g_strdup(member(answer, "token"));
}

/* no token, an unknown one, an unknown badge: refused, nothing done */
static void
test_refused(Fixture *fx, gconstpointer data)
{
	g_autoptr(JsonNode) a = NULL;
	g_autoptr(JsonNode) b = NULL;
	g_autoptr(JsonNode) c = NULL;
	g_autoptr(JsonNode) d = NULL;

	g_assert_cmpuint(call(fx, "GET", "/api/v1/seats/bench", NULL, NULL, &a), ==, 401);
	g_assert_true(g_str_has_suffix(member(a, "type"), "/no-token"));
	g_assert_cmpuint(call(fx, "GET", "/api/v1/seats/bench", "nonsense", NULL, &b), ==, 401);
	g_assert_true(g_str_has_suffix(member(b, "type"), "/unknown-token"));
	g_assert_cmpuint(call(fx, "POST", "/api/v1/sessions", NULL,
			      "{\"seat\": \"bench\", \"badge\": \"9999\"}", &c),
			 ==, 403);
	g_assert_true(g_str_has_suffix(member(c, "type"), "/unknown-badge"));
	/* a station with operators: a login without a badge is refused too */
	g_assert_cmpuint(call(fx, "POST", "/api/v1/sessions", NULL, "{\"seat\": \"bench\"}", &d),
			 ==, 403);
	g_assert_cmpuint(
		call(fx, "POST", "/api/v1/seats/bench/scans", NULL, "{\"text\": \"ORD-1\"}", NULL),
		==, 401);
	g_assert_cmpint(st_store_get_scans(fx->store, NULL)->len, ==, 0);
}

/* a packer logs in for the bench: the seat's state, a scan as if scanned, its verdict; another
 * seat refused; logged out, the token is gone */
static void
test_session(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *token = login(fx, "bench", "0042");
	g_autoptr(JsonNode) state = NULL;
	g_autoptr(JsonNode) verdict = NULL;
	g_autoptr(JsonNode) other = NULL;
	g_autoptr(JsonNode) after = NULL;

	g_assert_cmpuint(call(fx, "GET", "/api/v1/seats/bench", token, NULL, &state), ==, 200);
	g_assert_cmpstr(member(state, "workflow"), ==, "pack");
	g_assert_cmpuint(call(fx, "POST", "/api/v1/seats/bench/scans", token,
			      "{\"text\": \"OP-0042\"}", NULL),
			 ==, 200);
	g_assert_cmpuint(call(fx, "POST", "/api/v1/seats/bench/scans", token,
			      "{\"text\": \"ORD-1\"}", &verdict),
			 ==, 200);
	g_assert_true(json_object_get_boolean_member(json_node_get_object(verdict), "ok"));
	g_assert_cmpstr(member(verdict, "order"), ==, "ORD-1");
	g_assert_cmpuint(call(fx, "GET", "/api/v1/seats/bench", token, NULL, &after), ==, 200);
	g_assert_cmpstr(member(after, "state"), ==, "scan-items");
	g_assert_nonnull(strstr(member(after, "next"), "ORD-1"));
	/* the handheld's seat is not this session's */
	g_assert_cmpuint(call(fx, "POST", "/api/v1/seats/handheld/scans", token,
			      "{\"text\": \"PL-000001\"}", &other),
			 ==, 403);
	g_assert_true(g_str_has_suffix(member(other, "type"), "/other-seat"));
	g_assert_cmpuint(call(fx, "DELETE", "/api/v1/sessions/current", token, NULL, NULL), ==,
			 204);
	g_assert_cmpuint(call(fx, "GET", "/api/v1/seats/bench", token, NULL, NULL), ==, 401);
}

/* a lead's session and a device token may act at any seat; a revoked token stops at once */
static void
test_roles_and_tokens(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *lead = login(fx, "bench", "0099");
	g_autofree gchar *device = st_api_token_new();
	g_autofree gchar *hash = st_api_token_hash(device);
	g_autoptr(JsonNode) state = NULL;
	gint64 id;

	g_assert_cmpuint(call(fx, "GET", "/api/v1/seats/handheld", lead, NULL, &state), ==, 200);
	g_assert_cmpstr(member(state, "workflow"), ==, "pick");
	id = st_store_add_api_token(fx->store, "handheld-7", ST_OPERATOR_ROLE_PICKER, hash, &error);
	g_assert_cmpint(id, >, 0);
	g_assert_cmpuint(call(fx, "GET", "/api/v1/seats/handheld", device, NULL, NULL), ==, 200);
	g_assert_cmpuint(call(fx, "GET", "/api/v1/outbox", device, NULL, NULL), ==, 200);
	g_assert_true(st_store_revoke_api_token(fx->store, id, &error));
	g_assert_cmpuint(call(fx, "GET", "/api/v1/seats/handheld", device, NULL, NULL), ==, 401);
}

/* bodies that are not what the request takes: 400 or 413 with the reason, no scan stored */
static void
test_bad_bodies(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *token = login(fx, "bench", "0042");
	g_autoptr(GString) deep = g_string_new("{\"text\": ");
	g_autoptr(GString) big = g_string_new("{\"text\": \"");
	g_autofree gchar *long_text = g_strnfill(5000, '9');
	g_autofree gchar *too_long = g_strdup_printf("{\"text\": \"%s\"}", long_text);
	const struct {
		const gchar *body;
		guint status;
		const gchar *said;
	} cases[] = {
		{"not json", 400, "not JSON"},
		{"[]", 400, "not a JSON object"},
		{"{\"text\": 7}", 400, "\"text\" is not a string"},
		{"{\"text\": \"ORD-1\", \"seat\": \"x\"}", 400, "unknown member \"seat\""},
		{"{}", 400, "\"text\" is missing"},
		{too_long, 400, "1 to 4096 bytes"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonNode) a = NULL;
		g_assert_cmpuint(
			call(fx, "POST", "/api/v1/seats/bench/scans", token, cases[i].body, &a), ==,
			cases[i].status);
		g_assert_nonnull(strstr(member(a, "detail"), cases[i].said));
	}
	for (guint i = 0; i < 1000; i++)
		g_string_append_c(deep, '[');
	g_assert_cmpuint(call(fx, "POST", "/api/v1/seats/bench/scans", token, deep->str, NULL), ==,
			 400);
	for (guint i = 0; i < 70000; i++)
		g_string_append_c(big, 'x');
	g_string_append(big, "\"}");
	g_assert_cmpuint(call(fx, "POST", "/api/v1/seats/bench/scans", token, big->str, NULL), ==,
			 413);
	g_assert_cmpint(st_store_get_scans(fx->store, NULL)->len, ==, 0);
}

/* more than 20 requests a second from one token: 429 with Retry-After */
static void
test_rate(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *token = login(fx, "bench", "0042");
	guint limited = 0;
	for (guint i = 0; i < 80; i++)
		if (call(fx, "GET", "/api/v1/outbox", token, NULL, NULL) == 429)
			limited++;
	g_test_message("%u of 80 refused", limited);
	g_assert_cmpuint(limited, >, 0);
}

/* the events' socket of the API under test, with @token (NULL: none) and @origin */
static void
ws_connect(Fixture *fx, StTestWs *ws, const gchar *token, const gchar *origin)
{
	g_autofree gchar *uri =
		g_strdup_printf("%sapi/v1/events%s%s", st_api_get_uri(fx->api),
				token != NULL ? "?token=" : "", token != NULL ? token : "");
	st_test_ws_connect(ws, fx->http, fx->loop, uri, origin);
}

/* the verdict of a scan submitted over HTTP arrives on the WebSocket of its seat; a socket
 * without a token, or opened by another site's page, is refused */
static void
test_websocket(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *token = login(fx, "bench", "0042");
	g_autofree gchar *origin = NULL;
	g_autoptr(JsonNode) verdict = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	StTestWs ws = {0}, none = {0}, foreign = {0};

	ws_connect(fx, &none, NULL, NULL);
	g_assert_null(none.conn);
	g_assert_nonnull(none.error);
	st_test_ws_clear(&none);
	ws_connect(fx, &foreign, token, "http://evil.example");
	g_assert_null(foreign.conn);
	st_test_ws_clear(&foreign);
	{
		g_autoptr(GUri) u = g_uri_parse(st_api_get_uri(fx->api), G_URI_FLAGS_NONE, NULL);
		origin = g_strdup_printf("http://127.0.0.1:%d", g_uri_get_port(u));
	}
	ws_connect(fx, &ws, token, origin);
	g_assert_no_error(ws.error);
	g_assert_nonnull(ws.conn);
	g_assert_cmpuint(call(fx, "POST", "/api/v1/seats/bench/scans", token,
			      "{\"text\": \"OP-0042\"}", &verdict),
			 ==, 200);
	if (ws.messages->len == 0) {
		st_test_ws_wait(&ws);
	}
	g_assert_cmpuint(ws.messages->len, ==, 1);
	g_assert_true(json_parser_load_from_data(parser, ws.messages->pdata[0], -1, NULL));
	g_assert_cmpstr(member(json_parser_get_root(parser), "type"), ==, "verdict");
	g_assert_cmpint(
		json_object_get_int_member(
			json_object_get_object_member(
				json_node_get_object(json_parser_get_root(parser)), "verdict"),
			"scan"),
		==, json_object_get_int_member(json_node_get_object(verdict), "scan"));
	st_test_ws_clear(&ws);
}

/* a scale's readings go to the sockets of its seat as {"type": "weight", "grams", "status"} */
static void
test_weight(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *token = login(fx, "bench", "0042");
	g_autoptr(JsonParser) parser = json_parser_new();
	StWeight w = {.status = ST_WEIGHT_STATUS_STABLE,
		      .unit = ST_WEIGHT_UNIT_GRAM,
		      .value = 6125,
		      .exponent = -1};
	JsonObject *m;
	StTestWs ws = {0};

	ws_connect(fx, &ws, token, NULL);
	g_assert_no_error(ws.error);
	st_api_broadcast_weight(fx->api, "bench", &w);
	st_test_ws_wait(&ws);
	g_assert_cmpuint(ws.messages->len, ==, 1);
	g_assert_true(json_parser_load_from_data(parser, ws.messages->pdata[0], -1, NULL));
	m = json_node_get_object(json_parser_get_root(parser));
	g_assert_cmpstr(json_object_get_string_member(m, "type"), ==, "weight");
	g_assert_cmpfloat(json_object_get_double_member(m, "grams"), ==, 612.5);
	g_assert_cmpstr(json_object_get_string_member(m, "status"), ==, "stable");
	st_test_ws_clear(&ws);
}

static JsonObject *
ws_wait_for(StTestWs *ws, const gchar *type);

/* a device unplugged and back reaches the screens of its seat at once */
static void
test_device(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *token = login(fx, "bench", "0042");
	StTestWs ws = {0};

	ws_connect(fx, &ws, token, NULL);
	g_assert_no_error(ws.error);
	st_api_broadcast_device(fx->api, "bench", "scanner", FALSE);
	st_test_ws_wait(&ws);
	g_assert_cmpuint(ws.messages->len, ==, 1);
	g_assert_cmpstr(ws.messages->pdata[0], ==,
			"{\"type\":\"device\",\"device\":\"bench\",\"seat\":\"bench\","
			"\"role\":\"scanner\",\"present\":false}");
	st_test_ws_clear(&ws);
}

/* a screen that follows one seat with a device token (?seat=) gets that seat's events only */
static void
test_follow_seat(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *device = st_api_token_new();
	g_autofree gchar *hash = st_api_token_hash(device);
	g_autofree gchar *query = NULL;
	g_autoptr(JsonObject) m = NULL;
	StTestWs ws = {0};

	g_assert_cmpint(
		st_store_add_api_token(fx->store, "screen", ST_OPERATOR_ROLE_PACKER, hash, &error),
		>, 0);
	query = g_strdup_printf("%s&seat=handheld", device);
	ws_connect(fx, &ws, query, NULL);
	g_assert_no_error(ws.error);
	st_api_broadcast_device(fx->api, "bench", "scanner", FALSE);
	st_api_broadcast_device(fx->api, "handheld", "scanner", FALSE);
	m = ws_wait_for(&ws, "device");
	g_assert_cmpstr(json_object_get_string_member(m, "seat"), ==, "handheld");
	g_assert_cmpuint(ws.messages->len, ==, 0);
	st_test_ws_clear(&ws);
}

/* an order's prints (none yet) and its parcel's preview (no parcel yet: 404 saying why) */
static void
test_order_labels(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *token = login(fx, "bench", "0042");
	g_autoptr(JsonNode) prints = NULL;
	g_autoptr(JsonNode) preview = NULL;

	g_assert_cmpuint(call(fx, "GET", "/api/v1/orders/ORD-1/prints", token, NULL, &prints), ==,
			 200);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(prints)), ==, 0);
	g_assert_cmpuint(call(fx, "GET", "/api/v1/orders/ORD-1/parcels/1/preview.png", token, NULL,
			      &preview),
			 ==, 404);
	g_assert_true(g_str_has_suffix(member(preview, "type"), "/no-preview"));
	g_assert_cmpuint(
		call(fx, "GET", "/api/v1/orders/ORD-1/parcels/x/preview.png", token, NULL, NULL),
		==, 404);
	g_assert_cmpuint(call(fx, "GET", "/api/v1/orders/ORD-1/prints", NULL, NULL, NULL), ==, 401);
}

/* waits for a message of @type on @ws; Returns: (transfer full): it, parsed */
static JsonObject *
ws_wait_for(StTestWs *ws, const gchar *type)
{
	for (guint round = 0; round < 200; round++) {
		for (guint i = 0; i < ws->messages->len; i++) {
			g_autoptr(JsonParser) parser = json_parser_new();
			JsonObject *m;
			g_assert_true(json_parser_load_from_data(parser, ws->messages->pdata[i], -1,
								 NULL));
			m = json_node_get_object(json_parser_get_root(parser));
			if (g_strcmp0(json_object_get_string_member(m, "type"), type) == 0) {
				json_object_ref(m);
				g_ptr_array_remove_index(ws->messages, i);
				return m;
			}
		}
		st_test_ws_wait(ws);
	}
	g_assert_not_reached();
}

/* a packed order's label printed again over the API: at the seat that packed it, or by a
 * lead anywhere; a packer at another seat and a packer's device token are refused; each
 * print's states go to the sockets */
static void
test_reprint(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *spool = g_build_filename(fx->dir, "spool", NULL);
	g_autofree gchar *device = st_api_token_new();
	g_autofree gchar *hash = st_api_token_hash(device);
	g_autofree gchar *trouble = NULL;
	g_autofree gchar *ana = NULL;
	g_autofree gchar *elsewhere = NULL;
	g_autofree gchar *lead = NULL;
	g_autoptr(StPrinting) printing = NULL;
	g_autoptr(GPtrArray) prints = NULL;
	g_autoptr(JsonNode) answer = NULL;
	g_autoptr(JsonNode) listed = NULL;
	g_autoptr(JsonNode) refused = NULL;
	g_autoptr(JsonObject) started = NULL;
	g_autoptr(GDir) dir = NULL;
	StPrinterConfig *label = g_new0(StPrinterConfig, 1);
	StPackSettings pack = {.weigh = ST_PACK_WEIGH_NO, .sscc_prefix = "00614141"};
	StAddress to = {.name = "Mia Roth",
			.street1 = "Hauptstr. 5",
			.city = "Berlin",
			.postal_code = "10117",
			.country = "DE"};
	StOrderLineSpec lines[] = {{"PEN", 1}};
	const gchar *texts[] = {"OP-0042", "ORD-2", "4006381333931"};
	guint n_files = 0;
	StTestWs ws = {0};

	label->name = g_strdup("label");
	label->spool = g_strdup(spool);
	label->language = g_strdup("zpl");
	label->dpi = 203;
	g_ptr_array_add(fx->config->printers, label);
	g_assert_cmpint(g_mkdir_with_parents(spool, 0755), ==, 0);
	g_hash_table_insert(fx->config->sender, g_strdup("name"), g_strdup("Dock 1"));
	g_hash_table_insert(fx->config->sender, g_strdup("street"), g_strdup("1 Dock Road"));
	g_hash_table_insert(fx->config->sender, g_strdup("postal-code"), g_strdup("10115"));
	g_hash_table_insert(fx->config->sender, g_strdup("city"), g_strdup("Berlin"));
	g_hash_table_insert(fx->config->sender, g_strdup("country"), g_strdup("DE"));
	g_assert_true(st_store_put_order(fx->store,
					 &(StOrderSpec){.number = "ORD-2",
							.status = ST_ORDER_STATUS_RELEASED,
							.ship_to = &to,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_no_error(error);
	printing = st_printing_new(fx->store, fx->config);
	st_api_set_printing(fx->api, printing);
	st_scan_router_set_pack_settings(fx->router, &pack);

	/* Ana packs ORD-2 at the bench; its label is made as the bench makes it */
	ana = login(fx, "bench", "0042");
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autoptr(JsonNode) verdict = NULL;
		g_autofree gchar *body = g_strdup_printf("{\"text\": \"%s\"}", texts[i]);
		g_assert_cmpuint(call(fx, "POST", "/api/v1/seats/bench/scans", ana, body, &verdict),
				 ==, 200);
		g_assert_true(json_object_get_boolean_member(json_node_get_object(verdict), "ok"));
	}
	{
		/* the order as the API tells it: packed, its parcel with its SSCC */
		g_autoptr(JsonNode) order = NULL;
		JsonObject *o, *parcel;
		g_assert_cmpuint(call(fx, "GET", "/api/v1/orders/ORD-2", ana, NULL, &order), ==,
				 200);
		o = json_node_get_object(order);
		g_assert_cmpstr(json_object_get_string_member(o, "status"), ==, "packed");
		g_assert_cmpuint(json_array_get_length(json_object_get_array_member(o, "lines")),
				 ==, 1);
		g_assert_cmpuint(json_array_get_length(json_object_get_array_member(o, "parcels")),
				 ==, 1);
		parcel = json_array_get_object_element(json_object_get_array_member(o, "parcels"),
						       0);
		g_assert_cmpint(json_object_get_int_member(parcel, "number"), ==, 1);
		g_assert_true(g_str_has_prefix(json_object_get_string_member(parcel, "reference"),
					       "00614141"));
		g_assert_cmpuint(call(fx, "GET", "/api/v1/orders/NOPE", ana, NULL, NULL), ==, 404);
	}
	prints =
		st_printing_put_order(printing, fx->config, "ORD-2", TRUE, FALSE, &trouble, &error);
	g_assert_no_error(error);
	g_assert_nonnull(prints);
	g_assert_cmpuint(prints->len, ==, 1);

	/* at the seat that packed it: printed again, its states on the socket */
	ws_connect(fx, &ws, ana, NULL);
	g_assert_no_error(ws.error);
	g_assert_cmpuint(
		call(fx, "POST", "/api/v1/orders/ORD-2/reprint", ana, "{\"parcel\": 1}", &answer),
		==, 202);
	g_assert_cmpint(json_object_get_int_member(json_node_get_object(answer), "label"), ==,
			((StOrderPrint *)prints->pdata[0])->label_id);
	started = ws_wait_for(&ws, "print");
	g_assert_cmpstr(json_object_get_string_member(started, "order"), ==, "ORD-2");
	g_assert_cmpstr(json_object_get_string_member(started, "state"), ==, "completed");
	g_assert_cmpuint(call(fx, "GET", "/api/v1/orders/ORD-2/prints", ana, NULL, &listed), ==,
			 200);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(listed)), ==, 1);
	dir = g_dir_open(spool, 0, &error);
	g_assert_no_error(error);
	while (g_dir_read_name(dir) != NULL)
		n_files++;
	g_assert_cmpuint(n_files, ==, 1);

	/* a packer elsewhere, a packer's device token: only a lead reprints another bench's */
	elsewhere = login(fx, "handheld", "0042");
	g_assert_cmpuint(
		call(fx, "POST", "/api/v1/orders/ORD-2/reprint", elsewhere, "{}", &refused), ==,
		403);
	g_assert_true(g_str_has_suffix(member(refused, "type"), "/lead-only"));
	g_assert_nonnull(strstr(member(refused, "detail"), "bench"));
	g_assert_cmpint(
		st_store_add_api_token(fx->store, "bench-2", ST_OPERATOR_ROLE_PACKER, hash, &error),
		>, 0);
	g_assert_cmpuint(call(fx, "POST", "/api/v1/orders/ORD-2/reprint", device, "{}", NULL), ==,
			 403);
	lead = login(fx, "handheld", "0099");
	g_assert_cmpuint(call(fx, "POST", "/api/v1/orders/ORD-2/reprint", lead, NULL, NULL), ==,
			 202);
	g_clear_pointer(&started, json_object_unref);
	started = ws_wait_for(&ws, "print");
	g_assert_cmpstr(json_object_get_string_member(started, "state"), ==, "completed");

	/* what cannot be printed again: said, nothing printed */
	g_assert_cmpuint(
		call(fx, "POST", "/api/v1/orders/ORD-2/reprint", lead, "{\"parcel\": 2}", NULL), ==,
		404);
	g_assert_cmpuint(call(fx, "POST", "/api/v1/orders/ORD-1/reprint", lead, "{}", NULL), ==,
			 404);
	g_assert_cmpuint(call(fx, "POST", "/api/v1/orders/NOPE/reprint", lead, "{}", NULL), ==,
			 404);
	g_assert_cmpuint(
		call(fx, "POST", "/api/v1/orders/ORD-2/reprint", lead, "{\"parcel\": \"1\"}", NULL),
		==, 400);
	g_assert_cmpuint(call(fx, "POST", "/api/v1/orders/ORD-2/reprint", NULL, "{}", NULL), ==,
			 401);
	g_clear_pointer(&listed, json_node_unref);
	g_assert_cmpuint(call(fx, "GET", "/api/v1/orders/ORD-2/prints", ana, NULL, &listed), ==,
			 200);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(listed)), ==, 2);
	st_test_ws_clear(&ws);
}

/* the devices seen and whether each is there; the printers and their state */
static void
test_devices_printers(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *token = login(fx, "bench", "0042");
	g_autoptr(JsonNode) devices = NULL;
	g_autoptr(JsonNode) printers = NULL;
	StPrinterConfig *label = g_new0(StPrinterConfig, 1);
	JsonObject *d;

	st_api_broadcast_device(fx->api, "bench", "scanner", TRUE);
	st_api_broadcast_device(fx->api, "scale", "scale", TRUE);
	st_api_broadcast_device(fx->api, "scale", "scale", FALSE);
	g_assert_cmpuint(call(fx, "GET", "/api/v1/devices", token, NULL, &devices), ==, 200);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(devices)), ==, 2);
	d = json_array_get_object_element(json_node_get_array(devices), 1);
	g_assert_cmpstr(json_object_get_string_member(d, "device"), ==, "scale");
	g_assert_false(json_object_get_boolean_member(d, "present"));
	g_assert_cmpstr(json_object_get_string_member(d, "workflow"), ==, "pack");

	/* a queue of a CUPS that does not answer: said, not hidden */
	label->name = g_strdup("label");
	label->queue = g_strdup("zebra");
	label->language = g_strdup("zpl");
	label->dpi = 203;
	g_ptr_array_add(fx->config->printers, label);
	g_free(fx->config->cups_server);
	fx->config->cups_server = g_build_filename(fx->dir, "no-cups.sock", NULL);
	g_assert_cmpuint(call(fx, "GET", "/api/v1/printers", token, NULL, &printers), ==, 200);
	d = json_array_get_object_element(json_node_get_array(printers), 0);
	g_assert_cmpstr(json_object_get_string_member(d, "printer"), ==, "label");
	g_assert_cmpstr(json_object_get_string_member(d, "attention"), ==,
			st_print_attention_to_string(ST_PRINT_ATTENTION_NO_SCHEDULER));
	g_assert_cmpstr(json_object_get_string_member(d, "message"), !=, "");
	g_assert_cmpuint(call(fx, "GET", "/api/v1/printers", NULL, NULL, NULL), ==, 401);
}

/* POST raw bytes; Returns: the status, with the answer's JSON in @answer */
static guint
post_bytes(Fixture *fx, const gchar *path, const gchar *token, GBytes *bytes, JsonNode **answer)
{
	g_autofree gchar *uri = g_strconcat(st_api_get_uri(fx->api), path + 1, NULL);
	g_autoptr(SoupMessage) msg = soup_message_new("POST", uri);
	g_autofree gchar *auth = g_strdup_printf("Bearer %s", token);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GBytes) body = NULL;

	soup_message_headers_replace(soup_message_get_request_headers(msg), "Authorization", auth);
	soup_message_set_request_body_from_bytes(msg, "application/octet-stream", bytes);
	body = st_test_http_send(fx->http, fx->loop, msg);
	*answer = NULL;
	if (json_parser_load_from_data(parser, g_bytes_get_data(body, NULL),
				       (gssize)g_bytes_get_size(body), NULL))
		*answer = json_node_copy(json_parser_get_root(parser));
	return soup_message_get_status(msg);
}

/* a camera frame with an EAN-13 drawn by libzint, in grey, @width x @height */
static GBytes *
ean13_frame(const gchar *digits, guint width, guint height)
{
	struct zint_symbol *symbol = ZBarcode_Create();
	guint8 *grey = g_malloc(width * height);
	guint x0, y0;

	memset(grey, 255, width * height);
	symbol->symbology = BARCODE_EANX;
	symbol->scale = 1.0f;
	g_assert_cmpint(
		ZBarcode_Encode_and_Buffer(symbol, (guchar *)digits, (int)strlen(digits), 0), <,
		ZINT_ERROR);
	g_assert_cmpint(symbol->bitmap_width, <=, (gint)width);
	g_assert_cmpint(symbol->bitmap_height, <=, (gint)height);
	x0 = (width - (guint)symbol->bitmap_width) / 2;
	y0 = (height - (guint)symbol->bitmap_height) / 2;
	for (gint y = 0; y < symbol->bitmap_height; y++)
		for (gint x = 0; x < symbol->bitmap_width; x++)
			grey[(y0 + y) * width + x0 + x] =
				symbol->bitmap[(y * symbol->bitmap_width + x) * 3]; /* R of RGB */
	ZBarcode_Delete(symbol);
	return g_bytes_new_take(grey, width * height);
}

/* a camera's frame decoded on the station: the EAN-13 in it; a frame of the wrong size, one
 * too large and one without its size refused; a blank frame, nothing found; no token, 401 */
static void
test_decode(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *token = login(fx, "handheld", "0042");
	g_autoptr(GBytes) frame = ean13_frame("400638133393", 320, 120);
	g_autoptr(GBytes) blank = g_bytes_new_take(g_malloc0(64 * 64), 64 * 64);
	g_autoptr(GBytes) huge =
		g_bytes_new_take(g_malloc0(ST_API_MAX_FRAME + 1), ST_API_MAX_FRAME + 1);
	g_autoptr(JsonNode) found = NULL;
	g_autoptr(JsonNode) none = NULL;
	g_autoptr(JsonNode) bad = NULL;
	g_autoptr(JsonNode) big = NULL;
	g_autoptr(JsonNode) unsized = NULL;
	JsonObject *code;

	g_assert_cmpuint(
		post_bytes(fx, "/api/v1/decode?width=320&height=120", token, frame, &found), ==,
		200);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(
				 json_node_get_object(found), "codes")),
			 ==, 1);
	code = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(found), "codes"), 0);
	g_assert_cmpstr(json_object_get_string_member(code, "text"), ==, "4006381333931");
	g_assert_cmpstr(json_object_get_string_member(code, "symbology"), ==, "EAN-13");

	g_assert_cmpuint(post_bytes(fx, "/api/v1/decode?width=64&height=64", token, blank, &none),
			 ==, 200);
	g_assert_cmpuint(json_array_get_length(
				 json_object_get_array_member(json_node_get_object(none), "codes")),
			 ==, 0);
	g_assert_cmpuint(post_bytes(fx, "/api/v1/decode?width=320&height=121", token, frame, &bad),
			 ==, 400);
	g_assert_nonnull(strstr(member(bad, "detail"), "width x height"));
	g_assert_cmpuint(post_bytes(fx, "/api/v1/decode?width=641&height=480", token, huge, &big),
			 ==, 413);
	g_assert_cmpuint(post_bytes(fx, "/api/v1/decode", token, frame, &unsized), ==, 400);
	g_assert_cmpuint(call(fx, "POST", "/api/v1/decode?width=320&height=120", NULL, "x", NULL),
			 ==, 401);
}

/* the language switched on the screen: the seat's operator is answered in it from now on */
static void
test_language(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *token = login(fx, "bench", "0042");
	g_autoptr(JsonNode) before = NULL;
	g_autoptr(JsonNode) state = NULL;
	g_autoptr(JsonNode) verdict = NULL;
	g_autoptr(JsonNode) bad = NULL;

	/* nobody logged in at the seat yet */
	g_assert_cmpuint(call(fx, "POST", "/api/v1/seats/bench/language", token,
			      "{\"language\": \"zh-CN\"}", &before),
			 ==, 409);
	g_assert_cmpuint(call(fx, "POST", "/api/v1/seats/bench/scans", token,
			      "{\"text\": \"OP-0042\"}", NULL),
			 ==, 200);
	g_assert_cmpuint(call(fx, "POST", "/api/v1/seats/bench/language", token,
			      "{\"language\": \"fr\"}", &bad),
			 ==, 400);
	g_assert_cmpuint(call(fx, "POST", "/api/v1/seats/bench/language", token,
			      "{\"language\": \"zh-CN\"}", NULL),
			 ==, 204);
	if (!st_i18n_language_available("zh-CN")) {
		g_test_skip("no zh_CN.UTF-8 locale on this machine");
		return;
	}
	g_assert_cmpuint(call(fx, "GET", "/api/v1/seats/bench", token, NULL, &state), ==, 200);
	g_assert_true(g_regex_match_simple("[\\x{4e00}-\\x{9fff}]", member(state, "next"), 0, 0));
	g_assert_cmpuint(call(fx, "POST", "/api/v1/seats/bench/scans", token,
			      "{\"text\": \"ORD-1\"}", &verdict),
			 ==, 200);
	g_test_message("%s", member(verdict, "message"));
	g_assert_true(
		g_regex_match_simple("[\\x{4e00}-\\x{9fff}]", member(verdict, "message"), 0, 0));
}

/* a session ends after [http] session-timeout without a request */
static void
test_expiry(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *token = NULL;
	g_autoptr(JsonNode) a = NULL;
	fx->config->http_session_s = 1;
	token = login(fx, "bench", "0042");
	g_usleep(1200000);
	g_assert_cmpuint(call(fx, "GET", "/api/v1/seats/bench", token, NULL, &a), ==, 401);
	g_assert_true(g_str_has_suffix(member(a, "type"), "/session-expired"));
}

/* the pages are served (no token needed, they hold no data), nothing outside their folder;
 * their sentences come in Chinese, every one translated */
static void
test_pages(Fixture *fx, gconstpointer data)
{
	g_autoptr(JsonNode) zh = NULL;
	g_autoptr(JsonNode) en = NULL;
	const gchar *const bad[] = {"/screen/../meson.build", "/screen/.hidden", "/screen/x.c",
				    "/etc/passwd", NULL};
	JsonObject *strings;
	g_autoptr(GList) keys = NULL;

	g_assert_cmpuint(call(fx, "GET", "/", NULL, NULL, NULL), ==, 200);
	g_assert_cmpuint(call(fx, "GET", "/screen/station.js", NULL, NULL, NULL), ==, 200);
	g_assert_cmpuint(call(fx, "GET", "/screen/station.css", NULL, NULL, NULL), ==, 200);
	for (guint i = 0; bad[i] != NULL; i++)
		g_assert_cmpuint(call(fx, "GET", bad[i], NULL, NULL, NULL), ==, 404);
	g_assert_cmpuint(call(fx, "GET", "/api/v1/i18n?lang=en", NULL, NULL, &en), ==, 200);
	g_assert_cmpstr(json_object_get_string_member(
				json_object_get_object_member(json_node_get_object(en), "strings"),
				"Scan your badge"),
			==, "Scan your badge");
	if (!st_i18n_language_available("zh-CN")) {
		g_test_skip("no zh_CN.UTF-8 locale on this machine");
		return;
	}
	g_assert_cmpuint(call(fx, "GET", "/api/v1/i18n?lang=zh-CN", NULL, NULL, &zh), ==, 200);
	strings = json_object_get_object_member(json_node_get_object(zh), "strings");
	keys = json_object_get_members(strings);
	g_assert_cmpuint(g_list_length(keys), >=, 20);
	for (GList *l = keys; l != NULL; l = l->next) {
		const gchar *value = json_object_get_string_member(strings, l->data);
		if (g_strcmp0(value, l->data) == 0)
			g_error("the screen's \"%s\" is not translated into Chinese",
				(const gchar *)l->data);
	}
	g_assert_cmpstr(json_object_get_string_member(strings, "Scan your badge"), ==,
			"请扫描您的工牌");

	/* every sentence the pages show (t("...") and N_("...") in the script, data-t in the
	 * page) is one the catalogue gives them */
	{
		const gchar *pages[][2] = {{"/screen/station.js", "\\b(?:t|N_)\\(\"([^\"]+)\"\\)"},
					   {"/", "data-t=\"([^\"]+)\""}};
		guint n = 0;
		for (guint p = 0; p < G_N_ELEMENTS(pages); p++) {
			g_autofree gchar *text = get_text(fx, pages[p][0]);
			g_autoptr(GRegex) re = g_regex_new(pages[p][1], 0, 0, NULL);
			g_autoptr(GMatchInfo) m = NULL;
			g_regex_match(re, text, 0, &m);
			for (; g_match_info_matches(m); g_match_info_next(m, NULL), n++) {
				g_autofree gchar *said = g_match_info_fetch(m, 1);
				if (!json_object_has_member(strings, said))
					g_error("%s shows \"%s\", which GET /api/v1/i18n does not "
						"give "
						"(add it to station/api/st-api-i18n.c)",
						pages[p][0], said);
			}
		}
		g_assert_cmpuint(n, >=, 30);
	}
}

/* the badge's barcode (OP-0042, by [barcodes] badge) logs in as well as its number */
static void
test_badge_barcode(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *token = login(fx, "bench", "OP-0042");
	g_assert_nonnull(token);
}

/* a LAN address without TLS is refused at start, saying what to do */
static void
test_lan_refused(void)
{
	g_autoptr(StConfig) config = st_config_new_default();
	g_autoptr(StStore) store = st_store_new("x");
	g_autoptr(StScanRouter) router = NULL;
	g_autoptr(StApi) api = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *db = g_build_filename(dir, "s.db", NULL);

	g_assert_true(st_store_open(store, db, 1000, NULL));
	router = st_scan_router_new(store, NULL);
	g_free(config->http_listen);
	config->http_listen = g_strdup("0.0.0.0:0");
	api = st_api_new(store, router, config);
	g_assert_false(st_api_start(api, &error));
	g_assert_error(error, ST_API_ERROR, ST_ERROR_INVALID_CONFIG);
	g_assert_nonnull(strstr(error->message, "certificate and key"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
	ADD("/api/refused", test_refused);
	ADD("/api/session", test_session);
	ADD("/api/roles-and-tokens", test_roles_and_tokens);
	ADD("/api/bad-bodies", test_bad_bodies);
	ADD("/api/rate", test_rate);
	ADD("/api/websocket", test_websocket);
	ADD("/api/expiry", test_expiry);
	ADD("/api/weight", test_weight);
	ADD("/api/device", test_device);
	ADD("/api/order-labels", test_order_labels);
	ADD("/api/language", test_language);
	ADD("/api/pages", test_pages);
	ADD("/api/badge-barcode", test_badge_barcode);
	ADD("/api/reprint", test_reprint);
	ADD("/api/follow-seat", test_follow_seat);
	ADD("/api/decode", test_decode);
	ADD("/api/devices-printers", test_devices_printers);
	g_test_add_func("/api/lan-refused", test_lan_refused);
	return g_test_run();
}
