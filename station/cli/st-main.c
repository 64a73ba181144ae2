/*
 * The station program: one binary, one subcommand per job. Exit codes: 0 done, 1 the job
 * failed at run time, 2 the command line was wrong.
 */
#include <locale.h>
#include <stdio.h>

#include "station/st-drivers.h"
#include "st-config.h"
#include "st-barcode-command.h"
#include "st-label-command.h"
#include "st-print-command.h"
#include "st-api.h"
#include "st-cli.h"
#include "st-daemon.h"
#include "st-device-commands.h"
#include "st-inventory-commands.h"
#include "st-demo.h"
#include "st-i18n.h"
#include "st-simulate-command.h"
#include "st-sync-command.h"
#include "st-token-command.h"
#include "st-log.h"
#include "station/st-store.h"

typedef struct {
	const gchar *name;
	const gchar *summary;
	gint (*run)(gint argc, gchar **argv);
} StCommand;

static gint
st_cmd_serve(gint argc, gchar **argv);
static gint
st_cmd_version(gint argc, gchar **argv);
static gint
st_cmd_config(gint argc, gchar **argv);

static const StCommand commands[] = {
	{"serve", N_("Run the station daemon: read the scanners, drive the workflows"),
	 st_cmd_serve},
	{"demo", N_("Pack an order on a temporary database with an emulated scanner"), st_demo_run},
	{"devices", N_("List attached devices and which driver took each, or why none did"),
	 st_cmd_devices},
	{"listen", N_("Print scans and weights from the devices as JSON lines"), st_cmd_listen},
	{"hid", N_("Decode HID reports pasted as hex (hid decode --kind keyboard|scale)"),
	 st_cmd_hid},
	{"barcode", N_("Explain scans: kind, normalised key, and why one is not valid"),
	 st_cmd_barcode},
	{"label", N_("Render a label template from shipment data to ZPL, PDF or PNG"),
	 st_cmd_label},
	{"print", N_("Print a label (a ZPL or PDF file, or a template) and follow it"),
	 st_cmd_print},
	{"reprint", N_("Print a stored label again"), st_cmd_reprint},
	{"cancel", N_("Cancel a label's print that has not printed yet"), st_cmd_cancel},
	{"printers", N_("CUPS queues, their state, jobs, and the latest prints"), st_cmd_printers},
	{"import", N_("Import products, locations, box types, stock, orders or operators from CSV"),
	 st_cmd_import},
	{"operators", N_("The operators who log in with their badge: role, language, name"),
	 st_cmd_operators},
	{"picklist", N_("Make pick lists of released orders; list them, or show one's picks"),
	 st_cmd_picklist},
	{"manifests", N_("The carriers' manifests loaded at the dock, and the parcels on one"),
	 st_cmd_manifests},
	{"export", N_("Export products, locations, box types, stock, orders or the ledger as CSV"),
	 st_cmd_export},
	{"stock", N_("Where a product is and how many: on hand, reserved, available"),
	 st_cmd_stock},
	{"record", N_("Record a change of stock: receive, move, adjust, pick, pack, ..."),
	 st_cmd_record},
	{"reserve", N_("Reserve stock for an order's lines"), st_cmd_reserve},
	{"ledger", N_("Explain a quantity: every change of a product's stock"), st_cmd_ledger},
	{"check", N_("Check the database: integrity, and stock against the ledger"), st_cmd_check},
	{"sync", N_("The central order system: what waits for it, deliver now, retry"),
	 st_cmd_sync},
	{"token", N_("The API's device tokens: create, list, revoke"), st_cmd_token},
	{"simulate", N_("Run a shift from a script through the workflows, without hardware"),
	 st_cmd_simulate},
	{"config", N_("Check a configuration file, or print every key with its meaning"),
	 st_cmd_config},
	{"version", N_("Print the version, the database schema and the drivers"), st_cmd_version},
};

static void
st_print_usage(FILE *out)
{
	fprintf(out, "%s",
		_("Usage: station COMMAND [OPTION...]\n\n"
		  "station runs a warehouse packing bench: barcode scanners, scale, label\n"
		  "printer, and the link to the central order system.\n\n"
		  "Commands:\n"));
	for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, _(commands[i].summary));
	fprintf(out, "%s",
		_("\n`station COMMAND --help` explains a command. Exit status: 0 done, 1 failed, "
		  "2 wrong command line.\n"));
}

static gint
st_cmd_serve(gint argc, gchar **argv)
{
	g_autofree gchar *config_path = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(StDaemon) daemon = NULL;
	gboolean verbose = FALSE;
	gint rc;
	GOptionEntry entries[] = {
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("Configuration file (default: $STATION_CONFIG, then "
		    "/etc/station/station.conf)"),
		 N_("FILE")},
		{"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Log at level info"), NULL},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("Run the station daemon in the foreground until SIGINT or SIGTERM.\n"
		   "It opens the database (creating or upgrading it), opens the configured\n"
		   "devices and answers every scan. Without a configuration file it runs on\n"
		   "the built-in defaults (see `station config --reference`)."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "serve", &argc, &argv, 0)) >= 0)
		return rc;

	config = st_cli_load_config("serve", config_path);
	if (config == NULL)
		return ST_EXIT_FAIL;
	st_log_set_threshold(verbose ? G_LOG_LEVEL_INFO : config->log_level);
	daemon = st_daemon_new(g_steal_pointer(&config));
	if (!st_daemon_start(daemon, &error)) {
		g_printerr(_("station serve: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	rc = st_daemon_run(daemon);
	st_daemon_stop(daemon);
	g_message("stopped");
	return rc;
}

static gint
st_cmd_config(gint argc, gchar **argv)
{
	g_autofree gchar *config_path = NULL;
	gboolean reference = FALSE;
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = NULL;
	gint rc;
	GOptionEntry entries[] = {
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("Configuration file to check (default: $STATION_CONFIG, "
		    "then /etc/station/station.conf)"),
		 N_("FILE")},
		{"reference", 'r', 0, G_OPTION_ARG_NONE, &reference,
		 N_("Print every key with its default and meaning, as a commented file"), NULL},
		{NULL}};

	g_option_context_set_summary(
		context, N_("Check a configuration file and print what it sets, with the "
			    "address the\nscreens open (a LAN address without TLS is refused "
			    "here as station serve\nwould refuse it), or print the reference of "
			    "every key. Exits 1 with the file,\nline and key when the file is "
			    "wrong."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "config", &argc, &argv, 0)) >= 0)
		return rc;
	if (reference) {
		g_autofree gchar *text = st_config_to_reference();
		g_print("%s", text);
		return ST_EXIT_OK;
	}
	config = st_cli_load_config("config", config_path);
	if (config == NULL)
		return ST_EXIT_FAIL;
	g_print(_("configuration: %s\n"),
		config->path != NULL ? config->path : _("built-in defaults"));
	g_print(_("station id:    %s\n"), config->station_id);
	g_print(_("database:      %s (busy-timeout %u ms)\n"), config->store_path,
		config->busy_timeout_ms);
	g_print(_("log level:     %s\n"), config->log_level_name);
	for (guint i = 0; i < config->devices->len; i++) {
		StDeviceInfo *info = g_ptr_array_index(config->devices, i);
		g_print(_("device:        %s (%s, driver %s)\n"), info->id,
			st_device_role_to_string(info->role),
			st_device_info_get_option(info, "driver"));
	}
	for (guint i = 0; i < config->printers->len; i++) {
		const StPrinterConfig *p = g_ptr_array_index(config->printers, i);
		g_print(p->queue != NULL ? _("printer:       %s (CUPS queue %s, %s, %u dpi)\n")
					 : _("printer:       %s (spool folder %s, %s, %u dpi)\n"),
			p->name, p->queue != NULL ? p->queue : p->spool, p->language, p->dpi);
	}
	if (g_strcmp0(config->http_listen, "none") == 0) {
		g_print(_("screens:       none ([http] listen = none)\n"));
	} else {
		g_autofree gchar *url = NULL;
		g_autoptr(GError) error_http = NULL;
		if (!st_api_check_config(config, &url, &error_http)) {
			g_printerr(_("station config: %s\n"), error_http->message);
			return ST_EXIT_FAIL;
		}
		g_print(_("screens:       %s?seat=bench\n"), url);
	}
	{
		/* a misspelt queue is said now, not at the first label */
		g_autoptr(GPtrArray) missing = NULL;
		if (!st_printing_check_queues(config, &missing, &error)) {
			g_printerr(_("station config: the printers' queues were not checked: %s\n"),
				   error->message);
			return ST_EXIT_OK;
		}
		for (guint i = 0; i < missing->len; i++)
			g_printerr(_("station config: %s\n"), (const gchar *)missing->pdata[i]);
		if (missing->len > 0)
			return ST_EXIT_FAIL;
	}
	return ST_EXIT_OK;
}

static gint
st_cmd_version(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	gint rc;

	g_option_context_set_summary(context, N_("Print the station's version, the database schema "
						 "version it writes and the drivers it has."));
	if ((rc = st_cli_parse_options(context, "version", &argc, &argv, 0)) >= 0)
		return rc;
	g_print("station %s\n", PACKAGE_VERSION);
	g_print(_("database schema: %u\n"), st_store_get_latest_schema_version());
	g_print("drivers:\n");
	for (const StDriver *const *d = st_drivers_get_all(); *d != NULL; d++)
		g_print("  %-10s %s\n", (*d)->name, (*d)->description);
	return ST_EXIT_OK;
}

int
main(int argc, char **argv)
{
	const gchar *name;
	g_autofree gchar *prgname = NULL;

	setlocale(LC_ALL, "");
	st_i18n_init();
	/* a command says itself what happened; the modules' messages below warnings would say it
	 * a second time ("station-print: label 1: written ..."). `station serve` and `station
	 * demo` set their own threshold. */
	st_log_setup(G_LOG_LEVEL_WARNING);
	if (argc < 2) {
		st_print_usage(stderr);
		return ST_EXIT_USAGE;
	}
	name = argv[1];
	if (g_strcmp0(name, "--help") == 0 || g_strcmp0(name, "-h") == 0 ||
	    g_strcmp0(name, "help") == 0) {
		st_print_usage(stdout);
		return ST_EXIT_OK;
	}
	if (g_strcmp0(name, "--version") == 0)
		return st_cmd_version(1, argv);
	for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
		if (g_strcmp0(commands[i].name, name) != 0)
			continue;
		/* argv[1] becomes the program name the option parser shows */
		prgname = g_strdup_printf("station %s", name);
		g_set_prgname(prgname);
		return commands[i].run(argc - 1, argv + 1);
	}
	g_printerr(_("station: unknown command '%s'\n\n"), name);
	st_print_usage(stderr);
	return ST_EXIT_USAGE;
}
