/* `station print`, `station reprint` and `station printers` */
#define G_LOG_DOMAIN "station-print"

#include <json-glib/json-glib.h>
#include <string.h>

#include "station/st-error.h"

#include "station/st-bounded.h"

#include "st-cli.h"
#include "st-label-data.h"
#include "st-log.h"
#include "st-print-command.h"
#include "st-printing.h"

#define ST_PRINT_MAX_FILE (64 * 1024 * 1024)

/* exit status of a print that waits in the queue (paused, unreachable, out of labels) */
#define ST_EXIT_WAITING 3

typedef struct {
	GMainLoop *loop;
	gboolean wait;
	gint rc;
	gint64 print_id;
} StPrintRun;

static gint
st_print_exit_code(const StPrintProgress *p, gboolean wait)
{
	if (g_strcmp0(p->state, "completed") == 0)
		return ST_EXIT_OK;
	if (st_print_state_is_final(p->state))
		return ST_EXIT_FAIL;
	if (!wait && p->status != NULL && p->status->attention != ST_PRINT_ATTENTION_NONE)
		return ST_EXIT_WAITING;
	return -1; /* still going */
}

static void
st_print_show(const gchar *command, const StPrintProgress *p)
{
	g_print("station %s: label %" G_GINT64_FORMAT ": %s\n", command, p->label_id, p->message);
}

static void
st_print_changed_cb(StPrinting *printing, StPrintProgress *p, gpointer user_data)
{
	StPrintRun *run = user_data;
	gint rc;
	if (p->print_id != run->print_id)
		return;
	st_print_show("print", p);
	rc = st_print_exit_code(p, run->wait);
	if (rc >= 0) {
		run->rc = rc;
		g_main_loop_quit(run->loop);
	}
}

static void
st_print_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	StPrintRun *run = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(StPrintProgress) p =
		st_printing_print_finish(ST_PRINTING(source), result, &error);
	gint rc;

	if (p == NULL) {
		g_printerr(_("station print: %s\n"), error->message);
		run->rc = ST_EXIT_FAIL;
		g_main_loop_quit(run->loop);
		return;
	}
	run->print_id = p->print_id;
	st_print_show("print", p);
	rc = st_print_exit_code(p, run->wait);
	if (rc >= 0) {
		run->rc = rc;
		g_main_loop_quit(run->loop);
	}
}

/* prints a stored label and follows it until it prints, fails, or (without @wait) needs
 * someone at the printer */
static gint
st_print_run(StStore *store,
	     const StConfig *config,
	     gint64 label_id,
	     const gchar *printer,
	     gboolean reprint,
	     gboolean wait)
{
	g_autoptr(StPrinting) printing = st_printing_new(store, config);
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	StPrintRun run = {loop, wait, ST_EXIT_FAIL, 0};
	gulong id;

	/* this command says each state of the print itself: the module's own warnings
	 * ("station-print: warning: label 1: ...") would say it a second time */
	st_log_quiet_domain("station-print");

	{
		/* a print of this label left half-way by a process that stopped (a station print
		 * killed) is settled first, as station serve does: then it is neither refused
		 * for nothing nor printed twice */
		g_autoptr(GPtrArray) said = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GError) error = NULL;
		if (!st_printing_settle_submissions(printing, label_id, said, &error))
			g_printerr(_("station print: %s\n"), error->message);
		for (guint i = 0; i < said->len; i++)
			g_print(_("station print: %s\n"), (const gchar *)said->pdata[i]);
	}
	id = g_signal_connect(printing, "print-changed", G_CALLBACK(st_print_changed_cb), &run);
	st_printing_print_async(printing, label_id, printer, reprint, g_get_user_name(), NULL,
				st_print_done_cb, &run);
	g_main_loop_run(loop);
	g_signal_handler_disconnect(printing, id);
	if (run.rc == ST_EXIT_WAITING)
		g_print("station print: label %" G_GINT64_FORMAT
			" is stored and its job stays in the queue; it prints when the printer "
			"is fixed (`station printers` shows it). Do not print it again.\n",
			label_id);
	return run.rc;
}

/* what `station picklist ... --print` uses: the same as `station print` */
gint
st_print_command_follow(StStore *store,
			const StConfig *config,
			gint64 label_id,
			const gchar *printer,
			gboolean wait)
{
	return st_print_run(store, config, label_id, printer, FALSE, wait);
}

static gboolean
st_print_read_file(const gchar *path, gchar **data, gsize *len, GError **error)
{
	g_autoptr(GError) local = NULL;
	/* bounded whatever the path is (a pipe, /dev/zero): not by its size */
	if (st_bounded_read_file(path, ST_PRINT_MAX_FILE, data, len, &local))
		return TRUE;
	if (g_error_matches(local, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
		g_set_error(error, ST_CLI_ERROR, ST_ERROR_INVALID_DATA,
			    "%s is larger than %d MiB: not a label or packing slip", path,
			    ST_PRINT_MAX_FILE / 1024 / 1024);
	else
		g_propagate_error(error, g_steal_pointer(&local));
	return FALSE;
}

gint
st_cmd_print(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(N_("[FILE]"));
	g_autofree gchar *config_path = NULL, *printer = NULL, *template_name = NULL;
	g_autofree gchar *data_path = NULL, *order = NULL, *kind = NULL;
	gboolean reprint = FALSE, wait = FALSE;
	g_auto(GStrv) sets = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(GBytes) content = NULL;
	g_autofree gchar *source = NULL, *file_data = NULL;
	gsize file_len = 0;
	const gchar *format = NULL;
	gint64 label_id = 0;
	gboolean existed = FALSE;
	StLabelSpec spec = {NULL};
	gint rc;
	GOptionEntry entries[] = {
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("Configuration file (printers, CUPS server, database)"), N_("FILE")},
		{"printer", 'p', 0, G_OPTION_ARG_STRING, &printer,
		 N_("A configured printer (label, document, ...) or a CUPS queue; default: label"),
		 N_("NAME")},
		{"template", 't', 0, G_OPTION_ARG_STRING, &template_name,
		 N_("Render this template for the printer instead of printing a FILE"), N_("NAME")},
		{"data", 'd', 0, G_OPTION_ARG_FILENAME, &data_path,
		 N_("With --template: the shipment data, a JSON file (default: the --order's, from "
		    "the database, with the [sender] of the configuration)"),
		 N_("FILE")},
		{"order", 0, 0, G_OPTION_ARG_STRING, &order,
		 N_("The order the label belongs to (the central system is told when it prints)"),
		 N_("NUMBER")},
		{"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
		 N_("With --template: set a field of the shipment data (repeatable), such as "
		    "tracking=1Z999AA10123456784"),
		 N_("FIELD=VALUE")},
		{"kind", 0, 0, G_OPTION_ARG_STRING, &kind,
		 N_("What the label is: carrier, logistic, packing-slip, ... (default: the "
		    "template, "
		    "or file)"),
		 N_("KIND")},
		{"reprint", 0, 0, G_OPTION_ARG_NONE, &reprint,
		 N_("Print it even if the same label printed already"), NULL},
		{"wait", 'w', 0, G_OPTION_ARG_NONE, &wait,
		 N_("Wait for the job to end even while the printer needs attention"), NULL},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("Print a label: a ZPL or PDF FILE (a carrier's label, as it is), or a template\n"
		   "rendered for the printer's language and resolution. The label is stored "
		   "first,\n"
		   "so it can always be printed again (station reprint), then sent to CUPS and\n"
		   "followed until it has printed. The same label is not printed twice unless\n"
		   "--reprint is given.\n\n"
		   "Exit status: 0 printed; 1 not printed (refused, failed, cancelled, aborted);\n"
		   "3 the job waits in the queue because the printer needs attention (paused,\n"
		   "unreachable, out of labels): it prints by itself once that is fixed.\n\n"
		   "Examples:\n"
		   "  station print ups-label.zpl\n"
		   "  station print --printer document slip.pdf\n"
		   "  station print -t carrier-4x6 -d shipment.json --order ORD-1001\n"
		   "  station print -t packing-slip --printer document --order ORD-1001\n"
		   "  station print -t carrier-4x6 --order ORD-1001 --set "
		   "tracking=1Z999AA10123456784"));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "print", &argc, &argv, 1)) >= 0)
		return rc;
	if ((argc == 2) == (template_name != NULL)) {
		g_printerr(_("station print: give a FILE or --template with --data (try station "
			     "print --help)\n"));
		return ST_EXIT_USAGE;
	}
	if (sets != NULL && template_name == NULL) {
		g_printerr(_("station print: --set fills a --template; a FILE prints as it is\n"));
		return ST_EXIT_USAGE;
	}
	config = st_cli_load_config("print", config_path);
	if (config == NULL)
		return ST_EXIT_FAIL;

	if (template_name != NULL) {
		g_autoptr(StPrinting) printing = NULL;
		g_autofree gchar *data = NULL;
		gsize len = 0;

		if (data_path == NULL && order == NULL) {
			g_printerr(_("station print: --template needs --data FILE.json, or --order "
				     "NUMBER to take the order's data from the database\n"));
			return ST_EXIT_USAGE;
		}
		store = st_cli_open_store("print", config, ST_CLI_STORE_CREATE);
		if (store == NULL)
			return ST_EXIT_FAIL;
		printing = st_printing_new(store, config);
		if ((data_path != NULL &&
		     !st_print_read_file(data_path, &file_data, &file_len, &error)) ||
		    (data = st_label_shipment_data(store, config, order, file_data, file_len,
						   (const gchar *const *)sets, &len, &error)) ==
			    NULL) {
			g_printerr(_("station print: %s\n"), error->message);
			return ST_EXIT_FAIL;
		}
		label_id = st_printing_put_template(printing, template_name, printer, data, len,
						    order, kind, &existed, &error);
		if (label_id == 0) {
			g_printerr(_("station print: %s; nothing was printed%s\n"), error->message,
				   data_path == NULL && (g_error_matches(error, ST_LABEL_ERROR,
									 ST_ERROR_INVALID_DATA) ||
							 g_error_matches(error, ST_SERVICE_ERROR,
									 ST_ERROR_INVALID_DATA))
					   ? " (the order's data comes from the database and "
					     "[sender]; give what it lacks with --set FIELD=VALUE)"
					   : "");
			return ST_EXIT_FAIL;
		}
		g_print("station print: label %" G_GINT64_FORMAT " %s (%s)\n", label_id,
			existed ? "was stored before" : "stored", template_name);
		return st_print_run(store, config, label_id, printer, reprint, wait);
	}

	/* a file, printed as it is */
	if (!st_print_read_file(argv[1], &file_data, &file_len, &error)) {
		g_printerr(_("station print: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	content = g_bytes_new_take(g_steal_pointer(&file_data), file_len);
	if (!st_label_sniff_format(content, &format, &error)) {
		g_printerr(_("station print: %s: %s\n"), argv[1], error->message);
		return ST_EXIT_FAIL;
	}
	source = g_canonicalize_filename(argv[1], NULL);
	store = st_cli_open_store("print", config, ST_CLI_STORE_CREATE);
	if (store == NULL)
		return ST_EXIT_FAIL;
	spec.kind = kind != NULL ? kind : "file";
	spec.source = source;
	spec.format = format;
	spec.content = content;
	spec.order_number = order;
	if (!st_store_put_label(store, &spec, &label_id, &existed, &error)) {
		g_printerr(_("station print: %s; nothing was printed\n"), error->message);
		return ST_EXIT_FAIL;
	}
	g_print("station print: label %" G_GINT64_FORMAT " %s (%s, %" G_GSIZE_FORMAT " bytes)\n",
		label_id, existed ? "was stored before" : "stored", format,
		g_bytes_get_size(content));
	return st_print_run(store, config, label_id, printer, reprint, wait);
}

gint
st_cmd_reprint(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(N_("LABEL"));
	g_autofree gchar *config_path = NULL, *printer = NULL;
	gboolean wait = FALSE;
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(StStore) store = NULL;
	guint64 label_id = 0;
	gint rc;
	GOptionEntry entries[] = {
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("Configuration file (printers, CUPS server, database)"), N_("FILE")},
		{"printer", 'p', 0, G_OPTION_ARG_STRING, &printer,
		 N_("Another configured printer or CUPS queue than the label printer"), N_("NAME")},
		{"wait", 'w', 0, G_OPTION_ARG_NONE, &wait,
		 N_("Wait for the job to end even while the printer needs attention"), NULL},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("Print a stored label again, byte for byte as it was first printed (a\n"
		   "label that jammed, or a second copy). `station printers` lists the\n"
		   "latest prints with their label numbers. Exit status as station print."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "reprint", &argc, &argv, 1)) >= 0)
		return rc;
	if (argc != 2 || !g_ascii_string_to_unsigned(argv[1], 10, 1, G_MAXINT64, &label_id, NULL)) {
		g_printerr(_("station reprint: give the label's number (try station reprint "
			     "--help)\n"));
		return ST_EXIT_USAGE;
	}
	config = st_cli_load_config("reprint", config_path);
	if (config == NULL)
		return ST_EXIT_FAIL;
	store = st_cli_open_store("reprint", config, ST_CLI_STORE_CREATE);
	if (store == NULL)
		return ST_EXIT_FAIL;
	return st_print_run(store, config, (gint64)label_id, printer, TRUE, wait);
}

gint
st_cmd_cancel(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(N_("LABEL"));
	g_autofree gchar *config_path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(StPrinting) printing = NULL;
	guint64 label_id = 0;
	guint cancelled = 0;
	gint rc;
	GOptionEntry entries[] = {{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
				   N_("Configuration file (CUPS server, database)"), N_("FILE")},
				  {NULL}};

	g_option_context_set_summary(
		context,
		N_("Cancel the prints of a label that have not printed yet: a job waiting in\n"
		   "a paused or unreachable printer's queue that should not come out when\n"
		   "the printer is back (the parcel left with another label, say). The\n"
		   "label stays stored and can be printed again with station print or\n"
		   "station reprint. `station printers` lists the latest prints with their\n"
		   "label numbers. Exit status 1 when nothing was waiting or CUPS refused."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "cancel", &argc, &argv, 1)) >= 0)
		return rc;
	if (argc != 2 || !g_ascii_string_to_unsigned(argv[1], 10, 1, G_MAXINT64, &label_id, NULL)) {
		g_printerr(
			_("station cancel: give the label's number (try station cancel --help)\n"));
		return ST_EXIT_USAGE;
	}
	config = st_cli_load_config("cancel", config_path);
	if (config == NULL)
		return ST_EXIT_FAIL;
	store = st_cli_open_store("cancel", config, ST_CLI_STORE_CREATE);
	if (store == NULL)
		return ST_EXIT_FAIL;
	printing = st_printing_new(store, config);
	if (!st_printing_cancel(printing, (gint64)label_id, g_get_user_name(), &cancelled,
				&error)) {
		g_printerr(_("station cancel: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	g_print("station cancel: label %" G_GUINT64_FORMAT ": %u print%s cancelled; the label "
		"is kept and prints again with station reprint %" G_GUINT64_FORMAT "\n",
		label_id, cancelled, cancelled == 1 ? "" : "s", label_id);
	return ST_EXIT_OK;
}

static void
st_printers_show_roles(const StConfig *config, const gchar *queue)
{
	const gchar *roles[] = {"label", "document"};
	for (guint i = 0; i < config->printers->len; i++) {
		const StPrinterConfig *p = g_ptr_array_index(config->printers, i);
		if (g_strcmp0(p->queue, queue) == 0)
			g_print("    printer %s: %s at %u dpi%s%s\n", p->name, p->language, p->dpi,
				p->media != NULL ? ", media " : "",
				p->media != NULL ? p->media : "");
	}
	for (guint r = 0; r < G_N_ELEMENTS(roles); r++) {
		g_autoptr(StPrinterConfig) p = st_printer_config_find(config->printers, roles[r]);
		gboolean configured = FALSE;
		for (guint i = 0; i < config->printers->len; i++)
			configured |=
				g_strcmp0(
					((StPrinterConfig *)g_ptr_array_index(config->printers, i))
						->name,
					roles[r]) == 0;
		if (!configured && g_strcmp0(p->queue, queue) == 0)
			g_print("    printer %s (built-in default): %s at %u dpi\n", p->name,
				p->language, p->dpi);
	}
}

gint
st_cmd_printers(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autofree gchar *config_path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(GPtrArray) queues = NULL;
	g_autoptr(GPtrArray) jobs = NULL;
	gboolean cups_failed = FALSE;
	gint rc;
	GOptionEntry entries[] = {{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
				   N_("Configuration file (printers, CUPS server, database)"),
				   N_("FILE")},
				  {NULL}};

	g_option_context_set_summary(
		context,
		N_("The CUPS queues with their state, what keeps each from printing and\n"
		   "what to do about it, the printers of the configuration they serve, the\n"
		   "jobs waiting in them, and the station's latest prints."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "printers", &argc, &argv, 0)) >= 0)
		return rc;
	config = st_cli_load_config("printers", config_path);
	if (config == NULL)
		return ST_EXIT_FAIL;
	for (guint i = 0; i < config->printers->len; i++) {
		const StPrinterConfig *p = g_ptr_array_index(config->printers, i);
		if (p->spool != NULL)
			g_print(_("printer %s: spool folder %s (%s at %u dpi), not CUPS\n"),
				p->name, p->spool, p->language, p->dpi);
	}
	queues = st_printer_get_queues(config->cups_server, &error);
	if (queues != NULL)
		jobs = st_printer_get_jobs(config->cups_server, NULL, FALSE, &error);
	if (queues == NULL || jobs == NULL) {
		/* the spool folders and the station's own record are still worth showing; the
		 * exit status says CUPS could not be asked, unless nothing here prints through it
		 */
		g_printerr(_("station printers: %s\n"), error->message);
		cups_failed = TRUE;
		g_clear_pointer(&queues, g_ptr_array_unref);
		queues = g_ptr_array_new();
		jobs = g_ptr_array_new();
	}
	if (queues->len == 0 && !cups_failed)
		g_print(_("CUPS has no printer queues; a shift lead adds one with lpadmin or the "
			  "CUPS "
			  "web page\n"));
	for (guint i = 0; i < queues->len; i++) {
		StPrintQueue *q = g_ptr_array_index(queues, i);
		g_autofree gchar *attention = st_print_queue_describe(q);
		g_autofree gchar *reasons = g_strjoinv(", ", q->reasons);
		g_print("%s: %s, %s%s%s\n", q->name, st_printer_state_to_string(q->state),
			q->accepting ? "accepting jobs" : "rejecting jobs",
			q->reasons[0] != NULL ? ", " : "", reasons);
		if (q->device_uri != NULL && q->device_uri[0] != '\0')
			g_print("    device %s\n", q->device_uri);
		if (q->message[0] != '\0')
			g_print(_("    printer says: %s\n"), q->message);
		if (attention != NULL)
			g_print("    ATTENTION: %s\n", attention);
		st_printers_show_roles(config, q->name);
		for (guint j = 0; j < jobs->len; j++) {
			StPrintJobStatus *s = g_ptr_array_index(jobs, j);
			if (g_strcmp0(s->queue, q->name) != 0)
				continue;
			g_print("    job %d %s: %s%s%s\n", s->id,
				st_print_job_state_to_string(s->state), s->name,
				s->message[0] != '\0' ? " - " : "", s->message);
		}
	}
	if (g_file_test(config->store_path, G_FILE_TEST_EXISTS)) {
		g_autoptr(StStore) store =
			st_cli_open_store("printers", config, ST_CLI_STORE_CREATE);
		g_autoptr(GPtrArray) prints = NULL;
		if (store == NULL)
			return ST_EXIT_FAIL;
		/* what CUPS finished while no station serve followed it is stored first, and a
		 * print left half-way by a process that stopped is settled */
		if (!cups_failed) {
			g_autoptr(StPrinting) printing = st_printing_new(store, config);
			g_autoptr(GError) error_refresh = NULL;
			g_autoptr(GPtrArray) said = g_ptr_array_new_with_free_func(g_free);
			if (st_printing_settle_submissions(printing, 0, said, &error_refresh))
				st_printing_refresh(printing, &error_refresh);
			for (guint i = 0; i < said->len; i++)
				g_print(_("station printers: %s\n"), (const gchar *)said->pdata[i]);
			if (error_refresh != NULL)
				g_printerr(
					_("station printers: the prints were not all asked about: "
					  "%s\n"),
					error_refresh->message);
		}
		prints = st_store_get_prints(store, 0, FALSE, 10, &error);
		if (prints == NULL) {
			g_printerr(_("station printers: %s\n"), error->message);
			return ST_EXIT_FAIL;
		}
		if (prints->len > 0)
			g_print(_("\nlatest prints of this station:\n"));
		for (guint i = 0; i < prints->len; i++) {
			StPrintRecord *r = g_ptr_array_index(prints, i);
			g_print("  label %" G_GINT64_FORMAT " on %s (job %d)%s: %s  %s\n",
				r->label_id, r->queue, r->cups_job_id, r->reprint ? " reprint" : "",
				r->state, r->requested_at);
		}
	}
	if (cups_failed) {
		/* the built-in label and document printers are CUPS queues unless configured */
		gboolean uses_cups = FALSE;
		for (const gchar *const *role = (const gchar *const[]){"label", "document", NULL};
		     *role != NULL; role++) {
			g_autoptr(StPrinterConfig) p =
				st_printer_config_find(config->printers, *role);
			uses_cups |= p->spool == NULL;
		}
		for (guint i = 0; i < config->printers->len; i++)
			uses_cups |= ((StPrinterConfig *)g_ptr_array_index(config->printers, i))
					     ->spool == NULL;
		return uses_cups ? ST_EXIT_FAIL : ST_EXIT_OK;
	}
	return ST_EXIT_OK;
}
