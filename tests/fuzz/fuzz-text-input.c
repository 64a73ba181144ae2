/* Fuzz target: what users type or paste into the CLI: hex report lines (`station hid
 * decode`, --descriptor files, read from standard input by st_bounded_read_line with a small
 * limit and buffer here, a refused line skipped) and escaped scans (`station barcode parse`). */
#include <gio/gio.h>

#include "station/st-bounded.h"

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
	{
		/* the bytes as standard input: line by line, 4 bytes a read */
		g_autoptr(GInputStream) mem = g_memory_input_stream_new_from_data(data, size, NULL);
		g_autoptr(GInputStream) in = g_buffered_input_stream_new_sized(mem, 4);
		for (;;) {
			g_autoptr(GError) error = NULL;
			g_autofree gchar *line =
				st_bounded_read_line(G_BUFFERED_INPUT_STREAM(in), 16, &error);
			if (line != NULL) {
				g_autoptr(GByteArray) report = g_byte_array_new();
				g_assert_cmpuint(strlen(line), <=, 16);
				st_cli_parse_hex(line, report, NULL);
			} else if (g_error_matches(error, G_IO_ERROR,
						   G_IO_ERROR_MESSAGE_TOO_LARGE)) {
				g_clear_error(&error);
				if (!st_bounded_skip_line(G_BUFFERED_INPUT_STREAM(in), &error))
					break;
			} else {
				break;
			}
		}
	}
	if (st_barcode_unescape(text, scan)) {
		g_autoptr(StBarcode) b = st_barcode_parse(scan->data, scan->len, NULL);
		g_autofree gchar *json = st_barcode_to_json(b);
	}
	return 0;
}
