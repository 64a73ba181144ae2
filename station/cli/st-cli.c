/* Option parsing for the station program's commands, so each says the same thing. */
#include "station/st-error.h"

#include "st-cli.h"

GQuark
st_cli_error_quark(void)
{
	return g_quark_from_static_string("st-cli-error-quark");
}

/**
 * st_cli_parse_options:
 * @name: the command, for messages ("serve", "hid", ...)
 * @max_args: how many arguments may remain after the options, or -1 for any number
 *
 * Returns: -1 to go on, or the exit code (ST_EXIT_USAGE) after saying what is wrong
 */
gint
st_cli_parse_options(GOptionContext *context,
		     const gchar *name,
		     gint *argc,
		     gchar ***argv,
		     gint max_args)
{
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, argc, argv, &error)) {
		g_printerr("station %s: %s (try station %s --help)\n", name, error->message, name);
		return ST_EXIT_USAGE;
	}
	if (max_args >= 0 && *argc > 1 + max_args) {
		g_printerr("station %s: unexpected argument '%s' (try station %s --help)\n", name,
			   (*argv)[1 + max_args], name);
		return ST_EXIT_USAGE;
	}
	return -1;
}

/**
 * st_cli_parse_hex:
 *
 * Parses one line of hex ("00 00 1e 00", "00:00:1e", "00001e") and appends the bytes to @out; at
 * most 4096 of them.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA if it is not hex
 */
gboolean
st_cli_parse_hex(const gchar *line, GByteArray *out, GError **error)
{
	gint hi = -1;
	for (const gchar *p = line; *p != '\0'; p++) {
		gint v;
		if (*p == ' ' || *p == '\t' || *p == ':' || *p == '\r' || *p == ',')
			continue;
		v = g_ascii_xdigit_value(*p);
		if (v < 0) {
			g_set_error(error, ST_CLI_ERROR, ST_ERROR_INVALID_DATA,
				    "'%c' is not a hex digit", *p);
			return FALSE;
		}
		if (hi < 0) {
			hi = v;
		} else {
			guint8 b = (guint8)(hi * 16 + v);
			g_byte_array_append(out, &b, 1);
			hi = -1;
		}
		if (out->len > 4096) {
			g_set_error_literal(error, ST_CLI_ERROR, ST_ERROR_INVALID_DATA,
					    "a report of more than 4096 bytes");
			return FALSE;
		}
	}
	if (hi >= 0) {
		g_set_error_literal(error, ST_CLI_ERROR, ST_ERROR_INVALID_DATA,
				    "an odd number of hex digits");
		return FALSE;
	}
	return TRUE;
}
