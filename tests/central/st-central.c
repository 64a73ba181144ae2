/*
 * The reference central order system: the contract of station/sync/central-v1.yaml on its
 * own SQLite database, for the tests and `make demo` (it is not installed). It listens on
 * loopback only and says where on its first line of standard output:
 *
 *   listening on http://127.0.0.1:PORT/
 *
 * Fault injection, for the tests: POST /v1/_faults with a JSON object (every key optional):
 *   error_rate      0..1: that share of requests answered 503 (random, --seed)
 *   burst_429       the next N requests answered 429 with Retry-After: retry_after seconds
 *   retry_after     seconds for the 429 answers (default 1)
 *   delay_ms        every answer this much later
 *   drop_after_body the next N event batches are applied, then the connection is dropped
 *                   without an answer (the station must send them again: duplicates)
 *   hang_after_body the next N event batches are applied, then never answered (the
 *                   station is killed meanwhile, or gives up at its timeout)
 *   down            true: every request to /v1/events and /v1/orders answered 503
 *   reject_subjects ["ORD-1"]: events of these orders rejected ("unknown order")
 *   token           the bearer token expected from now on
 *   override        {"status": S, "content_type": T, "body": B, "size": N, "location": L}:
 *                   the next override_count requests (default 1) get this answer instead,
 *                   applying nothing (a body of N bytes of 'x' when size is given; a
 *                   Location header when location is)
 * Query, for the tests (no token): GET /v1/_query/events (what it holds, each event with its
 * deliveries), GET /v1/_query/stats. Orders to serve: POST /v1/_orders with an array of
 * orders (the contract's Order), each stored as a new version at the end of the feed; the same
 * for /v1/_products, /v1/_locations and /v1/_operators (until one of those is posted, their
 * feeds answer 404, as a central system that keeps no catalogue does).
 */
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define MAX_BODY (4 * 1024 * 1024)

typedef struct {
	sqlite3 *db;
	gchar *token;
	gchar *hmac_secret; /* (nullable): bodies must carry X-Station-Signature */
	gchar *openapi;
	GRand *rand;
	/* faults */
	gdouble error_rate;
	guint burst_429;
	guint retry_after;
	guint delay_ms;
	guint drop_after_body;
	guint hang_after_body;
	GPtrArray *hanging; /* messages never answered */
	gboolean down;
	gboolean catalogue; /* products, locations, operators offered (once one is posted) */
	gchar **reject_subjects;
	JsonObject *override;
	guint override_count;
	/* counters */
	guint requests;
	guint batches;
	guint answered_503;
	guint answered_429;
	guint dropped;
	guint hung;
} Central;

static void
exec_or_die(Central *c, const gchar *sql)
{
	gchar *err = NULL;
	if (sqlite3_exec(c->db, sql, NULL, NULL, &err) != SQLITE_OK)
		g_error("st-central: %s: %s", sql, err);
}

static void
answer_json(SoupServerMessage *msg, guint status, JsonNode *node)
{
	g_autofree gchar *text = json_to_string(node, FALSE);
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg, "application/json", SOUP_MEMORY_COPY, text,
					 strlen(text));
}

static void
answer_text(SoupServerMessage *msg, guint status, const gchar *text)
{
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg, "text/plain", SOUP_MEMORY_COPY, text, strlen(text));
}

/* with --hmac-secret: the body's HMAC-SHA256 in X-Station-Signature: sha256=HEX */
static gboolean
signed_right(Central *c, SoupServerMessage *msg)
{
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	const gchar *sig = soup_message_headers_get_one(
		soup_server_message_get_request_headers(msg), "X-Station-Signature");
	g_autoptr(GHmac) hmac = NULL;
	g_autofree gchar *want = NULL;

	if (c->hmac_secret == NULL || body->length == 0)
		return TRUE;
	hmac = g_hmac_new(G_CHECKSUM_SHA256, (const guchar *)c->hmac_secret,
			  strlen(c->hmac_secret));
	g_hmac_update(hmac, (const guchar *)body->data, (gssize)body->length);
	want = g_strdup_printf("sha256=%s", g_hmac_get_string(hmac));
	if (sig != NULL && g_strcmp0(sig, want) == 0)
		return TRUE;
	answer_text(msg, 401, "wrong or missing signature\n");
	return FALSE;
}

static gboolean
authorized(Central *c, SoupServerMessage *msg)
{
	const gchar *auth = soup_message_headers_get_one(
		soup_server_message_get_request_headers(msg), "Authorization");
	g_autofree gchar *want = g_strdup_printf("Bearer %s", c->token);
	if (auth != NULL && g_strcmp0(auth, want) == 0)
		return TRUE;
	answer_text(msg, 401, "wrong or missing token\n");
	return FALSE;
}

/* the injected faults that answer before the request is looked at: TRUE when answered */
static gboolean
fault_answered(Central *c, SoupServerMessage *msg)
{
	if (c->override != NULL && c->override_count > 0) {
		JsonObject *o = c->override;
		guint status = (guint)json_object_get_int_member_with_default(o, "status", 200);
		const gchar *type = json_object_get_string_member_with_default(o, "content_type",
									       "application/json");
		const gchar *location =
			json_object_get_string_member_with_default(o, "location", NULL);
		gint64 size = json_object_get_int_member_with_default(o, "size", -1);
		c->override_count--;
		soup_server_message_set_status(msg, status, NULL);
		if (location != NULL)
			soup_message_headers_replace(soup_server_message_get_response_headers(msg),
						     "Location", location);
		if (size >= 0) {
			gchar *big = g_malloc((gsize)size);
			memset(big, 'x', (gsize)size);
			soup_server_message_set_response(msg, type, SOUP_MEMORY_TAKE, big,
							 (gsize)size);
		} else {
			const gchar *body =
				json_object_get_string_member_with_default(o, "body", "");
			soup_server_message_set_response(msg, type, SOUP_MEMORY_COPY, body,
							 strlen(body));
		}
		return TRUE;
	}
	if (c->down || (c->error_rate > 0 && g_rand_double(c->rand) < c->error_rate)) {
		c->answered_503++;
		answer_text(msg, 503, "the central system is down (injected)\n");
		return TRUE;
	}
	if (c->burst_429 > 0) {
		g_autofree gchar *after = g_strdup_printf("%u", c->retry_after);
		c->burst_429--;
		c->answered_429++;
		soup_message_headers_replace(soup_server_message_get_response_headers(msg),
					     "Retry-After", after);
		answer_text(msg, 429, "too many requests (injected)\n");
		return TRUE;
	}
	return FALSE;
}

static const gchar *
member_string(JsonObject *o, const gchar *name)
{
	JsonNode *n = json_object_get_member(o, name);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

/* one event of a batch: its result object */
static JsonNode *
apply_event(Central *c, JsonNode *node)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	JsonObject *e = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
	const gchar *id = e != NULL ? member_string(e, "id") : NULL;
	const gchar *type = e != NULL ? member_string(e, "type") : NULL;
	const gchar *subject = e != NULL ? member_string(e, "subject") : NULL;
	const gchar *status = "accepted";
	g_autofree gchar *reason = NULL;
	sqlite3_stmt *stmt = NULL;

	if (id == NULL || type == NULL || g_strcmp0(member_string(e, "specversion"), "1.0") != 0 ||
	    json_object_get_member(e, "data") == NULL) {
		status = "rejected";
		reason = g_strdup("not a CloudEvents 1.0 event (id, type, specversion 1.0, data)");
	} else if (subject != NULL && c->reject_subjects != NULL &&
		   g_strv_contains((const gchar *const *)c->reject_subjects, subject)) {
		status = "rejected";
		reason = g_strdup_printf("order %s is unknown to the central system", subject);
	} else {
		sqlite3_prepare_v2(c->db, "SELECT 1 FROM events WHERE id = ?", -1, &stmt, NULL);
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			status = "duplicate";
		sqlite3_finalize(stmt);
		stmt = NULL;
	}
	if (g_strcmp0(status, "duplicate") == 0) {
		sqlite3_prepare_v2(c->db,
				   "UPDATE events SET deliveries = deliveries + 1 WHERE id = ?", -1,
				   &stmt, NULL);
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_step(stmt);
		sqlite3_finalize(stmt);
	} else if (g_strcmp0(status, "accepted") == 0) {
		gint64 orderseq = json_object_has_member(e, "orderseq")
					  ? json_object_get_int_member(e, "orderseq")
					  : 0;
		gint64 last = 0;
		g_autofree gchar *data = json_to_string(json_object_get_member(e, "data"), FALSE);
		if (subject != NULL) {
			sqlite3_prepare_v2(c->db,
					   "SELECT coalesce(max(orderseq), 0) FROM events WHERE "
					   "subject = ?",
					   -1, &stmt, NULL);
			sqlite3_bind_text(stmt, 1, subject, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(stmt) == SQLITE_ROW)
				last = sqlite3_column_int64(stmt, 0);
			sqlite3_finalize(stmt);
		}
		sqlite3_prepare_v2(
			c->db,
			"INSERT INTO events (id, type, subject, orderseq, data, "
			"in_order, deliveries, received_at) VALUES (?, ?, ?, ?, ?, ?, 1, "
			"strftime('%Y-%m-%dT%H:%M:%fZ'))",
			-1, &stmt, NULL);
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, type, -1, SQLITE_TRANSIENT);
		if (subject != NULL)
			sqlite3_bind_text(stmt, 3, subject, -1, SQLITE_TRANSIENT);
		if (orderseq > 0)
			sqlite3_bind_int64(stmt, 4, orderseq);
		sqlite3_bind_text(stmt, 5, data, -1, SQLITE_TRANSIENT);
		/* in order: the order's events arrive 1, 2, 3 ... with no gap */
		sqlite3_bind_int(stmt, 6, subject == NULL || orderseq == last + 1);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			g_error("st-central: storing an event: %s", sqlite3_errmsg(c->db));
		sqlite3_finalize(stmt);
	}
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_string_value(b, id != NULL ? id : "");
	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, status);
	if (reason != NULL) {
		json_builder_set_member_name(b, "reason");
		json_builder_add_string_value(b, reason);
	}
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static void
handle_events(Central *c, SoupServerMessage *msg)
{
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	const gchar *type = soup_message_headers_get_content_type(
		soup_server_message_get_request_headers(msg), NULL);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error = NULL;
	JsonArray *events;

	if (g_strcmp0(type, "application/cloudevents-batch+json") != 0) {
		answer_text(msg, 415, "the body must be application/cloudevents-batch+json\n");
		return;
	}
	if (body->length > MAX_BODY) {
		answer_text(msg, 413, "a batch is at most 4 MiB\n");
		return;
	}
	if (!json_parser_load_from_data(parser, body->data, (gssize)body->length, &error) ||
	    !JSON_NODE_HOLDS_ARRAY(json_parser_get_root(parser))) {
		answer_text(msg, 400, "the body is not a JSON array of events\n");
		return;
	}
	c->batches++;
	events = json_node_get_array(json_parser_get_root(parser));
	exec_or_die(c, "BEGIN");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "results");
	json_builder_begin_array(b);
	{
		/* after a rejected event, the later events of its order in the batch are not
		 * applied and left out of the answer (the contract's rule) */
		g_autoptr(GHashTable) held =
			g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		for (guint i = 0; i < json_array_get_length(events); i++) {
			JsonNode *e = json_array_get_element(events, i);
			const gchar *subject =
				JSON_NODE_HOLDS_OBJECT(e)
					? member_string(json_node_get_object(e), "subject")
					: NULL;
			JsonNode *result;
			if (subject != NULL && g_hash_table_contains(held, subject))
				continue;
			result = apply_event(c, e);
			if (subject != NULL &&
			    g_strcmp0(json_object_get_string_member(json_node_get_object(result),
								    "status"),
				      "rejected") == 0)
				g_hash_table_add(held, g_strdup(subject));
			json_builder_add_value(b, result);
		}
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	exec_or_die(c, "COMMIT");
	if (c->hang_after_body > 0) {
		c->hang_after_body--;
		c->hung++;
		soup_server_message_pause(msg);
		g_ptr_array_add(c->hanging, g_object_ref(msg));
		return;
	}
	if (c->drop_after_body > 0) {
		/* applied, and the answer lost: the station cannot tell, and sends again */
		g_autoptr(GIOStream) stream = NULL;
		c->drop_after_body--;
		c->dropped++;
		stream = soup_server_message_steal_connection(msg);
		g_io_stream_close(stream, NULL, NULL);
		return;
	}
	root = json_builder_get_root(b);
	answer_json(msg, 200, root);
}

/* a feed of the contract (orders, products, locations, operators): its items changed since a
 * cursor, paged */
static void
handle_feed(Central *c, SoupServerMessage *msg, GHashTable *query, const gchar *feed)
{
	const gchar *since = query != NULL ? g_hash_table_lookup(query, "since") : NULL;
	const gchar *limit_str = query != NULL ? g_hash_table_lookup(query, "limit") : NULL;
	gint64 from = since != NULL ? g_ascii_strtoll(since, NULL, 10) : 0;
	gint64 limit = limit_str != NULL ? g_ascii_strtoll(limit_str, NULL, 10) : 100;
	gint64 last = from;
	guint n = 0;
	gboolean more = FALSE;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	sqlite3_stmt *stmt = NULL;

	if (limit < 1 || limit > 1000)
		limit = 100;
	json_builder_begin_object(b);
	json_builder_set_member_name(b, feed);
	json_builder_begin_array(b);
	{
		g_autofree gchar *sql = g_strdup_printf(
			"SELECT seq, json FROM %s WHERE seq > ? ORDER BY seq LIMIT ?", feed);
		sqlite3_prepare_v2(c->db, sql, -1, &stmt, NULL);
	}
	sqlite3_bind_int64(stmt, 1, from);
	sqlite3_bind_int64(stmt, 2, limit + 1);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		g_autoptr(JsonParser) parser = json_parser_new();
		if (n == limit) {
			more = TRUE;
			break;
		}
		last = sqlite3_column_int64(stmt, 0);
		json_parser_load_from_data(parser, (const gchar *)sqlite3_column_text(stmt, 1), -1,
					   NULL);
		json_builder_add_value(b, json_node_copy(json_parser_get_root(parser)));
		n++;
	}
	sqlite3_finalize(stmt);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "next");
	{
		g_autofree gchar *next = g_strdup_printf("%" G_GINT64_FORMAT, last);
		json_builder_add_string_value(b, next);
	}
	json_builder_set_member_name(b, "more");
	json_builder_add_boolean_value(b, more);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	answer_json(msg, 200, root);
}

static void
handle_claim(Central *c, SoupServerMessage *msg, const gchar *number)
{
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	g_autoptr(JsonParser) parser = json_parser_new();
	const gchar *station = NULL;
	const gchar *holder = NULL;
	sqlite3_stmt *stmt = NULL;
	g_autofree gchar *held_by = NULL;

	if (json_parser_load_from_data(parser, body->data, (gssize)body->length, NULL) &&
	    JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
		station = member_string(json_node_get_object(json_parser_get_root(parser)),
					"station");
	if (station == NULL) {
		answer_text(msg, 400, "give {\"station\": ID}\n");
		return;
	}
	sqlite3_prepare_v2(c->db, "SELECT station FROM claims WHERE number = ?", -1, &stmt, NULL);
	sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		held_by = g_strdup((const gchar *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	holder = held_by;
	if (holder != NULL && g_strcmp0(holder, station) != 0) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		g_autoptr(JsonNode) root = NULL;
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "claimed_by");
		json_builder_add_string_value(b, holder);
		json_builder_end_object(b);
		root = json_builder_get_root(b);
		answer_json(msg, 409, root);
		return;
	}
	sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO claims (number, station) VALUES (?, ?)",
			   -1, &stmt, NULL);
	sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, station, -1, SQLITE_TRANSIENT);
	sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	answer_text(msg, 200, "claimed\n");
}

static void
handle_faults(Central *c, SoupServerMessage *msg)
{
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *o;

	if (!json_parser_load_from_data(parser, body->data, (gssize)body->length, NULL) ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		answer_text(msg, 400, "give a JSON object of faults\n");
		return;
	}
	o = json_node_get_object(json_parser_get_root(parser));
	if (json_object_has_member(o, "error_rate"))
		c->error_rate = json_object_get_double_member(o, "error_rate");
	if (json_object_has_member(o, "burst_429"))
		c->burst_429 = (guint)json_object_get_int_member(o, "burst_429");
	if (json_object_has_member(o, "retry_after"))
		c->retry_after = (guint)json_object_get_int_member(o, "retry_after");
	if (json_object_has_member(o, "delay_ms"))
		c->delay_ms = (guint)json_object_get_int_member(o, "delay_ms");
	if (json_object_has_member(o, "drop_after_body"))
		c->drop_after_body = (guint)json_object_get_int_member(o, "drop_after_body");
	if (json_object_has_member(o, "hang_after_body"))
		c->hang_after_body = (guint)json_object_get_int_member(o, "hang_after_body");
	if (json_object_has_member(o, "down"))
		c->down = json_object_get_boolean_member(o, "down");
	if (json_object_has_member(o, "token")) {
		g_free(c->token);
		c->token = g_strdup(json_object_get_string_member(o, "token"));
	}
	if (json_object_has_member(o, "override")) {
		g_clear_pointer(&c->override, json_object_unref);
		c->override = json_object_ref(json_object_get_object_member(o, "override"));
		c->override_count =
			(guint)json_object_get_int_member_with_default(o, "override_count", 1);
	}
	if (json_object_has_member(o, "reject_subjects")) {
		JsonArray *a = json_object_get_array_member(o, "reject_subjects");
		g_strfreev(c->reject_subjects);
		c->reject_subjects = g_new0(gchar *, json_array_get_length(a) + 1);
		for (guint i = 0; i < json_array_get_length(a); i++)
			c->reject_subjects[i] = g_strdup(json_array_get_string_element(a, i));
	}
	answer_text(msg, 200, "faults set\n");
}

/* items put at the end of a feed: each a new version, keyed by @key (its number, SKU, code
 * or badge) */
static void
add_items(Central *c, const gchar *feed, const gchar *key, JsonArray *items)
{
	if (g_strcmp0(feed, "orders") != 0)
		c->catalogue = TRUE;
	exec_or_die(c, "BEGIN");
	for (guint i = 0; i < json_array_get_length(items); i++) {
		JsonNode *item = json_array_get_element(items, i);
		g_autofree gchar *text = json_to_string(item, FALSE);
		const gchar *number = JSON_NODE_HOLDS_OBJECT(item)
					      ? member_string(json_node_get_object(item), key)
					      : NULL;
		sqlite3_stmt *stmt = NULL;
		if (number == NULL)
			continue;
		/* a new version at the end of the feed: the old one leaves it */
		g_autofree gchar *del = g_strdup_printf("DELETE FROM %s WHERE number = ?", feed);
		g_autofree gchar *ins =
			g_strdup_printf("INSERT INTO %s (number, json) VALUES (?, ?)", feed);
		sqlite3_prepare_v2(c->db, del, -1, &stmt, NULL);
		sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
		sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		sqlite3_prepare_v2(c->db, ins, -1, &stmt, NULL);
		sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, text, -1, SQLITE_TRANSIENT);
		sqlite3_step(stmt);
		sqlite3_finalize(stmt);
	}
	exec_or_die(c, "COMMIT");
}

static void
handle_add(Central *c, SoupServerMessage *msg, const gchar *feed, const gchar *key)
{
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	g_autoptr(JsonParser) parser = json_parser_new();

	if (!json_parser_load_from_data(parser, body->data, (gssize)body->length, NULL) ||
	    !JSON_NODE_HOLDS_ARRAY(json_parser_get_root(parser))) {
		answer_text(msg, 400, "give a JSON array\n");
		return;
	}
	add_items(c, feed, key, json_node_get_array(json_parser_get_root(parser)));
	answer_text(msg, 200, "stored\n");
}

static void
handle_query_events(Central *c, SoupServerMessage *msg)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	sqlite3_stmt *stmt = NULL;

	json_builder_begin_array(b);
	sqlite3_prepare_v2(c->db,
			   "SELECT id, type, subject, orderseq, deliveries, in_order, data FROM "
			   "events ORDER BY rowid",
			   -1, &stmt, NULL);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_string_value(b, (const gchar *)sqlite3_column_text(stmt, 0));
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, (const gchar *)sqlite3_column_text(stmt, 1));
		json_builder_set_member_name(b, "subject");
		if (sqlite3_column_type(stmt, 2) == SQLITE_NULL)
			json_builder_add_null_value(b);
		else
			json_builder_add_string_value(b,
						      (const gchar *)sqlite3_column_text(stmt, 2));
		json_builder_set_member_name(b, "orderseq");
		json_builder_add_int_value(b, sqlite3_column_int64(stmt, 3));
		json_builder_set_member_name(b, "deliveries");
		json_builder_add_int_value(b, sqlite3_column_int64(stmt, 4));
		json_builder_set_member_name(b, "in_order");
		json_builder_add_boolean_value(b, sqlite3_column_int(stmt, 5) != 0);
		json_builder_end_object(b);
	}
	sqlite3_finalize(stmt);
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	answer_json(msg, 200, root);
}

static void
handle_query_stats(Central *c, SoupServerMessage *msg)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "requests");
	json_builder_add_int_value(b, c->requests);
	json_builder_set_member_name(b, "batches");
	json_builder_add_int_value(b, c->batches);
	json_builder_set_member_name(b, "answered_503");
	json_builder_add_int_value(b, c->answered_503);
	json_builder_set_member_name(b, "answered_429");
	json_builder_add_int_value(b, c->answered_429);
	json_builder_set_member_name(b, "dropped");
	json_builder_add_int_value(b, c->dropped);
	json_builder_set_member_name(b, "hung");
	json_builder_add_int_value(b, c->hung);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	answer_json(msg, 200, root);
}

/*
 * --control-stdin: what `station demo` (which has no HTTP client of its own) tells the
 * central system, one command a line on standard input:
 *   orders|products|locations|operators JSON-ARRAY   as POST /v1/_orders ...: stored
 *   stats   one JSON line on standard output: the events held, how many came more than once
 *           or out of their order's sequence, the batches and requests answered
 * Each command is answered with one line on standard output ("stored", or the stats).
 * The end of standard input stops the server.
 */
typedef struct {
	Central *c;
	GDataInputStream *in;
	GMainLoop *loop;
} Control;

static void
control_stats(Central *c)
{
	sqlite3_stmt *stmt = NULL;
	gint64 events = 0, repeated = 0, out_of_order = 0;
	sqlite3_prepare_v2(c->db,
			   "SELECT count(*), coalesce(sum(deliveries > 1), 0), "
			   "coalesce(sum(NOT in_order), 0) FROM events",
			   -1, &stmt, NULL);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		events = sqlite3_column_int64(stmt, 0);
		repeated = sqlite3_column_int64(stmt, 1);
		out_of_order = sqlite3_column_int64(stmt, 2);
	}
	sqlite3_finalize(stmt);
	g_print("{\"events\": %" G_GINT64_FORMAT ", \"delivered_more_than_once\": %" G_GINT64_FORMAT
		", \"out_of_order\": %" G_GINT64_FORMAT ", \"batches\": %u, \"requests\": %u}\n",
		events, repeated, out_of_order, c->batches, c->requests);
}

static void
control_line_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Control *ctl = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *line = g_data_input_stream_read_line_finish(ctl->in, res, NULL, &error);
	static const struct {
		const gchar *feed, *key;
	} feeds[] = {{"orders", "number"},
		     {"products", "sku"},
		     {"locations", "code"},
		     {"operators", "badge"}};

	if (line == NULL) {
		g_main_loop_quit(ctl->loop); /* the demo is gone */
		return;
	}
	if (g_strcmp0(line, "stats") == 0) {
		control_stats(ctl->c);
	} else {
		gboolean done = FALSE;
		for (guint i = 0; i < G_N_ELEMENTS(feeds) && !done; i++) {
			gsize n = strlen(feeds[i].feed);
			g_autoptr(JsonParser) parser = json_parser_new();
			if (strncmp(line, feeds[i].feed, n) != 0 || line[n] != ' ')
				continue;
			done = TRUE;
			if (!json_parser_load_from_data(parser, line + n + 1, -1, NULL) ||
			    !JSON_NODE_HOLDS_ARRAY(json_parser_get_root(parser))) {
				g_print("error: give a JSON array\n");
				break;
			}
			add_items(ctl->c, feeds[i].feed, feeds[i].key,
				  json_node_get_array(json_parser_get_root(parser)));
			g_print("stored\n");
		}
		if (!done)
			g_print("error: orders|products|locations|operators JSON, or stats\n");
	}
	fflush(stdout);
	g_data_input_stream_read_line_async(ctl->in, G_PRIORITY_DEFAULT, NULL, control_line_cb,
					    ctl);
}

static gboolean
unpause_cb(gpointer data)
{
	SoupServerMessage *msg = data;
	soup_server_message_unpause(msg);
	g_object_unref(msg);
	return G_SOURCE_REMOVE;
}

static void
handle(SoupServer *server,
       SoupServerMessage *msg,
       const char *path,
       GHashTable *query,
       gpointer user_data)
{
	Central *c = user_data;
	const gchar *method = soup_server_message_get_method(msg);

	c->requests++;
	/* the test's own doors: no token, no faults */
	if (g_strcmp0(path, "/v1/_faults") == 0 && g_strcmp0(method, "POST") == 0) {
		handle_faults(c, msg);
		return;
	}
	if (g_strcmp0(path, "/v1/_orders") == 0 && g_strcmp0(method, "POST") == 0) {
		handle_add(c, msg, "orders", "number");
		return;
	}
	if (g_strcmp0(path, "/v1/_products") == 0 && g_strcmp0(method, "POST") == 0) {
		handle_add(c, msg, "products", "sku");
		return;
	}
	if (g_strcmp0(path, "/v1/_locations") == 0 && g_strcmp0(method, "POST") == 0) {
		handle_add(c, msg, "locations", "code");
		return;
	}
	if (g_strcmp0(path, "/v1/_operators") == 0 && g_strcmp0(method, "POST") == 0) {
		handle_add(c, msg, "operators", "badge");
		return;
	}
	if (g_strcmp0(path, "/v1/_query/events") == 0) {
		handle_query_events(c, msg);
		return;
	}
	if (g_strcmp0(path, "/v1/_query/stats") == 0) {
		handle_query_stats(c, msg);
		return;
	}
	if (g_strcmp0(path, "/v1/openapi.yaml") == 0) {
		g_autofree gchar *text = NULL;
		gsize len = 0;
		if (c->openapi == NULL || !g_file_get_contents(c->openapi, &text, &len, NULL)) {
			answer_text(msg, 404, "no contract given (--openapi)\n");
			return;
		}
		soup_server_message_set_status(msg, 200, NULL);
		soup_server_message_set_response(msg, "application/yaml", SOUP_MEMORY_COPY, text,
						 len);
		return;
	}
	if (c->delay_ms > 0) {
		soup_server_message_pause(msg);
		g_timeout_add(c->delay_ms, unpause_cb, g_object_ref(msg));
	}
	if (fault_answered(c, msg))
		return;
	if (!authorized(c, msg) || !signed_right(c, msg))
		return;
	if (g_strcmp0(path, "/v1/events") == 0 && g_strcmp0(method, "POST") == 0) {
		handle_events(c, msg);
		return;
	}
	if ((g_strcmp0(path, "/v1/orders") == 0 || g_strcmp0(path, "/v1/products") == 0 ||
	     g_strcmp0(path, "/v1/locations") == 0 || g_strcmp0(path, "/v1/operators") == 0) &&
	    g_strcmp0(method, "GET") == 0) {
		const gchar *feed = path + strlen("/v1/");
		/* a central system that keeps no catalogue answers 404 to those feeds */
		if (g_strcmp0(feed, "orders") != 0 && !c->catalogue) {
			answer_text(msg, 404, "this central system keeps no catalogue\n");
			return;
		}
		handle_feed(c, msg, query, feed);
		return;
	}
	if (g_str_has_prefix(path, "/v1/orders/") && g_str_has_suffix(path, "/claim") &&
	    g_strcmp0(method, "POST") == 0) {
		g_autofree gchar *number =
			g_strndup(path + strlen("/v1/orders/"),
				  strlen(path) - strlen("/v1/orders/") - strlen("/claim"));
		handle_claim(c, msg, number);
		return;
	}
	answer_text(msg, 404, "no such path in the contract\n");
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
	g_autofree gchar *db_path = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *openapi = NULL;
	g_autofree gchar *hmac_secret = NULL;
	g_autofree gchar *tls_cert = NULL;
	g_autofree gchar *tls_key = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(SoupServer) server = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	GSList *uris;
	gint port = 0;
	gint seed = 1;
	gboolean control_stdin = FALSE;
	Control ctl = {NULL};
	Central c = {.retry_after = 1};
	GOptionEntry entries[] = {
		{"db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "SQLite file (default: in memory)",
		 "FILE"},
		{"port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (default: any free)",
		 "N"},
		{"token", 0, 0, G_OPTION_ARG_STRING, &token, "The bearer token expected", "TOKEN"},
		{"openapi", 0, 0, G_OPTION_ARG_FILENAME, &openapi,
		 "The contract to serve at /v1/openapi.yaml", "FILE"},
		{"seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the injected error rate", "N"},
		{"hmac-secret", 0, 0, G_OPTION_ARG_STRING, &hmac_secret,
		 "Check each body's X-Station-Signature with this secret", "SECRET"},
		{"tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
		 "Serve HTTPS with this certificate (PEM)", "FILE"},
		{"tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "Its private key (PEM)", "FILE"},
		{"control-stdin", 0, 0, G_OPTION_ARG_NONE, &control_stdin,
		 "Take commands on standard input (the demo's): FEED JSON-ARRAY, stats", NULL},
		{NULL}};

	g_option_context_set_summary(context, "The reference central order system of station's "
					      "tests and demo (station/sync/central-v1.yaml).");
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("st-central: %s\n", error->message);
		return 2;
	}
	c.token = g_strdup(token != NULL ? token : "test-token");
	c.openapi = g_steal_pointer(&openapi);
	c.rand = g_rand_new_with_seed((guint32)seed);
	c.hanging = g_ptr_array_new_with_free_func(g_object_unref);
	if (sqlite3_open(db_path != NULL ? db_path : ":memory:", &c.db) != SQLITE_OK)
		g_error("st-central: cannot open %s", db_path);
	exec_or_die(&c,
		    "PRAGMA journal_mode = WAL;"
		    "CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, type TEXT, "
		    "subject TEXT, orderseq INTEGER, data TEXT, in_order INTEGER, "
		    "deliveries INTEGER, received_at TEXT);"
		    "CREATE INDEX IF NOT EXISTS events_subject ON events(subject, orderseq);"
		    "CREATE TABLE IF NOT EXISTS orders (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
		    "number TEXT UNIQUE, json TEXT);"
		    "CREATE TABLE IF NOT EXISTS claims (number TEXT PRIMARY KEY, station TEXT);"
		    "CREATE TABLE IF NOT EXISTS products (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
		    "number TEXT UNIQUE, json TEXT);"
		    "CREATE TABLE IF NOT EXISTS locations (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
		    "number TEXT UNIQUE, json TEXT);"
		    "CREATE TABLE IF NOT EXISTS operators (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
		    "number TEXT UNIQUE, json TEXT);");
	c.hmac_secret = g_steal_pointer(&hmac_secret);
	if (tls_cert != NULL) {
		g_autoptr(GTlsCertificate) cert =
			g_tls_certificate_new_from_files(tls_cert, tls_key, &error);
		if (cert == NULL) {
			g_printerr("st-central: %s\n", error->message);
			return 1;
		}
		server = soup_server_new("server-header", "st-central", "tls-certificate", cert,
					 NULL);
	} else {
		server = soup_server_new("server-header", "st-central", NULL);
	}
	soup_server_add_handler(server, NULL, handle, &c, NULL);
	if (!soup_server_listen_local(server, (guint)port,
				      SOUP_SERVER_LISTEN_IPV4_ONLY |
					      (tls_cert != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0),
				      &error)) {
		g_printerr("st-central: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
		return 1;
	}
	uris = soup_server_get_uris(server);
	{
		g_autofree gchar *uri = g_uri_to_string(uris->data);
		g_print("listening on %s\n", uri);
		fflush(stdout);
	}
	g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
	g_unix_signal_add(SIGTERM, quit_cb, loop);
	g_unix_signal_add(SIGINT, quit_cb, loop);
	if (control_stdin) {
		g_autoptr(GInputStream) in = g_unix_input_stream_new(0, FALSE);
		ctl.c = &c;
		ctl.loop = loop;
		ctl.in = g_data_input_stream_new(in);
		g_data_input_stream_read_line_async(ctl.in, G_PRIORITY_DEFAULT, NULL,
						    control_line_cb, &ctl);
	}
	g_main_loop_run(loop);
	g_clear_object(&ctl.in);
	sqlite3_close(c.db);
	g_free(c.token);
	g_free(c.hmac_secret);
	g_free(c.openapi);
	g_strfreev(c.reject_subjects);
	g_rand_free(c.rand);
	g_ptr_array_unref(c.hanging);
	return 0;
}
