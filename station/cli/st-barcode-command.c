/*
 * `station barcode parse`: explains any scan a user pastes. Scans come from the arguments or,
 * without any, from standard input one a line; \x1d and \u001d stand for GS, and a leading
 * AIM identifier (]E0, ]C1, ...) is taken as the symbology the scanner reported.
 * `station barcode make`: GS1 element strings, bracketed text, scan data and Digital Link URIs
 * from AI values.
 */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <gio/gunixinputstream.h>

#define ST_BARCODE_MAX_LINE 4096

#include "st-barcode.h"
#include "st-couriers.h"
#include "st-cli.h"
#include "st-config.h"
#include "st-barcode-command.h"

/* the answers so far, written at once: valid UTF-8 (a scan's bytes that are not are shown
 * as U+FFFD), then emptied */
static void
st_barcode_flush(GString *out)
{
	if (g_utf8_validate_len(out->str, out->len, NULL)) {
		fwrite(out->str, 1, out->len, stdout);
	} else {
		g_autofree gchar *valid = g_utf8_make_valid(out->str, (gssize)out->len);
		fputs(valid, stdout);
	}
	fflush(stdout);
	g_string_truncate(out, 0);
}

/* one scan explained: its JSON line appended to @out */
static gboolean
st_barcode_explain(const StBarcodePatterns *patterns,
		   const gchar *line,
		   StBarcodeInput input,
		   GString *out)
{
	g_autoptr(GByteArray) bytes = g_byte_array_sized_new(64);
	g_autoptr(StBarcode) barcode = NULL;
	gchar symbology[4] = "";
	const guint8 *data;
	gsize len;

	if (!st_barcode_unescape(line, bytes)) {
		g_string_append(out, "{\"text\":null,\"valid\":false,\"reason\":\"bad escape: use "
				     "\\\\x1d, \\\\u001d or \\\\\\\\\"}\n");
		return FALSE;
	}
	data = bytes->data;
	len = bytes->len;
	if (input == ST_BARCODE_INPUT_SCAN && len >= 3 && data[0] == ']' &&
	    g_ascii_isalpha(data[1]) && g_ascii_isalnum(data[2])) {
		memcpy(symbology, data, 3);
		data += 3;
		len -= 3;
	}
	barcode = st_barcode_parse_full(patterns, data, len,
					symbology[0] != '\0' ? symbology : NULL, input);
	st_barcode_append_json(barcode, out);
	g_string_append_c(out, '\n');
	return barcode->valid;
}

/* `station barcode make (01)...(10)...` or `--ai 01=... --ai 10=...` */
static gint
st_cmd_barcode_make(const gchar *bracketed, gchar **ais, const gchar *stem, const gchar *aim)
{
	g_autoptr(GString) text = g_string_new(bracketed);
	g_autoptr(StGs1Message) msg = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *es = NULL;
	g_autofree gchar *es_caret = NULL;
	g_autofree gchar *br = NULL;
	g_autofree gchar *dl = NULL;
	StGs1Options opts;
	StGs1Error error = {.position = -1};

	for (guint i = 0; ais != NULL && ais[i] != NULL; i++) {
		const gchar *eq = strchr(ais[i], '=');
		if (eq == NULL) {
			g_printerr(_("station barcode make: --ai takes AI=VALUE, like --ai "
				     "10=AB-123\n"));
			return ST_EXIT_USAGE;
		}
		g_string_append_printf(text, "(%.*s)", (gint)(eq - ais[i]), ais[i]);
		for (const gchar *p = eq + 1; *p != '\0'; p++) {
			if (*p == '(')
				g_string_append_c(text, '\\');
			g_string_append_c(text, *p);
		}
	}
	if (text->len == 0) {
		g_printerr(_("station barcode make: give the data as (01)...(10)... or with --ai "
			     "(try station barcode --help)\n"));
		return ST_EXIT_USAGE;
	}
	if (aim != NULL && !st_gs1_aim_is_gs1(aim)) {
		g_printerr(_(
			"station barcode make: --aim is one of ]C1 (GS1-128), ]d2 (GS1 "
			"DataMatrix), ]Q3 (GS1 QR Code), ]e0 (GS1 DataBar), ]J1 (GS1 DotCode)\n"));
		return ST_EXIT_USAGE;
	}
	st_gs1_options_init(&opts);
	msg = st_gs1_parse_bracketed(text->str, &opts, &error);
	if (msg == NULL) {
		g_printerr(_("station barcode make: %s\n"), error.message);
		if (error.markup != NULL)
			g_printerr(_("  the fault is between the bars: %s\n"), error.markup);
		st_gs1_error_clear(&error);
		return ST_EXIT_FAIL;
	}
	es = st_gs1_message_to_element_string(msg, ST_GS1_GS);
	es_caret = st_gs1_message_to_element_string(msg, '^');
	br = st_gs1_message_to_bracketed(msg);
	dl = st_gs1_message_to_digital_link(msg, stem, &opts, &error);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "bracketed");
	json_builder_add_string_value(b, br);
	json_builder_set_member_name(b, "element_string");
	json_builder_add_string_value(b, es_caret);
	json_builder_set_member_name(b, "scan_data");
	{
		g_autofree gchar *scan =
			st_gs1_scan_data_make(aim != NULL ? aim : "]C1", NULL, msg, NULL);
		json_builder_add_string_value(b, scan);
	}
	json_builder_set_member_name(b, "digital_link");
	if (dl != NULL)
		json_builder_add_string_value(b, dl);
	else
		json_builder_add_null_value(b);
	if (dl == NULL) {
		json_builder_set_member_name(b, "digital_link_reason");
		json_builder_add_string_value(b, error.message);
	}
	json_builder_end_object(b);
	st_gs1_error_clear(&error);
	root = json_builder_get_root(b);
	json = json_to_string(root, FALSE);
	st_cli_print_json_line(json);
	return 0;
}

/* one line of standard input, its newline and trailing blanks cut: explained, or refused
 * when it holds a NUL (part of the scan, not a line break) or is longer than any barcode */
static gboolean
st_barcode_line(const StBarcodePatterns *patterns,
		StBarcodeInput input,
		GByteArray *line,
		gsize length,
		GString *out)
{
	gsize len = line->len;
	const guint8 *nul;

	while (len > 0 && g_ascii_isspace(line->data[len - 1]))
		len--;
	if (length > ST_BARCODE_MAX_LINE) {
		/* no barcode is this long: said rather than cut in pieces, and never kept whole */
		g_string_append_printf(
			out,
			"{\"text\":null,\"valid\":false,\"reason\":\"a line of %" G_GSIZE_FORMAT
			" characters: no barcode is longer than %d\"}\n",
			length, ST_BARCODE_MAX_LINE);
		return FALSE;
	}
	if (len == 0)
		return TRUE;
	nul = memchr(line->data, 0, len);
	if (nul != NULL) {
		g_string_append_printf(
			out,
			"{\"text\":null,\"valid\":false,\"reason\":\"a NUL byte at character "
			"%" G_GSIZE_FORMAT ": no barcode holds one\",\"position\":%" G_GSIZE_FORMAT
			"}\n",
			(gsize)(nul - line->data), (gsize)(nul - line->data));
		return FALSE;
	}
	g_byte_array_set_size(line, (guint)len);
	g_byte_array_append(line, (const guint8 *)"", 1);
	return st_barcode_explain(patterns, (const gchar *)line->data, input, out);
}

/* standard input, one scan a line, read in bounded pieces: a line never takes more memory
 * than the longest barcode */
static gboolean
st_barcode_read_lines(const StBarcodePatterns *patterns, StBarcodeInput input, gboolean *all_valid)
{
	g_autoptr(GInputStream) in = g_unix_input_stream_new(0, FALSE);
	g_autoptr(GByteArray) line = g_byte_array_new();
	g_autoptr(GString) out = g_string_sized_new(1 << 16);
	guint8 buf[65536];
	gsize length = 0; /* of the line so far, what was kept or not */

	for (;;) {
		g_autoptr(GError) error = NULL;
		gssize n = g_input_stream_read(in, buf, sizeof(buf), NULL, &error);
		if (n < 0) {
			g_printerr(_("station barcode: reading standard input: %s\n"),
				   error->message);
			return FALSE;
		}
		if (n == 0)
			break;
		/* the answers to what one read brought, written at once: a person typing (or a
		 * scanner) is answered line by line, a file in large writes */
		for (gsize i = 0; i < (gsize)n;) {
			const guint8 *nl = memchr(buf + i, '\n', (gsize)n - i);
			gsize end = nl != NULL ? (gsize)(nl - buf) : (gsize)n;
			gsize keep = MIN(end - i, ST_BARCODE_MAX_LINE + 1 -
							  MIN(line->len, ST_BARCODE_MAX_LINE + 1));
			if (keep > 0)
				g_byte_array_append(line, buf + i, (guint)keep);
			length += end - i;
			i = end;
			if (nl != NULL) {
				*all_valid &= st_barcode_line(patterns, input, line, length, out);
				g_byte_array_set_size(line, 0);
				length = 0;
				i++;
			}
		}
		st_barcode_flush(out);
	}
	if (length > 0)
		*all_valid &= st_barcode_line(patterns, input, line, length, out);
	st_barcode_flush(out);
	return TRUE;
}

/* `station barcode couriers`: one line per number form of each courier */
static void
st_cmd_barcode_couriers(const gchar *const *listed)
{
	const gchar *last = NULL;

	for (guint i = 0; i < st_n_courier_rules; i++) {
		const StCourierRule *r = &st_courier_rules[i];
		g_autofree gchar *check = st_courier_rule_describe_check(r);
		g_autofree gchar *shape = st_courier_rule_describe_shape(r);
		gboolean is_listed = listed != NULL && g_strv_contains(listed, r->courier_code);
		if (g_strcmp0(last, r->courier_code) != 0) {
			g_print("%s%s (%s)%s\n", last != NULL ? "\n" : "", r->courier,
				r->courier_code,
				is_listed ? _(": listed in [barcodes] couriers") : "");
			last = r->courier_code;
		}
		g_print("  %-34s %s\n", r->name, shape);
		if (st_courier_rule_has_check(r))
			g_print(_("  %-34s check digit: %s\n"), "", check);
		else
			g_print(_("  %-34s no check digit: %s\n"), "",
				is_listed ? _("taken, as this bench lists the courier")
					  : _("only noted, until [barcodes] couriers lists the "
					      "courier"));
	}
}

gint
st_cmd_barcode(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context =
		g_option_context_new(N_("parse [SCAN...] | make [(AI)VALUE...] | couriers"));
	gboolean all_valid = TRUE;
	gboolean bracketed = FALSE, dl = FALSE;
	g_autofree gchar *stem = NULL;
	g_autofree gchar *aim = NULL;
	g_auto(GStrv) ais = NULL;
	g_autofree gchar *config_path = NULL;
	g_autoptr(StConfig) config = NULL;
	StBarcodeInput input = ST_BARCODE_INPUT_SCAN;
	GOptionEntry entries[] = {
		{"bracketed", 'b', 0, G_OPTION_ARG_NONE, &bracketed,
		 N_("parse: the scans are GS1 data written (01)09501101530003(10)AB-123"), NULL},
		{"dl", 'd', 0, G_OPTION_ARG_NONE, &dl,
		 N_("parse: the scans are GS1 Digital Link URIs (https://.../01/...)"), NULL},
		{"ai", 'a', 0, G_OPTION_ARG_STRING_ARRAY, &ais,
		 N_("make: one element, like --ai 01=09501101530003 (repeat it)"), N_("AI=VALUE")},
		{"stem", 0, 0, G_OPTION_ARG_STRING, &stem,
		 N_("make: the Digital Link URI's domain (default https://id.gs1.org)"), N_("URL")},
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("parse: the configuration whose [barcodes] patterns name the station's own "
		    "barcodes (default: $STATION_CONFIG, else /etc/station/station.conf)"),
		 N_("FILE")},
		{"aim", 0, 0, G_OPTION_ARG_STRING, &aim,
		 N_("make: the symbology of the scan data: ]C1 (default), ]d2, ]Q3, ]e0, ]J1"),
		 N_("ID")},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("parse: explain scans: what kind of code each is (GTIN, GS1 element string,\n"
		   "Digital Link, SSCC, a carrier's tracking number with its service, or one of\n"
		   "the station's own barcodes: command, badge, order, pick list, tote, location,\n"
		   "box type, by the [barcodes] patterns of the configuration), its normalised\n"
		   "key, each GS1 element with its meaning, and for one that is not valid, why\n"
		   "and at which character.\n"
		   "Scans come from the arguments or, without any, from standard input, one a\n"
		   "line. \\x1d or \\u001d stand for GS; a leading AIM identifier such as ]E0 or\n"
		   "]d2 is the symbology the scanner reported. Prints one JSON object a scan;\n"
		   "exit status 1 if any scan is not valid.\n\n"
		   "make: build GS1 data from AI values, checked against the AI table, and print\n"
		   "it as bracketed text, element string, scan data and Digital Link URI.\n\n"
		   "couriers: the couriers whose tracking numbers the station knows, each "
		   "number's\n"
		   "form, its check digit (none: taken only when [barcodes] couriers lists the\n"
		   "courier) and whether this configuration lists it.\n\n"
		   "Examples:\n"
		   "  station barcode parse 4006381333931 "
		   "']d20109501101530003172501001\\x1d10AB-123'\n"
		   "  station barcode parse --bracketed '(01)09501101530003(17)250100(10)AB-123'\n"
		   "  station barcode parse --dl https://id.gs1.org/01/09501101530003/10/AB-123\n"
		   "  station barcode make --ai 01=09501101530003 --ai 10=AB-123 --ai 17=250100"));
	g_option_context_add_main_entries(context, entries, NULL);
	gint rc;

	if ((rc = st_cli_parse_options(context, "barcode", &argc, &argv, -1)) >= 0)
		return rc;
	if (argc >= 2 && g_strcmp0(argv[1], "make") == 0) {
		g_autoptr(GString) text = g_string_new(NULL);
		for (gint i = 2; i < argc; i++)
			g_string_append(text, argv[i]);
		return st_cmd_barcode_make(text->str, ais, stem, aim);
	}
	if (argc >= 2 && g_strcmp0(argv[1], "couriers") == 0) {
		config = st_cli_load_config("barcode", config_path);
		if (config == NULL)
			return ST_EXIT_FAIL;
		st_cmd_barcode_couriers(st_barcode_patterns_get_couriers(config->barcode_patterns));
		return ST_EXIT_OK;
	}
	if (argc < 2 || g_strcmp0(argv[1], "parse") != 0) {
		g_printerr(_("station barcode: the subcommand is parse, make or couriers (try "
			     "station barcode --help)\n"));
		return 2;
	}
	if (bracketed && dl) {
		g_printerr(_("station barcode: --bracketed and --dl cannot be used together\n"));
		return 2;
	}
	config = st_cli_load_config("barcode", config_path);
	if (config == NULL)
		return ST_EXIT_FAIL;
	input = bracketed ? ST_BARCODE_INPUT_BRACKETED
		: dl	  ? ST_BARCODE_INPUT_DL
			  : ST_BARCODE_INPUT_SCAN;
	if (argc > 2) {
		g_autoptr(GString) out = g_string_new(NULL);
		for (gint i = 2; i < argc; i++)
			all_valid &=
				st_barcode_explain(config->barcode_patterns, argv[i], input, out);
		st_barcode_flush(out);
	} else if (!st_barcode_read_lines(config->barcode_patterns, input, &all_valid)) {
		return ST_EXIT_FAIL;
	}
	return all_valid ? 0 : 1;
}
