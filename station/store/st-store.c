/*
 * StStore: owns the sqlite3 handle; the statement cache, transactions and checks the verbs of
 * the other files of station/store/ share (st-store-private.h). Only station/store/ includes
 * sqlite3.h.
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
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "station/st-error.h"
#include "station/st-store.h"

#include "st-store-private.h"

GQuark
st_store_error_quark(void)
{
	return g_quark_from_static_string("st-store-error-quark");
}

#define ST_STORE_APPLICATION_ID 0x5354434e /* "STCN" */

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
	if (tx->joined) {
		/* a verb failed inside the caller's transaction: it must not commit */
		if (!tx->done && tx->store->unit != NULL)
			tx->store->unit->failed = TRUE;
		g_free(tx);
		return;
	}
	g_free(tx->operator_badge);
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

/* the process holding an exclusive lock on a byte of [start, start + len) of @path, as
 * "pid N: its command line", or NULL when none does or it cannot be told (POSIX record
 * locks, as SQLite takes them, name their owner's pid). Asked as a would-be reader: the
 * shared locks every open connection keeps do not answer, only a writer's */
static gchar *
st_store_lock_owner(const gchar *path, off_t start, off_t len)
{
	struct flock fl = {0};
	g_autofree gchar *cmdline = NULL;
	g_autofree gchar *proc = NULL;
	gsize n = 0;
	gint fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);

	if (fd < 0)
		return NULL;
	fl.l_type = F_RDLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	if (fcntl(fd, F_GETLK, &fl) != 0 || fl.l_type == F_UNLCK || fl.l_pid <= 0) {
		close(fd);
		return NULL;
	}
	close(fd);
	proc = g_strdup_printf("/proc/%d/cmdline", (gint)fl.l_pid);
	if (g_file_get_contents(proc, &cmdline, &n, NULL) && n > 0) {
		g_autoptr(GString) str = g_string_new(NULL);
		/* the arguments are NUL-separated; at most 200 bytes of them, printable */
		for (gsize i = 0; i < n && str->len < 200; i++) {
			guchar c = (guchar)cmdline[i];
			g_string_append_c(str, c == '\0' ? ' ' : (g_ascii_isprint(c) ? c : '?'));
		}
		while (str->len > 0 && str->str[str->len - 1] == ' ')
			g_string_truncate(str, str->len - 1);
		return g_strdup_printf("pid %d: %s", (gint)fl.l_pid, str->str);
	}
	return g_strdup_printf("pid %d", (gint)fl.l_pid);
}

/**
 * st_store_describe_lock_holder:
 * @path: a database
 *
 * Who holds the lock that keeps a writer out of @path: in WAL mode the writer's byte of the
 * -shm file (and the checkpoint and recovery bytes beside it), else an exclusive lock on the
 * lock bytes of the database file itself (SQLite's pending, reserved and shared bytes at 1
 * GiB: a connection in exclusive locking mode, a writer in rollback-journal mode).
 *
 * Returns: (transfer full) (nullable): "pid N: command line", or NULL when it cannot be told
 */
gchar *
st_store_describe_lock_holder(const gchar *path)
{
	g_autofree gchar *shm = g_strconcat(path, "-shm", NULL);
	gchar *owner = st_store_lock_owner(shm, 120, 3);
	if (owner == NULL)
		owner = st_store_lock_owner(path, 0x40000000, 2 + 510);
	return owner;
}

/* Maps a SQLite failure to an StError with a message that says what to do. */
void
st_store_set_error(StStore *self, GError **error, gint rc, const gchar *what)
{
	gint primary = rc & 0xff;
	const gchar *msg = self->db != NULL ? sqlite3_errmsg(self->db) : sqlite3_errstr(rc);

	switch (primary) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED: {
		g_autofree gchar *holder =
			self->path != NULL ? st_store_describe_lock_holder(self->path) : NULL;
		if (holder != NULL) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_BUSY,
				    "%s: database %s is locked by another process (%s) and stayed "
				    "locked for %u ms; wait for it to finish or stop it, or raise "
				    "[store] busy-timeout",
				    what, self->path, holder, self->busy_timeout_ms);
			break;
		}
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_BUSY,
			    "%s: database %s is locked by another process (another `station "
			    "serve`, a backup?) and stayed locked for %u ms; stop that process or "
			    "raise [store] busy-timeout",
			    what, self->path, self->busy_timeout_ms);
		break;
	}
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_CORRUPT,
			    "%s: %s is not a SQLite database or is damaged (%s); nothing was "
			    "changed. Restore it from a backup, or move it away to start a new "
			    "one",
			    what, self->path, msg);
		break;
	case SQLITE_FULL:
		/* nothing of it was kept: the transaction is undone whole */
		g_set_error(
			error, ST_STORE_ERROR, ST_ERROR_IO,
			"%s: the disk holding %s is full (%s): nothing of it was recorded; free "
			"space on that disk, the station goes on by itself once there is",
			what, self->path, msg);
		break;
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_READONLY:
	case SQLITE_IOERR:
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_IO,
			    "%s: cannot use %s (%s); check that the folder exists, is writable by "
			    "this user and that its disk works",
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

/*
 * The statement cache's hash of a statement's SQL: its length and 32 of its bytes spread over
 * it, not every byte. Statements are a few hundred bytes and looked up for every verb (an
 * import looks up ten a row); two statements alike in all of these are told apart by
 * g_str_equal as any collision.
 */
static guint
st_store_sql_hash(gconstpointer key)
{
	const guchar *sql = key;
	gsize len = strlen(key);
	guint32 h = 2166136261u ^ (guint32)len;
	gsize step = len / 32 + 1;

	for (gsize i = 0; i < len; i += step) {
		h ^= sql[i];
		h *= 16777619u;
	}
	return h;
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
	g_hash_table_insert(self->stmts, g_strdup(sql),
			    stmt); /* the key copied: a caller may build its SQL */
	return stmt;
}

gboolean
st_store_exec(StStore *self, const gchar *sql, const gchar *what, GError **error)
{
	gint rc;

	/* one statement (BEGIN IMMEDIATE, SAVEPOINT, RELEASE, COMMIT: each scan's and each
	 * imported row's) is prepared once and kept, not parsed again at every use */
	if (strchr(sql, ';') == NULL) {
		sqlite3_stmt *stmt = st_store_prepare(self, sql, error);
		if (stmt == NULL) {
			g_prefix_error(error, "%s: ", what);
			return FALSE;
		}
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			;
		sqlite3_reset(stmt);
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, what);
			return FALSE;
		}
		return TRUE;
	}
	rc = sqlite3_exec(self->db, sql, NULL, NULL, NULL);
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
	if ((self->unit != NULL || self->row_open) && nested) {
		tx = g_new0(StStoreTx, 1);
		tx->store = self;
		tx->joined = TRUE;
		return tx;
	}
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
	if (tx->joined) {
		tx->done = TRUE;
		return TRUE;
	}
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

gchar *
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

/* finalizes the cached statement of @sql, if there is one (a statement on an attached
 * database keeps it from being detached) */
void
st_store_forget_stmt(StStore *self, const gchar *sql)
{
	sqlite3_stmt *stmt = g_hash_table_lookup(self->stmts, sql);
	if (stmt == NULL)
		return;
	sqlite3_finalize(stmt);
	g_hash_table_remove(self->stmts, sql);
}

/* Closes the database; safe to call twice. The last connection checkpoints the WAL. */
void
st_store_close(StStore *self)
{
	g_return_if_fail(ST_IS_STORE(self));
	if (self->db == NULL)
		return;
	g_clear_pointer(&self->stage_rows, sqlite3_finalize);
	st_store_finalize_stmts(self);
	if (sqlite3_close(self->db) != SQLITE_OK)
		g_warning("closing %s: %s", self->path, sqlite3_errmsg(self->db));
	self->db = NULL;
	if (self->scratch && self->path != NULL) {
		const gchar *const tails[] = {"", "-wal", "-shm", "-journal"};
		for (guint i = 0; i < G_N_ELEMENTS(tails); i++) {
			g_autofree gchar *file = g_strconcat(self->path, tails[i], NULL);
			g_unlink(file);
		}
	}
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
st_store_bump_schema_cookie(StStore *self, const gchar *what, GError **error)
{
	sqlite3_stmt *stmt = NULL;
	g_autofree gchar *sql = NULL;
	gint64 cookie = -1;
	gint rc = sqlite3_prepare_v2(self->db, "PRAGMA schema_version", -1, &stmt, NULL);

	if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
		cookie = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (cookie < 0) {
		st_store_set_error(self, error, sqlite3_errcode(self->db), what);
		return FALSE;
	}
	sql = g_strdup_printf("PRAGMA schema_version = %" G_GINT64_FORMAT, cookie + 1);
	/* the cached statements were prepared against the schema before */
	st_store_finalize_stmts(self);
	return st_store_exec(self, sql, what, error);
}

static gboolean
st_store_migrate(StStore *self, guint from, GError **error)
{
	for (guint v = from; v < st_store_migrations_count(); v++) {
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
		if (!st_store_exec(self, st_store_migration(v), what, error))
			return FALSE;
		/* a migration that edited the schema's text (writable_schema) raises the schema
		 * cookie, so that every connection, this one too, reads the schema again */
		if (strstr(st_store_migration(v), "writable_schema") != NULL &&
		    !st_store_bump_schema_cookie(self, what, error))
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
	/* NOMUTEX: a store is used by one thread, the main loop's (the workers of the API and
	 * of printing never touch it), so SQLite need not lock the connection at every call */
	rc = sqlite3_open_v2(path, &self->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			     NULL);
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
	if (version > st_store_migrations_count()) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_VERSION,
			    "%s has schema version %u, written by a newer station (this one, "
			    "" PACKAGE_VERSION ", knows up to %u); nothing was changed. Install "
			    "that newer station again, or set [store] path to another file",
			    path, version, (guint)st_store_migrations_count());
		st_store_close(self);
		return FALSE;
	}

	/* a new file: its page size before its first page is written (ST_STORE_PAGE_SIZE) */
	if (version == 0 && !st_store_exec(self, "PRAGMA page_size = " ST_STORE_PAGE_SIZE,
					   "creating the database", error)) {
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
	/* Reads through read(), not a memory map: a disk that fails a read (a worn SD card on a
	 * bench's board) is then an error SQLite reports, which the station says and survives,
	 * where through a map it is a SIGBUS that ends the daemon (SQLite's own documentation of
	 * mmap). The pages read are the kernel's page cache either way; mapped, they were counted
	 * in the daemon's resident size (bench-daemon, 12,000 scans: 26 MiB mapped, 18 MiB
	 * without). A barcode lookup in 100,000 products takes 3.1 us instead of 2.5
	 * (bench-inventory), beside a scan's 100 us and more of commit. The page cache:
	 * ST_STORE_CACHE_SIZE. */
	if (!st_store_exec(self,
			   "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
			   "PRAGMA cache_size = " ST_STORE_CACHE_SIZE "; PRAGMA mmap_size = 0;",
			   "setting durability", error)) {
		st_store_close(self);
		return FALSE;
	}
	if (!st_store_migrate(self, version, error)) {
		st_store_close(self);
		return FALSE;
	}
	self->schema_version = st_store_migrations_count();
	g_debug("opened %s at schema %u", path, self->schema_version);
	return TRUE;
}

/* a URI SQLite reads as the file @path, never changed by anyone (what a read-only mount
 * guarantees): no -shm, no locks */
static gchar *
st_store_immutable_uri(const gchar *path)
{
	g_autofree gchar *abs = g_canonicalize_filename(path, NULL);
	g_autofree gchar *uri = g_filename_to_uri(abs, NULL, NULL);
	return uri != NULL ? g_strconcat(uri, "?immutable=1", NULL) : NULL;
}

static gboolean
st_store_open_read_only_at(StStore *self,
			   const gchar *name,
			   gint flags,
			   guint *version,
			   GError **error)
{
	gint rc = sqlite3_open_v2(name, &self->db,
				  SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | flags, NULL);
	if (rc != SQLITE_OK) {
		st_store_set_error(self, error, rc, "opening the database to read");
		st_store_close(self);
		return FALSE;
	}
	sqlite3_extended_result_codes(self->db, 1);
	sqlite3_busy_timeout(self->db, (gint)self->busy_timeout_ms);
	if (!st_store_read_version(self, version, error)) {
		st_store_close(self);
		return FALSE;
	}
	return TRUE;
}

/**
 * st_store_open_read_only:
 * @path: an existing database
 * @busy_timeout_ms: how long to wait for another process's lock
 *
 * Opens the database for the commands that only read (check, stock, ledger, export):
 * nothing is written to it and no write lock is taken, so they work on a copy this user
 * cannot write. SQLite keeps its shared-memory index in the -shm file beside the database;
 * where this user cannot create it (a read-only folder or mount) and no -wal file holds
 * changes, the file is read as immutable. A database of an older schema is upgraded first
 * when this user can write it (as st_store_open() does), and refused otherwise: the
 * queries of this station would not find its columns.
 *
 * Returns: FALSE with the errors of st_store_open(); ST_ERROR_IO names the file that
 * cannot be read and what to do
 */
gboolean
st_store_open_read_only(StStore *self, const gchar *path, guint busy_timeout_ms, GError **error)
{
	g_autofree gchar *wal = g_strconcat(path, "-wal", NULL);
	g_autofree gchar *shm = g_strconcat(path, "-shm", NULL);
	g_autoptr(GError) error_local = NULL;
	guint version = 0;
	GStatBuf st;

	g_return_val_if_fail(ST_IS_STORE(self), FALSE);
	g_return_val_if_fail(self->db == NULL, FALSE);

	g_free(self->path);
	self->path = g_strdup(path);
	self->busy_timeout_ms = busy_timeout_ms;
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
			    "no database at %s; give the configuration whose [store] path is the "
			    "database",
			    path);
		return FALSE;
	}
	/* SQLite makes the -shm file as this user: beside another user's database that
	 * nobody has open (no -shm), it would stay behind with this user as owner and stop
	 * the owner's next writes. The file alone is the database then: read it as immutable */
	if (g_stat(path, &st) == 0 && geteuid() != 0 && geteuid() != st.st_uid &&
	    !g_file_test(shm, G_FILE_TEST_EXISTS) && !(g_stat(wal, &st) == 0 && st.st_size > 0)) {
		g_autofree gchar *uri = st_store_immutable_uri(path);
		if (uri != NULL) {
			g_debug("%s: another user's database that nobody has open; reading it "
				"as immutable",
				path);
			if (!st_store_open_read_only_at(self, uri, SQLITE_OPEN_URI, &version,
							error))
				return FALSE;
			goto opened;
		}
	}
	if (!st_store_open_read_only_at(self, path, 0, &version, &error_local)) {
		g_autofree gchar *uri = NULL;
		/* SQLite answers "readonly" (or cannot open) when it cannot make the -shm
		 * file; without a -wal holding changes, the file alone is the database */
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_IO) ||
		    (g_stat(wal, &st) == 0 && st.st_size > 0) ||
		    (uri = st_store_immutable_uri(path)) == NULL) {
			if (g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_IO) &&
			    g_file_test(wal, G_FILE_TEST_EXISTS)) {
				g_set_error(
					error, ST_STORE_ERROR, ST_ERROR_IO,
					"%s has recent changes in %s that this user cannot read "
					"without writing beside them; run the command as the user "
					"who owns the database, or copy the database with its -wal "
					"file to a folder this user can write",
					path, wal);
				return FALSE;
			}
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		g_debug("%s: %s; reading it as immutable", path, error_local->message);
		g_clear_error(&error_local);
		if (!st_store_open_read_only_at(self, uri, SQLITE_OPEN_URI, &version, error))
			return FALSE;
	}
opened:
	if (version == 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
			    "%s holds no station database yet; import the catalogue first "
			    "(station import products FILE.csv)",
			    path);
		st_store_close(self);
		return FALSE;
	}
	if (version > st_store_migrations_count()) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_VERSION,
			    "%s has schema version %u, written by a newer station (this one, "
			    "" PACKAGE_VERSION ", knows up to %u); nothing was changed. Install "
			    "that newer station again, or set [store] path to another file",
			    path, version, (guint)st_store_migrations_count());
		st_store_close(self);
		return FALSE;
	}
	if (version < st_store_migrations_count()) {
		st_store_close(self);
		if (!st_store_check_writable(path, &error_local)) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_VERSION,
				    "%s has schema version %u, older than this station's %u, and "
				    "this user cannot upgrade it (%s); run `station check` once "
				    "as the user who owns it",
				    path, version, (guint)st_store_migrations_count(),
				    error_local->message);
			return FALSE;
		}
		return st_store_open(self, path, busy_timeout_ms, error);
	}
	if (!st_store_exec(self,
			   "PRAGMA query_only = ON; PRAGMA cache_size = -32768; "
			   "PRAGMA mmap_size = 134217728;",
			   "setting up reading", error)) {
		st_store_close(self);
		return FALSE;
	}
	self->schema_version = version;
	g_debug("opened %s to read at schema %u", path, version);
	return TRUE;
}

/**
 * st_store_take_full_scans:
 *
 * What the statements prepared so far read by walking a whole table (or a whole index)
 * instead of searching it: SQLite's SQLITE_STMTSTATUS_FULLSCAN_STEP of each, since the last
 * call, which resets them. A verb that a scan runs must search: a walk of the ledger, the
 * scans or the packed items costs more with every shift. The tests run a shift over a store
 * that has many and check this.
 *
 * Returns: (transfer full) (element-type utf8 guint): each statement's SQL to its steps,
 *   statements without any left out
 */
GHashTable *
st_store_take_full_scans(StStore *self)
{
	GHashTable *steps = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTableIter iter;
	gpointer sql, stmt;

	g_hash_table_iter_init(&iter, self->stmts);
	while (g_hash_table_iter_next(&iter, &sql, &stmt)) {
		gint n = sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
		if (n > 0)
			g_hash_table_insert(steps, g_strdup(sql), GUINT_TO_POINTER((guint)n));
	}
	return steps;
}

guint
st_store_get_schema_version(StStore *self)
{
	return self->schema_version;
}

guint
st_store_get_latest_schema_version(void)
{
	return st_store_migrations_count();
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
	self->stmts = g_hash_table_new_full(st_store_sql_hash, g_str_equal, g_free, NULL);
}

static void
st_store_class_init(StStoreClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = st_store_finalize;
	/* SQLite counts every allocation under a global mutex for sqlite3_status(), which the
	 * station never asks: a lock and an unlock per malloc, 4% of an import (perf). Before
	 * SQLite's first use in the process only; later (a tool that opened SQLite itself
	 * first) it is refused and nothing changes. */
	if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		g_debug("SQLite was used before the first store: its memory statistics stay on");
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

const gchar *
st_nz(const gchar *s)
{
	return s != NULL ? s : "";
}

gchar *
st_column_dup(sqlite3_stmt *stmt, gint col)
{
	const guchar *text = sqlite3_column_text(stmt, col);
	return text != NULL ? g_strdup((const gchar *)text) : NULL;
}

/* a text of 1 to @max characters with no control characters */
gboolean
st_store_check_text(const gchar *what, const gchar *value, guint max, GError **error)
{
	if (value == NULL || value[0] == '\0') {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA, "%s is missing", what);
		return FALSE;
	}
	if (g_utf8_strlen(value, -1) > max) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "%s '%s' is longer than %u characters", what, value, max);
		return FALSE;
	}
	for (const gchar *p = value; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || *p == 0x7f) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
				    "%s '%s' holds a control character", what, value);
			return FALSE;
		}
	}
	return TRUE;
}

/* YYYY-MM-DD, a real day */
gboolean
st_store_parse_date(const gchar *value, GDate *date)
{
	guint y, m, d;
	gchar end;
	if (strlen(value) != 10 || value[4] != '-' || value[7] != '-' ||
	    sscanf(value, "%4u-%2u-%2u%c", &y, &m, &d, &end) != 3)
		return FALSE;
	for (guint i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && !g_ascii_isdigit(value[i]))
			return FALSE;
	}
	if (!g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return FALSE;
	g_date_clear(date, 1);
	g_date_set_dmy(date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
	return TRUE;
}

/* @expiry (nullable) is a real YYYY-MM-DD date and, when @refuse_past (goods coming into
 * stock: received, returned, counted), not before today */
gboolean
st_store_check_expiry(const gchar *sku, const gchar *expiry, gboolean refuse_past, GError **error)
{
	GDate date, today;

	if (expiry == NULL || expiry[0] == '\0')
		return TRUE;
	if (!st_store_parse_date(expiry, &date)) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    _("expiry '%s' of SKU %s is not a date written YYYY-MM-DD"), expiry,
			    sku);
		return FALSE;
	}
	g_date_clear(&today, 1);
	g_date_set_time_t(&today, time(NULL));
	if (refuse_past && g_date_compare(&date, &today) < 0) {
		g_set_error(
			error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			_("expiry %s of SKU %s is in the past: expired goods are not taken into "
			  "stock (check the date, or put them aside)"),
			expiry, sku);
		return FALSE;
	}
	return TRUE;
}

gint64
st_store_scalar(StStore *self, const gchar *sql, gint64 arg, GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(self, sql, error);
	gint rc;
	if (stmt == NULL)
		return G_MININT64;
	sqlite3_bind_int64(stmt, 1, arg);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "reading stock");
		return G_MININT64;
	}
	return sqlite3_column_int64(stmt, 0);
}

/**
 * st_store_transaction_begin:
 *
 * Opens a transaction that the verbs called until st_store_transaction_commit() join (each
 * as a savepoint). Inside another transaction (an import's), it is a savepoint itself.
 *
 * Returns: (transfer full): the transaction, or NULL with ST_ERROR_BUSY when another
 * process holds the database past the busy timeout
 */
StStoreTransaction *
st_store_transaction_begin(StStore *self, GError **error)
{
	StStoreTransaction *tx;

	g_return_val_if_fail(ST_IS_STORE(self), NULL);
	g_return_val_if_fail(self->db != NULL, NULL);
	tx = st_store_begin(self, error);
	if (tx != NULL && self->unit == NULL)
		self->unit = tx;
	return tx;
}

/* Returns: FALSE with an error when it could not be committed (or a verb in it failed); it
 * is then undone */
gboolean
st_store_transaction_commit(StStoreTransaction *self, GError **error)
{
	StStore *store = self->store;

	if (store->unit == self && self->failed) {
		g_set_error_literal(error, ST_STORE_ERROR, ST_ERROR_FAILED,
				    "a change inside the transaction failed: nothing of it was "
				    "recorded");
		return FALSE;
	}
	if (!st_store_commit(self, error))
		return FALSE;
	if (store->unit == self)
		store->unit = NULL;
	return TRUE;
}

/* @badge: (nullable): the operator whose work the transaction records; its events name them */
void
st_store_transaction_set_operator(StStoreTransaction *self, const gchar *badge)
{
	g_free(self->operator_badge);
	self->operator_badge = g_strdup(badge);
}

/* undoes the transaction's work unless it was committed */
void
st_store_transaction_free(StStoreTransaction *self)
{
	if (self == NULL)
		return;
	if (self->store->unit == self)
		self->store->unit = NULL;
	st_store_tx_free(self);
}

/**
 * st_store_check_writable:
 * @path: the database
 *
 * What the daemon checks before it says ready: the database, its folder and its -wal and
 * -shm files (those that exist) can be written by this process. A database it could only
 * read would answer every scan "not recorded".
 *
 * Returns: FALSE with ST_ERROR_IO naming the first that cannot, and what to do
 */
gboolean
st_store_check_writable(const gchar *path, GError **error)
{
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autofree gchar *wal = g_strconcat(path, "-wal", NULL);
	g_autofree gchar *shm = g_strconcat(path, "-shm", NULL);
	const gchar *const files[] = {path, wal, shm};

	if (g_access(dir, W_OK) != 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_IO,
			    "the database's folder %s cannot be written by this user (%s): SQLite "
			    "keeps its journal beside the database; run the station as the user "
			    "who owns it, or give that user the folder",
			    dir, g_strerror(errno));
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		if (g_file_test(files[i], G_FILE_TEST_EXISTS) && g_access(files[i], W_OK) != 0) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_IO,
				    "%s cannot be written by this user (%s): every scan would be "
				    "refused; run the station as the user who owns it, or make it "
				    "writable (chmod u+w, or chown)",
				    files[i], g_strerror(errno));
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * st_store_quick_check:
 *
 * SQLite's quick check of every page (what `station serve` runs before it says ready: a
 * damaged page found at the first scan of a shift would lose that scan).
 *
 * Returns: FALSE with ST_ERROR_CORRUPT naming the first fault and what to do
 */
gboolean
st_store_quick_check(StStore *self, GError **error)
{
	sqlite3_stmt *stmt = NULL;
	g_autofree gchar *first = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, FALSE);
	rc = sqlite3_prepare_v2(self->db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		first = g_strdup((const gchar *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	if (first != NULL)
		g_strdelimit(first, "\n", ' ');
	if (rc != SQLITE_ROW || g_strcmp0(first, "ok") != 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_CORRUPT,
			    "the database %s is damaged (%s): nothing was changed; run station "
			    "check for what is wrong, and restore the last backup",
			    self->path, first != NULL ? first : sqlite3_errstr(rc));
		return FALSE;
	}
	return TRUE;
}
