/*
 * The API server. Paths (README.md, "The API"; station/api/station-api-v1.yaml):
 *
 *   POST   /api/v1/sessions                 a badge login for a seat: a session token
 *   DELETE /api/v1/sessions/current         log out
 *   GET    /api/v1/seats/{seat}             the seat's workflow, state, operator, next step
 *   POST   /api/v1/seats/{seat}/scans       a scan, as if scanned at the seat: its verdict
 *   GET    /api/v1/orders/{number}          an order: status, lines, parcels
 *   GET    /api/v1/orders/{number}/prints   the prints of its labels and their states
 *   POST   /api/v1/orders/{number}/reprint  a parcel's label again (its seat, or a lead)
 *   GET    /api/v1/devices, /printers       the devices seen, the printers' state
 *   POST   /api/v1/decode                   the barcodes in a camera's frame (zbar)
 *   GET    /api/v1/outbox                   the events waiting for the central system
 *   GET    /api/v1/events                   WebSocket: verdicts, weights, devices, prints,
 *                                           the outbox, as JSON messages
 *   GET    /api/v1/openapi.yaml             the document (no token needed)
 *
 * Authentication: `Authorization: Bearer TOKEN` (the WebSocket may give it as ?token=, since a
 * browser cannot set the header there). A session is for one seat and its operator's role; a
 * device token (`station token create`) has a role and any seat. Only the SHA-256 of a token
 * is kept, in memory for sessions and in the store for device tokens; no token or badge is
 * logged. Each token may make 20 requests a second (a burst of 40), then 429.
 */
#define G_LOG_DOMAIN "station-api"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "station/st-error.h"

#include "st-api-decode.h"
#include "st-api-i18n.h"
#include "st-i18n.h"
#include "st-api-request.h"
#include "st-api.h"
#include "st-label-data.h"
#include "st-pack-workflow.h"

#define ST_API_RATE	   20.0 /* requests a second per token */
#define ST_API_BURST	   40.0
#define ST_API_MAX_SOCKETS 64

typedef struct {
	gchar *seat;
	gchar *badge; /* (nullable) */
	gchar *name;  /* (nullable) */
	StOperatorRole role;
	gchar *language;
	gint64 expires_us; /* monotonic */
} StApiSession;

typedef struct {
	gdouble tokens;
	gint64 at_us;
} StApiBucket;

/* who a request is from */
typedef struct {
	gchar *hash;
	gboolean device; /* a device token: any seat */
	gchar *seat;	 /* (nullable): a session's seat */
	StOperatorRole role;
	gchar *language;
	gchar *name; /* (nullable): the operator, or the device token's name */
} StApiCaller;

typedef struct {
	SoupWebsocketConnection *conn;
	StApiCaller caller;
	gchar *follow;	/* (nullable): ?seat=: the one seat a device token or a lead follows */
	guint messages; /* received this second */
	gint64 second;
} StApiSocket;

struct _StApi {
	GObject parent_instance;
	StStore *store;
	StScanRouter *router;
	const StConfig *config;
	SoupServer *server;
	gchar *uri;
	GHashTable *sessions; /* hash -> StApiSession */
	GHashTable *buckets;  /* hash -> StApiBucket */
	GPtrArray *sockets;   /* StApiSocket */
	GHashTable *devices;  /* id -> StApiDevice: every device seen since the start */
	StPrinting *printing; /* (nullable): for reprints and the prints' changes */
	gulong print_changed_id;
	gulong print_started_id;
	gint last_waiting; /* the outbox as last said on the sockets; -1: not yet */
	gint last_parked;
};

typedef struct {
	gchar *role;
	gboolean present;
} StApiDevice;

static void
st_api_device_free(StApiDevice *d)
{
	g_free(d->role);
	g_free(d);
}

G_DEFINE_TYPE(StApi, st_api, G_TYPE_OBJECT)

static void
st_api_session_free(StApiSession *s)
{
	g_free(s->seat);
	g_free(s->badge);
	g_free(s->name);
	g_free(s->language);
	g_free(s);
}

static void
st_api_caller_clear(StApiCaller *c)
{
	g_clear_pointer(&c->hash, g_free);
	g_clear_pointer(&c->seat, g_free);
	g_clear_pointer(&c->language, g_free);
	g_clear_pointer(&c->name, g_free);
}

static void
st_api_socket_free(StApiSocket *s)
{
	g_clear_object(&s->conn);
	st_api_caller_clear(&s->caller);
	g_free(s->follow);
	g_free(s);
}

/* Returns: (transfer full): 32 random bytes as 64 hex digits */
gchar *
st_api_token_new(void)
{
	guint8 bytes[32];
	GString *hex = g_string_new(NULL);
	g_autoptr(GFile) urandom = g_file_new_for_path("/dev/urandom");
	g_autoptr(GFileInputStream) in = g_file_read(urandom, NULL, NULL);
	gsize n = 0;

	if (in == NULL ||
	    !g_input_stream_read_all(G_INPUT_STREAM(in), bytes, sizeof(bytes), &n, NULL, NULL) ||
	    n != sizeof(bytes))
		g_error("no random bytes from /dev/urandom for a token");
	for (guint i = 0; i < sizeof(bytes); i++)
		g_string_append_printf(hex, "%02x", bytes[i]);
	return g_string_free(hex, FALSE);
}

gchar *
st_api_token_hash(const gchar *token)
{
	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, token, -1);
}

/* member @name of the object being built: @value, or null */
static void
st_api_member_string(JsonBuilder *b, const gchar *name, const gchar *value)
{
	json_builder_set_member_name(b, name);
	if (value != NULL)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

/* a refusal as application/problem+json (RFC 9457) */
static void
st_api_problem(SoupServerMessage *msg, guint status, const gchar *type, const gchar *detail)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *uri = g_strdup_printf("https://station.invalid/problems/%s", type);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, uri);
	json_builder_set_member_name(b, "title");
	json_builder_add_string_value(b, soup_status_get_phrase(status));
	json_builder_set_member_name(b, "status");
	json_builder_add_int_value(b, status);
	json_builder_set_member_name(b, "detail");
	json_builder_add_string_value(b, detail);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	text = json_to_string(root, FALSE);
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg, "application/problem+json", SOUP_MEMORY_COPY, text,
					 strlen(text));
}

static void
st_api_json(SoupServerMessage *msg, guint status, JsonBuilder *b)
{
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autofree gchar *text = json_to_string(root, FALSE);
	/* a scan's text may hold any bytes: the answer is UTF-8 whatever came in */
	g_autofree gchar *valid = g_utf8_make_valid(text, -1);
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg, "application/json", SOUP_MEMORY_COPY, valid,
					 strlen(valid));
}

static const gchar *
st_api_bearer(SoupServerMessage *msg, GHashTable *query)
{
	const gchar *auth = soup_message_headers_get_one(
		soup_server_message_get_request_headers(msg), "Authorization");
	if (auth != NULL && g_str_has_prefix(auth, "Bearer "))
		return auth + strlen("Bearer ");
	return query != NULL ? g_hash_table_lookup(query, "token") : NULL;
}

/* who the request is from; FALSE after answering 401 */
static gboolean
st_api_authenticate(StApi *self, SoupServerMessage *msg, GHashTable *query, StApiCaller *caller)
{
	const gchar *token = st_api_bearer(msg, query);
	g_autofree gchar *hash = NULL;
	StApiSession *session;
	gint64 now = g_get_monotonic_time();

	memset(caller, 0, sizeof(*caller));
	if (token == NULL || strlen(token) > 256) {
		st_api_problem(msg, 401, "no-token",
			       "log in with a badge (POST /api/v1/sessions) or give a device token "
			       "(station token create) as Authorization: Bearer");
		return FALSE;
	}
	hash = st_api_token_hash(token);
	session = g_hash_table_lookup(self->sessions, hash);
	if (session != NULL && session->expires_us < now) {
		g_hash_table_remove(self->sessions, hash);
		st_api_problem(msg, 401, "session-expired",
			       "the session has expired: log in with the badge again");
		return FALSE;
	}
	if (session != NULL) {
		session->expires_us = now + (gint64)self->config->http_session_s * G_USEC_PER_SEC;
		caller->seat = g_strdup(session->seat);
		caller->role = session->role;
		caller->language = g_strdup(session->language);
		caller->name = g_strdup(session->name);
	} else {
		g_autoptr(GError) error = NULL;
		g_autoptr(StApiToken) device = st_store_find_api_token(self->store, hash, &error);
		if (device == NULL) {
			if (error != NULL)
				g_warning("api: the tokens could not be read: %s", error->message);
			st_api_problem(msg, 401, "unknown-token",
				       "the token is unknown or revoked: log in again, or ask the "
				       "shift lead for a device token");
			return FALSE;
		}
		caller->device = TRUE;
		caller->role = device->role;
		caller->name = g_strdup(device->name);
		caller->language = g_strdup("en");
	}
	caller->hash = g_steal_pointer(&hash);
	return TRUE;
}

/* 20 requests a second per token, a burst of 40; FALSE after answering 429 */
static gboolean
st_api_rate(StApi *self, SoupServerMessage *msg, const StApiCaller *caller)
{
	gint64 now = g_get_monotonic_time();
	StApiBucket *b = g_hash_table_lookup(self->buckets, caller->hash);
	if (b == NULL) {
		b = g_new0(StApiBucket, 1);
		b->tokens = ST_API_BURST;
		b->at_us = now;
		g_hash_table_insert(self->buckets, g_strdup(caller->hash), b);
	}
	b->tokens = MIN(ST_API_BURST, b->tokens + (now - b->at_us) / 1e6 * ST_API_RATE);
	b->at_us = now;
	if (b->tokens < 1.0) {
		soup_message_headers_replace(soup_server_message_get_response_headers(msg),
					     "Retry-After", "1");
		st_api_problem(msg, 429, "too-many-requests",
			       "more than 20 requests a second with this token: slow down");
		return FALSE;
	}
	b->tokens -= 1.0;
	return TRUE;
}

/* a session may act at its own seat only; a device token and a lead's session anywhere */
static gboolean
st_api_may_use_seat(StApi *self,
		    SoupServerMessage *msg,
		    const StApiCaller *caller,
		    const gchar *seat)
{
	if (caller->device || caller->role == ST_OPERATOR_ROLE_LEAD ||
	    g_strcmp0(caller->seat, seat) == 0 ||
	    st_scan_router_get_seat_workflow(self->router, caller->seat) ==
		    st_scan_router_get_seat_workflow(self->router, seat))
		return TRUE;
	{
		g_autofree gchar *detail =
			g_strdup_printf("this session is for seat %s, not %s: log in at that seat",
					caller->seat, seat);
		st_api_problem(msg, 403, "other-seat", detail);
	}
	return FALSE;
}

static void
st_api_add_verdict(JsonBuilder *b, StScanRouter *router, const StVerdict *v)
{
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "scan");
	json_builder_add_int_value(b, v->scan_id);
	json_builder_set_member_name(b, "device");
	json_builder_add_string_value(b, v->device_id);
	json_builder_set_member_name(b, "seat");
	json_builder_add_string_value(b, st_scan_router_get_seat_name(router, v->device_id));
	json_builder_set_member_name(b, "input");
	json_builder_add_string_value(b, v->display != NULL ? v->display : "");
	json_builder_set_member_name(b, "ok");
	json_builder_add_boolean_value(b, v->ok);
	st_api_member_string(b, "reason", v->reason);
	json_builder_set_member_name(b, "message");
	json_builder_add_string_value(b, v->message != NULL ? v->message : "");
	st_api_member_string(b, "order", v->order_number);
	json_builder_end_object(b);
}

static void
st_api_login(StApi *self, SoupServerMessage *msg)
{
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree gchar *token = NULL;
	StApiLogin login;
	StApiSession *session;
	gint has;

	if (!st_api_parse_login(body->data, (gsize)body->length, &login, &error)) {
		st_api_problem(msg, 400, "bad-request", error->message);
		return;
	}
	session = g_new0(StApiSession, 1);
	session->seat = g_strdup(login.seat);
	session->role = ST_OPERATOR_ROLE_PACKER;
	session->language = g_strdup(self->config->bench_language);
	has = st_store_has_operators(self->store, &error);
	if (has < 0) {
		st_api_session_free(session);
		st_api_login_clear(&login);
		st_api_problem(msg, 500, "store", error->message);
		return;
	}
	if (has > 0 || login.badge != NULL) {
		g_autoptr(StOperator) op =
			login.badge != NULL ? st_store_find_operator(self->store, login.badge, NULL)
					    : NULL;
		if (op == NULL && login.badge != NULL) {
			/* the badge as its barcode reads (OP-0042): its key is the badge */
			g_autoptr(StBarcode) code = st_barcode_parse_full(
				self->config->barcode_patterns, (const guint8 *)login.badge,
				strlen(login.badge), NULL, ST_BARCODE_INPUT_SCAN);
			if (code != NULL && code->kind == ST_BARCODE_KIND_BADGE &&
			    code->key != NULL)
				op = st_store_find_operator(self->store, code->key, NULL);
		}
		if (op == NULL) {
			/* the same answer for a missing and an unknown badge: badges are not
			 * guessed here */
			st_api_session_free(session);
			st_api_login_clear(&login);
			st_api_problem(
				msg, 403, "unknown-badge",
				"this badge is not an operator of this station: ask the shift "
				"lead");
			return;
		}
		session->badge = g_strdup(op->badge);
		session->name = g_strdup(op->name);
		session->role = op->role;
		g_free(session->language);
		session->language = g_strdup(op->language);
	}
	session->expires_us =
		g_get_monotonic_time() + (gint64)self->config->http_session_s * G_USEC_PER_SEC;
	token = st_api_token_new();
	g_hash_table_insert(self->sessions, st_api_token_hash(token), session);
	g_message("api: %s logged in on a screen for seat %s",
		  session->name != NULL ? session->name : "the bench", session->seat);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "token");
	json_builder_add_string_value(b, token);
	json_builder_set_member_name(b, "seat");
	json_builder_add_string_value(b, session->seat);
	json_builder_set_member_name(b, "role");
	json_builder_add_string_value(b, st_operator_role_to_string(session->role));
	st_api_member_string(b, "name", session->name);
	json_builder_set_member_name(b, "language");
	json_builder_add_string_value(b, session->language);
	json_builder_set_member_name(b, "expires_in");
	json_builder_add_int_value(b, self->config->http_session_s);
	json_builder_end_object(b);
	st_api_login_clear(&login);
	st_api_json(msg, 201, b);
}

static void
st_api_add_parcel(JsonBuilder *b, const StParcel *p)
{
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "number");
	json_builder_add_int_value(b, p->number);
	st_api_member_string(b, "reference", p->reference);
	st_api_member_string(b, "box", p->box_code);
	json_builder_set_member_name(b, "weight_g");
	if (p->weight_g >= 0)
		json_builder_add_int_value(b, p->weight_g);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "expected_g");
	json_builder_add_int_value(b, p->expected_g);
	json_builder_set_member_name(b, "label_confirmed");
	json_builder_add_boolean_value(b, p->confirmed);
	json_builder_end_object(b);
}

/* @order as JSON: its number, status and lines with what is packed of each; with @parcels,
 * its parcels too. Returns: FALSE (nothing added) when the store could not be read */
static gboolean
st_api_add_order(StApi *self,
		 JsonBuilder *b,
		 const StOrder *order,
		 gboolean parcels,
		 GError **error)
{
	g_autoptr(GPtrArray) lines = st_store_get_order_lines(self->store, order->id, error);
	g_autoptr(GPtrArray) boxes = NULL;

	if (lines == NULL)
		return FALSE;
	if (parcels) {
		boxes = st_store_get_order_parcels(self->store, order->id, error);
		if (boxes == NULL)
			return FALSE;
	}
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "number");
	json_builder_add_string_value(b, order->number);
	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, st_order_status_to_string(order->status));
	json_builder_set_member_name(b, "lines");
	json_builder_begin_array(b);
	for (guint i = 0; i < lines->len; i++) {
		const StOrderLine *l = g_ptr_array_index(lines, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "sku");
		json_builder_add_string_value(b, l->sku);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, l->name != NULL ? l->name : "");
		json_builder_set_member_name(b, "quantity");
		json_builder_add_int_value(b, l->quantity);
		json_builder_set_member_name(b, "packed");
		json_builder_add_int_value(b, l->packed);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	if (boxes != NULL) {
		json_builder_set_member_name(b, "parcels");
		json_builder_begin_array(b);
		for (guint i = 0; i < boxes->len; i++)
			st_api_add_parcel(b, g_ptr_array_index(boxes, i));
		json_builder_end_array(b);
	}
	json_builder_end_object(b);
	return TRUE;
}

static void
st_api_seat(StApi *self, SoupServerMessage *msg, const StApiCaller *caller, const gchar *seat)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	StWorkflow *workflow;
	const StOperator *op;
	g_autofree gchar *prompt = NULL;

	if (!st_api_may_use_seat(self, msg, caller, seat))
		return;
	workflow = st_scan_router_get_seat_workflow(self->router, seat);
	if (workflow == NULL) {
		st_api_problem(msg, 404, "no-seat", "no seat of that name at this station");
		return;
	}
	op = st_scan_router_get_operator(self->router, seat);
	prompt = st_workflow_get_prompt(workflow, op != NULL ? op->language : caller->language);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "seat");
	json_builder_add_string_value(b, seat);
	json_builder_set_member_name(b, "workflow");
	json_builder_add_string_value(b, st_workflow_get_name(workflow));
	json_builder_set_member_name(b, "state");
	json_builder_add_string_value(b, st_workflow_get_state_name(workflow));
	json_builder_set_member_name(b, "next");
	json_builder_add_string_value(b, prompt != NULL ? prompt : "");
	json_builder_set_member_name(b, "order");
	{
		/* the order open at a packing seat: its lines with what is packed of each */
		const gchar *number =
			ST_IS_PACK_WORKFLOW(workflow)
				? st_pack_workflow_get_order_number(ST_PACK_WORKFLOW(workflow))
				: NULL;
		g_autoptr(StOrder) order =
			number != NULL ? st_store_find_order(self->store, number, NULL) : NULL;
		if (order == NULL || !st_api_add_order(self, b, order, FALSE, NULL))
			json_builder_add_null_value(b);
	}
	{
		guint expected_g = 0, tolerance_g = 0;
		json_builder_set_member_name(b, "weigh");
		if (ST_IS_PACK_WORKFLOW(workflow) &&
		    st_pack_workflow_get_expected_weight(ST_PACK_WORKFLOW(workflow), &expected_g,
							 &tolerance_g)) {
			json_builder_begin_object(b);
			json_builder_set_member_name(b, "expected_g");
			json_builder_add_int_value(b, expected_g);
			json_builder_set_member_name(b, "tolerance_g");
			json_builder_add_int_value(b, tolerance_g);
			json_builder_end_object(b);
		} else {
			json_builder_add_null_value(b);
		}
	}
	/* a screen that follows the seat with a device token shows the badge prompt then */
	json_builder_set_member_name(b, "needs_badge");
	json_builder_add_boolean_value(b,
				       op == NULL && st_store_has_operators(self->store, NULL) > 0);
	json_builder_set_member_name(b, "operator");
	if (op != NULL) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, op->name);
		json_builder_set_member_name(b, "role");
		json_builder_add_string_value(b, st_operator_role_to_string(op->role));
		json_builder_set_member_name(b, "language");
		json_builder_add_string_value(b, op->language);
		json_builder_end_object(b);
	} else {
		json_builder_add_null_value(b);
	}
	json_builder_end_object(b);
	st_api_json(msg, 200, b);
}

static void
st_api_scan(StApi *self, SoupServerMessage *msg, const StApiCaller *caller, const gchar *seat)
{
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	g_autoptr(GError) error = NULL;
	g_autoptr(StScan) scan = NULL;
	g_autoptr(StVerdict) verdict = NULL;
	g_autoptr(GBytes) data = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	StApiScan request;

	if (!st_api_may_use_seat(self, msg, caller, seat))
		return;
	if (!st_api_parse_scan(body->data, (gsize)body->length, &request, &error)) {
		st_api_problem(msg, 400, "bad-request", error->message);
		return;
	}
	data = g_bytes_new(request.text, strlen(request.text));
	st_api_scan_clear(&request);
	scan = st_scan_new(seat, data, NULL);
	verdict = st_scan_router_handle_scan(self->router, scan, &error);
	if (verdict == NULL) {
		/* not recorded: nothing was done, and the screen says to scan again */
		st_api_problem(msg, 503, "not-recorded", error->message);
		return;
	}
	st_api_add_verdict(b, self->router, verdict);
	st_api_json(msg, 200, b);
}

/* GET /api/v1/orders/{number}/prints: the prints of the order's labels, with their states;
 * GET /api/v1/orders/{number}/parcels/{n}/preview.png: a parcel's label, drawn */
static void
st_api_order(StApi *self, SoupServerMessage *msg, const gchar *rest)
{
	g_auto(GStrv) parts = g_strsplit(rest, "/", 5);
	g_autoptr(GError) error = NULL;
	const gchar *number = parts[0];

	if (number[0] == '\0' || strlen(number) > 64) {
		st_api_problem(msg, 404, "no-such-path", "no such path in /api/v1");
		return;
	}
	if (parts[1] == NULL) {
		/* GET /api/v1/orders/{number}: its status, lines and parcels */
		g_autoptr(StOrder) order = st_store_find_order(self->store, number, NULL);
		g_autoptr(JsonBuilder) b = json_builder_new();
		if (order == NULL) {
			st_api_problem(msg, 404, "no-order",
				       "no order of that number at this station");
			return;
		}
		if (!st_api_add_order(self, b, order, TRUE, &error)) {
			st_api_problem(msg, 500, "store", error->message);
			return;
		}
		st_api_json(msg, 200, b);
		return;
	}
	if (g_strcmp0(parts[1], "prints") == 0 && parts[2] == NULL) {
		g_autoptr(GPtrArray) prints =
			st_store_get_order_prints(self->store, number, &error);
		g_autoptr(JsonBuilder) b = json_builder_new();
		if (prints == NULL) {
			st_api_problem(msg, 500, "store", error->message);
			return;
		}
		json_builder_begin_array(b);
		for (guint i = 0; i < prints->len; i++) {
			const StPrintRecord *p = g_ptr_array_index(prints, i);
			g_autoptr(StLabelRecord) label =
				st_store_get_label(self->store, p->label_id, NULL);
			json_builder_begin_object(b);
			json_builder_set_member_name(b, "label");
			json_builder_add_int_value(b, p->label_id);
			json_builder_set_member_name(b, "kind");
			json_builder_add_string_value(b, label != NULL ? label->kind : "");
			json_builder_set_member_name(b, "reference");
			json_builder_add_string_value(b, label != NULL ? label->reference : "");
			json_builder_set_member_name(b, "printer");
			json_builder_add_string_value(b, p->printer);
			json_builder_set_member_name(b, "state");
			json_builder_add_string_value(b, p->state);
			json_builder_set_member_name(b, "message");
			json_builder_add_string_value(b, p->message != NULL ? p->message : "");
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		st_api_json(msg, 200, b);
		return;
	}
	if (g_strcmp0(parts[1], "parcels") == 0 && parts[2] != NULL &&
	    g_strcmp0(parts[3], "preview.png") == 0 && parts[4] == NULL) {
		guint64 parcel = 0;
		g_autoptr(GBytes) png = NULL;
		if (!g_ascii_string_to_unsigned(parts[2], 10, 1, 999, &parcel, NULL)) {
			st_api_problem(msg, 404, "no-such-path", "a parcel is 1, 2, ...");
			return;
		}
		png = st_label_parcel_preview(self->store, self->config, number, (guint)parcel,
					      &error);
		if (png == NULL) {
			st_api_problem(msg, 404, "no-preview", error->message);
			return;
		}
		soup_server_message_set_status(msg, 200, NULL);
		soup_server_message_set_response(msg, "image/png", SOUP_MEMORY_COPY,
						 g_bytes_get_data(png, NULL),
						 g_bytes_get_size(png));
		return;
	}
	st_api_problem(msg, 404, "no-such-path", "no such path in /api/v1");
}

/* POST /api/v1/decode?width=W&height=H: the barcodes in a camera's frame (W x H bytes of
 * grey), for a page whose browser has no BarcodeDetector; nothing is scanned: the page
 * submits what it finds as it would BarcodeDetector's */
static void
st_api_decode(StApi *self, SoupServerMessage *msg, GHashTable *query)
{
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) codes = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	const gchar *w = query != NULL ? g_hash_table_lookup(query, "width") : NULL;
	const gchar *h = query != NULL ? g_hash_table_lookup(query, "height") : NULL;
	guint64 width = 0, height = 0;

	if (w == NULL || h == NULL ||
	    !g_ascii_string_to_unsigned(w, 10, 0, G_MAXUINT16, &width, NULL) ||
	    !g_ascii_string_to_unsigned(h, 10, 0, G_MAXUINT16, &height, NULL)) {
		st_api_problem(msg, 400, "bad-request",
			       "give the frame's size: /api/v1/decode?width=W&height=H");
		return;
	}
	codes = st_api_decode_frame((const guint8 *)body->data, (gsize)body->length, width, height,
				    &error);
	if (codes == NULL && g_error_matches(error, ST_API_ERROR, ST_ERROR_NOT_SUPPORTED)) {
		st_api_problem(msg, 503, "decoder-missing", error->message);
		return;
	}
	if (codes == NULL) {
		st_api_problem(msg, 400, "bad-request", error->message);
		return;
	}
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "codes");
	json_builder_begin_array(b);
	for (guint i = 0; i < codes->len; i++) {
		const StApiCode *c = g_ptr_array_index(codes, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "text");
		json_builder_add_string_value(b, c->text);
		json_builder_set_member_name(b, "symbology");
		json_builder_add_string_value(b, c->symbology);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	st_api_json(msg, 200, b);
}

/* GET /api/v1/devices: every device seen since the start, its role, whether it is there,
 * the seat its scans go to */
static void
st_api_devices(StApi *self, SoupServerMessage *msg)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(GList) ids =
		g_list_sort(g_hash_table_get_keys(self->devices), (GCompareFunc)g_strcmp0);

	json_builder_begin_array(b);
	for (GList *l = ids; l != NULL; l = l->next) {
		const StApiDevice *d = g_hash_table_lookup(self->devices, l->data);
		StWorkflow *workflow = st_scan_router_get_seat_workflow(self->router, l->data);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "device");
		json_builder_add_string_value(b, l->data);
		json_builder_set_member_name(b, "role");
		json_builder_add_string_value(b, d->role);
		json_builder_set_member_name(b, "present");
		json_builder_add_boolean_value(b, d->present);
		json_builder_set_member_name(b, "workflow");
		if (workflow != NULL)
			json_builder_add_string_value(b, st_workflow_get_name(workflow));
		else
			json_builder_add_null_value(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	st_api_json(msg, 200, b);
}

/* GET /api/v1/printers: each [printer NAME], its queue or spool folder, and what CUPS says
 * of the queue now (state, whether it takes jobs, what needs attention) */
static void
st_api_printers_answer(StApi *self,
		       SoupServerMessage *msg,
		       GPtrArray *queues,
		       const GError *error_cups)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_array(b);
	for (guint i = 0; i < self->config->printers->len; i++) {
		const StPrinterConfig *p = g_ptr_array_index(self->config->printers, i);
		const StPrintQueue *q = NULL;
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "printer");
		json_builder_add_string_value(b, p->name);
		json_builder_set_member_name(b, "language");
		json_builder_add_string_value(b, p->language);
		if (p->spool != NULL) {
			json_builder_set_member_name(b, "spool");
			json_builder_add_string_value(b, p->spool);
			json_builder_set_member_name(b, "state");
			json_builder_add_string_value(b, "idle");
			json_builder_set_member_name(b, "attention");
			json_builder_add_string_value(b, "none");
			json_builder_set_member_name(b, "message");
			json_builder_add_string_value(b, "");
			json_builder_end_object(b);
			continue;
		}
		json_builder_set_member_name(b, "queue");
		json_builder_add_string_value(b, p->queue);
		for (guint j = 0; queues != NULL && j < queues->len; j++) {
			const StPrintQueue *c = g_ptr_array_index(queues, j);
			if (g_strcmp0(c->name, p->queue) == 0)
				q = c;
		}
		if (q != NULL) {
			g_autofree gchar *said = st_print_queue_describe(q);
			json_builder_set_member_name(b, "state");
			json_builder_add_string_value(b, st_printer_state_to_string(q->state));
			json_builder_set_member_name(b, "accepting");
			json_builder_add_boolean_value(b, q->accepting);
			json_builder_set_member_name(b, "queued_jobs");
			json_builder_add_int_value(b, q->queued_jobs);
			json_builder_set_member_name(b, "attention");
			json_builder_add_string_value(b,
						      st_print_attention_to_string(q->attention));
			json_builder_set_member_name(b, "message");
			json_builder_add_string_value(b, said != NULL ? said : "");
		} else {
			json_builder_set_member_name(b, "state");
			json_builder_add_string_value(b, "unknown");
			json_builder_set_member_name(b, "attention");
			json_builder_add_string_value(
				b, error_cups != NULL ? st_print_attention_to_string(
								ST_PRINT_ATTENTION_NO_SCHEDULER)
						      : "missing");
			json_builder_set_member_name(b, "message");
			if (error_cups != NULL)
				json_builder_add_string_value(b, error_cups->message);
			else
				json_builder_add_string_value(b, "CUPS has no queue of this name");
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	st_api_json(msg, 200, b);
}

typedef struct {
	StApi *self;
	SoupServerMessage *msg;
} StApiPrintersCall;

/* in a worker thread: CUPS may take its time (a remote server that does not answer), and
 * the scans go on meanwhile */
static void
st_api_printers_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	GError *error = NULL;
	GPtrArray *queues = st_printer_get_queues(data, &error);
	if (queues == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task, queues, (GDestroyNotify)g_ptr_array_unref);
}

static void
st_api_printers_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	StApiPrintersCall *call = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) queues = g_task_propagate_pointer(G_TASK(result), &error);

	st_api_printers_answer(call->self, call->msg, queues, error);
	soup_server_message_unpause(call->msg);
	g_object_unref(call->msg);
	g_object_unref(call->self);
	g_free(call);
}

/* GET /api/v1/printers: CUPS asked in a thread while the request waits */
static void
st_api_printers(StApi *self, SoupServerMessage *msg)
{
	g_autoptr(GTask) task = NULL;
	StApiPrintersCall *call;
	gboolean any_queue = FALSE;

	for (guint i = 0; i < self->config->printers->len; i++) {
		const StPrinterConfig *p = g_ptr_array_index(self->config->printers, i);
		any_queue |= p->queue != NULL;
	}
	if (!any_queue) {
		st_api_printers_answer(self, msg, NULL, NULL);
		return;
	}
	call = g_new0(StApiPrintersCall, 1);
	call->self = g_object_ref(self);
	call->msg = g_object_ref(msg);
	soup_server_message_pause(msg);
	task = g_task_new(NULL, NULL, st_api_printers_done_cb, call);
	g_task_set_task_data(task, g_strdup(self->config->cups_server), g_free);
	g_task_run_in_thread(task, st_api_printers_thread);
}

typedef struct {
	gchar *order;
	guint parcel;
} StApiReprint;

static void
st_api_reprint_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	StApiReprint *r = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(StPrintProgress) p =
		st_printing_print_finish(ST_PRINTING(source), result, &error);
	if (p == NULL)
		g_warning("api: order %s: the label of parcel %u not printed again: %s", r->order,
			  r->parcel, error->message);
	else
		g_message("api: order %s: the label of parcel %u printed again: %s", r->order,
			  r->parcel, p->state);
	g_free(r->order);
	g_free(r);
}

/* POST /api/v1/orders/{number}/reprint {"parcel": N}: the parcel's label again, on the
 * label printer. At the seat that packed the order, or by a lead anywhere. */
static void
st_api_reprint(StApi *self, SoupServerMessage *msg, const StApiCaller *caller, const gchar *number)
{
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	g_autoptr(GError) error = NULL;
	g_autoptr(StOrder) order = NULL;
	g_autoptr(GPtrArray) parcels = NULL;
	g_autoptr(StShipment) shipment = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree gchar *seat = NULL;
	const StParcel *parcel = NULL;
	StApiReprint *r;
	guint n = 0;

	if (!st_api_parse_reprint(body->data, (gsize)body->length, &n, &error)) {
		st_api_problem(msg, 400, "bad-request", error->message);
		return;
	}
	if (self->printing == NULL) {
		st_api_problem(msg, 503, "no-printing", "this station does not print");
		return;
	}
	order = st_store_find_order(self->store, number, NULL);
	if (order == NULL) {
		st_api_problem(msg, 404, "no-order", "no order of that number at this station");
		return;
	}
	seat = st_store_get_order_seat(self->store, order->id, NULL);
	if (caller->role != ST_OPERATOR_ROLE_LEAD &&
	    (caller->device || seat == NULL || g_strcmp0(seat, caller->seat) != 0)) {
		g_autofree gchar *detail = g_strdup_printf(
			"order %s was packed at %s: only a shift lead reprints another bench's "
			"label",
			number, seat != NULL ? seat : "no bench");
		st_api_problem(msg, 403, "lead-only", detail);
		return;
	}
	parcels = st_store_get_order_parcels(self->store, order->id, &error);
	if (parcels == NULL) {
		st_api_problem(msg, 500, "store", error->message);
		return;
	}
	for (guint i = 0; i < parcels->len; i++) {
		const StParcel *p = g_ptr_array_index(parcels, i);
		if (p->number == n)
			parcel = p;
	}
	if (parcel == NULL || parcel->reference == NULL ||
	    (shipment = st_store_find_shipment(self->store, parcel->reference, NULL)) == NULL ||
	    shipment->label_id == 0) {
		g_autofree gchar *detail = g_strdup_printf(
			"order %s has no label for a parcel %u: a label is printed once the "
			"order is packed",
			number, n);
		st_api_problem(msg, 404, "no-label", detail);
		return;
	}
	r = g_new0(StApiReprint, 1);
	r->order = g_strdup(number);
	r->parcel = n;
	st_printing_print_async(self->printing, shipment->label_id, "label", TRUE, caller->name,
				NULL, st_api_reprint_done_cb, r);
	g_message("api: order %s: the label of parcel %u asked again%s%s", number, n,
		  caller->name != NULL ? " by " : "", caller->name != NULL ? caller->name : "");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "order");
	json_builder_add_string_value(b, number);
	json_builder_set_member_name(b, "parcel");
	json_builder_add_int_value(b, n);
	json_builder_set_member_name(b, "label");
	json_builder_add_int_value(b, shipment->label_id);
	json_builder_set_member_name(b, "printer");
	json_builder_add_string_value(b, "label");
	json_builder_end_object(b);
	st_api_json(msg, 202, b);
}

/* the language switched on the seat's screen: its operator's answers from now on */
static void
st_api_language(StApi *self, SoupServerMessage *msg, const StApiCaller *caller, const gchar *seat)
{
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *language = NULL;

	if (!st_api_may_use_seat(self, msg, caller, seat))
		return;
	if (!st_api_parse_language(body->data, (gsize)body->length, &language, &error)) {
		st_api_problem(msg, 400, "bad-request", error->message);
		return;
	}
	if (!st_scan_router_set_seat_language(self->router, seat, language)) {
		st_api_problem(msg, 409, "nobody-logged-in",
			       "nobody is logged in at this seat: scan the badge first");
		return;
	}
	soup_server_message_set_status(msg, 204, NULL);
}

static void
st_api_outbox(StApi *self, SoupServerMessage *msg)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	StOutboxStatus status;

	if (!st_store_outbox_status(self->store, &status, &error)) {
		st_api_problem(msg, 500, "store", error->message);
		return;
	}
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "waiting");
	json_builder_add_int_value(b, status.pending);
	json_builder_set_member_name(b, "parked");
	json_builder_add_int_value(b, status.n_parked);
	st_api_member_string(b, "oldest", status.oldest_at);
	st_api_member_string(b, "last_success", status.last_success);
	json_builder_end_object(b);
	st_outbox_status_clear(&status);
	st_api_json(msg, 200, b);
}

/* the pages (station/api/www): public, they hold no data; a name of [a-z0-9.-] only */
static void
st_api_static(SoupServer *server,
	      SoupServerMessage *msg,
	      const char *path,
	      GHashTable *query,
	      gpointer user_data)
{
	const gchar *name = g_strcmp0(path, "/") == 0		 ? "index.html"
			    : g_str_has_prefix(path, "/screen/") ? path + strlen("/screen/")
								 : NULL;
	const gchar *type = NULL;
	g_autofree gchar *file = NULL;
	g_autofree gchar *text = NULL;
	gsize len = 0;

	if (name == NULL || name[0] == '\0' || name[0] == '.' || strlen(name) > 64 ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789.-") != strlen(name)) {
		st_api_problem(msg, 404, "no-such-path", "no such page");
		return;
	}
	if (g_str_has_suffix(name, ".html"))
		type = "text/html; charset=utf-8";
	else if (g_str_has_suffix(name, ".js"))
		type = "text/javascript; charset=utf-8";
	else if (g_str_has_suffix(name, ".css"))
		type = "text/css; charset=utf-8";
	file = g_build_filename(ST_API_WWW_DIR, name, NULL);
	if (type == NULL || !g_file_get_contents(file, &text, &len, NULL)) {
		st_api_problem(msg, 404, "no-such-path", "no such page");
		return;
	}
	soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Cache-Control",
				     "no-cache");
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "Content-Security-Policy",
				     "default-src 'self'; connect-src 'self' ws: wss:; media-src "
				     "'self' blob:");
	soup_server_message_set_status(msg, 200, NULL);
	soup_server_message_set_response(msg, type, SOUP_MEMORY_TAKE, g_steal_pointer(&text), len);
}

static void
st_api_handle(SoupServer *server,
	      SoupServerMessage *msg,
	      const char *path,
	      GHashTable *query,
	      gpointer user_data)
{
	StApi *self = ST_API(user_data);
	const gchar *method = soup_server_message_get_method(msg);
	StApiCaller caller;

	if (g_strcmp0(path, "/api/v1/i18n") == 0 && g_strcmp0(method, "GET") == 0) {
		/* the pages' sentences in a language: public, they are the UI's words */
		const gchar *lang = query != NULL ? g_hash_table_lookup(query, "lang") : NULL;
		g_autoptr(JsonBuilder) b = json_builder_new();
		const gchar *const *strings = st_api_ui_strings();
		if (lang == NULL || strlen(lang) > 16)
			lang = "en";
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "language");
		json_builder_add_string_value(b, lang);
		/* every language the station speaks, each by its own name, for the switch */
		json_builder_set_member_name(b, "languages");
		json_builder_begin_array(b);
		for (const gchar *const *l = st_i18n_get_languages(); *l != NULL; l++) {
			json_builder_begin_object(b);
			json_builder_set_member_name(b, "code");
			json_builder_add_string_value(b, *l);
			json_builder_set_member_name(b, "name");
			json_builder_add_string_value(b, st_api_ui_language_name(*l));
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_set_member_name(b, "strings");
		json_builder_begin_object(b);
		for (guint i = 0; strings[i] != NULL; i++) {
			json_builder_set_member_name(b, strings[i]);
			json_builder_add_string_value(b, st_api_ui_translate(lang, strings[i]));
		}
		json_builder_end_object(b);
		json_builder_end_object(b);
		st_api_json(msg, 200, b);
		return;
	}
	if (g_strcmp0(path, "/api/v1/openapi.yaml") == 0) {
		g_autofree gchar *doc =
			g_build_filename(ST_API_DOC_DIR, "station-api-v1.yaml", NULL);
		g_autofree gchar *text = NULL;
		gsize len = 0;
		if (!g_file_get_contents(doc, &text, &len, NULL)) {
			st_api_problem(msg, 404, "no-document",
				       "the API's document is not installed");
			return;
		}
		soup_server_message_set_status(msg, 200, NULL);
		soup_server_message_set_response(msg, "application/yaml", SOUP_MEMORY_COPY, text,
						 len);
		return;
	}
	if (g_strcmp0(path, "/api/v1/decode") == 0
		    ? soup_server_message_get_request_body(msg)->length > ST_API_MAX_FRAME
		    : soup_server_message_get_request_body(msg)->length > ST_API_MAX_BODY) {
		st_api_problem(msg, 413, "too-large",
			       "a request body is at most 64 KiB, a camera frame 640 x 480 bytes");
		return;
	}
	if (g_strcmp0(path, "/api/v1/sessions") == 0 && g_strcmp0(method, "POST") == 0) {
		st_api_login(self, msg);
		return;
	}
	if (!st_api_authenticate(self, msg, NULL, &caller))
		return;
	if (!st_api_rate(self, msg, &caller)) {
		st_api_caller_clear(&caller);
		return;
	}
	if (g_strcmp0(path, "/api/v1/sessions/current") == 0 && g_strcmp0(method, "DELETE") == 0) {
		if (!caller.device)
			g_hash_table_remove(self->sessions, caller.hash);
		soup_server_message_set_status(msg, 204, NULL);
	} else if (g_strcmp0(path, "/api/v1/outbox") == 0 && g_strcmp0(method, "GET") == 0) {
		st_api_outbox(self, msg);
	} else if (g_strcmp0(path, "/api/v1/decode") == 0 && g_strcmp0(method, "POST") == 0) {
		st_api_decode(self, msg, query);
	} else if (g_strcmp0(path, "/api/v1/devices") == 0 && g_strcmp0(method, "GET") == 0) {
		st_api_devices(self, msg);
	} else if (g_strcmp0(path, "/api/v1/printers") == 0 && g_strcmp0(method, "GET") == 0) {
		st_api_printers(self, msg);
	} else if (g_str_has_prefix(path, "/api/v1/orders/") &&
		   g_str_has_suffix(path, "/reprint") && g_strcmp0(method, "POST") == 0) {
		g_autofree gchar *number =
			g_strndup(path + strlen("/api/v1/orders/"),
				  strlen(path) - strlen("/api/v1/orders/") - strlen("/reprint"));
		if (number[0] == '\0' || strlen(number) > 64 || strchr(number, '/') != NULL)
			st_api_problem(msg, 404, "no-such-path", "no such path in /api/v1");
		else
			st_api_reprint(self, msg, &caller, number);
	} else if (g_str_has_prefix(path, "/api/v1/orders/") && g_strcmp0(method, "GET") == 0) {
		st_api_order(self, msg, path + strlen("/api/v1/orders/"));
	} else if (g_str_has_prefix(path, "/api/v1/seats/")) {
		g_auto(GStrv) parts = g_strsplit(path + strlen("/api/v1/seats/"), "/", 3);
		const gchar *seat = parts[0];
		if (seat[0] == '\0' || strlen(seat) > 64) {
			st_api_problem(msg, 404, "no-seat", "no seat of that name at this station");
		} else if (parts[1] == NULL && g_strcmp0(method, "GET") == 0) {
			st_api_seat(self, msg, &caller, seat);
		} else if (g_strcmp0(parts[1], "scans") == 0 && parts[2] == NULL &&
			   g_strcmp0(method, "POST") == 0) {
			st_api_scan(self, msg, &caller, seat);
		} else if (g_strcmp0(parts[1], "language") == 0 && parts[2] == NULL &&
			   g_strcmp0(method, "POST") == 0) {
			st_api_language(self, msg, &caller, seat);
		} else {
			st_api_problem(msg, 404, "no-such-path", "no such path in /api/v1");
		}
	} else {
		st_api_problem(msg, 404, "no-such-path", "no such path in /api/v1");
	}
	st_api_caller_clear(&caller);
}

/* a message from a client: none is expected; more than 10 a second closes the socket */
static void
st_api_ws_message_cb(SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer data)
{
	StApiSocket *s = data;
	gint64 second = g_get_monotonic_time() / G_USEC_PER_SEC;
	if (second != s->second) {
		s->second = second;
		s->messages = 0;
	}
	if (++s->messages > 10 &&
	    soup_websocket_connection_get_state(conn) == SOUP_WEBSOCKET_STATE_OPEN)
		soup_websocket_connection_close(conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
						"too many messages");
}

static void
st_api_ws_closed_cb(SoupWebsocketConnection *conn, gpointer data)
{
	StApi *self = ST_API(data);
	for (guint i = 0; i < self->sockets->len; i++) {
		StApiSocket *s = g_ptr_array_index(self->sockets, i);
		if (s->conn == conn) {
			g_ptr_array_remove_index(self->sockets, i);
			return;
		}
	}
}

/* before the upgrade: the caller, the origin (a browser's page must be this server's), the
 * number of sockets */
static void
st_api_ws_early_cb(SoupServer *server,
		   SoupServerMessage *msg,
		   const char *path,
		   GHashTable *query,
		   gpointer user_data)
{
	StApi *self = ST_API(user_data);
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	const gchar *origin = soup_message_headers_get_one(h, "Origin");
	const gchar *host = soup_message_headers_get_one(h, "Host");
	StApiCaller caller;

	if (origin != NULL) {
		g_autoptr(GUri) o = g_uri_parse(origin, G_URI_FLAGS_NONE, NULL);
		g_autofree gchar *o_host = NULL;
		if (o != NULL)
			o_host = g_uri_get_port(o) > 0 ? g_strdup_printf("%s:%d", g_uri_get_host(o),
									 g_uri_get_port(o))
						       : g_strdup(g_uri_get_host(o));
		if (o == NULL || host == NULL || g_strcmp0(o_host, host) != 0) {
			st_api_problem(msg, 403, "origin",
				       "the page that opened this socket is not this station's");
			return;
		}
	}
	if (!st_api_authenticate(self, msg, query, &caller))
		return;
	st_api_caller_clear(&caller);
	if (self->sockets->len >= ST_API_MAX_SOCKETS) {
		st_api_problem(msg, 503, "too-many-sockets", "too many screens are connected");
		return;
	}
}

static void
st_api_ws_cb(SoupServer *server,
	     SoupServerMessage *msg,
	     const char *path,
	     SoupWebsocketConnection *conn,
	     gpointer user_data)
{
	StApi *self = ST_API(user_data);
	GUri *uri = soup_server_message_get_uri(msg);
	const gchar *raw_query = g_uri_get_query(uri);
	g_autoptr(GHashTable) query =
		raw_query != NULL ? g_uri_parse_params(raw_query, -1, "&", G_URI_PARAMS_NONE, NULL)
				  : NULL;
	StApiSocket *s = g_new0(StApiSocket, 1);

	/* authenticated before the upgrade: read again for who it is */
	{
		const gchar *auth = soup_message_headers_get_one(
			soup_server_message_get_request_headers(msg), "Authorization");
		const gchar *token =
			auth != NULL && g_str_has_prefix(auth, "Bearer ")
				? auth + strlen("Bearer ")
				: (query != NULL ? g_hash_table_lookup(query, "token") : NULL);
		g_autofree gchar *hash = token != NULL ? st_api_token_hash(token) : NULL;
		StApiSession *session =
			hash != NULL ? g_hash_table_lookup(self->sessions, hash) : NULL;
		if (session != NULL) {
			s->caller.seat = g_strdup(session->seat);
			s->caller.role = session->role;
		} else {
			s->caller.device = TRUE;
		}
		s->caller.hash = g_steal_pointer(&hash);
	}
	if (query != NULL && g_hash_table_lookup(query, "seat") != NULL &&
	    strlen(g_hash_table_lookup(query, "seat")) <= 64)
		s->follow = g_strdup(g_hash_table_lookup(query, "seat"));
	s->conn = g_object_ref(conn);
	soup_websocket_connection_set_max_incoming_payload_size(conn, 4096);
	g_signal_connect(conn, "message", G_CALLBACK(st_api_ws_message_cb), s);
	g_signal_connect(conn, "closed", G_CALLBACK(st_api_ws_closed_cb), self);
	g_ptr_array_add(self->sockets, s);
}

/* sends @text to every open socket that may see @seat (NULL: every socket) */
static void
st_api_send(StApi *self, StWorkflow *seat, const gchar *text)
{
	for (guint i = 0; i < self->sockets->len; i++) {
		StApiSocket *s = g_ptr_array_index(self->sockets, i);
		if (soup_websocket_connection_get_state(s->conn) != SOUP_WEBSOCKET_STATE_OPEN)
			continue;
		if (seat != NULL && !s->caller.device && s->caller.role != ST_OPERATOR_ROLE_LEAD &&
		    st_scan_router_get_seat_workflow(self->router, s->caller.seat) != seat)
			continue;
		if (seat != NULL && s->follow != NULL &&
		    st_scan_router_get_seat_workflow(self->router, s->follow) != seat)
			continue;
		soup_websocket_connection_send_text(s->conn, text);
	}
}

/* the message built in @b to the sockets that may see @seat (NULL: every socket) */
static void
st_api_send_built(StApi *self, StWorkflow *seat, JsonBuilder *b)
{
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autofree gchar *text = json_to_string(root, FALSE);
	g_autofree gchar *valid = g_utf8_make_valid(text, -1);
	st_api_send(self, seat, valid);
}

/**
 * st_api_broadcast_verdict:
 *
 * Sends a verdict to every WebSocket that may see its seat: {"type": "verdict", ...}.
 */
void
st_api_broadcast_verdict(StApi *self, const StVerdict *verdict)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *valid = NULL;

	if (self->sockets->len == 0)
		return;
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, "verdict");
	json_builder_set_member_name(b, "verdict");
	st_api_add_verdict(b, self->router, verdict);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	text = json_to_string(root, FALSE);
	valid = g_utf8_make_valid(text, -1);
	st_api_send(self, st_scan_router_get_seat_workflow(self->router, verdict->device_id),
		    valid);
}

/**
 * st_api_broadcast_weight:
 *
 * A scale's reading to every socket that may see the scale's seat: {"type": "weight",
 * "device": ID, "grams": 612.5, "status": "stable"} (grams null when the scale reports no
 * usable weight).
 */
void
st_api_broadcast_weight(StApi *self, const gchar *device_id, const StWeight *weight)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *text = NULL;
	gint64 mg = 0;

	if (self->sockets->len == 0)
		return;
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, "weight");
	json_builder_set_member_name(b, "device");
	json_builder_add_string_value(b, device_id);
	json_builder_set_member_name(b, "seat");
	json_builder_add_string_value(b, st_scan_router_get_seat_name(self->router, device_id));
	json_builder_set_member_name(b, "grams");
	if (st_weight_to_milligrams(weight, &mg, NULL))
		json_builder_add_double_value(b, mg / 1000.0);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, st_weight_status_to_string(weight->status));
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	text = json_to_string(root, FALSE);
	st_api_send(self, st_scan_router_get_seat_workflow(self->router, device_id), text);
}

/**
 * st_api_broadcast_device:
 * @role: scanner, scale, ... (st_device_role_to_string())
 *
 * A device plugged in or gone, to the sockets that may see its seat: {"type": "device",
 * "device": ID, "role": "scanner", "present": false}.
 */
void
st_api_broadcast_device(StApi *self, const gchar *device_id, const gchar *role, gboolean present)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *text = NULL;
	StApiDevice *d = g_new0(StApiDevice, 1);

	/* kept for GET /api/v1/devices */
	d->role = g_strdup(role);
	d->present = present;
	g_hash_table_replace(self->devices, g_strdup(device_id), d);
	if (self->sockets->len == 0)
		return;
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, "device");
	json_builder_set_member_name(b, "device");
	json_builder_add_string_value(b, device_id);
	json_builder_set_member_name(b, "seat");
	json_builder_add_string_value(b, st_scan_router_get_seat_name(self->router, device_id));
	json_builder_set_member_name(b, "role");
	json_builder_add_string_value(b, role);
	json_builder_set_member_name(b, "present");
	json_builder_add_boolean_value(b, present);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	text = json_to_string(root, FALSE);
	st_api_send(self, st_scan_router_get_seat_workflow(self->router, device_id), text);
}

/* a print of a label changed (CUPS took it, it printed, the printer needs attention): to
 * every socket, {"type": "print", "label", "order", "state", "message", "attention"} */
static void
st_api_print_changed_cb(StPrinting *printing, StPrintProgress *p, gpointer user_data)
{
	StApi *self = ST_API(user_data);
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(StLabelRecord) label = NULL;

	if (self->sockets->len == 0)
		return;
	label = st_store_get_label(self->store, p->label_id, NULL);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, "print");
	json_builder_set_member_name(b, "label");
	json_builder_add_int_value(b, p->label_id);
	json_builder_set_member_name(b, "order");
	if (label != NULL && label->order_number != NULL)
		json_builder_add_string_value(b, label->order_number);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "state");
	json_builder_add_string_value(b, p->state);
	json_builder_set_member_name(b, "message");
	json_builder_add_string_value(b, p->message != NULL ? p->message : "");
	json_builder_set_member_name(b, "attention");
	json_builder_add_string_value(
		b, st_print_attention_to_string(p->status != NULL ? p->status->attention
								  : ST_PRINT_ATTENTION_NONE));
	json_builder_end_object(b);
	st_api_send_built(self, NULL, b);
}

/**
 * st_api_set_printing:
 *
 * The bench's printing: reprints asked over the API go to it, and each change of a print
 * goes to the sockets.
 */
void
st_api_set_printing(StApi *self, StPrinting *printing)
{
	g_return_if_fail(ST_IS_API(self));
	if (self->printing != NULL) {
		g_clear_signal_handler(&self->print_changed_id, self->printing);
		g_clear_signal_handler(&self->print_started_id, self->printing);
	}
	g_set_object(&self->printing, printing);
	if (printing == NULL)
		return;
	self->print_started_id = g_signal_connect(printing, "print-started",
						  G_CALLBACK(st_api_print_changed_cb), self);
	self->print_changed_id = g_signal_connect(printing, "print-changed",
						  G_CALLBACK(st_api_print_changed_cb), self);
}

/**
 * st_api_broadcast_outbox:
 *
 * The outbox's backlog to every socket when it changed since last said: {"type": "outbox",
 * "waiting": N, "parked": N}. Called after each delivery to the central system and each
 * verdict.
 */
void
st_api_broadcast_outbox(StApi *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(GError) error = NULL;
	StOutboxStatus status = {0};

	if (self->sockets->len == 0)
		return;
	if (!st_store_outbox_status(self->store, &status, &error)) {
		g_debug("api: the outbox could not be read: %s", error->message);
		return;
	}
	if ((gint)status.pending != self->last_waiting ||
	    (gint)status.n_parked != self->last_parked) {
		self->last_waiting = (gint)status.pending;
		self->last_parked = (gint)status.n_parked;
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, "outbox");
		json_builder_set_member_name(b, "waiting");
		json_builder_add_int_value(b, status.pending);
		json_builder_set_member_name(b, "parked");
		json_builder_add_int_value(b, status.n_parked);
		json_builder_end_object(b);
		st_api_send_built(self, NULL, b);
	}
	st_outbox_status_clear(&status);
}

StApi *
st_api_new(StStore *store, StScanRouter *router, const StConfig *config)
{
	StApi *self = g_object_new(ST_TYPE_API, NULL);
	self->store = g_object_ref(store);
	self->router = g_object_ref(router);
	self->config = config;
	return self;
}

/* "ADDRESS:PORT" of [http] listen; FALSE with what to write */
static gboolean
st_api_parse_listen(const gchar *listen, GInetAddress **address, guint *port, GError **error)
{
	const gchar *colon = strrchr(listen, ':');
	g_autofree gchar *host = NULL;
	guint64 p = 0;

	if (colon == NULL || !g_ascii_string_to_unsigned(colon + 1, 10, 0, 65535, &p, NULL)) {
		g_set_error(error, ST_API_ERROR, ST_ERROR_INVALID_CONFIG,
			    "[http] listen '%s' is not ADDRESS:PORT, such as 127.0.0.1:8080",
			    listen);
		return FALSE;
	}
	host = g_strndup(listen, (gsize)(colon - listen));
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		gchar *inner = g_strndup(host + 1, strlen(host) - 2);
		g_free(host);
		host = inner;
	}
	*address = g_inet_address_new_from_string(host);
	if (*address == NULL) {
		g_set_error(error, ST_API_ERROR, ST_ERROR_INVALID_CONFIG,
			    "[http] listen '%s': '%s' is not an IP address", listen, host);
		return FALSE;
	}
	*port = (guint)p;
	return TRUE;
}

/**
 * st_api_check_config:
 * @url: (out) (optional): the address the screens open, such as http://127.0.0.1:8080/
 *
 * Checks [http] as st_api_start() will: the address, a LAN address only with TLS or
 * insecure-lan, a certificate and key that load. `station config` says it before a start.
 *
 * Returns: FALSE with ST_ERROR_INVALID_CONFIG saying what to write
 */
gboolean
st_api_check_config(const StConfig *config, gchar **url, GError **error)
{
	g_autoptr(GInetAddress) address = NULL;
	g_autoptr(GError) error_local = NULL;
	gboolean tls = config->http_certificate != NULL;
	guint port = 0;

	if (!st_api_parse_listen(config->http_listen, &address, &port, error))
		return FALSE;
	if (!g_inet_address_get_is_loopback(address) && !tls && !config->http_insecure_lan) {
		g_set_error(
			error, ST_API_ERROR, ST_ERROR_INVALID_CONFIG,
			"[http] listen %s is on the network: give [http] certificate and key "
			"(the sessions and tokens would travel in clear), or insecure-lan = yes",
			config->http_listen);
		return FALSE;
	}
	if (tls) {
		g_autoptr(GTlsCertificate) cert = g_tls_certificate_new_from_files(
			config->http_certificate, config->http_key, &error_local);
		if (cert == NULL) {
			g_set_error(error, ST_API_ERROR, ST_ERROR_INVALID_CONFIG,
				    "[http] certificate and key: %s", error_local->message);
			return FALSE;
		}
	}
	if (url != NULL) {
		g_autofree gchar *host = g_inet_address_to_string(address);
		gboolean v6 = g_inet_address_get_family(address) == G_SOCKET_FAMILY_IPV6;
		*url = g_strdup_printf("%s://%s%s%s:%u/", tls ? "https" : "http", v6 ? "[" : "",
				       host, v6 ? "]" : "", port);
	}
	return TRUE;
}

/**
 * st_api_start:
 *
 * Listens where [http] listen says. Returns: FALSE with ST_ERROR_INVALID_CONFIG for a
 * configuration that cannot be served (a LAN address without TLS and without insecure-lan),
 * ST_ERROR_IO when the address cannot be taken (a port in use)
 */
gboolean
st_api_start(StApi *self, GError **error)
{
	g_autoptr(GInetAddress) address = NULL;
	g_autoptr(GSocketAddress) socket_address = NULL;
	g_autoptr(GTlsCertificate) cert = NULL;
	g_autoptr(GError) error_local = NULL;
	gboolean tls = self->config->http_certificate != NULL;
	GSList *uris;
	guint port = 0;

	if (!st_api_check_config(self->config, NULL, error) ||
	    !st_api_parse_listen(self->config->http_listen, &address, &port, error))
		return FALSE;
	if (tls) {
		cert = g_tls_certificate_new_from_files(self->config->http_certificate,
							self->config->http_key, &error_local);
		if (cert == NULL) {
			g_set_error(error, ST_API_ERROR, ST_ERROR_INVALID_CONFIG,
				    "[http] certificate and key: %s", error_local->message);
			return FALSE;
		}
		self->server =
			soup_server_new("server-header", "station", "tls-certificate", cert, NULL);
	} else {
		self->server = soup_server_new("server-header", "station", NULL);
	}
	soup_server_add_early_handler(self->server, "/api/v1/events", st_api_ws_early_cb, self,
				      NULL);
	soup_server_add_websocket_handler(self->server, "/api/v1/events", NULL, NULL, st_api_ws_cb,
					  self, NULL);
	soup_server_add_handler(self->server, "/api/v1", st_api_handle, self, NULL);
	soup_server_add_handler(self->server, "/screen", st_api_static, self, NULL);
	soup_server_add_handler(self->server, "/", st_api_static, self, NULL);
	socket_address = g_inet_socket_address_new(address, port);
	if (!soup_server_listen(self->server, socket_address, tls ? SOUP_SERVER_LISTEN_HTTPS : 0,
				&error_local)) {
		g_set_error(error, ST_API_ERROR, ST_ERROR_IO, "[http] listen %s: %s",
			    self->config->http_listen, error_local->message);
		g_clear_object(&self->server);
		return FALSE;
	}
	uris = soup_server_get_uris(self->server);
	if (uris != NULL)
		self->uri = g_uri_to_string(uris->data);
	g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
	g_message("api: listening on %s", self->uri);
	return TRUE;
}

const gchar *
st_api_get_uri(StApi *self)
{
	return self->uri;
}

void
st_api_stop(StApi *self)
{
	for (guint i = 0; i < self->sockets->len; i++) {
		StApiSocket *s = g_ptr_array_index(self->sockets, i);
		if (soup_websocket_connection_get_state(s->conn) == SOUP_WEBSOCKET_STATE_OPEN)
			soup_websocket_connection_close(s->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
							"the station stops");
	}
	if (self->server != NULL)
		soup_server_disconnect(self->server);
	g_clear_object(&self->server);
}

static void
st_api_finalize(GObject *object)
{
	StApi *self = ST_API(object);
	st_api_stop(self);
	g_ptr_array_unref(self->sockets);
	g_hash_table_unref(self->devices);
	if (self->printing != NULL) {
		g_clear_signal_handler(&self->print_changed_id, self->printing);
		g_clear_signal_handler(&self->print_started_id, self->printing);
	}
	g_clear_object(&self->printing);
	g_hash_table_unref(self->sessions);
	g_hash_table_unref(self->buckets);
	g_clear_object(&self->store);
	g_clear_object(&self->router);
	g_free(self->uri);
	G_OBJECT_CLASS(st_api_parent_class)->finalize(object);
}

static void
st_api_class_init(StApiClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = st_api_finalize;
}

static void
st_api_init(StApi *self)
{
	self->sessions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					       (GDestroyNotify)st_api_session_free);
	self->buckets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->sockets = g_ptr_array_new_with_free_func((GDestroyNotify)st_api_socket_free);
	self->devices = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					      (GDestroyNotify)st_api_device_free);
	self->last_waiting = -1;
	self->last_parked = -1;
}
