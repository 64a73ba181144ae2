/*
 * The orders page of the contract. Every field is checked for its type and size; an order
 * with a field that is not the contract's is returned with `unreadable` saying which, so the
 * feed goes on and the central system learns of it (an exception event), instead of one bad
 * order stopping every order after it.
 */
#define G_LOG_DOMAIN "station-sync"

#include <json-glib/json-glib.h>
#include <string.h>

#include "station/st-bounded.h"
#include "station/st-error.h"

#include "st-central-orders.h"
#include "st-cloudevents.h"

void
st_central_order_free(StCentralOrder *self)
{
	if (self == NULL)
		return;
	g_free(self->number);
	g_free(self->unreadable);
	if (self->lines != NULL)
		g_array_unref(self->lines);
	if (self->label != NULL)
		g_bytes_unref(self->label);
	g_free(self->label_format);
	if (self->strings != NULL)
		g_ptr_array_unref(self->strings);
	g_free(self);
}

/* a string member: TRUE when absent (*out NULL) or a string of at most @max bytes; FALSE
 * with @why otherwise */
static gboolean
st_central_string(StCentralOrder *o,
		  JsonObject *obj,
		  const gchar *name,
		  gsize max,
		  const gchar **out,
		  gchar **why)
{
	JsonNode *n = json_object_get_member(obj, name);
	const gchar *v;
	*out = NULL;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
		*why = g_strdup_printf("%s is not a string", name);
		return FALSE;
	}
	v = json_node_get_string(n);
	if (strlen(v) > max) {
		*why = g_strdup_printf("%s is longer than %" G_GSIZE_FORMAT " bytes", name, max);
		return FALSE;
	}
	if (v[0] == '\0')
		return TRUE;
	g_ptr_array_add(o->strings, g_strdup(v));
	*out = g_ptr_array_index(o->strings, o->strings->len - 1);
	return TRUE;
}

/* what a label file says it is: ZPL begins with ^XA or a ~ command (after blanks), PDF with
 * %PDF- */
static gboolean
st_central_label_is(const gchar *format, const guchar *bytes, gsize n)
{
	gsize at = 0;
	if (g_strcmp0(format, "pdf") == 0)
		return n >= 5 && memcmp(bytes, "%PDF-", 5) == 0;
	while (at < n && g_ascii_isspace(bytes[at]))
		at++;
	return n - at >= 3 && (memcmp(bytes + at, "^XA", 3) == 0 || bytes[at] == '~');
}

static gboolean
st_central_order_read(StCentralOrder *o, JsonObject *obj, gchar **why)
{
	const gchar *status = NULL;
	JsonNode *lines;
	JsonNode *ship = json_object_get_member(obj, "ship_to");
	JsonNode *label = json_object_get_member(obj, "label");
	const gchar *number = NULL;

	if (!st_central_string(o, obj, "number", 64, &number, why))
		return FALSE;
	if (number == NULL) {
		*why = g_strdup("no number");
		return FALSE;
	}
	o->number = g_strdup(number);
	o->spec.number = number;
	if (!st_central_string(o, obj, "status", 16, &status, why))
		return FALSE;
	if (g_strcmp0(status, "released") == 0) {
		o->spec.status = ST_ORDER_STATUS_RELEASED;
	} else if (g_strcmp0(status, "cancelled") == 0) {
		o->spec.status = ST_ORDER_STATUS_CANCELLED;
	} else {
		*why = g_strdup("status is not released or cancelled");
		return FALSE;
	}
	if (!st_central_string(o, obj, "carrier", 64, &o->spec.carrier, why) ||
	    !st_central_string(o, obj, "service_level", 64, &o->spec.service_level, why) ||
	    !st_central_string(o, obj, "tracking", 64, &o->spec.tracking, why))
		return FALSE;
	if (ship != NULL && !JSON_NODE_HOLDS_NULL(ship)) {
		JsonObject *a;
		if (!JSON_NODE_HOLDS_OBJECT(ship)) {
			*why = g_strdup("ship_to is not an object");
			return FALSE;
		}
		a = json_node_get_object(ship);
		if (!st_central_string(o, a, "name", 200, &o->ship_to.name, why) ||
		    !st_central_string(o, a, "company", 200, &o->ship_to.company, why) ||
		    !st_central_string(o, a, "street1", 200, &o->ship_to.street1, why) ||
		    !st_central_string(o, a, "street2", 200, &o->ship_to.street2, why) ||
		    !st_central_string(o, a, "city", 200, &o->ship_to.city, why) ||
		    !st_central_string(o, a, "region", 200, &o->ship_to.region, why) ||
		    !st_central_string(o, a, "postal_code", 32, &o->ship_to.postal_code, why) ||
		    !st_central_string(o, a, "country", 2, &o->ship_to.country, why) ||
		    !st_central_string(o, a, "phone", 64, &o->ship_to.phone, why) ||
		    !st_central_string(o, a, "email", 200, &o->ship_to.email, why))
			return FALSE;
		o->spec.ship_to = &o->ship_to;
	}
	lines = json_object_get_member(obj, "lines");
	if (lines == NULL || !JSON_NODE_HOLDS_ARRAY(lines)) {
		*why = g_strdup("lines is not an array");
		return FALSE;
	}
	if (json_array_get_length(json_node_get_array(lines)) > ST_CENTRAL_MAX_LINES) {
		*why = g_strdup_printf("more than %u lines", ST_CENTRAL_MAX_LINES);
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(json_node_get_array(lines)); i++) {
		JsonNode *l = json_array_get_element(json_node_get_array(lines), i);
		JsonNode *q;
		StOrderLineSpec spec = {0};
		if (!JSON_NODE_HOLDS_OBJECT(l)) {
			*why = g_strdup_printf("line %u is not an object", i + 1);
			return FALSE;
		}
		if (!st_central_string(o, json_node_get_object(l), "sku", 64, &spec.sku, why))
			return FALSE;
		q = json_object_get_member(json_node_get_object(l), "quantity");
		if (spec.sku == NULL || q == NULL || !JSON_NODE_HOLDS_VALUE(q) ||
		    json_node_get_value_type(q) != G_TYPE_INT64 || json_node_get_int(q) < 1 ||
		    json_node_get_int(q) > 1000000) {
			*why = g_strdup_printf(
				"line %u needs a sku and a quantity from 1 to 1000000", i + 1);
			return FALSE;
		}
		spec.quantity = (guint)json_node_get_int(q);
		g_array_append_val(o->lines, spec);
	}
	if (o->lines->len == 0 && o->spec.status == ST_ORDER_STATUS_RELEASED) {
		*why = g_strdup("a released order without lines");
		return FALSE;
	}
	o->spec.lines = (const StOrderLineSpec *)(gpointer)o->lines->data;
	o->spec.n_lines = o->lines->len;
	if (label != NULL && !JSON_NODE_HOLDS_NULL(label)) {
		const gchar *format = NULL, *content = NULL;
		guchar *bytes;
		gsize n = 0;
		if (!JSON_NODE_HOLDS_OBJECT(label) ||
		    !st_central_string(o, json_node_get_object(label), "format", 8, &format, why) ||
		    !st_central_string(o, json_node_get_object(label), "content_base64",
				       ST_CENTRAL_MAX_LABEL / 3 * 4 + 4, &content, why)) {
			if (*why == NULL)
				*why = g_strdup("label is not an object");
			return FALSE;
		}
		if ((g_strcmp0(format, "zpl") != 0 && g_strcmp0(format, "pdf") != 0) ||
		    content == NULL) {
			*why = g_strdup("label needs format zpl or pdf and content_base64");
			return FALSE;
		}
		if (o->spec.tracking == NULL) {
			*why = g_strdup("a label needs the tracking number it carries");
			return FALSE;
		}
		bytes = g_base64_decode(content, &n);
		if (n > ST_CENTRAL_MAX_LABEL) {
			g_free(bytes);
			*why = g_strdup("label is larger than 2 MiB");
			return FALSE;
		}
		if (!st_central_label_is(format, bytes, n)) {
			g_free(bytes);
			*why = g_strdup_printf("label is not %s", format);
			return FALSE;
		}
		o->label = g_bytes_new_take(bytes, n);
		o->label_format = g_strdup(format);
	}
	return TRUE;
}

/**
 * st_central_orders_parse:
 * @next: (out) (transfer full): the cursor to ask from next time
 * @more: (out): whether another page follows
 *
 * Returns: (transfer full) (element-type StCentralOrder): the page's orders, in its order,
 *   each readable or with the reason it is not; NULL with ST_ERROR_INVALID_DATA when the page
 *   itself is not the contract's (then nothing of it is applied, and the cursor stays)
 */
GPtrArray *
st_central_orders_parse(const gchar *body, gsize len, gchar **next, gboolean *more, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) orders =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_central_order_free);
	JsonNode *root;
	JsonObject *page;
	JsonNode *list, *cursor, *more_node;

	*next = NULL;
	*more = FALSE;
	if (len > ST_CENTRAL_MAX_ANSWER) {
		g_set_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA,
			    "the page is larger than %u MiB", ST_CENTRAL_MAX_ANSWER >> 20);
		return NULL;
	}
	if (!st_bounded_json_check(body, len, ST_CENTRAL_MAX_DEPTH, &error_local) ||
	    !json_parser_load_from_data(parser, body, (gssize)len, &error_local)) {
		g_set_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA,
			    "the page of orders is not JSON: %s", error_local->message);
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error_literal(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA,
				    "the page of orders is not an object");
		return NULL;
	}
	page = json_node_get_object(root);
	list = json_object_get_member(page, "orders");
	cursor = json_object_get_member(page, "next");
	more_node = json_object_get_member(page, "more");
	if (list == NULL || !JSON_NODE_HOLDS_ARRAY(list) || cursor == NULL ||
	    !JSON_NODE_HOLDS_VALUE(cursor) || json_node_get_value_type(cursor) != G_TYPE_STRING ||
	    strlen(json_node_get_string(cursor)) > 1024 || more_node == NULL ||
	    !JSON_NODE_HOLDS_VALUE(more_node) ||
	    json_node_get_value_type(more_node) != G_TYPE_BOOLEAN) {
		g_set_error_literal(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA,
				    "the page of orders needs \"orders\" (an array), \"next\" (a "
				    "string of at most 1024 bytes) and \"more\" (true or false)");
		return NULL;
	}
	for (guint i = 0; i < json_array_get_length(json_node_get_array(list)); i++) {
		JsonNode *item = json_array_get_element(json_node_get_array(list), i);
		StCentralOrder *o = g_new0(StCentralOrder, 1);
		gchar *why = NULL;
		o->strings = g_ptr_array_new_with_free_func(g_free);
		o->lines = g_array_new(FALSE, TRUE, sizeof(StOrderLineSpec));
		if (!JSON_NODE_HOLDS_OBJECT(item))
			why = g_strdup("not an object");
		else
			st_central_order_read(o, json_node_get_object(item), &why);
		o->unreadable = why;
		g_ptr_array_add(orders, o);
	}
	*next = g_strdup(json_node_get_string(cursor));
	*more = json_node_get_boolean(more_node);
	return g_steal_pointer(&orders);
}

/**
 * st_central_claim_holder:
 * @body: a 409's answer to a claim, {"claimed_by": "bench-7"}
 *
 * Returns: (transfer full) (nullable): the station that holds the order (UTF-8, at most 64
 *   bytes), or NULL when the answer does not say
 */
gchar *
st_central_claim_holder(const gchar *body, gsize len)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonNode *root, *holder;

	if (body == NULL || len > 65536 || !st_bounded_json_check(body, len, 8, NULL) ||
	    !json_parser_load_from_data(parser, body, (gssize)len, NULL))
		return NULL;
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		return NULL;
	holder = json_object_get_member(json_node_get_object(root), "claimed_by");
	if (holder == NULL || !JSON_NODE_HOLDS_VALUE(holder) ||
	    json_node_get_value_type(holder) != G_TYPE_STRING ||
	    strlen(json_node_get_string(holder)) > 64 ||
	    !g_utf8_validate(json_node_get_string(holder), -1, NULL))
		return NULL;
	return g_strdup(json_node_get_string(holder));
}
