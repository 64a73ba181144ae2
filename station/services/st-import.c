/*
 * CSV imports. The header row names the columns, in any order and any case; an unknown or
 * missing column stops the import before any row. The whole file is read first into the
 * store's staging table, outside the write lock (a file that is not CSV after all stops there,
 * having kept nobody waiting). Then each row becomes one store verb inside one bulk
 * transaction (st_store_bulk_begin), where a failed verb undoes only itself: so every bad row
 * can be reported in one run, and at the end everything or nothing (or, with skip_bad, the
 * good rows) is kept. A dry run does all of it on a private copy of the database
 * (st_store_open_scratch), so it takes no lock at all.
 */
#define G_LOG_DOMAIN "station-import"

#include <string.h>

#include "station/st-error.h"

#include "st-i18n.h"

#include "st-csv.h"
#include "st-import.h"
#include "st-printing.h"

/* a fault of the row (bad data, a reference to nothing), found by the import's own checks or
 * by the store's verbs; anything else is the database failing, which ends the import */
static gboolean
st_import_is_row_fault(const GError *error)
{
	if (error == NULL)
		return FALSE;
	if (error->domain != ST_SERVICE_ERROR && error->domain != ST_STORE_ERROR)
		return FALSE;
	return error->code == ST_ERROR_INVALID_DATA || error->code == ST_ERROR_NOT_FOUND;
}

typedef struct {
	const gchar *name;
	gboolean required;
} StImportColumn;

#define ST_IMPORT_MAX_COLUMNS 24

static const StImportColumn columns[ST_IMPORT_LAST][ST_IMPORT_MAX_COLUMNS] = {
	[ST_IMPORT_PRODUCTS] =
		{{"sku", TRUE},	   {"name", TRUE},     {"weight_g"},	   {"weight_tolerance_g"},
		 {"length_mm"},	   {"width_mm"},       {"height_mm"},	   {"track_lot"},
		 {"track_serial"}, {"track_expiry"},   {"hazmat"},	   {"fragile"},
		 {"uom"},	   {"barcode"},	       {"inner_barcode"},  {"inner_quantity"},
		 {"case_barcode"}, {"case_quantity"},  {"pallet_barcode"}, {"pallet_quantity"},
		 {"hs_code"},	   {"origin_country"}, {"customs_value"}},
	[ST_IMPORT_LOCATIONS] = {{"code", TRUE},
				 {"barcode"},
				 {"kind"},
				 {"warehouse"},
				 {"zone"},
				 {"aisle"},
				 {"bay"},
				 {"level"},
				 {"bin"},
				 {"pick_sequence"},
				 {"allow_negative"}},
	[ST_IMPORT_OPERATORS] = {{"badge", TRUE}, {"name", TRUE}, {"role", TRUE}, {"language"}},
	[ST_IMPORT_BOX_TYPES] = {{"code", TRUE},
				 {"name", TRUE},
				 {"barcode"},
				 {"tare_g"},
				 {"length_mm"},
				 {"width_mm"},
				 {"height_mm"},
				 {"max_weight_g"}},
	[ST_IMPORT_STOCK] = {{"sku", TRUE},
			     {"location", TRUE},
			     {"quantity", TRUE},
			     {"lot"},
			     {"expiry"},
			     {"serial"},
			     {"note"}},
	[ST_IMPORT_ORDERS] = {{"order", TRUE},
			      {"sku", TRUE},
			      {"quantity", TRUE},
			      {"status"},
			      {"ship_name"},
			      {"ship_company"},
			      {"ship_street1"},
			      {"ship_street2"},
			      {"ship_city"},
			      {"ship_region"},
			      {"ship_postal_code"},
			      {"ship_country"},
			      {"ship_phone"},
			      {"ship_email"},
			      {"service_level"},
			      {"carrier"},
			      {"tracking"},
			      {"label"}},
};

static const gchar *const kind_names[ST_IMPORT_LAST] = {
	[ST_IMPORT_PRODUCTS] = "products",   [ST_IMPORT_LOCATIONS] = "locations",
	[ST_IMPORT_BOX_TYPES] = "box-types", [ST_IMPORT_STOCK] = "stock",
	[ST_IMPORT_ORDERS] = "orders",	     [ST_IMPORT_OPERATORS] = "operators",
};

const gchar *
st_import_kind_to_string(StImportKind kind)
{
	if ((guint)kind >= ST_IMPORT_LAST)
		return "unknown";
	return kind_names[kind];
}

gboolean
st_import_kind_from_string(const gchar *str, StImportKind *kind)
{
	for (guint k = 0; k < ST_IMPORT_LAST; k++) {
		if (g_strcmp0(str, kind_names[k]) == 0) {
			*kind = (StImportKind)k;
			return TRUE;
		}
	}
	return FALSE;
}

/* Returns: the columns of @kind, required ones marked with '*', for help and messages */
const gchar *
st_import_kind_columns(StImportKind kind)
{
	static gchar *cache[ST_IMPORT_LAST] = {NULL};
	if ((guint)kind >= ST_IMPORT_LAST)
		return "";
	if (g_once_init_enter(&cache[kind])) {
		GString *str = g_string_new(NULL);
		for (guint i = 0; i < ST_IMPORT_MAX_COLUMNS && columns[kind][i].name != NULL; i++)
			g_string_append_printf(str, "%s%s%s", i > 0 ? ", " : "",
					       columns[kind][i].name,
					       columns[kind][i].required ? "*" : "");
		g_once_init_leave(&cache[kind], g_string_free(str, FALSE));
	}
	return cache[kind];
}

void
st_import_result_clear(StImportResult *self)
{
	g_clear_pointer(&self->faults, g_ptr_array_unref);
	g_clear_pointer(&self->done_before, g_free);
}

/* one row: its fields by column, trimmed, NULL when empty */
typedef struct {
	StImportKind kind;
	gint index[ST_IMPORT_MAX_COLUMNS]; /* column -> field, or -1 */
	gchar **fields;
	guint n_fields;
	guint line;
} StImportRow;

static const gchar *
st_import_get(StImportRow *row, const gchar *name)
{
	guint i;

	/* the callers name columns by the literals of columns[], which the compiler keeps once:
	 * found by address at once, by text when it is another copy */
	for (i = 0; i < ST_IMPORT_MAX_COLUMNS && columns[row->kind][i].name != NULL; i++)
		if (columns[row->kind][i].name == name)
			break;
	if (i == ST_IMPORT_MAX_COLUMNS || columns[row->kind][i].name == NULL)
		i = 0;
	for (; i < ST_IMPORT_MAX_COLUMNS && columns[row->kind][i].name != NULL; i++) {
		gint f;
		if (strcmp(columns[row->kind][i].name, name) != 0)
			continue;
		f = row->index[i];
		if (f < 0 || (guint)f >= row->n_fields)
			return NULL;
		g_strstrip(row->fields[f]);
		return row->fields[f][0] != '\0' ? row->fields[f] : NULL;
	}
	g_assert_not_reached();
}

static gboolean
st_import_uint(StImportRow *row, const gchar *name, guint64 max, guint64 *out, GError **error)
{
	const gchar *v = st_import_get(row, name);
	*out = 0;
	if (v == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned(v, 10, 0, max, out, NULL)) {
		g_autofree gchar *most = g_strdup_printf("%" G_GUINT64_FORMAT, max);
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    _("%s '%s' is not a whole number from 0 to %s"), name, v, most);
		return FALSE;
	}
	return TRUE;
}

static gboolean
st_import_bool(StImportRow *row, const gchar *name, gboolean *out, GError **error)
{
	static const gchar *const yes[] = {"1", "yes", "y", "true", "x", NULL};
	static const gchar *const no[] = {"0", "no", "n", "false", NULL};
	const gchar *v = st_import_get(row, name);
	g_autofree gchar *lower = v != NULL ? g_ascii_strdown(v, -1) : NULL;
	*out = FALSE;
	if (v == NULL || g_strv_contains(no, lower))
		return TRUE;
	if (g_strv_contains(yes, lower)) {
		*out = TRUE;
		return TRUE;
	}
	g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
		    _("%s '%s' is not yes or no (1/0, yes/no, true/false)"), name, v);
	return FALSE;
}

/* a money amount as written, "12", "12.5" or "12.50" (a '.' for the decimals), in cents */
static gboolean
st_import_money(StImportRow *row, const gchar *name, guint64 *cents, GError **error)
{
	const gchar *v = st_import_get(row, name);
	g_auto(GStrv) parts = NULL;
	guint64 whole = 0, frac = 0;

	*cents = 0;
	if (v == NULL)
		return TRUE;
	parts = g_strsplit(v, ".", 3);
	if (g_strv_length(parts) > 2 || parts[0][0] == '\0' ||
	    !g_ascii_string_to_unsigned(parts[0], 10, 0, 100000000, &whole, NULL) ||
	    (parts[1] != NULL && (strlen(parts[1]) < 1 || strlen(parts[1]) > 2 ||
				  !g_ascii_string_to_unsigned(parts[1], 10, 0, 99, &frac, NULL)))) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    _("%s '%s' is not an amount such as 12.50 (a point before the cents, "
			      "at most 100000000)"),
			    name, v);
		return FALSE;
	}
	if (parts[1] != NULL && strlen(parts[1]) == 1)
		frac *= 10;
	*cents = whole * 100 + frac;
	return TRUE;
}

static gboolean
st_import_product(StStore *store, StImportRow *row, GError **error)
{
	static const struct {
		const gchar *barcode, *quantity;
		StPackLevel level;
	} packs[] = {
		{"inner_barcode", "inner_quantity", ST_PACK_INNER},
		{"case_barcode", "case_quantity", ST_PACK_CASE},
		{"pallet_barcode", "pallet_quantity", ST_PACK_PALLET},
	};
	StProductSpec spec = {.sku = st_import_get(row, "sku"),
			      .name = st_import_get(row, "name"),
			      .uom = st_import_get(row, "uom"),
			      .hs_code = st_import_get(row, "hs_code"),
			      .origin_country = st_import_get(row, "origin_country")};
	guint64 n[5];
	const gchar *unit;
	gint64 id = 0;

	if (!st_import_uint(row, "weight_tolerance_g", 1000000, &n[4], error) ||
	    !st_import_uint(row, "weight_g", 10000000, &n[0], error) ||
	    !st_import_uint(row, "length_mm", 100000, &n[1], error) ||
	    !st_import_uint(row, "width_mm", 100000, &n[2], error) ||
	    !st_import_uint(row, "height_mm", 100000, &n[3], error) ||
	    !st_import_bool(row, "track_lot", &spec.track_lot, error) ||
	    !st_import_bool(row, "track_serial", &spec.track_serial, error) ||
	    !st_import_bool(row, "track_expiry", &spec.track_expiry, error) ||
	    !st_import_bool(row, "hazmat", &spec.hazmat, error) ||
	    !st_import_bool(row, "fragile", &spec.fragile, error) ||
	    !st_import_money(row, "customs_value", &spec.customs_value_cents, error))
		return FALSE;
	spec.weight_g = (guint)n[0];
	spec.length_mm = (guint)n[1];
	spec.width_mm = (guint)n[2];
	spec.height_mm = (guint)n[3];
	spec.weight_tolerance_g = (guint)n[4];
	if (!st_store_put_product(store, &spec, &id, error))
		return FALSE;
	/* unit barcodes: one, or several separated by | */
	unit = st_import_get(row, "barcode");
	if (unit != NULL) {
		g_auto(GStrv) each = g_strsplit(unit, "|", -1);
		for (guint i = 0; each[i] != NULL; i++) {
			g_strstrip(each[i]);
			if (each[i][0] != '\0' &&
			    !st_store_put_product_barcode(store, id, spec.sku, each[i],
							  ST_PACK_UNIT, 1, error))
				return FALSE;
		}
	}
	for (guint i = 0; i < G_N_ELEMENTS(packs); i++) {
		const gchar *barcode = st_import_get(row, packs[i].barcode);
		guint64 quantity = 0;
		if (!st_import_uint(row, packs[i].quantity, 1000000, &quantity, error))
			return FALSE;
		if (barcode == NULL && quantity == 0)
			continue;
		if (barcode == NULL || quantity < 1) {
			g_set_error(
				error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				_("%s and %s go together: the barcode of the pack and the units "
				  "it holds (1 or more)"),
				packs[i].barcode, packs[i].quantity);
			return FALSE;
		}
		if (!st_store_put_product_barcode(store, id, spec.sku, barcode, packs[i].level,
						  (guint)quantity, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
st_import_location(StStore *store, StImportRow *row, GError **error)
{
	StLocationSpec spec = {.code = st_import_get(row, "code"),
			       .barcode = st_import_get(row, "barcode"),
			       .kind = st_import_get(row, "kind"),
			       .warehouse = st_import_get(row, "warehouse"),
			       .zone = st_import_get(row, "zone"),
			       .aisle = st_import_get(row, "aisle"),
			       .bay = st_import_get(row, "bay"),
			       .level = st_import_get(row, "level"),
			       .bin = st_import_get(row, "bin")};
	guint64 seq;
	if (!st_import_uint(row, "pick_sequence", G_MAXUINT32, &seq, error) ||
	    !st_import_bool(row, "allow_negative", &spec.allow_negative, error))
		return FALSE;
	spec.pick_sequence = (guint)seq;
	return st_store_put_location(store, &spec, error);
}

/* an operator: badge (what the badge barcode carries after its prefix), name, role
 * (packer, picker, lead), language (en, zh-CN; en when empty) */
static gboolean
st_import_operator(StStore *store, StImportRow *row, GError **error)
{
	const gchar *role = st_import_get(row, "role");
	StOperatorSpec spec = {.badge = st_import_get(row, "badge"),
			       .name = st_import_get(row, "name"),
			       .language = st_import_get(row, "language")};
	if (!st_operator_role_from_string(role, &spec.role)) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    _("role '%s' is not packer, picker or lead"), role != NULL ? role : "");
		return FALSE;
	}
	return st_store_put_operator(store, &spec, error);
}

static gboolean
st_import_box_type(StStore *store, StImportRow *row, GError **error)
{
	StBoxTypeSpec spec = {.code = st_import_get(row, "code"),
			      .name = st_import_get(row, "name"),
			      .barcode = st_import_get(row, "barcode")};
	guint64 n[5];
	if (!st_import_uint(row, "tare_g", 1000000, &n[0], error) ||
	    !st_import_uint(row, "length_mm", 100000, &n[1], error) ||
	    !st_import_uint(row, "width_mm", 100000, &n[2], error) ||
	    !st_import_uint(row, "height_mm", 100000, &n[3], error) ||
	    !st_import_uint(row, "max_weight_g", 10000000, &n[4], error))
		return FALSE;
	spec.tare_g = (guint)n[0];
	spec.length_mm = (guint)n[1];
	spec.width_mm = (guint)n[2];
	spec.height_mm = (guint)n[3];
	spec.max_weight_g = (guint)n[4];
	return st_store_put_box_type(store, &spec, error);
}

static gboolean
st_import_stock(StStore *store,
		StImportRow *row,
		const StImportOptions *options,
		const gchar *name,
		GError **error)
{
	g_autofree gchar *note = NULL;
	g_autofree gchar *base = g_path_get_basename(name);
	StStockChange count = {.sku = st_import_get(row, "sku"),
			       .to = st_import_get(row, "location"),
			       .lot = st_import_get(row, "lot"),
			       .expiry = st_import_get(row, "expiry"),
			       .serial = st_import_get(row, "serial"),
			       .operator_name = options->operator_name,
			       /* the file comes from the central system, or is told to it by
				* an export: an event per row would flood the outbox */
			       .no_event = TRUE};
	guint64 quantity;
	if (st_import_get(row, "quantity") == NULL) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    _("quantity is missing"));
		return FALSE;
	}
	if (!st_import_uint(row, "quantity", G_MAXINT32, &quantity, error))
		return FALSE;
	note = st_import_get(row, "note") != NULL
		       ? g_strdup(st_import_get(row, "note"))
		       : g_strdup_printf("count, %s line %u", base, row->line);
	count.quantity = (gint64)quantity;
	count.note = note;
	if (count.sku == NULL || count.to == NULL) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA, _("%s is missing"),
			    count.sku == NULL ? "sku" : "location");
		return FALSE;
	}
	return st_store_count_stock(store, &count, NULL, error);
}

/* the rows of one order, gathered until the order number changes */
typedef struct {
	gchar *number;
	guint first_line, last_line;
	StOrderStatus status;
	gchar *fields[14]; /* ship_name ... label, as in columns[] from "ship_name" on */
	gchar *base_dir;   /* the CSV file's folder, where a label file's path starts */
	GArray *lines;	   /* StOrderLineSpec, sku owned */
	gboolean bad;	   /* a row of it was refused: the order is not stored */
} StImportOrder;

static const gchar *const order_fields[] = {
	"ship_name",	 "ship_company",     "ship_street1", "ship_street2", "ship_city",
	"ship_region",	 "ship_postal_code", "ship_country", "ship_phone",   "ship_email",
	"service_level", "carrier",	     "tracking",     "label",
};

static void
st_import_order_clear(StImportOrder *o)
{
	g_clear_pointer(&o->number, g_free);
	for (guint i = 0; i < G_N_ELEMENTS(o->fields); i++)
		g_clear_pointer(&o->fields[i], g_free);
	if (o->lines != NULL) {
		for (guint i = 0; i < o->lines->len; i++)
			g_free((gchar *)g_array_index(o->lines, StOrderLineSpec, i).sku);
		g_array_set_size(o->lines, 0);
	}
	o->bad = FALSE;
}

#define ST_IMPORT_MAX_LABEL (2 * 1024 * 1024)

/* the label a carrier made for the order, read from its file (at most 2 MiB, whatever the
 * file is) and stored as it is, with the tracking number it carries, to be printed when the
 * order is packed */
static gboolean
st_import_order_label(StStore *store, StImportOrder *o, GError **error)
{
	const gchar *path = o->fields[13];
	const gchar *tracking = o->fields[12];
	g_autofree gchar *full = NULL;
	g_autoptr(GFile) file = NULL;
	g_autoptr(GFileInputStream) in = NULL;
	g_autoptr(GBytes) content = NULL;
	g_autoptr(GError) error_io = NULL;
	const gchar *format = NULL;
	StLabelSpec spec = {0};
	gint64 id = 0;

	if (tracking == NULL) {
		g_set_error(
			error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			_("label %s needs the tracking number it carries (column tracking): the "
			  "dock finds the parcel by it"),
			path);
		return FALSE;
	}
	full = g_path_is_absolute(path)
		       ? g_strdup(path)
		       : g_build_filename(o->base_dir != NULL ? o->base_dir : ".", path, NULL);
	file = g_file_new_for_path(full);
	in = g_file_read(file, NULL, &error_io);
	if (in != NULL)
		content = g_input_stream_read_bytes(G_INPUT_STREAM(in), ST_IMPORT_MAX_LABEL + 1,
						    NULL, &error_io);
	if (content == NULL) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_NOT_FOUND,
			    _("label %s cannot be read: %s"), full, error_io->message);
		return FALSE;
	}
	if (g_bytes_get_size(content) > ST_IMPORT_MAX_LABEL) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    _("label %s is larger than 2 MiB: not a carrier's label"), full);
		return FALSE;
	}
	if (!st_label_sniff_format(content, &format, error)) {
		g_prefix_error(error, _("label %s: "), full);
		return FALSE;
	}
	spec.kind = "carrier-made";
	spec.source = path;
	spec.format = format;
	spec.content = content;
	spec.order_number = o->number;
	spec.reference = tracking;
	return st_store_put_label(store, &spec, &id, NULL, error);
}

static gboolean
st_import_order_flush(StStore *store, StImportOrder *o, GError **error)
{
	StAddress a = {o->fields[0], o->fields[1], o->fields[2], o->fields[3], o->fields[4],
		       o->fields[5], o->fields[6], o->fields[7], o->fields[8], o->fields[9]};
	StOrderSpec spec = {.number = o->number,
			    .status = o->status,
			    .ship_to = &a,
			    .service_level = o->fields[10],
			    .carrier = o->fields[11],
			    .lines = (const StOrderLineSpec *)(gpointer)o->lines->data,
			    .n_lines = o->lines->len,
			    .tracking = o->fields[12]};
	if (!st_store_put_order(store, &spec, NULL, error))
		return FALSE;
	return o->fields[13] == NULL || st_import_order_label(store, o, error);
}

/* Returns: FALSE with an error for this row alone */
static gboolean
st_import_order_row(StImportOrder *o, StImportRow *row, GError **error)
{
	const gchar *sku = st_import_get(row, "sku");
	const gchar *status = st_import_get(row, "status");
	guint64 quantity;
	StOrderLineSpec line;

	if (sku == NULL) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA, _("sku is missing"));
		return FALSE;
	}
	if (!st_import_uint(row, "quantity", G_MAXINT32, &quantity, error))
		return FALSE;
	if (quantity == 0) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    _("quantity of an order line is 1 or more"));
		return FALSE;
	}
	if (o->lines->len == 0) {
		o->status = ST_ORDER_STATUS_RELEASED;
		if (status != NULL) {
			gboolean known = FALSE;
			for (guint s = ST_ORDER_STATUS_RELEASED; s <= ST_ORDER_STATUS_CANCELLED;
			     s++) {
				if (g_strcmp0(status, st_order_status_to_string(s)) == 0) {
					o->status = s;
					known = TRUE;
				}
			}
			if (!known) {
				g_set_error(
					error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
					_("status '%s' is not released, packing, packed, shipped "
					  "or cancelled"),
					status);
				return FALSE;
			}
		}
		for (guint i = 0; i < G_N_ELEMENTS(order_fields); i++)
			o->fields[i] = g_strdup(st_import_get(row, order_fields[i]));
	}
	line.sku = g_strdup(sku);
	line.quantity = (guint)quantity;
	g_array_append_val(o->lines, line);
	return TRUE;
}

static void
st_import_fault(StImportResult *result, guint line, const gchar *message)
{
	result->bad++;
	if (result->faults->len < ST_IMPORT_MAX_FAULTS)
		g_ptr_array_add(result->faults, g_strdup_printf(_("line %u: %s"), line, message));
	else
		result->faults_left_out++;
}

static void
st_import_order_fault(StImportResult *result, StImportOrder *o, const gchar *message)
{
	g_autofree gchar *lines =
		o->first_line == o->last_line
			? g_strdup_printf(_("line %u"), o->first_line)
			: g_strdup_printf(_("lines %u-%u"), o->first_line, o->last_line);
	result->bad += o->lines->len;
	if (result->faults->len < ST_IMPORT_MAX_FAULTS)
		g_ptr_array_add(result->faults,
				g_strdup_printf(_("%s (order %s): %s"), lines, o->number, message));
	else
		result->faults_left_out++;
}

/* a row with more fields than the header has lost its meaning (a comma in a value without
 * quotes: 1,50 for 1.50): refused rather than read with a field cut off */
static gboolean
st_import_row_width(const StImportRow *row, guint n_header, GError **error)
{
	gboolean extra = FALSE;
	/* empty fields past the header (a spreadsheet's trailing commas) are nothing lost */
	for (guint f = n_header; f < row->n_fields; f++) {
		if (row->fields[f][strspn(row->fields[f], " \t")] != '\0')
			extra = TRUE;
	}
	if (!extra)
		return TRUE;
	g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
		    _("%u fields, but the header names %u columns: a value with a comma in it "
		      "needs double quotes (\"1,50\")"),
		    row->n_fields, n_header);
	return FALSE;
}

/* maps the header to the columns of @kind */
static gboolean
st_import_header(StImportKind kind, GStrv header, const gchar *name, gint *index, GError **error)
{
	for (guint i = 0; i < ST_IMPORT_MAX_COLUMNS; i++)
		index[i] = -1;
	for (guint f = 0; header[f] != NULL; f++) {
		g_autofree gchar *col = g_ascii_strdown(g_strstrip(header[f]), -1);
		gboolean known = FALSE;
		for (guint i = 0; i < ST_IMPORT_MAX_COLUMNS && columns[kind][i].name != NULL; i++) {
			if (strcmp(columns[kind][i].name, col) != 0)
				continue;
			if (index[i] >= 0) {
				g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
					    _("%s: line 1: column '%s' appears twice"), name, col);
				return FALSE;
			}
			index[i] = (gint)f;
			known = TRUE;
		}
		if (!known) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    _("%s: line 1: unknown column '%s'; the columns of %s are %s "
				      "(* required)"),
				    name, col, st_import_kind_to_string(kind),
				    st_import_kind_columns(kind));
			return FALSE;
		}
	}
	for (guint i = 0; i < ST_IMPORT_MAX_COLUMNS && columns[kind][i].name != NULL; i++) {
		if (columns[kind][i].required && index[i] < 0) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    _("%s: line 1: no column '%s'; the columns of %s are %s (* "
				      "required)"),
				    name, columns[kind][i].name, st_import_kind_to_string(kind),
				    st_import_kind_columns(kind));
			return FALSE;
		}
	}
	return TRUE;
}

/* one row of a kind other than orders, applied; FALSE with the row's fault or the database's
 * error */
static gboolean
st_import_apply(StStore *work,
		StImportRow *row,
		guint n_header,
		const StImportOptions *options,
		const gchar *name,
		GError **error)
{
	if (!st_import_row_width(row, n_header, error))
		return FALSE;
	switch (row->kind) {
	case ST_IMPORT_PRODUCTS:
		return st_import_product(work, row, error);
	case ST_IMPORT_LOCATIONS:
		return st_import_location(work, row, error);
	case ST_IMPORT_BOX_TYPES:
		return st_import_box_type(work, row, error);
	case ST_IMPORT_OPERATORS:
		return st_import_operator(work, row, error);
	case ST_IMPORT_STOCK:
		return st_import_stock(work, row, options, name, error);
	case ST_IMPORT_ORDERS:
	default:
		g_assert_not_reached();
	}
}

/* the rows staged and not yet kept: at most this many are held in memory at once */
#define ST_IMPORT_BATCH 512

/*
 * Applies the staged rows @batch (each a GStrv, lines in @lines) from the first on. The rows
 * share one savepoint instead of one each (a savepoint per row copied every page it touched,
 * about a third of an import's time): when a row is refused, the savepoint undoes the rows
 * before it too, so they are applied again (their outcome is the same on the same database)
 * and the batch goes on after the refused row, which is left out as it would be alone.
 * Empties @batch. Returns: FALSE when the database failed, not a row
 */
static gboolean
st_import_apply_batch(StStore *work,
		      StImportRow *row,
		      GPtrArray *batch,
		      GArray *lines,
		      guint n_header,
		      const StImportOptions *options,
		      const gchar *name,
		      StImportResult *result,
		      GError **error)
{
	guint start = 0;

	while (start < batch->len) {
		g_autoptr(GError) error_row = NULL;
		guint i;

		if (!st_store_bulk_row_begin(work, error))
			return FALSE;
		for (i = start; i < batch->len; i++) {
			row->fields = g_ptr_array_index(batch, i);
			row->n_fields = g_strv_length(row->fields);
			row->line = g_array_index(lines, guint, i);
			if (!st_import_apply(work, row, n_header, options, name, &error_row))
				break;
		}
		if (i < batch->len && !st_import_is_row_fault(error_row)) {
			/* the database failed, not the row */
			g_propagate_prefixed_error(error, g_steal_pointer(&error_row),
						   _("%s: line %u: "), name, row->line);
			return FALSE;
		}
		if (i < batch->len) {
			/* undo the batch from @start, apply again the rows before the refused one
			 */
			if (!st_store_bulk_row_end(work, FALSE, error) ||
			    !st_store_bulk_row_begin(work, error))
				return FALSE;
			for (guint j = start; j < i; j++) {
				g_autoptr(GError) error_again = NULL;
				row->fields = g_ptr_array_index(batch, j);
				row->n_fields = g_strv_length(row->fields);
				row->line = g_array_index(lines, guint, j);
				if (!st_import_apply(work, row, n_header, options, name,
						     &error_again)) {
					g_propagate_prefixed_error(
						error, g_steal_pointer(&error_again),
						_("%s: line %u: applied again after line %u was "
						  "refused: "),
						name, row->line, g_array_index(lines, guint, i));
					return FALSE;
				}
			}
		}
		if (!st_store_bulk_row_end(work, TRUE, error))
			return FALSE;
		result->imported += i - start;
		if (i < batch->len)
			st_import_fault(result, g_array_index(lines, guint, i), error_row->message);
		start = i + 1;
	}
	g_ptr_array_set_size(batch, 0);
	g_array_set_size(lines, 0);
	return TRUE;
}

/**
 * st_import_csv:
 * @name: the file's name in messages
 * @result: (out caller-allocates): what happened, row by row
 *
 * Returns: FALSE with an error when the file cannot be read as CSV at all (an unknown column,
 *   a quote that never closes, bytes that are not text) or the database failed; nothing is
 *   imported then. Bad rows are not errors: they are in @result.
 */
gboolean
st_import_csv(StStore *store,
	      StImportKind kind,
	      GInputStream *stream,
	      const gchar *name,
	      const StImportOptions *options,
	      StImportResult *result,
	      GError **error)
{
	g_autoptr(StCsvReader) reader = NULL;
	g_autoptr(StStore) scratch = NULL;
	g_auto(GStrv) header = NULL;
	guint n_header = 0;
	g_autoptr(GHashTable) orders_seen =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree gchar *base_dir = g_path_get_dirname(name);
	StImportOrder order = {.lines = g_array_new(FALSE, FALSE, sizeof(StOrderLineSpec)),
			       .base_dir = base_dir};
	StImportRow row = {.kind = kind};
	g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_autoptr(GArray) batch_lines = g_array_new(FALSE, FALSE, sizeof(guint));
	StStore *work = store;
	gboolean staged = FALSE;
	guint n_staged = 0;
	gboolean ok = FALSE;

	g_return_val_if_fail(store != NULL || options->dry_run, FALSE);
	memset(result, 0, sizeof(*result));
	result->faults = g_ptr_array_new_with_free_func(g_free);
	reader = st_csv_reader_new(stream, name, options->encoding, error);
	if (reader == NULL)
		goto out;
	header = st_csv_reader_next(reader, error);
	if (header == NULL) {
		if (error == NULL || *error == NULL)
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    _("%s is empty; the first line names the columns: %s"), name,
				    st_import_kind_columns(kind));
		goto out;
	}
	n_header = g_strv_length(header);
	if (!st_import_header(kind, header, name, row.index, error))
		goto out;

	/* a dry run works on a private copy: it takes no lock that a bench's scan waits for */
	if (options->dry_run) {
		scratch = st_store_open_scratch(store, error);
		if (scratch == NULL)
			goto out;
		work = scratch;
	}

	/* a retry of an import done before: nothing to read (checked again below, in the
	 * transaction that would keep the key) */
	if (options->request_key != NULL) {
		gint done = st_store_request_done(work, options->request_key, &result->done_before,
						  NULL, error);
		if (done < 0)
			goto out;
		if (done > 0) {
			ok = TRUE;
			goto out;
		}
	}

	/* the file is read whole into the staging table first, outside the write lock: a slow
	 * disk, a pipe or a file that is not CSV after all keeps no bench waiting */
	if (!st_store_stage_begin(work, error))
		goto out;
	staged = TRUE;
	for (;;) {
		g_autoptr(GError) error_csv = NULL;
		g_auto(GStrv) fields = st_csv_reader_next(reader, &error_csv);
		if (fields == NULL) {
			if (error_csv != NULL) {
				g_propagate_error(error, g_steal_pointer(&error_csv));
				goto out;
			}
			break;
		}
		if (!st_store_stage_add(work, st_csv_reader_get_line(reader),
					(const gchar *const *)fields, error))
			goto out;
		n_staged++;
		if (options->progress != NULL && n_staged % 4096 == 0)
			options->progress(ST_IMPORT_READING, st_csv_reader_get_bytes_read(reader),
					  0, n_staged, options->progress_data);
	}
	if (options->progress != NULL)
		options->progress(ST_IMPORT_READING, st_csv_reader_get_bytes_read(reader), 0,
				  n_staged, options->progress_data);
	if (!st_store_stage_rewind(work, error))
		goto out;

	/* then applied, row by row, in one transaction: the write lock is held from here */
	if (!st_store_bulk_begin(work, error))
		goto out;
	if (options->request_key != NULL) {
		gint done = st_store_request_done(work, options->request_key, &result->done_before,
						  NULL, error);
		if (done != 0) {
			st_store_bulk_end(work, FALSE, NULL);
			ok = done > 0;
			goto out;
		}
	}
	for (;;) {
		g_autoptr(GError) error_row = NULL;
		g_autoptr(GError) error_stage = NULL;
		guint line = 0;
		g_auto(GStrv) fields = st_store_stage_next(work, &line, &error_stage);

		if (fields == NULL && error_stage != NULL) {
			g_propagate_error(error, g_steal_pointer(&error_stage));
			st_store_bulk_end(work, FALSE, NULL);
			goto out;
		}
		if (fields != NULL) {
			row.fields = fields;
			row.n_fields = g_strv_length(fields);
			row.line = line;
		}
		/* an order ends where the next begins, and at the end of the file */
		if (kind == ST_IMPORT_ORDERS && order.number != NULL &&
		    (fields == NULL ||
		     g_strcmp0(order.number, st_import_get(&row, "order")) != 0)) {
			gboolean flushed = FALSE;
			if (!order.bad) {
				if (!st_store_bulk_row_begin(work, error)) {
					st_store_bulk_end(work, FALSE, NULL);
					goto out;
				}
				flushed = st_import_order_flush(work, &order, &error_row);
				if (!st_store_bulk_row_end(work, flushed, error)) {
					st_store_bulk_end(work, FALSE, NULL);
					goto out;
				}
			}
			if (order.bad) {
				st_import_order_fault(result, &order,
						      _("the order is left out whole, since one of "
							"its rows is bad"));
			} else if (!flushed) {
				if (!st_import_is_row_fault(error_row)) {
					g_propagate_error(error, g_steal_pointer(&error_row));
					st_store_bulk_end(work, FALSE, NULL);
					goto out;
				}
				st_import_order_fault(result, &order, error_row->message);
			} else {
				result->imported += order.lines->len;
			}
			g_hash_table_add(orders_seen, g_strdup(order.number));
			g_clear_error(&error_row);
			st_import_order_clear(&order);
		}
		if (fields == NULL) {
			if (batch->len > 0 &&
			    !st_import_apply_batch(work, &row, batch, batch_lines, n_header,
						   options, name, result, error)) {
				st_store_bulk_end(work, FALSE, NULL);
				goto out;
			}
			break;
		}
		result->rows++;
		if (kind != ST_IMPORT_ORDERS) {
			/* applied a batch at a time */
			g_ptr_array_add(batch, g_steal_pointer(&fields));
			g_array_append_val(batch_lines, line);
			if (batch->len == ST_IMPORT_BATCH &&
			    !st_import_apply_batch(work, &row, batch, batch_lines, n_header,
						   options, name, result, error)) {
				st_store_bulk_end(work, FALSE, NULL);
				goto out;
			}
		} else {
			const gchar *number = st_import_get(&row, "order");
			gboolean row_ok = TRUE;
			if (number == NULL) {
				g_set_error(&error_row, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
					    _("order is missing"));
				row_ok = FALSE;
			} else if (order.number == NULL &&
				   g_hash_table_contains(orders_seen, number)) {
				g_set_error(&error_row, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
					    _("order %s appears again after other orders: keep the "
					      "rows of an order together"),
					    number);
				row_ok = FALSE;
			} else {
				if (order.number == NULL) {
					order.number = g_strdup(number);
					order.first_line = row.line;
				}
				order.last_line = row.line;
				if (!st_import_row_width(&row, n_header, &error_row) ||
				    !st_import_order_row(&order, &row, &error_row)) {
					order.bad = TRUE;
					row_ok = FALSE;
				}
			}
			if (!row_ok && !st_import_is_row_fault(error_row)) {
				/* the database failed, not the row */
				g_propagate_prefixed_error(error, g_steal_pointer(&error_row),
							   _("%s: line %u: "), name, row.line);
				st_store_bulk_end(work, FALSE, NULL);
				goto out;
			}
			if (!row_ok)
				st_import_fault(result, row.line, error_row->message);
		}
		if (options->progress != NULL && result->rows % 4096 == 0)
			options->progress(ST_IMPORT_APPLYING, result->rows, n_staged, result->rows,
					  options->progress_data);
	}
	if (options->progress != NULL)
		options->progress(ST_IMPORT_APPLYING, result->rows, n_staged, result->rows,
				  options->progress_data);
	result->kept = !options->dry_run && (result->bad == 0 || options->skip_bad);
	if (result->kept && options->request_key != NULL) {
		g_autofree gchar *verb =
			g_strdup_printf("import %s", st_import_kind_to_string(kind));
		if (!st_store_request_keep(work, options->request_key, verb, error)) {
			st_store_bulk_end(work, FALSE, NULL);
			result->kept = FALSE;
			goto out;
		}
	}
	if (!st_store_bulk_end(work, result->kept, error)) {
		result->kept = FALSE;
		goto out;
	}
	if (!result->kept)
		result->imported = 0;
	ok = TRUE;
out:
	if (staged)
		st_store_stage_end(work);
	st_import_order_clear(&order);
	g_array_unref(order.lines);
	return ok;
}
