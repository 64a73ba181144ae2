/* Fuzz target: CSV imports of any bytes into a real store (first byte: the kind, and bit 3
 * for --skip-bad). Whatever the file, the import either fails cleanly or reports its rows,
 * and afterwards the database is sound: station check finds nothing (the stock table is what
 * the ledger adds up to, no location below zero). The store lives in a temporary folder for
 * the whole run, so imports build on each other. */
#include <glib/gstdio.h>

#include "station/st-error.h"

#include "st-import.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

static StStore *store = NULL;
static gchar *dir = NULL;

static void
cleanup(void)
{
	g_autofree gchar *db = NULL;
	g_autofree gchar *wal = NULL;
	g_autofree gchar *shm = NULL;
	if (store == NULL)
		return;
	g_clear_object(&store);
	db = g_build_filename(dir, "station.db", NULL);
	wal = g_strconcat(db, "-wal", NULL);
	shm = g_strconcat(db, "-shm", NULL);
	g_unlink(db);
	g_unlink(wal);
	g_unlink(shm);
	g_rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(GInputStream) in = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	StImportOptions options = {0};
	StImportResult result = {0};

	if (size < 1)
		return 0;
	if (store == NULL) {
		g_autofree gchar *db = NULL;
		dir = g_dir_make_tmp("station-fuzz-XXXXXX", NULL);
		g_assert(dir != NULL);
		db = g_build_filename(dir, "station.db", NULL);
		store = st_store_new("fuzz");
		g_assert(st_store_open(store, db, 1000, NULL));
		atexit(cleanup);
	}
	options.skip_bad = (data[0] & 8) != 0;
	in = g_memory_input_stream_new_from_data(data + 1, (gssize)(size - 1), NULL);
	if (st_import_csv(store, (StImportKind)(data[0] % ST_IMPORT_LAST), in, "fuzz.csv", &options,
			  &result, &error)) {
		g_assert(result.bad <= result.rows);
		g_assert(result.kept == (result.bad == 0 || options.skip_bad));
	} else {
		g_assert(error != NULL);
		g_assert(error->domain == ST_SERVICE_ERROR);
	}
	st_import_result_clear(&result);
	g_assert(st_store_check(store, &problems, NULL));
	g_assert(problems->len == 0);
	return 0;
}
