/*
 * Inside the store module (station/st-store*.c, the only files that include sqlite3.h): the
 * object, statement cache and transactions that the verbs of each file share.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "station/st-store.h"

G_BEGIN_DECLS

struct _StStore {
	GObject parent_instance;
	sqlite3 *db;
	gchar *path;
	gchar *station_id;
	guint busy_timeout_ms;
	guint schema_version;
	GHashTable *stmts;	    /* SQL text -> sqlite3_stmt */
	gchar **negative_locations; /* codes where stock may go below zero ([store]) */
};

typedef sqlite3_stmt StStoreStmt;

/* A verb's transaction: rolls back unless committed. Nested in an open transaction it is a
 * savepoint. */
typedef struct {
	StStore *store;
	gboolean done;
	gboolean savepoint;
} StStoreTx;

void
st_store_stmt_unref(StStoreStmt *stmt);
void
st_store_tx_free(StStoreTx *tx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StStoreStmt, st_store_stmt_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StStoreTx, st_store_tx_free)

void
st_store_set_error(StStore *self, GError **error, gint rc, const gchar *what);
StStoreStmt *
st_store_prepare(StStore *self, const gchar *sql, GError **error);
gboolean
st_store_exec(StStore *self, const gchar *sql, const gchar *what, GError **error);
StStoreTx *
st_store_begin(StStore *self, GError **error);
gboolean
st_store_commit(StStoreTx *tx, GError **error);
gchar *
st_store_now(void);
gboolean
st_store_step_done(StStore *self, sqlite3_stmt *stmt, const gchar *what, GError **error);
gint64
st_store_product_id_by_sku(StStore *self, const gchar *sku, GError **error);
gboolean
st_store_insert_event(StStore *self,
		      const gchar *kind,
		      gint64 order_id,
		      JsonBuilder *fields,
		      const gchar *now,
		      GError **error);

G_END_DECLS
