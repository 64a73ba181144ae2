/*
 * What every command of the station program does the same way: parse its options, load the
 * configuration, open the database, each saying what went wrong in the same words.
 */
#include "station/st-error.h"

#include <glib/gstdio.h>
#include <stdio.h>

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
	/* --help in the locale's language: the summary, the options and their arguments */
	GOptionGroup *main_group = g_option_context_get_main_group(context);
	g_option_context_set_translation_domain(context, GETTEXT_PACKAGE);
	if (main_group != NULL) /* a command without options has none */
		g_option_group_set_translation_domain(main_group, GETTEXT_PACKAGE);
	if (!g_option_context_parse(context, argc, argv, &error)) {
		g_printerr(_("station %s: %s (try station %s --help)\n"), name, error->message,
			   name);
		return ST_EXIT_USAGE;
	}
	if (max_args >= 0 && *argc > 1 + max_args) {
		g_printerr(_("station %s: unexpected argument '%s' (try station %s --help)\n"),
			   name, (*argv)[1 + max_args], name);
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

/**
 * st_cli_load_config:
 * @command: the command, for messages ("serve", "print", ...)
 * @config_path: (nullable): --config, or NULL for $STATION_CONFIG, the system file or the
 *   built-in defaults
 *
 * Returns: (transfer full) (nullable): the configuration, or NULL after saying on standard
 * error what is wrong in it (the file, the line, the key)
 */
StConfig *
st_cli_load_config(const gchar *command, const gchar *config_path)
{
	g_autoptr(GError) error = NULL;
	StConfig *config = st_config_load(config_path, &error);
	if (config == NULL)
		g_printerr("station %s: %s\n", command, error->message);
	return config;
}

/**
 * st_cli_open_store:
 * @command: the command, for messages
 * @mode: whether the command only reads (the database is opened read-only), writes, or may
 *   start a new database (imports); without CREATE, a missing or empty database is refused
 *   with what to do first
 *
 * Returns: (transfer full) (nullable): the configured database, open, or NULL after saying
 * why not on standard error
 */
StStore *
st_cli_open_store(const gchar *command, const StConfig *config, StCliStoreMode mode)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = NULL;

	gboolean opened;

	if (mode != ST_CLI_STORE_CREATE && !g_file_test(config->store_path, G_FILE_TEST_EXISTS)) {
		g_printerr(_("station %s: no database at %s; import the catalogue first (station "
			     "import products FILE.csv), or give the configuration of this bench "
			     "with --config\n"),
			   command, config->store_path);
		return NULL;
	}
	if (mode != ST_CLI_STORE_CREATE) {
		/* an empty file is no database yet: a command that only reads does not write a
		 * schema into it */
		GStatBuf st;
		if (g_stat(config->store_path, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_size == 0) {
			g_printerr(_("station %s: %s is empty, not a station database yet; import "
				     "the catalogue first (station import products FILE.csv)\n"),
				   command, config->store_path);
			return NULL;
		}
	}
	store = st_store_new(config->station_id);
	st_store_set_negative_locations(store, (const gchar *const *)config->allow_negative);
	if (mode == ST_CLI_STORE_READ)
		opened = st_store_open_read_only(store, config->store_path, config->busy_timeout_ms,
						 &error);
	else
		opened = st_store_open(store, config->store_path, config->busy_timeout_ms, &error);
	if (!opened) {
		g_printerr("station %s: %s\n", command, error->message);
		return NULL;
	}
	return g_steal_pointer(&store);
}

/**
 * st_cli_print_json_line:
 * @json: one JSON document on one line, as json-glib wrote it
 *
 * Prints it and a newline on standard output, flushed. A value built from outside bytes that
 * are not UTF-8 (a scan of 0xFF) would make the line invalid JSON: each such byte is written
 * as U+FFFD, so every line the station writes parses as UTF-8 JSON whatever came in (the
 * structure is ASCII, so only string values can hold them).
 */
void
st_cli_print_json_line(const gchar *json)
{
	st_cli_write_json_line(json);
	fflush(stdout);
}

/* the columns @text takes in a terminal: two for a wide character (CJK), none for a
 * combining one */
static guint
st_cli_text_width(const gchar *text)
{
	guint width = 0;
	for (const gchar *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		width += g_unichar_iszerowidth(c) ? 0 : g_unichar_iswide(c) ? 2 : 1;
	}
	return width;
}

/**
 * st_cli_cell:
 * @width: terminal columns; negative: left-aligned; 0: no padding
 *
 * Appends @text (UTF-8) to @row padded to @width columns as a terminal shows them, as printf's
 * %Ns and %-Ns do for ASCII: a translated header or word lines up with its column.
 */
void
st_cli_cell(GString *row, const gchar *text, gint width)
{
	guint want = (guint)ABS(width), have = st_cli_text_width(text);
	guint pad = want > have ? want - have : 0;

	if (width > 0)
		for (guint i = 0; i < pad; i++)
			g_string_append_c(row, ' ');
	g_string_append(row, text);
	if (width < 0)
		for (guint i = 0; i < pad; i++)
			g_string_append_c(row, ' ');
}

/* Prints one row of @n cells and a newline. */
void
st_cli_print_row(const StCliCell *cells, guint n)
{
	g_autoptr(GString) row = g_string_new(NULL);

	for (guint i = 0; i < n; i++) {
		guint gap = cells[i].gap != 0 ? cells[i].gap : i > 0 ? 1 : 0;
		for (guint k = 0; k < gap; k++)
			g_string_append_c(row, ' ');
		st_cli_cell(row, cells[i].text, cells[i].width);
	}
	g_string_append_c(row, '\n');
	g_print("%s", row->str);
}

/**
 * st_cli_write_json_line:
 *
 * Like st_cli_print_json_line(), into stdout's buffer: the caller flushes once a batch of
 * lines is written (`station barcode parse` after each read of its input), so 200,000 scans
 * are not 200,000 write() calls.
 */
void
st_cli_write_json_line(const gchar *json)
{
	if (g_utf8_validate(json, -1, NULL)) {
		fputs(json, stdout);
	} else {
		g_autofree gchar *valid = g_utf8_make_valid(json, -1);
		fputs(valid, stdout);
	}
	fputc('\n', stdout);
}
