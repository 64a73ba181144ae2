/*
 * Inside the store (station/store/, the only files that include sqlite3.h): the object,
 * statement cache, transactions and checks that the verbs of each file share. The verbs are
 * in files by aggregate: st-store-catalogue.c, -orders.c, -scans.c, -stock.c (and the
 * ledger), -labels.c (labels and prints), -outbox.c, -export.c (bulk imports and exports);
 * st-store-migrations.c holds the schema.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "station/st-store.h"

/* the refusals a person reads (_()), in the calling thread's language (st_i18n_speak) */
#include "st-i18n.h"

G_BEGIN_DECLS

/* The page size of a new database: 1 KiB instead of SQLite's 4 KiB. A scan or a pick is a
 * small transaction committed durably on its own, and its commit writes each page it touched
 * whole into the WAL before the fsync: a scan's four rows and their indexes touch 11 to 16
 * pages, about 45 KiB written at 4 KiB a page, 14 at 1 KiB. Measured (bench-scan, 1,000 scans,
 * every WAL grown once as a running station's is, runs alternated, 2026-12-07): a scan to its
 * durable answer 126-154 us at 4 KiB, 101-107 us at 1 KiB; bench-inventory's picks
 * 9,600-9,700 -> 9,600-9,900 a second (earlier runs, the same day); barcode lookups in
 * 100,000 products unchanged (3.0-3.7 us); the file 3-4% larger; an import as fast; reading it
 * all (station check, and the quick check station serve makes at start) a quarter longer, 4
 * times as many pages (1,000,000 ledger rows: 3.7 -> 4.6 s). Fewer bytes a commit also wear a
 * bench board's SD card less. Index keys stay on their page up to about 230 bytes at this
 * size (barcodes, SKUs and order numbers are far shorter). A database made with another page
 * size keeps it: SQLite changes it only by rewriting the file (VACUUM, outside WAL). */
#define ST_STORE_PAGE_SIZE "1024"

/* The page cache of a connection that writes, as SQLite's cache_size (negative: KiB): 2 MiB;
 * what it does not hold is read again from the kernel's page cache. bench-daemon, the
 * daemon's own memory (RssAnon) after a shift of 12,000 scans: 21 MiB with 32 MiB of cache,
 * 11.9 with 8, 5.2 with 2; bench-scan and bench-inventory's picks at the same ratios to
 * their baselines with 8 and with 2 (1.31 and 0.84). An import's
 * one transaction takes 32 MiB while it runs (st_store_bulk_begin), so that its pages stay in
 * memory instead of spilling to the WAL as it goes. */
#define ST_STORE_CACHE_SIZE	 "-2048"
#define ST_STORE_CACHE_SIZE_BULK "-32768"

struct _StStore {
	GObject parent_instance;
	sqlite3 *db;
	gchar *path;
	gchar *station_id;
	guint busy_timeout_ms;
	guint schema_version;
	GHashTable *stmts;	    /* SQL text -> sqlite3_stmt */
	gchar **negative_locations; /* codes where stock may go below zero ([store]) */
	StStoreTransaction *unit;   /* (nullable): a caller's open StStoreTransaction */
	gboolean scratch;	    /* a private copy: its files are removed when it closes */
	sqlite3_stmt *stage_rows;   /* (nullable): reading the staged rows back */
	gboolean row_open;	    /* an import's row is open (st_store_bulk_row_begin) */
};

typedef sqlite3_stmt StStoreStmt;

/* A verb's transaction (and a caller's StStoreTransaction): rolls back unless committed.
 * Nested in an open transaction it is a savepoint, except inside a caller's
 * StStoreTransaction or an import's row, which the verbs join without one: that transaction
 * (that row) is undone whole if a verb in it fails, so a savepoint per verb would cost
 * statements for nothing. */
struct _StStoreTransaction {
	StStore *store;
	gboolean done;
	gboolean savepoint;
	gboolean joined;       /* a verb inside the caller's transaction: no statement of its own */
	gboolean failed;       /* the caller's transaction: a verb in it failed, it cannot commit */
	gchar *operator_badge; /* (nullable) the caller's transaction: who its events name */
};
typedef StStoreTransaction StStoreTx;

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
void
st_store_forget_stmt(StStore *self, const gchar *sql);
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

typedef struct {
	gint64 id;
	gboolean track_lot, track_serial, track_expiry;
} StProductTracking;

gchar *
st_column_dup(sqlite3_stmt *stmt, gint col);
const gchar *
st_nz(const gchar *s);
gboolean
st_store_check_expiry(const gchar *sku, const gchar *expiry, gboolean refuse_past, GError **error);
gboolean
st_store_check_text(const gchar *what, const gchar *value, guint max, GError **error);
GBytes *
st_store_column_bytes(sqlite3_stmt *stmt, gint col);
gboolean
st_store_insert_scan(StStore *self,
		     StScan *scan,
		     const StScanOrigin *origin,
		     const gchar *reason,
		     const gchar *message,
		     gint64 order_id,
		     gint64 product_id,
		     gint64 *scan_id,
		     GError **error);
gboolean
st_store_insert_status(StStore *self,
		       gint64 order_id,
		       const gchar *from,
		       const gchar *to,
		       gint64 scan_id,
		       const gchar *now,
		       GError **error);
gint64
st_store_location_id(StStore *self, const gchar *code, gboolean *allow_negative, GError **error);
gboolean
st_store_release_reservation(StStore *self, gint64 line_id, gint64 quantity, GError **error);
gboolean
st_store_negative_allowed(StStore *self, const gchar *code);
gboolean
st_store_order_line(StStore *self,
		    const gchar *number,
		    guint line_no,
		    gint64 product_id,
		    const gchar *sku,
		    gint64 *order_id,
		    gint64 *line_id,
		    GError **error);
gboolean
st_store_parse_date(const gchar *value, GDate *date);
gboolean
st_store_product_tracking(StStore *self, const gchar *sku, StProductTracking *p, GError **error);
gboolean
st_order_status_from_string(const gchar *str, StOrderStatus *status);
gint64
st_store_scalar(StStore *self, const gchar *sql, gint64 arg, GError **error);
gboolean
st_store_set_status(StStore *self,
		    const StOrder *order,
		    StOrderStatus from,
		    StOrderStatus to,
		    gint64 scan_id,
		    const gchar *now,
		    GError **error);
gchar *
st_store_time_from_us(gint64 realtime_us);
gchar *
st_store_local_minutes(const gchar *stored);
const gchar *
st_store_migration(guint version);
guint
st_store_migrations_count(void);

G_END_DECLS
