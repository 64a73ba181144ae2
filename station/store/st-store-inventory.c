/*
 * The store's inventory verbs: the catalogue (products, barcodes of each pack level),
 * locations, box types, orders with their ship-to address, and stock.
 *
 * Stock changes only through st_store_change_stock(), which in one transaction appends a row
 * to the ledger, updates the stock table and queues an event for the central system. The
 * ledger cannot be updated or deleted (triggers refuse it), so the stock table can always be
 * derived from it; st_store_check() does exactly that and reports every difference.
 */
#define G_LOG_DOMAIN "station-store"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "station/st-error.h"

#include "st-store-private.h"

static const gchar *const ledger_kinds[ST_LEDGER_LAST] = {
	[ST_LEDGER_RECEIVE] = "receive", [ST_LEDGER_PICK] = "pick", [ST_LEDGER_PACK] = "pack",
	[ST_LEDGER_ADJUST] = "adjust",	 [ST_LEDGER_MOVE] = "move", [ST_LEDGER_CANCEL] = "cancel",
	[ST_LEDGER_RETURN] = "return",
};

const gchar *
st_ledger_kind_to_string(StLedgerKind kind)
{
	if ((guint)kind >= ST_LEDGER_LAST)
		return "unknown";
	return ledger_kinds[kind];
}

gboolean
st_ledger_kind_from_string(const gchar *str, StLedgerKind *kind)
{
	for (guint k = 0; k < ST_LEDGER_LAST; k++) {
		if (g_strcmp0(str, ledger_kinds[k]) == 0) {
			*kind = (StLedgerKind)k;
			return TRUE;
		}
	}
	return FALSE;
}

static const gchar *const pack_levels[] = {"unit", "inner", "case", "pallet"};

const gchar *
st_pack_level_to_string(StPackLevel level)
{
	if ((guint)level >= G_N_ELEMENTS(pack_levels))
		return "unknown";
	return pack_levels[level];
}

gboolean
st_pack_level_from_string(const gchar *str, StPackLevel *level)
{
	for (guint k = 0; k < G_N_ELEMENTS(pack_levels); k++) {
		if (g_strcmp0(str, pack_levels[k]) == 0) {
			*level = (StPackLevel)k;
			return TRUE;
		}
	}
	return FALSE;
}

void
st_stock_report_free(StStockReport *self)
{
	if (self == NULL)
		return;
	g_free(self->sku);
	g_free(self->name);
	g_ptr_array_unref(self->rows);
	g_free(self);
}

static void
st_stock_row_free(StStockRow *self)
{
	g_free(self->location);
	g_free(self->lot);
	g_free(self->expiry);
	g_free(self->serial);
	g_free(self);
}

void
st_ledger_row_free(StLedgerRow *self)
{
	if (self == NULL)
		return;
	g_free(self->kind);
	g_free(self->sku);
	g_free(self->from);
	g_free(self->to);
	g_free(self->lot);
	g_free(self->expiry);
	g_free(self->serial);
	g_free(self->order_number);
	g_free(self->operator_name);
	g_free(self->station);
	g_free(self->at);
	g_free(self->note);
	g_free(self);
}

static const gchar *
st_nz(const gchar *s)
{
	return s != NULL ? s : "";
}

static gchar *
st_column_dup(sqlite3_stmt *stmt, gint col)
{
	const guchar *text = sqlite3_column_text(stmt, col);
	return text != NULL ? g_strdup((const gchar *)text) : NULL;
}

/* a text of 1 to @max characters with no control characters */
static gboolean
st_store_check_text(const gchar *what, const gchar *value, guint max, GError **error)
{
	if (value == NULL || value[0] == '\0') {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA, "%s is missing", what);
		return FALSE;
	}
	if (g_utf8_strlen(value, -1) > max) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "%s '%s' is longer than %u characters", what, value, max);
		return FALSE;
	}
	for (const gchar *p = value; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || *p == 0x7f) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
				    "%s '%s' holds a control character", what, value);
			return FALSE;
		}
	}
	return TRUE;
}

/* YYYY-MM-DD, a real day */
static gboolean
st_store_parse_date(const gchar *value, GDate *date)
{
	guint y, m, d;
	gchar end;
	if (strlen(value) != 10 || value[4] != '-' || value[7] != '-' ||
	    sscanf(value, "%4u-%2u-%2u%c", &y, &m, &d, &end) != 3)
		return FALSE;
	for (guint i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && !g_ascii_isdigit(value[i]))
			return FALSE;
	}
	if (!g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return FALSE;
	g_date_clear(date, 1);
	g_date_set_dmy(date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
	return TRUE;
}

/* @expiry (nullable) is a real YYYY-MM-DD date and, when @refuse_past (goods coming into
 * stock: received, returned, counted), not before today */
static gboolean
st_store_check_expiry(const gchar *sku, const gchar *expiry, gboolean refuse_past, GError **error)
{
	GDate date, today;

	if (expiry == NULL || expiry[0] == '\0')
		return TRUE;
	if (!st_store_parse_date(expiry, &date)) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "expiry '%s' of SKU %s is not a date written YYYY-MM-DD", expiry, sku);
		return FALSE;
	}
	g_date_clear(&today, 1);
	g_date_set_time_t(&today, time(NULL));
	if (refuse_past && g_date_compare(&date, &today) < 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "expiry %s of SKU %s is in the past: expired goods are not taken into "
			    "stock (check the date, or put them aside)",
			    expiry, sku);
		return FALSE;
	}
	return TRUE;
}

/**
 * st_store_set_negative_locations:
 * @codes: (nullable): location codes whose stock may go below zero, whatever their own
 *   allow_negative says (the [store] allow-negative key)
 */
void
st_store_set_negative_locations(StStore *self, const gchar *const *codes)
{
	g_strfreev(self->negative_locations);
	self->negative_locations = g_strdupv((gchar **)codes);
}

static gboolean
st_store_negative_allowed(StStore *self, const gchar *code)
{
	return self->negative_locations != NULL &&
	       g_strv_contains((const gchar *const *)self->negative_locations, code);
}

/**
 * st_store_put_product:
 *
 * Adds a product, or updates the one with that SKU (its barcodes stay).
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA for a missing or too long SKU or name
 */
gboolean
st_store_put_product(StStore *self, const StProductSpec *spec, gint64 *id, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *now = st_store_now();

	g_return_val_if_fail(self->db != NULL, FALSE);
	if (!st_store_check_text("the SKU", spec->sku, 64, error) ||
	    !st_store_check_text("the name", spec->name, 256, error) ||
	    (spec->uom != NULL &&
	     !st_store_check_text("the unit of measure", spec->uom, 16, error)))
		return FALSE;
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(
		self,
		"INSERT INTO products (sku, name, weight_g, length_mm, width_mm, height_mm, "
		"track_lot, track_serial, track_expiry, hazmat, fragile, uom, created_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
		"ON CONFLICT (sku) DO UPDATE SET name = ?2, weight_g = ?3, length_mm = ?4, "
		"width_mm = ?5, height_mm = ?6, track_lot = ?7, track_serial = ?8, "
		"track_expiry = ?9, hazmat = ?10, fragile = ?11, uom = ?12, updated_at = ?13 "
		"RETURNING id",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, spec->sku, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, spec->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 3, spec->weight_g);
	sqlite3_bind_int64(stmt, 4, spec->length_mm);
	sqlite3_bind_int64(stmt, 5, spec->width_mm);
	sqlite3_bind_int64(stmt, 6, spec->height_mm);
	sqlite3_bind_int(stmt, 7, spec->track_lot ? 1 : 0);
	sqlite3_bind_int(stmt, 8, spec->track_serial ? 1 : 0);
	sqlite3_bind_int(stmt, 9, spec->track_expiry ? 1 : 0);
	sqlite3_bind_int(stmt, 10, spec->hazmat ? 1 : 0);
	sqlite3_bind_int(stmt, 11, spec->fragile ? 1 : 0);
	sqlite3_bind_text(stmt, 12, spec->uom != NULL ? spec->uom : "each", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 13, now, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		st_store_set_error(self, error, sqlite3_errcode(self->db), "saving the product");
		g_prefix_error(error, "SKU %s: ", spec->sku);
		return FALSE;
	}
	if (id != NULL)
		*id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return st_store_commit(tx, error);
}

/**
 * st_store_put_barcode:
 * @pack: the pack the barcode is printed on
 * @quantity: units that pack holds (a case of 12: scanning it counts 12)
 *
 * Returns: FALSE with ST_ERROR_NOT_FOUND for an unknown SKU, or ST_ERROR_INVALID_DATA for a
 *   barcode that belongs to another product (one barcode never means two products)
 */
gboolean
st_store_put_barcode(StStore *self,
		     const gchar *sku,
		     const gchar *barcode,
		     StPackLevel pack,
		     guint quantity,
		     GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	gint64 product_id;

	g_return_val_if_fail(self->db != NULL, FALSE);
	if (!st_store_check_text("the barcode", barcode, 128, error))
		return FALSE;
	if (quantity == 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "barcode %s: a pack holds at least 1 unit", barcode);
		return FALSE;
	}
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	product_id = st_store_product_id_by_sku(self, sku, error);
	if (product_id < 0)
		return FALSE;
	{
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"SELECT p.sku FROM product_barcodes b JOIN products p ON p.id = "
			"b.product_id WHERE b.barcode = ? AND b.product_id != ?",
			error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_text(stmt, 1, barcode, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, product_id);
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
				    "barcode %s already belongs to SKU %s; one barcode cannot "
				    "name two products (remove it from %s first)",
				    barcode, sqlite3_column_text(stmt, 0),
				    sqlite3_column_text(stmt, 0));
			return FALSE;
		}
	}
	{
		g_autoptr(StStoreStmt) stmt =
			st_store_prepare(self,
					 "INSERT INTO product_barcodes (barcode, product_id, "
					 "quantity, pack) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
					 "(barcode) DO UPDATE SET quantity = ?3, pack = ?4",
					 error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_text(stmt, 1, barcode, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, product_id);
		sqlite3_bind_int64(stmt, 3, quantity);
		sqlite3_bind_text(stmt, 4, st_pack_level_to_string(pack), -1, SQLITE_STATIC);
		if (!st_store_step_done(self, stmt, "saving the barcode", error))
			return FALSE;
	}
	return st_store_commit(tx, error);
}

/**
 * st_store_put_location:
 *
 * Adds a location, or updates the one with that code.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA for a missing code, an unknown kind or a barcode
 *   that another location has
 */
gboolean
st_store_put_location(StStore *self, const StLocationSpec *spec, GError **error)
{
	static const gchar *const kinds[] = {"bin", "tote", "cart", "bench", "dock", NULL};
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	const gchar *kind = spec->kind != NULL && spec->kind[0] != '\0' ? spec->kind : "bin";

	g_return_val_if_fail(self->db != NULL, FALSE);
	if (!st_store_check_text("the location code", spec->code, 64, error))
		return FALSE;
	if (!g_strv_contains(kinds, kind)) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "location %s: kind '%s' is not one of bin, tote, cart, bench, dock",
			    spec->code, kind);
		return FALSE;
	}
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (spec->barcode != NULL && spec->barcode[0] != '\0') {
		g_autoptr(StStoreStmt) other = st_store_prepare(
			self, "SELECT code FROM locations WHERE barcode = ? AND code != ?", error);
		if (other == NULL)
			return FALSE;
		sqlite3_bind_text(other, 1, spec->barcode, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(other, 2, spec->code, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(other) == SQLITE_ROW) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
				    "location %s: barcode %s is already location %s's", spec->code,
				    spec->barcode, sqlite3_column_text(other, 0));
			return FALSE;
		}
	}
	stmt = st_store_prepare(
		self,
		"INSERT INTO locations (code, barcode, kind, warehouse, zone, aisle, bay, level, "
		"bin, pick_sequence, allow_negative) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
		"?10, ?11) ON CONFLICT (code) DO UPDATE SET barcode = ?2, kind = ?3, "
		"warehouse = ?4, zone = ?5, aisle = ?6, bay = ?7, level = ?8, bin = ?9, "
		"pick_sequence = ?10, allow_negative = ?11",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, spec->code, -1, SQLITE_TRANSIENT);
	if (spec->barcode != NULL && spec->barcode[0] != '\0')
		sqlite3_bind_text(stmt, 2, spec->barcode, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, st_nz(spec->warehouse), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 5, st_nz(spec->zone), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 6, st_nz(spec->aisle), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 7, st_nz(spec->bay), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 8, st_nz(spec->level), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 9, st_nz(spec->bin), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 10, spec->pick_sequence);
	sqlite3_bind_int(stmt, 11, spec->allow_negative ? 1 : 0);
	if (!st_store_step_done(self, stmt, "saving the location", error)) {
		g_prefix_error(error, "location %s: ", spec->code);
		return FALSE;
	}
	return st_store_commit(tx, error);
}

/* Returns: FALSE with ST_ERROR_INVALID_DATA for a missing code or name, or a barcode taken */
gboolean
st_store_put_box_type(StStore *self, const StBoxTypeSpec *spec, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;

	g_return_val_if_fail(self->db != NULL, FALSE);
	if (!st_store_check_text("the box type code", spec->code, 64, error) ||
	    !st_store_check_text("the box type name", spec->name, 256, error))
		return FALSE;
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(
		self,
		"INSERT INTO box_types (code, name, barcode, tare_g, length_mm, width_mm, "
		"height_mm, max_weight_g) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT "
		"(code) DO UPDATE SET name = ?2, barcode = ?3, tare_g = ?4, length_mm = ?5, "
		"width_mm = ?6, height_mm = ?7, max_weight_g = ?8",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, spec->code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, spec->name, -1, SQLITE_TRANSIENT);
	if (spec->barcode != NULL && spec->barcode[0] != '\0')
		sqlite3_bind_text(stmt, 3, spec->barcode, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, spec->tare_g);
	sqlite3_bind_int64(stmt, 5, spec->length_mm);
	sqlite3_bind_int64(stmt, 6, spec->width_mm);
	sqlite3_bind_int64(stmt, 7, spec->height_mm);
	sqlite3_bind_int64(stmt, 8, spec->max_weight_g);
	if (!st_store_step_done(self, stmt, "saving the box type", error)) {
		g_prefix_error(error, "box type %s: ", spec->code);
		return FALSE;
	}
	return st_store_commit(tx, error);
}

/**
 * st_store_put_order:
 *
 * Adds an order with its lines, ship-to address, service level and carrier, and its first
 * status, in one transaction.
 *
 * Returns: FALSE with ST_ERROR_NOT_FOUND for an unknown SKU, or ST_ERROR_INVALID_DATA for a
 *   number that exists, no lines, or a zero quantity; nothing is stored then
 */
gboolean
st_store_put_order(StStore *self, const StOrderSpec *spec, gint64 *id, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	const StAddress empty = {NULL};
	const StAddress *a = spec->ship_to != NULL ? spec->ship_to : &empty;
	gint64 order_id = 0;

	g_return_val_if_fail(self->db != NULL, FALSE);
	if (!st_store_check_text("the order number", spec->number, 64, error))
		return FALSE;
	if (spec->n_lines == 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA, "order %s has no lines",
			    spec->number);
		return FALSE;
	}
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (!st_store_add_order(self, spec->number, spec->status, spec->lines, spec->n_lines,
				&order_id, error))
		return FALSE;
	{
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"UPDATE orders SET ship_name = ?, ship_company = ?, ship_street1 = ?, "
			"ship_street2 = ?, ship_city = ?, ship_region = ?, ship_postal_code = ?, "
			"ship_country = ?, ship_phone = ?, ship_email = ?, service_level = ?, "
			"carrier = ? WHERE id = ?",
			error);
		const gchar *values[] = {a->name,  a->company, a->street1,	    a->street2,
					 a->city,  a->region,  a->postal_code,	    a->country,
					 a->phone, a->email,   spec->service_level, spec->carrier};
		if (stmt == NULL)
			return FALSE;
		for (guint i = 0; i < G_N_ELEMENTS(values); i++)
			sqlite3_bind_text(stmt, (gint)i + 1, st_nz(values[i]), -1,
					  SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, (gint)G_N_ELEMENTS(values) + 1, order_id);
		if (!st_store_step_done(self, stmt, "saving the ship-to address", error))
			return FALSE;
	}
	if (!st_store_commit(tx, error))
		return FALSE;
	if (id != NULL)
		*id = order_id;
	return TRUE;
}

typedef struct {
	gint64 id;
	gboolean track_lot, track_serial, track_expiry;
} StProductTracking;

static gboolean
st_store_product_tracking(StStore *self, const gchar *sku, StProductTracking *p, GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self,
		"SELECT id, track_lot, track_serial, track_expiry FROM products WHERE sku = ?",
		error);
	gint rc;
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, sku, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
			    "unknown SKU %s: import it with `station import products` first", sku);
		return FALSE;
	}
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "looking up a product");
		return FALSE;
	}
	p->id = sqlite3_column_int64(stmt, 0);
	p->track_lot = sqlite3_column_int(stmt, 1) != 0;
	p->track_serial = sqlite3_column_int(stmt, 2) != 0;
	p->track_expiry = sqlite3_column_int(stmt, 3) != 0;
	return TRUE;
}

static gint64
st_store_location_id(StStore *self, const gchar *code, gboolean *allow_negative, GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self, "SELECT id, allow_negative FROM locations WHERE code = ?", error);
	gint rc;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, code, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
			    "unknown location %s: import it with `station import locations` first",
			    code);
		return -1;
	}
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "looking up a location");
		return -1;
	}
	if (allow_negative != NULL)
		*allow_negative = sqlite3_column_int(stmt, 1) != 0;
	return sqlite3_column_int64(stmt, 0);
}

/* the order line @line_no of @number, which must be of @product_id */
static gboolean
st_store_order_line(StStore *self,
		    const gchar *number,
		    guint line_no,
		    gint64 product_id,
		    const gchar *sku,
		    gint64 *order_id,
		    gint64 *line_id,
		    GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self,
		"SELECT o.id, l.id, l.product_id, p.sku FROM orders o JOIN order_lines l ON "
		"l.order_id = o.id JOIN products p ON p.id = l.product_id WHERE o.number = ? AND "
		"l.line_no = ?",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, line_no);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "order %s has no line %u",
			    number, line_no);
		return FALSE;
	}
	if (sqlite3_column_int64(stmt, 2) != product_id) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "order %s line %u is SKU %s, not %s", number, line_no,
			    sqlite3_column_text(stmt, 3), sku);
		return FALSE;
	}
	*order_id = sqlite3_column_int64(stmt, 0);
	*line_id = sqlite3_column_int64(stmt, 1);
	return TRUE;
}

/* adds @delta to the stock of one product, location, lot, expiry and serial */
static gboolean
st_store_stock_add(StStore *self,
		   gint64 product_id,
		   gint64 location_id,
		   const StStockChange *c,
		   gint64 delta,
		   GError **error)
{
	g_autoptr(StStoreStmt) up = st_store_prepare(
		self,
		"INSERT INTO stock (product_id, location_id, lot, expiry, serial, quantity) VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (product_id, location_id, lot, expiry, "
		"serial) DO UPDATE SET quantity = quantity + ?6",
		error);
	if (up == NULL)
		return FALSE;
	sqlite3_bind_int64(up, 1, product_id);
	sqlite3_bind_int64(up, 2, location_id);
	sqlite3_bind_text(up, 3, st_nz(c->lot), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(up, 4, st_nz(c->expiry), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(up, 5, st_nz(c->serial), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(up, 6, delta);
	if (!st_store_step_done(self, up, "updating stock", error))
		return FALSE;
	{
		g_autoptr(StStoreStmt) zero =
			st_store_prepare(self,
					 "DELETE FROM stock WHERE product_id = ? AND location_id = "
					 "? AND lot = ? AND "
					 "expiry = ? AND serial = ? AND quantity = 0",
					 error);
		if (zero == NULL)
			return FALSE;
		sqlite3_bind_int64(zero, 1, product_id);
		sqlite3_bind_int64(zero, 2, location_id);
		sqlite3_bind_text(zero, 3, st_nz(c->lot), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(zero, 4, st_nz(c->expiry), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(zero, 5, st_nz(c->serial), -1, SQLITE_TRANSIENT);
		return st_store_step_done(self, zero, "updating stock", error);
	}
}

static gint64
st_store_stock_quantity(StStore *self,
			gint64 product_id,
			gint64 location_id,
			const StStockChange *c,
			GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self,
		"SELECT quantity FROM stock WHERE product_id = ? AND location_id = ? AND lot = ? "
		"AND expiry = ? AND serial = ?",
		error);
	gint rc;
	if (stmt == NULL)
		return G_MININT64;
	sqlite3_bind_int64(stmt, 1, product_id);
	sqlite3_bind_int64(stmt, 2, location_id);
	sqlite3_bind_text(stmt, 3, st_nz(c->lot), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, st_nz(c->expiry), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 5, st_nz(c->serial), -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		return sqlite3_column_int64(stmt, 0);
	if (rc == SQLITE_DONE)
		return 0;
	st_store_set_error(self, error, rc, "reading stock");
	return G_MININT64;
}

/* which locations each kind of change needs, and what it must have */
static gboolean
st_store_change_valid(const StStockChange *c, const StProductTracking *p, GError **error)
{
	const gchar *kind = st_ledger_kind_to_string(c->kind);
	gboolean has_from = c->from != NULL && c->from[0] != '\0';
	gboolean has_to = c->to != NULL && c->to[0] != '\0';
	gboolean ok;

	switch (c->kind) {
	case ST_LEDGER_RECEIVE:
	case ST_LEDGER_RETURN:
		ok = has_to && !has_from;
		break;
	case ST_LEDGER_ADJUST:
		ok = has_to != has_from;
		break;
	case ST_LEDGER_MOVE:
	case ST_LEDGER_PICK:
	case ST_LEDGER_CANCEL:
		ok = has_to && has_from && g_strcmp0(c->from, c->to) != 0;
		break;
	case ST_LEDGER_PACK:
		ok = has_from && !has_to;
		break;
	default:
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA, "unknown kind of change");
		return FALSE;
	}
	if (!ok) {
		static const gchar *const needs[ST_LEDGER_LAST] = {
			[ST_LEDGER_RECEIVE] = "a location to receive into (to) and none to take "
					      "from",
			[ST_LEDGER_RETURN] = "a location to return into (to) and none to take from",
			[ST_LEDGER_ADJUST] = "either a location to add to (to) or one to take "
					     "from (from), not both",
			[ST_LEDGER_MOVE] = "two different locations, from and to",
			[ST_LEDGER_PICK] = "the location picked from and the tote or bench picked "
					   "to",
			[ST_LEDGER_CANCEL] = "the tote or bench the goods are in and the location "
					     "they go back to",
			[ST_LEDGER_PACK] = "the location packed from, and no destination",
		};
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA, "a %s needs %s", kind,
			    needs[c->kind]);
		return FALSE;
	}
	if (c->quantity <= 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "quantity %" G_GINT64_FORMAT " of SKU %s: a %s moves a positive "
			    "quantity (an adjustment down takes from a location)",
			    c->quantity, c->sku, kind);
		return FALSE;
	}
	if ((c->kind == ST_LEDGER_PICK || c->kind == ST_LEDGER_PACK ||
	     c->kind == ST_LEDGER_CANCEL) &&
	    (c->order_number == NULL || c->line_no == 0)) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "a %s of SKU %s names the order and line it is for", kind, c->sku);
		return FALSE;
	}
	if (p->track_lot && (c->lot == NULL || c->lot[0] == '\0')) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "SKU %s is tracked by lot: give the lot (scan the GS1 barcode, AI 10)",
			    c->sku);
		return FALSE;
	}
	if (p->track_expiry && (c->expiry == NULL || c->expiry[0] == '\0')) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "SKU %s is tracked by expiry date: give it (YYYY-MM-DD, or scan the "
			    "GS1 barcode, AI 17)",
			    c->sku);
		return FALSE;
	}
	if (p->track_serial && (c->serial == NULL || c->serial[0] == '\0')) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "SKU %s is tracked by serial number: give it (AI 21)", c->sku);
		return FALSE;
	}
	if (c->serial != NULL && c->serial[0] != '\0' && c->quantity != 1) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "serial number %s names one unit of SKU %s, not %" G_GINT64_FORMAT,
			    c->serial, c->sku, c->quantity);
		return FALSE;
	}
	if (!st_store_check_expiry(c->sku, c->expiry,
				   c->kind == ST_LEDGER_RECEIVE || c->kind == ST_LEDGER_RETURN,
				   error))
		return FALSE;
	if ((c->lot != NULL && !g_utf8_validate(c->lot, -1, NULL)) ||
	    (c->serial != NULL && !g_utf8_validate(c->serial, -1, NULL))) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "the lot or serial of SKU %s is not text", c->sku);
		return FALSE;
	}
	return TRUE;
}

/* the reservation of an order line shrinks by what left stock (pack) or went back (cancel) */
static gboolean
st_store_release_reservation(StStore *self, gint64 line_id, gint64 quantity, GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self, "UPDATE reservations SET quantity = quantity - ? WHERE order_line_id = ?",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, quantity);
	sqlite3_bind_int64(stmt, 2, line_id);
	/* the CHECK (quantity > 0) refuses what would reach 0: delete those instead */
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		g_autoptr(StStoreStmt) del = st_store_prepare(
			self, "DELETE FROM reservations WHERE order_line_id = ?", error);
		sqlite3_reset(stmt);
		if (del == NULL)
			return FALSE;
		sqlite3_bind_int64(del, 1, line_id);
		return st_store_step_done(self, del, "releasing a reservation", error);
	}
	return TRUE;
}

/**
 * st_store_change_stock:
 * @ledger_id: (out) (optional): the ledger row written
 *
 * Changes stock: appends the ledger row, updates the stock of the locations it names, for a
 * pack or cancel shrinks the order line's reservation, and queues a stock event for the
 * central system (unless @no_event), all in one durable transaction.
 *
 * Returns: FALSE with ST_ERROR_NOT_FOUND (unknown SKU, location, order line) or
 *   ST_ERROR_INVALID_DATA (a missing lot, serial or expiry the product tracks, an expiry in
 *   the past, a quantity that would go below zero where the location does not allow it);
 *   nothing is changed then
 */
gboolean
st_store_change_stock(StStore *self, const StStockChange *c, gint64 *ledger_id, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autofree gchar *now = st_store_now();
	g_autofree gchar *event = NULL;
	StProductTracking p = {0};
	gint64 from_id = 0, to_id = 0, order_id = 0, line_id = 0, id;
	gboolean from_negative = FALSE;

	g_return_val_if_fail(self->db != NULL, FALSE);
	if (c->sku == NULL || c->sku[0] == '\0') {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA, "the SKU is missing");
		return FALSE;
	}
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (!st_store_product_tracking(self, c->sku, &p, error) ||
	    !st_store_change_valid(c, &p, error))
		return FALSE;
	if (c->from != NULL && c->from[0] != '\0' &&
	    (from_id = st_store_location_id(self, c->from, &from_negative, error)) < 0)
		return FALSE;
	if (from_id > 0 && st_store_negative_allowed(self, c->from))
		from_negative = TRUE;
	if (c->to != NULL && c->to[0] != '\0' &&
	    (to_id = st_store_location_id(self, c->to, NULL, error)) < 0)
		return FALSE;
	if (c->order_number != NULL && c->line_no > 0 &&
	    !st_store_order_line(self, c->order_number, c->line_no, p.id, c->sku, &order_id,
				 &line_id, error))
		return FALSE;
	if (from_id > 0) {
		gint64 have = st_store_stock_quantity(self, p.id, from_id, c, error);
		if (have == G_MININT64)
			return FALSE;
		if (have - c->quantity < 0 && !from_negative) {
			g_autofree gchar *what = g_strdup_printf(
				"%s%s%s%s", c->lot != NULL && c->lot[0] ? " lot " : "",
				st_nz(c->lot), c->serial != NULL && c->serial[0] ? " serial " : "",
				st_nz(c->serial));
			g_set_error(
				error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
				"%s holds %" G_GINT64_FORMAT
				" of SKU %s%s: a %s of %" G_GINT64_FORMAT
				" would leave it below zero; count the location, or record what "
				"is there with an adjustment first",
				c->from, have, c->sku, what, st_ledger_kind_to_string(c->kind),
				c->quantity);
			return FALSE;
		}
	}
	{
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"INSERT INTO ledger (kind, product_id, quantity, from_location_id, "
			"to_location_id, lot, expiry, serial, order_id, order_line_id, scan_id, "
			"operator, station, at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			"?, "
			"?, ?)",
			error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_text(stmt, 1, st_ledger_kind_to_string(c->kind), -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, p.id);
		sqlite3_bind_int64(stmt, 3, c->quantity);
		if (from_id > 0)
			sqlite3_bind_int64(stmt, 4, from_id);
		if (to_id > 0)
			sqlite3_bind_int64(stmt, 5, to_id);
		sqlite3_bind_text(stmt, 6, st_nz(c->lot), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 7, st_nz(c->expiry), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 8, st_nz(c->serial), -1, SQLITE_TRANSIENT);
		if (order_id > 0)
			sqlite3_bind_int64(stmt, 9, order_id);
		if (line_id > 0)
			sqlite3_bind_int64(stmt, 10, line_id);
		if (c->scan_id > 0)
			sqlite3_bind_int64(stmt, 11, c->scan_id);
		if (c->operator_name != NULL)
			sqlite3_bind_text(stmt, 12, c->operator_name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 13, self->station_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 14, now, -1, SQLITE_TRANSIENT);
		if (c->note != NULL)
			sqlite3_bind_text(stmt, 15, c->note, -1, SQLITE_TRANSIENT);
		if (!st_store_step_done(self, stmt, "writing the ledger", error))
			return FALSE;
		id = sqlite3_last_insert_rowid(self->db);
	}
	if (from_id > 0 && !st_store_stock_add(self, p.id, from_id, c, -c->quantity, error))
		return FALSE;
	if (to_id > 0 && !st_store_stock_add(self, p.id, to_id, c, c->quantity, error))
		return FALSE;
	if ((c->kind == ST_LEDGER_PACK || c->kind == ST_LEDGER_CANCEL) &&
	    !st_store_release_reservation(self, line_id, c->quantity, error))
		return FALSE;
	json_builder_begin_object(fields);
	json_builder_set_member_name(fields, "ledger");
	json_builder_add_int_value(fields, id);
	json_builder_set_member_name(fields, "sku");
	json_builder_add_string_value(fields, c->sku);
	json_builder_set_member_name(fields, "quantity");
	json_builder_add_int_value(fields, c->quantity);
	json_builder_set_member_name(fields, "from");
	if (from_id > 0)
		json_builder_add_string_value(fields, c->from);
	else
		json_builder_add_null_value(fields);
	json_builder_set_member_name(fields, "to");
	if (to_id > 0)
		json_builder_add_string_value(fields, c->to);
	else
		json_builder_add_null_value(fields);
	json_builder_set_member_name(fields, "lot");
	json_builder_add_string_value(fields, st_nz(c->lot));
	json_builder_set_member_name(fields, "expiry");
	json_builder_add_string_value(fields, st_nz(c->expiry));
	json_builder_set_member_name(fields, "serial");
	json_builder_add_string_value(fields, st_nz(c->serial));
	if (order_id > 0) {
		json_builder_set_member_name(fields, "order");
		json_builder_add_string_value(fields, c->order_number);
		json_builder_set_member_name(fields, "line");
		json_builder_add_int_value(fields, c->line_no);
	}
	event = g_strdup_printf("stock.%s", st_ledger_kind_to_string(c->kind));
	if (!c->no_event && !st_store_insert_event(self, event, order_id, fields, now, error))
		return FALSE;
	if (!st_store_commit(tx, error))
		return FALSE;
	if (ledger_id != NULL)
		*ledger_id = id;
	return TRUE;
}

/**
 * st_store_count_stock:
 * @count: the location (@to), product, lot, expiry and serial counted, and the quantity
 *   found there (@quantity, 0 or more); @kind is not used
 *
 * Records a count: when it differs from the stock table, an adjustment for the difference
 * (with @note, or "count"), through st_store_change_stock(). A count that matches writes
 * nothing, so importing the same count twice changes nothing.
 *
 * Returns: FALSE with an error as st_store_change_stock(), or ST_ERROR_INVALID_DATA for an
 *   expiry in the past (expired goods are put aside, not counted into stock)
 */
gboolean
st_store_count_stock(StStore *self, const StStockChange *count, gint64 *ledger_id, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	StProductTracking p = {0};
	StStockChange adj = *count;
	gint64 location_id, have;

	g_return_val_if_fail(self->db != NULL, FALSE);
	if (count->sku == NULL || count->to == NULL) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "a count names the SKU and the location");
		return FALSE;
	}
	if (count->quantity < 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "a count of %" G_GINT64_FORMAT
			    " of SKU %s: what is counted is 0 or more",
			    count->quantity, count->sku);
		return FALSE;
	}
	if (!st_store_check_expiry(count->sku, count->expiry, TRUE, error))
		return FALSE;
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (!st_store_product_tracking(self, count->sku, &p, error))
		return FALSE;
	location_id = st_store_location_id(self, count->to, NULL, error);
	if (location_id < 0)
		return FALSE;
	have = st_store_stock_quantity(self, p.id, location_id, count, error);
	if (have == G_MININT64)
		return FALSE;
	if (have != count->quantity) {
		adj.kind = ST_LEDGER_ADJUST;
		adj.from = have > count->quantity ? count->to : NULL;
		adj.to = have < count->quantity ? count->to : NULL;
		adj.quantity = ABS(count->quantity - have);
		adj.note = count->note != NULL ? count->note : "count";
		if (!st_store_change_stock(self, &adj, ledger_id, error))
			return FALSE;
	} else if (ledger_id != NULL) {
		*ledger_id = 0;
	}
	return st_store_commit(tx, error);
}

static gint64
st_store_scalar(StStore *self, const gchar *sql, gint64 arg, GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(self, sql, error);
	gint rc;
	if (stmt == NULL)
		return G_MININT64;
	sqlite3_bind_int64(stmt, 1, arg);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "reading stock");
		return G_MININT64;
	}
	return sqlite3_column_int64(stmt, 0);
}

/**
 * st_store_reserve_order:
 * @shortages: (out) (optional) (element-type utf8): one sentence per line that could not be
 *   reserved in full
 *
 * Reserves, for each line of the order, what it still needs (quantity minus packed) out of
 * what is available (on hand minus reserved for other lines). Lines already reserved keep
 * their reservation.
 *
 * Returns: FALSE with ST_ERROR_NOT_FOUND for an unknown order
 */
gboolean
st_store_reserve_order(StStore *self, const gchar *number, GPtrArray **shortages, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StOrder) order = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func(g_free);

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	order = st_store_find_order(self, number, error);
	if (order == NULL)
		return FALSE;
	lines = st_store_get_order_lines(self, order->id, error);
	if (lines == NULL)
		return FALSE;
	for (guint i = 0; i < lines->len; i++) {
		const StOrderLine *line = g_ptr_array_index(lines, i);
		gint64 on_hand = st_store_scalar(
			self, "SELECT coalesce(sum(quantity), 0) FROM stock WHERE product_id = ?",
			line->product_id, error);
		gint64 reserved_other = st_store_scalar(
			self,
			"SELECT coalesce(sum(quantity), 0) FROM reservations WHERE product_id = ?",
			line->product_id, error);
		gint64 mine = st_store_scalar(self,
					      "SELECT coalesce(sum(quantity), 0) FROM reservations "
					      "WHERE order_line_id = ?",
					      line->id, error);
		gint64 need, take;
		if (on_hand == G_MININT64 || reserved_other == G_MININT64 || mine == G_MININT64)
			return FALSE;
		reserved_other -= mine;
		need = (gint64)line->quantity - (gint64)line->packed;
		take = MIN(need, MAX(on_hand - reserved_other, 0));
		if (take < need)
			g_ptr_array_add(
				missing,
				g_strdup_printf("order %s line %u: SKU %s needs %" G_GINT64_FORMAT
						", %" G_GINT64_FORMAT " available",
						number, line->line_no, line->sku, need,
						MAX(on_hand - reserved_other, 0)));
		if (take > 0) {
			g_autoptr(StStoreStmt) stmt = st_store_prepare(
				self,
				"INSERT INTO reservations (order_line_id, product_id, quantity) "
				"VALUES (?1, ?2, ?3) ON CONFLICT (order_line_id) DO UPDATE SET "
				"quantity = ?3",
				error);
			if (stmt == NULL)
				return FALSE;
			sqlite3_bind_int64(stmt, 1, line->id);
			sqlite3_bind_int64(stmt, 2, line->product_id);
			sqlite3_bind_int64(stmt, 3, take);
			if (!st_store_step_done(self, stmt, "reserving stock", error))
				return FALSE;
		}
	}
	if (!st_store_commit(tx, error))
		return FALSE;
	if (shortages != NULL)
		*shortages = g_steal_pointer(&missing);
	return TRUE;
}

/**
 * st_store_get_stock:
 * @sku_or_barcode: a SKU, or any barcode of the product
 *
 * Returns: (transfer full): where the product is and how much, or NULL with
 *   ST_ERROR_NOT_FOUND
 */
StStockReport *
st_store_get_stock(StStore *self, const gchar *sku_or_barcode, GError **error)
{
	g_autoptr(StStockReport) report = g_new0(StStockReport, 1);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	report->rows = g_ptr_array_new_with_free_func((GDestroyNotify)st_stock_row_free);
	{
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"SELECT id, sku, name FROM products WHERE sku = ?1 UNION ALL SELECT p.id, "
			"p.sku, p.name FROM product_barcodes b JOIN products p ON p.id = "
			"b.product_id WHERE b.barcode = ?1 LIMIT 1",
			error);
		if (stmt == NULL)
			return NULL;
		sqlite3_bind_text(stmt, 1, sku_or_barcode, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_DONE) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
				    "no product has SKU or barcode %s", sku_or_barcode);
			return NULL;
		}
		if (rc != SQLITE_ROW) {
			st_store_set_error(self, error, rc, "looking up a product");
			return NULL;
		}
		report->product_id = sqlite3_column_int64(stmt, 0);
		report->sku = st_column_dup(stmt, 1);
		report->name = st_column_dup(stmt, 2);
	}
	{
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"SELECT l.code, s.lot, s.expiry, s.serial, s.quantity FROM stock s JOIN "
			"locations l ON l.id = s.location_id WHERE s.product_id = ? ORDER BY "
			"l.pick_sequence, l.code, s.expiry, s.lot, s.serial",
			error);
		if (stmt == NULL)
			return NULL;
		sqlite3_bind_int64(stmt, 1, report->product_id);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			StStockRow *row = g_new0(StStockRow, 1);
			row->location = st_column_dup(stmt, 0);
			row->lot = st_column_dup(stmt, 1);
			row->expiry = st_column_dup(stmt, 2);
			row->serial = st_column_dup(stmt, 3);
			row->quantity = sqlite3_column_int64(stmt, 4);
			report->on_hand += row->quantity;
			g_ptr_array_add(report->rows, row);
		}
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "reading stock");
			return NULL;
		}
	}
	report->reserved = st_store_scalar(
		self, "SELECT coalesce(sum(quantity), 0) FROM reservations WHERE product_id = ?",
		report->product_id, error);
	if (report->reserved == G_MININT64)
		return NULL;
	report->available = report->on_hand - report->reserved;
	return g_steal_pointer(&report);
}

/**
 * st_store_get_ledger:
 * @sku: the product
 * @location: (nullable): only the rows that touch this location
 *
 * Returns: (transfer container) (element-type StLedgerRow): the product's ledger, oldest
 *   first, each row with the balance after it (at @location, or in all locations)
 */
GPtrArray *
st_store_get_ledger(StStore *self, const gchar *sku, const gchar *location, GError **error)
{
	g_autoptr(GPtrArray) rows =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_ledger_row_free);
	g_autoptr(StStoreStmt) stmt = NULL;
	gint64 product_id, location_id = 0, balance = 0;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	product_id = st_store_product_id_by_sku(self, sku, error);
	if (product_id < 0)
		return NULL;
	if (location != NULL &&
	    (location_id = st_store_location_id(self, location, NULL, error)) < 0)
		return NULL;
	stmt = st_store_prepare(
		self,
		"SELECT g.id, g.kind, p.sku, g.quantity, lf.code, lt.code, g.lot, g.expiry, "
		"g.serial, o.number, g.scan_id, g.operator, g.station, g.at, g.note, "
		"g.from_location_id, g.to_location_id FROM ledger g JOIN products p ON p.id = "
		"g.product_id LEFT JOIN locations lf ON lf.id = g.from_location_id LEFT JOIN "
		"locations lt ON lt.id = g.to_location_id LEFT JOIN orders o ON o.id = g.order_id "
		"WHERE g.product_id = ?1 AND (?2 = 0 OR g.from_location_id = ?2 OR "
		"g.to_location_id = ?2) ORDER BY g.id",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, product_id);
	sqlite3_bind_int64(stmt, 2, location_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StLedgerRow *row = g_new0(StLedgerRow, 1);
		gint64 from = sqlite3_column_int64(stmt, 15), to = sqlite3_column_int64(stmt, 16);
		row->id = sqlite3_column_int64(stmt, 0);
		row->kind = st_column_dup(stmt, 1);
		row->sku = st_column_dup(stmt, 2);
		row->quantity = sqlite3_column_int64(stmt, 3);
		row->from = st_column_dup(stmt, 4);
		row->to = st_column_dup(stmt, 5);
		row->lot = st_column_dup(stmt, 6);
		row->expiry = st_column_dup(stmt, 7);
		row->serial = st_column_dup(stmt, 8);
		row->order_number = st_column_dup(stmt, 9);
		row->scan_id = sqlite3_column_int64(stmt, 10);
		row->operator_name = st_column_dup(stmt, 11);
		row->station = st_column_dup(stmt, 12);
		row->at = st_column_dup(stmt, 13);
		row->note = st_column_dup(stmt, 14);
		if (location_id > 0) {
			balance += to == location_id ? row->quantity : 0;
			balance -= from == location_id ? row->quantity : 0;
		} else {
			balance += to > 0 ? row->quantity : 0;
			balance -= from > 0 ? row->quantity : 0;
		}
		row->balance = balance;
		g_ptr_array_add(rows, row);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the ledger");
		return NULL;
	}
	return g_steal_pointer(&rows);
}

/**
 * st_store_check:
 * @problems: (out) (element-type utf8): one sentence per problem found; empty when the
 *   database is sound
 *
 * Checks SQLite's integrity and foreign keys, that the stock table is what the ledger adds
 * up to (product, location, lot, expiry, serial), and that no location that does not allow
 * it holds less than zero.
 *
 * Returns: FALSE with an error only if the checks could not run
 */
gboolean
st_store_check(StStore *self, GPtrArray **problems, GError **error)
{
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
	gint rc;

	g_return_val_if_fail(self->db != NULL, FALSE);
	{
		g_autoptr(StStoreStmt) stmt =
			st_store_prepare(self, "PRAGMA integrity_check", error);
		if (stmt == NULL)
			return FALSE;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			const gchar *msg = (const gchar *)sqlite3_column_text(stmt, 0);
			if (g_strcmp0(msg, "ok") != 0)
				g_ptr_array_add(found, g_strdup_printf("SQLite: %s", msg));
		}
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "checking integrity");
			return FALSE;
		}
	}
	{
		g_autoptr(StStoreStmt) stmt =
			st_store_prepare(self, "PRAGMA foreign_key_check", error);
		if (stmt == NULL)
			return FALSE;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			g_ptr_array_add(found,
					g_strdup_printf("table %s row %" G_GINT64_FORMAT
							" refers to a missing %s row",
							sqlite3_column_text(stmt, 0),
							(gint64)sqlite3_column_int64(stmt, 1),
							sqlite3_column_text(stmt, 2)));
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "checking references");
			return FALSE;
		}
	}
	{
		/* the ledger's sum per key against the stock table, both ways */
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			/* one GROUP BY over both sides (sorts, so it scales): a key whose
			 * stock differs from what its ledger rows add up to */
			"SELECT product_id, location_id, lot, expiry, serial, "
			"  coalesce(sum(CASE WHEN src = 's' THEN q END), 0) AS in_stock, "
			"  coalesce(sum(CASE WHEN src = 'l' THEN q END), 0) AS in_ledger, "
			"  (SELECT sku FROM products WHERE id = product_id), "
			"  (SELECT code FROM locations WHERE id = location_id) "
			"FROM (SELECT 's' AS src, product_id, location_id, lot, expiry, serial, "
			"    quantity AS q FROM stock "
			"  UNION ALL SELECT 'l', product_id, to_location_id, lot, expiry, serial, "
			"    quantity FROM ledger WHERE to_location_id IS NOT NULL "
			"  UNION ALL SELECT 'l', product_id, from_location_id, lot, expiry, "
			"serial, "
			"    -quantity FROM ledger WHERE from_location_id IS NOT NULL) "
			"GROUP BY product_id, location_id, lot, expiry, serial "
			"HAVING in_stock != in_ledger",
			error);
		if (stmt == NULL)
			return FALSE;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			const gchar *lot = (const gchar *)sqlite3_column_text(stmt, 2);
			const gchar *expiry = (const gchar *)sqlite3_column_text(stmt, 3);
			const gchar *serial = (const gchar *)sqlite3_column_text(stmt, 4);
			g_ptr_array_add(
				found,
				g_strdup_printf(
					"SKU %s at %s%s%s%s%s%s%s: the stock table says "
					"%" G_GINT64_FORMAT
					", the ledger adds up to %" G_GINT64_FORMAT,
					sqlite3_column_text(stmt, 7), sqlite3_column_text(stmt, 8),
					lot != NULL && lot[0] ? ", lot " : "", st_nz(lot),
					expiry != NULL && expiry[0] ? ", expiry " : "",
					st_nz(expiry),
					serial != NULL && serial[0] ? ", serial " : "",
					st_nz(serial), (gint64)sqlite3_column_int64(stmt, 5),
					(gint64)sqlite3_column_int64(stmt, 6)));
		}
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "comparing stock with the ledger");
			return FALSE;
		}
	}
	{
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"SELECT p.sku, l.code, s.quantity FROM stock s JOIN locations l ON l.id = "
			"s.location_id JOIN products p ON p.id = s.product_id WHERE s.quantity < 0 "
			"AND l.allow_negative = 0",
			error);
		if (stmt == NULL)
			return FALSE;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			if (st_store_negative_allowed(self,
						      (const gchar *)sqlite3_column_text(stmt, 1)))
				continue;
			g_ptr_array_add(
				found,
				g_strdup_printf("SKU %s at %s is below zero (%" G_GINT64_FORMAT
						") where the location does not allow it",
						sqlite3_column_text(stmt, 0),
						sqlite3_column_text(stmt, 1),
						(gint64)sqlite3_column_int64(stmt, 2)));
		}
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "checking stock");
			return FALSE;
		}
	}
	*problems = g_steal_pointer(&found);
	return TRUE;
}

/**
 * st_store_bulk_begin:
 *
 * Starts one transaction that the verbs called until st_store_bulk_end() join: each verb is
 * then a savepoint, so a failed one undoes only itself. For imports: all rows or none.
 */
gboolean
st_store_bulk_begin(StStore *self, GError **error)
{
	g_return_val_if_fail(self->db != NULL, FALSE);
	if (sqlite3_get_autocommit(self->db) == 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_FAILED,
			    "a bulk change is already going on");
		return FALSE;
	}
	/* each row is a savepoint: its statement journal in memory, not in a temporary file
	 * written for every row (it only ever holds one row's pages) */
	if (!st_store_exec(self, "PRAGMA temp_store = MEMORY; BEGIN IMMEDIATE",
			   "starting the import", error)) {
		sqlite3_exec(self->db, "PRAGMA temp_store = DEFAULT", NULL, NULL, NULL);
		return FALSE;
	}
	return TRUE;
}

/* @commit: TRUE to keep what the verbs did since st_store_bulk_begin(), FALSE to undo it */
gboolean
st_store_bulk_end(StStore *self, gboolean commit, GError **error)
{
	g_return_val_if_fail(self->db != NULL, FALSE);
	if (sqlite3_get_autocommit(self->db) != 0)
		return TRUE;
	if (!st_store_exec(self, commit ? "COMMIT" : "ROLLBACK",
			   commit ? "committing the import" : "undoing the import", error)) {
		/* a failed COMMIT leaves the transaction open: undo it, nothing half-kept */
		sqlite3_exec(self->db, "ROLLBACK; PRAGMA temp_store = DEFAULT", NULL, NULL, NULL);
		return FALSE;
	}
	/* a large import leaves a WAL as large as itself; readers search its index for every
	 * page until it is checkpointed (bench-inventory: barcode lookups p99 60 us after a
	 * 10,000,000-row import), so fold it into the database now and give the disk back.
	 * If a reader holds it, the checkpoint does what it can and the next one finishes. */
	if (commit)
		sqlite3_exec(self->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	return st_store_exec(self, "PRAGMA temp_store = DEFAULT", "ending the import", error);
}

/**
 * st_store_bulk_row_begin:
 *
 * Inside st_store_bulk_begin(): starts one row of an import, which may take several verbs
 * (a product, then its barcodes); st_store_bulk_row_end() keeps or undoes all of them.
 */
gboolean
st_store_bulk_row_begin(StStore *self, GError **error)
{
	g_return_val_if_fail(self->db != NULL, FALSE);
	g_return_val_if_fail(sqlite3_get_autocommit(self->db) == 0, FALSE);
	return st_store_exec(self, "SAVEPOINT st_row", "starting a row", error);
}

/* @keep: FALSE to undo every verb since st_store_bulk_row_begin() */
gboolean
st_store_bulk_row_end(StStore *self, gboolean keep, GError **error)
{
	g_return_val_if_fail(self->db != NULL, FALSE);
	return st_store_exec(self, keep ? "RELEASE st_row" : "ROLLBACK TO st_row; RELEASE st_row",
			     keep ? "keeping a row" : "undoing a row", error);
}

/* the export queries: their column names are the import's, so an export imports back */
static const struct {
	const gchar *what;
	const gchar *sql;
} exports[] = {
	{"products",
	 "SELECT p.sku, p.name, p.weight_g, p.length_mm, p.width_mm, p.height_mm, p.track_lot, "
	 "p.track_serial, p.track_expiry, p.hazmat, p.fragile, p.uom, "
	 "(SELECT group_concat(barcode, '|') FROM (SELECT barcode FROM product_barcodes WHERE "
	 "product_id = p.id AND pack = 'unit' ORDER BY barcode)) AS barcode, "
	 "(SELECT min(barcode) FROM product_barcodes WHERE product_id = p.id AND pack = 'inner') "
	 "AS inner_barcode, (SELECT quantity FROM product_barcodes WHERE product_id = p.id AND "
	 "pack = 'inner' ORDER BY barcode LIMIT 1) AS inner_quantity, (SELECT min(barcode) FROM "
	 "product_barcodes WHERE product_id = p.id AND pack = 'case') AS case_barcode, (SELECT "
	 "quantity FROM product_barcodes WHERE product_id = p.id AND pack = 'case' ORDER BY "
	 "barcode LIMIT 1) AS case_quantity, (SELECT min(barcode) FROM product_barcodes WHERE "
	 "product_id = p.id AND pack = 'pallet') AS pallet_barcode, (SELECT quantity FROM "
	 "product_barcodes WHERE product_id = p.id AND pack = 'pallet' ORDER BY barcode LIMIT 1) "
	 "AS pallet_quantity FROM products p ORDER BY p.sku"},
	{"locations",
	 "SELECT code, barcode, kind, warehouse, zone, aisle, bay, level, bin, pick_sequence, "
	 "allow_negative FROM locations ORDER BY pick_sequence, code"},
	{"box-types",
	 "SELECT code, name, barcode, tare_g, length_mm, width_mm, height_mm, max_weight_g FROM "
	 "box_types ORDER BY code"},
	{"stock",
	 "SELECT p.sku, l.code AS location, s.quantity, s.lot, s.expiry, s.serial FROM stock s "
	 "JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id ORDER "
	 "BY p.sku, l.pick_sequence, l.code, s.lot, s.expiry, s.serial"},
	{"orders",
	 "SELECT o.number AS \"order\", p.sku, l.quantity, o.status, o.ship_name, "
	 "o.ship_company, o.ship_street1, o.ship_street2, o.ship_city, o.ship_region, "
	 "o.ship_postal_code, o.ship_country, o.ship_phone, o.ship_email, o.service_level, "
	 "o.carrier FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN products p ON "
	 "p.id = l.product_id ORDER BY o.id, l.line_no"},
	{"ledger",
	 "SELECT g.id, g.kind, p.sku, g.quantity, lf.code AS \"from\", lt.code AS \"to\", g.lot, "
	 "g.expiry, g.serial, o.number AS \"order\", ol.line_no AS line, g.scan_id AS scan, "
	 "g.operator, g.station, g.at, g.note FROM ledger g JOIN products p ON p.id = "
	 "g.product_id LEFT JOIN locations lf ON lf.id = g.from_location_id LEFT JOIN locations "
	 "lt ON lt.id = g.to_location_id LEFT JOIN orders o ON o.id = g.order_id LEFT JOIN "
	 "order_lines ol ON ol.id = g.order_line_id ORDER BY g.id"},
};

/**
 * st_store_export:
 * @what: products, locations, box-types, stock, orders or ledger
 * @func: called with the header, then with each row, in a stable order
 *
 * Streams a table out, one row at a time, in one read transaction (a consistent snapshot,
 * which does not stop the daemon writing).
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA for an unknown @what, or the error of @func
 */
gboolean
st_store_export(StStore *self,
		const gchar *what,
		StStoreRowFunc func,
		gpointer user_data,
		GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	const gchar *sql = NULL;
	gint n, rc;
	gboolean ok = TRUE;

	g_return_val_if_fail(self->db != NULL, FALSE);
	for (guint i = 0; i < G_N_ELEMENTS(exports); i++) {
		if (g_strcmp0(exports[i].what, what) == 0)
			sql = exports[i].sql;
	}
	if (sql == NULL) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "nothing to export called '%s': products, locations, box-types, stock, "
			    "orders or ledger",
			    what);
		return FALSE;
	}
	stmt = st_store_prepare(self, sql, error);
	if (stmt == NULL)
		return FALSE;
	n = sqlite3_column_count(stmt);
	{
		g_autofree const gchar **header = g_new0(const gchar *, (gsize)n + 1);
		for (gint c = 0; c < n; c++)
			header[c] = sqlite3_column_name(stmt, c);
		if (!func(header, user_data, error))
			return FALSE;
	}
	while (ok && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		g_autofree const gchar **fields = g_new0(const gchar *, (gsize)n + 1);
		for (gint c = 0; c < n; c++) {
			const gchar *v = (const gchar *)sqlite3_column_text(stmt, c);
			fields[c] = v != NULL ? v : "";
		}
		ok = func(fields, user_data, error);
	}
	if (!ok)
		return FALSE;
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "exporting");
		return FALSE;
	}
	return TRUE;
}
