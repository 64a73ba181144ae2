/*
 * The store's picking verbs (schema 6). A pick list is made from released orders: each is
 * reserved, and what is reserved is allotted to the pick locations (bins) that hold it, the
 * first expiring lot first, then split into picks, one per order line and location, in the
 * route's order (the locations' pick sequence). A pick moves stock from its location to its
 * order's tote (st_store_change_stock, PICK) as it is scanned; it is done once it is in the
 * tote, or short. Each verb is one transaction, or joins the caller's.
 */
#define G_LOG_DOMAIN "station-store"

#include "station/st-error.h"

#include "st-store-private.h"

static const gchar *const pick_modes[ST_PICK_MODE_LAST] = {
	[ST_PICK_MODE_ORDER] = "order",
	[ST_PICK_MODE_BATCH] = "batch",
	[ST_PICK_MODE_CLUSTER] = "cluster",
};

const gchar *
st_pick_mode_to_string(StPickMode mode)
{
	if ((guint)mode >= ST_PICK_MODE_LAST)
		return "unknown";
	return pick_modes[mode];
}

static gboolean
st_pick_mode_from_string(const gchar *str, StPickMode *mode)
{
	for (guint i = 0; i < ST_PICK_MODE_LAST; i++) {
		if (g_strcmp0(pick_modes[i], str) == 0) {
			*mode = i;
			return TRUE;
		}
	}
	return FALSE;
}

void
st_pick_list_free(StPickList *self)
{
	if (self == NULL)
		return;
	g_free(self->code);
	g_free(self->status);
	g_free(self->seat);
	g_free(self->created_at);
	g_free(self);
}

void
st_pick_task_free(StPickTask *self)
{
	if (self == NULL)
		return;
	g_free(self->order_number);
	g_free(self->sku);
	g_free(self->name);
	g_free(self->location);
	g_free(self->location_barcode);
	g_free(self->lot);
	g_free(self->expiry);
	g_free(self->tote);
	g_free(self);
}

void
st_pick_list_order_free(StPickListOrder *self)
{
	if (self == NULL)
		return;
	g_free(self->order_number);
	g_free(self->tote);
	g_free(self);
}

/* the orders a new pick list takes: those named (each released and on no other list), or
 * the N oldest released orders on no list */
static GArray *
st_store_pick_orders(StStore *self,
		     const gchar *const *numbers,
		     guint batch,
		     GPtrArray *names,
		     GError **error)
{
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	static const gchar on_list[] =
		"SELECT p.code FROM picklist_orders po JOIN picklists p ON p.id = po.picklist_id "
		"WHERE po.order_id = ? AND p.status != 'cancelled'";

	if (numbers == NULL) {
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"SELECT o.id, o.number FROM orders o WHERE o.status = 'released' AND NOT "
			"EXISTS (SELECT 1 FROM picklist_orders po JOIN picklists p ON p.id = "
			"po.picklist_id WHERE po.order_id = o.id AND p.status != 'cancelled') "
			"ORDER BY o.id LIMIT ?",
			error);
		gint rc;
		if (stmt == NULL)
			return NULL;
		sqlite3_bind_int64(stmt, 1, batch);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			gint64 id = sqlite3_column_int64(stmt, 0);
			g_array_append_val(ids, id);
			g_ptr_array_add(names, st_column_dup(stmt, 1));
		}
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "choosing orders to pick");
			return NULL;
		}
		if (ids->len == 0) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
				    "no released order is waiting to be picked");
			return NULL;
		}
		return g_steal_pointer(&ids);
	}
	for (guint i = 0; numbers[i] != NULL; i++) {
		g_autoptr(StOrder) order = st_store_find_order(self, numbers[i], error);
		g_autoptr(StStoreStmt) stmt = NULL;
		gint rc;
		if (order == NULL)
			return NULL;
		if (order->status != ST_ORDER_STATUS_RELEASED) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
				    "order %s is %s: only a released order is picked",
				    order->number, st_order_status_to_string(order->status));
			return NULL;
		}
		for (guint j = 0; j < names->len; j++) {
			if (g_strcmp0(g_ptr_array_index(names, j), order->number) == 0) {
				g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
					    "order %s is named twice", order->number);
				return NULL;
			}
		}
		stmt = st_store_prepare(self, on_list, error);
		if (stmt == NULL)
			return NULL;
		sqlite3_bind_int64(stmt, 1, order->id);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_EXISTS,
				    "order %s is on pick list %s already", order->number,
				    (const gchar *)sqlite3_column_text(stmt, 0));
			return NULL;
		}
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "looking for the order's pick list");
			return NULL;
		}
		g_array_append_val(ids, order->id);
		g_ptr_array_add(names, g_strdup(order->number));
	}
	if (ids->len == 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA, "no order named");
		return NULL;
	}
	return g_steal_pointer(&ids);
}

/* allots what a line has reserved to the bins holding it, first expiring first, then by the
 * route; what no bin holds is said in @notes */
static gboolean
st_store_allot_line(StStore *self,
		    gint64 list_id,
		    const gchar *order_number,
		    const StOrderLine *line,
		    gint64 need,
		    const gchar *today,
		    GPtrArray *notes,
		    GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self,
		"SELECT s.location_id, s.lot, s.expiry, sum(s.quantity) - coalesce((SELECT "
		"sum(k.quantity - k.picked - k.short) FROM picks k JOIN picklists p ON p.id = "
		"k.picklist_id JOIN order_lines ol ON ol.id = k.order_line_id WHERE p.status = "
		"'open' AND k.done_at IS NULL AND k.location_id = s.location_id AND ol.product_id "
		"= s.product_id AND k.lot = s.lot AND k.expiry = s.expiry), 0) FROM stock s JOIN "
		"locations l ON l.id = s.location_id WHERE s.product_id = ?1 AND l.kind = 'bin' "
		"AND s.quantity > 0 AND (s.expiry = '' OR s.expiry >= ?2) GROUP BY s.location_id, "
		"s.lot, s.expiry ORDER BY s.expiry = '', s.expiry, l.pick_sequence, l.code",
		error);
	g_autoptr(GArray) takes = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GPtrArray) lots = g_ptr_array_new_with_free_func(g_free);
	gint rc;

	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, line->product_id);
	sqlite3_bind_text(stmt, 2, today, -1, SQLITE_TRANSIENT);
	while (need > 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		gint64 free_qty = sqlite3_column_int64(stmt, 3);
		gint64 take = MIN(free_qty, need);
		gint64 location_id = sqlite3_column_int64(stmt, 0);
		if (take <= 0)
			continue;
		g_array_append_val(takes, location_id);
		g_array_append_val(takes, take);
		g_ptr_array_add(lots, st_column_dup(stmt, 1));
		g_ptr_array_add(lots, st_column_dup(stmt, 2));
		need -= take;
	}
	if (need > 0 && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "finding the stock to pick");
		return FALSE;
	}
	sqlite3_reset(stmt);
	for (guint i = 0; i < lots->len / 2; i++) {
		g_autoptr(StStoreStmt) ins = st_store_prepare(
			self,
			"INSERT INTO picks (picklist_id, seq, order_line_id, location_id, lot, "
			"expiry, quantity) VALUES (?, 0, ?, ?, ?, ?, ?)",
			error);
		if (ins == NULL)
			return FALSE;
		sqlite3_bind_int64(ins, 1, list_id);
		sqlite3_bind_int64(ins, 2, line->id);
		sqlite3_bind_int64(ins, 3, g_array_index(takes, gint64, 2 * i));
		sqlite3_bind_text(ins, 4, g_ptr_array_index(lots, 2 * i), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 5, g_ptr_array_index(lots, 2 * i + 1), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 6, g_array_index(takes, gint64, 2 * i + 1));
		if (!st_store_step_done(self, ins, "writing a pick", error))
			return FALSE;
	}
	if (need > 0)
		g_ptr_array_add(notes,
				g_strdup_printf("order %s line %u: %" G_GINT64_FORMAT
						" of SKU %s reserved but in no pick location (bin) "
						"that is not expired: not on the list",
						order_number, line->line_no, need, line->sku));
	return TRUE;
}

/**
 * st_store_create_pick_list:
 * @orders: (nullable): the order numbers, NULL-terminated; NULL: the @batch oldest released
 *   orders on no pick list
 * @notes: (out) (optional) (element-type utf8): one sentence for each thing left off the list
 *   (stock short of an order, goods in no pick location)
 *
 * Makes a pick list: reserves each order and allots what is reserved to the bins, first
 * expiring first, then orders the picks by the route. One transaction, with a
 * picklist.created event.
 *
 * Returns: (transfer full): the list; NULL with ST_ERROR_NOT_FOUND (an unknown order, no
 *   order waiting), ST_ERROR_EXISTS (an order on another list), ST_ERROR_INVALID_DATA (an
 *   order not released, nothing that can be picked)
 */
StPickList *
st_store_create_pick_list(StStore *self,
			  StPickMode mode,
			  const gchar *const *orders,
			  guint batch,
			  GPtrArray **notes,
			  GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) said = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) ids = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autoptr(GDateTime) now_dt = g_date_time_new_now_local();
	g_autofree gchar *today = g_date_time_format(now_dt, "%Y-%m-%d");
	g_autofree gchar *now = st_store_now();
	g_autofree gchar *code = NULL;
	gint64 list_id, count;

	g_return_val_if_fail(self->db != NULL, NULL);
	g_return_val_if_fail((guint)mode < ST_PICK_MODE_LAST, NULL);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return NULL;
	ids = st_store_pick_orders(self, orders, batch, names, error);
	if (ids == NULL)
		return NULL;
	if (mode == ST_PICK_MODE_ORDER && ids->len != 1) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "a pick list of one order names one order, not %u", ids->len);
		return NULL;
	}
	count = st_store_scalar(self, "SELECT coalesce(max(id), 0) + ? FROM picklists", 1, error);
	if (count == G_MININT64)
		return NULL;
	code = g_strdup_printf("%06" G_GINT64_FORMAT, count);
	{
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"INSERT INTO picklists (code, mode, status, created_at) VALUES (?, ?, "
			"'open', ?)",
			error);
		if (stmt == NULL)
			return NULL;
		sqlite3_bind_text(stmt, 1, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, st_pick_mode_to_string(mode), -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
		if (!st_store_step_done(self, stmt, "writing the pick list", error))
			return NULL;
		list_id = sqlite3_last_insert_rowid(self->db);
	}
	for (guint i = 0; i < ids->len; i++) {
		const gchar *number = g_ptr_array_index(names, i);
		g_autoptr(GPtrArray) shortages = NULL;
		g_autoptr(GPtrArray) lines = NULL;
		g_autoptr(StStoreStmt) stmt =
			st_store_prepare(self,
					 "INSERT INTO picklist_orders (picklist_id, order_id, "
					 "slot) VALUES (?, ?, ?)",
					 error);
		if (stmt == NULL)
			return NULL;
		sqlite3_bind_int64(stmt, 1, list_id);
		sqlite3_bind_int64(stmt, 2, g_array_index(ids, gint64, i));
		sqlite3_bind_int64(stmt, 3, i + 1);
		if (!st_store_step_done(self, stmt, "putting an order on the pick list", error))
			return NULL;
		if (!st_store_reserve_order(self, number, &shortages, error))
			return NULL;
		for (guint j = 0; j < shortages->len; j++)
			g_ptr_array_add(said, g_strdup(g_ptr_array_index(shortages, j)));
		lines = st_store_get_order_lines(self, g_array_index(ids, gint64, i), error);
		if (lines == NULL)
			return NULL;
		for (guint j = 0; j < lines->len; j++) {
			const StOrderLine *line = g_ptr_array_index(lines, j);
			gint64 reserved = st_store_scalar(self,
							  "SELECT coalesce(sum(quantity), 0) FROM "
							  "reservations WHERE order_line_id = ?",
							  line->id, error);
			if (reserved == G_MININT64)
				return NULL;
			if (reserved > 0 && !st_store_allot_line(self, list_id, number, line,
								 reserved, today, said, error))
				return NULL;
		}
	}
	count = st_store_scalar(self, "SELECT count(*) FROM picks WHERE picklist_id = ?", list_id,
				error);
	if (count == G_MININT64)
		return NULL;
	if (count == 0) {
		g_autofree gchar *why =
			said->len > 0 ? g_strjoinv("; ", (gchar **)g_ptr_array_steal(said, NULL))
				      : g_strdup("no line needs anything");
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "nothing of the orders can be picked: %s", why);
		return NULL;
	}
	{
		/* the route: by the locations' pick sequence, then the order's slot */
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"UPDATE picks SET seq = (SELECT r.n FROM (SELECT k.id AS id, row_number() "
			"OVER (ORDER BY l.pick_sequence, l.code, po.slot, ol.line_no, k.id) AS n "
			"FROM "
			"picks k JOIN locations l ON l.id = k.location_id JOIN order_lines ol ON "
			"ol.id = k.order_line_id JOIN picklist_orders po ON po.picklist_id = "
			"k.picklist_id AND po.order_id = ol.order_id WHERE k.picklist_id = ?1) r "
			"WHERE r.id = picks.id) WHERE picklist_id = ?1",
			error);
		if (stmt == NULL)
			return NULL;
		sqlite3_bind_int64(stmt, 1, list_id);
		if (!st_store_step_done(self, stmt, "ordering the route", error))
			return NULL;
	}
	json_builder_begin_object(fields);
	json_builder_set_member_name(fields, "picklist");
	json_builder_add_string_value(fields, code);
	json_builder_set_member_name(fields, "mode");
	json_builder_add_string_value(fields, st_pick_mode_to_string(mode));
	json_builder_set_member_name(fields, "orders");
	json_builder_begin_array(fields);
	for (guint i = 0; i < names->len; i++)
		json_builder_add_string_value(fields, g_ptr_array_index(names, i));
	json_builder_end_array(fields);
	json_builder_set_member_name(fields, "picks");
	json_builder_add_int_value(fields, count);
	if (!st_store_insert_event(self, "picklist.created", 0, fields, now, error) ||
	    !st_store_commit(tx, error))
		return NULL;
	if (notes != NULL)
		*notes = g_steal_pointer(&said);
	return st_store_get_pick_list(self, list_id, error);
}

#define ST_PICK_LIST_SELECT                                                                        \
	"SELECT p.id, p.code, p.mode, p.status, p.seat, p.created_at, (SELECT count(*) FROM "      \
	"picklist_orders WHERE picklist_id = p.id), (SELECT count(*) FROM picklist_orders WHERE "  \
	"picklist_id = p.id AND tote_id IS NOT NULL), (SELECT count(*) FROM picks WHERE "          \
	"picklist_id = p.id), (SELECT count(*) FROM picks WHERE picklist_id = p.id AND done_at "   \
	"IS NOT NULL), (SELECT coalesce(sum(quantity), 0) FROM picks WHERE picklist_id = p.id), "  \
	"(SELECT coalesce(sum(picked), 0) FROM picks WHERE picklist_id = p.id), (SELECT "          \
	"coalesce(sum(short), 0) FROM picks WHERE picklist_id = p.id) FROM picklists p "

static StPickList *
st_store_read_pick_list(StStore *self, sqlite3_stmt *stmt, GError **error)
{
	g_autoptr(StPickList) list = g_new0(StPickList, 1);
	list->id = sqlite3_column_int64(stmt, 0);
	list->code = st_column_dup(stmt, 1);
	if (!st_pick_mode_from_string((const gchar *)sqlite3_column_text(stmt, 2), &list->mode)) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_CORRUPT,
			    "pick list %s has an unknown mode", list->code);
		return NULL;
	}
	list->status = st_column_dup(stmt, 3);
	list->seat = st_column_dup(stmt, 4);
	list->created_at = st_column_dup(stmt, 5);
	list->orders = (guint)sqlite3_column_int64(stmt, 6);
	list->totes_set = (guint)sqlite3_column_int64(stmt, 7);
	list->picks = (guint)sqlite3_column_int64(stmt, 8);
	list->picks_done = (guint)sqlite3_column_int64(stmt, 9);
	list->units = (guint)sqlite3_column_int64(stmt, 10);
	list->units_picked = (guint)sqlite3_column_int64(stmt, 11);
	list->units_short = (guint)sqlite3_column_int64(stmt, 12);
	return g_steal_pointer(&list);
}

static StPickList *
st_store_query_pick_list(StStore *self,
			 const gchar *where,
			 const gchar *text,
			 gint64 id,
			 const gchar *what,
			 GError **error)
{
	g_autofree gchar *sql = g_strconcat(ST_PICK_LIST_SELECT, where, NULL);
	g_autoptr(StStoreStmt) stmt = st_store_prepare(self, sql, error);
	gint rc;

	if (stmt == NULL)
		return NULL;
	if (text != NULL)
		sqlite3_bind_text(stmt, 1, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no pick list %s", what);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "reading a pick list");
		return NULL;
	}
	return st_store_read_pick_list(self, stmt, error);
}

/* Returns: (transfer full): the list whose barcode's key is @code; NULL with
 * ST_ERROR_NOT_FOUND */
StPickList *
st_store_find_pick_list(StStore *self, const gchar *code, GError **error)
{
	g_return_val_if_fail(self->db != NULL, NULL);
	return st_store_query_pick_list(self, "WHERE p.code = ?", code, 0, code, error);
}

StPickList *
st_store_get_pick_list(StStore *self, gint64 id, GError **error)
{
	g_autofree gchar *what = g_strdup_printf("%" G_GINT64_FORMAT, id);
	g_return_val_if_fail(self->db != NULL, NULL);
	return st_store_query_pick_list(self, "WHERE p.id = ?", NULL, id, what, error);
}

/* Returns: (transfer full) (nullable): the open list being picked at @seat; NULL with
 * ST_ERROR_NOT_FOUND when none */
StPickList *
st_store_get_seat_pick_list(StStore *self, const gchar *seat, GError **error)
{
	g_return_val_if_fail(self->db != NULL, NULL);
	return st_store_query_pick_list(self, "WHERE p.seat = ? AND p.status = 'open'", seat, 0,
					"is being picked here", error);
}

/* Returns: (transfer container) (element-type StPickList): the newest first, at most
 * @limit (0: all) */
GPtrArray *
st_store_get_pick_lists(StStore *self, gboolean open_only, guint limit, GError **error)
{
	g_autofree gchar *sql =
		g_strconcat(ST_PICK_LIST_SELECT, open_only ? "WHERE p.status = 'open' " : "",
			    "ORDER BY p.id DESC LIMIT ?", NULL);
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(GPtrArray) lists =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_pick_list_free);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self, sql, error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, limit > 0 ? (gint64)limit : -1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StPickList *list = st_store_read_pick_list(self, stmt, error);
		if (list == NULL)
			return NULL;
		g_ptr_array_add(lists, list);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "listing pick lists");
		return NULL;
	}
	return g_steal_pointer(&lists);
}

/* Returns: (transfer container) (element-type StPickTask): the list's picks in the route's
 * order (a skipped pick at the end) */
GPtrArray *
st_store_get_pick_tasks(StStore *self, gint64 list_id, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(GPtrArray) tasks =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_pick_task_free);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(
		self,
		"SELECT k.id, k.seq, o.number, po.slot, ol.line_no, pr.id, pr.sku, pr.name, "
		"l.code, "
		"coalesce(l.barcode, ''), k.lot, k.expiry, pr.track_lot, pr.track_expiry, "
		"pr.track_serial, k.quantity, k.picked, k.short, t.code, k.done_at IS NOT NULL "
		"FROM picks k JOIN order_lines ol ON ol.id = k.order_line_id JOIN orders o ON o.id "
		"= ol.order_id JOIN products pr ON pr.id = ol.product_id JOIN locations l ON l.id "
		"= k.location_id JOIN picklist_orders po ON po.picklist_id = k.picklist_id AND "
		"po.order_id = o.id LEFT JOIN locations t ON t.id = po.tote_id WHERE k.picklist_id "
		"= ? ORDER BY k.seq, k.id",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, list_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StPickTask *t = g_new0(StPickTask, 1);
		t->id = sqlite3_column_int64(stmt, 0);
		t->seq = (guint)sqlite3_column_int64(stmt, 1);
		t->order_number = st_column_dup(stmt, 2);
		t->slot = (guint)sqlite3_column_int64(stmt, 3);
		t->line_no = (guint)sqlite3_column_int64(stmt, 4);
		t->product_id = sqlite3_column_int64(stmt, 5);
		t->sku = st_column_dup(stmt, 6);
		t->name = st_column_dup(stmt, 7);
		t->location = st_column_dup(stmt, 8);
		t->location_barcode = st_column_dup(stmt, 9);
		t->lot = st_column_dup(stmt, 10);
		t->expiry = st_column_dup(stmt, 11);
		t->track_lot = sqlite3_column_int(stmt, 12) != 0;
		t->track_expiry = sqlite3_column_int(stmt, 13) != 0;
		t->track_serial = sqlite3_column_int(stmt, 14) != 0;
		t->quantity = (guint)sqlite3_column_int64(stmt, 15);
		t->picked = (guint)sqlite3_column_int64(stmt, 16);
		t->short_qty = (guint)sqlite3_column_int64(stmt, 17);
		t->tote = st_column_dup(stmt, 18);
		t->done = sqlite3_column_int(stmt, 19) != 0;
		g_ptr_array_add(tasks, t);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the picks");
		return NULL;
	}
	return g_steal_pointer(&tasks);
}

/* Returns: (transfer container) (element-type StPickListOrder): by slot */
GPtrArray *
st_store_get_pick_list_orders(StStore *self, gint64 list_id, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(GPtrArray) orders =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_pick_list_order_free);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(
		self,
		"SELECT o.id, o.number, po.slot, t.code FROM picklist_orders po "
		"JOIN orders o ON o.id = po.order_id LEFT JOIN locations t ON t.id = "
		"po.tote_id WHERE po.picklist_id = ? ORDER BY po.slot",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, list_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StPickListOrder *o = g_new0(StPickListOrder, 1);
		o->order_id = sqlite3_column_int64(stmt, 0);
		o->order_number = st_column_dup(stmt, 1);
		o->slot = (guint)sqlite3_column_int64(stmt, 2);
		o->tote = st_column_dup(stmt, 3);
		g_ptr_array_add(orders, o);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the pick list's orders");
		return NULL;
	}
	return g_steal_pointer(&orders);
}

/**
 * st_store_claim_pick_list:
 *
 * @seat picks the list from now on (a seat picks one list at a time: one it held before is
 * left).
 *
 * Returns: FALSE with ST_ERROR_EXISTS when another seat is picking it (the message names the
 *   seat), ST_ERROR_INVALID_DATA when it is done or cancelled
 */
gboolean
st_store_claim_pick_list(StStore *self, gint64 list_id, const gchar *seat, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StPickList) list = NULL;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	list = st_store_get_pick_list(self, list_id, error);
	if (list == NULL)
		return FALSE;
	if (g_strcmp0(list->status, "open") != 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA, "pick list %s is %s",
			    list->code, list->status);
		return FALSE;
	}
	if (list->seat != NULL && g_strcmp0(list->seat, seat) != 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_EXISTS, "%s", list->seat);
		return FALSE;
	}
	{
		g_autoptr(StStoreStmt) leave = st_store_prepare(
			self, "UPDATE picklists SET seat = NULL WHERE seat = ? AND status = 'open'",
			error);
		g_autoptr(StStoreStmt) claim = NULL;
		if (leave == NULL)
			return FALSE;
		sqlite3_bind_text(leave, 1, seat, -1, SQLITE_TRANSIENT);
		if (!st_store_step_done(self, leave, "leaving a pick list", error))
			return FALSE;
		claim = st_store_prepare(self, "UPDATE picklists SET seat = ? WHERE id = ?", error);
		if (claim == NULL)
			return FALSE;
		sqlite3_bind_text(claim, 1, seat, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(claim, 2, list_id);
		if (!st_store_step_done(self, claim, "taking a pick list", error))
			return FALSE;
	}
	return st_store_commit(tx, error);
}

/* nobody picks the list now: another picker may go on with it */
gboolean
st_store_leave_pick_list(StStore *self, gint64 list_id, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(self, "UPDATE picklists SET seat = NULL WHERE id = ?", error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, list_id);
	if (!st_store_step_done(self, stmt, "leaving a pick list", error))
		return FALSE;
	return st_store_commit(tx, error);
}

/* the location a scan names: by its barcode, its code, or the key of the station's barcode
 * pattern; Returns: (transfer full): its code, and its kind in @kind; NULL with
 * ST_ERROR_NOT_FOUND */
static gchar *
st_store_lookup_location(StStore *self,
			 const gchar *text,
			 const gchar *key,
			 gint64 *id,
			 gchar **kind,
			 GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self,
		"SELECT id, code, kind FROM locations WHERE barcode = ?1 OR code = ?1 OR code = ?2 "
		"ORDER BY barcode = ?1 DESC, code = ?1 DESC LIMIT 1",
		error);
	gint rc;
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, key != NULL ? key : text, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no location %s", text);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "looking up a location");
		return NULL;
	}
	if (id != NULL)
		*id = sqlite3_column_int64(stmt, 0);
	if (kind != NULL)
		*kind = st_column_dup(stmt, 2);
	return st_column_dup(stmt, 1);
}

/* Returns: (transfer full): the code of the location a scan names (@text, and @key its key
 * by the station's barcode patterns); NULL with ST_ERROR_NOT_FOUND */
gchar *
st_store_find_location_code(StStore *self, const gchar *text, const gchar *key, GError **error)
{
	g_return_val_if_fail(self->db != NULL, NULL);
	return st_store_lookup_location(self, text, key, NULL, NULL, error);
}

/**
 * st_store_set_pick_tote:
 * @slot: the order's slot in a cluster; any slot in one tote for all (order, batch)
 * @text: the tote's scan; @key: its key by the [barcodes] tote pattern
 *
 * The tote the goods of the order in @slot (of every order, but in a cluster) go in. A tote
 * scanned for the first time becomes a location of kind tote, with the scan as code and
 * barcode.
 *
 * Returns: (transfer full): the tote's code; NULL with ST_ERROR_EXISTS when the tote is in
 *   use (holds goods, or goes with an order not packed yet; the message says which),
 *   ST_ERROR_INVALID_DATA when the location is not a tote or cart
 */
gchar *
st_store_set_pick_tote(StStore *self,
		       gint64 list_id,
		       guint slot,
		       const gchar *text,
		       const gchar *key,
		       GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StPickList) list = NULL;
	g_autofree gchar *kind = NULL;
	g_autofree gchar *code = NULL;
	gint64 tote_id = 0, held;

	g_return_val_if_fail(self->db != NULL, NULL);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return NULL;
	list = st_store_get_pick_list(self, list_id, error);
	if (list == NULL)
		return NULL;
	code = st_store_lookup_location(self, text, key, &tote_id, &kind, &error_local);
	if (code == NULL) {
		g_autoptr(StStoreStmt) stmt = NULL;
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		if (!st_store_check_text("tote", text, 64, error))
			return NULL;
		stmt = st_store_prepare(
			self,
			"INSERT INTO locations (code, barcode, kind) VALUES (?1, ?1, "
			"'tote')",
			error);
		if (stmt == NULL)
			return NULL;
		sqlite3_bind_text(stmt, 1, text, -1, SQLITE_TRANSIENT);
		if (!st_store_step_done(self, stmt, "adding the tote", error))
			return NULL;
		tote_id = sqlite3_last_insert_rowid(self->db);
		code = g_strdup(text);
	} else if (g_strcmp0(kind, "tote") != 0 && g_strcmp0(kind, "cart") != 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "%s is a location of kind %s, not a tote or cart", code, kind);
		return NULL;
	}
	{
		/* an order not packed yet whose goods go in it (on this list: another slot) */
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"SELECT o.number, p.code FROM picklist_orders po JOIN picklists p ON p.id "
			"= "
			"po.picklist_id JOIN orders o ON o.id = po.order_id WHERE po.tote_id = ?1 "
			"AND "
			"p.status != 'cancelled' AND o.status IN ('released', 'packing') AND NOT "
			"(po.picklist_id = ?2 AND (?3 OR po.slot = ?4)) LIMIT 1",
			error);
		gint rc;
		if (stmt == NULL)
			return NULL;
		sqlite3_bind_int64(stmt, 1, tote_id);
		sqlite3_bind_int64(stmt, 2, list_id);
		sqlite3_bind_int(stmt, 3, list->mode != ST_PICK_MODE_CLUSTER);
		sqlite3_bind_int64(stmt, 4, slot);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_EXISTS,
				    "tote %s goes with order %s (pick list %s), not packed yet",
				    code, (const gchar *)sqlite3_column_text(stmt, 0),
				    (const gchar *)sqlite3_column_text(stmt, 1));
			return NULL;
		}
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "looking for the tote's orders");
			return NULL;
		}
	}
	held = st_store_scalar(self,
			       "SELECT coalesce(sum(quantity), 0) FROM stock WHERE location_id = ?",
			       tote_id, error);
	if (held == G_MININT64)
		return NULL;
	if (held > 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_EXISTS,
			    "tote %s holds %" G_GINT64_FORMAT " units already", code, held);
		return NULL;
	}
	{
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"UPDATE picklist_orders SET tote_id = ?1 WHERE picklist_id = ?2 AND (?3 OR "
			"slot = ?4)",
			error);
		if (stmt == NULL)
			return NULL;
		sqlite3_bind_int64(stmt, 1, tote_id);
		sqlite3_bind_int64(stmt, 2, list_id);
		sqlite3_bind_int(stmt, 3, list->mode != ST_PICK_MODE_CLUSTER);
		sqlite3_bind_int64(stmt, 4, slot);
		if (!st_store_step_done(self, stmt, "setting the tote", error))
			return NULL;
	}
	if (!st_store_commit(tx, error))
		return NULL;
	return g_steal_pointer(&code);
}

/**
 * st_store_pick:
 * @quantity: units the scan counts (a case counts its pack quantity)
 * @lot, @expiry, @serial: (nullable): what the goods are, as scanned or asked
 *
 * Records units of @task taken from its location into its order's tote: the ledger's PICK
 * row (and its stock.pick event) and the pick's count, with the scan for undo.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA when the pick wants fewer, or the stock at the
 *   location does not allow it (st_store_change_stock()), ST_ERROR_NOT_FOUND without a tote
 */
gboolean
st_store_pick(StStore *self,
	      const StPickTask *task,
	      guint quantity,
	      const gchar *lot,
	      const gchar *expiry,
	      const gchar *serial,
	      gint64 scan_id,
	      const gchar *operator_name,
	      GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	StStockChange change = {.kind = ST_LEDGER_PICK,
				.sku = task->sku,
				.quantity = quantity,
				.from = task->location,
				.to = task->tote,
				.lot = lot,
				.expiry = expiry,
				.serial = serial,
				.order_number = task->order_number,
				.line_no = task->line_no,
				.scan_id = scan_id,
				.operator_name = operator_name};

	g_return_val_if_fail(self->db != NULL, FALSE);
	if (task->tote == NULL) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
			    _("order %s has no tote yet"), task->order_number);
		return FALSE;
	}
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(
		self,
		"UPDATE picks SET picked = picked + ?1 WHERE id = ?2 AND done_at IS "
		"NULL AND picked + short + ?1 <= quantity",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, quantity);
	sqlite3_bind_int64(stmt, 2, task->id);
	if (!st_store_step_done(self, stmt, "counting a pick", error))
		return FALSE;
	if (sqlite3_changes(self->db) != 1) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    _("the pick of SKU %s for order %s wants fewer than %u"), task->sku,
			    task->order_number, quantity);
		return FALSE;
	}
	if (!st_store_change_stock(self, &change, NULL, error))
		return FALSE;
	g_clear_pointer(&stmt, st_store_stmt_unref);
	stmt = st_store_prepare(self,
				"INSERT INTO pick_scans (scan_id, pick_id, quantity, lot, expiry, "
				"serial) VALUES (?, ?, ?, ?, ?, ?)",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, scan_id);
	sqlite3_bind_int64(stmt, 2, task->id);
	sqlite3_bind_int64(stmt, 3, quantity);
	sqlite3_bind_text(stmt, 4, st_nz(lot), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 5, st_nz(expiry), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 6, st_nz(serial), -1, SQLITE_TRANSIENT);
	if (!st_store_step_done(self, stmt, "keeping the pick scan", error))
		return FALSE;
	return st_store_commit(tx, error);
}

/* after a pick is done: its order is picked once all its picks on the list are (an
 * order.picked event with each line's picked and short units), the list is done once all
 * its picks are (a picklist.done event; nobody picks it any more) */
static gboolean
st_store_pick_finished(StStore *self,
		       const StPickTask *task,
		       const gchar *now,
		       gboolean *order_picked,
		       gboolean *list_done,
		       GError **error)
{
	gint64 list_id, order_id, open;
	{
		g_autoptr(StStoreStmt) stmt =
			st_store_prepare(self,
					 "SELECT k.picklist_id, ol.order_id FROM picks k JOIN "
					 "order_lines ol ON ol.id "
					 "= k.order_line_id WHERE k.id = ?",
					 error);
		gint rc;
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_int64(stmt, 1, task->id);
		rc = sqlite3_step(stmt);
		if (rc != SQLITE_ROW) {
			st_store_set_error(self, error, rc, "reading a pick");
			return FALSE;
		}
		list_id = sqlite3_column_int64(stmt, 0);
		order_id = sqlite3_column_int64(stmt, 1);
	}
	{
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"SELECT count(*) FROM picks k JOIN order_lines ol ON ol.id = "
			"k.order_line_id "
			"WHERE k.picklist_id = ? AND ol.order_id = ? AND k.done_at IS NULL",
			error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_int64(stmt, 1, list_id);
		sqlite3_bind_int64(stmt, 2, order_id);
		if (sqlite3_step(stmt) != SQLITE_ROW) {
			st_store_set_error(self, error, sqlite3_errcode(self->db),
					   "counting the order's picks");
			return FALSE;
		}
		open = sqlite3_column_int64(stmt, 0);
	}
	*order_picked = open == 0;
	if (open == 0) {
		g_autoptr(JsonBuilder) fields = json_builder_new();
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"SELECT ol.line_no, pr.sku, sum(k.quantity), sum(k.picked), sum(k.short), "
			"group_concat(DISTINCT k.short_reason) FROM picks k JOIN order_lines ol ON "
			"ol.id = k.order_line_id JOIN products pr ON pr.id = ol.product_id WHERE "
			"k.picklist_id = ? AND ol.order_id = ? GROUP BY ol.id ORDER BY ol.line_no",
			error);
		g_autoptr(StStoreStmt) mark = NULL;
		gint rc;
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_int64(stmt, 1, list_id);
		sqlite3_bind_int64(stmt, 2, order_id);
		json_builder_begin_object(fields);
		json_builder_set_member_name(fields, "order");
		json_builder_add_string_value(fields, task->order_number);
		json_builder_set_member_name(fields, "tote");
		json_builder_add_string_value(fields, st_nz(task->tote));
		json_builder_set_member_name(fields, "lines");
		json_builder_begin_array(fields);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			json_builder_begin_object(fields);
			json_builder_set_member_name(fields, "line");
			json_builder_add_int_value(fields, sqlite3_column_int64(stmt, 0));
			json_builder_set_member_name(fields, "sku");
			json_builder_add_string_value(fields,
						      (const gchar *)sqlite3_column_text(stmt, 1));
			json_builder_set_member_name(fields, "quantity");
			json_builder_add_int_value(fields, sqlite3_column_int64(stmt, 2));
			json_builder_set_member_name(fields, "picked");
			json_builder_add_int_value(fields, sqlite3_column_int64(stmt, 3));
			json_builder_set_member_name(fields, "short");
			json_builder_add_int_value(fields, sqlite3_column_int64(stmt, 4));
			json_builder_end_object(fields);
		}
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "reading the order's picks");
			return FALSE;
		}
		json_builder_end_array(fields);
		if (!st_store_insert_event(self, "order.picked", order_id, fields, now, error))
			return FALSE;
		mark = st_store_prepare(
			self,
			"UPDATE picklist_orders SET picked_at = ? WHERE picklist_id = "
			"? AND order_id = ?",
			error);
		if (mark == NULL)
			return FALSE;
		sqlite3_bind_text(mark, 1, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(mark, 2, list_id);
		sqlite3_bind_int64(mark, 3, order_id);
		if (!st_store_step_done(self, mark, "marking the order picked", error))
			return FALSE;
	}
	open = st_store_scalar(
		self, "SELECT count(*) FROM picks WHERE picklist_id = ? AND done_at IS NULL",
		list_id, error);
	if (open == G_MININT64)
		return FALSE;
	*list_done = open == 0;
	if (open == 0) {
		g_autoptr(StPickList) list = st_store_get_pick_list(self, list_id, error);
		g_autoptr(JsonBuilder) fields = json_builder_new();
		g_autoptr(StStoreStmt) stmt = NULL;
		if (list == NULL)
			return FALSE;
		stmt = st_store_prepare(self,
					"UPDATE picklists SET status = 'done', seat = NULL, "
					"finished_at = ? WHERE id = ?",
					error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, list_id);
		if (!st_store_step_done(self, stmt, "closing the pick list", error))
			return FALSE;
		json_builder_begin_object(fields);
		json_builder_set_member_name(fields, "picklist");
		json_builder_add_string_value(fields, list->code);
		json_builder_set_member_name(fields, "units");
		json_builder_add_int_value(fields, list->units);
		json_builder_set_member_name(fields, "picked");
		json_builder_add_int_value(fields, list->units_picked);
		json_builder_set_member_name(fields, "short");
		json_builder_add_int_value(fields, list->units_short);
		if (!st_store_insert_event(self, "picklist.done", 0, fields, now, error))
			return FALSE;
	}
	return TRUE;
}

/**
 * st_store_pick_into_tote:
 * @order_picked: (out): the pick was its order's last
 * @list_done: (out): the pick was the list's last: the list is done
 *
 * A pick whose units are all taken (or short) is in its tote: it is done.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA when units of it are still to take
 */
gboolean
st_store_pick_into_tote(StStore *self,
			const StPickTask *task,
			gint64 scan_id,
			gboolean *order_picked,
			gboolean *list_done,
			GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *now = st_store_now();

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(self,
				"UPDATE picks SET done_at = ? WHERE id = ? AND done_at IS NULL AND "
				"picked + short = quantity",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, task->id);
	if (!st_store_step_done(self, stmt, "putting a pick in its tote", error))
		return FALSE;
	if (sqlite3_changes(self->db) != 1) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "the pick of SKU %s for order %s is not complete", task->sku,
			    task->order_number);
		return FALSE;
	}
	(void)scan_id;
	if (!st_store_pick_finished(self, task, now, order_picked, list_done, error))
		return FALSE;
	return st_store_commit(tx, error);
}

/**
 * st_store_short_pick:
 * @reason: why ("not-found", "damaged")
 *
 * What of @task is still to take is not there: it is marked short with @reason, the order
 * line's reservation shrinks by it, and a pick.short exception is queued. A pick with no unit
 * taken is done at once; one with units taken is done once they are in the tote.
 */
gboolean
st_store_short_pick(StStore *self,
		    const StPickTask *task,
		    const gchar *reason,
		    gint64 scan_id,
		    gboolean *order_picked,
		    gboolean *list_done,
		    GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autofree gchar *now = st_store_now();
	guint missing = task->quantity - task->picked - task->short_qty;
	gint64 line_id, order_id;

	g_return_val_if_fail(self->db != NULL, FALSE);
	*order_picked = *list_done = FALSE;
	if (missing == 0 || task->picked + task->short_qty > task->quantity) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "nothing of the pick of SKU %s for order %s is left to take", task->sku,
			    task->order_number);
		return FALSE;
	}
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(
		self,
		"UPDATE picks SET short = short + ?1, short_reason = ?2, done_at = "
		"CASE WHEN picked = 0 THEN ?3 END WHERE id = ?4 AND done_at IS NULL "
		"AND picked + short + ?1 = quantity",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, missing);
	sqlite3_bind_text(stmt, 2, reason, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, task->id);
	if (!st_store_step_done(self, stmt, "marking a pick short", error))
		return FALSE;
	if (sqlite3_changes(self->db) != 1) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "the pick of SKU %s for order %s changed meanwhile", task->sku,
			    task->order_number);
		return FALSE;
	}
	g_clear_pointer(&stmt, st_store_stmt_unref);
	stmt = st_store_prepare(self,
				"SELECT k.order_line_id, ol.order_id FROM picks k JOIN order_lines "
				"ol ON ol.id = k.order_line_id WHERE k.id = ?",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, task->id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		st_store_set_error(self, error, sqlite3_errcode(self->db), "reading a pick");
		return FALSE;
	}
	line_id = sqlite3_column_int64(stmt, 0);
	order_id = sqlite3_column_int64(stmt, 1);
	if (!st_store_release_reservation(self, line_id, missing, error))
		return FALSE;
	json_builder_begin_object(fields);
	json_builder_set_member_name(fields, "order");
	json_builder_add_string_value(fields, task->order_number);
	json_builder_set_member_name(fields, "line");
	json_builder_add_int_value(fields, task->line_no);
	json_builder_set_member_name(fields, "sku");
	json_builder_add_string_value(fields, task->sku);
	json_builder_set_member_name(fields, "location");
	json_builder_add_string_value(fields, task->location);
	json_builder_set_member_name(fields, "short");
	json_builder_add_int_value(fields, missing);
	json_builder_set_member_name(fields, "reason");
	json_builder_add_string_value(fields, reason);
	json_builder_set_member_name(fields, "scan");
	json_builder_add_int_value(fields, scan_id);
	if (!st_store_insert_event(self, "pick.short", order_id, fields, now, error))
		return FALSE;
	{
		g_autofree gchar *detail =
			g_strdup_printf("%u of SKU %s missing at %s for line %u (%s)", missing,
					task->sku, task->location, task->line_no, reason);
		if (!st_store_add_exception(self, order_id, task->order_number, "short-pick",
					    detail, scan_id, error))
			return FALSE;
	}
	if (task->picked == 0 &&
	    !st_store_pick_finished(self, task, now, order_picked, list_done, error))
		return FALSE;
	return st_store_commit(tx, error);
}

/* the pick goes to the end of the route (the picker comes back for it) */
gboolean
st_store_skip_pick(StStore *self, const StPickTask *task, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(self,
				"UPDATE picks SET seq = (SELECT max(seq) + 1 FROM picks k WHERE "
				"k.picklist_id = picks.picklist_id) WHERE id = ?",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, task->id);
	if (!st_store_step_done(self, stmt, "skipping a pick", error))
		return FALSE;
	return st_store_commit(tx, error);
}

/**
 * st_store_undo_pick:
 * @scan_id: the undo's scan
 * @undone: (out): what was taken back
 *
 * Takes back the last pick scan of the list not undone yet: the units go from the tote back
 * to the location they came from (a MOVE in the ledger, noting the scan undone), the pick
 * counts them no more and is no longer done.
 *
 * Returns: FALSE with ST_ERROR_NOT_FOUND when nothing is left to undo
 */
gboolean
st_store_undo_pick(StStore *self, gint64 list_id, gint64 scan_id, StUndone *undone, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *note = NULL;
	g_autofree gchar *lot = NULL, *expiry = NULL, *serial = NULL, *order_number = NULL;
	g_autofree gchar *location = NULL, *tote = NULL;
	gint64 undo_scan, pick_id, quantity;
	gint rc;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(
		self,
		"SELECT s.scan_id, s.pick_id, s.quantity, s.lot, s.expiry, s.serial, pr.sku, "
		"ol.line_no, o.number, l.code, t.code FROM pick_scans s JOIN picks k ON k.id = "
		"s.pick_id JOIN order_lines ol ON ol.id = k.order_line_id JOIN orders o ON o.id = "
		"ol.order_id JOIN products pr ON pr.id = ol.product_id JOIN locations l ON l.id = "
		"k.location_id JOIN picklist_orders po ON po.picklist_id = k.picklist_id AND "
		"po.order_id = o.id JOIN locations t ON t.id = po.tote_id WHERE k.picklist_id = ? "
		"AND s.undone_by IS NULL ORDER BY s.scan_id DESC LIMIT 1",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, list_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "nothing picked to undo");
		return FALSE;
	}
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "finding the last pick");
		return FALSE;
	}
	undo_scan = sqlite3_column_int64(stmt, 0);
	pick_id = sqlite3_column_int64(stmt, 1);
	quantity = sqlite3_column_int64(stmt, 2);
	lot = st_column_dup(stmt, 3);
	expiry = st_column_dup(stmt, 4);
	serial = st_column_dup(stmt, 5);
	undone->sku = st_column_dup(stmt, 6);
	undone->line_no = (guint)sqlite3_column_int64(stmt, 7);
	order_number = st_column_dup(stmt, 8);
	location = st_column_dup(stmt, 9);
	tote = st_column_dup(stmt, 10);
	undone->quantity = (guint)quantity;
	undone->scan_id = undo_scan;
	g_clear_pointer(&stmt, st_store_stmt_unref);

	note = g_strdup_printf("undo of pick scan %" G_GINT64_FORMAT " (order %s)", undo_scan,
			       order_number);
	{
		StStockChange change = {.kind = ST_LEDGER_MOVE,
					.sku = undone->sku,
					.quantity = quantity,
					.from = tote,
					.to = location,
					.lot = lot,
					.expiry = expiry,
					.serial = serial,
					.scan_id = scan_id,
					.note = note};
		if (!st_store_change_stock(self, &change, NULL, error))
			return FALSE;
	}
	stmt = st_store_prepare(
		self, "UPDATE picks SET picked = picked - ?, done_at = NULL WHERE id = ?", error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, quantity);
	sqlite3_bind_int64(stmt, 2, pick_id);
	if (!st_store_step_done(self, stmt, "taking a pick back", error))
		return FALSE;
	g_clear_pointer(&stmt, st_store_stmt_unref);
	stmt = st_store_prepare(self,
				"UPDATE picklist_orders SET picked_at = NULL WHERE picklist_id = ? "
				"AND order_id = (SELECT id FROM orders WHERE number = ?)",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, list_id);
	sqlite3_bind_text(stmt, 2, order_number, -1, SQLITE_TRANSIENT);
	if (!st_store_step_done(self, stmt, "taking a pick back", error))
		return FALSE;
	g_clear_pointer(&stmt, st_store_stmt_unref);
	stmt = st_store_prepare(self, "UPDATE pick_scans SET undone_by = ? WHERE scan_id = ?",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int64(stmt, 1, scan_id);
	sqlite3_bind_int64(stmt, 2, undo_scan);
	if (!st_store_step_done(self, stmt, "taking a pick back", error))
		return FALSE;
	return st_store_commit(tx, error);
}

/**
 * st_store_get_order_tote:
 * @still_picking: (out) (optional): the order is on a pick list whose picks for it are not
 *   all done
 *
 * Returns: (transfer full) (nullable): the code of the tote the order was picked into; NULL
 *   with no error when it is on no pick list (or has no tote yet)
 */
gchar *
st_store_get_order_tote(StStore *self, gint64 order_id, gboolean *still_picking, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	if (still_picking != NULL)
		*still_picking = FALSE;
	stmt = st_store_prepare(
		self,
		"SELECT t.code, po.picked_at IS NULL FROM picklist_orders po JOIN "
		"picklists p ON p.id = po.picklist_id LEFT JOIN locations t ON t.id "
		"= po.tote_id WHERE po.order_id = ? AND p.status != 'cancelled' "
		"ORDER BY p.id DESC LIMIT 1",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, order_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		return NULL;
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "looking for the order's tote");
		return NULL;
	}
	if (still_picking != NULL)
		*still_picking = sqlite3_column_int(stmt, 1) != 0;
	return st_column_dup(stmt, 0);
}

/**
 * st_store_next_order_to_pack:
 * @tote_text: (nullable): a tote's scan, and @tote_key its key
 * @list_code: (nullable): a pick list's code
 *
 * Returns: (transfer full): the first order (by its slot) picked into the tote or on the
 *   list that is not packed yet; NULL with ST_ERROR_NOT_FOUND when none is
 */
StOrder *
st_store_next_order_to_pack(StStore *self,
			    const gchar *tote_text,
			    const gchar *tote_key,
			    const gchar *list_code,
			    GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *number = NULL;
	gint64 tote_id = 0;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	if (tote_text != NULL) {
		g_autofree gchar *code =
			st_store_lookup_location(self, tote_text, tote_key, &tote_id, NULL, error);
		if (code == NULL)
			return NULL;
	}
	stmt = st_store_prepare(
		self,
		"SELECT o.number FROM picklist_orders po JOIN picklists p ON p.id = "
		"po.picklist_id JOIN orders o ON o.id = po.order_id WHERE "
		"p.status != 'cancelled' AND o.status IN ('released', 'packing') AND "
		"(po.tote_id = ?1 OR p.code = ?2) ORDER BY po.picked_at IS NULL, "
		"o.status = 'packing' DESC, p.id, po.slot LIMIT 1",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, tote_id);
	if (list_code != NULL)
		sqlite3_bind_text(stmt, 2, list_code, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no order to pack in %s",
			    tote_text != NULL ? tote_text : list_code);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "looking for the order to pack");
		return NULL;
	}
	number = st_column_dup(stmt, 0);
	g_clear_pointer(&stmt, st_store_stmt_unref);
	return st_store_find_order(self, number, error);
}

/**
 * st_store_get_pick_list_document:
 *
 * The data of a pick list's sheet (template picklist): `picklist` (its code), `mode`,
 * `created`, `units`, `orders[]` (slot, order, tote or ""), `picks[]` in the route's order
 * (seq, location, sku, name, quantity, lot, expiry, order, slot). The caller adds `barcode`.
 *
 * Returns: (transfer full): a JSON object; NULL with ST_ERROR_NOT_FOUND
 */
JsonNode *
st_store_get_pick_list_document(StStore *self, gint64 id, GError **error)
{
	g_autoptr(StPickList) list = st_store_get_pick_list(self, id, error);
	g_autoptr(GPtrArray) orders = NULL;
	g_autoptr(GPtrArray) tasks = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();

	if (list == NULL)
		return NULL;
	orders = st_store_get_pick_list_orders(self, id, error);
	if (orders == NULL)
		return NULL;
	tasks = st_store_get_pick_tasks(self, id, error);
	if (tasks == NULL)
		return NULL;
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "picklist");
	json_builder_add_string_value(b, list->code);
	json_builder_set_member_name(b, "mode");
	json_builder_add_string_value(b, st_pick_mode_to_string(list->mode));
	json_builder_set_member_name(b, "created");
	{
		g_autofree gchar *created = st_store_local_minutes(list->created_at);
		json_builder_add_string_value(b, created);
	}
	json_builder_set_member_name(b, "units");
	json_builder_add_int_value(b, list->units);
	json_builder_set_member_name(b, "orders");
	json_builder_begin_array(b);
	for (guint i = 0; i < orders->len; i++) {
		const StPickListOrder *o = g_ptr_array_index(orders, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "slot");
		json_builder_add_int_value(b, o->slot);
		json_builder_set_member_name(b, "order");
		json_builder_add_string_value(b, o->order_number);
		json_builder_set_member_name(b, "tote");
		json_builder_add_string_value(b, o->tote != NULL ? o->tote : "");
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "picks");
	json_builder_begin_array(b);
	for (guint i = 0; i < tasks->len; i++) {
		const StPickTask *t = g_ptr_array_index(tasks, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "seq");
		json_builder_add_int_value(b, i + 1);
		json_builder_set_member_name(b, "location");
		json_builder_add_string_value(b, t->location);
		json_builder_set_member_name(b, "sku");
		json_builder_add_string_value(b, t->sku);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, t->name);
		json_builder_set_member_name(b, "quantity");
		json_builder_add_int_value(b, t->quantity);
		json_builder_set_member_name(b, "lot");
		json_builder_add_string_value(b, t->lot);
		json_builder_set_member_name(b, "expiry");
		json_builder_add_string_value(b, t->expiry);
		json_builder_set_member_name(b, "order");
		json_builder_add_string_value(b, t->order_number);
		json_builder_set_member_name(b, "slot");
		json_builder_add_int_value(b, t->slot);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/**
 * st_store_drop_picks_of_cancelled:
 * @number: an order that was cancelled
 *
 * Its picks not yet done leave the route of their list (done, short reason "cancelled"):
 * what was picked for it stays in its tote for the shift lead.
 *
 * Returns: how many picks were dropped, or -1 with @error
 */
gint
st_store_drop_picks_of_cancelled(StStore *self, const gchar *number, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *now = st_store_now();

	stmt = st_store_prepare(
		self,
		"UPDATE picks SET done_at = ?, short_reason = coalesce(short_reason, 'cancelled') "
		"WHERE done_at IS NULL AND order_line_id IN (SELECT l.id FROM order_lines l JOIN "
		"orders o ON o.id = l.order_id WHERE o.number = ? AND o.status = 'cancelled')",
		error);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, number, -1, SQLITE_TRANSIENT);
	if (!st_store_step_done(self, stmt, "dropping the picks of a cancelled order", error))
		return -1;
	return sqlite3_changes(self->db);
}
