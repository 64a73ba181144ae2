/*
 * Tests of the store: migrations from fixture databases of every older schema, the refusals
 * that must leave a file untouched (newer schema, damaged, foreign, locked), and the verbs,
 * including that a status change and its outbox event commit together or not at all.
 */
#include <sqlite3.h> /* tests only: to build fixture databases and hold locks */

#include "st-test-sqlite.h"
#include "st-test-util.h"
#include "station/st-error.h"
#include "station/st-store.h"

#include "st-store-private.h" /* st_store_set_error */

typedef struct {
	gchar *dir;
	gchar *path;
} Fixture;

static void
fixture_set_up(Fixture *fx, gconstpointer data)
{
	fx->dir = st_test_tmpdir_new();
	fx->path = g_build_filename(fx->dir, "station.db", NULL);
}

static void
fixture_tear_down(Fixture *fx, gconstpointer data)
{
	st_test_tmpdir_free(fx->dir);
	g_free(fx->path);
}

/* builds a database file from one of the SQL files in tests/fixtures/store */
static void
db_from_sql(const gchar *path, const gchar *fixture)
{
	g_autofree gchar *relative = g_build_filename("fixtures", "store", fixture, NULL);
	g_autofree gchar *sqlfile = st_test_source_path(relative);
	g_autofree gchar *sql = NULL;
	g_autoptr(GError) error = NULL;
	sqlite3 *db = NULL;
	gchar *msg = NULL;

	g_file_get_contents(sqlfile, &sql, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(sqlite3_open(path, &db), ==, SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		g_error("loading %s: %s", fixture, msg);
	sqlite3_close(db);
}

static StScan *
make_scan(const gchar *text)
{
	g_autoptr(GBytes) data = g_bytes_new(text, strlen(text));
	g_autoptr(GBytes) raw = g_bytes_new("\0\0\x1e\0\0\0\0\0", 8);
	return st_scan_new("test-scanner", data, raw);
}

static void
seed(StStore *store)
{
	g_autoptr(GError) error = NULL;
	const gchar *pen[] = {"4006381333931", NULL};
	const gchar *tape[] = {"5901234123457", NULL};
	StOrderLineSpec lines[] = {{"PEN", 1}, {"TAPE", 2}};

	g_assert_true(st_store_put_product(
		store,
		&(StProductSpec){.sku = "PEN", .name = "Pen", .weight_g = 12, .barcodes = pen},
		NULL, &error));
	g_assert_no_error(error);
	g_assert_true(st_store_put_product(
		store,
		&(StProductSpec){.sku = "TAPE", .name = "Tape", .weight_g = 210, .barcodes = tape},
		NULL, &error));
	g_assert_no_error(error);
	g_assert_true(st_store_put_order(store,
					 &(StOrderSpec){.number = "ORD-1",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = G_N_ELEMENTS(lines)},
					 NULL, &error));
	g_assert_no_error(error);
}

static void
test_migrate_v0(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;

	db_from_sql(fx->path, "v0.sql");
	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(st_store_get_schema_version(store), ==,
			 st_store_get_latest_schema_version());
	st_store_close(store);
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT max(version) FROM schema_version"), ==,
			st_store_get_latest_schema_version());
	g_assert_cmpint(st_test_db_int(fx->path, "PRAGMA application_id"), ==, 0x5354434e);
	/* every table of schema v1 is there */
	g_assert_cmpint(st_test_db_int(fx->path,
				       "SELECT count(*) FROM sqlite_schema WHERE type='table' "
				       "AND name IN ('products','product_barcodes','locations',"
				       "'stock','orders','order_lines','scans','outbox')"),
			==, 8);
}

/*
 * Schema 11: no CHECK names more than two values with IN (SQLite builds a temporary table
 * of them for every row written), the CHECKs that replaced them still refuse what they
 * refused, the database is sound after its schema was edited in place, and writing a ledger
 * row or a barcode no longer opens a temporary table. From a schema-4 database with rows.
 */
static void
test_checks_in_place(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autoptr(GRegex) in_list = g_regex_new("IN\\s*\\([^()]*,[^()]*,", 0, 0, NULL);
	const gchar *writes[] = {
		"INSERT INTO ledger (kind, product_id, quantity, to_location_id, station, at) "
		"VALUES (?, 1, 1, 1, 's', 'now')",
		"INSERT INTO product_barcodes (barcode, product_id, quantity, pack) VALUES "
		"('1', 1, 1, ?)",
		"UPDATE orders SET status = ? WHERE id = 1",
		"INSERT INTO locations (code, kind) VALUES ('X', ?)",
	};
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;

	db_from_sql(fx->path, "v4.sql");
	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	g_assert_no_error(error);
	st_store_close(store);
	g_assert_cmpint(sqlite3_open(fx->path, &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
			SQLITE_OK);
	g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
	g_assert_cmpstr((const gchar *)sqlite3_column_text(stmt, 0), ==, "ok");
	sqlite3_finalize(stmt);
	g_assert_cmpint(sqlite3_prepare_v2(db,
					   "SELECT name, sql FROM sqlite_schema WHERE type = "
					   "'table'",
					   -1, &stmt, NULL),
			==, SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const gchar *sql = (const gchar *)sqlite3_column_text(stmt, 1);
		if (g_regex_match(in_list, sql, 0, NULL))
			g_error("table %s still checks a list: %s", sqlite3_column_text(stmt, 0),
				sql);
	}
	sqlite3_finalize(stmt);
	for (guint i = 0; i < G_N_ELEMENTS(writes); i++) {
		g_autofree gchar *explain = g_strconcat("EXPLAIN ", writes[i], NULL);
		g_test_message("%s", writes[i]);
		g_assert_cmpint(sqlite3_prepare_v2(db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
		while (sqlite3_step(stmt) == SQLITE_ROW)
			g_assert_cmpstr((const gchar *)sqlite3_column_text(stmt, 1), !=,
					"OpenEphemeral");
		sqlite3_finalize(stmt);
		/* a value the CHECK does not name is still refused */
		g_assert_cmpint(sqlite3_prepare_v2(db, writes[i], -1, &stmt, NULL), ==, SQLITE_OK);
		sqlite3_bind_text(stmt, 1, "bogus", -1, SQLITE_STATIC);
		g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_CONSTRAINT);
		g_assert_cmpint(sqlite3_extended_errcode(db), ==, SQLITE_CONSTRAINT_CHECK);
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
}

static void
test_migrate_v1(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) scans = NULL;
	g_autoptr(GPtrArray) outbox = NULL;
	g_autoptr(StOrder) order = NULL;

	db_from_sql(fx->path, "v1.sql");
	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	g_assert_no_error(error);
	scans = st_store_get_scans(store, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(scans->len, ==, 5);
	outbox = st_store_get_outbox(store, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(outbox->len, ==, 5);
	order = st_store_find_order(store, "ORD-1001", &error);
	g_assert_no_error(error);
	g_assert_cmpint(order->status, ==, ST_ORDER_STATUS_PACKED);
}

/* schema 2 -> 3: every row kept; labels and print jobs work on the upgraded file */
static void
test_migrate_v2(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) scans = NULL;
	g_autoptr(GPtrArray) outbox = NULL;
	g_autoptr(GPtrArray) prints = NULL;
	g_autoptr(StOrder) order = NULL;
	g_autoptr(StLabelRecord) label = NULL;
	g_autoptr(GBytes) content = g_bytes_new_static("^XA^XZ", 6);
	StLabelSpec spec = {"carrier", "test", "zpl", 203, NULL, content, "ORD-1001", NULL};
	gint64 id = 0, print_id = 0;

	db_from_sql(fx->path, "v2.sql");
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT max(version) FROM schema_version"), ==, 2);
	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(st_store_get_schema_version(store), ==,
			 st_store_get_latest_schema_version());
	scans = st_store_get_scans(store, &error);
	g_assert_cmpuint(scans->len, ==, 5);
	outbox = st_store_get_outbox(store, &error);
	g_assert_cmpuint(outbox->len, ==, 5);
	order = st_store_find_order(store, "ORD-1001", &error);
	g_assert_no_error(error);
	g_assert_cmpint(order->status, ==, ST_ORDER_STATUS_PACKED);

	g_assert_true(st_store_put_label(store, &spec, &id, NULL, &error));
	g_assert_no_error(error);
	label = st_store_get_label(store, id, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(label->order_number, ==, "ORD-1001");
	g_assert_cmpstr(label->sha256, ==,
			"ed8e714af3487078dad40759796e3ef97afc4585bce78a8c65741604100c436a");
	g_assert_true(
		st_store_begin_print(store, id, "label", "zebra", FALSE, NULL, &print_id, &error));
	g_assert_true(st_store_print_submitted(store, print_id, 17, &error));
	g_assert_true(st_store_print_update(store, print_id, "completed", "printed", &error));
	g_assert_no_error(error);
	/* a finished print is not changed again */
	g_assert_true(st_store_print_update(store, print_id, "aborted", "late", &error));
	prints = st_store_get_prints(store, id, FALSE, 0, &error);
	g_assert_cmpuint(prints->len, ==, 1);
	g_assert_cmpstr(((StPrintRecord *)g_ptr_array_index(prints, 0))->state, ==, "completed");
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM outbox WHERE kind = "
						 "'label.printed'"),
			==, 1);
	/* the stored bytes cannot be changed behind the station's back */
	{
		sqlite3 *db = NULL;
		g_assert_cmpint(sqlite3_open(fx->path, &db), ==, SQLITE_OK);
		g_assert_cmpint(
			sqlite3_exec(db, "UPDATE labels SET content = x'00'", NULL, NULL, NULL), ==,
			SQLITE_CONSTRAINT);
		sqlite3_close(db);
	}
}

static void
test_newer_schema_refused(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *before = NULL;
	g_autofree gchar *after = NULL;
	sqlite3 *db = NULL;

	db_from_sql(fx->path, "v1.sql");
	g_assert_cmpint(sqlite3_open(fx->path, &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(db, "INSERT INTO schema_version VALUES (99, 'later', '9.0');",
				     NULL, NULL, NULL),
			==, SQLITE_OK);
	sqlite3_close(db);
	before = st_test_file_digest(fx->path);

	g_assert_false(st_store_open(store, fx->path, 1000, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_VERSION);
	g_assert_nonnull(strstr(error->message, "schema version 99"));
	g_assert_nonnull(strstr(error->message, "nothing was changed"));
	after = st_test_file_digest(fx->path);
	g_assert_cmpstr(before, ==, after);
	/* not switched to WAL either: no -wal file left behind */
	{
		g_autofree gchar *wal = g_strdup_printf("%s-wal", fx->path);
		g_assert_false(g_file_test(wal, G_FILE_TEST_EXISTS));
	}
}

static void
test_corrupt_refused(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *before = NULL;
	g_autofree gchar *after = NULL;
	guint8 junk[4096];

	for (guint i = 0; i < sizeof(junk); i++)
		junk[i] = (guint8)(i * 37 + 11);
	g_assert_true(g_file_set_contents(fx->path, (const gchar *)junk, sizeof(junk), NULL));
	before = st_test_file_digest(fx->path);
	g_assert_false(st_store_open(store, fx->path, 1000, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_CORRUPT);
	g_assert_nonnull(strstr(error->message, "backup"));
	after = st_test_file_digest(fx->path);
	g_assert_cmpstr(before, ==, after);
}

static void
test_foreign_refused(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *before = NULL;
	g_autofree gchar *after = NULL;
	sqlite3 *db = NULL;

	g_assert_cmpint(sqlite3_open(fx->path, &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(db,
				     "CREATE TABLE invoices (id INTEGER); "
				     "INSERT INTO invoices VALUES (1);",
				     NULL, NULL, NULL),
			==, SQLITE_OK);
	sqlite3_close(db);
	before = st_test_file_digest(fx->path);
	g_assert_false(st_store_open(store, fx->path, 1000, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_CORRUPT);
	g_assert_nonnull(strstr(error->message, "not a station database"));
	after = st_test_file_digest(fx->path);
	g_assert_cmpstr(before, ==, after);
}

static void
test_locked_refused(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	sqlite3 *db = NULL;

	/* another process holds an exclusive lock on an empty (v0) database */
	db_from_sql(fx->path, "v0.sql");
	g_assert_cmpint(sqlite3_open(fx->path, &db), ==, SQLITE_OK);
	g_assert_cmpint(
		sqlite3_exec(db, "BEGIN EXCLUSIVE; CREATE TABLE held (x);", NULL, NULL, NULL), ==,
		SQLITE_OK);
	g_assert_false(st_store_open(store, fx->path, 50, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_BUSY);
	g_assert_nonnull(strstr(error->message, "busy-timeout"));
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	/* nothing was created while it was locked */
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM sqlite_schema"), ==, 0);
	/* and once released, it opens */
	g_clear_error(&error);
	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	g_assert_no_error(error);
}

static void
test_failed_migration_rolls_back(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	sqlite3 *db = NULL;

	/* a station database stuck at version 0 with a leftover products table: migration 1
	 * cannot create its tables and must leave everything as it was */
	g_assert_cmpint(sqlite3_open(fx->path, &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(db,
				     "PRAGMA application_id = 1398031182;"
				     "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
				     "applied_at TEXT NOT NULL, station_version TEXT NOT NULL);"
				     "INSERT INTO schema_version VALUES (0, 'then', '0.0');"
				     "CREATE TABLE products (id INTEGER, legacy TEXT);"
				     "INSERT INTO products VALUES (1, 'keep me');",
				     NULL, NULL, NULL),
			==, SQLITE_OK);
	sqlite3_close(db);
	g_assert_false(st_store_open(store, fx->path, 1000, &error));
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, "nothing was changed"));
	g_assert_cmpint(
		st_test_db_int(fx->path, "SELECT count(*) FROM products WHERE legacy='keep me'"),
		==, 1);
	g_assert_cmpint(
		st_test_db_int(fx->path, "SELECT count(*) FROM sqlite_schema WHERE name='orders'"),
		==, 0);
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT max(version) FROM schema_version"), ==, 0);
}

static void
test_unwritable_folder(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *file = g_build_filename(fx->dir, "plain-file", NULL);
	g_autofree gchar *path = g_build_filename(file, "station.db", NULL);

	/* the folder the database should be in is a file */
	g_assert_true(g_file_set_contents(file, "x", 1, NULL));
	g_assert_false(st_store_open(store, path, 1000, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_IO);
}

/* each failure of the disk said as what it is: only a full disk is called full */
static void
test_io_errors_said(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	const gint others[] = {SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR_WRITE};

	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	st_store_set_error(store, &error, SQLITE_FULL, "recording the scan");
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_IO);
	g_assert_nonnull(strstr(error->message, "is full"));
	g_assert_nonnull(strstr(error->message, "nothing of it was recorded"));
	g_clear_error(&error);
	for (guint i = 0; i < G_N_ELEMENTS(others); i++) {
		st_store_set_error(store, &error, others[i], "recording the scan");
		g_assert_error(error, ST_STORE_ERROR, ST_ERROR_IO);
		g_assert_null(strstr(error->message, "is full"));
		g_assert_nonnull(strstr(error->message, "check that the folder exists"));
		g_clear_error(&error);
	}
}

/* a new database is made with ST_STORE_PAGE_SIZE pages (a commit writes whole pages to the
 * WAL); one made with SQLite's 4 KiB pages keeps them and works as before */
static void
test_page_size(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *old = g_build_filename(fx->dir, "old.db", NULL);
	const gchar *barcodes[] = {"4006381333931", NULL};

	{
		g_autoptr(StStore) store = st_store_new("bench-test");
		g_assert_true(st_store_open(store, fx->path, 1000, &error));
		g_assert_no_error(error);
		g_assert_true(st_store_put_product(
			store, &(StProductSpec){.sku = "PEN", .name = "Pen", .barcodes = barcodes},
			NULL, &error));
		st_store_close(store);
	}
	g_assert_cmpint(st_test_db_int(fx->path, "PRAGMA page_size"), ==,
			g_ascii_strtoll(ST_STORE_PAGE_SIZE, NULL, 10));
	g_assert_cmpint(st_test_db_int(fx->path, "PRAGMA page_size"), ==, 1024);

	/* the same database rewritten with 4 KiB pages, as a station before this size made it */
	{
		sqlite3 *db = NULL;
		g_autofree gchar *sql = NULL;
		g_assert_cmpint(sqlite3_open(fx->path, &db), ==, SQLITE_OK);
		sql = g_strdup_printf("VACUUM INTO '%s'", old);
		g_assert_cmpint(sqlite3_exec(db, "PRAGMA page_size = 4096", NULL, NULL, NULL), ==,
				SQLITE_OK);
		g_assert_cmpint(sqlite3_exec(db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
		sqlite3_close(db);
	}
	g_assert_cmpint(st_test_db_int(old, "PRAGMA page_size"), ==, 4096);
	{
		g_autoptr(StStore) store = st_store_new("bench-test");
		g_autoptr(StProduct) product = NULL;
		const gchar *more[] = {"7777777777777", NULL};
		g_assert_true(st_store_open(store, old, 1000, &error));
		g_assert_no_error(error);
		product = st_store_find_product_by_barcode(store, "4006381333931", &error);
		g_assert_nonnull(product);
		g_assert_cmpstr(product->sku, ==, "PEN");
		g_assert_true(st_store_put_product(
			store, &(StProductSpec){.sku = "INK", .name = "Ink", .barcodes = more},
			NULL, &error));
		g_assert_no_error(error);
		st_store_close(store);
	}
	g_assert_cmpint(st_test_db_int(old, "PRAGMA page_size"), ==, 4096);
}

static gchar *
pragma_of(StStore *store, const gchar *name)
{
	g_autofree gchar *sql = g_strdup_printf("PRAGMA %s", name);
	sqlite3_stmt *stmt = NULL;
	gchar *value = NULL;
	g_assert_cmpint(sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = g_strdup((const gchar *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return value;
}

/* the writing connection's settings, each of which a benchmark or a failure mode depends
 * on and nothing else would notice the loss of: WAL and a synchronous commit (a scan
 * answered "ok" is on disk), foreign keys, the 2 MiB page cache (the daemon's memory), no
 * memory map (a failing disk's read is an error, not a SIGBUS) */
static void
test_connection_settings(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	const struct {
		const gchar *pragma, *value;
	} expected[] = {
		{"journal_mode", "wal"}, {"synchronous", "2"}, /* FULL */
		{"foreign_keys", "1"},	 {"cache_size", ST_STORE_CACHE_SIZE},
		{"mmap_size", "0"},	 {"page_size", ST_STORE_PAGE_SIZE},
	};

	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
		g_autofree gchar *value = pragma_of(store, expected[i].pragma);
		g_test_message("%s = %s", expected[i].pragma, value);
		g_assert_cmpstr(value, ==, expected[i].value);
	}
}

static void
test_catalogue(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autoptr(StProduct) product = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(StOrder) order = NULL;
	const gchar *dup[] = {"7777777777777", "4006381333931", NULL};
	StOrderLineSpec bad_lines[] = {{"PEN", 1}, {"NO-SUCH-SKU", 1}};

	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	seed(store);
	product = st_store_find_product_by_barcode(store, "4006381333931", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(product->sku, ==, "PEN");
	g_assert_cmpuint(product->quantity, ==, 1);

	/* a barcode already taken refuses the whole product */
	g_assert_false(st_store_put_product(
		store,
		&(StProductSpec){.sku = "OTHER", .name = "Other", .weight_g = 1, .barcodes = dup},
		NULL, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_null(st_store_find_product_by_barcode(store, "7777777777777", &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* an order with an unknown SKU is not stored at all */
	g_assert_false(st_store_put_order(store,
					  &(StOrderSpec){.number = "ORD-BAD",
							 .status = ST_ORDER_STATUS_RELEASED,
							 .lines = bad_lines,
							 .n_lines = G_N_ELEMENTS(bad_lines)},
					  NULL, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "NO-SUCH-SKU"));
	g_clear_error(&error);
	g_assert_null(st_store_find_order(store, "ORD-BAD", &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND);
	g_clear_error(&error);

	order = st_store_find_order(store, "ORD-1", &error);
	g_assert_no_error(error);
	lines = st_store_get_order_lines(store, order->id, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(lines->len, ==, 2);
	g_assert_cmpstr(((StOrderLine *)lines->pdata[1])->sku, ==, "TAPE");
	g_assert_cmpuint(((StOrderLine *)lines->pdata[1])->quantity, ==, 2);
}

static void
test_pack_verbs(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(StStore) other = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autoptr(StOrder) order = NULL;
	g_autoptr(StOrder) order2 = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(GPtrArray) scans = NULL;
	g_autoptr(GPtrArray) outbox = NULL;
	g_autoptr(StScan) s1 = make_scan("ORD-1");
	g_autoptr(StScan) s2 = make_scan("4006381333931");
	g_autoptr(StScan) s3 = make_scan("4006381333931");
	g_autoptr(StStoreTransaction) tx = NULL;
	StStoreSummary summary = {0};
	gint64 scan_id = 0;

	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	seed(store);
	order = st_store_find_order(store, "ORD-1", &error);
	g_assert_no_error(error);
	/* the order scan and the order opened, as the pack workflow records them */
	tx = st_store_transaction_begin(store, &error);
	g_assert_no_error(error);
	g_assert_true(st_store_record_scan(store, s1, NULL, NULL, "opened", order->id, 0, &scan_id,
					   &error));
	g_assert_no_error(error);
	g_assert_cmpint(scan_id, >, 0);
	g_assert_true(st_store_set_order_status(store, order, ST_ORDER_STATUS_RELEASED,
						ST_ORDER_STATUS_PACKING, scan_id, &error));
	g_assert_true(st_store_transaction_commit(tx, &error));
	g_assert_no_error(error);
	g_clear_pointer(&tx, st_store_transaction_free);
	order->status = ST_ORDER_STATUS_PACKING;
	lines = st_store_get_order_lines(store, order->id, &error);
	/* an item: the scan and the count in one transaction */
	tx = st_store_transaction_begin(store, &error);
	g_assert_true(st_store_record_scan(store, s2, NULL, NULL, "pen", order->id,
					   ((StOrderLine *)lines->pdata[0])->product_id, &scan_id,
					   &error));
	g_assert_true(st_store_add_packed(store, order, lines->pdata[0], 1, NULL, scan_id, &error));
	g_assert_true(st_store_transaction_commit(tx, &error));
	g_assert_no_error(error);
	g_clear_pointer(&tx, st_store_transaction_free);

	/* committed: another connection sees the scan at once */
	g_assert_true(st_store_open(other, fx->path, 1000, &error));
	scans = st_store_get_scans(other, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(scans->len, ==, 2);
	g_assert_true(((StScanRecord *)scans->pdata[1])->ok);
	g_assert_cmpstr(((StScanRecord *)scans->pdata[1])->text, ==, "4006381333931");
	g_assert_cmpuint(g_bytes_get_size(((StScanRecord *)scans->pdata[1])->raw), ==, 8);

	/* an over-scan at the store level is refused, and the transaction it was in (its scan
	 * with it) leaves nothing behind */
	tx = st_store_transaction_begin(store, &error);
	g_assert_true(st_store_record_scan(store, s3, NULL, NULL, "again", order->id, 0, &scan_id,
					   &error));
	g_assert_false(
		st_store_add_packed(store, order, lines->pdata[0], 1, NULL, scan_id, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA);
	g_clear_error(&error);
	/* and cannot be committed half done */
	g_assert_false(st_store_transaction_commit(tx, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_FAILED);
	g_clear_error(&error);
	g_clear_pointer(&tx, st_store_transaction_free);
	g_assert_true(st_store_get_summary(store, &summary, &error));
	g_assert_cmpuint(summary.scans, ==, 2);
	/* events: order.packing, item.packed */
	g_assert_cmpuint(summary.outbox_pending, ==, 2);

	/* a status change that no longer applies adds no event */
	order2 = st_store_find_order(store, "ORD-1", &error);
	order2->status = ST_ORDER_STATUS_RELEASED;
	g_assert_true(st_store_set_order_status(store, order, ST_ORDER_STATUS_PACKING,
						ST_ORDER_STATUS_PACKED, 0, &error));
	g_assert_no_error(error);
	g_assert_false(st_store_set_order_status(store, order, ST_ORDER_STATUS_PACKING,
						 ST_ORDER_STATUS_PACKED, 0, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA);
	g_clear_error(&error);
	outbox = st_store_get_outbox(store, &error);
	g_assert_cmpuint(outbox->len, ==, 3);
	g_assert_cmpstr(((StOutboxEvent *)outbox->pdata[0])->kind, ==, "order.packing");
	g_assert_cmpstr(((StOutboxEvent *)outbox->pdata[1])->kind, ==, "item.packed");
	g_assert_cmpstr(((StOutboxEvent *)outbox->pdata[2])->kind, ==, "order.packed");
	g_assert_nonnull(strstr(((StOutboxEvent *)outbox->pdata[2])->payload, "\"ORD-1\""));
	g_assert_nonnull(strstr(((StOutboxEvent *)outbox->pdata[2])->payload,
				((StOutboxEvent *)outbox->pdata[2])->idempotency_key));
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM order_status_history"), ==,
			3);
}

static void
test_refuse_scan(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) scans = NULL;
	g_autoptr(GBytes) bin = g_bytes_new("\xff\x00\x01", 3);
	g_autoptr(StScan) scan = st_scan_new("test-scanner", bin, NULL);
	StScanRecord *r;

	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	g_assert_true(st_store_record_scan(store, scan, NULL, "unreadable", "binary", 0, 0, NULL,
					   &error));
	g_assert_no_error(error);
	scans = st_store_get_scans(store, &error);
	g_assert_cmpuint(scans->len, ==, 1);
	r = scans->pdata[0];
	g_assert_false(r->ok);
	g_assert_cmpstr(r->reason, ==, "unreadable");
	g_assert_null(r->text);
	g_assert_cmpmem(g_bytes_get_data(r->data, NULL), g_bytes_get_size(r->data), "\xff\x00\x01",
			3);
}

/* the outbox's delivery: batches in order, a failed event holding back the later events of
 * its order (and only those) until its retry time, delivered events gone */
static void
test_outbox_delivery(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autoptr(StOrder) o1 = NULL;
	g_autoptr(StOrder) o2 = NULL;
	g_autoptr(GPtrArray) batch = NULL;
	StOrderLineSpec lines2[] = {{"TAPE", 1}};
	StOrderSpec spec2 = {.number = "ORD-2",
			     .status = ST_ORDER_STATUS_RELEASED,
			     .lines = lines2,
			     .n_lines = 1};
	gint64 now = g_get_real_time();
	gint64 e1, e2, e3;

	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	seed(store);
	g_assert_true(st_store_put_order(store, &spec2, NULL, &error));
	o1 = st_store_find_order(store, "ORD-1", &error);
	o2 = st_store_find_order(store, "ORD-2", &error);
	g_assert_no_error(error);
	g_assert_true(st_store_set_order_status(store, o1, ST_ORDER_STATUS_RELEASED,
						ST_ORDER_STATUS_PACKING, 0, &error));
	g_assert_true(st_store_set_order_status(store, o2, ST_ORDER_STATUS_RELEASED,
						ST_ORDER_STATUS_PACKING, 0, &error));
	g_assert_true(st_store_set_order_status(store, o1, ST_ORDER_STATUS_PACKING,
						ST_ORDER_STATUS_PACKED, 0, &error));
	g_assert_no_error(error);

	batch = st_store_outbox_next(store, now, 10, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(batch->len, ==, 3);
	e1 = ((StOutboxEvent *)batch->pdata[0])->id;
	e2 = ((StOutboxEvent *)batch->pdata[1])->id;
	e3 = ((StOutboxEvent *)batch->pdata[2])->id;
	g_assert_cmpstr(((StOutboxEvent *)batch->pdata[0])->order_number, ==, "ORD-1");
	g_assert_cmpstr(((StOutboxEvent *)batch->pdata[1])->order_number, ==, "ORD-2");
	g_assert_cmpstr(((StOutboxEvent *)batch->pdata[2])->kind, ==, "order.packed");
	/* each order's events numbered in the order they happened */
	g_assert_cmpuint(((StOutboxEvent *)batch->pdata[0])->order_seq, ==, 1);
	g_assert_cmpuint(((StOutboxEvent *)batch->pdata[1])->order_seq, ==, 1);
	g_assert_cmpuint(((StOutboxEvent *)batch->pdata[2])->order_seq, ==, 2);
	g_assert_nonnull(strstr(((StOutboxEvent *)batch->pdata[2])->payload, "\"orderseq\":2"));
	g_clear_pointer(&batch, g_ptr_array_unref);
	batch = st_store_outbox_next(store, now, 1, &error);
	g_assert_cmpuint(batch->len, ==, 1);
	g_clear_pointer(&batch, g_ptr_array_unref);

	/* ORD-1's first event fails: its second waits behind it, ORD-2's goes */
	g_assert_true(st_store_outbox_failed(store, e1, "network down", now + 60 * G_USEC_PER_SEC,
					     &error));
	g_assert_no_error(error);
	batch = st_store_outbox_next(store, now, 10, &error);
	g_assert_cmpuint(batch->len, ==, 1);
	g_assert_cmpint(((StOutboxEvent *)batch->pdata[0])->id, ==, e2);
	g_clear_pointer(&batch, g_ptr_array_unref);
	g_assert_true(st_store_outbox_delivered(store, e2, &error));
	batch = st_store_outbox_next(store, now, 10, &error);
	g_assert_cmpuint(batch->len, ==, 0);
	g_clear_pointer(&batch, g_ptr_array_unref);

	/* at its retry time, both of ORD-1's, in order, the failure counted */
	batch = st_store_outbox_next(store, now + 61 * G_USEC_PER_SEC, 10, &error);
	g_assert_cmpuint(batch->len, ==, 2);
	g_assert_cmpint(((StOutboxEvent *)batch->pdata[0])->id, ==, e1);
	g_assert_cmpuint(((StOutboxEvent *)batch->pdata[0])->attempts, ==, 1);
	g_assert_cmpstr(((StOutboxEvent *)batch->pdata[0])->last_error, ==, "network down");
	g_assert_cmpint(((StOutboxEvent *)batch->pdata[1])->id, ==, e3);
	g_clear_pointer(&batch, g_ptr_array_unref);
	g_assert_true(st_store_outbox_delivered(store, e1, &error));
	g_assert_true(st_store_outbox_delivered(store, e1, &error)); /* an answer repeated */
	g_assert_true(st_store_outbox_delivered(store, e3, &error));
	g_assert_no_error(error);
	batch = st_store_outbox_next(store, now + 61 * G_USEC_PER_SEC, 10, &error);
	g_assert_cmpuint(batch->len, ==, 0);
	g_clear_pointer(&batch, g_ptr_array_unref);
	batch = st_store_get_outbox(store, &error);
	g_assert_cmpuint(batch->len, ==, 0);

	g_assert_false(st_store_outbox_delivered(store, 9999, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_false(st_store_outbox_failed(store, 9999, "x", now, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND);
}

/* schema 3 -> 4: every row kept (scans, events, the label and its print); operators can be
 * added and found, and the old scans name no operator */
/* a schema-4 database (tests/fixtures/store/v4.sql) migrated to the latest keeps its
 * operators, seats, scans and parcel; the items packed before are in the order's parcel */
static void
test_migrate_v4(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("test-station");
	g_autoptr(GError) error = NULL;
	g_autoptr(StOperator) op = NULL;
	g_autoptr(StOrder) order = NULL;
	g_autoptr(StOrder) seat_order = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(GPtrArray) scans = NULL;

	db_from_sql(fx->path, "v4.sql");
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT max(version) FROM schema_version"), ==, 4);
	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(st_store_get_schema_version(store), ==,
			 st_store_get_latest_schema_version());
	op = st_store_find_operator(store, "0042", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(op->name, ==, "Li Wei");
	g_assert_cmpstr(op->language, ==, "zh-CN");
	seat_order = st_store_get_seat_order(store, "bench", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(seat_order->number, ==, "ORD-1001");
	scans = st_store_get_scans(store, &error);
	g_assert_cmpuint(scans->len, ==, 5);
	g_assert_cmpstr(((StScanRecord *)scans->pdata[0])->operator_badge, ==, "0042");
	order = st_store_find_order(store, "ORD-1001", &error);
	g_assert_cmpuint(st_store_count_parcels(store, order, &error), ==, 1);
	lines = st_store_get_order_lines(store, order->id, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < lines->len; i++) {
		const StOrderLine *l = g_ptr_array_index(lines, i);
		g_assert_cmpuint(l->parcelled, ==, l->packed);
		g_assert_cmpuint(l->weight_tolerance_g, ==, 0);
	}
	/* and the new tables are there, empty */
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM manifests"), ==, 0);
}

/* schema 5 to 6: every row kept; the new columns empty, the new tables there */
/* schema 6 -> 8 on a database a pack shift left: every event kept, delivered or not; the
 * failed one keeps its attempts and retry time; nothing parked; claims made from now on */
static void
test_migrate_v6(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("test-station");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) due = NULL;
	g_autoptr(GPtrArray) claims = NULL;
	g_autoptr(StOrder) order = NULL;
	StOutboxStatus status;

	db_from_sql(fx->path, "v6.sql");
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT max(version) FROM schema_version"), ==, 6);
	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(st_store_get_schema_version(store), ==,
			 st_store_get_latest_schema_version());
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM outbox"), ==, 49);
	g_assert_true(st_store_outbox_status(store, &status, &error));
	g_assert_cmpuint(status.pending, ==, 39);
	g_assert_cmpuint(status.delivered, ==, 10);
	g_assert_cmpuint(status.n_parked, ==, 0);
	g_assert_cmpstr(status.next_attempt_at, ==, "2026-12-01T11:00:00.000000Z");
	st_outbox_status_clear(&status);
	/* the failed event is due again (its time is past), first */
	due = st_store_outbox_next(store, g_get_real_time(), 100, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(due->len, ==, 39);
	g_assert_cmpint(((StOutboxEvent *)due->pdata[0])->id, ==, 11);
	g_assert_cmpuint(((StOutboxEvent *)due->pdata[0])->attempts, ==, 3);
	/* the shift's orders as they were; a claim made when one is opened */
	g_assert_cmpint(
		st_test_db_int(fx->path, "SELECT count(*) FROM orders WHERE status = 'packed'"), ==,
		4);
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM order_claims"), ==, 0);
	order = st_store_find_order(store, "ORD-2005", &error);
	g_assert_true(st_store_set_order_status(store, order, ST_ORDER_STATUS_RELEASED,
						ST_ORDER_STATUS_PACKING, 0, &error));
	claims = st_store_get_pending_claims(store, 10, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(claims->len, ==, 1);
	g_assert_cmpstr(((StOrderClaim *)claims->pdata[0])->number, ==, "ORD-2005");
	{
		g_autoptr(GPtrArray) problems = NULL;
		g_assert_true(st_store_check(store, &problems, &error));
		g_assert_cmpuint(problems->len, ==, 0);
	}
}

static void
test_migrate_v5(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("test-station");
	g_autoptr(GError) error = NULL;
	g_autoptr(StShipment) shipment = NULL;
	g_autoptr(StOrder) order = NULL;
	g_autoptr(GPtrArray) parcels = NULL;
	g_autoptr(JsonNode) document = NULL;
	g_autofree gchar *text = NULL;

	db_from_sql(fx->path, "v5.sql");
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT max(version) FROM schema_version"), ==, 5);
	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(st_store_get_schema_version(store), ==,
			 st_store_get_latest_schema_version());
	/* the parcel on its manifest is found as before */
	shipment = st_store_find_shipment(store, "1Z999AA10123456784", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(shipment->order_number, ==, "ORD-1001");
	g_assert_cmpint(shipment->manifest_id, ==, 1);
	/* its parcel, with no SSCC and no label confirmed before 6 */
	order = st_store_find_order(store, "ORD-1001", &error);
	parcels = st_store_get_order_parcels(store, order->id, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(parcels->len, ==, 1);
	g_assert_null(((StParcel *)parcels->pdata[0])->reference);
	g_assert_false(((StParcel *)parcels->pdata[0])->confirmed);
	g_assert_cmpint(((StParcel *)parcels->pdata[0])->weight_g, ==, 615);
	/* the manifest's document from the migrated rows: the parcel weighs its order's one */
	document = st_store_get_manifest_document(store, 1, &error);
	g_assert_no_error(error);
	text = json_to_string(document, FALSE);
	g_assert_nonnull(
		strstr(text, "\"reference\":\"1Z999AA10123456784\",\"weight\":\"0.61 kg\""));
	/* the new columns empty, the new tables there and empty */
	g_assert_cmpint(st_test_db_int(fx->path,
				       "SELECT count(*) FROM products WHERE hs_code = '' AND "
				       "origin_country = '' AND customs_value_cents = 0"),
			==, 4);
	g_assert_cmpint(
		st_test_db_int(fx->path, "SELECT count(*) FROM orders WHERE open_box IS NULL"), ==,
		3);
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM picklists"), ==, 0);
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM picks"), ==, 0);
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM weighings"), ==, 0);
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM scans"), ==, 5);
}

static void
test_migrate_v3(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) scans = NULL;
	g_autoptr(GPtrArray) outbox = NULL;
	g_autoptr(GPtrArray) operators = NULL;
	g_autoptr(StLabelRecord) label = NULL;
	g_autoptr(StOperator) op = NULL;
	StOperatorSpec lead = {"0042", "Li Wei", ST_OPERATOR_ROLE_LEAD, "zh-CN"};
	StOperatorSpec bad = {"0043", "Ann", ST_OPERATOR_ROLE_PACKER, "fr"};

	db_from_sql(fx->path, "v3.sql");
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT max(version) FROM schema_version"), ==, 3);
	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(st_store_get_schema_version(store), ==,
			 st_store_get_latest_schema_version());
	/* through 4 and 5: the product's tolerance, each packed scan's parcel */
	g_assert_cmpint(st_test_db_int(fx->path,
				       "SELECT count(*) FROM pragma_table_info('products') "
				       "WHERE name = 'weight_tolerance_g'"),
			==, 1);
	g_assert_cmpint(st_test_db_int(fx->path,
				       "SELECT count(*) FROM pragma_table_info('packed_items') "
				       "WHERE name = 'parcel_id'"),
			==, 1);
	scans = st_store_get_scans(store, &error);
	g_assert_cmpuint(scans->len, ==, 5);
	g_assert_null(((StScanRecord *)scans->pdata[0])->operator_badge);
	outbox = st_store_get_outbox(store, &error);
	g_assert_cmpuint(outbox->len, ==, 5);
	/* the events written before schema 4 are numbered per order by the migration */
	for (guint i = 0; i < outbox->len; i++) {
		const StOutboxEvent *e = g_ptr_array_index(outbox, i);
		g_assert_cmpstr(e->order_number, ==, "ORD-1001");
		g_assert_cmpuint(e->order_seq, ==, i + 1);
	}
	label = st_store_get_label(store, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(label->format, ==, "zpl");

	g_assert_true(st_store_put_operator(store, &lead, &error));
	g_assert_no_error(error);
	op = st_store_find_operator(store, "0042", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(op->name, ==, "Li Wei");
	g_assert_cmpint(op->role, ==, ST_OPERATOR_ROLE_LEAD);
	g_assert_cmpstr(op->language, ==, "zh-CN");
	g_assert_false(st_store_put_operator(store, &bad, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "fr"));
	g_clear_error(&error);
	g_assert_null(st_store_find_operator(store, "0043", &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND);
	g_clear_error(&error);
	operators = st_store_get_operators(store, &error);
	g_assert_cmpuint(operators->len, ==, 1);
}

/* an order left half-closed (every line packed, still packing: what a crash between two
 * commits left before schema 4) is found by the check, and is not once it is closed */
static void
test_check_half_closed(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autoptr(StOrder) order = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(GPtrArray) problems = NULL;

	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	seed(store);
	order = st_store_find_order(store, "ORD-1", &error);
	g_assert_true(st_store_set_order_status(store, order, ST_ORDER_STATUS_RELEASED,
						ST_ORDER_STATUS_PACKING, 0, &error));
	lines = st_store_get_order_lines(store, order->id, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < lines->len; i++) {
		StOrderLine *line = g_ptr_array_index(lines, i);
		g_assert_true(
			st_store_add_packed(store, order, line, line->quantity, NULL, 0, &error));
	}
	g_assert_no_error(error);
	g_assert_true(st_store_check(store, &problems, &error));
	g_assert_cmpuint(problems->len, ==, 1);
	g_assert_nonnull(strstr(problems->pdata[0], "order ORD-1 has every line packed"));
	g_clear_pointer(&problems, g_ptr_array_unref);
	g_assert_true(st_store_set_order_status(store, order, ST_ORDER_STATUS_PACKING,
						ST_ORDER_STATUS_PACKED, 0, &error));
	g_assert_true(st_store_check(store, &problems, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(problems->len, ==, 0);
}

/* one tracking number names one parcel: a second order's label with it is refused, the same
 * order's again (a reprint, a second copy) is not */
static void
test_label_number_once(Fixture *fx, gconstpointer data)
{
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) first = g_bytes_new_static("^XA^FD1^FS^XZ", 13);
	g_autoptr(GBytes) second = g_bytes_new_static("^XA^FD2^FS^XZ", 13);
	StOrderLineSpec lines[] = {{"PEN", 1}};
	StLabelSpec a = {"carrier", "t", "zpl", 203, NULL, first, "ORD-1", "1Z999AA10123456784"};
	StLabelSpec b = {"carrier", "t", "zpl", 203, NULL, second, "ORD-2", "1Z999AA10123456784"};
	StLabelSpec c = {"carrier", "t", "zpl", 203, NULL, second, "ORD-1", "1Z999AA10123456784"};
	gint64 id = 0;

	g_assert_true(st_store_open(store, fx->path, 1000, &error));
	seed(store);
	g_assert_true(st_store_put_order(store,
					 &(StOrderSpec){.number = "ORD-2",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_true(st_store_put_label(store, &a, &id, NULL, &error));
	g_assert_no_error(error);
	g_assert_false(st_store_put_label(store, &b, &id, NULL, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "already on a label of order ORD-1"));
	g_clear_error(&error);
	g_assert_true(st_store_put_label(store, &c, &id, NULL, &error));
	g_assert_no_error(error);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/station/store/migrate-v0", Fixture, NULL, fixture_set_up, test_migrate_v0,
		   fixture_tear_down);
	g_test_add("/station/store/migrate-v2", Fixture, NULL, fixture_set_up, test_migrate_v2,
		   fixture_tear_down);
	g_test_add("/station/store/label-number-once", Fixture, NULL, fixture_set_up,
		   test_label_number_once, fixture_tear_down);
	g_test_add("/station/store/check-half-closed", Fixture, NULL, fixture_set_up,
		   test_check_half_closed, fixture_tear_down);
	g_test_add("/station/store/migrate-v6", Fixture, NULL, fixture_set_up, test_migrate_v6,
		   fixture_tear_down);
	g_test_add("/station/store/migrate-v5", Fixture, NULL, fixture_set_up, test_migrate_v5,
		   fixture_tear_down);
	g_test_add("/station/store/migrate-v4", Fixture, NULL, fixture_set_up, test_migrate_v4,
		   fixture_tear_down);
	g_test_add("/station/store/migrate-v3", Fixture, NULL, fixture_set_up, test_migrate_v3,
		   fixture_tear_down);
	g_test_add("/station/store/migrate-v1", Fixture, NULL, fixture_set_up, test_migrate_v1,
		   fixture_tear_down);
	g_test_add("/station/store/checks-in-place", Fixture, NULL, fixture_set_up,
		   test_checks_in_place, fixture_tear_down);
	g_test_add("/station/store/newer-schema-refused", Fixture, NULL, fixture_set_up,
		   test_newer_schema_refused, fixture_tear_down);
	g_test_add("/station/store/corrupt-refused", Fixture, NULL, fixture_set_up,
		   test_corrupt_refused, fixture_tear_down);
	g_test_add("/station/store/foreign-refused", Fixture, NULL, fixture_set_up,
		   test_foreign_refused, fixture_tear_down);
	g_test_add("/station/store/locked-refused", Fixture, NULL, fixture_set_up,
		   test_locked_refused, fixture_tear_down);
	g_test_add("/station/store/failed-migration-rolls-back", Fixture, NULL, fixture_set_up,
		   test_failed_migration_rolls_back, fixture_tear_down);
	g_test_add("/station/store/io-errors-said", Fixture, NULL, fixture_set_up,
		   test_io_errors_said, fixture_tear_down);
	g_test_add("/station/store/connection-settings", Fixture, NULL, fixture_set_up,
		   test_connection_settings, fixture_tear_down);
	g_test_add("/station/store/page-size", Fixture, NULL, fixture_set_up, test_page_size,
		   fixture_tear_down);
	g_test_add("/station/store/unwritable-folder", Fixture, NULL, fixture_set_up,
		   test_unwritable_folder, fixture_tear_down);
	g_test_add("/station/store/catalogue", Fixture, NULL, fixture_set_up, test_catalogue,
		   fixture_tear_down);
	g_test_add("/station/store/outbox-delivery", Fixture, NULL, fixture_set_up,
		   test_outbox_delivery, fixture_tear_down);
	g_test_add("/station/store/pack-verbs", Fixture, NULL, fixture_set_up, test_pack_verbs,
		   fixture_tear_down);
	g_test_add("/station/store/refuse-scan", Fixture, NULL, fixture_set_up, test_refuse_scan,
		   fixture_tear_down);
	return g_test_run();
}
