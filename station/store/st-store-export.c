/*
 * Bulk work: one transaction for a whole import (each row a savepoint, all rows or none)
 * and the CSV exports of each kind of record.
 */
#define G_LOG_DOMAIN "station-store"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "station/st-error.h"

#include "st-store-private.h"

/**
 * st_store_open_scratch:
 * @source: (nullable): the database to copy; NULL for a new, empty one
 *
 * A private copy of @source in the temporary folder, for a dry run: whatever is done to it
 * is thrown away, and @source is only read (one read transaction, which never keeps a
 * writer out of a database in WAL mode). Its files are removed when it is closed.
 *
 * Returns: (transfer full) (nullable): the copy, open; NULL with ST_ERROR_IO when the
 * temporary folder cannot hold it (the message names it and how large the copy is)
 */
StStore *
st_store_open_scratch(StStore *source, GError **error)
{
	g_autoptr(StStore) copy = st_store_new(source != NULL ? source->station_id : "dry-run");
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *path = NULL;
	sqlite3 *db = NULL;
	gint fd = g_file_open_tmp("station-dry-run-XXXXXX.db", &path, &error_local);
	gint rc;

	if (fd < 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_IO,
			    "cannot make a private copy of the database for the dry run: %s; set "
			    "TMPDIR to a folder with room",
			    error_local->message);
		return NULL;
	}
	close(fd);
	copy->path = g_strdup(path);
	copy->scratch = TRUE;
	if (source != NULL) {
		sqlite3_backup *backup = NULL;
		g_return_val_if_fail(source->db != NULL, NULL);
		rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
		if (rc == SQLITE_OK) {
			backup = sqlite3_backup_init(db, "main", source->db, "main");
			if (backup == NULL) {
				rc = sqlite3_errcode(db);
			} else {
				rc = sqlite3_backup_step(backup, -1);
				if (rc == SQLITE_DONE)
					rc = SQLITE_OK;
				if (sqlite3_backup_finish(backup) != SQLITE_OK && rc == SQLITE_OK)
					rc = sqlite3_errcode(db);
			}
		}
		if (rc != SQLITE_OK) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_IO,
				    "cannot copy %s to %s for the dry run (%s); the copy needs as "
				    "much room as the database: set TMPDIR to a folder with room",
				    source->path, path,
				    db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
			sqlite3_close(db);
			return NULL; /* the copy's files go with it */
		}
		sqlite3_close(db);
		st_store_set_negative_locations(copy,
						(const gchar *const *)source->negative_locations);
	}
	g_clear_pointer(&copy->path, g_free);
	if (!st_store_open(copy, path, 1000, error)) {
		g_unlink(path);
		copy->scratch = FALSE;
		return NULL;
	}
	g_debug("dry run on a private copy %s", path);
	return g_steal_pointer(&copy);
}

/*
 * The staging table of an import: its rows, read and checked as CSV before the write lock is
 * taken, kept in a private temporary database attached to the connection (on disk in the
 * temporary folder, not in memory: a file of any size), and read back in order to apply them.
 * Writing it locks nothing another process waits for.
 */

/**
 * st_store_stage_begin:
 *
 * Attaches an empty staging table; st_store_stage_end() removes it.
 */
gboolean
st_store_stage_begin(StStore *self, GError **error)
{
	g_return_val_if_fail(self->db != NULL, FALSE);
	return st_store_exec(self,
			     "ATTACH DATABASE '' AS st_stage; "
			     "CREATE TABLE st_stage.rows (line INTEGER NOT NULL, fields BLOB NOT "
			     "NULL); BEGIN",
			     "making the import's staging table", error);
}

/* @fields: a row as read, each field without NUL (the CSV reader refuses NUL) */
gboolean
st_store_stage_add(StStore *self, guint line, const gchar *const *fields, GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self, "INSERT INTO st_stage.rows (line, fields) VALUES (?, ?)", error);
	g_autoptr(GString) blob = g_string_new(NULL);

	if (stmt == NULL)
		return FALSE;
	/* each field ends with a NUL: the number of NULs is the number of fields */
	for (guint i = 0; fields[i] != NULL; i++)
		g_string_append_len(blob, fields[i], (gssize)strlen(fields[i]) + 1);
	sqlite3_bind_int64(stmt, 1, line);
	sqlite3_bind_blob64(stmt, 2, blob->str, blob->len, SQLITE_STATIC);
	return st_store_step_done(self, stmt, "staging a row", error);
}

/* ends the writing of the staged rows and starts reading them back, in file order */
gboolean
st_store_stage_rewind(StStore *self, GError **error)
{
	gint rc;
	if (sqlite3_get_autocommit(self->db) == 0 &&
	    !st_store_exec(self, "COMMIT", "keeping the staged rows", error))
		return FALSE;
	g_clear_pointer(&self->stage_rows, sqlite3_finalize);
	rc = sqlite3_prepare_v2(self->db, "SELECT line, fields FROM st_stage.rows ORDER BY rowid",
				-1, &self->stage_rows, NULL);
	if (rc != SQLITE_OK) {
		st_store_set_error(self, error, rc, "reading the staged rows");
		return FALSE;
	}
	return TRUE;
}

/**
 * st_store_stage_next:
 * @line: (out): the row's line in the file
 *
 * Returns: (transfer full) (nullable): the next staged row's fields, or NULL at the end (and
 * with @error set when reading failed)
 */
gchar **
st_store_stage_next(StStore *self, guint *line, GError **error)
{
	const gchar *blob;
	gsize len;
	GPtrArray *fields;
	gint rc;

	g_return_val_if_fail(self->stage_rows != NULL, NULL);
	rc = sqlite3_step(self->stage_rows);
	if (rc == SQLITE_DONE)
		return NULL;
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "reading the staged rows");
		return NULL;
	}
	*line = (guint)sqlite3_column_int64(self->stage_rows, 0);
	blob = sqlite3_column_blob(self->stage_rows, 1);
	len = (gsize)sqlite3_column_bytes(self->stage_rows, 1);
	fields = g_ptr_array_new();
	for (gsize at = 0; blob != NULL && at < len;) {
		const gchar *end = memchr(blob + at, '\0', len - at);
		gsize n = end != NULL ? (gsize)(end - (blob + at)) : len - at;
		g_ptr_array_add(fields, g_strndup(blob + at, n));
		at += n + 1;
	}
	g_ptr_array_add(fields, NULL);
	return (gchar **)g_ptr_array_free(fields, FALSE);
}

/* removes the staging table (after the import's transaction has ended) */
void
st_store_stage_end(StStore *self)
{
	g_return_if_fail(self->db != NULL);
	g_clear_pointer(&self->stage_rows, sqlite3_finalize);
	if (sqlite3_get_autocommit(self->db) == 0)
		sqlite3_exec(self->db, "ROLLBACK", NULL, NULL, NULL);
	/* the cached INSERT holds the attached database open */
	st_store_forget_stmt(self, "INSERT INTO st_stage.rows (line, fields) VALUES (?, ?)");
	if (sqlite3_exec(self->db, "DETACH DATABASE st_stage", NULL, NULL, NULL) != SQLITE_OK)
		g_debug("detaching the staging table: %s", sqlite3_errmsg(self->db));
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
	/* each batch of rows is a savepoint: its statement journal in memory, not in a temporary
	 * file written for every batch (it only ever holds the pages one batch changed) */
	if (!st_store_exec(
		    self,
		    "PRAGMA temp_store = MEMORY; PRAGMA cache_size = " ST_STORE_CACHE_SIZE_BULK
		    "; BEGIN IMMEDIATE",
		    "starting the import", error)) {
		sqlite3_exec(
			self->db,
			"PRAGMA temp_store = DEFAULT; PRAGMA cache_size = " ST_STORE_CACHE_SIZE,
			NULL, NULL, NULL);
		return FALSE;
	}
	return TRUE;
}

/* @commit: TRUE to keep what the verbs did since st_store_bulk_begin(), FALSE to undo it */
gboolean
st_store_bulk_end(StStore *self, gboolean commit, GError **error)
{
	g_return_val_if_fail(self->db != NULL, FALSE);
	self->row_open = FALSE;
	if (sqlite3_get_autocommit(self->db) != 0)
		return TRUE;
	/* the staged rows are read no further: no statement left running across the end */
	if (self->stage_rows != NULL)
		sqlite3_reset(self->stage_rows);
	if (!st_store_exec(self, commit ? "COMMIT" : "ROLLBACK",
			   commit ? "committing the import" : "undoing the import", error)) {
		/* a failed COMMIT leaves the transaction open: undo it, nothing half-kept */
		sqlite3_exec(self->db,
			     "ROLLBACK; PRAGMA temp_store = DEFAULT; PRAGMA cache_size "
			     "= " ST_STORE_CACHE_SIZE,
			     NULL, NULL, NULL);
		return FALSE;
	}
	/* a large import leaves a WAL as large as itself; readers search its index for every
	 * page until it is checkpointed (bench-inventory: barcode lookups p99 60 us after a
	 * 10,000,000-row import), so fold it into the database now and give the disk back.
	 * If a reader holds it, the checkpoint does what it can and the next one finishes. */
	if (commit)
		sqlite3_exec(self->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	/* the import's cache given back: the daemon's memory stays what a shift needs */
	return st_store_exec(
		self, "PRAGMA temp_store = DEFAULT; PRAGMA cache_size = " ST_STORE_CACHE_SIZE,
		"ending the import", error);
}

/**
 * st_store_bulk_row_begin:
 *
 * Inside st_store_bulk_begin(): starts one row of an import, which may take several verbs
 * (a product, then its barcodes), or a batch of rows; st_store_bulk_row_end() keeps or
 * undoes all of them.
 */
gboolean
st_store_bulk_row_begin(StStore *self, GError **error)
{
	g_return_val_if_fail(self->db != NULL, FALSE);
	g_return_val_if_fail(sqlite3_get_autocommit(self->db) == 0, FALSE);
	if (!st_store_exec(self, "SAVEPOINT st_row", "starting a row", error))
		return FALSE;
	/* the row's verbs join it: a bad row is undone whole, so they need no savepoint each */
	self->row_open = TRUE;
	return TRUE;
}

/* @keep: FALSE to undo every verb since st_store_bulk_row_begin() */
gboolean
st_store_bulk_row_end(StStore *self, gboolean keep, GError **error)
{
	g_return_val_if_fail(self->db != NULL, FALSE);
	self->row_open = FALSE;
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
	 "AS pallet_quantity, p.weight_tolerance_g AS weight_tolerance_g, p.hs_code AS hs_code, "
	 "p.origin_country AS origin_country, printf('%d.%02d', p.customs_value_cents / 100, "
	 "p.customs_value_cents % 100) AS customs_value FROM products p ORDER BY p.sku"},
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
	 "o.carrier, o.tracking FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN "
	 "products p ON "
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
