/*
 * `station simulate --script FILE [--expect]`: reads the script, runs it on the configured
 * database through the workflows `station serve` runs, and prints each answer as a JSON
 * line; with --expect, exit status 1 at the first answer the script did not expect.
 */
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "station/st-bounded.h"
#include "station/st-error.h"

#include "st-cli.h"
#include "st-simulate-command.h"
#include "st-simulator.h"

static void
st_simulate_print_cb(const StSimStep *step, const StVerdict *verdict, gpointer user_data)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *text = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "line");
	json_builder_add_int_value(b, step != NULL ? step->line : 0);
	json_builder_set_member_name(b, "device");
	json_builder_add_string_value(b, verdict->device_id);
	json_builder_set_member_name(b, "input");
	json_builder_add_string_value(b, verdict->display);
	json_builder_set_member_name(b, "ok");
	json_builder_add_boolean_value(b, verdict->ok);
	json_builder_set_member_name(b, "reason");
	if (verdict->reason != NULL)
		json_builder_add_string_value(b, verdict->reason);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "message");
	json_builder_add_string_value(b, verdict->message);
	json_builder_set_member_name(b, "order");
	if (verdict->order_number != NULL)
		json_builder_add_string_value(b, verdict->order_number);
	else
		json_builder_add_null_value(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	text = json_to_string(root, FALSE);
	st_cli_print_json_line(text);
}

/* a print the bench made: one JSON line {"line": N, "printed": "..."} */
static void
st_simulate_printed_cb(const StSimStep *step, const gchar *line, gpointer user_data)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *text = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "line");
	json_builder_add_int_value(b, step != NULL ? step->line : 0);
	json_builder_set_member_name(b, "printed");
	json_builder_add_string_value(b, line);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	text = json_to_string(root, FALSE);
	st_cli_print_json_line(text);
}

gint
st_cmd_simulate(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autofree gchar *config_path = NULL;
	g_autofree gchar *script_path = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(StSimScript) script = NULL;
	g_autoptr(GFile) file = NULL;
	g_autoptr(GFileInfo) info = NULL;
	gboolean expect = FALSE;
	gsize len = 0;
	gint rc;
	GOptionEntry entries[] = {
		{"script", 's', 0, G_OPTION_ARG_FILENAME, &script_path,
		 N_("The shift to run: one step a line (see below)"), N_("FILE")},
		{"expect", 'e', 0, G_OPTION_ARG_NONE, &expect,
		 N_("Compare each answer with the script's expect lines; exit status 1 at the "
		    "first "
		    "difference"),
		 NULL},
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("Configuration file: its database, [bench], [pack] and [barcodes]"),
		 N_("FILE")},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("Runs a shift without hardware: scans, weights, scale plugs and time steps "
		   "from\n"
		   "a script, through the workflows station serve runs, on the configured "
		   "database\n"
		   "(which they change, as a real shift would: use a copy). Each answer is "
		   "printed\n"
		   "as a JSON line.\n\n"
		   "Script lines ('#' starts a comment):\n"
		   "  scan DEVICE [aim=ID] TEXT      a scan (\\x1d for the GS separator)\n"
		   "  weigh DEVICE GRAMS [STATUS]    stable (default), motion, zero, fault, over\n"
		   "  scale DEVICE on|off            a scale attached or gone\n"
		   "  clock +SECONDS                 time passes (idle logout)\n"
		   "  expect ok|none|REASON [TEXT]   the answer to the step before\n\n"
		   "Example:\n"
		   "  scan bench OP-0042\n"
		   "  expect ok Logged in\n"
		   "  scan bench ORD-1001\n"
		   "  scan bench 4006381333931\n"
		   "  expect ok 1 of 1"));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "simulate", &argc, &argv, 0)) >= 0)
		return rc;
	if (script_path == NULL) {
		g_printerr(_("station simulate: give the script with --script FILE (try station "
			     "simulate --help)\n"));
		return ST_EXIT_USAGE;
	}
	file = g_file_new_for_commandline_arg(script_path);
	info = g_file_query_info(file,
				 G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
				 G_FILE_QUERY_INFO_NONE, NULL, &error);
	if (info == NULL) {
		g_printerr(_("station simulate: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	if (g_file_info_get_file_type(info) != G_FILE_TYPE_REGULAR ||
	    g_file_info_get_size(info) > ST_SIM_MAX_SIZE) {
		g_printerr(_("station simulate: %s is not a script file (a regular file of at most "
			     "%d MiB)\n"),
			   script_path, ST_SIM_MAX_SIZE / 1024 / 1024);
		return ST_EXIT_FAIL;
	}
	if (!st_bounded_read_file(script_path, ST_SIM_MAX_SIZE, &text, &len, &error) ||
	    (script = st_sim_script_parse(text, len, script_path, &error)) == NULL) {
		g_printerr(_("station simulate: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	config = st_cli_load_config("simulate", config_path);
	if (config == NULL)
		return ST_EXIT_FAIL;
	store = st_cli_open_store("simulate", config, ST_CLI_STORE_WRITE);
	if (store == NULL)
		return ST_EXIT_FAIL;
	if (!st_sim_run(store, config, script, expect, st_simulate_print_cb, st_simulate_printed_cb,
			NULL, &error)) {
		g_printerr(_("station simulate: %s: %s\n"), script_path, error->message);
		return ST_EXIT_FAIL;
	}
	return ST_EXIT_OK;
}
