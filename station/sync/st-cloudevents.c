/*
 * CloudEvents 1.0 in JSON (https://github.com/cloudevents/spec, json-format.md): each outbox
 * event becomes {specversion, id, source, type, subject, time, datacontenttype, orderseq,
 * data}; a batch is a JSON array of them. The answer is parsed defensively: it comes from
 * outside, so it is measured before it is parsed and every field is checked.
 */
#define G_LOG_DOMAIN "station-sync"

#include <json-glib/json-glib.h>
#include <string.h>

#include "station/st-bounded.h"
#include "station/st-error.h"

#include "st-cloudevents.h"

/**
 * st_cloudevents_batch:
 * @events: (element-type StOutboxEvent): from st_store_outbox_next()
 * @station_id: the station, as the events' source
 *
 * Returns: (transfer full): the body of a POST to /v1/events
 */
GBytes *
st_cloudevents_batch(GPtrArray *events, const gchar *station_id, GError **error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *source = g_strdup_printf("urn:station:%s", station_id);
	gchar *text;
	gsize len = 0;

	json_builder_begin_array(b);
	for (guint i = 0; i < events->len; i++) {
		const StOutboxEvent *e = g_ptr_array_index(events, i);
		g_autoptr(JsonParser) parser = json_parser_new();
		g_autofree gchar *type = g_strdup_printf("station.%s", e->kind);
		JsonObject *data;
		const gchar *at;

		/* the payload is the store's own JSON (CHECK json_valid), never outside bytes */
		if (!json_parser_load_from_data(parser, e->payload, -1, error) ||
		    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
			if (error != NULL && *error == NULL)
				g_set_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA,
					    "event %" G_GINT64_FORMAT " has no JSON object", e->id);
			return NULL;
		}
		data = json_node_get_object(json_parser_get_root(parser));
		at = json_object_has_member(data, "at")
			     ? json_object_get_string_member_with_default(data, "at", NULL)
			     : NULL;
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "specversion");
		json_builder_add_string_value(b, "1.0");
		json_builder_set_member_name(b, "id");
		json_builder_add_string_value(b, e->idempotency_key);
		json_builder_set_member_name(b, "source");
		json_builder_add_string_value(b, source);
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, type);
		if (e->order_number != NULL) {
			json_builder_set_member_name(b, "subject");
			json_builder_add_string_value(b, e->order_number);
		}
		if (at != NULL) {
			json_builder_set_member_name(b, "time");
			json_builder_add_string_value(b, at);
		}
		json_builder_set_member_name(b, "datacontenttype");
		json_builder_add_string_value(b, "application/json");
		if (e->order_seq > 0) {
			json_builder_set_member_name(b, "orderseq");
			json_builder_add_int_value(b, e->order_seq);
		}
		json_builder_set_member_name(b, "data");
		json_builder_add_value(b, json_node_copy(json_parser_get_root(parser)));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	text = json_to_string(root, FALSE);
	len = strlen(text);
	return g_bytes_new_take(text, len);
}

/* @text cut to at most @max bytes, at a character, as valid UTF-8 */
static gchar *
st_cloudevents_cut(const gchar *text, gsize max)
{
	/* json-glib decodes a lone surrogate escape (\\ud8d0) into bytes that are not UTF-8:
	 * what the central system sent is quoted as valid text */
	g_autofree gchar *valid = g_utf8_make_valid(text, -1);
	const gchar *end = valid;
	while (*end != '\0') {
		const gchar *next = g_utf8_next_char(end);
		if ((gsize)(next - valid) > max)
			break;
		end = next;
	}
	return g_strndup(valid, (gsize)(end - valid));
}

static void
st_event_result_free(StEventResult *self)
{
	g_free(self->reason);
	g_free(self);
}

/**
 * st_cloudevents_parse_results:
 * @body: the answer to a POST to /v1/events, as received (not NUL-terminated)
 *
 * Returns: (transfer full) (element-type utf8 StEventResult): the result of each event by its
 * id; NULL with ST_ERROR_INVALID_DATA saying what is wrong when the answer is not the
 * contract's (too large or deep, not JSON, a result without id or with an unknown status):
 * then no event counts as delivered
 */
GHashTable *
st_cloudevents_parse_results(const gchar *body, gsize len, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GHashTable) results = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
							      (GDestroyNotify)st_event_result_free);
	g_autoptr(GError) error_local = NULL;
	JsonNode *root;
	JsonNode *list;
	JsonArray *array;

	if (len > ST_CENTRAL_MAX_ANSWER) {
		g_set_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA,
			    "the answer is larger than %u MiB", ST_CENTRAL_MAX_ANSWER >> 20);
		return NULL;
	}
	if (!st_bounded_json_check(body, len, ST_CENTRAL_MAX_DEPTH, &error_local) ||
	    !json_parser_load_from_data(parser, body, (gssize)len, &error_local)) {
		/* json-glib quotes the bad bytes, which need not be UTF-8 */
		g_autofree gchar *why = g_utf8_make_valid(error_local->message, -1);
		g_set_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA,
			    "the answer is not JSON: %s", why);
		return NULL;
	}
	root = json_parser_get_root(parser);
	list = root != NULL && JSON_NODE_HOLDS_OBJECT(root)
		       ? json_object_get_member(json_node_get_object(root), "results")
		       : NULL;
	if (list == NULL || !JSON_NODE_HOLDS_ARRAY(list)) {
		g_set_error_literal(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA,
				    "the answer has no \"results\" array");
		return NULL;
	}
	array = json_node_get_array(list);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *item = json_array_get_element(array, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT(item) ? json_node_get_object(item) : NULL;
		JsonNode *id = o != NULL ? json_object_get_member(o, "id") : NULL;
		JsonNode *status = o != NULL ? json_object_get_member(o, "status") : NULL;
		JsonNode *reason = o != NULL ? json_object_get_member(o, "reason") : NULL;
		StEventResult *r;
		const gchar *s;

		if (id == NULL || !JSON_NODE_HOLDS_VALUE(id) ||
		    json_node_get_value_type(id) != G_TYPE_STRING || status == NULL ||
		    !JSON_NODE_HOLDS_VALUE(status) ||
		    json_node_get_value_type(status) != G_TYPE_STRING) {
			g_set_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA,
				    "result %u of the answer has no \"id\" and \"status\" strings",
				    i + 1);
			return NULL;
		}
		r = g_new0(StEventResult, 1);
		s = json_node_get_string(status);
		if (g_strcmp0(s, "accepted") == 0) {
			r->status = ST_EVENT_ACCEPTED;
		} else if (g_strcmp0(s, "duplicate") == 0) {
			r->status = ST_EVENT_DUPLICATE;
		} else if (g_strcmp0(s, "rejected") == 0) {
			r->status = ST_EVENT_REJECTED;
		} else {
			g_autofree gchar *shown = st_cloudevents_cut(s, 40);
			g_set_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA,
				    "result %u of the answer has status \"%s\", not accepted, "
				    "duplicate or rejected",
				    i + 1, shown);
			st_event_result_free(r);
			return NULL;
		}
		if (reason != NULL && JSON_NODE_HOLDS_VALUE(reason) &&
		    json_node_get_value_type(reason) == G_TYPE_STRING) {
			/* at most 500 bytes, cut at a character */
			r->reason = st_cloudevents_cut(json_node_get_string(reason), 500);
		}
		if (r->status == ST_EVENT_REJECTED && r->reason == NULL)
			r->reason = g_strdup("rejected without a reason");
		g_hash_table_replace(results, g_strdup(json_node_get_string(id)), r);
	}
	return g_steal_pointer(&results);
}
