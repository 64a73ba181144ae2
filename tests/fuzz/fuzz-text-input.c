/* Fuzz target: what users type or paste into the CLI: hex report lines (`station hid
 * decode`, --descriptor files) and escaped scans (`station barcode parse`). */
#include "st-barcode.h"
#include "st-cli.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autofree gchar *text = g_strndup((const gchar *)data, size);
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	g_autoptr(GByteArray) scan = g_byte_array_new();

	st_cli_parse_hex(text, bytes, NULL);
	if (st_barcode_unescape(text, scan)) {
		g_autoptr(StBarcode) b = st_barcode_parse(scan->data, scan->len, NULL);
		g_autofree gchar *json = st_barcode_to_json(b);
	}
	return 0;
}
