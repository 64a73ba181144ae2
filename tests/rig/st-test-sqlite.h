/*
 * Tests' look into a station database from outside the store: one integer a query answers,
 * read on a connection of its own (read-only), as another process would see the file.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

/* Returns: the first column of the first row @sql answers on the database at @path, or -1
 * when it answers no row */
static inline gint64
st_test_db_int(const gchar *path, const gchar *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	gint64 n = -1;
	g_assert_cmpint(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return n;
}
