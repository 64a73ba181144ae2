/*
 * `station label render|templates`: fills a label template from shipment data (JSON) and
 * writes ZPL, PDF or PNG. Barcode data a template marks with "check" is run through the
 * station's barcode interpretation first, so a tracking number with a wrong check digit is
 * refused before anything is printed.
 */
#include <stdio.h>
#include <string.h>
#include <gio/gunixinputstream.h>

#include "station/st-bounded.h"
#include "station/st-error.h"
#include "station/st-label.h"
#include "station/st-store.h"

#include "st-barcode.h"
#include "st-gs1.h"
#include "st-cli.h"
#include "st-label-command.h"
#include "st-label-data.h"

/*
 * The built-in templates' descriptions (the JSON files of labels/templates), for the
 * catalogues: `station label templates` says a template's description through gettext, and
 * the catalogue is made from the sources. tests/check-po.py fails when a built-in template's
 * description is not one of these; a template of one's own is shown as it is written.
 */
static const gchar *const builtin_descriptions[] G_GNUC_UNUSED = {
	/* carrier-4x6-fedex.json */
	N_("4x6 in FedEx-style label: origin, ship date and weight, recipient, the carrier's 2D "
	   "barcode (PDF417, when the data has it), service, TRK#, routing, the 34-digit (Express) "
	   "or 22-digit (Ground 96) barcode; needs fedex.barcode"),
	/* carrier-4x6-ups.json */
	N_("4x6 in UPS label: MaxiCode with the structured carrier message, routing code, postal "
	   "barcode (420), 1Z tracking barcode; needs ups.service_class, ups.address_validation "
	   "and weight_lb"),
	/* carrier-4x6-usps.json */
	N_("4x6 in USPS label: service icon, postage box, service banner, IMpb (GS1-128 of 420 + "
	   "ZIP and the tracking number); needs usps.icon"),
	/* carrier-4x6.json */
	N_("4x6 in carrier label: sender, recipient, service, routing, postal code and tracking "
	   "barcodes"),
	/* cn23.json */
	N_("Customs declaration CN 23, A4 PDF: sender, addressee, category of goods, every item "
	   "with its quantity, net weight, value, HS tariff number and country of origin (12 a "
	   "page, over as many pages as the order needs), totals, the declaration and its "
	   "signature line, order barcode"),
	/* command-sheet.json */
	N_("Command barcode sheet, A4 PDF: one Code 128 per command, for the bench wall"),
	/* gs1-logistic.json */
	N_("GS1 logistic label, 4x6 in: SSCC-18 in GS1-128, ship-to postal code (AI 420), content "
	   "(AI 02) and count (AI 37) when the unit holds one product (content.gtin)"),
	/* manifest.json */
	N_("Carrier manifest, A4 PDF: carrier, station, when opened and closed, every parcel with "
	   "its order, tracking number or SSCC and weight (30 a page, over as many pages as it "
	   "needs), the totals, a line for the driver's signature, the manifest's barcode"),
	/* packing-slip-letter.json */
	N_("Packing slip, US Letter PDF: order, ship-to address, every line with its quantity (25 "
	   "a page, as many as fit above the note, over as many pages as the order needs; a long "
	   "description wraps, then is cut with …), order barcode"),
	/* packing-slip.json */
	N_("Packing slip, A4 PDF: order, ship-to address, every line with its quantity (28 a page, "
	   "as many as fit above the note, over as many pages as the order needs; a long "
	   "description wraps, then is cut with …), order barcode"),
	/* picklist.json */
	N_("Pick list sheet, A4 PDF: the list's barcode to scan at a pick seat, its mode, its "
	   "orders with their slot and tote, and every pick in the route's order (location, SKU, "
	   "name, quantity, lot, order and slot; 24 a page, over as many pages as it needs)"),
};

static gint
compare_names(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static gint
cmd_templates(void)
{
	g_autoptr(GPtrArray) dirs = st_label_template_dirs();
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < dirs->len; i++) {
		const gchar *dir_path = g_ptr_array_index(dirs, i);
		g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
		g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
		const gchar *f;
		if (dir == NULL)
			continue;
		while ((f = g_dir_read_name(dir)) != NULL)
			if (g_str_has_suffix(f, ".json"))
				g_ptr_array_add(names, g_strdup(f));
		g_ptr_array_sort(names, compare_names);
		for (guint k = 0; k < names->len; k++) {
			g_autofree gchar *path =
				g_build_filename(dir_path, g_ptr_array_index(names, k), NULL);
			g_autoptr(GError) error = NULL;
			g_autoptr(StLabelTemplate) t = st_label_template_load(path, &error);
			g_autofree gchar *stem = g_strndup(g_ptr_array_index(names, k),
							   strlen(g_ptr_array_index(names, k)) - 5);
			const gchar *description;
			if (g_hash_table_contains(seen, stem))
				continue;
			if (t == NULL) {
				/* TRANSLATORS: a template file that cannot be used, then why */
				g_print("%-22s %s: %s\n", stem, _("BROKEN"), error->message);
				continue;
			}
			/* in the locale's language when it is a built-in template's (an empty
			 * msgid would fetch the catalogue's header) */
			description = st_label_template_get_description(t);
			g_print("%-22s %-4s %s\n    %s\n", stem,
				st_label_template_get_default_format(t) == ST_LABEL_FORMAT_PDF
					? "pdf"
					: "zpl",
				description[0] != '\0' ? _(description) : "", path);
			g_hash_table_add(seen, g_steal_pointer(&stem));
		}
	}
	return 0;
}

static gint
cmd_render(const gchar *name,
	   const gchar *data_path,
	   const gchar *format_name,
	   gint dpi,
	   const gchar *out_path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StLabelTemplate) tmpl = NULL;
	g_autoptr(StLabel) label = NULL;
	g_autoptr(GBytes) out = NULL;
	g_autofree gchar *data = NULL;
	gsize data_len = 0;
	StLabelFormat format;

	if (name == NULL || data_path == NULL || out_path == NULL) {
		g_printerr(_("station label render: give --template, --data and -o (try station "
			     "label --help)\n"));
		return ST_EXIT_USAGE;
	}
	tmpl = st_label_find_template(name, &error);
	if (tmpl == NULL) {
		g_printerr(_("station label render: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	format = st_label_template_get_default_format(tmpl);
	if (format_name != NULL && !st_label_format_from_string(format_name, &format)) {
		g_printerr(_("station label render: --format is zpl, pdf or png, not %s\n"),
			   format_name);
		return ST_EXIT_USAGE;
	}
	/* the shipment data: bounded whatever it comes from (a pipe, /dev/zero) */
	if (g_strcmp0(data_path, "-") == 0) {
		g_autoptr(GInputStream) in = g_unix_input_stream_new(0, FALSE);
		if (!st_bounded_read_stream(in, ST_LABEL_MAX_JSON, &data, &data_len, &error)) {
			g_printerr(_("station label render: reading standard input: %s\n"),
				   error->message);
			return ST_EXIT_FAIL;
		}
	} else if (!st_bounded_read_file(data_path, ST_LABEL_MAX_JSON, &data, &data_len, &error)) {
		g_printerr(_("station label render: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	label = st_label_template_fill(tmpl, data, (gssize)data_len, dpi, st_label_check_value,
				       NULL, &error);
	if (label != NULL)
		out = st_label_render(label, format, &error);
	if (out == NULL) {
		g_printerr(_("station label render: %s; nothing was written\n"), error->message);
		return ST_EXIT_FAIL;
	}
	if (g_strcmp0(out_path, "-") == 0) {
		gsize n = 0;
		const guint8 *p = g_bytes_get_data(out, &n);
		if (fwrite(p, 1, n, stdout) != n || fflush(stdout) != 0) {
			g_printerr(_("station label render: writing standard output failed\n"));
			return ST_EXIT_FAIL;
		}
	} else if (g_file_test(out_path, G_FILE_TEST_EXISTS) &&
		   !g_file_test(out_path, G_FILE_TEST_IS_REGULAR)) {
		/* a device or a pipe (/dev/null, a printer's port, a FIFO) is written to, never
		 * replaced: g_file_set_contents() would rename a new file over it */
		gsize n = 0;
		const gchar *p = g_bytes_get_data(out, &n);
		FILE *f = fopen(out_path, "wb");
		gboolean ok = f != NULL && fwrite(p, 1, n, f) == n;
		if (f != NULL)
			ok &= fclose(f) == 0;
		if (!ok) {
			g_printerr(_("station label render: writing %s failed\n"), out_path);
			return ST_EXIT_FAIL;
		}
	} else {
		gsize n = 0;
		const gchar *p = g_bytes_get_data(out, &n);
		if (!g_file_set_contents(out_path, p, (gssize)n, &error)) {
			g_printerr(_("station label render: %s\n"), error->message);
			return ST_EXIT_FAIL;
		}
	}
	return 0;
}

gint
st_cmd_label(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context =
		g_option_context_new(N_("render | templates | commands"));
	g_autofree gchar *template_name = NULL, *data_path = NULL, *format = NULL, *out_path = NULL;
	g_autofree gchar *config_path = NULL;
	gint dpi = 203, rc;
	GOptionEntry entries[] = {
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("commands: the configuration whose [barcodes] command pattern the codes must "
		    "match"),
		 N_("FILE")},
		{"template", 't', 0, G_OPTION_ARG_STRING, &template_name,
		 N_("render: the template, by name (see `station label templates`) or path"),
		 N_("NAME")},
		{"data", 'd', 0, G_OPTION_ARG_FILENAME, &data_path,
		 N_("render: the shipment data, a JSON file (- for standard input)"), N_("FILE")},
		{"format", 'f', 0, G_OPTION_ARG_STRING, &format,
		 N_("render: zpl, pdf or png (default: the template's)"), N_("FORMAT")},
		{"dpi", 0, 0, G_OPTION_ARG_INT, &dpi,
		 N_("render: the printer's resolution: 203 (default), 300 or 600"), N_("DPI")},
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &out_path,
		 N_("render: the file to write (- for standard output)"), N_("FILE")},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("render: fill a label template from shipment data and write it as ZPL II (for\n"
		   "thermal printers), PDF (for other printers) or PNG (a preview). Every field "
		   "the\n"
		   "template needs must be in the data; a missing field, data too long for its\n"
		   "place, a barcode whose data its symbology cannot carry, or a tracking number\n"
		   "with a wrong check digit is reported by name and nothing is written.\n\n"
		   "templates: list the templates, where each was found, and its format.\n\n"
		   "commands: print the data of the command barcode sheet (template "
		   "command-sheet):\n"
		   "every command with a barcode the configuration's [barcodes] command pattern\n"
		   "reads as that command.\n\n"
		   "Templates are looked for in $STATION_TEMPLATES, ~/.config/station/templates,\n"
		   "/etc/station/templates, then the built-in ones; a file there overrides the\n"
		   "built-in template of the same name. The README documents the format.\n\n"
		   "Examples:\n"
		   "  station label templates\n"
		   "  station label render -t carrier-4x6 -d shipment.json -o label.zpl\n"
		   "  station label render -t carrier-4x6 -d shipment.json -f png -o preview.png\n"
		   "  station label commands | station label render -t command-sheet -d - -o "
		   "sheet.pdf"));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "label", &argc, &argv, -1)) >= 0)
		return rc;
	if (argc >= 2 && g_strcmp0(argv[1], "templates") == 0)
		return cmd_templates();
	if (argc >= 2 && g_strcmp0(argv[1], "render") == 0)
		return cmd_render(template_name, data_path, format, dpi, out_path);
	if (argc >= 2 && g_strcmp0(argv[1], "commands") == 0) {
		g_autoptr(GError) error = NULL;
		g_autoptr(StConfig) config = st_cli_load_config("label commands", config_path);
		g_autofree gchar *data = NULL;
		if (config == NULL)
			return ST_EXIT_FAIL;
		if ((data = st_label_command_sheet_data(config, NULL, &error)) == NULL) {
			g_printerr(_("station label commands: %s\n"), error->message);
			return ST_EXIT_FAIL;
		}
		g_print("%s\n", data);
		return 0;
	}
	g_printerr(_("station label: the subcommand is render, templates or commands (try station "
		     "label --help)\n"));
	return ST_EXIT_USAGE;
}
