/*
 * Stock and its ledger. Stock changes only through st_store_change_stock(), which in one
 * transaction appends a row to the ledger, updates the stock table and queues an event for
 * the central system. The ledger cannot be updated or deleted (triggers refuse it), so the
 * stock table can always be derived from it; st_store_check() does exactly that and reports
 * every difference.
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

gboolean
st_store_negative_allowed(StStore *self, const gchar *code)
{
	return self->negative_locations != NULL &&
	       g_strv_contains((const gchar *const *)self->negative_locations, code);
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
/* a change of stock in words, with its article: "an adjustment", "a pick"; in the calling
 * thread's language (st_i18n_speak) */
static const gchar *
st_ledger_kind_noun(StLedgerKind kind)
{
	static const gchar *const nouns[ST_LEDGER_LAST] = {
		[ST_LEDGER_RECEIVE] = N_("a receipt"), [ST_LEDGER_PICK] = N_("a pick"),
		[ST_LEDGER_PACK] = N_("a pack"),       [ST_LEDGER_ADJUST] = N_("an adjustment"),
		[ST_LEDGER_MOVE] = N_("a move"),       [ST_LEDGER_CANCEL] = N_("a cancel"),
		[ST_LEDGER_RETURN] = N_("a return"),
	};
	return _((guint)kind < ST_LEDGER_LAST ? nouns[kind] : N_("a change"));
}

static gboolean
st_store_change_valid(const StStockChange *c, const StProductTracking *p, GError **error)
{
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
			[ST_LEDGER_RECEIVE] = N_("a location to receive into (to) and none to take "
						 "from"),
			[ST_LEDGER_RETURN] =
				N_("a location to return into (to) and none to take from"),
			[ST_LEDGER_ADJUST] = N_("either a location to add to (to) or one to take "
						"from (from), not both"),
			[ST_LEDGER_MOVE] = N_("two different locations, from and to"),
			[ST_LEDGER_PICK] =
				N_("the location picked from and the tote or bench picked "
				   "to"),
			[ST_LEDGER_CANCEL] =
				N_("the tote or bench the goods are in and the location "
				   "they go back to"),
			[ST_LEDGER_PACK] = N_("the location packed from, and no destination"),
		};
		/* TRANSLATORS: a change of stock ("a move"), then what it needs */
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA, _("%s needs %s"),
			    st_ledger_kind_noun(c->kind), _(needs[c->kind]));
		return FALSE;
	}
	if (c->quantity <= 0) {
		g_autofree gchar *quantity = g_strdup_printf("%" G_GINT64_FORMAT, c->quantity);
		/* TRANSLATORS: the quantity, the SKU, then a change of stock ("a move") */
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    _("quantity %s of SKU %s: %s moves a positive quantity (an adjustment "
			      "down takes from a location)"),
			    quantity, c->sku, st_ledger_kind_noun(c->kind));
		return FALSE;
	}
	if ((c->kind == ST_LEDGER_PICK || c->kind == ST_LEDGER_PACK ||
	     c->kind == ST_LEDGER_CANCEL) &&
	    (c->order_number == NULL || c->line_no == 0)) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    _("%s of SKU %s names the order and line it is for"),
			    st_ledger_kind_noun(c->kind), c->sku);
		return FALSE;
	}
	if (p->track_lot && (c->lot == NULL || c->lot[0] == '\0')) {
		g_set_error(
			error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			_("SKU %s is tracked by lot: give the lot (scan the GS1 barcode, AI 10)"),
			c->sku);
		return FALSE;
	}
	if (p->track_expiry && (c->expiry == NULL || c->expiry[0] == '\0')) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    _("SKU %s is tracked by expiry date: give it (YYYY-MM-DD, or scan the "
			      "GS1 barcode, AI 17)"),
			    c->sku);
		return FALSE;
	}
	if (p->track_serial && (c->serial == NULL || c->serial[0] == '\0')) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    _("SKU %s is tracked by serial number: give it (AI 21)"), c->sku);
		return FALSE;
	}
	if (c->serial != NULL && c->serial[0] != '\0' && c->quantity != 1) {
		g_autofree gchar *quantity = g_strdup_printf("%" G_GINT64_FORMAT, c->quantity);
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    _("serial number %s names one unit of SKU %s, not %s"), c->serial,
			    c->sku, quantity);
		return FALSE;
	}
	if (!st_store_check_expiry(c->sku, c->expiry,
				   c->kind == ST_LEDGER_RECEIVE || c->kind == ST_LEDGER_RETURN,
				   error))
		return FALSE;
	if ((c->lot != NULL && !g_utf8_validate(c->lot, -1, NULL)) ||
	    (c->serial != NULL && !g_utf8_validate(c->serial, -1, NULL))) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    _("the lot or serial of SKU %s is not text"), c->sku);
		return FALSE;
	}
	return TRUE;
}

/* the reservation of an order line shrinks by what left stock (pack) or went back (cancel) */
gboolean
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
	if (c->request_key != NULL) {
		/* done before under this key: said, not done again */
		g_autoptr(StStoreStmt) q = NULL;
		if (!st_store_check_text("the request key", c->request_key, 128, error))
			return FALSE;
		q = st_store_prepare(self, "SELECT ledger_id, at FROM requests WHERE key = ?",
				     error);
		if (q == NULL)
			return FALSE;
		sqlite3_bind_text(q, 1, c->request_key, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(q) == SQLITE_ROW) {
			if (ledger_id != NULL)
				*ledger_id = sqlite3_column_int64(q, 0);
			g_set_error(
				error, ST_STORE_ERROR, ST_ERROR_EXISTS,
				"request %s was recorded already, as ledger row %" G_GINT64_FORMAT
				" at %s: nothing was booked again",
				c->request_key, (gint64)sqlite3_column_int64(q, 0),
				(const gchar *)sqlite3_column_text(q, 1));
			return FALSE;
		}
	}
	if (from_id > 0) {
		gint64 have = st_store_stock_quantity(self, p.id, from_id, c, error);
		if (have == G_MININT64)
			return FALSE;
		if (have - c->quantity < 0 && !from_negative) {
			g_autofree gchar *what = g_strdup_printf(
				"%s%s%s%s", c->lot != NULL && c->lot[0] ? _(" lot ") : "",
				st_nz(c->lot),
				c->serial != NULL && c->serial[0] ? _(" serial ") : "",
				st_nz(c->serial));
			g_autofree gchar *held = g_strdup_printf("%" G_GINT64_FORMAT, have);
			g_autofree gchar *asked = g_strdup_printf("%" G_GINT64_FORMAT, c->quantity);
			/* TRANSLATORS: the location, what it holds, the SKU, its lot or serial,
			 * the change ("a pick") and its quantity */
			g_set_error(
				error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
				_("%s holds %s of SKU %s%s: %s of %s would leave it below zero; "
				  "count the location, or record what is there with an "
				  "adjustment first"),
				c->from, held, c->sku, what, st_ledger_kind_noun(c->kind), asked);
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
	if (c->request_key != NULL) {
		g_autoptr(StStoreStmt) r = st_store_prepare(
			self, "INSERT INTO requests (key, verb, ledger_id, at) VALUES (?, ?, ?, ?)",
			error);
		if (r == NULL)
			return FALSE;
		sqlite3_bind_text(r, 1, c->request_key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(r, 2, "change_stock", -1, SQLITE_STATIC);
		sqlite3_bind_int64(r, 3, id);
		sqlite3_bind_text(r, 4, now, -1, SQLITE_TRANSIENT);
		if (!st_store_step_done(self, r, "keeping the request key", error))
			return FALSE;
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
	{
		/* an order left half-closed: every line packed, the order still packing (a crash
		 * between the two commits of a station older than schema 4's one transaction) */
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"SELECT o.number FROM orders o WHERE o.status = 'packing' "
			"AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id) "
			"AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id "
			"  AND l.packed < l.quantity) ORDER BY o.number",
			error);
		if (stmt == NULL)
			return FALSE;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			g_ptr_array_add(
				found,
				g_strdup_printf("order %s has every line packed but is still "
						"packing: scan it at a bench to close it",
						sqlite3_column_text(stmt, 0)));
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "checking orders");
			return FALSE;
		}
	}
	*problems = g_steal_pointer(&found);
	return TRUE;
}

/**
 * st_store_request_done:
 * @key: the outside caller's key for a request it may retry (an import's --id)
 * @at: (out) (optional): when it was done, "YYYY-MM-DDTHH:MM:SSZ"
 * @verb: (out) (optional): what it was ("import stock")
 *
 * Inside the caller's transaction: the check and st_store_request_keep() are one with the
 * work they guard, so two runs with one key cannot both do it.
 *
 * Returns: 1 when @key was done already, 0 when not, -1 with @error
 */
gint
st_store_request_done(StStore *self, const gchar *key, gchar **at, gchar **verb, GError **error)
{
	g_autoptr(StStoreStmt) q = NULL;
	gint rc;

	if (!st_store_check_text("the request key", key, 128, error))
		return -1;
	q = st_store_prepare(self, "SELECT at, verb FROM requests WHERE key = ?", error);
	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(q);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "reading the request keys");
		return -1;
	}
	if (at != NULL)
		*at = g_strdup((const gchar *)sqlite3_column_text(q, 0));
	if (verb != NULL)
		*verb = g_strdup((const gchar *)sqlite3_column_text(q, 1));
	return 1;
}

/* keeps @key as done by @verb, in the caller's transaction (see st_store_request_done) */
gboolean
st_store_request_keep(StStore *self, const gchar *key, const gchar *verb, GError **error)
{
	g_autoptr(StStoreStmt) r = NULL;
	g_autofree gchar *now = st_store_now();

	if (!st_store_check_text("the request key", key, 128, error))
		return FALSE;
	r = st_store_prepare(self, "INSERT INTO requests (key, verb, at) VALUES (?, ?, ?)", error);
	if (r == NULL)
		return FALSE;
	sqlite3_bind_text(r, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(r, 2, verb, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(r, 3, now, -1, SQLITE_TRANSIENT);
	return st_store_step_done(self, r, "keeping the request key", error);
}
