/*
 * `station barcode parse`: explains any scan a user pastes. Scans come from the arguments or,
 * without any, from standard input one a line; \x1d and \u001d stand for GS, and a leading
 * AIM identifier (]E0, ]C1, ...) is taken as the symbology the scanner reported.
 */
#include <stdio.h>
#include <string.h>

#define ST_BARCODE_MAX_LINE 4096

#include "st-barcode.h"
#include "st-cli.h"
#include "st-barcode-command.h"

static gboolean
st_barcode_explain(const gchar *line)
{
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	g_autoptr(StBarcode) barcode = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *symbology = NULL;
	const guint8 *data;
	gsize len;

	if (!st_barcode_unescape(line, bytes)) {
		g_print("{\"text\":null,\"valid\":false,\"reason\":\"bad escape: use \\\\x1d, "
			"\\\\u001d or \\\\\\\\\"}\n");
		return FALSE;
	}
	data = bytes->data;
	len = bytes->len;
	if (len >= 3 && data[0] == ']' && g_ascii_isalpha(data[1]) && g_ascii_isalnum(data[2])) {
		symbology = g_strndup((const gchar *)data, 3);
		data += 3;
		len -= 3;
	}
	barcode = st_barcode_parse(data, len, symbology);
	json = st_barcode_to_json(barcode);
	g_print("%s\n", json);
	return barcode->valid;
}

gint
st_cmd_barcode(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new("parse [SCAN...]");
	gboolean all_valid = TRUE;

	g_option_context_set_summary(
		context,
		"Explain scans: what kind of code each is, its normalised key, and for one\n"
		"that is not valid, why and at which character. Scans come from the\n"
		"arguments or, without any, from standard input, one a line. \\x1d or \\u001d\n"
		"stand for GS; a leading AIM identifier such as ]E0 is the symbology.\n"
		"Prints one JSON object a scan; exit status 1 if any scan is not valid.\n\n"
		"Example: station barcode parse 4006381333931 ]E001234565");
	gint rc;

	if ((rc = st_cli_parse_options(context, "barcode", &argc, &argv, -1)) >= 0)
		return rc;
	if (argc < 2 || g_strcmp0(argv[1], "parse") != 0) {
		g_printerr(
			"station barcode: the subcommand is parse (try station barcode --help)\n");
		return 2;
	}
	if (argc > 2) {
		for (gint i = 2; i < argc; i++)
			all_valid &= st_barcode_explain(argv[i]);
	} else {
		g_autoptr(GIOChannel) in = g_io_channel_unix_new(0);
		g_io_channel_set_encoding(in, NULL, NULL);
		for (;;) {
			g_autofree gchar *line = NULL;
			g_autoptr(GError) error = NULL;
			GIOStatus status = g_io_channel_read_line(in, &line, NULL, NULL, &error);
			if (status == G_IO_STATUS_EOF)
				break;
			if (status != G_IO_STATUS_NORMAL) {
				g_printerr("station barcode: reading standard input: %s\n",
					   error != NULL ? error->message : "failed");
				return ST_EXIT_FAIL;
			}
			g_strchomp(line);
			if (line[0] == '\0')
				continue;
			if (strlen(line) > ST_BARCODE_MAX_LINE) {
				/* no barcode is this long: say so rather than cut it in pieces */
				g_print("{\"text\":null,\"valid\":false,\"reason\":\"a line of %zu "
					"characters: no barcode is longer than %d\"}\n",
					strlen(line), ST_BARCODE_MAX_LINE);
				all_valid = FALSE;
				continue;
			}
			all_valid &= st_barcode_explain(line);
		}
	}
	return all_valid ? 0 : 1;
}
