/* Fuzz target: barcode interpretation of any bytes, with and without an AIM identifier
 * (first byte's bit 0: "]E0"), with or without the default station patterns (bit 1), with
 * every courier listed in [barcodes] couriers (bit 2: numbers without a check digit taken),
 * and its JSON form. Every result must be consistent: a valid result has no reason, an
 * invalid one has one, a tracking number has its carrier, and its tracking page holds the
 * number. The JSON (written by hand, st_barcode_append_json) must read back with json-glib
 * to the same text, kind and validity. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "st-barcode.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	static StBarcodePatterns *patterns = NULL;
	static StBarcodePatterns *listed = NULL;
	g_autoptr(StBarcode) b = NULL;
	g_autofree gchar *json = NULL;

	if (size < 1)
		return 0;
	if (patterns == NULL) {
		patterns = st_barcode_patterns_new();
		listed = st_barcode_patterns_new();
		g_assert(st_barcode_patterns_set_couriers(
			listed,
			"amazon,canada_post,canpar,dhl,dpd,fedex,gofo,landmark,lasership,"
			"old_dominion,ontrac,purolator,s10,speedee,ups,usps,yodel,yunexpress",
			NULL));
	}
	b = st_barcode_parse_full((data[0] & 4)	  ? listed
				  : (data[0] & 2) ? patterns
						  : NULL,
				  data + 1, size - 1, (data[0] & 1) ? "]E0" : NULL,
				  ST_BARCODE_INPUT_SCAN);
	json = st_barcode_to_json(b);
	g_assert(json != NULL);
	{
		/* as `station barcode parse` writes it: a scan's bytes that are not UTF-8 are
		 * shown as U+FFFD */
		g_autofree gchar *valid = g_utf8_make_valid(json, -1);
		g_autofree gchar *text = g_utf8_make_valid(b->text, -1);
		g_autoptr(JsonParser) parser = json_parser_new();
		JsonObject *o;
		g_assert(json_parser_load_from_data(parser, valid, -1, NULL));
		o = json_node_get_object(json_parser_get_root(parser));
		g_assert(o != NULL);
		g_assert_cmpstr(json_object_get_string_member(o, "text"), ==, text);
		g_assert_cmpstr(json_object_get_string_member(o, "kind"), ==,
				st_barcode_kind_to_string(b->kind));
		g_assert(json_object_get_boolean_member(o, "valid") == b->valid);
		g_assert(b->reason == NULL ||
			 g_strcmp0(json_object_get_string_member(o, "reason"), b->reason) == 0 ||
			 !g_utf8_validate(b->reason, -1, NULL));
	}
	g_assert(b->valid == (b->reason == NULL));
	g_assert(b->kind != ST_BARCODE_KIND_TRACKING || b->carrier != NULL);
	g_assert(!b->valid || b->kind == ST_BARCODE_KIND_UNKNOWN ||
		 b->kind == ST_BARCODE_KIND_GS1 || b->key != NULL);
	g_assert(b->tracking_url == NULL || (b->key != NULL && strstr(b->tracking_url, b->key)));
	return 0;
}
