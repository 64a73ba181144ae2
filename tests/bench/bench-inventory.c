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
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "st-bench.h"
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

/*
 * The import's baseline: Debian's sqlite3 CLI loading the same products file into the same
 * tables and indexes of an empty station database (its schema made by the store), in one
 * transaction, WAL and synchronous=FULL as the station: .import into a staging table, then
 * each product and its three barcodes. Returns: seconds of the whole sqlite3 process, or -1
 * when sqlite3 is not installed
 */
static gdouble
import_sqlite3_cli(const gchar *dir, const gchar *csv, guint round)
{
	g_autofree gchar *sqlite3_cli = g_find_program_in_path("sqlite3");
	g_autofree gchar *name = g_strdup_printf("sqlite3-%u.db", round);
	g_autofree gchar *path = g_build_filename(dir, name, NULL);
	g_autofree gchar *script = NULL;
	g_autoptr(StStore) store = st_store_new("bench");
	g_autoptr(GError) error = NULL;
	gint status = 0;
	gint64 t0;

	if (sqlite3_cli == NULL)
		return -1;
	g_assert_true(st_store_open(store, path, 5000, &error));
	st_store_close(store);
	script = g_strdup_printf(
		"PRAGMA journal_mode = WAL;\n"
		"PRAGMA synchronous = FULL;\n"
		".import --csv %s staging\n"
		"BEGIN IMMEDIATE;\n"
		"INSERT INTO products (sku, name, weight_g, created_at) SELECT sku, name, "
		"weight_g, '2026-12-07T00:00:00Z' FROM staging;\n"
		"INSERT INTO product_barcodes (barcode, product_id, quantity, pack) SELECT "
		"s.barcode, p.id, 1, 'unit' FROM staging s JOIN products p ON p.sku = s.sku;\n"
		"INSERT INTO product_barcodes (barcode, product_id, quantity, pack) SELECT "
		"s.inner_barcode, p.id, s.inner_quantity, 'inner' FROM staging s JOIN products p "
		"ON p.sku = s.sku;\n"
		"INSERT INTO product_barcodes (barcode, product_id, quantity, pack) SELECT "
		"s.case_barcode, p.id, s.case_quantity, 'case' FROM staging s JOIN products p ON "
		"p.sku = s.sku;\n"
		"DROP TABLE staging;\n"
		"COMMIT;\n",
		csv);
	{
		const gchar *argv[] = {sqlite3_cli, "-bail", path, NULL};
		g_autoptr(GSubprocess) proc = NULL;
		g_autoptr(GBytes) in = g_bytes_new(script, strlen(script));
		t0 = now_ns();
		proc = g_subprocess_newv(
			argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
			&error);
		g_assert_no_error(error);
		g_assert_true(g_subprocess_communicate(proc, in, NULL, NULL, NULL, &error));
		g_assert_no_error(error);
		status = g_subprocess_get_exit_status(proc);
	}
	if (status != 0)
		g_error("sqlite3 %s failed (%d)", path, status);
	{
		gdouble secs = (gdouble)(now_ns() - t0) / 1e9;
		g_autofree gchar *wal = g_strdup_printf("%s-wal", path);
		g_autofree gchar *shm = g_strdup_printf("%s-shm", path);
		g_unlink(path);
		g_unlink(wal);
		g_unlink(shm);
		return secs;
	}
}

static gint
cmp_double(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;
	return x < y ? -1 : x > y;
}

/* the median of @a, which it sorts */
/* Returns: the seconds @n one-row transactions took, each committed on its own through
 * @insert (an INSERT of one row, its one parameter numbered from @first) */
static gdouble
bare_commits(sqlite3_stmt *insert, guint first, guint n)
{
	sqlite3 *db = sqlite3_db_handle(insert);
	gint64 t0 = now_ns();
	for (guint k = 0; k < n; k++) {
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_int64(insert, 1, first + k);
		g_assert_cmpint(sqlite3_step(insert), ==, SQLITE_DONE);
		sqlite3_reset(insert);
		g_assert_cmpint(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
	}
	return (gdouble)(now_ns() - t0) / 1e9;
}

/* prints the median of the picks' per-round @ratios to one baseline and its spread, and adds
 * the row to make bench's table */
static void
pick_ratio(GArray *ratios,
	   const gchar *against,
	   const gchar *figure,
	   gdouble rate,
	   const gchar *baseline,
	   gdouble baseline_rate)
{
	gdouble mid = st_bench_quantile(ratios, 0.5), lo = st_bench_quantile(ratios, 0.1),
		hi = st_bench_quantile(ratios, 0.9);
	printf("  ratio pick / %s, median of the rounds %.2f (p10 %.2f, p90 %.2f)\n", against, mid,
	       lo, hi);
	st_bench_row("bench-inventory", figure, rate, NAN, baseline, baseline_rate, mid, lo, hi,
		     "p10-p90", ratios->len);
}

static gdouble
median(GArray *a)
{
	g_array_sort(a, cmp_double);
	return g_array_index(a, gdouble, a->len / 2);
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
	gdouble t_products, t_locations, t_stock;
	gdouble lookup_median = 0, lookup_p99 = 0;
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
	/* the products import again into an empty database, interleaved with the sqlite3 CLI
	 * loading the same file into the same tables and indexes */
	{
		g_autoptr(GArray) t_st = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) t_cli = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) ratio = g_array_new(FALSE, FALSE, sizeof(gdouble));
		guint rounds = n_products <= 200000 ? 5 : 1;
		for (guint r = 0; r < rounds; r++) {
			g_autofree gchar *name = g_strdup_printf("import-%u.db", r);
			g_autofree gchar *path = g_build_filename(dir, name, NULL);
			g_autofree gchar *wal = g_strdup_printf("%s-wal", path);
			g_autofree gchar *shm = g_strdup_printf("%s-shm", path);
			g_autoptr(StStore) fresh = st_store_new("bench");
			guint rows = 0;
			gdouble t, cli;
			g_assert_true(st_store_open(fresh, path, 5000, &error));
			t = import(fresh, ST_IMPORT_PRODUCTS, products_csv, &rows);
			st_store_close(fresh);
			g_unlink(path);
			g_unlink(wal);
			g_unlink(shm);
			cli = import_sqlite3_cli(dir, products_csv, r);
			if (cli < 0)
				break;
			g_array_append_val(t_st, t);
			g_array_append_val(t_cli, cli);
			g_array_append_val(ratio, (gdouble){t / cli});
		}
		if (ratio->len == 0) {
			printf("  sqlite3 CLI not installed: the import has no baseline\n");
		} else {
			gdouble mid = median(ratio);
			printf("  import products, %u rounds into an empty database, interleaved "
			       "with "
			       "the sqlite3 CLI\n",
			       ratio->len);
			printf("    station %8.2f s %10.0f rows/s\n", median(t_st),
			       n_products / median(t_st));
			printf("    sqlite3 %8.2f s %10.0f rows/s (.import, then INSERT ... "
			       "SELECT into the same tables)\n",
			       median(t_cli), n_products / median(t_cli));
			printf("    ratio station / sqlite3, median of the rounds %.2f (%.2f to "
			       "%.2f)\n",
			       mid, g_array_index(ratio, gdouble, 0),
			       g_array_index(ratio, gdouble, ratio->len - 1));
			{
				g_autofree gchar *figure = g_strdup_printf(
					"products import into an empty database, rows/s (%u rows; "
					"ratio: time / sqlite3's)",
					n_products);
				st_bench_row("bench-inventory", figure, n_products / median(t_st),
					     NAN, "sqlite3 CLI loading the same rows, rows/s",
					     n_products / median(t_cli), mid,
					     g_array_index(ratio, gdouble, 0),
					     g_array_index(ratio, gdouble, ratio->len - 1),
					     "min-max", ratio->len);
			}
		}
	}
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
		lookup_median = g_array_index(lookups, gint64, n_lookups / 2) / 1000.0;
		lookup_p99 = g_array_index(lookups, gint64, n_lookups * 99 / 100) / 1000.0;
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
		sqlite3_exec(raw, "PRAGMA cache_size = -2048; PRAGMA mmap_size = 0", NULL, NULL,
			     NULL);
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
		{
			gdouble bare_median =
				g_array_index(lookups, gint64, n_lookups / 2) / 1000.0;
			g_autofree gchar *figure = g_strdup_printf(
				"barcode lookup among %u products x3 barcodes, us", n_products);
			st_bench_row("bench-inventory", figure, lookup_median, lookup_p99,
				     "the same query straight to SQLite", bare_median,
				     lookup_median / bare_median, NAN, NAN, "ratio of the medians",
				     1);
		}
	}

	/* picks: one order of n_lines lines, each pick one unit from its bin to the tote; in
	 * rounds of one pick, each round the station's pick, then a bare one-row commit (SQLite's
	 * 4 KiB pages), the same with 1 KiB pages as the station's (ST_STORE_PAGE_SIZE: a commit
	 * writes whole pages, so this one writes less too), then the same rows written by bare
	 * SQLite into a copy of the station's database with the store's settings (foreign keys
	 * checked, its page cache, no memory map: the floor under a pick that keeps its ledger, its
	 * stock and its outbox event in one transaction) */
	{
		g_autoptr(GArray) lines = g_array_new(FALSE, FALSE, sizeof(StOrderLineSpec));
		g_autoptr(GPtrArray) skus = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GArray) r_bare = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) r_same = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) r_small = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) t_k = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autofree gchar *bare_small = g_build_filename(dir, "bare-1k.db", NULL);
		g_autoptr(GArray) t_st = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) t_b = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) t_s = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autofree gchar *copy = g_build_filename(dir, "same.db", NULL);
		g_autofree gchar *payload = NULL;
		StOrderSpec spec = {.number = "BENCH-1", .status = ST_ORDER_STATUS_RELEASED};
		/* pick by pick: a disk's hiccup (this runs just after a large import is written
		 * back) falls on one pick of each kind, not on a block of a hundred */
		const guint per_round = 1;
		sqlite3 *b = NULL, *c = NULL, *bk = NULL;
		sqlite3_stmt *one = NULL, *one_k = NULL, *q_product = NULL, *q_location = NULL,
			     *q_line = NULL, *ins_ledger = NULL, *up_stock = NULL,
			     *ins_outbox = NULL;
		guint done = 0;

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

		/* the bare one-row loop */
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
						   -1, &one, NULL),
				==, SQLITE_OK);
		g_assert_cmpint(sqlite3_open(bare_small, &bk), ==, SQLITE_OK);
		g_assert_cmpint(
			sqlite3_exec(bk,
				     "PRAGMA page_size = 1024; PRAGMA journal_mode = WAL; PRAGMA "
				     "synchronous = FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, "
				     "product INTEGER, quantity INTEGER, at TEXT);",
				     NULL, NULL, NULL),
			==, SQLITE_OK);
		g_assert_cmpint(sqlite3_prepare_v2(bk,
						   "INSERT INTO t (product, quantity, at) VALUES "
						   "(?, 1, 'now')",
						   -1, &one_k, NULL),
				==, SQLITE_OK);

		/* the bare loops' WALs grown once before the first timed commit, as a running
		 * station's is (st_bench_wal_grown); the station's and the copy's grow in rounds
		 * that are not counted, below */
		for (guint k = 0; !st_bench_wal_grown(bare) || !st_bench_wal_grown(bare_small);
		     k++) {
			if (k == 5000)
				g_error("the bare loops' WALs did not grow to 1000 frames");
			bare_commits(one, n_picks + k, 1);
			bare_commits(one_k, n_picks + k, 1);
		}
		for (guint round = 0, counted = 0; counted < n_picks; round++) {
			guint n = per_round;
			gboolean warm =
				c != NULL && st_bench_wal_grown(db) && st_bench_wal_grown(copy);
			gdouble ts, tb, tk, tsame;
			gint64 t0 = now_ns();
			for (guint k = 0; k < n; k++) {
				guint i = done + k, line = i % n_lines;
				g_autofree gchar *from =
					g_strdup_printf("L%05u", line % n_locations);
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
			ts = (gdouble)(now_ns() - t0) / 1e9;
			if (round == 0) {
				/* the copy, with what the first picks wrote, and the event they
				 * wrote as the payload the bare picks write */
				sqlite3 *st = NULL;
				sqlite3_stmt *q = NULL;
				g_autofree gchar *sql = g_strdup_printf("VACUUM INTO '%s'", copy);
				g_assert_cmpint(sqlite3_open(db, &st), ==, SQLITE_OK);
				g_assert_cmpint(sqlite3_exec(st, sql, NULL, NULL, NULL), ==,
						SQLITE_OK);
				g_assert_cmpint(sqlite3_prepare_v2(st,
								   "SELECT payload FROM outbox "
								   "ORDER BY id DESC LIMIT 1",
								   -1, &q, NULL),
						==, SQLITE_OK);
				g_assert_cmpint(sqlite3_step(q), ==, SQLITE_ROW);
				payload = g_strdup((const gchar *)sqlite3_column_text(q, 0));
				sqlite3_finalize(q);
				sqlite3_close(st);
				g_assert_cmpint(sqlite3_open(copy, &c), ==, SQLITE_OK);
				g_assert_cmpint(
					sqlite3_exec(
						c,
						"PRAGMA journal_mode = WAL; PRAGMA "
						"synchronous = FULL; PRAGMA foreign_keys = ON; "
						"PRAGMA cache_size = -2048; PRAGMA "
						"mmap_size = 0;",
						NULL, NULL, NULL),
					==, SQLITE_OK);
				g_assert_cmpint(sqlite3_prepare_v2(
							c, "SELECT id FROM products WHERE sku = ?",
							-1, &q_product, NULL),
						==, SQLITE_OK);
				g_assert_cmpint(sqlite3_prepare_v2(
							c,
							"SELECT id FROM locations WHERE code = ?",
							-1, &q_location, NULL),
						==, SQLITE_OK);
				g_assert_cmpint(
					sqlite3_prepare_v2(
						c,
						"SELECT l.order_id, l.id FROM order_lines l "
						"JOIN orders o ON o.id = l.order_id WHERE "
						"o.number = 'BENCH-1' AND l.line_no = ?",
						-1, &q_line, NULL),
					==, SQLITE_OK);
				g_assert_cmpint(
					sqlite3_prepare_v2(
						c,
						"INSERT INTO ledger (kind, product_id, quantity, "
						"from_location_id, to_location_id, order_id, "
						"order_line_id, station, at) VALUES ('pick', ?, 1, "
						"?, ?, "
						"?, ?, 'bench', '2026-12-07T00:00:00Z')",
						-1, &ins_ledger, NULL),
					==, SQLITE_OK);
				g_assert_cmpint(
					sqlite3_prepare_v2(
						c,
						"INSERT INTO stock (product_id, location_id, "
						"quantity) VALUES (?1, ?2, ?3) ON CONFLICT "
						"(product_id, location_id, lot, expiry, serial) "
						"DO UPDATE SET quantity = quantity + ?3",
						-1, &up_stock, NULL),
					==, SQLITE_OK);
				g_assert_cmpint(
					sqlite3_prepare_v2(
						c,
						"INSERT INTO outbox (idempotency_key, kind, "
						"order_id, "
						"payload, created_at, order_seq) VALUES (?, "
						"'stock.picked', ?, ?, '2026-12-07T00:00:00Z', "
						"(SELECT "
						"coalesce(max(order_seq), 0) + 1 FROM outbox WHERE "
						"order_id = ?))",
						-1, &ins_outbox, NULL),
					==, SQLITE_OK);
			}
			tb = bare_commits(one, done, n);
			tk = bare_commits(one_k, done, n);
			t0 = now_ns();
			for (guint k = 0; k < n; k++) {
				guint i = done + k, line = i % n_lines;
				gchar from[16], key[48];
				gint64 product, from_id, to_id, order_id, line_id;
				g_snprintf(from, sizeof(from), "L%05u", line % n_locations);
				g_snprintf(key, sizeof(key), "bare-%u", i);
				sqlite3_exec(c, "BEGIN IMMEDIATE", NULL, NULL, NULL);
				sqlite3_bind_text(q_product, 1, g_ptr_array_index(skus, line), -1,
						  SQLITE_STATIC);
				g_assert_cmpint(sqlite3_step(q_product), ==, SQLITE_ROW);
				product = sqlite3_column_int64(q_product, 0);
				sqlite3_reset(q_product);
				sqlite3_bind_text(q_location, 1, from, -1, SQLITE_STATIC);
				g_assert_cmpint(sqlite3_step(q_location), ==, SQLITE_ROW);
				from_id = sqlite3_column_int64(q_location, 0);
				sqlite3_reset(q_location);
				sqlite3_bind_text(q_location, 1, "TOTE-1", -1, SQLITE_STATIC);
				g_assert_cmpint(sqlite3_step(q_location), ==, SQLITE_ROW);
				to_id = sqlite3_column_int64(q_location, 0);
				sqlite3_reset(q_location);
				sqlite3_bind_int64(q_line, 1, line + 1);
				g_assert_cmpint(sqlite3_step(q_line), ==, SQLITE_ROW);
				order_id = sqlite3_column_int64(q_line, 0);
				line_id = sqlite3_column_int64(q_line, 1);
				sqlite3_reset(q_line);
				sqlite3_bind_int64(ins_ledger, 1, product);
				sqlite3_bind_int64(ins_ledger, 2, from_id);
				sqlite3_bind_int64(ins_ledger, 3, to_id);
				sqlite3_bind_int64(ins_ledger, 4, order_id);
				sqlite3_bind_int64(ins_ledger, 5, line_id);
				g_assert_cmpint(sqlite3_step(ins_ledger), ==, SQLITE_DONE);
				sqlite3_reset(ins_ledger);
				for (guint side = 0; side < 2; side++) {
					sqlite3_bind_int64(up_stock, 1, product);
					sqlite3_bind_int64(up_stock, 2,
							   side == 0 ? from_id : to_id);
					sqlite3_bind_int64(up_stock, 3, side == 0 ? -1 : 1);
					g_assert_cmpint(sqlite3_step(up_stock), ==, SQLITE_DONE);
					sqlite3_reset(up_stock);
				}
				sqlite3_bind_text(ins_outbox, 1, key, -1, SQLITE_STATIC);
				sqlite3_bind_int64(ins_outbox, 2, order_id);
				sqlite3_bind_text(ins_outbox, 3, payload, -1, SQLITE_STATIC);
				sqlite3_bind_int64(ins_outbox, 4, order_id);
				g_assert_cmpint(sqlite3_step(ins_outbox), ==, SQLITE_DONE);
				sqlite3_reset(ins_outbox);
				g_assert_cmpint(sqlite3_exec(c, "COMMIT", NULL, NULL, NULL), ==,
						SQLITE_OK);
			}
			tsame = (gdouble)(now_ns() - t0) / 1e9;
			done += n;
			if (!warm && round > 10000)
				g_error("the WALs of the picks did not grow to 1000 frames");
			if (!warm)
				continue; /* a WAL still growing: not a round */
			counted += n;
			g_array_append_val(t_st, (gdouble){n / ts});
			g_array_append_val(t_b, (gdouble){n / tb});
			g_array_append_val(t_s, (gdouble){n / tsame});
			g_array_append_val(r_bare, (gdouble){tb / ts});
			g_array_append_val(r_same, (gdouble){tsame / ts});
			g_array_append_val(t_k, (gdouble){n / tk});
			g_array_append_val(r_small, (gdouble){tk / ts});
		}
		sqlite3_finalize(one);
		sqlite3_finalize(one_k);
		sqlite3_close(bk);
		sqlite3_finalize(q_product);
		sqlite3_finalize(q_location);
		sqlite3_finalize(q_line);
		sqlite3_finalize(ins_ledger);
		sqlite3_finalize(up_stock);
		sqlite3_finalize(ins_outbox);
		sqlite3_close(b);
		sqlite3_close(c);
		printf("  picks, %u rounds of %u interleaved with three baselines\n", r_bare->len,
		       per_round);
		printf("  pick (durable)       %8.0f /s (each ledger + stock + outbox event)\n",
		       median(t_st));
		printf("  bare one-row commits %8.0f /s (WAL, synchronous=FULL)\n", median(t_b));
		printf("  the same, 1 KiB pages %7.0f /s (as the station's)\n", median(t_k));
		printf("  bare, the same rows  %8.0f /s (the same reads and writes into a copy "
		       "of the database)\n",
		       median(t_s));
		pick_ratio(r_bare, "one-row commit",
			   "durable picks/s (ledger, stock, outbox event; ratio: rate / bare rate)",
			   median(t_st), "bare one-row commits/s", median(t_b));
		pick_ratio(r_small, "1 KiB-page one-row commit",
			   "durable picks/s (ledger, stock, outbox event; ratio: rate / bare rate)",
			   median(t_st), "bare one-row commits/s, 1 KiB pages", median(t_k));
		pick_ratio(r_same, "the same rows bare",
			   "durable picks/s, the same rows bare (ratio: rate / bare rate)",
			   median(t_st), "bare SQLite, the same reads and writes", median(t_s));
	}
	{
		g_autoptr(GPtrArray) problems = NULL;
		gint64 t0 = now_ns();
		g_assert_true(st_store_check(store, &problems, &error));
		printf("  station check     %8.1f s, %u problems\n", (gdouble)(now_ns() - t0) / 1e9,
		       problems->len);
		/* what `station serve` reads before it says ready (systemd gives it
		 * TimeoutStartSec=120 s) */
		t0 = now_ns();
		g_assert_true(st_store_quick_check(store, &error));
		printf("  quick check       %8.1f s (station serve's, before it says ready)\n",
		       (gdouble)(now_ns() - t0) / 1e9);
	}
	g_rand_free(rand);
	g_clear_object(&store);
	st_test_tmpdir_free(g_steal_pointer(&dir));
	return 0;
}
