/*
 * Benchmark of the inventory at warehouse scale: `bench-inventory [PRODUCTS [LEDGER_ROWS]]`
 * (default 1,000,000 products with 3 barcodes each and 10,000,000 ledger rows).
 *
 *  1. generates CSV files and imports them through `st_import_csv` (products with unit, inner
 *     and case barcodes; locations; stock counts, each a ledger row): rows per second and the
 *     database's size;
 *  2. barcode -> product lookups of random barcodes: median and p99;
 *  3. picks (a ledger row + the stock of two locations + an outbox event, committed
 *     durably, one transaction each) per second, against a bare SQLite loop that commits the
 *     same number of one-row transactions with the same journal mode and synchronous
 *     setting, in the same run and folder.
 *
 * Prints figures; asserts no time.
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "st-import.h"
#include "st-test-util.h"

static gint64
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (gint64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static gint
cmp_gint64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
	return x < y ? -1 : x > y;
}

static void
write_file(const gchar *path, GString *data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(g_file_set_contents(path, data->str, (gssize)data->len, &error));
}

static gdouble
import(StStore *store, StImportKind kind, const gchar *path, guint *rows)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileInputStream) in = g_file_read(file, NULL, NULL);
	g_autoptr(GError) error = NULL;
	StImportOptions options = {0};
	StImportResult result;
	gint64 t0 = now_ns();
	gboolean ok =
		st_import_csv(store, kind, G_INPUT_STREAM(in), path, &options, &result, &error);
	gdouble secs = (gdouble)(now_ns() - t0) / 1e9;
	g_assert_no_error(error);
	g_assert_true(ok);
	if (result.bad > 0)
		g_error("%s: %s", path, (const gchar *)result.faults->pdata[0]);
	*rows = result.rows;
	st_import_result_clear(&result);
	return secs;
}

static guint64
file_size(const gchar *path)
{
	GStatBuf st;
	return g_stat(path, &st) == 0 ? (guint64)st.st_size : 0;
}

/* the barcodes of product @i: unit (an EAN-13-like 13 digits), inner, case */
static void
barcodes(guint i, gchar unit[16], gchar inner[16], gchar cased[16])
{
	g_snprintf(unit, 16, "20%011u", i);
	g_snprintf(inner, 16, "21%011u", i);
	g_snprintf(cased, 16, "22%011u", i);
}

int
main(int argc, char **argv)
{
	guint n_products = argc > 1 ? (guint)g_ascii_strtoull(argv[1], NULL, 10) : 1000000;
	guint n_ledger = argc > 2 ? (guint)g_ascii_strtoull(argv[2], NULL, 10) : 10000000;
	guint n_locations = 10000, n_lookups = 100000, n_picks = 2000, n_lines = 100;
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *bare = g_build_filename(dir, "bare.db", NULL);
	g_autofree gchar *products_csv = g_build_filename(dir, "products.csv", NULL);
	g_autofree gchar *locations_csv = g_build_filename(dir, "locations.csv", NULL);
	g_autofree gchar *stock_csv = g_build_filename(dir, "stock.csv", NULL);
	g_autoptr(StStore) store = st_store_new("bench");
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) lookups = g_array_new(FALSE, FALSE, sizeof(gint64));
	gdouble t_products, t_locations, t_stock, t_picks, t_bare;
	guint rows_products, rows_locations, rows_stock;
	GRand *rand = g_rand_new_with_seed(42);

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (n_products < n_lines || n_ledger < n_products / 10) {
		g_printerr("bench-inventory: give at least %u products and a tenth as many ledger "
			   "rows\n",
			   n_lines);
		return 2;
	}
	printf("bench-inventory: %u products (x3 barcodes), %u locations, %u ledger rows; in %s\n",
	       n_products, n_locations, n_ledger, dir);

	/* the files an ERP export would give */
	{
		g_autoptr(GString) csv = g_string_new(
			"sku,name,weight_g,barcode,inner_barcode,inner_quantity,case_barcode,"
			"case_quantity\n");
		for (guint i = 0; i < n_products; i++) {
			gchar unit[16], inner[16], cased[16];
			barcodes(i, unit, inner, cased);
			g_string_append_printf(csv,
					       "SKU-%07u,\"Article %u, boxed\",%u,%s,%s,6,%s,24\n",
					       i, i, 10 + i % 5000, unit, inner, cased);
		}
		write_file(products_csv, csv);
	}
	{
		g_autoptr(GString) csv = g_string_new("code,kind,zone,pick_sequence\n");
		for (guint i = 0; i < n_locations; i++)
			g_string_append_printf(csv, "L%05u,bin,Z%u,%u\n", i, i / 1000, i);
		g_string_append(csv, "TOTE-1,tote,,\n");
		write_file(locations_csv, csv);
	}
	{
		/* every ledger row its own (product, location): product i in locations
		 * i*k .. spread so that each count is an adjustment */
		g_autoptr(GString) csv = g_string_new("sku,location,quantity\n");
		for (guint r = 0; r < n_ledger; r++) {
			guint product = r % n_products;
			guint location = (r / n_products * 7919 + product) % n_locations;
			g_string_append_printf(csv, "SKU-%07u,L%05u,1000\n", product, location);
		}
		write_file(stock_csv, csv);
	}

	g_assert_true(st_store_open(store, db, 5000, &error));
	g_assert_no_error(error);
	t_products = import(store, ST_IMPORT_PRODUCTS, products_csv, &rows_products);
	t_locations = import(store, ST_IMPORT_LOCATIONS, locations_csv, &rows_locations);
	t_stock = import(store, ST_IMPORT_STOCK, stock_csv, &rows_stock);
	printf("  import products   %9u rows %8.1f s %10.0f rows/s (%u barcodes)\n", rows_products,
	       t_products, rows_products / t_products, rows_products * 3);
	printf("  import locations  %9u rows %8.1f s %10.0f rows/s\n", rows_locations, t_locations,
	       rows_locations / t_locations);
	printf("  import stock      %9u rows %8.1f s %10.0f rows/s (each a ledger row)\n",
	       rows_stock, t_stock, rows_stock / t_stock);
	{
		g_autofree gchar *wal = g_strdup_printf("%s-wal", db);
		printf("  database size     %9.1f MiB (+ %.1f MiB WAL), CSV %.1f MiB\n",
		       file_size(db) / 1048576.0, file_size(wal) / 1048576.0,
		       (file_size(products_csv) + file_size(stock_csv)) / 1048576.0);
	}

	/* lookups of random barcodes of every pack level, after the import's pages have reached
	 * the disk (not during that writeback). Two passes of different random barcodes: the
	 * first touches most pages of the barcode index for the first time (a bench that has
	 * just started), the second runs where a bench that has been scanning for a while is */
	sync();
	for (guint pass = 0; pass < 2; pass++) {
		g_array_set_size(lookups, 0);
		for (guint i = 0; i < n_lookups; i++) {
			gchar codes[3][16];
			guint p = (guint)g_rand_int_range(rand, 0, (gint32)n_products);
			gint64 t0;
			barcodes(p, codes[0], codes[1], codes[2]);
			t0 = now_ns();
			{
				g_autoptr(StProduct) product =
					st_store_find_product_by_barcode(store, codes[i % 3], NULL);
				gint64 dt = now_ns() - t0;
				g_assert_nonnull(product);
				g_array_append_val(lookups, dt);
			}
		}
		g_array_sort(lookups, cmp_gint64);
		printf("  barcode lookup %s median %6.1f us, p99 %6.1f us, max %7.1f us (%u "
		       "random)\n",
		       pass == 0 ? "1st" : "2nd",
		       g_array_index(lookups, gint64, n_lookups / 2) / 1000.0,
		       g_array_index(lookups, gint64, n_lookups * 99 / 100) / 1000.0,
		       g_array_index(lookups, gint64, n_lookups - 1) / 1000.0, n_lookups);
	}

	/* the same lookups straight through SQLite on the same file, with the same settings: the
	 * floor this machine puts under any lookup of this catalogue */
	{
		sqlite3 *raw = NULL;
		sqlite3_stmt *stmt = NULL;
		g_array_set_size(lookups, 0);
		g_assert_cmpint(sqlite3_open_v2(db, &raw, SQLITE_OPEN_READONLY, NULL), ==,
				SQLITE_OK);
		sqlite3_exec(raw,
			     sizeof(gpointer) >= 8
				     ? "PRAGMA cache_size = -32768; PRAGMA mmap_size = 1073741824"
				     : "PRAGMA cache_size = -32768; PRAGMA mmap_size = 134217728",
			     NULL, NULL, NULL);
		g_assert_cmpint(
			sqlite3_prepare_v2(raw,
					   "SELECT p.id, p.sku, p.name, p.weight_g, "
					   "b.quantity FROM product_barcodes b JOIN products "
					   "p ON p.id = b.product_id WHERE b.barcode = ?",
					   -1, &stmt, NULL),
			==, SQLITE_OK);
		for (guint i = 0; i < n_lookups; i++) {
			gchar codes[3][16];
			guint p = (guint)g_rand_int_range(rand, 0, (gint32)n_products);
			gint64 t0, dt;
			barcodes(p, codes[0], codes[1], codes[2]);
			t0 = now_ns();
			sqlite3_bind_text(stmt, 1, codes[i % 3], -1, SQLITE_STATIC);
			g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
			sqlite3_reset(stmt);
			dt = now_ns() - t0;
			g_array_append_val(lookups, dt);
		}
		sqlite3_finalize(stmt);
		sqlite3_close(raw);
		g_array_sort(lookups, cmp_gint64);
		printf("  bare SQLite query median %6.1f us, p99 %6.1f us, max %7.1f us (the same "
		       "query, no station code)\n",
		       g_array_index(lookups, gint64, n_lookups / 2) / 1000.0,
		       g_array_index(lookups, gint64, n_lookups * 99 / 100) / 1000.0,
		       g_array_index(lookups, gint64, n_lookups - 1) / 1000.0);
	}

	/* picks: one order of n_lines lines, each pick one unit from its bin to the tote */
	{
		g_autoptr(GArray) lines = g_array_new(FALSE, FALSE, sizeof(StOrderLineSpec));
		g_autoptr(GPtrArray) skus = g_ptr_array_new_with_free_func(g_free);
		StOrderSpec spec = {.number = "BENCH-1", .status = ST_ORDER_STATUS_RELEASED};
		gint64 t0;
		for (guint i = 0; i < n_lines; i++) {
			StOrderLineSpec line = {.quantity = n_picks};
			gchar *sku = g_strdup_printf("SKU-%07u", i);
			g_ptr_array_add(skus, sku);
			line.sku = sku;
			g_array_append_val(lines, line);
		}
		spec.lines = (const StOrderLineSpec *)(gpointer)lines->data;
		spec.n_lines = lines->len;
		g_assert_true(st_store_put_order(store, &spec, NULL, &error));
		g_assert_no_error(error);
		t0 = now_ns();
		for (guint i = 0; i < n_picks; i++) {
			guint line = i % n_lines;
			g_autofree gchar *from = g_strdup_printf("L%05u", line % n_locations);
			StStockChange pick = {.kind = ST_LEDGER_PICK,
					      .sku = g_ptr_array_index(skus, line),
					      .quantity = 1,
					      .from = from,
					      .to = "TOTE-1",
					      .order_number = "BENCH-1",
					      .line_no = line + 1};
			if (!st_store_change_stock(store, &pick, NULL, &error))
				g_error("pick %u: %s", i, error->message);
		}
		t_picks = (gdouble)(now_ns() - t0) / 1e9;
	}
	/* the bare loop: the same commits, the same pragmas */
	{
		sqlite3 *b = NULL;
		sqlite3_stmt *stmt = NULL;
		gint64 t0;
		g_assert_cmpint(sqlite3_open(bare, &b), ==, SQLITE_OK);
		g_assert_cmpint(
			sqlite3_exec(b,
				     "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
				     "CREATE TABLE t (id INTEGER PRIMARY KEY, product INTEGER, "
				     "quantity INTEGER, at TEXT);",
				     NULL, NULL, NULL),
			==, SQLITE_OK);
		g_assert_cmpint(sqlite3_prepare_v2(b,
						   "INSERT INTO t (product, quantity, at) VALUES "
						   "(?, 1, 'now')",
						   -1, &stmt, NULL),
				==, SQLITE_OK);
		t0 = now_ns();
		for (guint i = 0; i < n_picks; i++) {
			sqlite3_exec(b, "BEGIN IMMEDIATE", NULL, NULL, NULL);
			sqlite3_bind_int64(stmt, 1, i);
			g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_DONE);
			sqlite3_reset(stmt);
			g_assert_cmpint(sqlite3_exec(b, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
		}
		t_bare = (gdouble)(now_ns() - t0) / 1e9;
		sqlite3_finalize(stmt);
		sqlite3_close(b);
	}
	printf("  pick (durable)    %10.0f /s (%u picks, each ledger + stock + outbox event)\n",
	       n_picks / t_picks, n_picks);
	printf("  bare SQLite loop  %10.0f commits/s (WAL, synchronous=FULL, one row each)\n",
	       n_picks / t_bare);
	printf("  ratio             %10.2f (pick / bare; the target is 0.5 or more)\n",
	       t_bare / t_picks);
	{
		g_autoptr(GPtrArray) problems = NULL;
		gint64 t0 = now_ns();
		g_assert_true(st_store_check(store, &problems, &error));
		printf("  station check     %8.1f s, %u problems\n", (gdouble)(now_ns() - t0) / 1e9,
		       problems->len);
	}
	g_rand_free(rand);
	g_clear_object(&store);
	st_test_tmpdir_free(g_steal_pointer(&dir));
	return 0;
}
