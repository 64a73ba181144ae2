/*
 * The catalogue: products (with their dimensions, tracking and hazards), their barcodes at
 * each pack level, locations and box types. Products are found under any form of a GTIN by
 * the callers (the scan's intent carries the forms).
 */
#define G_LOG_DOMAIN "station-store"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "station/st-error.h"

#include "st-store-private.h"

void
st_product_free(StProduct *self)
{
	if (self == NULL)
		return;
	g_free(self->sku);
	g_free(self->name);
	g_free(self);
}

gint64
st_store_product_id_by_sku(StStore *self, const gchar *sku, GError **error)
{
	g_autoptr(StStoreStmt) stmt =
		st_store_prepare(self, "SELECT id FROM products WHERE sku = ?", error);
	gint rc;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, sku, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		return sqlite3_column_int64(stmt, 0);
	if (rc == SQLITE_DONE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no product with SKU %s",
			    sku);
		return -1;
	}
	st_store_set_error(self, error, rc, "looking up a product");
	return -1;
}

/* Returns: (transfer full): the product, or NULL with ST_ERROR_NOT_FOUND */
StProduct *
st_store_find_product_by_barcode(StStore *self, const gchar *barcode, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	StProduct *product;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(
		self,
		"SELECT p.id, p.sku, p.name, p.weight_g, b.quantity, p.track_serial "
		"FROM product_barcodes b JOIN products p ON p.id = b.product_id "
		"WHERE b.barcode = ?",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, barcode, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no product has barcode %s",
			    barcode);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "looking up a barcode");
		return NULL;
	}
	product = g_new0(StProduct, 1);
	product->id = sqlite3_column_int64(stmt, 0);
	product->sku = g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
	product->name = g_strdup((const gchar *)sqlite3_column_text(stmt, 2));
	product->weight_g = (guint)sqlite3_column_int64(stmt, 3);
	product->quantity = (guint)sqlite3_column_int64(stmt, 4);
	product->track_serial = sqlite3_column_int(stmt, 5) != 0;
	return product;
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
	gint64 product_id;
	g_autofree gchar *now = st_store_now();

	g_return_val_if_fail(self->db != NULL, FALSE);
	if (!st_store_check_text("the SKU", spec->sku, 64, error) ||
	    !st_store_check_text("the name", spec->name, 256, error) ||
	    (spec->uom != NULL &&
	     !st_store_check_text("the unit of measure", spec->uom, 16, error)))
		return FALSE;
	if (spec->hs_code != NULL && spec->hs_code[0] != '\0') {
		gsize n = strlen(spec->hs_code);
		for (gsize i = 0; i < n; i++) {
			if (!g_ascii_isdigit(spec->hs_code[i]))
				n = 0;
		}
		if (n < 6 || n > 10) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
				    "SKU %s: HS code '%s' is not 6 to 10 digits", spec->sku,
				    spec->hs_code);
			return FALSE;
		}
	}
	if (spec->origin_country != NULL && spec->origin_country[0] != '\0' &&
	    (strlen(spec->origin_country) != 2 || !g_ascii_isupper(spec->origin_country[0]) ||
	     !g_ascii_isupper(spec->origin_country[1]))) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "SKU %s: country of origin '%s' is not an ISO 3166 code of two capital "
			    "letters (CN, DE, US, ...)",
			    spec->sku, spec->origin_country);
		return FALSE;
	}
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(
		self,
		"INSERT INTO products (sku, name, weight_g, length_mm, width_mm, height_mm, "
		"track_lot, track_serial, track_expiry, hazmat, fragile, uom, created_at, "
		"weight_tolerance_g, hs_code, origin_country, customs_value_cents) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
		"?17) ON CONFLICT (sku) DO UPDATE SET name = ?2, weight_g = ?3, length_mm = ?4, "
		"width_mm = ?5, height_mm = ?6, track_lot = ?7, track_serial = ?8, "
		"track_expiry = ?9, hazmat = ?10, fragile = ?11, uom = ?12, updated_at = ?13, "
		"weight_tolerance_g = ?14, hs_code = ?15, origin_country = ?16, "
		"customs_value_cents = ?17",
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
	sqlite3_bind_int64(stmt, 14, spec->weight_tolerance_g);
	sqlite3_bind_text(stmt, 15, st_nz(spec->hs_code), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 16, st_nz(spec->origin_country), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 17, (gint64)MIN(spec->customs_value_cents, G_MAXINT64));
	/* no RETURNING: SQLite keeps returned rows in a temporary table. A new product's id is
	 * the row inserted; an update inserts none, and its id is looked up */
	sqlite3_set_last_insert_rowid(self->db, 0);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		st_store_set_error(self, error, sqlite3_errcode(self->db), "saving the product");
		g_prefix_error(error, "SKU %s: ", spec->sku);
		return FALSE;
	}
	sqlite3_reset(stmt);
	product_id = sqlite3_last_insert_rowid(self->db);
	if (product_id == 0) {
		product_id = st_store_product_id_by_sku(self, spec->sku, error);
		if (product_id < 0)
			return FALSE;
	}
	if (id != NULL)
		*id = product_id;
	/* unit barcodes given with the product: one taken by another product refuses it whole */
	for (guint i = 0; spec->barcodes != NULL && spec->barcodes[i] != NULL; i++) {
		if (!st_store_put_product_barcode(self, product_id, spec->sku, spec->barcodes[i],
						  ST_PACK_UNIT, 1, error))
			return FALSE;
	}
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
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	product_id = st_store_product_id_by_sku(self, sku, error);
	if (product_id < 0)
		return FALSE;
	if (!st_store_put_product_barcode(self, product_id, sku, barcode, pack, quantity, error))
		return FALSE;
	return st_store_commit(tx, error);
}

/**
 * st_store_put_product_barcode:
 * @product_id: the product's id (st_store_put_product() gives it)
 * @sku: the product's SKU, for the messages
 *
 * st_store_put_barcode() for a product whose id the caller has: an import's row, which has
 * just written the product, does not look it up again for each of its barcodes.
 */
gboolean
st_store_put_product_barcode(StStore *self,
			     gint64 product_id,
			     const gchar *sku,
			     const gchar *barcode,
			     StPackLevel pack,
			     guint quantity,
			     GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;

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
	{
		/* written unless another product has it: then nothing changes, and it is said
		 * whose it is */
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"INSERT INTO product_barcodes (barcode, product_id, quantity, pack) VALUES "
			"(?1, ?2, ?3, ?4) ON CONFLICT (barcode) DO UPDATE SET quantity = ?3, pack "
			"= ?4 "
			"WHERE product_id = ?2",
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
	if (sqlite3_changes(self->db) == 0) {
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"SELECT p.sku FROM product_barcodes b JOIN products p ON p.id = "
			"b.product_id WHERE b.barcode = ?",
			error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_text(stmt, 1, barcode, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
				    "barcode %s already belongs to SKU %s; one barcode cannot "
				    "name two products (remove it from %s first)",
				    barcode, sqlite3_column_text(stmt, 0),
				    sqlite3_column_text(stmt, 0));
			return FALSE;
		}
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_FAILED,
			    "barcode %s of SKU %s was not saved", barcode, sku);
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

gboolean
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
			    _("unknown SKU %s: import it with `station import products` first"),
			    sku);
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

gint64
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
		g_set_error(
			error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
			_("unknown location %s: import it with `station import locations` first"),
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

void
st_box_type_free(StBoxType *self)
{
	if (self == NULL)
		return;
	g_free(self->code);
	g_free(self->name);
	g_free(self);
}

static StBoxType *
st_store_read_box_type(sqlite3_stmt *stmt)
{
	StBoxType *box = g_new0(StBoxType, 1);
	box->code = g_strdup((const gchar *)sqlite3_column_text(stmt, 0));
	box->name = g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
	box->tare_g = (guint)sqlite3_column_int64(stmt, 2);
	box->length_mm = (guint)sqlite3_column_int64(stmt, 3);
	box->width_mm = (guint)sqlite3_column_int64(stmt, 4);
	box->height_mm = (guint)sqlite3_column_int64(stmt, 5);
	box->max_weight_g = (guint)sqlite3_column_int64(stmt, 6);
	return box;
}

/* Returns: (transfer full): the box type with @code_or_barcode as its code or barcode, or
 * NULL with ST_ERROR_NOT_FOUND */
StBoxType *
st_store_find_box_type(StStore *self, const gchar *code_or_barcode, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self,
				"SELECT code, name, tare_g, length_mm, width_mm, height_mm, "
				"max_weight_g FROM box_types WHERE code = ?1 OR barcode = ?1",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, code_or_barcode, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		return st_store_read_box_type(stmt);
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "looking up a box type");
		return NULL;
	}
	g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no box type %s", code_or_barcode);
	return NULL;
}

/* Returns: (transfer container) (element-type StBoxType): every box type, smallest (by
 * volume) first */
GPtrArray *
st_store_get_box_types(StStore *self, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(GPtrArray) boxes =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_box_type_free);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self,
				"SELECT code, name, tare_g, length_mm, width_mm, height_mm, "
				"max_weight_g FROM box_types "
				"ORDER BY length_mm * width_mm * height_mm, code",
				error);
	if (stmt == NULL)
		return NULL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(boxes, st_store_read_box_type(stmt));
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the box types");
		return NULL;
	}
	return g_steal_pointer(&boxes);
}
