/*
 * Scans: every scan stored with its verdict, in the same transaction as what it did (the
 * packed count, the order's new status, the events for the central system), so a scan
 * answered "ok" is already on disk.
 */
#define G_LOG_DOMAIN "station-store"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "station/st-error.h"

#include "st-store-private.h"

void
st_scan_record_free(StScanRecord *self)
{
	if (self == NULL)
		return;
	g_free(self->device_id);
	g_bytes_unref(self->raw);
	g_bytes_unref(self->data);
	g_free(self->text);
	g_free(self->scanned_at);
	g_free(self->reason);
	g_free(self->message);
	g_free(self->order_number);
	g_free(self->sku);
	g_free(self->operator_badge);
	g_free(self);
}

gboolean
st_store_insert_scan(StStore *self,
		     StScan *scan,
		     const StScanOrigin *origin,
		     const gchar *reason,
		     const gchar *message,
		     gint64 order_id,
		     gint64 product_id,
		     gint64 *scan_id,
		     GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *at = st_store_time_from_us(st_scan_get_realtime(scan));
	GBytes *raw = st_scan_get_raw(scan);
	GBytes *data = st_scan_get_data(scan);

	stmt = st_store_prepare(self,
				"INSERT INTO scans (station, device, raw, data, text, symbology, "
				"scanned_at, verdict, reason, message, order_id, product_id, "
				"operator, seat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, self->station_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, st_scan_get_device_id(scan), -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob64(stmt, 3, g_bytes_get_size(raw) > 0 ? g_bytes_get_data(raw, NULL) : "",
			    g_bytes_get_size(raw), SQLITE_TRANSIENT);
	sqlite3_bind_blob64(stmt, 4, g_bytes_get_size(data) > 0 ? g_bytes_get_data(data, NULL) : "",
			    g_bytes_get_size(data), SQLITE_TRANSIENT);
	if (st_scan_get_text(scan) != NULL)
		sqlite3_bind_text(stmt, 5, st_scan_get_text(scan), -1, SQLITE_TRANSIENT);
	if (st_scan_get_symbology(scan) != NULL)
		sqlite3_bind_text(stmt, 6, st_scan_get_symbology(scan), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 7, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 8, reason == NULL ? "ok" : "refused", -1, SQLITE_STATIC);
	if (reason != NULL)
		sqlite3_bind_text(stmt, 9, reason, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 10, message, -1, SQLITE_TRANSIENT);
	if (order_id > 0)
		sqlite3_bind_int64(stmt, 11, order_id);
	if (product_id > 0)
		sqlite3_bind_int64(stmt, 12, product_id);
	if (origin != NULL && origin->operator_badge != NULL)
		sqlite3_bind_text(stmt, 13, origin->operator_badge, -1, SQLITE_TRANSIENT);
	if (origin != NULL && origin->seat != NULL)
		sqlite3_bind_text(stmt, 14, origin->seat, -1, SQLITE_TRANSIENT);
	if (!st_store_step_done(self, stmt, "recording the scan", error))
		return FALSE;
	if (scan_id != NULL)
		*scan_id = sqlite3_last_insert_rowid(self->db);
	return TRUE;
}

/**
 * st_store_record_scan:
 * @origin: (nullable): the seat it was made at and the operator logged in there
 * @reason: (nullable): NULL for a scan accepted; for a refusal, a short code such as
 *   "not-in-order"
 * @message: what the operator is told
 * @order_id, @product_id: what the scan concerned, or 0
 * @scan_id: (out) (optional): the scan's row, which the verbs recording what it did name
 *
 * Records a scan and its verdict, durably (or inside the caller's transaction).
 */
gboolean
st_store_record_scan(StStore *self,
		     StScan *scan,
		     const StScanOrigin *origin,
		     const gchar *reason,
		     const gchar *message,
		     gint64 order_id,
		     gint64 product_id,
		     gint64 *scan_id,
		     GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;

	g_return_val_if_fail(self->db != NULL, FALSE);
	g_return_val_if_fail(message != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (!st_store_insert_scan(self, scan, origin, reason, message, order_id, product_id,
				  scan_id, error))
		return FALSE;
	return st_store_commit(tx, error);
}

GBytes *
st_store_column_bytes(sqlite3_stmt *stmt, gint col)
{
	const void *blob = sqlite3_column_blob(stmt, col);
	gint len = sqlite3_column_bytes(stmt, col);
	return g_bytes_new(blob, (gsize)MAX(len, 0));
}

/* Returns: (transfer container) (element-type StScanRecord): every scan, oldest first */
GPtrArray *
st_store_get_scans(StStore *self, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(GPtrArray) scans =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_scan_record_free);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self,
				"SELECT s.id, s.device, s.raw, s.data, s.text, s.scanned_at, "
				"s.verdict, s.reason, s.message, o.number, p.sku, s.operator "
				"FROM scans s "
				"LEFT JOIN orders o ON o.id = s.order_id "
				"LEFT JOIN products p ON p.id = s.product_id ORDER BY s.id",
				error);
	if (stmt == NULL)
		return NULL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StScanRecord *r = g_new0(StScanRecord, 1);
		r->id = sqlite3_column_int64(stmt, 0);
		r->device_id = g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
		r->raw = st_store_column_bytes(stmt, 2);
		r->data = st_store_column_bytes(stmt, 3);
		r->text = g_strdup((const gchar *)sqlite3_column_text(stmt, 4));
		r->scanned_at = g_strdup((const gchar *)sqlite3_column_text(stmt, 5));
		r->ok = g_strcmp0((const gchar *)sqlite3_column_text(stmt, 6), "ok") == 0;
		r->reason = g_strdup((const gchar *)sqlite3_column_text(stmt, 7));
		r->message = g_strdup((const gchar *)sqlite3_column_text(stmt, 8));
		r->order_number = g_strdup((const gchar *)sqlite3_column_text(stmt, 9));
		r->sku = g_strdup((const gchar *)sqlite3_column_text(stmt, 10));
		r->operator_badge = g_strdup((const gchar *)sqlite3_column_text(stmt, 11));
		g_ptr_array_add(scans, r);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading scans");
		return NULL;
	}
	return g_steal_pointer(&scans);
}

gboolean
st_store_get_summary(StStore *self, StStoreSummary *summary, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, FALSE);
	stmt = st_store_prepare(self,
				"SELECT (SELECT count(*) FROM scans), "
				"(SELECT count(*) FROM scans WHERE verdict = 'ok'), "
				"(SELECT count(*) FROM scans WHERE verdict = 'refused'), "
				"(SELECT count(*) FROM orders WHERE status = 'packed'), "
				"(SELECT count(*) FROM outbox WHERE delivered_at IS NULL)",
				error);
	if (stmt == NULL)
		return FALSE;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "counting");
		return FALSE;
	}
	summary->scans = (guint)sqlite3_column_int64(stmt, 0);
	summary->scans_ok = (guint)sqlite3_column_int64(stmt, 1);
	summary->scans_refused = (guint)sqlite3_column_int64(stmt, 2);
	summary->orders_packed = (guint)sqlite3_column_int64(stmt, 3);
	summary->outbox_pending = (guint)sqlite3_column_int64(stmt, 4);
	return TRUE;
}

/**
 * st_store_set_scan_message:
 *
 * Sets the sentence of a scan recorded earlier in the same transaction, for a verdict whose
 * words depend on what the scan's consequences turned out to be (a count, a state).
 */
gboolean
st_store_set_scan_message(StStore *self, gint64 scan_id, const gchar *message, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;

	g_return_val_if_fail(self->db != NULL, FALSE);
	g_return_val_if_fail(message != NULL, FALSE);
	stmt = st_store_prepare(self, "UPDATE scans SET message = ? WHERE id = ?", error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, message, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, scan_id);
	return st_store_step_done(self, stmt, "storing the scan's answer", error);
}

/**
 * st_store_record_weighing:
 * @grams: the weight read, or G_MININT64 when the scale gave none (a fault)
 * @status: the scale's status ("stable", "over-weight", ...)
 * @reason: (nullable): NULL for a parcel accepted; for a refusal, its code
 * @order_id: the order whose parcel was on the scale, or 0
 * @operator_badge: (nullable): who was logged in
 *
 * Keeps what the scale decided with the sentence the packer was told, durably (or inside
 * the caller's transaction, with the parcel it accepted).
 */
gboolean
st_store_record_weighing(StStore *self,
			 const gchar *device_id,
			 gint64 grams,
			 const gchar *status,
			 const gchar *reason,
			 const gchar *message,
			 gint64 order_id,
			 const gchar *operator_badge,
			 GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *now = st_store_now();

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(
		self,
		"INSERT INTO weighings (station, device, grams, status, verdict, "
		"reason, message, order_id, operator, weighed_at) VALUES (?, ?, ?, ?, "
		"?, ?, ?, ?, ?, ?)",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, self->station_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, device_id, -1, SQLITE_TRANSIENT);
	if (grams != G_MININT64)
		sqlite3_bind_int64(stmt, 3, grams);
	sqlite3_bind_text(stmt, 4, status, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 5, reason == NULL ? "ok" : "refused", -1, SQLITE_STATIC);
	if (reason != NULL)
		sqlite3_bind_text(stmt, 6, reason, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 7, message, -1, SQLITE_TRANSIENT);
	if (order_id > 0)
		sqlite3_bind_int64(stmt, 8, order_id);
	if (operator_badge != NULL)
		sqlite3_bind_text(stmt, 9, operator_badge, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 10, now, -1, SQLITE_TRANSIENT);
	if (!st_store_step_done(self, stmt, "keeping the weighing", error))
		return FALSE;
	return st_store_commit(tx, error);
}

/* Returns: how many weighings are kept for @order_id (0: all), or -1 with @error set */
gint64
st_store_count_weighings(StStore *self, gint64 order_id, GError **error)
{
	gint64 n =
		order_id > 0
			? st_store_scalar(self, "SELECT count(*) FROM weighings WHERE order_id = ?",
					  order_id, error)
			: st_store_scalar(self, "SELECT count(*) FROM weighings WHERE ? = 0", 0,
					  error);
	return n == G_MININT64 ? -1 : n;
}
