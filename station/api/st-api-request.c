/*
 * The request bodies of the API. Each is a JSON object of at most ST_API_MAX_BODY bytes and
 * ST_API_MAX_DEPTH levels; a member the request does not know, or of the wrong type, refuses
 * the request with its name (ST_ERROR_INVALID_DATA), and nothing is done.
 */
#define G_LOG_DOMAIN "station-api"

#include <json-glib/json-glib.h>
#include <string.h>

#include "station/st-bounded.h"
#include "station/st-error.h"

#include "st-api-request.h"
#include "st-i18n.h"

void
st_api_login_clear(StApiLogin *self)
{
	g_clear_pointer(&self->badge, g_free);
	g_clear_pointer(&self->seat, g_free);
}

void
st_api_scan_clear(StApiScan *self)
{
	g_clear_pointer(&self->text, g_free);
}

/* the body as a JSON object whose members are all in @known */
static JsonObject *
st_api_object(JsonParser *parser,
	      const gchar *body,
	      gsize len,
	      const gchar *const *known,
	      GError **error)
{
	g_autoptr(GError) error_local = NULL;
	JsonNode *root;
	JsonObject *obj;
	g_autoptr(GList) names = NULL;

	if (len > ST_API_MAX_BODY) {
		g_set_error(error, ST_API_ERROR, ST_ERROR_INVALID_DATA,
			    "the body is larger than %u KiB", ST_API_MAX_BODY / 1024);
		return NULL;
	}
	if (!st_bounded_json_check(body, len, ST_API_MAX_DEPTH, &error_local) ||
	    !json_parser_load_from_data(parser, body, (gssize)len, &error_local)) {
		g_set_error(error, ST_API_ERROR, ST_ERROR_INVALID_DATA, "the body is not JSON: %s",
			    error_local->message);
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error_literal(error, ST_API_ERROR, ST_ERROR_INVALID_DATA,
				    "the body is not a JSON object");
		return NULL;
	}
	obj = json_node_get_object(root);
	names = json_object_get_members(obj);
	for (GList *l = names; l != NULL; l = l->next) {
		if (!g_strv_contains(known, l->data)) {
			g_autofree gchar *shown =
				g_utf8_make_valid(l->data, MIN(strlen(l->data), 40));
			g_set_error(error, ST_API_ERROR, ST_ERROR_INVALID_DATA,
				    "unknown member \"%s\"", shown);
			return NULL;
		}
	}
	return obj;
}

/* a string member: NULL when absent; FALSE when not a string of 1 to @max bytes */
static gboolean
st_api_string(JsonObject *obj,
	      const gchar *name,
	      gsize max,
	      gboolean required,
	      gchar **out,
	      GError **error)
{
	JsonNode *n = json_object_get_member(obj, name);
	*out = NULL;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n)) {
		if (!required)
			return TRUE;
		g_set_error(error, ST_API_ERROR, ST_ERROR_INVALID_DATA, "\"%s\" is missing", name);
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING ||
	    strlen(json_node_get_string(n)) == 0 || strlen(json_node_get_string(n)) > max) {
		g_set_error(error, ST_API_ERROR, ST_ERROR_INVALID_DATA,
			    "\"%s\" is not a string of 1 to %" G_GSIZE_FORMAT " bytes", name, max);
		return FALSE;
	}
	*out = g_strdup(json_node_get_string(n));
	return TRUE;
}

/* {"seat": "bench", "badge": "0042"} */
gboolean
st_api_parse_login(const gchar *body, gsize len, StApiLogin *login, GError **error)
{
	static const gchar *const known[] = {"seat", "badge", NULL};
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *obj = st_api_object(parser, body, len, known, error);

	memset(login, 0, sizeof(*login));
	if (obj == NULL)
		return FALSE;
	if (!st_api_string(obj, "seat", 64, TRUE, &login->seat, error) ||
	    !st_api_string(obj, "badge", 64, FALSE, &login->badge, error)) {
		st_api_login_clear(login);
		return FALSE;
	}
	return TRUE;
}

/* {"text": "4006381333931"}: a scan as a scanner would send it (at most 4096 bytes, like a
 * line of `station barcode parse`) */
gboolean
st_api_parse_scan(const gchar *body, gsize len, StApiScan *scan, GError **error)
{
	static const gchar *const known[] = {"text", NULL};
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *obj = st_api_object(parser, body, len, known, error);

	memset(scan, 0, sizeof(*scan));
	if (obj == NULL)
		return FALSE;
	return st_api_string(obj, "text", 4096, TRUE, &scan->text, error);
}

/* {"language": "zh-CN"}: one of the languages the station speaks (en, and those of
 * station/po/LINGUAS) */
gboolean
st_api_parse_language(const gchar *body, gsize len, gchar **language, GError **error)
{
	static const gchar *const known[] = {"language", NULL};
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *obj = st_api_object(parser, body, len, known, error);

	*language = NULL;
	if (obj == NULL || !st_api_string(obj, "language", 16, TRUE, language, error))
		return FALSE;
	if (!st_i18n_language_known(*language)) {
		g_set_error(error, ST_API_ERROR, ST_ERROR_INVALID_DATA,
			    "\"language\" is not one the station speaks (%s)",
			    st_i18n_describe_languages());
		g_clear_pointer(language, g_free);
		return FALSE;
	}
	return TRUE;
}

/* {"parcel": 1}: which parcel's label to print again (1 to 999; absent: the first) */
gboolean
st_api_parse_reprint(const gchar *body, gsize len, guint *parcel, GError **error)
{
	static const gchar *const known[] = {"parcel", NULL};
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *obj = NULL;
	JsonNode *n;

	*parcel = 1;
	if (len == 0)
		return TRUE;
	obj = st_api_object(parser, body, len, known, error);
	if (obj == NULL)
		return FALSE;
	n = json_object_get_member(obj, "parcel");
	if (n == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64 ||
	    json_node_get_int(n) < 1 || json_node_get_int(n) > 999) {
		g_set_error_literal(error, ST_API_ERROR, ST_ERROR_INVALID_DATA,
				    "\"parcel\" is not a whole number from 1 to 999");
		return FALSE;
	}
	*parcel = (guint)json_node_get_int(n);
	return TRUE;
}
