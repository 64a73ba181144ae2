/*
 * The outbox: the events for the central order system, written in the transaction of the
 * change they report, in order, each with its idempotency key.
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

	json_builder_set_member_name(fields, "event");
	json_builder_add_string_value(fields, kind);
	json_builder_set_member_name(fields, "station");
	json_builder_add_string_value(fields, self->station_id);
	json_builder_set_member_name(fields, "idempotency_key");
	json_builder_add_string_value(fields, key);
	json_builder_set_member_name(fields, "at");
	json_builder_add_string_value(fields, now);
	json_builder_end_object(fields);
	root = json_builder_get_root(fields);
	payload = json_to_string(root, FALSE);

	stmt = st_store_prepare(self,
				"INSERT INTO outbox (idempotency_key, kind, order_id, payload, "
				"created_at) VALUES (?, ?, ?, ?, ?)",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
	if (order_id > 0)
		sqlite3_bind_int64(stmt, 3, order_id);
	sqlite3_bind_text(stmt, 4, payload, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 5, now, -1, SQLITE_TRANSIENT);
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
				"SELECT e.id, e.idempotency_key, e.kind, o.number, e.payload "
				"FROM outbox e LEFT JOIN orders o ON o.id = e.order_id "
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
		g_ptr_array_add(events, e);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the outbox");
		return NULL;
	}
	return g_steal_pointer(&events);
}
