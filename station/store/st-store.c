/*
 * StStore: owns the sqlite3 handle. The only file of station that includes sqlite3.h.
 *
 * Opening checks, in this order and without writing anything, that the file is a SQLite
 * database, that it is a station database (or empty), and that its schema is not newer than
 * this program's; only then does it switch to WAL and run the numbered migrations, each in
 * its own transaction, so a failed migration leaves the file exactly as it was.
 *
 * Statements are prepared once and cached by their SQL text; every use resets them (through
 * the StStoreStmt cleanup) so no read transaction is left open between verbs.
 */
#define G_LOG_DOMAIN "station-store"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "station/st-error.h"
#include "station/st-store.h"

#include "st-store-private.h"

GQuark
st_store_error_quark(void)
{
	return g_quark_from_static_string("st-store-error-quark");
}

#define ST_STORE_APPLICATION_ID 0x5354434e /* "STCN" */

/*
 * Migrations: migrations[N] takes a database from schema N to N + 1. Never edit one that
 * has shipped; add the next. Each has a test that opens a database of the version before.
 */
static const gchar *const migrations[] = {
	/* 0 -> 1: the foundation schema */
	"PRAGMA application_id = 1398031182;"
	"CREATE TABLE schema_version ("
	"  version INTEGER PRIMARY KEY,"
	"  applied_at TEXT NOT NULL,"
	"  station_version TEXT NOT NULL);"
	"CREATE TABLE products ("
	"  id INTEGER PRIMARY KEY,"
	"  sku TEXT NOT NULL UNIQUE CHECK (length(sku) BETWEEN 1 AND 64),"
	"  name TEXT NOT NULL,"
	"  weight_g INTEGER NOT NULL DEFAULT 0 CHECK (weight_g >= 0),"
	"  created_at TEXT NOT NULL);"
	"CREATE TABLE product_barcodes ("
	"  barcode TEXT PRIMARY KEY CHECK (length(barcode) BETWEEN 1 AND 128),"
	"  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,"
	"  quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0)) WITHOUT ROWID;"
	"CREATE INDEX product_barcodes_product ON product_barcodes(product_id);"
	"CREATE TABLE locations ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  barcode TEXT UNIQUE,"
	"  kind TEXT NOT NULL DEFAULT 'bin' CHECK (kind IN ('bin','tote','cart','bench','dock')));"
	"CREATE TABLE stock ("
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  location_id INTEGER NOT NULL REFERENCES locations(id),"
	"  lot TEXT NOT NULL DEFAULT '',"
	"  quantity INTEGER NOT NULL CHECK (quantity >= 0),"
	"  PRIMARY KEY (product_id, location_id, lot)) WITHOUT ROWID;"
	"CREATE TABLE orders ("
	"  id INTEGER PRIMARY KEY,"
	"  number TEXT NOT NULL UNIQUE CHECK (length(number) BETWEEN 1 AND 64),"
	"  status TEXT NOT NULL CHECK (status IN "
	"    ('released','packing','packed','shipped','cancelled')),"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL);"
	"CREATE TABLE order_lines ("
	"  id INTEGER PRIMARY KEY,"
	"  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	"  line_no INTEGER NOT NULL,"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  quantity INTEGER NOT NULL CHECK (quantity > 0),"
	"  packed INTEGER NOT NULL DEFAULT 0 CHECK (packed >= 0 AND packed <= quantity),"
	"  UNIQUE (order_id, line_no));"
	"CREATE TABLE scans ("
	"  id INTEGER PRIMARY KEY,"
	"  station TEXT NOT NULL,"
	"  device TEXT NOT NULL,"
	"  raw BLOB NOT NULL,"
	"  data BLOB NOT NULL,"
	"  text TEXT,"
	"  symbology TEXT,"
	"  scanned_at TEXT NOT NULL,"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('ok','refused')),"
	"  reason TEXT,"
	"  message TEXT NOT NULL,"
	"  order_id INTEGER REFERENCES orders(id),"
	"  product_id INTEGER REFERENCES products(id),"
	"  CHECK ((verdict = 'ok') = (reason IS NULL)));"
	"CREATE INDEX scans_order ON scans(order_id);"
	"CREATE TABLE order_status_history ("
	"  id INTEGER PRIMARY KEY,"
	"  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	"  from_status TEXT,"
	"  to_status TEXT NOT NULL,"
	"  changed_at TEXT NOT NULL,"
	"  scan_id INTEGER REFERENCES scans(id));"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  idempotency_key TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL,"
	"  order_id INTEGER REFERENCES orders(id),"
	"  payload TEXT NOT NULL CHECK (json_valid(payload)),"
	"  created_at TEXT NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at TEXT,"
	"  last_error TEXT,"
	"  delivered_at TEXT);"
	"CREATE INDEX outbox_pending ON outbox(delivered_at, id);",

	/* 1 -> 2: inventory. Products get dimensions, what they track (lot, serial, expiry),
	 * hazard flags and a unit of measure; barcodes say which pack they are on (unit,
	 * inner, case) with how many units it holds; locations their place and pick sequence;
	 * box types; stock is per lot, expiry and serial; every change of stock is a row of
	 * the append-only ledger, which explains every quantity (rows already in stock get an
	 * opening row); reservations promise stock to order lines; orders get their ship-to
	 * address, service level and carrier. */
	"ALTER TABLE products ADD COLUMN length_mm INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (length_mm >= 0);"
	"ALTER TABLE products ADD COLUMN width_mm INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (width_mm >= 0);"
	"ALTER TABLE products ADD COLUMN height_mm INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (height_mm >= 0);"
	"ALTER TABLE products ADD COLUMN track_lot INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (track_lot IN (0, 1));"
	"ALTER TABLE products ADD COLUMN track_serial INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (track_serial IN (0, 1));"
	"ALTER TABLE products ADD COLUMN track_expiry INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (track_expiry IN (0, 1));"
	"ALTER TABLE products ADD COLUMN hazmat INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (hazmat IN (0, 1));"
	"ALTER TABLE products ADD COLUMN fragile INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (fragile IN (0, 1));"
	"ALTER TABLE products ADD COLUMN uom TEXT NOT NULL DEFAULT 'each' "
	"  CHECK (length(uom) BETWEEN 1 AND 16);"
	"ALTER TABLE products ADD COLUMN updated_at TEXT;"
	"ALTER TABLE product_barcodes ADD COLUMN pack TEXT NOT NULL DEFAULT 'unit' "
	"  CHECK (pack IN ('unit', 'inner', 'case', 'pallet'));"
	"ALTER TABLE locations ADD COLUMN warehouse TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE locations ADD COLUMN zone TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE locations ADD COLUMN aisle TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE locations ADD COLUMN bay TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE locations ADD COLUMN level TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE locations ADD COLUMN bin TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE locations ADD COLUMN pick_sequence INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE locations ADD COLUMN allow_negative INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (allow_negative IN (0, 1));"
	"CREATE INDEX locations_pick ON locations(pick_sequence, code);"
	"CREATE TABLE box_types ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),"
	"  name TEXT NOT NULL,"
	"  barcode TEXT UNIQUE,"
	"  tare_g INTEGER NOT NULL DEFAULT 0 CHECK (tare_g >= 0),"
	"  length_mm INTEGER NOT NULL DEFAULT 0 CHECK (length_mm >= 0),"
	"  width_mm INTEGER NOT NULL DEFAULT 0 CHECK (width_mm >= 0),"
	"  height_mm INTEGER NOT NULL DEFAULT 0 CHECK (height_mm >= 0),"
	"  max_weight_g INTEGER NOT NULL DEFAULT 0 CHECK (max_weight_g >= 0));"
	"CREATE TABLE stock_v2 ("
	"  id INTEGER PRIMARY KEY,"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  location_id INTEGER NOT NULL REFERENCES locations(id),"
	"  lot TEXT NOT NULL DEFAULT '',"
	"  expiry TEXT NOT NULL DEFAULT '',"
	"  serial TEXT NOT NULL DEFAULT '',"
	"  quantity INTEGER NOT NULL,"
	"  UNIQUE (product_id, location_id, lot, expiry, serial));"
	"INSERT INTO stock_v2 (product_id, location_id, lot, quantity) "
	"  SELECT product_id, location_id, lot, quantity FROM stock;"
	"DROP TABLE stock;"
	"ALTER TABLE stock_v2 RENAME TO stock;"
	"CREATE INDEX stock_location ON stock(location_id);"
	"CREATE TABLE ledger ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN "
	"    ('receive', 'pick', 'pack', 'adjust', 'move', 'cancel', 'return')),"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  quantity INTEGER NOT NULL CHECK (quantity > 0),"
	"  from_location_id INTEGER REFERENCES locations(id),"
	"  to_location_id INTEGER REFERENCES locations(id),"
	"  lot TEXT NOT NULL DEFAULT '',"
	"  expiry TEXT NOT NULL DEFAULT '',"
	"  serial TEXT NOT NULL DEFAULT '',"
	"  order_id INTEGER REFERENCES orders(id),"
	"  order_line_id INTEGER REFERENCES order_lines(id),"
	"  scan_id INTEGER REFERENCES scans(id),"
	"  operator TEXT,"
	"  station TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  note TEXT,"
	"  CHECK (from_location_id IS NOT NULL OR to_location_id IS NOT NULL),"
	"  CHECK (from_location_id IS NOT to_location_id));"
	"CREATE INDEX ledger_product ON ledger(product_id, id);"
	"CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger "
	"  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;"
	"CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger "
	"  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;"
	"INSERT INTO ledger (kind, product_id, quantity, to_location_id, lot, station, at, note) "
	"  SELECT 'adjust', product_id, quantity, location_id, lot, 'schema-2', "
	"    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'opening balance: stock before the ledger' "
	"  FROM stock WHERE quantity > 0;"
	"CREATE TABLE reservations ("
	"  id INTEGER PRIMARY KEY,"
	"  order_line_id INTEGER NOT NULL UNIQUE REFERENCES order_lines(id) ON DELETE CASCADE,"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  quantity INTEGER NOT NULL CHECK (quantity > 0));"
	"CREATE INDEX reservations_product ON reservations(product_id);"
	"ALTER TABLE orders ADD COLUMN ship_name TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_company TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_street1 TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_street2 TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_city TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_region TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_postal_code TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_country TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_phone TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_email TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN service_level TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN carrier TEXT NOT NULL DEFAULT '';",

	/* 2 -> 3: labels, stored before they are printed, and their print jobs */
	"CREATE TABLE labels ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  format TEXT NOT NULL CHECK (format IN ('zpl', 'pdf')),"
	"  dpi INTEGER NOT NULL DEFAULT 0,"
	"  page TEXT NOT NULL DEFAULT '',"
	"  content BLOB NOT NULL CHECK (length(content) > 0),"
	"  sha256 TEXT NOT NULL,"
	"  order_id INTEGER REFERENCES orders(id),"
	"  reference TEXT NOT NULL DEFAULT '',"
	"  station TEXT NOT NULL,"
	"  created_at TEXT NOT NULL);"
	"CREATE INDEX labels_sha256 ON labels(sha256);"
	"CREATE INDEX labels_order ON labels(order_id);"
	"CREATE TRIGGER labels_no_update BEFORE UPDATE OF content, sha256, format ON labels "
	"  BEGIN SELECT RAISE(ABORT, 'a stored label never changes'); END;"
	"CREATE TABLE print_jobs ("
	"  id INTEGER PRIMARY KEY,"
	"  label_id INTEGER NOT NULL REFERENCES labels(id),"
	"  printer TEXT NOT NULL,"
	"  queue TEXT NOT NULL,"
	"  cups_job_id INTEGER,"
	"  state TEXT NOT NULL CHECK (state IN ('submitting', 'pending', 'held', 'processing', "
	"    'stopped', 'cancelled', 'aborted', 'completed', 'failed', 'unknown')),"
	"  reprint INTEGER NOT NULL DEFAULT 0,"
	"  message TEXT NOT NULL DEFAULT '',"
	"  operator TEXT,"
	"  station TEXT NOT NULL,"
	"  requested_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  finished_at TEXT);"
	"CREATE INDEX print_jobs_label ON print_jobs(label_id, id);"
	"CREATE INDEX print_jobs_open ON print_jobs(finished_at);",
};

static void
st_store_stmt_reset(StStoreStmt *stmt)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

G_DEFINE_TYPE(StStore, st_store, G_TYPE_OBJECT)

void
st_store_tx_free(StStoreTx *tx)
{
	if (tx == NULL)
		return;
	if (!tx->done && sqlite3_get_autocommit(tx->store->db) == 0) {
		if (tx->savepoint) {
			/* a verb inside an import: undo this verb only */
			sqlite3_exec(tx->store->db, "ROLLBACK TO st_verb; RELEASE st_verb", NULL,
				     NULL, NULL);
		} else {
			sqlite3_exec(tx->store->db, "ROLLBACK", NULL, NULL, NULL);
		}
		g_debug("transaction rolled back");
	}
	g_free(tx);
}

void
st_store_stmt_unref(StStoreStmt *stmt)
{
	st_store_stmt_reset(stmt);
}

const gchar *
st_order_status_to_string(StOrderStatus status)
{
	static const gchar *names[] = {"released", "packing", "packed", "shipped", "cancelled"};
	if ((guint)status >= G_N_ELEMENTS(names))
		return "unknown";
	return names[status];
}

static gboolean
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
st_product_free(StProduct *self)
{
	if (self == NULL)
		return;
	g_free(self->sku);
	g_free(self->name);
	g_free(self);
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
	g_free(self);
}

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

/* Maps a SQLite failure to an StError with a message that says what to do. */
void
st_store_set_error(StStore *self, GError **error, gint rc, const gchar *what)
{
	gint primary = rc & 0xff;
	const gchar *msg = self->db != NULL ? sqlite3_errmsg(self->db) : sqlite3_errstr(rc);

	switch (primary) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_BUSY,
			    "%s: database %s is locked by another process (another `station "
			    "serve`, a backup?) and stayed locked for %u ms; stop that process or "
			    "raise [store] busy-timeout",
			    what, self->path, self->busy_timeout_ms);
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_CORRUPT,
			    "%s: %s is not a SQLite database or is damaged (%s); nothing was "
			    "changed. Restore it from a backup, or move it away to start a new "
			    "one",
			    what, self->path, msg);
		break;
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_READONLY:
	case SQLITE_IOERR:
	case SQLITE_FULL:
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_IO,
			    "%s: cannot use %s (%s); check that the folder exists, is writable by "
			    "this user and has free space",
			    what, self->path, msg);
		break;
	case SQLITE_CONSTRAINT:
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA, "%s: %s", what, msg);
		break;
	default:
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_FAILED, "%s: %s (SQLite error %d)",
			    what, msg, rc);
	}
}

StStoreStmt *
st_store_prepare(StStore *self, const gchar *sql, GError **error)
{
	sqlite3_stmt *stmt = g_hash_table_lookup(self->stmts, sql);
	gint rc;

	if (stmt != NULL) {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
		return stmt;
	}
	rc = sqlite3_prepare_v3(self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
	if (rc != SQLITE_OK) {
		st_store_set_error(self, error, rc, "preparing a statement");
		return NULL;
	}
	g_hash_table_insert(self->stmts, (gpointer)sql, stmt);
	return stmt;
}

gboolean
st_store_exec(StStore *self, const gchar *sql, const gchar *what, GError **error)
{
	gint rc = sqlite3_exec(self->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		st_store_set_error(self, error, rc, what);
		return FALSE;
	}
	return TRUE;
}

/* A verb's transaction; inside an open one (an import, st_store_bulk_begin) a savepoint, so
 * that a failed verb undoes itself and leaves the import going. */
StStoreTx *
st_store_begin(StStore *self, GError **error)
{
	StStoreTx *tx;
	gboolean nested = sqlite3_get_autocommit(self->db) == 0;
	if (!st_store_exec(self, nested ? "SAVEPOINT st_verb" : "BEGIN IMMEDIATE",
			   "starting a transaction", error))
		return NULL;
	tx = g_new0(StStoreTx, 1);
	tx->store = self;
	tx->savepoint = nested;
	return tx;
}

gboolean
st_store_commit(StStoreTx *tx, GError **error)
{
	if (!st_store_exec(tx->store, tx->savepoint ? "RELEASE st_verb" : "COMMIT", "committing",
			   error))
		return FALSE;
	tx->done = TRUE;
	return TRUE;
}

gchar *
st_store_now(void)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	return g_date_time_format(now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static gchar *
st_store_time_from_us(gint64 realtime_us)
{
	g_autoptr(GDateTime) secs = g_date_time_new_from_unix_utc(realtime_us / G_USEC_PER_SEC);
	g_autoptr(GDateTime) dt = NULL;
	if (secs == NULL)
		return st_store_now();
	dt = g_date_time_add(secs, realtime_us % G_USEC_PER_SEC);
	return g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static void
st_store_finalize_stmts(StStore *self)
{
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, self->stmts);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		sqlite3_finalize(value);
	g_hash_table_remove_all(self->stmts);
}

/* Closes the database; safe to call twice. The last connection checkpoints the WAL. */
void
st_store_close(StStore *self)
{
	g_return_if_fail(ST_IS_STORE(self));
	if (self->db == NULL)
		return;
	st_store_finalize_stmts(self);
	if (sqlite3_close(self->db) != SQLITE_OK)
		g_warning("closing %s: %s", self->path, sqlite3_errmsg(self->db));
	self->db = NULL;
}

/* Reads the schema version without writing; sets *version or fails. */
static gboolean
st_store_read_version(StStore *self, guint *version, GError **error)
{
	sqlite3_stmt *stmt = NULL;
	gint rc;
	gint64 n_objects = 0;
	gint64 app_id = 0;
	gboolean has_version_table = FALSE;

	rc = sqlite3_prepare_v2(self->db,
				"SELECT (SELECT count(*) FROM sqlite_schema), "
				"(SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
				"AND name = 'schema_version')",
				-1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			n_objects = sqlite3_column_int64(stmt, 0);
			has_version_table = sqlite3_column_int64(stmt, 1) > 0;
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK) {
		st_store_set_error(self, error, rc, "reading the database");
		return FALSE;
	}
	rc = sqlite3_prepare_v2(self->db, "PRAGMA application_id", -1, &stmt, NULL);
	if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
		app_id = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);

	if (n_objects == 0) {
		*version = 0;
		return TRUE;
	}
	if (!has_version_table || app_id != ST_STORE_APPLICATION_ID) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_CORRUPT,
			    "%s is a SQLite database but not a station database; nothing was "
			    "changed. Set [store] path to another file",
			    self->path);
		return FALSE;
	}
	rc = sqlite3_prepare_v2(self->db, "SELECT max(version) FROM schema_version", -1, &stmt,
				NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		st_store_set_error(self, error, rc, "reading the schema version");
		return FALSE;
	}
	*version = (guint)sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return TRUE;
}

static gboolean
st_store_migrate(StStore *self, guint from, GError **error)
{
	for (guint v = from; v < G_N_ELEMENTS(migrations); v++) {
		g_autoptr(StStoreTx) tx = NULL;
		g_autofree gchar *now = st_store_now();
		g_autofree gchar *what = g_strdup_printf(
			"upgrading %s from schema %u to %u (nothing was changed; keep the file and "
			"report this with the station version " PACKAGE_VERSION ")",
			self->path, v, v + 1);
		sqlite3_stmt *stmt = NULL;
		gint rc;

		tx = st_store_begin(self, error);
		if (tx == NULL) {
			g_prefix_error(error, "upgrading %s to schema %u: ", self->path, v + 1);
			return FALSE;
		}
		if (!st_store_exec(self, migrations[v], what, error))
			return FALSE;
		rc = sqlite3_prepare_v2(self->db,
					"INSERT INTO schema_version (version, applied_at, "
					"station_version) VALUES (?, ?, ?)",
					-1, &stmt, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_int64(stmt, 1, v + 1);
			sqlite3_bind_text(stmt, 2, now, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(stmt, 3, PACKAGE_VERSION, -1, SQLITE_STATIC);
			rc = sqlite3_step(stmt);
		}
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, what);
			return FALSE;
		}
		if (!st_store_commit(tx, error)) {
			g_prefix_error(error, "upgrading %s to schema %u: ", self->path, v + 1);
			return FALSE;
		}
		g_info("database %s upgraded from schema %u to %u", self->path, v, v + 1);
	}
	return TRUE;
}

/**
 * st_store_open:
 * @path: the database file; created, with its folder, when missing
 * @busy_timeout_ms: how long to wait for another process's lock
 *
 * Opens and, if needed, upgrades the database. On failure nothing in the file was changed.
 *
 * Returns: FALSE with ST_ERROR_BUSY (locked), ST_ERROR_CORRUPT (damaged or not a station
 * database), ST_ERROR_VERSION (written by a newer station) or ST_ERROR_IO
 */
gboolean
st_store_open(StStore *self, const gchar *path, guint busy_timeout_ms, GError **error)
{
	g_autofree gchar *dir = g_path_get_dirname(path);
	guint version = 0;
	gint rc;

	g_return_val_if_fail(ST_IS_STORE(self), FALSE);
	g_return_val_if_fail(self->db == NULL, FALSE);

	g_free(self->path);
	self->path = g_strdup(path);
	self->busy_timeout_ms = busy_timeout_ms;
	if (g_mkdir_with_parents(dir, 0750) != 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_IO,
			    "cannot create the folder %s for the database: %s; create it or set "
			    "[store] path to a writable place",
			    dir, g_strerror(errno));
		return FALSE;
	}
	rc = sqlite3_open_v2(path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		st_store_set_error(self, error, rc, "opening the database");
		st_store_close(self);
		return FALSE;
	}
	sqlite3_extended_result_codes(self->db, 1);
	sqlite3_busy_timeout(self->db, (gint)busy_timeout_ms);

	/* read-only checks first: nothing is written to a file we refuse */
	if (!st_store_read_version(self, &version, error)) {
		st_store_close(self);
		return FALSE;
	}
	if (version > G_N_ELEMENTS(migrations)) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_VERSION,
			    "%s has schema version %u, written by a newer station (this one, "
			    "" PACKAGE_VERSION ", knows up to %u); nothing was changed. Install "
			    "that newer station again, or set [store] path to another file",
			    path, version, (guint)G_N_ELEMENTS(migrations));
		st_store_close(self);
		return FALSE;
	}

	/* WAL: readers never wait for the writer; FULL: a commit is on disk when it returns */
	{
		sqlite3_stmt *stmt = NULL;
		const guchar *mode = NULL;
		rc = sqlite3_prepare_v2(self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
		if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			mode = sqlite3_column_text(stmt, 0);
			rc = SQLITE_OK;
		}
		if (rc != SQLITE_OK) {
			sqlite3_finalize(stmt);
			st_store_set_error(self, error, rc, "switching to WAL");
			st_store_close(self);
			return FALSE;
		}
		if (g_strcmp0((const gchar *)mode, "wal") != 0) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_IO,
				    "%s cannot use write-ahead logging (journal mode stays %s); "
				    "put the database on a local file system",
				    path, mode != NULL ? (const gchar *)mode : "unknown");
			sqlite3_finalize(stmt);
			st_store_close(self);
			return FALSE;
		}
		sqlite3_finalize(stmt);
	}
	/* 32 MiB of page cache: an import's transaction stays in memory instead of spilling
	 * pages to the WAL as it goes. Reads through a memory map (1 GiB of address space on
	 * 64-bit, 128 MiB on 32-bit boards): a barcode lookup in a catalogue of millions is
	 * memory accesses, not a read() per page (both measured by bench-inventory). Writes
	 * still go through the WAL and fsync. */
	if (!st_store_exec(self,
			   sizeof(gpointer) >= 8
				   ? "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
				     "PRAGMA cache_size = -32768; PRAGMA mmap_size = 1073741824;"
				   : "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
				     "PRAGMA cache_size = -32768; PRAGMA mmap_size = 134217728;",
			   "setting durability", error)) {
		st_store_close(self);
		return FALSE;
	}
	if (!st_store_migrate(self, version, error)) {
		st_store_close(self);
		return FALSE;
	}
	self->schema_version = G_N_ELEMENTS(migrations);
	g_debug("opened %s at schema %u", path, self->schema_version);
	return TRUE;
}

guint
st_store_get_schema_version(StStore *self)
{
	return self->schema_version;
}

guint
st_store_get_latest_schema_version(void)
{
	return G_N_ELEMENTS(migrations);
}

const gchar *
st_store_get_path(StStore *self)
{
	return self->path;
}

gboolean
st_store_step_done(StStore *self, sqlite3_stmt *stmt, const gchar *what, GError **error)
{
	gint rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, what);
		return FALSE;
	}
	return TRUE;
}

/**
 * st_store_add_product:
 * @barcodes: (array zero-terminated=1) (nullable): barcodes that identify one unit
 * @id: (out) (optional): the new product's id
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA if the SKU or a barcode is taken
 */
gboolean
st_store_add_product(StStore *self,
		     const gchar *sku,
		     const gchar *name,
		     guint weight_g,
		     const gchar *const *barcodes,
		     gint64 *id,
		     GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autofree gchar *now = st_store_now();
	gint64 product_id;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	{
		g_autoptr(StStoreStmt) stmt =
			st_store_prepare(self,
					 "INSERT INTO products (sku, name, weight_g, created_at) "
					 "VALUES (?, ?, ?, ?)",
					 error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_text(stmt, 1, sku, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 3, weight_g);
		sqlite3_bind_text(stmt, 4, now, -1, SQLITE_TRANSIENT);
		if (!st_store_step_done(self, stmt, "adding product", error)) {
			g_prefix_error(error, "SKU %s: ", sku);
			return FALSE;
		}
		product_id = sqlite3_last_insert_rowid(self->db);
	}
	for (guint i = 0; barcodes != NULL && barcodes[i] != NULL; i++) {
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self, "INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?)",
			error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_text(stmt, 1, barcodes[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, product_id);
		if (!st_store_step_done(self, stmt, "adding barcode", error)) {
			g_prefix_error(error, "SKU %s, barcode %s: ", sku, barcodes[i]);
			return FALSE;
		}
	}
	if (!st_store_commit(tx, error))
		return FALSE;
	if (id != NULL)
		*id = product_id;
	return TRUE;
}

gint64
st_store_product_id_by_sku(StStore *self, const gchar *sku, GError **error)
{
	g_autoptr(StStoreStmt) stmt =
		st_store_prepare(self, "SELECT id FROM products WHERE sku = ?", error);
	gint rc;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, sku, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		return sqlite3_column_int64(stmt, 0);
	if (rc == SQLITE_DONE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no product with SKU %s",
			    sku);
		return -1;
	}
	st_store_set_error(self, error, rc, "looking up a product");
	return -1;
}

static gboolean
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

/**
 * st_store_add_order:
 * @lines: (array length=n_lines): the lines, by SKU
 * @id: (out) (optional): the new order's id
 *
 * Returns: FALSE with ST_ERROR_NOT_FOUND for an unknown SKU or ST_ERROR_INVALID_DATA for a
 * taken number or a zero quantity; nothing is stored then
 */
gboolean
st_store_add_order(StStore *self,
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
	if (!st_store_insert_status(self, order_id, NULL, st_order_status_to_string(status), 0, now,
				    error))
		return FALSE;
	if (!st_store_commit(tx, error))
		return FALSE;
	if (id != NULL)
		*id = order_id;
	return TRUE;
}

/* Returns: (transfer full): the product, or NULL with ST_ERROR_NOT_FOUND */
StProduct *
st_store_find_product_by_barcode(StStore *self, const gchar *barcode, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	StProduct *product;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self,
				"SELECT p.id, p.sku, p.name, p.weight_g, b.quantity "
				"FROM product_barcodes b JOIN products p ON p.id = b.product_id "
				"WHERE b.barcode = ?",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, barcode, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no product has barcode %s",
			    barcode);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "looking up a barcode");
		return NULL;
	}
	product = g_new0(StProduct, 1);
	product->id = sqlite3_column_int64(stmt, 0);
	product->sku = g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
	product->name = g_strdup((const gchar *)sqlite3_column_text(stmt, 2));
	product->weight_g = (guint)sqlite3_column_int64(stmt, 3);
	product->quantity = (guint)sqlite3_column_int64(stmt, 4);
	return product;
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
	stmt = st_store_prepare(
		self,
		"SELECT l.id, l.line_no, l.product_id, p.sku, p.name, l.quantity, "
		"l.packed FROM order_lines l JOIN products p ON p.id = l.product_id "
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
		g_ptr_array_add(lines, line);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading order lines");
		return NULL;
	}
	return g_steal_pointer(&lines);
}

static gboolean
st_store_insert_scan(StStore *self,
		     StScan *scan,
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
				"scanned_at, verdict, reason, message, order_id, product_id) "
				"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
	if (!st_store_step_done(self, stmt, "recording the scan", error))
		return FALSE;
	if (scan_id != NULL)
		*scan_id = sqlite3_last_insert_rowid(self->db);
	return TRUE;
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

static gboolean
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
	json_builder_begin_object(fields);
	json_builder_set_member_name(fields, "order");
	json_builder_add_string_value(fields, order->number);
	json_builder_set_member_name(fields, "from");
	json_builder_add_string_value(fields, st_order_status_to_string(from));
	json_builder_set_member_name(fields, "to");
	json_builder_add_string_value(fields, st_order_status_to_string(to));
	return st_store_insert_event(self, kind, order->id, fields, now, error);
}

/**
 * st_store_refuse_scan:
 * @reason: a short code such as "not-in-order"
 * @message: what the operator is told
 * @order_id, @product_id: what the scan concerned, or 0
 *
 * Records a refused scan, durably.
 */
gboolean
st_store_refuse_scan(StStore *self,
		     StScan *scan,
		     const gchar *reason,
		     const gchar *message,
		     gint64 order_id,
		     gint64 product_id,
		     gint64 *scan_id,
		     GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;

	g_return_val_if_fail(self->db != NULL, FALSE);
	g_return_val_if_fail(reason != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (!st_store_insert_scan(self, scan, reason, message, order_id, product_id, scan_id,
				  error))
		return FALSE;
	return st_store_commit(tx, error);
}

/**
 * st_store_start_packing:
 *
 * Records the order scan as accepted and, if the order was released, moves it to packing
 * with its outbox event, in one durable transaction. An order already in packing is resumed.
 */
gboolean
st_store_start_packing(StStore *self,
		       StScan *scan,
		       const StOrder *order,
		       const gchar *message,
		       gint64 *scan_id,
		       GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autofree gchar *now = st_store_now();
	gint64 id = 0;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (!st_store_insert_scan(self, scan, NULL, message, order->id, 0, &id, error))
		return FALSE;
	if (order->status == ST_ORDER_STATUS_RELEASED &&
	    !st_store_set_status(self, order, ST_ORDER_STATUS_RELEASED, ST_ORDER_STATUS_PACKING, id,
				 now, error))
		return FALSE;
	if (!st_store_commit(tx, error))
		return FALSE;
	if (scan_id != NULL)
		*scan_id = id;
	return TRUE;
}

/**
 * st_store_pack_item:
 * @quantity: units this scan counts for (a case barcode counts for several)
 *
 * Records an accepted item scan, adds @quantity to the line and queues an item.packed
 * event, in one durable transaction.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA if that would pack more than the line holds
 */
gboolean
st_store_pack_item(StStore *self,
		   StScan *scan,
		   const StOrder *order,
		   const StOrderLine *line,
		   guint quantity,
		   const gchar *message,
		   gint64 *scan_id,
		   GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(JsonBuilder) fields = json_builder_new();
	g_autofree gchar *now = st_store_now();
	gint64 id = 0;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (!st_store_insert_scan(self, scan, NULL, message, order->id, line->product_id, &id,
				  error))
		return FALSE;
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
	json_builder_set_member_name(fields, "scan");
	json_builder_add_int_value(fields, id);
	if (!st_store_insert_event(self, "item.packed", order->id, fields, now, error))
		return FALSE;
	if (!st_store_commit(tx, error))
		return FALSE;
	if (scan_id != NULL)
		*scan_id = id;
	return TRUE;
}

/**
 * st_store_finish_packing:
 * @scan_id: the scan that completed the order, or 0
 *
 * Moves the order from packing to packed with its order.packed event, in one transaction.
 */
gboolean
st_store_finish_packing(StStore *self, const StOrder *order, gint64 scan_id, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autofree gchar *now = st_store_now();

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (!st_store_set_status(self, order, ST_ORDER_STATUS_PACKING, ST_ORDER_STATUS_PACKED,
				 scan_id, now, error))
		return FALSE;
	return st_store_commit(tx, error);
}

static GBytes *
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
				"s.verdict, s.reason, s.message, o.number, p.sku FROM scans s "
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
		g_ptr_array_add(scans, r);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading scans");
		return NULL;
	}
	return g_steal_pointer(&scans);
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

static void
st_store_finalize(GObject *object)
{
	StStore *self = ST_STORE(object);
	st_store_close(self);
	g_hash_table_unref(self->stmts);
	g_free(self->path);
	g_free(self->station_id);
	g_strfreev(self->negative_locations);
	G_OBJECT_CLASS(st_store_parent_class)->finalize(object);
}

static void
st_store_init(StStore *self)
{
	self->stmts = g_hash_table_new(g_str_hash, g_str_equal);
}

static void
st_store_class_init(StStoreClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = st_store_finalize;
}

/**
 * st_store_new:
 * @station_id: the bench's name, stamped on scans and events
 *
 * Returns: (transfer full): a store; call st_store_open() before any verb
 */
StStore *
st_store_new(const gchar *station_id)
{
	StStore *self = g_object_new(ST_TYPE_STORE, NULL);
	self->station_id = g_strdup(station_id);
	return self;
}
