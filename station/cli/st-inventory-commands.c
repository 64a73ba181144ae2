/*
 * The inventory commands: `station import`, `station stock`, `station ledger` and
 * `station check`. They open the database named by the configuration beside a running
 * `station serve` (SQLite's busy timeout: short transactions, the daemon keeps answering).
 */
#include <stdio.h>
#include <string.h>
#include <gio/gunixoutputstream.h>
#include <unistd.h>

#include "station/st-error.h"

#include "st-barcode.h"
#include "st-cli.h"
#include "st-csv.h"
#include "st-config.h"
#include "st-import.h"
#include "st-inventory-commands.h"
#include "st-print-command.h"
#include "st-printing.h"
#include "st-inventory.h"

/* opens the configured database as @mode says */
static StStore *
st_inventory_open(const gchar *command, const gchar *config_path, StCliStoreMode mode)
{
	g_autoptr(StConfig) config = st_cli_load_config(command, config_path);
	if (config == NULL)
		return NULL;
	return st_cli_open_store(command, config, mode);
}

typedef struct {
	guint64 total;
	gboolean tty;
	gint64 last_us;
	const gchar *name;
} StProgress;

static void
st_import_progress_cb(StImportStage stage,
		      guint64 done,
		      guint64 total,
		      guint rows,
		      gpointer user_data)
{
	StProgress *p = user_data;
	gint64 now = g_get_monotonic_time();
	guint percent;

	if (stage == ST_IMPORT_READING)
		total = p->total;
	percent = total > 0 ? (guint)MIN(done * 100 / total, 100) : 0;
	if (!p->tty || (now - p->last_us < 100000 && done < total))
		return;
	p->last_us = now;
	/* a bar of 30 cells on standard error, redrawn in place: reading the file, then
	 * applying its rows (only then does the import hold the database's write lock) */
	fprintf(stderr, "\r%s %-8s [%-30.*s] %3u%% %u rows", p->name,
		stage == ST_IMPORT_READING ? _("reading") : _("applying"),
		(gint)(percent * 30 / 100), "##############################", percent, rows);
	fflush(stderr);
}

gint
st_cmd_import(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(N_("KIND FILE.csv"));
	g_autofree gchar *config_path = NULL;
	g_autofree gchar *encoding = NULL;
	g_autofree gchar *operator_name = NULL;
	g_autofree gchar *request_key = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(GFile) file = NULL;
	g_autoptr(GFileInputStream) in = NULL;
	g_autoptr(GFileInfo) info = NULL;
	g_autofree gchar *summary = NULL;
	gboolean dry_run = FALSE, skip_bad = FALSE;
	StImportResult result = {0};
	StImportOptions options = {0};
	StProgress progress = {0};
	StImportKind kind;
	gint rc;
	GOptionEntry entries[] = {
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("Configuration file whose [store] path is the database"), N_("FILE")},
		{"dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
		 N_("Check every row on a private copy of the database and report, keep nothing "
		    "(takes no lock: benches go on scanning)"),
		 NULL},
		{"skip-bad", 0, 0, G_OPTION_ARG_NONE, &skip_bad,
		 N_("Keep the good rows of a file that has bad ones (default: a bad row imports "
		    "nothing)"),
		 NULL},
		{"encoding", 'e', 0, G_OPTION_ARG_STRING, &encoding,
		 N_("The file's character set when it is not UTF-8 (windows-1252, latin1, utf-16)"),
		 N_("CHARSET")},
		{"operator", 'o', 0, G_OPTION_ARG_STRING, &operator_name,
		 N_("Who is importing, for the ledger (stock)"), N_("NAME")},
		{"id", 0, 0, G_OPTION_ARG_STRING, &request_key,
		 N_("A key of your own for this import (the count's or the batch's number): the "
		    "same key again imports nothing and says when it was done, so a retried count "
		    "is never applied twice"),
		 N_("KEY")},
		{NULL}};

	summary = g_strdup_printf(
		_("Import a CSV file: KIND is products, locations, box-types, stock, orders or\n"
		  "operators.\n"
		  "The first line names the columns (any order, any case; ',' ';' or tab).\n"
		  "The file is read whole first, then applied in one transaction (only then\n"
		  "is the database locked): a bad row imports nothing, unless --skip-bad;\n"
		  "every bad row is reported with its line and reason.\n\n"
		  "Columns (* required):\n"
		  "  products:  %s\n"
		  "  locations: %s\n"
		  "  box-types: %s\n"
		  "  stock:     %s\n"
		  "  orders:    %s\n"
		  "  operators: %s\n\n"
		  "products and locations update what has the same SKU or code. stock is\n"
		  "what was counted: the difference from the database is recorded in the\n"
		  "ledger as an adjustment. orders: one row per line, the rows of an order\n"
		  "together; the ship-to columns are read from its first row. operators:\n"
		  "badge is what the badge barcode carries after its prefix (OP-0042: 0042),\n"
		  "role is packer, picker or lead, language en (default) or zh-CN; once there\n"
		  "are operators, a bench takes scans only after a badge is scanned."),
		st_import_kind_columns(ST_IMPORT_PRODUCTS),
		st_import_kind_columns(ST_IMPORT_LOCATIONS),
		st_import_kind_columns(ST_IMPORT_BOX_TYPES),
		st_import_kind_columns(ST_IMPORT_STOCK), st_import_kind_columns(ST_IMPORT_ORDERS),
		st_import_kind_columns(ST_IMPORT_OPERATORS));
	g_option_context_set_summary(context, summary);
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "import", &argc, &argv, 2)) >= 0)
		return rc;
	if (argc != 3 || !st_import_kind_from_string(argv[1], &kind)) {
		g_printerr(_("station import: give KIND (products, locations, box-types, stock, "
			     "orders, operators) and FILE.csv (try station import --help)\n"));
		return ST_EXIT_USAGE;
	}
	file = g_file_new_for_commandline_arg(argv[2]);
	in = g_file_read(file, NULL, &error);
	if (in == NULL) {
		g_printerr(_("station import: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	info = g_file_query_info(file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
	if (dry_run) {
		/* a dry run only reads the database (it works on a private copy): none yet is an
		 * empty one */
		g_autoptr(StConfig) config = st_cli_load_config("import", config_path);
		if (config == NULL)
			return ST_EXIT_FAIL;
		if (g_file_test(config->store_path, G_FILE_TEST_EXISTS)) {
			store = st_cli_open_store("import", config, ST_CLI_STORE_READ);
			if (store == NULL)
				return ST_EXIT_FAIL;
		}
	} else {
		store = st_inventory_open("import", config_path, ST_CLI_STORE_CREATE);
		if (store == NULL)
			return ST_EXIT_FAIL;
	}
	progress.total = info != NULL ? (guint64)g_file_info_get_size(info) : 0;
	progress.tty = isatty(STDERR_FILENO) == 1;
	progress.name = argv[2];
	options.dry_run = dry_run;
	options.skip_bad = skip_bad;
	options.encoding = encoding;
	options.operator_name = operator_name;
	options.request_key = request_key;
	options.progress = st_import_progress_cb;
	options.progress_data = &progress;
	if (!st_import_csv(store, kind, G_INPUT_STREAM(in), argv[2], &options, &result, &error)) {
		if (progress.tty)
			fputc('\n', stderr);
		g_printerr(_("station import: %s; nothing was imported\n"), error->message);
		st_import_result_clear(&result);
		return ST_EXIT_FAIL;
	}
	if (progress.tty)
		fputc('\n', stderr);
	if (result.done_before != NULL) {
		/* a retry of what is done: not an error, and not done again */
		g_print(_("station import: request %s was imported already, at %s: nothing was "
			  "imported again\n"),
			request_key, result.done_before);
		st_import_result_clear(&result);
		return ST_EXIT_OK;
	}
	for (guint i = 0; i < result.faults->len; i++)
		/* TRANSLATORS: a CSV file's name, then what is wrong in one of its rows */
		g_printerr(_("%s: %s\n"), argv[2], (const gchar *)result.faults->pdata[i]);
	if (result.faults_left_out > 0)
		g_printerr(_("%s: ... and %u more faults\n"), argv[2], result.faults_left_out);
	/* TRANSLATORS: the start of an import's summary, followed by what was done */
	g_print(_("%s: %u rows, %u bad; "), argv[2], result.rows, result.bad);
	if (dry_run)
		g_print(_("dry run: nothing kept (%u rows would be imported)\n"),
			result.rows - result.bad);
	else if (result.kept)
		g_print(result.bad > 0 ? _("%u imported, the bad rows left out\n")
				       : _("%u imported\n"),
			result.imported);
	else
		g_print(_("nothing imported: fix the rows above, or give --skip-bad to leave them "
			  "out\n"));
	rc = result.bad > 0 || (!result.kept && !dry_run) ? ST_EXIT_FAIL : ST_EXIT_OK;
	st_import_result_clear(&result);
	return rc;
}

gint
st_cmd_stock(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(N_("SKU|BARCODE"));
	g_autofree gchar *config_path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(StStockReport) report = NULL;
	gint rc;
	GOptionEntry entries[] = {{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
				   N_("Configuration file whose [store] path is the database"),
				   N_("FILE")},
				  {NULL}};

	g_option_context_set_summary(
		context, N_("Where a product is and how many: every location with its lot, expiry\n"
			    "and serial, in pick order; on hand, reserved for orders, available."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "stock", &argc, &argv, 1)) >= 0)
		return rc;
	if (argc != 2) {
		g_printerr(
			_("station stock: give a SKU or a barcode (try station stock --help)\n"));
		return ST_EXIT_USAGE;
	}
	store = st_inventory_open("stock", config_path, ST_CLI_STORE_READ);
	if (store == NULL)
		return ST_EXIT_FAIL;
	report = st_inventory_stock_by_code(store, argv[1], &error);
	if (report == NULL) {
		g_printerr(_("station stock: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	g_print("%s  %s\n", report->sku, report->name);
	st_cli_print_row((StCliCell[]){{_("location"), -16, 2},
				       {_("lot"), -12},
				       {_("expiry"), -10},
				       {_("serial"), -16},
				       {_("quantity"), 10}},
			 5);
	for (guint i = 0; i < report->rows->len; i++) {
		const StStockRow *row = g_ptr_array_index(report->rows, i);
		g_print("  %-16s %-12s %-10s %-16s %10" G_GINT64_FORMAT "\n", row->location,
			row->lot[0] ? row->lot : "-", row->expiry[0] ? row->expiry : "-",
			row->serial[0] ? row->serial : "-", row->quantity);
	}
	if (report->rows->len == 0)
		g_print(_("  (none in any location)\n"));
	g_print(_("on hand %lld, reserved %lld, available %lld\n"), (long long)report->on_hand,
		(long long)report->reserved, (long long)report->available);
	return ST_EXIT_OK;
}

gint
st_cmd_ledger(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(N_("SKU"));
	g_autofree gchar *config_path = NULL;
	g_autofree gchar *location = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(GPtrArray) rows = NULL;
	gint rc;
	GOptionEntry entries[] = {
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("Configuration file whose [store] path is the database"), N_("FILE")},
		{"location", 'l', 0, G_OPTION_ARG_STRING, &location,
		 N_("Only what came into or left this location, with its balance"), N_("CODE")},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("Explain a quantity: every change of a product's stock, oldest first,\n"
		   "with who, where, why and the scan or order behind it, and the balance\n"
		   "after each (at --location, or in all locations)."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "ledger", &argc, &argv, 1)) >= 0)
		return rc;
	if (argc != 2) {
		g_printerr(_("station ledger: give a SKU (try station ledger --help)\n"));
		return ST_EXIT_USAGE;
	}
	store = st_inventory_open("ledger", config_path, ST_CLI_STORE_READ);
	if (store == NULL)
		return ST_EXIT_FAIL;
	rows = st_store_get_ledger(store, argv[1], location, &error);
	if (rows == NULL) {
		g_printerr(_("station ledger: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	for (guint i = 0; i < rows->len; i++) {
		const StLedgerRow *r = g_ptr_array_index(rows, i);
		g_autoptr(GString) extra = g_string_new(NULL);
		if (r->lot[0])
			g_string_append_printf(extra, " lot %s", r->lot);
		if (r->expiry[0])
			g_string_append_printf(extra, " expiry %s", r->expiry);
		if (r->serial[0])
			g_string_append_printf(extra, " serial %s", r->serial);
		if (r->order_number != NULL)
			g_string_append_printf(extra, " order %s", r->order_number);
		if (r->scan_id > 0)
			g_string_append_printf(extra, " scan %" G_GINT64_FORMAT, r->scan_id);
		if (r->operator_name != NULL)
			g_string_append_printf(extra, " by %s", r->operator_name);
		if (r->note != NULL)
			g_string_append_printf(extra, " (%s)", r->note);
		g_print("#%-6" G_GINT64_FORMAT " %s %-7s %6" G_GINT64_FORMAT " %s -> %s%s  "
			"balance %" G_GINT64_FORMAT "\n",
			r->id, r->at, r->kind, r->quantity, r->from != NULL ? r->from : "(in)",
			r->to != NULL ? r->to : "(out)", extra->str, r->balance);
	}
	if (rows->len == 0)
		g_print(_("no stock change of %s%s%s yet\n"), argv[1],
			location != NULL ? " at " : "", location != NULL ? location : "");
	return ST_EXIT_OK;
}

gint
st_cmd_check(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autofree gchar *config_path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	gint rc;
	GOptionEntry entries[] = {{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
				   N_("Configuration file whose [store] path is the database"),
				   N_("FILE")},
				  {NULL}};

	g_option_context_set_summary(
		context,
		N_("Check the database: SQLite's integrity check and foreign keys, that the\n"
		   "stock table is what the ledger adds up to, and that no location that does\n"
		   "not allow it is below zero. Exit status 1 and one line per problem when\n"
		   "something is wrong."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "check", &argc, &argv, 0)) >= 0)
		return rc;
	store = st_inventory_open("check", config_path, ST_CLI_STORE_READ);
	if (store == NULL)
		return ST_EXIT_FAIL;
	if (!st_store_check(store, &problems, &error)) {
		g_printerr(_("station check: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	for (guint i = 0; i < problems->len; i++)
		g_print("%s\n", (const gchar *)problems->pdata[i]);
	if (problems->len > 0) {
		g_print(dngettext(GETTEXT_PACKAGE, "%s: %u problem\n", "%s: %u problems\n",
				  problems->len),
			st_store_get_path(store), problems->len);
		return ST_EXIT_FAIL;
	}
	g_print(_("%s: ok (integrity, references, stock matches the ledger)\n"),
		st_store_get_path(store));
	return ST_EXIT_OK;
}

typedef struct {
	GOutputStream *out;
	GString *buf;
	guint rows;
} StExport;

static gboolean
st_export_row_cb(const gchar *const *fields, gpointer user_data, GError **error)
{
	StExport *e = user_data;
	st_csv_append_row(e->buf, fields);
	e->rows++;
	/* written out in 64 KiB pieces: a table of any size streams through */
	if (e->buf->len >= 64 * 1024) {
		if (!g_output_stream_write_all(e->out, e->buf->str, e->buf->len, NULL, NULL, error))
			return FALSE;
		g_string_truncate(e->buf, 0);
	}
	return TRUE;
}

gint
st_cmd_export(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(N_("WHAT [FILE.csv]"));
	g_autofree gchar *config_path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(GOutputStream) out = NULL;
	g_autoptr(GString) buf = g_string_new(NULL);
	StExport e = {0};
	gint rc;
	GOptionEntry entries[] = {{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
				   N_("Configuration file whose [store] path is the database"),
				   N_("FILE")},
				  {NULL}};

	g_option_context_set_summary(
		context,
		N_("Export as CSV (UTF-8, ',' and CRLF): WHAT is products, locations, box-types,\n"
		   "stock, orders or ledger; to FILE.csv, or to standard output. The columns are\n"
		   "those `station import` reads, so an export imports back. A consistent "
		   "snapshot:\n"
		   "a running `station serve` goes on writing meanwhile."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "export", &argc, &argv, 2)) >= 0)
		return rc;
	if (argc < 2) {
		g_printerr(_(
			"station export: give WHAT (products, locations, box-types, stock, orders, "
			"ledger) (try station export --help)\n"));
		return ST_EXIT_USAGE;
	}
	store = st_inventory_open("export", config_path, ST_CLI_STORE_READ);
	if (store == NULL)
		return ST_EXIT_FAIL;
	if (argc == 3) {
		g_autoptr(GFile) file = g_file_new_for_commandline_arg(argv[2]);
		out = G_OUTPUT_STREAM(
			g_file_replace(file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
		if (out == NULL) {
			g_printerr(_("station export: %s\n"), error->message);
			return ST_EXIT_FAIL;
		}
	} else {
		out = g_unix_output_stream_new(STDOUT_FILENO, FALSE);
	}
	e.out = out;
	e.buf = buf;
	if (!st_store_export(store, argv[1], st_export_row_cb, &e, &error) ||
	    !g_output_stream_write_all(out, buf->str, buf->len, NULL, NULL, &error) ||
	    !g_output_stream_close(out, NULL, &error)) {
		g_printerr(_("station export: %s\n"), error->message);
		return error->domain == ST_CLI_ERROR && error->code == ST_ERROR_INVALID_DATA
			       ? ST_EXIT_USAGE
			       : ST_EXIT_FAIL;
	}
	if (argc == 3)
		g_printerr("%s: %u rows\n", argv[2], e.rows > 0 ? e.rows - 1 : 0);
	return ST_EXIT_OK;
}

gint
st_cmd_record(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(N_("KIND SKU QUANTITY"));
	g_autofree gchar *config_path = NULL;
	g_autofree gchar *from = NULL, *to = NULL, *lot = NULL, *expiry = NULL, *serial = NULL;
	g_autofree gchar *order = NULL, *note = NULL, *operator_name = NULL, *request_key = NULL;
	gint line = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = NULL;
	StStockChange change = {0};
	gint64 ledger_id = 0;
	guint64 quantity;
	gint rc;
	GOptionEntry entries[] = {
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("Configuration file whose [store] path is the database"), N_("FILE")},
		{"from", 'f', 0, G_OPTION_ARG_STRING, &from, N_("Location the goods leave"),
		 N_("CODE")},
		{"to", 't', 0, G_OPTION_ARG_STRING, &to, N_("Location the goods reach"),
		 N_("CODE")},
		{"lot", 0, 0, G_OPTION_ARG_STRING, &lot, N_("Lot (batch) number"), N_("LOT")},
		{"expiry", 0, 0, G_OPTION_ARG_STRING, &expiry, N_("Expiry date"), N_("YYYY-MM-DD")},
		{"serial", 0, 0, G_OPTION_ARG_STRING, &serial, N_("Serial number (quantity 1)"),
		 N_("SN")},
		{"order", 0, 0, G_OPTION_ARG_STRING, &order, N_("Order, for pick, pack and cancel"),
		 N_("NUMBER")},
		{"line", 0, 0, G_OPTION_ARG_INT, &line, N_("Order line, with --order"), N_("N")},
		{"note", 'm', 0, G_OPTION_ARG_STRING, &note, N_("Why (for an adjustment)"),
		 N_("TEXT")},
		{"operator", 'o', 0, G_OPTION_ARG_STRING, &operator_name, N_("Who"), N_("NAME")},
		{"id", 0, 0, G_OPTION_ARG_STRING, &request_key,
		 N_("A key of your own for this change: run again with the same key (a retry after "
		    "a crash or a timeout), nothing is booked twice"),
		 N_("KEY")},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("Record a change of stock in the ledger (and the stock table, and an event for\n"
		   "the central system, in one transaction). KIND is one of:\n"
		   "  receive  goods in:                --to\n"
		   "  return   back from a customer:    --to\n"
		   "  adjust   found (--to) or lost (--from), with --note\n"
		   "  move     --from one location --to another\n"
		   "  pick     --from a location --to a tote or bench, with --order and --line\n"
		   "  pack     --from where it was packed, out of stock, with --order and --line\n"
		   "  cancel   --from the tote --to a location, with --order and --line\n"
		   "A product tracked by lot, expiry or serial needs them. Nothing goes below "
		   "zero\n"
		   "where the location does not allow it.\n\n"
		   "Example: station record receive PEN-BLK 40 --to A-01-02"));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "record", &argc, &argv, 3)) >= 0)
		return rc;
	if (argc != 4 || !st_ledger_kind_from_string(argv[1], &change.kind)) {
		g_printerr(
			_("station record: give KIND (receive, return, adjust, move, pick, pack, "
			  "cancel), SKU and QUANTITY (try station record --help)\n"));
		return ST_EXIT_USAGE;
	}
	if (!g_ascii_string_to_unsigned(argv[3], 10, 1, G_MAXINT32, &quantity, NULL)) {
		g_printerr(_("station record: quantity '%s' is not a whole number of 1 or more\n"),
			   argv[3]);
		return ST_EXIT_USAGE;
	}
	store = st_inventory_open("record", config_path, ST_CLI_STORE_WRITE);
	if (store == NULL)
		return ST_EXIT_FAIL;
	change.sku = argv[2];
	change.quantity = (gint64)quantity;
	change.from = from;
	change.to = to;
	change.lot = lot;
	change.expiry = expiry;
	change.serial = serial;
	change.order_number = order;
	change.line_no = line > 0 ? (guint)line : 0;
	change.note = note;
	change.operator_name = operator_name;
	change.request_key = request_key;
	if (!st_store_change_stock(store, &change, &ledger_id, &error)) {
		if (g_error_matches(error, ST_STORE_ERROR, ST_ERROR_EXISTS) &&
		    request_key != NULL) {
			/* a retry of what is done: not an error, and not done again */
			g_print(_("station record: %s\n"), error->message);
			return ST_EXIT_OK;
		}
		g_printerr(_("station record: %s; nothing was recorded\n"), error->message);
		return ST_EXIT_FAIL;
	}
	/* TRANSLATORS: a recorded change of stock: its ledger number, its kind (receive,
	 * move, ...), how many of which SKU, then " from A" and " to B" where they apply */
	{
		/* TRANSLATORS: where a recorded change of stock came from, after its SKU */
		g_autofree gchar *from_text =
			from != NULL ? g_strdup_printf(_(" from %s"), from) : g_strdup("");
		/* TRANSLATORS: where a recorded change of stock went, after its SKU */
		g_autofree gchar *to_text =
			to != NULL ? g_strdup_printf(_(" to %s"), to) : g_strdup("");
		g_print(_("ledger #%lld: %s %llu of %s%s%s\n"), (long long)ledger_id, argv[1],
			(unsigned long long)quantity, argv[2], from_text, to_text);
	}
	return ST_EXIT_OK;
}

gint
st_cmd_reserve(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(N_("ORDER"));
	g_autofree gchar *config_path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(GPtrArray) shortages = NULL;
	gint rc;
	GOptionEntry entries[] = {{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
				   N_("Configuration file whose [store] path is the database"),
				   N_("FILE")},
				  {NULL}};

	g_option_context_set_summary(
		context,
		N_("Reserve stock for an order: each line gets what it still needs out of\n"
		   "what is available (on hand minus reserved). Lines that cannot get all\n"
		   "they need are listed, and the exit status is then 1."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "reserve", &argc, &argv, 1)) >= 0)
		return rc;
	if (argc != 2) {
		g_printerr(
			_("station reserve: give the order number (try station reserve --help)\n"));
		return ST_EXIT_USAGE;
	}
	store = st_inventory_open("reserve", config_path, ST_CLI_STORE_WRITE);
	if (store == NULL)
		return ST_EXIT_FAIL;
	if (!st_store_reserve_order(store, argv[1], &shortages, &error)) {
		g_printerr(_("station reserve: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	for (guint i = 0; i < shortages->len; i++)
		g_print(_("short: %s\n"), (const gchar *)shortages->pdata[i]);
	g_print(shortages->len == 0 ? _("order %s: every line reserved\n")
				    : _("order %s: reserved what is available\n"),
		argv[1]);
	return shortages->len == 0 ? ST_EXIT_OK : ST_EXIT_FAIL;
}

gint
st_cmd_operators(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autofree gchar *config_path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(GPtrArray) operators = NULL;
	gint rc;
	GOptionEntry entries[] = {{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
				   N_("Configuration file whose [store] path is the database"),
				   N_("FILE")},
				  {NULL}};

	g_option_context_set_summary(
		context,
		N_("The operators who may log in at a bench with their badge: badge, role,\n"
		   "language and name. Add or change them with `station import operators\n"
		   "FILE.csv`. While there is none, a bench takes scans without a badge."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "operators", &argc, &argv, 0)) >= 0)
		return rc;
	store = st_inventory_open("operators", config_path, ST_CLI_STORE_READ);
	if (store == NULL)
		return ST_EXIT_FAIL;
	operators = st_store_get_operators(store, &error);
	if (operators == NULL) {
		g_printerr(_("station operators: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	if (operators->len == 0) {
		g_print(_("no operators: benches take scans without a badge (add them with station "
			  "import operators FILE.csv)\n"));
		return ST_EXIT_OK;
	}
	/* TRANSLATORS: the column headers of `station operators`: a few characters each */
	st_cli_print_row(
		(StCliCell[]){{_("badge"), -12}, {_("role"), -7}, {_("lang"), -6}, {_("name")}}, 4);
	for (guint i = 0; i < operators->len; i++) {
		const StOperator *op = g_ptr_array_index(operators, i);
		g_print("%-12s %-7s %-6s %s\n", op->badge, st_operator_role_to_string(op->role),
			op->language, op->name);
	}
	return ST_EXIT_OK;
}

gint
st_cmd_manifests(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(N_("[MANIFEST]"));
	g_autofree gchar *config_path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(GPtrArray) rows = NULL;
	gint limit = 20;
	gint rc;
	GOptionEntry entries[] = {
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("Configuration file whose [store] path is the database"), N_("FILE")},
		{"limit", 'n', 0, G_OPTION_ARG_INT, &limit,
		 N_("List at most N manifests, the newest first (default 20)"), N_("N")},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("The carriers' manifests loaded at the dock (a seat with workflow = ship): "
		   "each\n"
		   "with its carrier, open or closed, and how many parcels of how many orders are "
		   "on\n"
		   "it. With MANIFEST (its number), the parcels on it: order, tracking number or\n"
		   "SSCC, and when each was loaded. The done command at the dock closes a "
		   "manifest."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "manifests", &argc, &argv, 1)) >= 0)
		return rc;
	if (limit <= 0) {
		g_printerr(_("station manifests: --limit takes a number above 0\n"));
		return ST_EXIT_USAGE;
	}
	store = st_inventory_open("manifests", config_path, ST_CLI_STORE_READ);
	if (store == NULL)
		return ST_EXIT_FAIL;
	if (argc > 1) {
		gchar *end = NULL;
		guint64 id = g_ascii_strtoull(argv[1], &end, 10);
		if (end == argv[1] || *end != '\0' || id == 0 || id > G_MAXINT32) {
			g_printerr(_("station manifests: \"%s\" is not a manifest number; "
				     "`station manifests` lists them\n"),
				   argv[1]);
			return ST_EXIT_USAGE;
		}
		rows = st_store_get_manifest_parcels(store, (gint64)id, &error);
		if (rows == NULL) {
			g_printerr(_("station manifests: %s; `station manifests` lists them\n"),
				   error->message);
			return ST_EXIT_FAIL;
		}
		st_cli_print_row(
			(StCliCell[]){{_("order"), -10}, {_("parcel"), -36}, {_("loaded")}}, 3);
		for (guint i = 0; i < rows->len; i++) {
			const StManifestParcel *p = g_ptr_array_index(rows, i);
			g_print("%-10s %-36s %s\n", p->order_number, p->reference, p->added_at);
		}
		return ST_EXIT_OK;
	}
	rows = st_store_get_manifests(store, (guint)limit, &error);
	if (rows == NULL) {
		g_printerr(_("station manifests: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	if (rows->len == 0) {
		g_print(_(
			"no manifests yet: a seat with workflow = ship makes one when it loads its "
			"first parcel\n"));
		return ST_EXIT_OK;
	}
	st_cli_print_row((StCliCell[]){{_("manifest"), -8},
				       {_("carrier"), -12},
				       {_("state"), -7},
				       {_("parcels"), 7},
				       {_("orders"), 6},
				       {_("opened / closed"), 0, 2}},
			 6);
	for (guint i = 0; i < rows->len; i++) {
		const StManifest *m = g_ptr_array_index(rows, i);
		g_autofree gchar *id = g_strdup_printf("%" G_GINT64_FORMAT, m->id);
		g_autofree gchar *parcels = g_strdup_printf("%u", m->parcels);
		g_autofree gchar *orders = g_strdup_printf("%u", m->orders);
		g_autofree gchar *when = g_strconcat(
			m->opened_at, m->closed_at != NULL ? " / " : "", m->closed_at, NULL);
		st_cli_print_row(
			(StCliCell[]){{id, -8},
				      {*m->carrier != '\0' ? m->carrier : _("(none)"), -12},
				      /* TRANSLATORS: a manifest's state in `station manifests` */
				      {m->closed ? _("closed") : _("open"), -7},
				      {parcels, 7},
				      {orders, 6},
				      {when, 0, 2}},
			6);
	}
	return ST_EXIT_OK;
}

static void
st_print_pick_list(const StPickList *l)
{
	g_print("%-8s %-7s %-9s %6u %5u/%-5u %6u %6u %6u  %s\n", l->code,
		st_pick_mode_to_string(l->mode), l->status, l->orders, l->picks_done, l->picks,
		l->units, l->units_picked, l->units_short, l->seat != NULL ? l->seat : "");
}

static void
st_print_pick_list_header(void)
{
	st_cli_print_row((StCliCell[]){{_("list"), -8},
				       {_("mode"), -7},
				       {_("status"), -9},
				       {_("orders"), 6},
				       {_("picks done"), 11},
				       {_("units"), 6},
				       {_("picked"), 6},
				       {_("short"), 6},
				       {_("picked at"), 0, 2}},
			 9);
}

/* the list's sheet, printed and followed as `station print` does */
static gint
st_cmd_picklist_print(StStore *store, const StConfig *config, gint64 id, const gchar *printer)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPrinting) printing = st_printing_new(store, config);
	gint64 label_id = st_printing_put_pick_list(printing, config, id, printer, &error);

	if (label_id == 0) {
		g_printerr(_("station picklist: the sheet was not printed: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	return st_print_command_follow(store, config, label_id,
				       printer != NULL ? printer : "document", FALSE);
}

/* station picklist create: the orders named, or a batch of the oldest released */
static gint
st_cmd_picklist_create(StStore *store,
		       const gchar *orders,
		       gint batch,
		       gboolean cluster,
		       gint64 *id)
{
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) numbers = NULL;
	g_autoptr(GPtrArray) notes = NULL;
	g_autoptr(StPickList) list = NULL;
	g_autoptr(GPtrArray) tasks = NULL;
	StPickMode mode;

	if ((orders == NULL) == (batch <= 0)) {
		g_printerr(_(
			"station picklist create: give either --orders NUMBER,... or --batch N\n"));
		return ST_EXIT_USAGE;
	}
	if (orders != NULL) {
		numbers = g_strsplit(orders, ",", -1);
		for (guint i = 0; numbers[i] != NULL; i++) {
			g_strstrip(numbers[i]);
			if (numbers[i][0] == '\0') {
				g_printerr(_("station picklist create: --orders has an empty order "
					     "number\n"));
				return ST_EXIT_USAGE;
			}
		}
	}
	if (cluster)
		mode = ST_PICK_MODE_CLUSTER;
	else if (numbers != NULL && g_strv_length(numbers) == 1)
		mode = ST_PICK_MODE_ORDER;
	else
		mode = ST_PICK_MODE_BATCH;
	list = st_store_create_pick_list(store, mode, (const gchar *const *)numbers, (guint)batch,
					 &notes, &error);
	if (list == NULL) {
		g_printerr(_("station picklist create: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	for (guint i = 0; i < notes->len; i++)
		g_printerr(_("station picklist create: %s\n"),
			   (const gchar *)g_ptr_array_index(notes, i));
	*id = list->id;
	g_print(_("pick list %s (barcode PL-%s): %s of %u order%s, %u picks, %u units\n"),
		list->code, list->code, st_pick_mode_to_string(list->mode), list->orders,
		list->orders == 1 ? "" : "s", list->picks, list->units);
	tasks = st_store_get_pick_tasks(store, list->id, &error);
	if (tasks == NULL) {
		g_printerr(_("station picklist create: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	st_cli_print_row((StCliCell[]){{_("seq"), -4},
				       {_("location"), -14},
				       {_("order"), -10},
				       {_("sku"), -12},
				       {_("qty"), 5},
				       {_("lot"), -12},
				       {_("expiry")}},
			 7);
	for (guint i = 0; i < tasks->len; i++) {
		const StPickTask *t = g_ptr_array_index(tasks, i);
		g_print("%-4u %-14s %-10s %-12s %5u %-12s %s\n", t->seq, t->location,
			t->order_number, t->sku, t->quantity, t->lot, t->expiry);
	}
	return ST_EXIT_OK;
}

static gint
st_cmd_picklist_show(StStore *store, const gchar *code)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPickList) list = NULL;
	g_autoptr(GPtrArray) tasks = NULL;
	g_autoptr(GPtrArray) orders = NULL;

	/* the barcode's text works as well as its key */
	if (g_str_has_prefix(code, "PL-"))
		code += 3;
	list = st_store_find_pick_list(store, code, &error);
	if (list == NULL) {
		g_printerr(_("station picklist: %s; `station picklist` lists them\n"),
			   error->message);
		return ST_EXIT_FAIL;
	}
	st_print_pick_list_header();
	st_print_pick_list(list);
	orders = st_store_get_pick_list_orders(store, list->id, &error);
	tasks = orders != NULL ? st_store_get_pick_tasks(store, list->id, &error) : NULL;
	if (tasks == NULL) {
		g_printerr(_("station picklist: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	g_print("\n");
	st_cli_print_row((StCliCell[]){{_("slot"), -4}, {_("order"), -10}, {_("tote")}}, 3);
	for (guint i = 0; i < orders->len; i++) {
		const StPickListOrder *o = g_ptr_array_index(orders, i);
		g_print("%-4u %-10s %s\n", o->slot, o->order_number,
			o->tote != NULL ? o->tote : _("(none yet)"));
	}
	g_print("\n");
	st_cli_print_row((StCliCell[]){{_("seq"), -4},
				       {_("location"), -14},
				       {_("order"), -10},
				       {_("sku"), -12},
				       {_("qty"), 5},
				       {_("picked"), 6},
				       {_("short"), 5},
				       {_("lot"), -12},
				       {_("expiry"), -10},
				       {_("state")}},
			 10);
	for (guint i = 0; i < tasks->len; i++) {
		const StPickTask *t = g_ptr_array_index(tasks, i);
		g_print("%-4u %-14s %-10s %-12s %5u %6u %5u %-12s %-10s %s\n", t->seq, t->location,
			t->order_number, t->sku, t->quantity, t->picked, t->short_qty, t->lot,
			/* TRANSLATORS: a pick's state in `station picklist show`, the last column
			 */
			t->expiry, t->done ? _("done") : _("to do"));
	}
	return ST_EXIT_OK;
}

gint
st_cmd_picklist(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context =
		g_option_context_new(N_("[create | print LIST | LIST]"));
	g_autofree gchar *config_path = NULL;
	g_autofree gchar *orders = NULL;
	g_autofree gchar *printer = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(GPtrArray) lists = NULL;
	gboolean cluster = FALSE, open_only = FALSE, print = FALSE;
	gint batch = 0, limit = 20;
	gint rc;
	GOptionEntry entries[] = {
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("Configuration file whose [store] path is the database"), N_("FILE")},
		{"orders", 'o', 0, G_OPTION_ARG_STRING, &orders,
		 N_("create: the orders to pick, by number, separated by commas"),
		 N_("NUMBER,...")},
		{"batch", 'b', 0, G_OPTION_ARG_INT, &batch,
		 N_("create: the N oldest released orders on no pick list"), N_("N")},
		{"cluster", 0, 0, G_OPTION_ARG_NONE, &cluster,
		 N_("create: one tote per order (picked side by side), instead of one tote for the "
		    "whole list (sorted at packing)"),
		 NULL},
		{"print", 'p', 0, G_OPTION_ARG_NONE, &print,
		 N_("create: print the list's sheet (its barcode, orders and route) for the "
		    "picker"),
		 NULL},
		{"printer", 0, 0, G_OPTION_ARG_STRING, &printer,
		 N_("print: the printer, a [printer NAME] or a CUPS queue (default: document)"),
		 N_("NAME")},
		{"open", 0, 0, G_OPTION_ARG_NONE, &open_only, N_("List only the lists still open"),
		 NULL},
		{"limit", 'n', 0, G_OPTION_ARG_INT, &limit,
		 N_("List at most N lists, the newest first (default 20)"), N_("N")},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("Pick lists: the orders a picker collects in one walk. `station picklist "
		   "create\n"
		   "--orders A,B` or `--batch N` reserves the orders, allots what is reserved to "
		   "the\n"
		   "pick locations (bins) that hold it, the first expiring lot first, and orders "
		   "the\n"
		   "picks by the locations' pick sequence; what cannot be put on the list is "
		   "said.\n"
		   "The picker scans the list's barcode (PL-CODE) at a seat with workflow = pick;\n"
		   "`--print` (or `station picklist print LIST`) prints the list's sheet with "
		   "that\n"
		   "barcode and the route on the document printer. Without arguments, the newest\n"
		   "lists and how far each is; with LIST (its code or barcode), its orders, totes "
		   "and\n"
		   "picks."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "picklist", &argc, &argv, 1)) >= 0)
		return rc;
	if (limit <= 0 || batch < 0) {
		g_printerr(_("station picklist: --limit and --batch take a number above 0\n"));
		return ST_EXIT_USAGE;
	}
	config = st_cli_load_config("picklist", config_path);
	if (config == NULL)
		return ST_EXIT_FAIL;
	/* creating a list and printing one write; showing them only reads */
	store = st_cli_open_store(
		"picklist", config,
		argc > 1 && (g_strcmp0(argv[1], "create") == 0 || g_strcmp0(argv[1], "print") == 0)
			? ST_CLI_STORE_WRITE
			: ST_CLI_STORE_READ);
	if (store == NULL)
		return ST_EXIT_FAIL;
	if (argc > 1 && g_strcmp0(argv[1], "create") == 0) {
		gint64 id = 0;
		gint made = st_cmd_picklist_create(store, orders, batch, cluster, &id);
		if (made != ST_EXIT_OK || !print)
			return made;
		return st_cmd_picklist_print(store, config, id, printer);
	}
	if (argc > 1 && g_strcmp0(argv[1], "print") == 0) {
		g_autoptr(StPickList) list = NULL;
		const gchar *code = argc > 2 ? argv[2] : NULL;
		if (code == NULL) {
			g_printerr(_("station picklist print: which list? `station picklist` lists "
				     "them\n"));
			return ST_EXIT_USAGE;
		}
		if (g_str_has_prefix(code, "PL-"))
			code += 3;
		list = st_store_find_pick_list(store, code, &error);
		if (list == NULL) {
			g_printerr(_("station picklist: %s; `station picklist` lists them\n"),
				   error->message);
			return ST_EXIT_FAIL;
		}
		return st_cmd_picklist_print(store, config, list->id, printer);
	}
	if (print) {
		g_printerr(_("station picklist: --print is for `station picklist create`; "
			     "`station picklist print LIST` prints a list made before\n"));
		return ST_EXIT_USAGE;
	}
	if (orders != NULL || batch > 0 || cluster) {
		g_printerr(_("station picklist: --orders, --batch and --cluster are for `station "
			     "picklist create`\n"));
		return ST_EXIT_USAGE;
	}
	if (argc > 1)
		return st_cmd_picklist_show(store, argv[1]);
	lists = st_store_get_pick_lists(store, open_only, (guint)limit, &error);
	if (lists == NULL) {
		g_printerr(_("station picklist: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	if (lists->len == 0) {
		g_print(_("no pick lists yet: `station picklist create --batch 10` makes one\n"));
		return ST_EXIT_OK;
	}
	st_print_pick_list_header();
	for (guint i = 0; i < lists->len; i++)
		st_print_pick_list(g_ptr_array_index(lists, i));
	return ST_EXIT_OK;
}
