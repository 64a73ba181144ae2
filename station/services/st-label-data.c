/*
 * Label data: the templates a station can fill (looked for in the user's, the system's and
 * the built-in folders), shipment data made from an order in the store and the [sender]
 * return address, the command barcode sheet's data from the [barcodes] patterns, and the
 * barcode checks a template asks for ("check": "tracking:ups"), run through the station's
 * barcode interpretation so a wrong check digit is refused before anything is printed.
 * `station label`, `station print`, printing and the demo all call these.
 */
#include <stdio.h>
#include <string.h>

#include "station/st-bounded.h"
#include "station/st-error.h"
#include "station/st-label.h"
#include "station/st-store.h"

#include "st-barcode.h"
#include "st-gs1.h"
#include "st-couriers.h"
#include "st-label-data.h"

/* the places templates are looked for, first match wins: $STATION_TEMPLATES, the user's
 * $XDG_CONFIG_HOME/station/templates, /etc/station/templates, then the built-in ones */
GPtrArray *
st_label_template_dirs(void)
{
	GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
	const gchar *env = g_getenv("STATION_TEMPLATES");
	if (env != NULL && *env != '\0')
		g_ptr_array_add(dirs, g_strdup(env));
	g_ptr_array_add(dirs,
			g_build_filename(g_get_user_config_dir(), "station", "templates", NULL));
	g_ptr_array_add(dirs, g_strdup("/etc/station/templates"));
	g_ptr_array_add(dirs, g_strdup(ST_TEMPLATES_DIR));
	return dirs;
}

StLabelTemplate *
st_label_find_template(const gchar *name, GError **error)
{
	g_autoptr(GPtrArray) dirs = NULL;
	if (strchr(name, '/') != NULL || g_str_has_suffix(name, ".json"))
		return st_label_template_load(name, error);
	dirs = st_label_template_dirs();
	for (guint i = 0; i < dirs->len; i++) {
		g_autofree gchar *file = g_strconcat(name, ".json", NULL);
		g_autofree gchar *path = g_build_filename(g_ptr_array_index(dirs, i), file, NULL);
		if (g_file_test(path, G_FILE_TEST_EXISTS))
			return st_label_template_load(path, error);
	}
	g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_NOT_FOUND,
		    "no template named %s; `station label templates` lists them", name);
	return NULL;
}

/* sets @path ("a.b.c") in @root to @value, making the objects on the way */

/* how a label's tracking number is read: no station barcode kinds, and every courier's form,
 * those without a check digit too (the number comes from the carrier, not from a scan, so a
 * misread is not the risk); made once */
static const StBarcodePatterns *
st_label_data_carrier_patterns(void)
{
	static StBarcodePatterns *patterns = NULL;
	static gsize done = 0;

	if (g_once_init_enter(&done)) {
		patterns = st_barcode_patterns_new();
		for (guint k = ST_BARCODE_KIND_COMMAND; k < ST_BARCODE_KIND_LAST; k++)
			st_barcode_patterns_set(patterns, (StBarcodeKind)k, "", NULL);
		st_barcode_patterns_list_all_couriers(patterns);
		g_once_init_leave(&done, 1);
	}
	return patterns;
}

static gboolean
st_label_data_set(JsonObject *root, const gchar *path, const gchar *value, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(path, ".", -1);
	JsonObject *o = root;
	guint n = g_strv_length(parts);
	for (guint i = 0; i < n; i++) {
		if (parts[i][0] == '\0') {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "--set %s: a field is written name or name.name", path);
			return FALSE;
		}
		if (i + 1 == n) {
			json_object_set_string_member(o, parts[i], value);
			break;
		}
		if (!json_object_has_member(o, parts[i]) ||
		    !JSON_NODE_HOLDS_OBJECT(json_object_get_member(o, parts[i])))
			json_object_set_object_member(o, parts[i], json_object_new());
		o = json_object_get_object_member(o, parts[i]);
	}
	return TRUE;
}

/* the configuration's [sender] as the data's sender (keys with '_' for '-') */
void
st_label_data_add_sender(JsonObject *o, const StConfig *config)
{
	GHashTableIter iter;
	gpointer key, value;
	JsonObject *sender = json_object_new();

	g_hash_table_iter_init(&iter, config->sender);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		g_autofree gchar *field = g_strdelimit(g_strdup(key), "-", '_');
		json_object_set_string_member(sender, field, value);
	}
	json_object_set_object_member(o, "sender", sender);
}

/**
 * st_label_parcel_data:
 * @parcel: which parcel of @order, from 1
 *
 * Returns: (transfer full): the shipment data of one parcel of a packed order
 *   (st_store_get_parcel_shipment()) with the configuration's [sender], as JSON text; NULL
 *   with an error
 */
gchar *
st_label_parcel_data(StStore *store,
		     const StConfig *config,
		     const gchar *order,
		     guint parcel,
		     gsize *out_len,
		     GError **error)
{
	g_autoptr(JsonNode) root = st_store_get_parcel_shipment(store, order, parcel, error);
	g_autoptr(JsonGenerator) gen = json_generator_new();

	if (root == NULL)
		return NULL;
	st_label_data_add_sender(json_node_get_object(root), config);
	json_generator_set_root(gen, root);
	return json_generator_to_data(gen, out_len);
}

/**
 * st_label_shipment_data:
 * @store: (nullable): where @order is read from when @data is NULL
 * @order: (nullable): an order whose shipment data (st_store_get_shipment) and the
 *   configuration's [sender] fill the template when there is no @data
 * @data: (nullable): shipment data in JSON, read from a file
 * @sets: (nullable): "path=value" fields set on top (a tracking number the carrier gave)
 *
 * Returns: (transfer full): the shipment data as JSON text, or NULL with an error
 */
gchar *
st_label_shipment_data(StStore *store,
		       const StConfig *config,
		       const gchar *order,
		       const gchar *data,
		       gsize len,
		       const gchar *const *sets,
		       gsize *out_len,
		       GError **error)
{
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(JsonGenerator) gen = json_generator_new();
	JsonObject *o;

	if (data != NULL) {
		g_autoptr(JsonParser) parser = json_parser_new();
		g_autoptr(GError) local = NULL;
		if (len > ST_LABEL_MAX_JSON ||
		    !st_bounded_json_check(data, len, ST_BOUNDED_JSON_DEPTH, &local)) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "the shipment data is %s",
				    local != NULL ? local->message : "larger than 1024 KiB");
			return NULL;
		}
		if (!json_parser_load_from_data(parser, data, (gssize)len, &local)) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "the shipment data is not JSON: %s", local->message);
			return NULL;
		}
		root = json_parser_steal_root(parser);
	} else {
		root = st_store_get_shipment(store, order, error);
		if (root == NULL)
			return NULL;
		st_label_data_add_sender(json_node_get_object(root), config);
	}
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "the shipment data is not a JSON object");
		return NULL;
	}
	o = json_node_get_object(root);
	for (guint i = 0; sets != NULL && sets[i] != NULL; i++) {
		const gchar *eq = strchr(sets[i], '=');
		g_autofree gchar *path = NULL;
		if (eq == NULL || eq == sets[i]) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "--set takes FIELD=VALUE, such as tracking=1Z999AA10123456784; "
				    "got \"%s\"",
				    sets[i]);
			return NULL;
		}
		path = g_strndup(sets[i], (gsize)(eq - sets[i]));
		if (!st_label_data_set(o, path, eq + 1, error))
			return NULL;
	}
	json_generator_set_root(gen, root);
	return json_generator_to_data(gen, out_len);
}

/**
 * st_label_command_sheet_data:
 *
 * The data of the command barcode sheet (template command-sheet): every command the
 * station knows with a barcode that the configuration's [barcodes] command pattern reads
 * as that command. The barcode is CMD-NAME (the default pattern's form), else *NAME* or
 * NAME, with '-' or '_' between words; each is checked by parsing it as a scan would be.
 *
 * Returns: (transfer full): JSON text, or NULL with an error when the configured pattern
 *   reads none of those forms (the sheet's data must then be written by hand)
 */
gchar *
st_label_command_sheet_data(const StConfig *config, gsize *len, GError **error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	const gchar *const *names = st_barcode_commands();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "title");
	json_builder_add_string_value(b, "Bench commands");
	json_builder_set_member_name(b, "commands");
	json_builder_begin_array(b);
	for (guint i = 0; names[i] != NULL; i++) {
		g_autofree gchar *upper = g_ascii_strup(names[i], -1);
		g_autofree gchar *label = g_strdelimit(g_strdup(names[i]), "-", ' ');
		g_autofree gchar *underscored = g_strdelimit(g_strdup(upper), "-", '_');
		g_autofree gchar *code = NULL;
		/* prefix and suffix around the name, with '-' or '_' inside it */
		const gchar *forms[][2] = {{"CMD-", ""}, {"*", "*"}, {"", ""}};
		for (guint f = 0; f < 2 * G_N_ELEMENTS(forms) && code == NULL; f++) {
			g_autofree gchar *candidate =
				g_strconcat(forms[f / 2][0], f % 2 == 0 ? upper : underscored,
					    forms[f / 2][1], NULL);
			g_autoptr(StBarcode) bc = st_barcode_parse_full(
				config->barcode_patterns, (const guint8 *)candidate,
				strlen(candidate), NULL, ST_BARCODE_INPUT_SCAN);
			if (bc->valid && bc->kind == ST_BARCODE_KIND_COMMAND &&
			    g_strcmp0(bc->key, names[i]) == 0)
				code = g_steal_pointer(&candidate);
		}
		if (code == NULL) {
			g_set_error(
				error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				"the [barcodes] command pattern reads none of CMD-%s, *%s* or %s "
				"(nor with _ for -) as the command %s; write the sheet's data by "
				"hand (see "
				"tests/labels/commands.json) with codes the pattern reads",
				upper, upper, upper, names[i]);
			return NULL;
		}
		label[0] = g_ascii_toupper(label[0]);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "label");
		json_builder_add_string_value(b, label);
		json_builder_set_member_name(b, "code");
		json_builder_add_string_value(b, code);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, TRUE);
	return json_generator_to_data(gen, len);
}

/* the checks templates can ask for, by the station's barcode interpretation */
gboolean
st_label_check_value(const gchar *check, const gchar *value, gpointer user_data, GError **error)
{
	g_autoptr(StBarcode) b = NULL;
	StBarcodeKind want;
	(void)user_data;

	if (g_strcmp0(check, "gs1") == 0) {
		/* each barcode alone: a GS1 logistic label splits (02)+(37) and (00) over two
		 * barcodes, so the AIs' requisites hold for the label, not for one symbol */
		StGs1Options options;
		StGs1Error gerr = {.position = -1};
		g_autoptr(StGs1Message) msg = NULL;
		st_gs1_options_init(&options);
		options.validate_requisites = FALSE;
		msg = st_gs1_parse_bracketed(value, &options, &gerr);
		if (msg == NULL) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "\"%s\" is not valid GS1 data: %s", value,
				    gerr.message != NULL ? gerr.message : "not recognised");
			st_gs1_error_clear(&gerr);
			return FALSE;
		}
		return TRUE;
	}
	if (g_str_has_prefix(check, "tracking")) {
		/* "tracking:ups" also names the carrier; GS1 data in brackets ("(420)08102(92)
		 * 055...", a USPS IMpb) is read as the scanner sends it */
		const gchar *carrier = check[8] == ':' ? check + 9 : NULL;
		g_autoptr(GString) plain = g_string_new(NULL);
		if (check[8] != '\0' && carrier == NULL) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "unknown check \"%s\" (tracking, tracking:CARRIER, sscc, gtin "
				    "or gs1)",
				    check);
			return FALSE;
		}
		for (const gchar *c = value; *c != '\0'; c++)
			if (value[0] != '(' || (*c != '(' && *c != ')'))
				g_string_append_c(plain, *c);
		b = st_barcode_parse_full(st_label_data_carrier_patterns(),
					  (const guint8 *)plain->str, plain->len, NULL,
					  ST_BARCODE_INPUT_SCAN);
		if (b->valid && b->kind != ST_BARCODE_KIND_TRACKING &&
		    b->kind != ST_BARCODE_KIND_UNKNOWN) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "\"%s\" is not a %s%stracking number (it reads as %s); check "
				    "the data",
				    value, carrier != NULL ? carrier : "",
				    carrier != NULL ? " " : "", st_barcode_kind_to_string(b->kind));
			return FALSE;
		}
		if (!b->valid || b->kind != ST_BARCODE_KIND_TRACKING) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "\"%s\" is not a valid %s%stracking number: %s", value,
				    carrier != NULL ? carrier : "", carrier != NULL ? " " : "",
				    b->reason != NULL ? b->reason
						      : "no carrier's number format matches it");
			return FALSE;
		}
		if (carrier != NULL && g_ascii_strcasecmp(carrier, b->carrier) != 0 &&
		    !st_couriers_number_fits(carrier, plain->str)) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "\"%s\" is a %s tracking number, not %s; check the carrier "
				    "and the template",
				    value, b->carrier, carrier);
			return FALSE;
		}
		return TRUE;
	}
	if (g_strcmp0(check, "sscc") == 0)
		want = ST_BARCODE_KIND_SSCC;

	else if (g_strcmp0(check, "gtin") == 0)
		want = ST_BARCODE_KIND_GTIN;
	else {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "unknown check \"%s\" (tracking, tracking:CARRIER, sscc, gtin or gs1)",
			    check);
		return FALSE;
	}
	b = st_barcode_parse_input((const guint8 *)value, strlen(value), NULL,
				   ST_BARCODE_INPUT_SCAN);
	if (!b->valid) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "\"%s\" is not a valid %s: %s", value, check,
			    b->reason != NULL ? b->reason : "not recognised");
		return FALSE;
	}
	if (b->kind != want && !(want == ST_BARCODE_KIND_SSCC && b->kind == ST_BARCODE_KIND_GS1 &&
				 g_strcmp0(b->key_type, "sscc") == 0)) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "\"%s\" is not a %s number (it reads as %s); check the data", value,
			    check, st_barcode_kind_to_string(b->kind));
		return FALSE;
	}
	return TRUE;
}

/**
 * st_label_customs_data:
 *
 * Returns: (transfer full): the data of @order's customs declaration
 *   (st_store_get_customs()) with the [sender], the [customs] currency and category (as
 *   `category`, its words on the form), as JSON text; NULL with an error naming what is
 *   missing
 */
gchar *
st_label_customs_data(StStore *store,
		      const StConfig *config,
		      const gchar *order,
		      gsize *out_len,
		      GError **error)
{
	static const struct {
		const gchar *key, *words;
	} categories[] = {
		{"sale", "Sale of goods"},	 {"gift", "Gift"},
		{"sample", "Commercial sample"}, {"documents", "Documents"},
		{"return", "Returned goods"},	 {"other", "Other"},
	};
	g_autoptr(JsonNode) root = st_store_get_customs(store, order, error);
	g_autoptr(JsonGenerator) gen = json_generator_new();
	JsonObject *o;
	const gchar *category = "Other";

	if (root == NULL)
		return NULL;
	o = json_node_get_object(root);
	st_label_data_add_sender(o, config);
	for (guint i = 0; i < G_N_ELEMENTS(categories); i++) {
		if (g_strcmp0(categories[i].key, config->customs_category) == 0)
			category = categories[i].words;
	}
	json_object_set_string_member(o, "category", category);
	json_object_set_string_member(o, "currency", config->customs_currency);
	json_generator_set_root(gen, root);
	return json_generator_to_data(gen, out_len);
}

/**
 * st_label_parcel_preview:
 * @parcel: 1, 2, ... among the order's parcels
 *
 * The parcel's label ([pack] label-template, with the order's data, the SSCC and weight of the
 * parcel) as a PNG at 203 dpi, for the screens: what the label printer was given, drawn.
 *
 * Returns: (transfer full): the PNG, or NULL with why (no such parcel, a template's fault)
 */
GBytes *
st_label_parcel_preview(StStore *store,
			const StConfig *config,
			const gchar *order,
			guint parcel,
			GError **error)
{
	gsize len = 0;
	g_autofree gchar *data = st_label_parcel_data(store, config, order, parcel, &len, error);
	g_autoptr(StLabelTemplate) tmpl = NULL;
	g_autoptr(StLabel) label = NULL;

	if (data == NULL)
		return NULL;
	tmpl = st_label_find_template(config->label_template, error);
	if (tmpl == NULL)
		return NULL;
	label = st_label_template_fill(tmpl, data, (gssize)len, 203, st_label_check_value, NULL,
				       error);
	if (label == NULL)
		return NULL;
	return st_label_render(label, ST_LABEL_FORMAT_PNG, error);
}
