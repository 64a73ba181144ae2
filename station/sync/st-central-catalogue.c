/*
 * Pages of products, locations and operators from the central system. The same paging as the
 * orders ({"products": [...], "next": CURSOR, "more": BOOL}); each item is what the CSV import
 * of its kind takes (README.md, "Inventory"), as JSON.
 */
#define G_LOG_DOMAIN "station-sync"

#include <json-glib/json-glib.h>
#include <string.h>

#include "station/st-bounded.h"
#include "station/st-error.h"

#include "st-central-catalogue.h"
#include "st-cloudevents.h"

static const gchar *const kind_names[] = {"products", "locations", "operators"};

const gchar *
st_catalogue_kind_to_string(StCatalogueKind kind)
{
	return kind_names[kind];
}

void
st_catalogue_item_free(StCatalogueItem *self)
{
	if (self == NULL)
		return;
	g_free(self->key);
	g_free(self->unreadable);
	if (self->strings != NULL)
		g_ptr_array_unref(self->strings);
	if (self->barcodes != NULL)
		g_ptr_array_unref(self->barcodes);
	g_free(self);
}

/* a string member, absent or of at most @max bytes */
static gboolean
st_catalogue_string(StCatalogueItem *item,
		    JsonObject *obj,
		    const gchar *name,
		    gsize max,
		    const gchar **out,
		    gchar **why)
{
	JsonNode *n = json_object_get_member(obj, name);
	*out = NULL;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING ||
	    strlen(json_node_get_string(n)) > max) {
		*why = g_strdup_printf("%s is not a string of at most %" G_GSIZE_FORMAT " bytes",
				       name, max);
		return FALSE;
	}
	if (json_node_get_string(n)[0] == '\0')
		return TRUE;
	g_ptr_array_add(item->strings, g_strdup(json_node_get_string(n)));
	*out = g_ptr_array_index(item->strings, item->strings->len - 1);
	return TRUE;
}

/* a whole-number member, absent (0) or from 0 to @max */
static gboolean
st_catalogue_uint(JsonObject *obj, const gchar *name, gint64 max, guint *out, gchar **why)
{
	JsonNode *n = json_object_get_member(obj, name);
	*out = 0;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64 ||
	    json_node_get_int(n) < 0 || json_node_get_int(n) > max) {
		*why = g_strdup_printf("%s is not a whole number from 0 to %" G_GINT64_FORMAT, name,
				       max);
		return FALSE;
	}
	*out = (guint)json_node_get_int(n);
	return TRUE;
}

static gboolean
st_catalogue_bool(JsonObject *obj, const gchar *name, gboolean *out, gchar **why)
{
	JsonNode *n = json_object_get_member(obj, name);
	*out = FALSE;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_BOOLEAN) {
		*why = g_strdup_printf("%s is not true or false", name);
		return FALSE;
	}
	*out = json_node_get_boolean(n);
	return TRUE;
}

static gboolean
st_catalogue_product(StCatalogueItem *it, JsonObject *o, gchar **why)
{
	StProductSpec *p = &it->product;
	JsonNode *codes = json_object_get_member(o, "barcodes");

	if (!st_catalogue_string(it, o, "sku", 64, &p->sku, why) ||
	    !st_catalogue_string(it, o, "name", 200, &p->name, why) ||
	    !st_catalogue_string(it, o, "uom", 16, &p->uom, why) ||
	    !st_catalogue_string(it, o, "hs_code", 10, &p->hs_code, why) ||
	    !st_catalogue_string(it, o, "origin_country", 2, &p->origin_country, why) ||
	    !st_catalogue_uint(o, "weight_g", 10000000, &p->weight_g, why) ||
	    !st_catalogue_uint(o, "weight_tolerance_g", 1000000, &p->weight_tolerance_g, why) ||
	    !st_catalogue_uint(o, "length_mm", 100000, &p->length_mm, why) ||
	    !st_catalogue_uint(o, "width_mm", 100000, &p->width_mm, why) ||
	    !st_catalogue_uint(o, "height_mm", 100000, &p->height_mm, why) ||
	    !st_catalogue_bool(o, "track_lot", &p->track_lot, why) ||
	    !st_catalogue_bool(o, "track_serial", &p->track_serial, why) ||
	    !st_catalogue_bool(o, "track_expiry", &p->track_expiry, why) ||
	    !st_catalogue_bool(o, "hazmat", &p->hazmat, why) ||
	    !st_catalogue_bool(o, "fragile", &p->fragile, why))
		return FALSE;
	{
		/* one unit's value for customs declarations, in [customs] currency's cents */
		guint cents = 0;
		if (!st_catalogue_uint(o, "customs_value_cents", 100000000, &cents, why))
			return FALSE;
		p->customs_value_cents = cents;
	}
	if (p->sku == NULL || p->name == NULL) {
		*why = g_strdup("a product needs sku and name");
		return FALSE;
	}
	it->key = g_strdup(p->sku);
	it->barcodes = g_ptr_array_new();
	if (codes != NULL && !JSON_NODE_HOLDS_NULL(codes)) {
		JsonArray *a;
		if (!JSON_NODE_HOLDS_ARRAY(codes) ||
		    json_array_get_length(json_node_get_array(codes)) > 100) {
			*why = g_strdup("barcodes is not an array of at most 100 strings");
			return FALSE;
		}
		a = json_node_get_array(codes);
		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonNode *c = json_array_get_element(a, i);
			if (!JSON_NODE_HOLDS_VALUE(c) ||
			    json_node_get_value_type(c) != G_TYPE_STRING ||
			    strlen(json_node_get_string(c)) > 64 ||
			    json_node_get_string(c)[0] == '\0') {
				*why = g_strdup_printf(
					"barcode %u is not a string of 1 to 64 bytes", i + 1);
				return FALSE;
			}
			g_ptr_array_add(it->strings, g_strdup(json_node_get_string(c)));
			g_ptr_array_add(it->barcodes,
					g_ptr_array_index(it->strings, it->strings->len - 1));
		}
	}
	g_ptr_array_add(it->barcodes, NULL);
	p->barcodes = (const gchar *const *)it->barcodes->pdata;
	return TRUE;
}

static gboolean
st_catalogue_location(StCatalogueItem *it, JsonObject *o, gchar **why)
{
	StLocationSpec *l = &it->location;
	if (!st_catalogue_string(it, o, "code", 64, &l->code, why) ||
	    !st_catalogue_string(it, o, "barcode", 64, &l->barcode, why) ||
	    !st_catalogue_string(it, o, "kind", 16, &l->kind, why) ||
	    !st_catalogue_string(it, o, "warehouse", 64, &l->warehouse, why) ||
	    !st_catalogue_string(it, o, "zone", 64, &l->zone, why) ||
	    !st_catalogue_string(it, o, "aisle", 64, &l->aisle, why) ||
	    !st_catalogue_string(it, o, "bay", 64, &l->bay, why) ||
	    !st_catalogue_string(it, o, "level", 64, &l->level, why) ||
	    !st_catalogue_string(it, o, "bin", 64, &l->bin, why) ||
	    !st_catalogue_uint(o, "pick_sequence", G_MAXUINT32, &l->pick_sequence, why) ||
	    !st_catalogue_bool(o, "allow_negative", &l->allow_negative, why))
		return FALSE;
	if (l->code == NULL) {
		*why = g_strdup("a location needs code");
		return FALSE;
	}
	it->key = g_strdup(l->code);
	return TRUE;
}

static gboolean
st_catalogue_operator(StCatalogueItem *it, JsonObject *o, gchar **why)
{
	StOperatorSpec *op = &it->op;
	const gchar *role = NULL;
	if (!st_catalogue_string(it, o, "badge", 64, &op->badge, why) ||
	    !st_catalogue_string(it, o, "name", 200, &op->name, why) ||
	    !st_catalogue_string(it, o, "role", 16, &role, why) ||
	    !st_catalogue_string(it, o, "language", 16, &op->language, why))
		return FALSE;
	if (op->badge == NULL || op->name == NULL ||
	    !st_operator_role_from_string(role, &op->role)) {
		*why = g_strdup("an operator needs badge, name and role (packer, picker or lead)");
		return FALSE;
	}
	it->key = g_strdup(op->badge);
	return TRUE;
}

/**
 * st_central_catalogue_parse:
 * @next: (out) (transfer full): the cursor to ask from next time
 * @more: (out): whether another page follows
 *
 * Returns: (transfer full) (element-type StCatalogueItem): the page's items, each readable
 *   or with why not; NULL with ST_ERROR_INVALID_DATA when the page is not the contract's
 */
GPtrArray *
st_central_catalogue_parse(StCatalogueKind kind,
			   const gchar *body,
			   gsize len,
			   gchar **next,
			   gboolean *more,
			   GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) items =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_catalogue_item_free);
	const gchar *name = kind_names[kind];
	JsonNode *root, *list, *cursor, *more_node;
	JsonObject *page;

	*next = NULL;
	*more = FALSE;
	if (len > ST_CENTRAL_MAX_ANSWER ||
	    !st_bounded_json_check(body, len, ST_CENTRAL_MAX_DEPTH, &error_local) ||
	    !json_parser_load_from_data(parser, body, (gssize)len, &error_local)) {
		g_set_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA,
			    "the page of %s is not JSON of at most 16 MiB: %s", name,
			    error_local != NULL ? error_local->message : "too large");
		return NULL;
	}
	root = json_parser_get_root(parser);
	page = root != NULL && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
	list = page != NULL ? json_object_get_member(page, name) : NULL;
	cursor = page != NULL ? json_object_get_member(page, "next") : NULL;
	more_node = page != NULL ? json_object_get_member(page, "more") : NULL;
	if (list == NULL || !JSON_NODE_HOLDS_ARRAY(list) || cursor == NULL ||
	    !JSON_NODE_HOLDS_VALUE(cursor) || json_node_get_value_type(cursor) != G_TYPE_STRING ||
	    strlen(json_node_get_string(cursor)) > 1024 || more_node == NULL ||
	    !JSON_NODE_HOLDS_VALUE(more_node) ||
	    json_node_get_value_type(more_node) != G_TYPE_BOOLEAN) {
		g_set_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA,
			    "the page of %s needs \"%s\" (an array), \"next\" (a string of at most "
			    "1024 bytes) and \"more\" (true or false)",
			    name, name);
		return NULL;
	}
	for (guint i = 0; i < json_array_get_length(json_node_get_array(list)); i++) {
		JsonNode *n = json_array_get_element(json_node_get_array(list), i);
		StCatalogueItem *it = g_new0(StCatalogueItem, 1);
		gchar *why = NULL;
		it->kind = kind;
		it->strings = g_ptr_array_new_with_free_func(g_free);
		if (!JSON_NODE_HOLDS_OBJECT(n))
			why = g_strdup("not an object");
		else if (kind == ST_CATALOGUE_PRODUCTS)
			st_catalogue_product(it, json_node_get_object(n), &why);
		else if (kind == ST_CATALOGUE_LOCATIONS)
			st_catalogue_location(it, json_node_get_object(n), &why);
		else
			st_catalogue_operator(it, json_node_get_object(n), &why);
		it->unreadable = why;
		g_ptr_array_add(items, it);
	}
	*next = g_strdup(json_node_get_string(cursor));
	*more = json_node_get_boolean(more_node);
	return g_steal_pointer(&items);
}
