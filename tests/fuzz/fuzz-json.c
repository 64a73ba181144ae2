/* Fuzz target: any bytes measured by st_bounded_json_check() before json-glib parses them,
 * as every JSON reader of the station does (templates, shipment data, and the central
 * system's answers and API requests to come). A document the check lets through never
 * nests deeper than ST_BOUNDED_JSON_DEPTH as json-glib reads it; one it refuses is refused
 * with its reason. json-glib's recursion is only ever given what the check allowed. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "station/st-bounded.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

static guint
depth_of(JsonNode *node)
{
	guint deepest = 0;
	if (JSON_NODE_HOLDS_OBJECT(node)) {
		g_autoptr(GList) members = json_object_get_values(json_node_get_object(node));
		for (GList *l = members; l != NULL; l = l->next) {
			guint d = depth_of(l->data); /* once: MAX() would call it twice */
			deepest = MAX(deepest, d);
		}
		return deepest + 1;
	}
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *a = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(a); i++) {
			guint d = depth_of(json_array_get_element(a, i));
			deepest = MAX(deepest, d);
		}
		return deepest + 1;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonParser) parser = NULL;

	if (!st_bounded_json_check((const gchar *)data, size, ST_BOUNDED_JSON_DEPTH, &error)) {
		g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, "nested deeper than"));
		return 0;
	}
	parser = json_parser_new();
	if (json_parser_load_from_data(parser, (const gchar *)data, (gssize)size, NULL) &&
	    json_parser_get_root(parser) != NULL)
		g_assert_cmpuint(depth_of(json_parser_get_root(parser)), <=, ST_BOUNDED_JSON_DEPTH);
	return 0;
}
