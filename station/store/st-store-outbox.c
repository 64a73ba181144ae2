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
 * of the same order waits for its retry time, so the central system always learns an
 * order's changes in the order they happened.
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
		"WHERE e.delivered_at IS NULL "
		"AND (e.next_attempt_at IS NULL OR e.next_attempt_at <= ?1) "
		"AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.delivered_at IS NULL "
		"  AND p.order_id = e.order_id AND p.id < e.id AND p.next_attempt_at > ?1) "
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
