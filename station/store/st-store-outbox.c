/*
 * The outbox: the events for the central order system, written in the transaction of the
 * change they report, in order, each with its idempotency key; and their delivery: the next
 * batch that is due (an order's events never overtaking each other), delivered, or failed
 * with when to try again.
 */
#define G_LOG_DOMAIN "station-store"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "station/st-error.h"

#include "st-store-private.h"

void
st_outbox_event_free(StOutboxEvent *self)
{
	if (self == NULL)
		return;
	g_free(self->idempotency_key);
	g_free(self->kind);
	g_free(self->order_number);
	g_free(self->payload);
	g_free(self->last_error);
	g_free(self);
}

/* Adds an event for the central system; the caller's transaction makes it atomic. */
gboolean
st_store_insert_event(StStore *self,
		      const gchar *kind,
		      gint64 order_id,
		      JsonBuilder *fields,
		      const gchar *now,
		      GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *uuid = g_uuid_string_random();
	g_autofree gchar *key = g_strdup_printf("%s-%s", self->station_id, uuid);
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *payload = NULL;
	gint64 seq = 0;

	if (order_id > 0) {
		/* the next number of this order's events */
		seq = st_store_scalar(self,
				      "SELECT coalesce(max(order_seq), 0) + 1 FROM outbox "
				      "WHERE order_id = ?",
				      order_id, error);
		if (seq < 0)
			return FALSE;
		json_builder_set_member_name(fields, "orderseq");
		json_builder_add_int_value(fields, seq);
	}
	json_builder_set_member_name(fields, "event");
	json_builder_add_string_value(fields, kind);
	json_builder_set_member_name(fields, "station");
	json_builder_add_string_value(fields, self->station_id);
	json_builder_set_member_name(fields, "idempotency_key");
	json_builder_add_string_value(fields, key);
	json_builder_set_member_name(fields, "at");
	json_builder_add_string_value(fields, now);
	if (self->unit != NULL && self->unit->operator_badge != NULL) {
		json_builder_set_member_name(fields, "operator");
		json_builder_add_string_value(fields, self->unit->operator_badge);
	}
	json_builder_end_object(fields);
	root = json_builder_get_root(fields);
	payload = json_to_string(root, FALSE);

	stmt = st_store_prepare(self,
				"INSERT INTO outbox (idempotency_key, kind, order_id, payload, "
				"created_at, order_seq) VALUES (?, ?, ?, ?, ?, ?)",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
	if (order_id > 0)
		sqlite3_bind_int64(stmt, 3, order_id);
	sqlite3_bind_text(stmt, 4, payload, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 5, now, -1, SQLITE_TRANSIENT);
	if (seq > 0)
		sqlite3_bind_int64(stmt, 6, seq);
	return st_store_step_done(self, stmt, "queueing an event for the central system", error);
}

/* Returns: (transfer container) (element-type StOutboxEvent): undelivered events in order */
GPtrArray *
st_store_get_outbox(StStore *self, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(GPtrArray) events =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_outbox_event_free);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self,
				"SELECT e.id, e.idempotency_key, e.kind, o.number, e.payload, "
				"e.order_seq FROM outbox e LEFT JOIN orders o ON o.id = e.order_id "
				"WHERE e.delivered_at IS NULL ORDER BY e.id",
				error);
	if (stmt == NULL)
		return NULL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StOutboxEvent *e = g_new0(StOutboxEvent, 1);
		e->id = sqlite3_column_int64(stmt, 0);
		e->idempotency_key = g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
		e->kind = g_strdup((const gchar *)sqlite3_column_text(stmt, 2));
		e->order_number = g_strdup((const gchar *)sqlite3_column_text(stmt, 3));
		e->payload = g_strdup((const gchar *)sqlite3_column_text(stmt, 4));
		e->order_seq = (guint)sqlite3_column_int64(stmt, 5);
		g_ptr_array_add(events, e);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the outbox");
		return NULL;
	}
	return g_steal_pointer(&events);
}

/**
 * st_store_outbox_next:
 * @now_us: the time, as g_get_real_time() gives it: events whose retry time is later wait
 * @max: at most this many
 *
 * The undelivered events to send now, oldest first. An event waits while an earlier event
 * of the same order waits for its retry time or is parked, so the central system always
 * learns an order's changes in the order they happened; a parked event is not sent until
 * st_store_outbox_unpark().
 *
 * Returns: (transfer container) (element-type StOutboxEvent): the batch, maybe empty
 */
GPtrArray *
st_store_outbox_next(StStore *self, gint64 now_us, guint max, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(GPtrArray) events =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_outbox_event_free);
	g_autofree gchar *now = st_store_time_from_us(now_us);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(
		self,
		"SELECT e.id, e.idempotency_key, e.kind, o.number, e.payload, e.attempts, "
		"e.last_error, e.order_seq FROM outbox e LEFT JOIN orders o ON o.id = e.order_id "
		"WHERE e.delivered_at IS NULL AND e.parked_at IS NULL "
		"AND (e.next_attempt_at IS NULL OR e.next_attempt_at <= ?1) "
		"AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.delivered_at IS NULL "
		"  AND p.order_id = e.order_id AND p.id < e.id "
		"  AND (p.next_attempt_at > ?1 OR p.parked_at IS NOT NULL)) "
		"ORDER BY e.id LIMIT ?2",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, max);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StOutboxEvent *e = g_new0(StOutboxEvent, 1);
		e->id = sqlite3_column_int64(stmt, 0);
		e->idempotency_key = g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
		e->kind = g_strdup((const gchar *)sqlite3_column_text(stmt, 2));
		e->order_number = g_strdup((const gchar *)sqlite3_column_text(stmt, 3));
		e->payload = g_strdup((const gchar *)sqlite3_column_text(stmt, 4));
		e->attempts = (guint)sqlite3_column_int64(stmt, 5);
		e->last_error = g_strdup((const gchar *)sqlite3_column_text(stmt, 6));
		e->order_seq = (guint)sqlite3_column_int64(stmt, 7);
		g_ptr_array_add(events, e);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the outbox");
		return NULL;
	}
	return g_steal_pointer(&events);
}

static gboolean
st_store_outbox_exists(StStore *self, gint64 event_id, GError **error)
{
	gint64 n =
		st_store_scalar(self, "SELECT count(*) FROM outbox WHERE id = ?", event_id, error);
	if (n < 0)
		return FALSE;
	if (n == 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
			    "no event %" G_GINT64_FORMAT " in the outbox", event_id);
		return FALSE;
	}
	return TRUE;
}

/**
 * st_store_outbox_delivered:
 *
 * The central system has the event (accepted, or known already by its idempotency key).
 * Saying so twice changes nothing.
 *
 * Returns: FALSE with ST_ERROR_NOT_FOUND for an event that does not exist
 */
gboolean
st_store_outbox_delivered(StStore *self, gint64 event_id, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *now = st_store_now();

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (!st_store_outbox_exists(self, event_id, error))
		return FALSE;
	stmt = st_store_prepare(self,
				"UPDATE outbox SET delivered_at = ?, next_attempt_at = NULL "
				"WHERE id = ? AND delivered_at IS NULL",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, event_id);
	if (!st_store_step_done(self, stmt, "marking an event delivered", error))
		return FALSE;
	return st_store_commit(tx, error);
}

/**
 * st_store_outbox_failed:
 * @message: why (the network, the central system's answer), kept for the shift lead
 * @retry_at_us: when to try again, as g_get_real_time() gives it
 *
 * A delivery that did not happen: the event stays, with one more attempt counted, until
 * @retry_at_us; the later events of its order wait with it.
 *
 * Returns: FALSE with ST_ERROR_NOT_FOUND for an event that does not exist
 */
gboolean
st_store_outbox_failed(StStore *self,
		       gint64 event_id,
		       const gchar *message,
		       gint64 retry_at_us,
		       GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *retry_at = st_store_time_from_us(retry_at_us);

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (!st_store_outbox_exists(self, event_id, error))
		return FALSE;
	stmt = st_store_prepare(self,
				"UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, "
				"last_error = ? WHERE id = ? AND delivered_at IS NULL",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, retry_at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, message, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 3, event_id);
	if (!st_store_step_done(self, stmt, "recording a failed delivery", error))
		return FALSE;
	return st_store_commit(tx, error);
}

/**
 * st_store_outbox_record:
 * @outcomes: (array length=n): what became of each event of a delivery
 *
 * Records a delivery's outcomes in one transaction (one fsync for a whole batch): delivered
 * (accepted, or known already by its idempotency key), failed (tried again at its retry
 * time, one more attempt counted) or parked (rejected for good, with the reason, until
 * st_store_outbox_unpark()). An event already delivered stays delivered. Also notes the
 * sync's last success or last error (st_store_outbox_status()).
 */
static gboolean
st_store_outbox_record_inner(StStore *self,
			     const StOutboxOutcome *outcomes,
			     guint n,
			     GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autofree gchar *now = st_store_now();
	const gchar *last_error = NULL;
	gboolean any_delivered = FALSE;

	g_return_val_if_fail(self->db != NULL, FALSE);
	/* an outcome lost to a power cut costs a duplicate, which the central system answers
	 * by the event's id: no fsync of its own (WAL, synchronous NORMAL: on disk with the next
	 * durable commit or checkpoint); the scans' commits stay FULL */
	if (sqlite3_get_autocommit(self->db) &&
	    !st_store_exec(self, "PRAGMA synchronous = NORMAL", "recording a delivery", error))
		return FALSE;
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	for (guint i = 0; i < n; i++) {
		const StOutboxOutcome *o = &outcomes[i];
		g_autoptr(StStoreStmt) stmt = NULL;
		switch (o->kind) {
		case ST_OUTBOX_DELIVERED:
			any_delivered = TRUE;
			stmt = st_store_prepare(
				self,
				"UPDATE outbox SET delivered_at = ?, next_attempt_at = "
				"NULL, parked_at = NULL WHERE id = ? AND delivered_at "
				"IS NULL",
				error);
			if (stmt == NULL)
				return FALSE;
			sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(stmt, 2, o->event_id);
			break;
		case ST_OUTBOX_FAILED: {
			g_autofree gchar *retry_at = st_store_time_from_us(o->retry_at_us);
			last_error = o->message;
			stmt = st_store_prepare(
				self,
				"UPDATE outbox SET attempts = attempts + 1, "
				"next_attempt_at = ?, last_error = ? WHERE id = ? AND "
				"delivered_at IS NULL",
				error);
			if (stmt == NULL)
				return FALSE;
			sqlite3_bind_text(stmt, 1, retry_at, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(stmt, 2, o->message, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(stmt, 3, o->event_id);
			break;
		}
		case ST_OUTBOX_PARKED:
		default:
			stmt = st_store_prepare(
				self,
				"UPDATE outbox SET attempts = attempts + 1, parked_at = "
				"?, park_reason = ?, last_error = ? WHERE id = ? AND "
				"delivered_at IS NULL",
				error);
			if (stmt == NULL)
				return FALSE;
			sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(stmt, 2, o->message, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(stmt, 3, o->message, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(stmt, 4, o->event_id);
			break;
		}
		if (!st_store_step_done(self, stmt, "recording a delivery", error))
			return FALSE;
	}
	if (any_delivered && !st_store_sync_state_set(self, "last_success", now, error))
		return FALSE;
	if (last_error != NULL) {
		g_autofree gchar *line = g_strdup_printf("%s %s", now, last_error);
		if (!st_store_sync_state_set(self, "last_error", line, error))
			return FALSE;
	}
	return st_store_commit(tx, error);
}

gboolean
st_store_outbox_record(StStore *self, const StOutboxOutcome *outcomes, guint n, GError **error)
{
	gboolean own = sqlite3_get_autocommit(self->db) != 0;
	gboolean ok = st_store_outbox_record_inner(self, outcomes, n, error);
	if (own)
		sqlite3_exec(self->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	return ok;
}

/* a value of the sync's own state (the cursor of the orders pulled, the last success ...),
 * in the caller's transaction or its own */
gboolean
st_store_sync_state_set(StStore *self, const gchar *key, const gchar *value, GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self, "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, value, -1, SQLITE_TRANSIENT);
	return st_store_step_done(self, stmt, "keeping the sync's state", error);
}

/* Returns: (transfer full) (nullable): the value of @key, NULL when unset (and on error) */
gchar *
st_store_sync_state_get(StStore *self, const gchar *key, GError **error)
{
	g_autoptr(StStoreStmt) stmt =
		st_store_prepare(self, "SELECT value FROM sync_state WHERE key = ?", error);
	gint rc;
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		return g_strdup((const gchar *)sqlite3_column_text(stmt, 0));
	if (rc != SQLITE_DONE)
		st_store_set_error(self, error, rc, "reading the sync's state");
	return NULL;
}

/**
 * st_store_outbox_unpark:
 * @event_id: the event, or 0 for every parked event
 *
 * A person asks for a parked event (the central system rejected it) to be sent again: it is
 * due now, and the later events of its order with it.
 *
 * Returns: the number of events unparked, or -1 with @error
 */
gint
st_store_outbox_unpark(StStore *self, gint64 event_id, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	stmt = st_store_prepare(self,
				"UPDATE outbox SET parked_at = NULL, next_attempt_at = NULL WHERE "
				"delivered_at IS NULL AND (parked_at IS NOT NULL OR ?1 <> 0) AND "
				"(?1 = 0 OR id = ?1)",
				error);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, event_id);
	if (!st_store_step_done(self, stmt, "retrying an event", error))
		return -1;
	return sqlite3_changes(self->db);
}

/**
 * st_store_outbox_prune:
 * @keep_days: delivered events younger than this stay, for audit
 *
 * Returns: the number of delivered events deleted, or -1 with @error
 */
gint
st_store_outbox_prune(StStore *self, guint keep_days, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *cutoff = st_store_time_from_us(
		g_get_real_time() - (gint64)keep_days * 86400 * G_USEC_PER_SEC);
	stmt = st_store_prepare(self,
				"DELETE FROM outbox WHERE delivered_at IS NOT NULL AND "
				"delivered_at < ?",
				error);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, cutoff, -1, SQLITE_TRANSIENT);
	if (!st_store_step_done(self, stmt, "deleting delivered events", error))
		return -1;
	return sqlite3_changes(self->db);
}

void
st_outbox_status_clear(StOutboxStatus *self)
{
	g_clear_pointer(&self->oldest_at, g_free);
	g_clear_pointer(&self->next_attempt_at, g_free);
	g_clear_pointer(&self->last_success, g_free);
	g_clear_pointer(&self->last_error, g_free);
	if (self->parked != NULL)
		g_clear_pointer(&self->parked, g_ptr_array_unref);
}

/**
 * st_store_outbox_status:
 *
 * What `station sync status` shows: the backlog, its oldest event, when the next try is
 * due, the last success and error, and the parked events with their reasons.
 */
gboolean
st_store_outbox_status(StStore *self, StOutboxStatus *status, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	gint rc;

	memset(status, 0, sizeof(*status));
	status->parked = g_ptr_array_new_with_free_func((GDestroyNotify)st_outbox_event_free);
	stmt = st_store_prepare(self,
				"SELECT count(*), min(created_at), min(next_attempt_at), "
				"sum(parked_at IS NOT NULL), (SELECT count(*) FROM outbox WHERE "
				"delivered_at IS NOT NULL) FROM outbox WHERE delivered_at IS NULL",
				error);
	if (stmt == NULL)
		return FALSE;
	if ((rc = sqlite3_step(stmt)) != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "reading the outbox");
		return FALSE;
	}
	status->pending = (guint)sqlite3_column_int64(stmt, 0);
	status->oldest_at = g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
	status->next_attempt_at = g_strdup((const gchar *)sqlite3_column_text(stmt, 2));
	status->n_parked = (guint)sqlite3_column_int64(stmt, 3);
	status->delivered = (guint)sqlite3_column_int64(stmt, 4);
	g_clear_pointer(&stmt, st_store_stmt_unref);
	stmt = st_store_prepare(self,
				"SELECT e.id, e.idempotency_key, e.kind, o.number, e.payload, "
				"e.order_seq, e.attempts, e.park_reason FROM outbox e LEFT JOIN "
				"orders o ON o.id = e.order_id WHERE e.delivered_at IS NULL AND "
				"e.parked_at IS NOT NULL ORDER BY e.id LIMIT 100",
				error);
	if (stmt == NULL)
		return FALSE;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StOutboxEvent *e = g_new0(StOutboxEvent, 1);
		e->id = sqlite3_column_int64(stmt, 0);
		e->idempotency_key = g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
		e->kind = g_strdup((const gchar *)sqlite3_column_text(stmt, 2));
		e->order_number = g_strdup((const gchar *)sqlite3_column_text(stmt, 3));
		e->payload = g_strdup((const gchar *)sqlite3_column_text(stmt, 4));
		e->order_seq = (guint)sqlite3_column_int64(stmt, 5);
		e->attempts = (guint)sqlite3_column_int64(stmt, 6);
		e->last_error = g_strdup((const gchar *)sqlite3_column_text(stmt, 7));
		g_ptr_array_add(status->parked, e);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the parked events");
		return FALSE;
	}
	status->last_success = st_store_sync_state_get(self, "last_success", NULL);
	status->last_error = st_store_sync_state_get(self, "last_error", NULL);
	return TRUE;
}

/* every undelivered event that is not parked is due now (a person asked to send now);
 * Returns: how many, or -1 with @error */
gint
st_store_outbox_due_now(StStore *self, GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self,
		"UPDATE outbox SET next_attempt_at = NULL WHERE delivered_at IS NULL AND "
		"parked_at IS NULL AND next_attempt_at IS NOT NULL",
		error);
	if (stmt == NULL)
		return -1;
	gint n;
	if (!st_store_step_done(self, stmt, "making the events due", error))
		return -1;
	n = sqlite3_changes(self->db);
	/* and the hold of the sync after a failed request */
	g_clear_pointer(&stmt, st_store_stmt_unref);
	stmt = st_store_prepare(self, "DELETE FROM sync_state WHERE key = 'hold_until_us'", error);
	if (stmt == NULL || !st_store_step_done(self, stmt, "making the events due", error))
		return -1;
	return n;
}
