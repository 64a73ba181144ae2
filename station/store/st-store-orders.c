/*
 * Orders: the order, its lines and ship-to address, its status history (every change also
 * queues its event in the outbox, in the same transaction) and reservations of stock.
 */
#define G_LOG_DOMAIN "station-store"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "station/st-error.h"

#include "st-store-private.h"

const gchar *
st_order_status_to_string(StOrderStatus status)
{
	static const gchar *names[] = {"released", "packing", "packed", "shipped", "cancelled"};
	if ((guint)status >= G_N_ELEMENTS(names))
		return "unknown";
	return names[status];
}

gboolean
st_order_status_from_string(const gchar *str, StOrderStatus *status)
{
	for (guint i = ST_ORDER_STATUS_RELEASED; i <= ST_ORDER_STATUS_CANCELLED; i++) {
		if (g_strcmp0(str, st_order_status_to_string(i)) == 0) {
			*status = i;
			return TRUE;
		}
	}
	return FALSE;
}

void
st_order_free(StOrder *self)
{
	if (self == NULL)
		return;
	g_free(self->number);
	g_free(self);
}

void
st_order_line_free(StOrderLine *self)
{
	if (self == NULL)
		return;
	g_free(self->sku);
	g_free(self->name);
	g_free(self);
}

gboolean
st_store_insert_status(StStore *self,
		       gint64 order_id,
		       const gchar *from,
		       const gchar *to,
		       gint64 scan_id,
		       const gchar *now,
		       GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self,
		"INSERT INTO order_status_history (order_id, from_status, to_status, changed_at, "
		"scan_id) VALUES (?, ?, ?, ?, ?)",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, order_id);
	if (from != NULL)
		sqlite3_bind_text(stmt, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, now, -1, SQLITE_TRANSIENT);
	if (scan_id > 0)
		sqlite3_bind_int64(stmt, 5, scan_id);
	return st_store_step_done(self, stmt, "recording the order's status", error);
}

/* the lines of an order, numbered from 1 */
static gboolean
st_store_insert_order_lines(StStore *self,
			    gint64 order_id,
			    const gchar *number,
			    const StOrderLineSpec *lines,
			    guint n_lines,
			    GError **error)
{
	for (guint i = 0; i < n_lines; i++) {
		g_autoptr(StStoreStmt) stmt = NULL;
		gint64 product_id = st_store_product_id_by_sku(self, lines[i].sku, error);
		if (product_id < 0) {
			g_prefix_error(error, "order %s line %u: ", number, i + 1);
			return FALSE;
		}
		stmt = st_store_prepare(self,
					"INSERT INTO order_lines (order_id, line_no, product_id, "
					"quantity) VALUES (?, ?, ?, ?)",
					error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_int64(stmt, 1, order_id);
		sqlite3_bind_int64(stmt, 2, i + 1);
		sqlite3_bind_int64(stmt, 3, product_id);
		sqlite3_bind_int64(stmt, 4, lines[i].quantity);
		if (!st_store_step_done(self, stmt, "adding order line", error)) {
			g_prefix_error(error, "order %s line %u: ", number, i + 1);
			return FALSE;
		}
	}
	return TRUE;
}

/* the order, its lines by SKU and its first status, inside the caller's transaction; FALSE
 * with ST_ERROR_NOT_FOUND for an unknown SKU or ST_ERROR_INVALID_DATA for a taken number or
 * a zero quantity */
static gboolean
st_store_insert_order(StStore *self,
		      const gchar *number,
		      StOrderStatus status,
		      const StOrderLineSpec *lines,
		      guint n_lines,
		      gint64 *id,
		      GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autofree gchar *now = st_store_now();
	gint64 order_id;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	{
		g_autoptr(StStoreStmt) stmt =
			st_store_prepare(self,
					 "INSERT INTO orders (number, status, created_at, "
					 "updated_at) VALUES (?, ?, ?, ?)",
					 error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, st_order_status_to_string(status), -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 4, now, -1, SQLITE_TRANSIENT);
		if (!st_store_step_done(self, stmt, "adding order", error)) {
			g_prefix_error(error, "order %s: ", number);
			return FALSE;
		}
		order_id = sqlite3_last_insert_rowid(self->db);
	}
	if (!st_store_insert_order_lines(self, order_id, number, lines, n_lines, error))
		return FALSE;
	if (!st_store_insert_status(self, order_id, NULL, st_order_status_to_string(status), 0, now,
				    error))
		return FALSE;
	if (!st_store_commit(tx, error))
		return FALSE;
	if (id != NULL)
		*id = order_id;
	return TRUE;
}

/* Returns: (transfer full): the order, or NULL with ST_ERROR_NOT_FOUND */
StOrder *
st_store_find_order(StStore *self, const gchar *number, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(StOrder) order = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self, "SELECT id, number, status FROM orders WHERE number = ?",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no order %s", number);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "looking up an order");
		return NULL;
	}
	order = g_new0(StOrder, 1);
	order->id = sqlite3_column_int64(stmt, 0);
	order->number = g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
	if (!st_order_status_from_string((const gchar *)sqlite3_column_text(stmt, 2),
					 &order->status)) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_CORRUPT,
			    "order %s has an unknown status", number);
		return NULL;
	}
	return g_steal_pointer(&order);
}

/* Returns: (transfer container) (element-type StOrderLine): the lines in line order */
GPtrArray *
st_store_get_order_lines(StStore *self, gint64 order_id, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(GPtrArray) lines =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_order_line_free);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self,
				"SELECT l.id, l.line_no, l.product_id, p.sku, p.name, l.quantity, "
				"l.packed, p.weight_g, p.length_mm, p.width_mm, p.height_mm, "
				"p.weight_tolerance_g, "
				"(SELECT coalesce(sum(i.quantity), 0) FROM packed_items i "
				"  JOIN parcels pa ON pa.id = i.parcel_id WHERE i.line_id = l.id "
				"  AND i.undone_by IS NULL AND i.parcel_id IS NOT NULL "
				"  AND pa.voided_by IS NULL) "
				"FROM order_lines l JOIN products p ON p.id = l.product_id "
				"WHERE l.order_id = ? ORDER BY l.line_no",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, order_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StOrderLine *line = g_new0(StOrderLine, 1);
		line->id = sqlite3_column_int64(stmt, 0);
		line->line_no = (guint)sqlite3_column_int64(stmt, 1);
		line->product_id = sqlite3_column_int64(stmt, 2);
		line->sku = g_strdup((const gchar *)sqlite3_column_text(stmt, 3));
		line->name = g_strdup((const gchar *)sqlite3_column_text(stmt, 4));
		line->quantity = (guint)sqlite3_column_int64(stmt, 5);
		line->packed = (guint)sqlite3_column_int64(stmt, 6);
		line->weight_g = (guint)sqlite3_column_int64(stmt, 7);
		line->length_mm = (guint)sqlite3_column_int64(stmt, 8);
		line->width_mm = (guint)sqlite3_column_int64(stmt, 9);
		line->height_mm = (guint)sqlite3_column_int64(stmt, 10);
		line->weight_tolerance_g = (guint)sqlite3_column_int64(stmt, 11);
		line->parcelled = (guint)sqlite3_column_int64(stmt, 12);
		g_ptr_array_add(lines, line);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading order lines");
		return NULL;
	}
	return g_steal_pointer(&lines);
}

gboolean
st_store_set_status(StStore *self,
		    const StOrder *order,
		    StOrderStatus from,
		    StOrderStatus to,
		    gint64 scan_id,
		    const gchar *now,
		    GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autofree gchar *kind = g_strdup_printf("order.%s", st_order_status_to_string(to));

	stmt = st_store_prepare(
		self, "UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, st_order_status_to_string(to), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 3, order->id);
	sqlite3_bind_text(stmt, 4, st_order_status_to_string(from), -1, SQLITE_STATIC);
	if (!st_store_step_done(self, stmt, "changing the order's status", error))
		return FALSE;
	if (sqlite3_changes(self->db) != 1) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "order %s is no longer %s; scan it again", order->number,
			    st_order_status_to_string(from));
		return FALSE;
	}
	if (!st_store_insert_status(self, order->id, st_order_status_to_string(from),
				    st_order_status_to_string(to), scan_id, now, error))
		return FALSE;
	if (to == ST_ORDER_STATUS_PACKING) {
		/* the bench claims the order: told to the central system when it can be */
		g_autoptr(StStoreStmt) claim = st_store_prepare(
			self,
			"INSERT INTO order_claims (order_id, state, made_at) VALUES (?, 'pending', "
			"?) ON CONFLICT (order_id) DO UPDATE SET state = CASE WHEN state = 'held' "
			"THEN 'held' ELSE 'pending' END, made_at = excluded.made_at",
			error);
		if (claim == NULL)
			return FALSE;
		sqlite3_bind_int64(claim, 1, order->id);
		sqlite3_bind_text(claim, 2, now, -1, SQLITE_TRANSIENT);
		if (!st_store_step_done(self, claim, "claiming the order", error))
			return FALSE;
	}
	json_builder_begin_object(fields);
	json_builder_set_member_name(fields, "order");
	json_builder_add_string_value(fields, order->number);
	json_builder_set_member_name(fields, "from");
	json_builder_add_string_value(fields, st_order_status_to_string(from));
	json_builder_set_member_name(fields, "to");
	json_builder_add_string_value(fields, st_order_status_to_string(to));
	return st_store_insert_event(self, kind, order->id, fields, now, error);
}

/* the ship-to address, service level, carrier and tracking number of an order */
static gboolean
st_store_update_order_fields(StStore *self,
			     gint64 order_id,
			     const StOrderSpec *spec,
			     GError **error)
{
	const StAddress empty = {NULL};
	const StAddress *a = spec->ship_to != NULL ? spec->ship_to : &empty;

	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self,
		"UPDATE orders SET ship_name = ?, ship_company = ?, ship_street1 = ?, "
		"ship_street2 = ?, ship_city = ?, ship_region = ?, ship_postal_code = ?, "
		"ship_country = ?, ship_phone = ?, ship_email = ?, service_level = ?, "
		"carrier = ?, tracking = ? WHERE id = ?",
		error);
	const gchar *values[] = {a->name,	a->company, a->street1,		 a->street2,
				 a->city,	a->region,  a->postal_code,	 a->country,
				 a->phone,	a->email,   spec->service_level, spec->carrier,
				 spec->tracking};
	if (stmt == NULL)
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(values); i++)
		sqlite3_bind_text(stmt, (gint)i + 1, st_nz(values[i]), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, (gint)G_N_ELEMENTS(values) + 1, order_id);
	if (!st_store_step_done(self, stmt, "saving the ship-to address", error))
		return FALSE;
	return TRUE;
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
	gint64 order_id = 0;

	g_return_val_if_fail(self->db != NULL, FALSE);
	if (!st_store_check_text("the order number", spec->number, 64, error))
		return FALSE;
	if (spec->tracking != NULL && spec->tracking[0] != '\0' &&
	    !st_store_check_text("the tracking number", spec->tracking, 64, error))
		return FALSE;
	if (spec->n_lines == 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA, "order %s has no lines",
			    spec->number);
		return FALSE;
	}
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (!st_store_insert_order(self, spec->number, spec->status, spec->lines, spec->n_lines,
				   &order_id, error))
		return FALSE;
	if (!st_store_update_order_fields(self, order_id, spec, error))
		return FALSE;
	if (!st_store_commit(tx, error))
		return FALSE;
	if (id != NULL)
		*id = order_id;
	return TRUE;
}

/* the order line @line_no of @number, which must be of @product_id */
gboolean
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
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, _("order %s has no line %u"),
			    number, line_no);
		return FALSE;
	}
	if (sqlite3_column_int64(stmt, 2) != product_id) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    _("order %s line %u is SKU %s, not %s"), number, line_no,
			    sqlite3_column_text(stmt, 3), sku);
		return FALSE;
	}
	*order_id = sqlite3_column_int64(stmt, 0);
	*line_id = sqlite3_column_int64(stmt, 1);
	return TRUE;
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
 * st_store_set_order_status:
 * @scan_id: the scan that made the change, or 0
 *
 * Moves @order from @from to @to, with its history row and its outbox event
 * ("order.<to>"), in one transaction.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA when the order is no longer @from (another
 * bench, the central system); nothing changes then
 */
gboolean
st_store_set_order_status(StStore *self,
			  const StOrder *order,
			  StOrderStatus from,
			  StOrderStatus to,
			  gint64 scan_id,
			  GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autofree gchar *now = st_store_now();

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (!st_store_set_status(self, order, from, to, scan_id, now, error))
		return FALSE;
	return st_store_commit(tx, error);
}

/**
 * st_store_add_packed:
 * @quantity: units this scan counts for (a case barcode counts for several)
 * @serial: (nullable): the serial number of the unit (a product tracked by serial)
 * @scan_id: the scan that packed them, or 0
 *
 * Adds @quantity to the line's packed count and queues an item.packed event, in one
 * transaction.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA if that would pack more than the line holds, or
 *   with ST_ERROR_EXISTS when a unit with that serial number of the product is packed already
 */
gboolean
st_store_add_packed(StStore *self,
		    const StOrder *order,
		    const StOrderLine *line,
		    guint quantity,
		    const gchar *serial,
		    gint64 scan_id,
		    GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autofree gchar *now = st_store_now();

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (serial != NULL) {
		/* one unit is packed once: its serial number names it */
		g_autoptr(StStoreStmt) stmt =
			st_store_prepare(self,
					 "SELECT o.number FROM packed_items i JOIN order_lines l "
					 "ON l.id = i.line_id "
					 "JOIN orders o ON o.id = i.order_id WHERE i.serial = ? "
					 "AND l.product_id = ? "
					 "AND i.undone_by IS NULL",
					 error);
		gint rc;
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_text(stmt, 1, serial, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, line->product_id);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_EXISTS,
				    "%s with serial number %s is packed already, in order %s",
				    line->sku, serial, (const gchar *)sqlite3_column_text(stmt, 0));
			return FALSE;
		}
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "looking for the serial number");
			return FALSE;
		}
	}
	{
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"UPDATE order_lines SET packed = packed + ? WHERE id = ? AND "
			"packed + ? <= quantity",
			error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_int64(stmt, 1, quantity);
		sqlite3_bind_int64(stmt, 2, line->id);
		sqlite3_bind_int64(stmt, 3, quantity);
		if (!st_store_step_done(self, stmt, "counting the item", error))
			return FALSE;
		if (sqlite3_changes(self->db) != 1) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
				    "order %s line %u would hold more than %u of %s", order->number,
				    line->line_no, line->quantity, line->sku);
			return FALSE;
		}
	}
	json_builder_begin_object(fields);
	json_builder_set_member_name(fields, "order");
	json_builder_add_string_value(fields, order->number);
	json_builder_set_member_name(fields, "line");
	json_builder_add_int_value(fields, line->line_no);
	json_builder_set_member_name(fields, "sku");
	json_builder_add_string_value(fields, line->sku);
	json_builder_set_member_name(fields, "quantity");
	json_builder_add_int_value(fields, quantity);
	if (serial != NULL) {
		json_builder_set_member_name(fields, "serial");
		json_builder_add_string_value(fields, serial);
	}
	json_builder_set_member_name(fields, "scan");
	json_builder_add_int_value(fields, scan_id);
	if (!st_store_insert_event(self, "item.packed", order->id, fields, now, error))
		return FALSE;
	if (scan_id > 0) {
		/* what this scan put in, so it can be taken back (undo) */
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"INSERT INTO packed_items (scan_id, order_id, line_id, quantity, serial) "
			"VALUES (?, ?, ?, ?, ?)",
			error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_int64(stmt, 1, scan_id);
		sqlite3_bind_int64(stmt, 2, order->id);
		sqlite3_bind_int64(stmt, 3, line->id);
		sqlite3_bind_int64(stmt, 4, quantity);
		if (serial != NULL)
			sqlite3_bind_text(stmt, 5, serial, -1, SQLITE_TRANSIENT);
		if (!st_store_step_done(self, stmt, "keeping what the scan packed", error))
			return FALSE;
	}
	return st_store_commit(tx, error);
}

void
st_undone_clear(StUndone *self)
{
	g_clear_pointer(&self->sku, g_free);
}

/* Returns: whether @order has a scan to take back, and what it put in (@undone) */
gboolean
st_store_last_packed(StStore *self, const StOrder *order, StUndone *undone, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, FALSE);
	memset(undone, 0, sizeof(*undone));
	stmt = st_store_prepare(
		self,
		"SELECT i.scan_id, i.quantity, l.line_no, p.sku, i.parcel_id IS NOT NULL "
		"FROM packed_items i "
		"JOIN order_lines l ON l.id = i.line_id JOIN products p ON p.id = l.product_id "
		"WHERE i.order_id = ? AND i.undone_by IS NULL ORDER BY i.scan_id DESC LIMIT 1",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, order->id);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			st_store_set_error(self, error, rc, "looking for what to take back");
		else
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
				    "nothing of order %s to take back", order->number);
		return FALSE;
	}
	undone->scan_id = sqlite3_column_int64(stmt, 0);
	undone->quantity = (guint)sqlite3_column_int64(stmt, 1);
	undone->line_no = (guint)sqlite3_column_int64(stmt, 2);
	undone->sku = g_strdup((const gchar *)sqlite3_column_text(stmt, 3));
	undone->parcelled = sqlite3_column_int(stmt, 4) != 0;
	return TRUE;
}

/**
 * st_store_undo_packed:
 * @undo_scan_id: the scan that asks for it (the undo command)
 * @undone: (out caller-allocates): what was taken back
 *
 * Takes back the last scan that packed an item of @order and was not taken back yet: its
 * line's count, and the stock it took (a return to the location it left, with its lot,
 * expiry and serial), with an item.unpacked event, in one transaction.
 *
 * Returns: FALSE with ST_ERROR_NOT_FOUND when there is nothing to take back
 */
gboolean
st_store_undo_packed(StStore *self,
		     const StOrder *order,
		     gint64 undo_scan_id,
		     StUndone *undone,
		     GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autofree gchar *now = st_store_now();
	gint64 scan_id, line_id;
	gint rc;

	g_return_val_if_fail(self->db != NULL, FALSE);
	memset(undone, 0, sizeof(*undone));
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	{
		g_autoptr(StStoreStmt) stmt =
			st_store_prepare(self,
					 "SELECT i.scan_id, i.line_id, i.quantity, l.line_no, "
					 "p.sku FROM packed_items i "
					 "JOIN order_lines l ON l.id = i.line_id JOIN products p "
					 "ON p.id = l.product_id "
					 "WHERE i.order_id = ? AND i.undone_by IS NULL ORDER BY "
					 "i.scan_id DESC LIMIT 1",
					 error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_int64(stmt, 1, order->id);
		rc = sqlite3_step(stmt);
		if (rc != SQLITE_ROW) {
			if (rc != SQLITE_DONE)
				st_store_set_error(self, error, rc,
						   "looking for what to take back");
			else
				g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
					    "nothing of order %s to take back", order->number);
			return FALSE;
		}
		scan_id = sqlite3_column_int64(stmt, 0);
		line_id = sqlite3_column_int64(stmt, 1);
		undone->quantity = (guint)sqlite3_column_int64(stmt, 2);
		undone->line_no = (guint)sqlite3_column_int64(stmt, 3);
		undone->sku = g_strdup((const gchar *)sqlite3_column_text(stmt, 4));
		undone->scan_id = scan_id;
	}
	{
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"UPDATE order_lines SET packed = packed - ? WHERE id = ? AND packed >= ?",
			error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_int64(stmt, 1, undone->quantity);
		sqlite3_bind_int64(stmt, 2, line_id);
		sqlite3_bind_int64(stmt, 3, undone->quantity);
		if (!st_store_step_done(self, stmt, "taking the item back", error))
			return FALSE;
	}
	{
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self, "UPDATE packed_items SET undone_by = ? WHERE scan_id = ?", error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_int64(stmt, 1, undo_scan_id);
		sqlite3_bind_int64(stmt, 2, scan_id);
		if (!st_store_step_done(self, stmt, "marking the scan taken back", error))
			return FALSE;
	}
	{
		/* the stock it took goes back where it came from */
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"SELECT loc.code, g.lot, g.expiry, g.serial, g.quantity FROM ledger g "
			"JOIN locations loc ON loc.id = g.from_location_id "
			"WHERE g.scan_id = ? AND g.kind = 'pack'",
			error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_int64(stmt, 1, scan_id);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			g_autofree gchar *code =
				g_strdup((const gchar *)sqlite3_column_text(stmt, 0));
			g_autofree gchar *lot =
				g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
			g_autofree gchar *expiry =
				g_strdup((const gchar *)sqlite3_column_text(stmt, 2));
			g_autofree gchar *serial =
				g_strdup((const gchar *)sqlite3_column_text(stmt, 3));
			g_autofree gchar *note =
				g_strdup_printf("undo of scan %" G_GINT64_FORMAT, scan_id);
			StStockChange back = {.kind = ST_LEDGER_RETURN,
					      .sku = undone->sku,
					      .quantity = sqlite3_column_int64(stmt, 4),
					      .to = code,
					      .lot = lot,
					      .expiry = expiry,
					      .serial = serial,
					      .order_number = order->number,
					      .line_no = undone->line_no,
					      .scan_id = undo_scan_id,
					      .note = note};
			g_clear_pointer(&stmt, st_store_stmt_unref);
			if (!st_store_change_stock(self, &back, NULL, error))
				return FALSE;
		} else if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "looking for the stock it took");
			return FALSE;
		}
	}
	json_builder_begin_object(fields);
	json_builder_set_member_name(fields, "order");
	json_builder_add_string_value(fields, order->number);
	json_builder_set_member_name(fields, "line");
	json_builder_add_int_value(fields, undone->line_no);
	json_builder_set_member_name(fields, "sku");
	json_builder_add_string_value(fields, undone->sku);
	json_builder_set_member_name(fields, "quantity");
	json_builder_add_int_value(fields, undone->quantity);
	json_builder_set_member_name(fields, "scan");
	json_builder_add_int_value(fields, undo_scan_id);
	json_builder_set_member_name(fields, "undoes_scan");
	json_builder_add_int_value(fields, scan_id);
	if (!st_store_insert_event(self, "item.unpacked", order->id, fields, now, error))
		return FALSE;
	return st_store_commit(tx, error);
}

/**
 * st_store_add_parcel:
 * @scan_id: the scan or weighing that closed it, or 0
 * @number: (out) (optional): which parcel of the order it is, from 1
 *
 * Records a parcel of @order closed (its box, its weight against the expected weight, the
 * lead who overrode a weight outside the tolerance) holding every item packed since the
 * order's last parcel, with its parcel.closed event, in one transaction.
 */
gboolean
st_store_add_parcel(StStore *self,
		    const StOrder *order,
		    const StParcelSpec *spec,
		    gint64 scan_id,
		    guint *number,
		    GError **error)
{
	gint64 parcel_id;
	guint count;

	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autofree gchar *now = st_store_now();
	g_autofree gchar *reference = NULL;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(self,
				"INSERT INTO parcels (order_id, box_code, expected_g, tolerance_g, "
				"weight_g, override_operator, scan_id, created_at) "
				"VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, order->id);
	if (spec->box_code != NULL)
		sqlite3_bind_text(stmt, 2, spec->box_code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 3, spec->expected_g);
	sqlite3_bind_int64(stmt, 4, spec->tolerance_g);
	if (spec->weight_g >= 0)
		sqlite3_bind_int64(stmt, 5, spec->weight_g);
	if (spec->override_badge != NULL)
		sqlite3_bind_text(stmt, 6, spec->override_badge, -1, SQLITE_TRANSIENT);
	if (scan_id > 0)
		sqlite3_bind_int64(stmt, 7, scan_id);
	sqlite3_bind_text(stmt, 8, now, -1, SQLITE_TRANSIENT);
	if (!st_store_step_done(self, stmt, "recording the parcel", error))
		return FALSE;
	parcel_id = sqlite3_last_insert_rowid(self->db);
	g_clear_pointer(&stmt, st_store_stmt_unref);
	{
		/* the carrier's number for the order's first parcel, when it gave one */
		g_autoptr(StStoreStmt) q = st_store_prepare(
			self,
			"SELECT o.tracking FROM orders o WHERE o.id = ?1 AND o.tracking != '' AND "
			"NOT EXISTS (SELECT 1 FROM parcels p WHERE p.order_id = o.id AND "
			"p.reference = o.tracking)",
			error);
		if (q == NULL)
			return FALSE;
		sqlite3_bind_int64(q, 1, order->id);
		if (sqlite3_step(q) == SQLITE_ROW)
			reference = st_column_dup(q, 0);
	}
	if (reference == NULL && spec->sscc_prefix != NULL) {
		reference = st_sscc_make(spec->sscc_prefix, parcel_id, error);
		if (reference == NULL)
			return FALSE;
	}
	if (reference != NULL) {
		stmt = st_store_prepare(self, "UPDATE parcels SET reference = ? WHERE id = ?",
					error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_text(stmt, 1, reference, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, parcel_id);
		if (!st_store_step_done(self, stmt, "numbering the parcel", error))
			return FALSE;
		g_clear_pointer(&stmt, st_store_stmt_unref);
	}
	stmt = st_store_prepare(self, "UPDATE orders SET open_box = NULL WHERE id = ?", error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, order->id);
	if (!st_store_step_done(self, stmt, "closing the box", error))
		return FALSE;
	g_clear_pointer(&stmt, st_store_stmt_unref);
	/* what went in since the last parcel of the order is in this one */
	stmt = st_store_prepare(self,
				"UPDATE packed_items SET parcel_id = ? WHERE order_id = ? AND "
				"parcel_id IS NULL AND undone_by IS NULL",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, parcel_id);
	sqlite3_bind_int64(stmt, 2, order->id);
	if (!st_store_step_done(self, stmt, "putting the items in the parcel", error))
		return FALSE;
	g_clear_pointer(&stmt, st_store_stmt_unref);
	count = st_store_count_parcels(self, order, error);
	if (count == G_MAXUINT)
		return FALSE;
	if (number != NULL)
		*number = count;
	json_builder_begin_object(fields);
	json_builder_set_member_name(fields, "order");
	json_builder_add_string_value(fields, order->number);
	json_builder_set_member_name(fields, "parcel");
	json_builder_add_int_value(fields, count);
	json_builder_set_member_name(fields, "sscc");
	if (reference != NULL)
		json_builder_add_string_value(fields, reference);
	else
		json_builder_add_null_value(fields);
	json_builder_set_member_name(fields, "items");
	json_builder_begin_array(fields);
	stmt = st_store_prepare(self,
				"SELECT p.sku, sum(i.quantity) FROM packed_items i "
				"JOIN order_lines l ON l.id = i.line_id "
				"JOIN products p ON p.id = l.product_id "
				"WHERE i.parcel_id = ? GROUP BY p.sku ORDER BY min(l.line_no)",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, parcel_id);
	for (;;) {
		gint rc = sqlite3_step(stmt);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			st_store_set_error(self, error, rc, "listing the parcel's items");
			return FALSE;
		}
		json_builder_begin_object(fields);
		json_builder_set_member_name(fields, "sku");
		json_builder_add_string_value(fields, (const gchar *)sqlite3_column_text(stmt, 0));
		json_builder_set_member_name(fields, "quantity");
		json_builder_add_int_value(fields, sqlite3_column_int64(stmt, 1));
		json_builder_end_object(fields);
	}
	json_builder_end_array(fields);
	json_builder_set_member_name(fields, "box");
	if (spec->box_code != NULL)
		json_builder_add_string_value(fields, spec->box_code);
	else
		json_builder_add_null_value(fields);
	{
		/* the box's outside dimensions, for the carrier's volumetric weight */
		g_autoptr(StBoxType) box =
			spec->box_code != NULL ? st_store_find_box_type(self, spec->box_code, NULL)
					       : NULL;
		json_builder_set_member_name(fields, "dimensions_mm");
		if (box != NULL && box->length_mm > 0) {
			json_builder_begin_array(fields);
			json_builder_add_int_value(fields, box->length_mm);
			json_builder_add_int_value(fields, box->width_mm);
			json_builder_add_int_value(fields, box->height_mm);
			json_builder_end_array(fields);
		} else {
			json_builder_add_null_value(fields);
		}
	}
	json_builder_set_member_name(fields, "expected_g");
	json_builder_add_int_value(fields, spec->expected_g);
	json_builder_set_member_name(fields, "tolerance_g");
	json_builder_add_int_value(fields, spec->tolerance_g);
	json_builder_set_member_name(fields, "weight_g");
	if (spec->weight_g >= 0)
		json_builder_add_int_value(fields, spec->weight_g);
	else
		json_builder_add_null_value(fields); /* not weighed: no scale */
	json_builder_set_member_name(fields, "weight_override");
	if (spec->override_badge != NULL)
		json_builder_add_string_value(fields, spec->override_badge);
	else
		json_builder_add_null_value(fields);
	if (!st_store_insert_event(self, "parcel.closed", order->id, fields, now, error))
		return FALSE;
	if (spec->override_badge != NULL) {
		g_autofree gchar *detail = g_strdup_printf("parcel %u weighed %" G_GINT64_FORMAT
							   " g, %u g expected (give or take %u "
							   "g), let go by %s",
							   count, spec->weight_g, spec->expected_g,
							   spec->tolerance_g, spec->override_badge);
		if (!st_store_add_exception(self, order->id, order->number, "weight-override",
					    detail, scan_id, error))
			return FALSE;
	}
	return st_store_commit(tx, error);
}

/**
 * st_store_count_parcels:
 *
 * Returns: how many parcels of @order are closed (and not void); G_MAXUINT with @error set
 * when the store failed
 */
guint
st_store_count_parcels(StStore *self, const StOrder *order, GError **error)
{
	gint64 count;

	g_return_val_if_fail(self->db != NULL, G_MAXUINT);
	count = st_store_scalar(
		self, "SELECT count(*) FROM parcels WHERE order_id = ? AND voided_by IS NULL",
		order->id, error);
	return count == G_MININT64 ? G_MAXUINT : (guint)count;
}

/**
 * st_store_void_parcels:
 * @scan_id: the scan that gave the order up
 *
 * Marks every parcel of @order closed so far void (the order was given up at the bench and
 * its items taken out), with a parcels.voided event naming how many, in one transaction.
 */
gboolean
st_store_void_parcels(StStore *self, const StOrder *order, gint64 scan_id, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autofree gchar *now = st_store_now();
	gint changes;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(
		self,
		"UPDATE parcels SET voided_by = ?, reference = NULL WHERE order_id = ? AND "
		"voided_by IS NULL",
		error);
	if (stmt == NULL)
		return FALSE;
	if (scan_id > 0)
		sqlite3_bind_int64(stmt, 1, scan_id);
	sqlite3_bind_int64(stmt, 2, order->id);
	if (!st_store_step_done(self, stmt, "voiding the parcels", error))
		return FALSE;
	changes = sqlite3_changes(self->db);
	if (changes > 0) {
		json_builder_begin_object(fields);
		json_builder_set_member_name(fields, "order");
		json_builder_add_string_value(fields, order->number);
		json_builder_set_member_name(fields, "parcels");
		json_builder_add_int_value(fields, changes);
		json_builder_set_member_name(fields, "scan");
		json_builder_add_int_value(fields, scan_id);
		if (!st_store_insert_event(self, "parcels.voided", order->id, fields, now, error))
			return FALSE;
	}
	return st_store_commit(tx, error);
}

void
st_parcel_free(StParcel *self)
{
	if (self == NULL)
		return;
	g_free(self->order_number);
	g_free(self->reference);
	g_free(self->box_code);
	g_free(self);
}

/**
 * st_sscc_make:
 * @prefix: the GS1 extension digit and company prefix, 5 to 16 digits
 * @serial: the serial reference, filling the digits left up to 17
 *
 * Returns: (transfer full): the SSCC's 18 digits with its check digit (GS1 General
 *   Specifications: modulo 10 with weights 3 and 1 from the right); NULL with
 *   ST_ERROR_INVALID_DATA when @prefix is not digits or @serial does not fit
 */
gchar *
st_sscc_make(const gchar *prefix, gint64 serial, GError **error)
{
	gsize len = strlen(prefix);
	g_autofree gchar *digits = NULL;
	guint sum = 0;

	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isdigit(prefix[i]))
			len = 0;
	}
	if (len < 5 || len > 16 || serial < 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "SSCC prefix '%s' is not an extension digit and a GS1 company prefix "
			    "(5 to 16 digits)",
			    prefix);
		return NULL;
	}
	digits = g_strdup_printf("%s%0*" G_GINT64_FORMAT, prefix, (gint)(17 - len), serial);
	if (strlen(digits) != 17) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "SSCC prefix %s leaves %u digits for serial reference %" G_GINT64_FORMAT
			    ": the serial references are used up; take a longer prefix",
			    prefix, (guint)(17 - len), serial);
		return NULL;
	}
	for (gint i = 16; i >= 0; i--)
		sum += (guint)(digits[i] - '0') * ((16 - i) % 2 == 0 ? 3 : 1);
	return g_strdup_printf("%s%u", digits, (10 - sum % 10) % 10);
}

#define ST_PARCEL_SELECT                                                                           \
	"SELECT p.id, (SELECT count(*) FROM parcels q WHERE q.order_id = p.order_id AND "          \
	"q.voided_by IS NULL AND q.id <= p.id), o.number, p.reference, p.box_code, p.weight_g, "   \
	"p.expected_g, p.confirmed_by IS NOT NULL FROM parcels p JOIN orders o ON o.id = "         \
	"p.order_id "

static StParcel *
st_store_read_parcel(sqlite3_stmt *stmt)
{
	StParcel *p = g_new0(StParcel, 1);
	p->id = sqlite3_column_int64(stmt, 0);
	p->number = (guint)sqlite3_column_int64(stmt, 1);
	p->order_number = st_column_dup(stmt, 2);
	p->reference = st_column_dup(stmt, 3);
	p->box_code = st_column_dup(stmt, 4);
	p->weight_g =
		sqlite3_column_type(stmt, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(stmt, 5);
	p->expected_g = (guint)sqlite3_column_int64(stmt, 6);
	p->confirmed = sqlite3_column_int(stmt, 7) != 0;
	return p;
}

/* Returns: (transfer container) (element-type StParcel): the order's parcels not void, by
 * number */
GPtrArray *
st_store_get_order_parcels(StStore *self, gint64 order_id, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(GPtrArray) parcels =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_parcel_free);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self,
				ST_PARCEL_SELECT "WHERE p.order_id = ? AND p.voided_by IS NULL "
						 "ORDER BY p.id",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, order_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(parcels, st_store_read_parcel(stmt));
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the order's parcels");
		return NULL;
	}
	return g_steal_pointer(&parcels);
}

/* Returns: (transfer full): the parcel (not void) numbered @reference; NULL with
 * ST_ERROR_NOT_FOUND */
StParcel *
st_store_find_parcel(StStore *self, const gchar *reference, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(
		self, ST_PARCEL_SELECT "WHERE p.reference = ? AND p.voided_by IS NULL", error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, reference, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no parcel %s", reference);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "looking up a parcel");
		return NULL;
	}
	return st_store_read_parcel(stmt);
}

/* the parcel's printed label was scanned on it: with a label.confirmed event */
gboolean
st_store_confirm_parcel(StStore *self, const StParcel *parcel, gint64 scan_id, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autofree gchar *now = st_store_now();
	gint64 order_id;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(self,
				"UPDATE parcels SET confirmed_by = ? WHERE id = ? AND confirmed_by "
				"IS NULL",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, scan_id);
	sqlite3_bind_int64(stmt, 2, parcel->id);
	if (!st_store_step_done(self, stmt, "confirming the parcel's label", error))
		return FALSE;
	order_id = st_store_scalar(self, "SELECT order_id FROM parcels WHERE id = ?", parcel->id,
				   error);
	if (order_id == G_MININT64)
		return FALSE;
	json_builder_begin_object(fields);
	json_builder_set_member_name(fields, "order");
	json_builder_add_string_value(fields, parcel->order_number);
	json_builder_set_member_name(fields, "parcel");
	json_builder_add_int_value(fields, parcel->number);
	json_builder_set_member_name(fields, "reference");
	json_builder_add_string_value(fields, st_nz(parcel->reference));
	json_builder_set_member_name(fields, "scan");
	json_builder_add_int_value(fields, scan_id);
	if (!st_store_insert_event(self, "label.confirmed", order_id, fields, now, error))
		return FALSE;
	return st_store_commit(tx, error);
}

/**
 * st_store_set_order_box:
 * @box_code: (nullable): the box type scanned for the order's box being filled; NULL: none
 *
 * Kept until the box closes (st_store_add_parcel()), so a restart goes on with it.
 */
gboolean
st_store_set_order_box(StStore *self, const StOrder *order, const gchar *box_code, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(self, "UPDATE orders SET open_box = ? WHERE id = ?", error);
	if (stmt == NULL)
		return FALSE;
	if (box_code != NULL)
		sqlite3_bind_text(stmt, 1, box_code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, order->id);
	if (!st_store_step_done(self, stmt, "keeping the box", error))
		return FALSE;
	return st_store_commit(tx, error);
}

/* Returns: (transfer full) (nullable): the box type scanned for the order's box being
 * filled; NULL (with @error unset) when none */
StBoxType *
st_store_get_order_box(StStore *self, gint64 order_id, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *code = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self, "SELECT open_box FROM orders WHERE id = ?", error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, order_id);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "reading the order's box");
		return NULL;
	}
	code = st_column_dup(stmt, 0);
	g_clear_pointer(&stmt, st_store_stmt_unref);
	if (code == NULL)
		return NULL;
	return st_store_find_box_type(self, code, error);
}

/**
 * st_store_add_exception:
 * @kind: what went wrong: "weight-override", "short-pick", "cancelled-at-bench"
 * @detail: (nullable): one sentence for the people who follow it up
 * @scan_id: the scan it came from, or 0
 *
 * Queues an `exception` event for the central system: something at the bench that someone
 * should look at (a parcel let go outside its weight, goods missing at a pick location, an
 * order given up at the bench), apart from the event of what happened.
 */
gboolean
st_store_add_exception(StStore *self,
		       gint64 order_id,
		       const gchar *order_number,
		       const gchar *kind,
		       const gchar *detail,
		       gint64 scan_id,
		       GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autofree gchar *now = st_store_now();

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	json_builder_begin_object(fields);
	json_builder_set_member_name(fields, "kind");
	json_builder_add_string_value(fields, kind);
	json_builder_set_member_name(fields, "order");
	if (order_number != NULL)
		json_builder_add_string_value(fields, order_number);
	else
		json_builder_add_null_value(fields);
	json_builder_set_member_name(fields, "detail");
	json_builder_add_string_value(fields, detail != NULL ? detail : "");
	json_builder_set_member_name(fields, "scan");
	json_builder_add_int_value(fields, scan_id);
	if (!st_store_insert_event(self, "exception", order_id, fields, now, error))
		return FALSE;
	return st_store_commit(tx, error);
}

/* whether the stored order @o is what @spec says (lines, ship-to, carrier, tracking) */
static gint
st_store_order_same(StStore *self, const StOrder *o, const StOrderSpec *spec, GError **error)
{
	const StAddress empty = {NULL};
	const StAddress *a = spec->ship_to != NULL ? spec->ship_to : &empty;
	g_autoptr(GPtrArray) lines = st_store_get_order_lines(self, o->id, error);
	g_autoptr(StStoreStmt) stmt = NULL;
	const gchar *values[] = {a->name,	a->company, a->street1,		 a->street2,
				 a->city,	a->region,  a->postal_code,	 a->country,
				 a->phone,	a->email,   spec->service_level, spec->carrier,
				 spec->tracking};
	gint same = 1;

	if (lines == NULL)
		return -1;
	if (lines->len != spec->n_lines)
		return 0;
	for (guint i = 0; i < lines->len; i++) {
		const StOrderLine *l = g_ptr_array_index(lines, i);
		if (g_strcmp0(l->sku, spec->lines[i].sku) != 0 ||
		    l->quantity != spec->lines[i].quantity)
			return 0;
	}
	stmt = st_store_prepare(
		self,
		"SELECT ship_name, ship_company, ship_street1, ship_street2, "
		"ship_city, ship_region, ship_postal_code, ship_country, ship_phone, "
		"ship_email, service_level, carrier, tracking FROM orders WHERE id = ?",
		error);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, o->id);
	if (sqlite3_step(stmt) != SQLITE_ROW)
		return -1;
	for (guint i = 0; i < G_N_ELEMENTS(values); i++) {
		if (g_strcmp0((const gchar *)sqlite3_column_text(stmt, (gint)i),
			      st_nz(values[i])) != 0)
			same = 0;
	}
	return same;
}

/* whether work has started on @o: on a pick list, reserved, or any unit packed */
static gint
st_store_order_touched(StStore *self, const StOrder *o, GError **error)
{
	gint64 n = st_store_scalar(
		self,
		"SELECT (SELECT count(*) FROM picklist_orders po JOIN picklists p ON p.id = "
		"po.picklist_id WHERE po.order_id = ?1 AND p.status != 'cancelled') + (SELECT "
		"count(*) FROM reservations r JOIN order_lines l ON l.id = r.order_line_id WHERE "
		"l.order_id = ?1) + (SELECT coalesce(sum(packed), 0) FROM order_lines WHERE "
		"order_id = ?1)",
		o->id, error);
	if (n == G_MININT64)
		return -1;
	return n > 0;
}

/**
 * st_store_apply_central_order:
 * @spec: the order as the central system sends it now (status released or cancelled)
 * @label: (nullable): the label the carrier made for it, printed as it is when it is packed
 * @outcome: (out): what was done
 * @detail: (out) (transfer full) (optional): a sentence for the log when refused
 *
 * An order pulled from the central system, in one transaction:
 *   - new: stored (with its label) -- ADDED; already cancelled: nothing -- UNCHANGED;
 *   - the same as stored -- UNCHANGED (a page pulled again);
 *   - changed while nobody has started on it (not on a pick list, nothing reserved or
 *     packed): lines, ship-to, carrier and tracking replaced -- UPDATED;
 *   - cancelled while released or being packed: cancelled -- CANCELLED (the bench packing it
 *     is told at its next scan what to do with the goods; reservations are released);
 *   - any other change (an order being picked or packed changed, a packed or shipped order
 *     changed or cancelled): the station keeps its version and an `exception` event of kind
 *     `central-change-refused` tells the central system -- REFUSED.
 *
 * Returns: FALSE when the store failed or the order cannot be stored (an unknown SKU:
 *   ST_ERROR_NOT_FOUND), with nothing changed
 */
gboolean
st_store_apply_central_order(StStore *self,
			     const StOrderSpec *spec,
			     const StLabelSpec *label,
			     StCentralOrderOutcome *outcome,
			     gchar **detail,
			     GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StOrder) o = NULL;
	g_autoptr(GError) error_find = NULL;
	g_autofree gchar *why = NULL;
	g_autofree gchar *now = st_store_now();
	gint same, touched;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	o = st_store_find_order(self, spec->number, &error_find);
	if (o == NULL) {
		if (!g_error_matches(error_find, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_find));
			return FALSE;
		}
		if (spec->status == ST_ORDER_STATUS_CANCELLED) {
			*outcome = ST_CENTRAL_ORDER_UNCHANGED;
			return st_store_commit(tx, error);
		}
		if (!st_store_put_order(self, spec, NULL, error))
			return FALSE;
		if (label != NULL) {
			gint64 label_id = 0;
			if (!st_store_put_label(self, label, &label_id, NULL, error))
				return FALSE;
		}
		*outcome = ST_CENTRAL_ORDER_ADDED;
		return st_store_commit(tx, error);
	}
	if (spec->status == ST_ORDER_STATUS_CANCELLED) {
		if (o->status == ST_ORDER_STATUS_CANCELLED) {
			*outcome = ST_CENTRAL_ORDER_UNCHANGED;
			return st_store_commit(tx, error);
		}
		if (o->status == ST_ORDER_STATUS_RELEASED || o->status == ST_ORDER_STATUS_PACKING) {
			g_autoptr(StStoreStmt) release = NULL;
			if (!st_store_set_status(self, o, o->status, ST_ORDER_STATUS_CANCELLED, 0,
						 now, error))
				return FALSE;
			release =
				st_store_prepare(self,
						 "DELETE FROM reservations WHERE order_line_id IN "
						 "(SELECT id FROM order_lines WHERE order_id = ?)",
						 error);
			if (release == NULL)
				return FALSE;
			sqlite3_bind_int64(release, 1, o->id);
			if (!st_store_step_done(self, release, "releasing the reservations", error))
				return FALSE;
			/* off the route of a pick list it is on; the picker is told at the next
			 * scan */
			if (st_store_drop_picks_of_cancelled(self, o->number, error) < 0)
				return FALSE;
			*outcome = ST_CENTRAL_ORDER_CANCELLED;
			return st_store_commit(tx, error);
		}
		why = g_strdup_printf("order %s was cancelled by the central system after it was "
				      "%s at this station: stop its parcels",
				      o->number, st_order_status_to_string(o->status));
	} else {
		same = st_store_order_same(self, o, spec, error);
		if (same < 0)
			return FALSE;
		if (same == 1 && o->status != ST_ORDER_STATUS_CANCELLED) {
			*outcome = ST_CENTRAL_ORDER_UNCHANGED;
			return st_store_commit(tx, error);
		}
		touched = st_store_order_touched(self, o, error);
		if (touched < 0)
			return FALSE;
		if (o->status == ST_ORDER_STATUS_RELEASED && touched == 0) {
			g_autoptr(StStoreStmt) del = st_store_prepare(
				self, "DELETE FROM order_lines WHERE order_id = ?", error);
			/* nothing refers to its lines yet (untouched): replaced whole */
			if (del == NULL)
				return FALSE;
			sqlite3_bind_int64(del, 1, o->id);
			if (!st_store_step_done(self, del, "replacing the order's lines", error))
				return FALSE;
			if (spec->n_lines == 0) {
				g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
					    "order %s has no lines", spec->number);
				return FALSE;
			}
			if (!st_store_insert_order_lines(self, o->id, o->number, spec->lines,
							 spec->n_lines, error) ||
			    !st_store_update_order_fields(self, o->id, spec, error))
				return FALSE;
			if (label != NULL) {
				gint64 label_id = 0;
				if (!st_store_put_label(self, label, &label_id, NULL, error))
					return FALSE;
			}
			*outcome = ST_CENTRAL_ORDER_UPDATED;
			return st_store_commit(tx, error);
		}
		why = g_strdup_printf(
			"order %s was changed by the central system while it was %s at this "
			"station: the station goes on with the version it has",
			o->number,
			o->status == ST_ORDER_STATUS_RELEASED ? "being picked"
			: o->status == ST_ORDER_STATUS_PACKING
				? "being packed"
				: st_order_status_to_string(o->status));
	}
	if (!st_store_add_exception(self, o->id, o->number, "central-change-refused", why, 0,
				    error))
		return FALSE;
	*outcome = ST_CENTRAL_ORDER_REFUSED;
	if (detail != NULL)
		*detail = g_steal_pointer(&why);
	return st_store_commit(tx, error);
}

void
st_order_claim_free(StOrderClaim *self)
{
	if (self == NULL)
		return;
	g_free(self->number);
	g_free(self);
}

/**
 * st_store_get_pending_claims:
 * @max: at most this many
 *
 * Returns: (transfer container) (element-type StOrderClaim): the claims not yet told to the
 *   central system, oldest first
 */
GPtrArray *
st_store_get_pending_claims(StStore *self, guint max, GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self,
		"SELECT o.id, o.number FROM order_claims c JOIN orders o ON o.id = c.order_id "
		"WHERE c.state = 'pending' ORDER BY c.made_at LIMIT ?",
		error);
	g_autoptr(GPtrArray) claims =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_order_claim_free);
	gint rc;
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, max);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StOrderClaim *c = g_new0(StOrderClaim, 1);
		c->order_id = sqlite3_column_int64(stmt, 0);
		c->number = g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
		g_ptr_array_add(claims, c);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the claims");
		return NULL;
	}
	return g_steal_pointer(&claims);
}

/**
 * st_store_settle_claim:
 * @state: "held", "conflict" or "unknown" (the central system does not know the order)
 * @holder: (nullable): the station that holds it, for a conflict
 *
 * What the central system answered to a claim. A conflict queues an `exception` event of
 * kind `claim-conflict` in the same transaction; the bench packing the order is told at its
 * next scan (st_store_get_claim_conflict()).
 */
gboolean
st_store_settle_claim(StStore *self,
		      const StOrderClaim *claim,
		      const gchar *state,
		      const gchar *holder,
		      GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *now = st_store_now();

	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(
		self,
		"UPDATE order_claims SET state = ?, holder = ?, settled_at = ? WHERE "
		"order_id = ? AND state = 'pending'",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, state, -1, SQLITE_TRANSIENT);
	if (holder != NULL)
		sqlite3_bind_text(stmt, 2, holder, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, claim->order_id);
	if (!st_store_step_done(self, stmt, "settling a claim", error))
		return FALSE;
	if (g_strcmp0(state, "conflict") == 0) {
		g_autofree gchar *detail = g_strdup_printf(
			"order %s was opened at this station while station %s holds it: it may be "
			"packed twice; one of them must stop",
			claim->number, holder != NULL ? holder : "(not named)");
		if (!st_store_add_exception(self, claim->order_id, claim->number, "claim-conflict",
					    detail, 0, error))
			return FALSE;
	}
	return st_store_commit(tx, error);
}

/* Returns: (transfer full) (nullable): the station that holds @order_id when the central
 * system refused this station's claim on it, else NULL */
gchar *
st_store_get_claim_conflict(StStore *self, gint64 order_id, GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self,
		"SELECT coalesce(holder, '') FROM order_claims WHERE order_id = ? AND state = "
		"'conflict'",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, order_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		return g_strdup((const gchar *)sqlite3_column_text(stmt, 0));
	return NULL;
}
