/*
 * The store's dispatch verbs (schema 5): a parcel is found at the dock by the tracking number
 * or SSCC of its label, and goes on the open manifest of its order's carrier (one open
 * manifest per carrier, made by its first parcel). Its order is shipped once every parcel
 * packed for it is on a manifest. Closing a manifest lists what it holds in its
 * manifest.closed event. Each verb is one transaction, or joins the caller's.
 */
#define G_LOG_DOMAIN "station-store"

#include "station/st-error.h"

#include "st-store-private.h"

void
st_shipment_free(StShipment *self)
{
	if (self == NULL)
		return;
	g_free(self->order_number);
	g_free(self->carrier);
	g_free(self->reference);
	g_free(self->manifest_closed_at);
	g_free(self);
}

void
st_manifest_free(StManifest *self)
{
	if (self == NULL)
		return;
	g_free(self->carrier);
	g_free(self->opened_at);
	g_free(self->closed_at);
	g_free(self);
}

/**
 * st_store_find_shipment:
 * @reference: a tracking number or SSCC, as a label of the station carries it
 *
 * Returns: (transfer full): the order of the newest label carrying @reference, and the
 *   manifest the parcel is on; NULL with ST_ERROR_NOT_FOUND when no label carries it
 */
StShipment *
st_store_find_shipment(StStore *self, const gchar *reference, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(StShipment) shipment = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	if (reference == NULL || *reference == '\0') {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no label carries \"\"");
		return NULL;
	}
	stmt = st_store_prepare(self,
				"SELECT o.id, o.number, o.status, o.carrier, l.id, l.reference, "
				"mp.manifest_id, m.status, m.closed_at FROM labels l "
				"JOIN orders o ON o.id = l.order_id "
				"LEFT JOIN manifest_parcels mp ON mp.reference = l.reference "
				"LEFT JOIN manifests m ON m.id = mp.manifest_id "
				"WHERE l.reference = ? ORDER BY l.id DESC LIMIT 1",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, reference, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
				    "no label of an order carries %s", reference);
		else
			st_store_set_error(self, error, rc, "looking for the parcel");
		return NULL;
	}
	shipment = g_new0(StShipment, 1);
	shipment->order_id = sqlite3_column_int64(stmt, 0);
	shipment->order_number = st_column_dup(stmt, 1);
	if (!st_order_status_from_string((const gchar *)sqlite3_column_text(stmt, 2),
					 &shipment->status)) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "order %s has an unknown status", shipment->order_number);
		return NULL;
	}
	shipment->carrier = g_strdup(st_nz((const gchar *)sqlite3_column_text(stmt, 3)));
	shipment->label_id = sqlite3_column_int64(stmt, 4);
	shipment->reference = st_column_dup(stmt, 5);
	shipment->manifest_id = sqlite3_column_int64(stmt, 6);
	shipment->manifest_closed =
		g_strcmp0((const gchar *)sqlite3_column_text(stmt, 7), "closed") == 0;
	if (sqlite3_column_type(stmt, 8) != SQLITE_NULL)
		shipment->manifest_closed_at = st_column_dup(stmt, 8);
	return g_steal_pointer(&shipment);
}

/**
 * st_store_get_manifest:
 *
 * Returns: (transfer full): the manifest with its counts; NULL with ST_ERROR_NOT_FOUND
 */
StManifest *
st_store_get_manifest(StStore *self, gint64 id, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	StManifest *manifest;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self,
				"SELECT m.id, m.carrier, m.status, m.opened_at, m.closed_at, "
				"(SELECT count(*) FROM manifest_parcels WHERE manifest_id = m.id), "
				"(SELECT count(DISTINCT order_id) FROM manifest_parcels "
				"  WHERE manifest_id = m.id) "
				"FROM manifests m WHERE m.id = ?",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
				    "no manifest %" G_GINT64_FORMAT, id);
		else
			st_store_set_error(self, error, rc, "reading the manifest");
		return NULL;
	}
	manifest = g_new0(StManifest, 1);
	manifest->id = sqlite3_column_int64(stmt, 0);
	manifest->carrier = g_strdup(st_nz((const gchar *)sqlite3_column_text(stmt, 1)));
	manifest->closed = g_strcmp0((const gchar *)sqlite3_column_text(stmt, 2), "closed") == 0;
	manifest->opened_at = st_column_dup(stmt, 3);
	if (sqlite3_column_type(stmt, 4) != SQLITE_NULL)
		manifest->closed_at = st_column_dup(stmt, 4);
	manifest->parcels = (guint)sqlite3_column_int64(stmt, 5);
	manifest->orders = (guint)sqlite3_column_int64(stmt, 6);
	return manifest;
}

/* Returns: the open manifest of @carrier, made when there is none; 0 on an error */
static gint64
st_store_open_manifest(StStore *self, const gchar *carrier, const gchar *now, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	gint rc;

	stmt = st_store_prepare(
		self, "SELECT id FROM manifests WHERE carrier = ? AND status = 'open'", error);
	if (stmt == NULL)
		return 0;
	sqlite3_bind_text(stmt, 1, carrier, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		return sqlite3_column_int64(stmt, 0);
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "looking for the open manifest");
		return 0;
	}
	g_clear_pointer(&stmt, st_store_stmt_unref);
	stmt = st_store_prepare(self,
				"INSERT INTO manifests (carrier, status, opened_at) "
				"VALUES (?, 'open', ?)",
				error);
	if (stmt == NULL)
		return 0;
	sqlite3_bind_text(stmt, 1, carrier, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, now, -1, SQLITE_TRANSIENT);
	if (!st_store_step_done(self, stmt, "opening a manifest", error))
		return 0;
	return sqlite3_last_insert_rowid(self->db);
}

/**
 * st_store_add_to_manifest:
 * @shipment: the parcel, as st_store_find_shipment() found it (a packed order, on no
 *   manifest: the caller checks)
 * @scan_id: the scan at the dock
 * @order_shipped: (out) (optional): whether that was the order's last parcel to go
 *
 * Puts the parcel on the open manifest of its order's carrier (opening one), with a
 * parcel.shipped event; once every parcel packed for the order is on a manifest (or this is
 * its first, for an order packed without parcels) the order is shipped. One transaction.
 *
 * Returns: (transfer full): the manifest, with its counts; NULL with ST_ERROR_INVALID_DATA
 *   when the parcel is on a manifest already
 */
StManifest *
st_store_add_to_manifest(StStore *self,
			 const StShipment *shipment,
			 gint64 scan_id,
			 gboolean *order_shipped,
			 GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autoptr(StManifest) manifest = NULL;
	g_autofree gchar *now = st_store_now();
	gint64 manifest_id, on_manifests, parcels;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	if (order_shipped != NULL)
		*order_shipped = FALSE;
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return NULL;
	manifest_id = st_store_open_manifest(self, shipment->carrier, now, error);
	if (manifest_id == 0)
		return NULL;
	stmt = st_store_prepare(self,
				"INSERT INTO manifest_parcels (manifest_id, order_id, label_id, "
				"reference, scan_id, added_at) VALUES (?, ?, ?, ?, ?, ?)",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, manifest_id);
	sqlite3_bind_int64(stmt, 2, shipment->order_id);
	if (shipment->label_id > 0)
		sqlite3_bind_int64(stmt, 3, shipment->label_id);
	sqlite3_bind_text(stmt, 4, shipment->reference, -1, SQLITE_TRANSIENT);
	if (scan_id > 0)
		sqlite3_bind_int64(stmt, 5, scan_id);
	sqlite3_bind_text(stmt, 6, now, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_CONSTRAINT) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "parcel %s is on a manifest already", shipment->reference);
		return NULL;
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "putting the parcel on the manifest");
		return NULL;
	}
	json_builder_begin_object(fields);
	json_builder_set_member_name(fields, "order");
	json_builder_add_string_value(fields, shipment->order_number);
	json_builder_set_member_name(fields, "reference");
	json_builder_add_string_value(fields, shipment->reference);
	json_builder_set_member_name(fields, "carrier");
	json_builder_add_string_value(fields, shipment->carrier);
	json_builder_set_member_name(fields, "manifest");
	json_builder_add_int_value(fields, manifest_id);
	json_builder_set_member_name(fields, "scan");
	json_builder_add_int_value(fields, scan_id);
	if (!st_store_insert_event(self, "parcel.shipped", shipment->order_id, fields, now, error))
		return NULL;
	on_manifests =
		st_store_scalar(self, "SELECT count(*) FROM manifest_parcels WHERE order_id = ?",
				shipment->order_id, error);
	parcels = st_store_scalar(self,
				  "SELECT count(*) FROM parcels WHERE order_id = ? AND "
				  "voided_by IS NULL",
				  shipment->order_id, error);
	if (on_manifests == G_MININT64 || parcels == G_MININT64)
		return NULL;
	if (shipment->status == ST_ORDER_STATUS_PACKED && on_manifests >= MAX(parcels, 1)) {
		StOrder order = {shipment->order_id, shipment->order_number, shipment->status};
		if (!st_store_set_status(self, &order, ST_ORDER_STATUS_PACKED,
					 ST_ORDER_STATUS_SHIPPED, scan_id, now, error))
			return NULL;
		if (order_shipped != NULL)
			*order_shipped = TRUE;
	}
	manifest = st_store_get_manifest(self, manifest_id, error);
	if (manifest == NULL)
		return NULL;
	if (!st_store_commit(tx, error))
		return NULL;
	return g_steal_pointer(&manifest);
}

/**
 * st_store_close_manifest:
 * @scan_id: the scan that closed it
 *
 * Closes an open manifest, with a manifest.closed event listing its parcels (order,
 * reference, the order's weighed weight), in one transaction.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA when it is closed already
 */
gboolean
st_store_close_manifest(StStore *self, gint64 id, gint64 scan_id, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autofree gchar *now = st_store_now();
	g_autoptr(StManifest) manifest = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(
		self,
		"UPDATE manifests SET status = 'closed', closed_at = ?, closed_by = ? "
		"WHERE id = ? AND status = 'open'",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
	if (scan_id > 0)
		sqlite3_bind_int64(stmt, 2, scan_id);
	sqlite3_bind_int64(stmt, 3, id);
	if (!st_store_step_done(self, stmt, "closing the manifest", error))
		return FALSE;
	if (sqlite3_changes(self->db) != 1) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "manifest %" G_GINT64_FORMAT " is not open", id);
		return FALSE;
	}
	g_clear_pointer(&stmt, st_store_stmt_unref);
	manifest = st_store_get_manifest(self, id, error);
	if (manifest == NULL)
		return FALSE;
	json_builder_begin_object(fields);
	json_builder_set_member_name(fields, "manifest");
	json_builder_add_int_value(fields, id);
	json_builder_set_member_name(fields, "carrier");
	json_builder_add_string_value(fields, manifest->carrier);
	json_builder_set_member_name(fields, "opened_at");
	json_builder_add_string_value(fields, manifest->opened_at);
	json_builder_set_member_name(fields, "scan");
	json_builder_add_int_value(fields, scan_id);
	json_builder_set_member_name(fields, "parcels");
	json_builder_begin_array(fields);
	stmt = st_store_prepare(
		self,
		"SELECT o.number, mp.reference, (SELECT sum(coalesce(weight_g, "
		"expected_g)) FROM parcels WHERE order_id = o.id AND voided_by IS "
		"NULL) FROM manifest_parcels mp JOIN orders o ON o.id = mp.order_id "
		"WHERE mp.manifest_id = ? ORDER BY mp.id",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_builder_begin_object(fields);
		json_builder_set_member_name(fields, "order");
		json_builder_add_string_value(fields, (const gchar *)sqlite3_column_text(stmt, 0));
		json_builder_set_member_name(fields, "reference");
		json_builder_add_string_value(fields, (const gchar *)sqlite3_column_text(stmt, 1));
		json_builder_set_member_name(fields, "order_weight_g");
		if (sqlite3_column_type(stmt, 2) == SQLITE_NULL)
			json_builder_add_null_value(fields);
		else
			json_builder_add_int_value(fields, sqlite3_column_int64(stmt, 2));
		json_builder_end_object(fields);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "listing the manifest");
		return FALSE;
	}
	json_builder_end_array(fields);
	/* a manifest is not one order's: its event names none */
	if (!st_store_insert_event(self, "manifest.closed", 0, fields, now, error))
		return FALSE;
	return st_store_commit(tx, error);
}

/**
 * st_store_get_seat_manifest:
 *
 * Returns: (transfer full): the manifest of the last parcel put on one at @seat, if it is
 *   still open; NULL with ST_ERROR_NOT_FOUND otherwise
 */
StManifest *
st_store_get_seat_manifest(StStore *self, const gchar *seat, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	gint64 id = 0;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self,
				"SELECT m.id, m.status FROM manifest_parcels mp "
				"JOIN scans s ON s.id = mp.scan_id "
				"JOIN manifests m ON m.id = mp.manifest_id "
				"WHERE s.seat = ? ORDER BY mp.id DESC LIMIT 1",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, seat, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && g_strcmp0((const gchar *)sqlite3_column_text(stmt, 1), "open") == 0)
		id = sqlite3_column_int64(stmt, 0);
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the seat's manifest");
		return NULL;
	}
	if (id == 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no manifest is open at %s",
			    seat);
		return NULL;
	}
	return st_store_get_manifest(self, id, error);
}

void
st_manifest_parcel_free(StManifestParcel *self)
{
	if (self == NULL)
		return;
	g_free(self->order_number);
	g_free(self->reference);
	g_free(self->added_at);
	g_free(self);
}

/**
 * st_store_get_manifests:
 * @limit: at most this many, the newest first
 *
 * Returns: (transfer container) (element-type StManifest): the manifests with their counts
 */
GPtrArray *
st_store_get_manifests(StStore *self, guint limit, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(GPtrArray) ids = g_ptr_array_new();
	g_autoptr(GPtrArray) manifests =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_manifest_free);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self, "SELECT id FROM manifests ORDER BY id DESC LIMIT ?", error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, limit);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(ids, GINT_TO_POINTER((gint)sqlite3_column_int64(stmt, 0)));
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "listing the manifests");
		return NULL;
	}
	for (guint i = 0; i < ids->len; i++) {
		StManifest *m = st_store_get_manifest(
			self, GPOINTER_TO_INT(g_ptr_array_index(ids, i)), error);
		if (m == NULL)
			return NULL;
		g_ptr_array_add(manifests, m);
	}
	return g_steal_pointer(&manifests);
}

/**
 * st_store_get_manifest_parcels:
 *
 * Returns: (transfer container) (element-type StManifestParcel): the parcels on manifest
 *   @id in the order they were loaded; NULL with ST_ERROR_NOT_FOUND when there is no such
 *   manifest
 */
GPtrArray *
st_store_get_manifest_parcels(StStore *self, gint64 id, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(StManifest) manifest = NULL;
	g_autoptr(GPtrArray) parcels =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_manifest_parcel_free);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	manifest = st_store_get_manifest(self, id, error);
	if (manifest == NULL)
		return NULL;
	stmt = st_store_prepare(
		self,
		"SELECT o.number, mp.reference, mp.added_at FROM manifest_parcels mp "
		"JOIN orders o ON o.id = mp.order_id WHERE mp.manifest_id = ? "
		"ORDER BY mp.id",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StManifestParcel *p = g_new0(StManifestParcel, 1);
		p->order_number = st_column_dup(stmt, 0);
		p->reference = st_column_dup(stmt, 1);
		p->added_at = st_column_dup(stmt, 2);
		g_ptr_array_add(parcels, p);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "listing the manifest's parcels");
		return NULL;
	}
	return g_steal_pointer(&parcels);
}

/**
 * st_store_unload_last:
 * @id: an open manifest
 * @scan_id: the scan that asks for it (the undo command)
 * @reference: (out) (optional): the parcel taken off
 * @order_number: (out) (optional): its order
 *
 * Takes the parcel loaded last off the open manifest @id, with a parcel.unloaded event; its
 * order, if that parcel had made it shipped, is packed again. One transaction.
 *
 * Returns: FALSE with ST_ERROR_NOT_FOUND when the manifest is not open or holds no parcel
 */
gboolean
st_store_unload_last(StStore *self,
		     gint64 id,
		     gint64 scan_id,
		     gchar **reference,
		     gchar **order_number,
		     GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autofree gchar *now = st_store_now();
	g_autofree gchar *ref = NULL;
	g_autofree gchar *number = NULL;
	g_autofree gchar *status = NULL;
	gint64 row_id, order_id;
	gint rc;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(
		self,
		"SELECT mp.id, mp.reference, o.id, o.number, o.status "
		"FROM manifest_parcels mp JOIN manifests m ON m.id = mp.manifest_id "
		"JOIN orders o ON o.id = mp.order_id "
		"WHERE mp.manifest_id = ? AND m.status = 'open' "
		"ORDER BY mp.id DESC LIMIT 1",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
				    "manifest %" G_GINT64_FORMAT " is not open or holds no parcel",
				    id);
		else
			st_store_set_error(self, error, rc, "looking for the last parcel");
		return FALSE;
	}
	row_id = sqlite3_column_int64(stmt, 0);
	ref = st_column_dup(stmt, 1);
	order_id = sqlite3_column_int64(stmt, 2);
	number = st_column_dup(stmt, 3);
	status = st_column_dup(stmt, 4);
	g_clear_pointer(&stmt, st_store_stmt_unref);
	stmt = st_store_prepare(self, "DELETE FROM manifest_parcels WHERE id = ?", error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, row_id);
	if (!st_store_step_done(self, stmt, "taking the parcel off the manifest", error))
		return FALSE;
	if (g_strcmp0(status, "shipped") == 0) {
		StOrder order = {order_id, number, ST_ORDER_STATUS_SHIPPED};
		if (!st_store_set_status(self, &order, ST_ORDER_STATUS_SHIPPED,
					 ST_ORDER_STATUS_PACKED, scan_id, now, error))
			return FALSE;
	}
	json_builder_begin_object(fields);
	json_builder_set_member_name(fields, "order");
	json_builder_add_string_value(fields, number);
	json_builder_set_member_name(fields, "reference");
	json_builder_add_string_value(fields, ref);
	json_builder_set_member_name(fields, "manifest");
	json_builder_add_int_value(fields, id);
	json_builder_set_member_name(fields, "scan");
	json_builder_add_int_value(fields, scan_id);
	if (!st_store_insert_event(self, "parcel.unloaded", order_id, fields, now, error) ||
	    !st_store_commit(tx, error))
		return FALSE;
	if (reference != NULL)
		*reference = g_steal_pointer(&ref);
	if (order_number != NULL)
		*order_number = g_steal_pointer(&number);
	return TRUE;
}

/* a stored UTC time as people read it: local "2026-12-07 10:08" */
gchar *
st_store_local_minutes(const gchar *stored)
{
	g_autoptr(GDateTime) utc =
		stored != NULL ? g_date_time_new_from_iso8601(stored, NULL) : NULL;
	g_autoptr(GDateTime) local = NULL;
	if (utc == NULL)
		return g_strdup(stored != NULL ? stored : "");
	local = g_date_time_to_local(utc);
	return g_date_time_format(local, "%Y-%m-%d %H:%M");
}

static gchar *
st_store_kg(gint64 grams)
{
	gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
	return g_strdup_printf("%s kg",
			       g_ascii_formatd(buf, sizeof(buf), "%.2f", (gdouble)grams / 1000.0));
}

/**
 * st_store_get_manifest_document:
 *
 * The data of a manifest's document (template manifest): `manifest` (its number), `code`
 * (what its barcode carries: MANIFEST-n), `carrier`, `station`, `opened` and `closed` (local
 * time), `parcels[]` (order, reference, weight: the parcel's weight on the scale, or its
 * order's when the order went in one parcel; "" when unknown), `count`, `orders` and
 * `weight` (the sum of the known weights).
 *
 * Returns: (transfer full): a JSON object, or NULL with ST_ERROR_NOT_FOUND
 */
JsonNode *
st_store_get_manifest_document(StStore *self, gint64 id, GError **error)
{
	g_autoptr(StManifest) manifest = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree gchar *number = g_strdup_printf("%" G_GINT64_FORMAT, id);
	g_autofree gchar *code = g_strdup_printf("MANIFEST-%" G_GINT64_FORMAT, id);
	g_autofree gchar *opened = NULL, *closed = NULL, *total = NULL;
	gint64 grams = 0;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	manifest = st_store_get_manifest(self, id, error);
	if (manifest == NULL)
		return NULL;
	opened = st_store_local_minutes(manifest->opened_at);
	closed = st_store_local_minutes(manifest->closed_at);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "manifest");
	json_builder_add_string_value(b, number);
	json_builder_set_member_name(b, "code");
	json_builder_add_string_value(b, code);
	json_builder_set_member_name(b, "carrier");
	json_builder_add_string_value(b, manifest->carrier[0] != '\0' ? manifest->carrier : "-");
	json_builder_set_member_name(b, "station");
	json_builder_add_string_value(b, self->station_id);
	json_builder_set_member_name(b, "opened");
	json_builder_add_string_value(b, opened);
	json_builder_set_member_name(b, "closed");
	json_builder_add_string_value(b, closed);
	json_builder_set_member_name(b, "count");
	json_builder_add_int_value(b, manifest->parcels);
	json_builder_set_member_name(b, "orders");
	json_builder_add_int_value(b, manifest->orders);
	stmt = st_store_prepare(
		self,
		"SELECT o.number, mp.reference, coalesce(p.weight_g, p.expected_g, (SELECT "
		"coalesce(weight_g, expected_g) FROM parcels q WHERE q.order_id = o.id AND "
		"q.voided_by IS NULL AND (SELECT count(*) FROM parcels r WHERE r.order_id = o.id "
		"AND "
		"r.voided_by IS NULL) = 1)) FROM manifest_parcels mp JOIN orders o ON o.id = "
		"mp.order_id LEFT JOIN parcels p ON p.reference = mp.reference AND p.voided_by IS "
		"NULL WHERE mp.manifest_id = ? ORDER BY mp.id",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	json_builder_set_member_name(b, "parcels");
	json_builder_begin_array(b);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		g_autofree gchar *kg = NULL;
		if (sqlite3_column_type(stmt, 2) != SQLITE_NULL) {
			grams += sqlite3_column_int64(stmt, 2);
			kg = st_store_kg(sqlite3_column_int64(stmt, 2));
		}
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "order");
		json_builder_add_string_value(b, (const gchar *)sqlite3_column_text(stmt, 0));
		json_builder_set_member_name(b, "reference");
		json_builder_add_string_value(b, (const gchar *)sqlite3_column_text(stmt, 1));
		json_builder_set_member_name(b, "weight");
		json_builder_add_string_value(b, kg != NULL ? kg : "");
		json_builder_end_object(b);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "listing the manifest");
		return NULL;
	}
	json_builder_end_array(b);
	total = st_store_kg(grams);
	json_builder_set_member_name(b, "weight");
	json_builder_add_string_value(b, total);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}
