/*
 * Tests of CSV imports into a real SQLite store: each kind, a bad row in the middle leaving
 * nothing behind (or, with skip_bad, only the bad rows out), dry runs, header faults, orders
 * whose ship-to address is in Latin with diacritics, Cyrillic and Chinese, and what a
 * spreadsheet writes (BOM, CRLF, ';').
 */
#include <sqlite3.h> /* tests only: to count rows */

#include "st-csv.h"
#include "st-import.h"
#include "st-test-sqlite.h"
#include "st-test-util.h"
#include "station/st-error.h"

typedef struct {
	gchar *dir;
	gchar *path;
	StStore *store;
} Fixture;

static void
fixture_set_up(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	fx->dir = st_test_tmpdir_new();
	fx->path = g_build_filename(fx->dir, "station.db", NULL);
	fx->store = st_store_new("bench-test");
	g_assert_true(st_store_open(fx->store, fx->path, 1000, &error));
}

static void
fixture_tear_down(Fixture *fx, gconstpointer data)
{
	g_object_unref(fx->store);
	st_test_tmpdir_free(fx->dir);
	g_free(fx->path);
}

static gint64
count(Fixture *fx, const gchar *sql)
{
	return st_test_db_int(fx->path, sql);
}

static gboolean
import(Fixture *fx,
       StImportKind kind,
       const gchar *csv,
       const StImportOptions *options,
       StImportResult *result,
       GError **error)
{
	g_autoptr(GInputStream) in =
		g_memory_input_stream_new_from_data(g_strdup(csv), (gssize)strlen(csv), g_free);
	StImportOptions none = {0};
	return st_import_csv(fx->store, kind, in, "t.csv", options != NULL ? options : &none,
			     result, error);
}

static void
import_ok(Fixture *fx, StImportKind kind, const gchar *csv)
{
	g_autoptr(GError) error = NULL;
	StImportResult result;
	g_assert_true(import(fx, kind, csv, NULL, &result, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < result.faults->len; i++)
		g_printerr("fault: %s\n", (const gchar *)result.faults->pdata[i]);
	g_assert_cmpuint(result.bad, ==, 0);
	g_assert_true(result.kept);
	st_import_result_clear(&result);
}

static const gchar products[] = "sku,name,weight_g,track_lot,track_expiry,barcode,case_barcode,"
				"case_quantity,hs_code,origin_country,customs_value\n"
				"PEN,\"Pen, blue\",12,,,4006381333931,14006381333938,12,960810,CN,"
				"0.8\n"
				"MILK,Milk 1 l,1030,yes,yes,5901234123457,,,,,\n"
				"MUG,Mug,340,no,no,0012345678905|012345678905,,,691200,PT,12\n";

static void
test_products(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StProduct) cased = NULL;

	import_ok(fx, ST_IMPORT_PRODUCTS, products);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM products"), ==, 3);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM product_barcodes"), ==, 5);
	g_assert_cmpint(count(fx, "SELECT track_lot + track_expiry FROM products WHERE sku = "
				  "'MILK'"),
			==, 2);
	cased = st_store_find_product_by_barcode(fx->store, "14006381333938", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(cased->quantity, ==, 12);
	/* the import's WAL is folded into the database and truncated */
	{
		g_autofree gchar *wal = g_strconcat(fx->path, "-wal", NULL);
		GStatBuf st;
		g_assert_cmpint(g_stat(wal, &st), ==, 0);
		g_assert_cmpint(st.st_size, ==, 0);
	}
	/* what a customs declaration says of them, the value in cents */
	g_assert_cmpint(count(fx, "SELECT customs_value_cents FROM products WHERE sku = 'PEN'"), ==,
			80);
	g_assert_cmpint(count(fx, "SELECT customs_value_cents FROM products WHERE sku = 'MUG'"), ==,
			1200);
	{
		/* an amount, an HS code and a country that are not */
		static const gchar bad[] = "sku,name,hs_code,origin_country,customs_value\n"
					   "A,One,,,1.234\nB,Two,96081,,\nC,Three,,China,\n"
					   "D,Four,,,-3\nE,Five,,,\"1,50\"\nF,Six,,,1,50\n";
		g_autoptr(GInputStream) in =
			g_memory_input_stream_new_from_data(bad, sizeof(bad) - 1, NULL);
		StImportOptions none = {0};
		StImportResult result;
		g_assert_true(st_import_csv(fx->store, ST_IMPORT_PRODUCTS, in, "bad.csv", &none,
					    &result, &error));
		for (guint i = 0; i < result.faults->len; i++)
			g_test_message("%s", (const gchar *)result.faults->pdata[i]);
		g_assert_cmpuint(result.bad, ==, 6);
		g_assert_nonnull(strstr(result.faults->pdata[5], "line 7: 6 fields, but the header "
								 "names 5 columns"));
		g_assert_false(result.kept);
		st_import_result_clear(&result);
	}
	/* importing again updates, it does not duplicate */
	import_ok(fx, ST_IMPORT_PRODUCTS, products);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM products"), ==, 3);
}

/* a bad row in the middle: nothing is kept, and every bad row is named */
static void
test_bad_row_keeps_nothing(Fixture *fx, gconstpointer data)
{
	static const gchar csv[] = "sku,name,weight_g,barcode\n"
				   "A1,One,1,111\n"
				   "A2,Two,heavy,222\n"
				   "A3,Three,3,111\n"
				   "A4,Four,4,444\n"
				   ",Five,5,\n";
	g_autoptr(GError) error = NULL;
	StImportResult result;
	StImportOptions skip = {.skip_bad = TRUE};
	StImportOptions dry = {.dry_run = TRUE};

	g_assert_true(import(fx, ST_IMPORT_PRODUCTS, csv, NULL, &result, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(result.rows, ==, 5);
	g_assert_cmpuint(result.bad, ==, 3);
	g_assert_false(result.kept);
	g_assert_cmpuint(result.imported, ==, 0);
	g_assert_cmpstr(result.faults->pdata[0], ==,
			"line 3: weight_g 'heavy' is not a whole number from 0 to 10000000");
	g_assert_cmpstr(result.faults->pdata[1], ==,
			"line 4: barcode 111 already belongs to SKU A1; one barcode cannot name "
			"two products (remove it from A1 first)");
	g_assert_cmpstr(result.faults->pdata[2], ==, "line 6: the SKU is missing");
	st_import_result_clear(&result);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM products"), ==, 0);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM product_barcodes"), ==, 0);

	/* a dry run says the same and keeps nothing either */
	g_assert_true(import(fx, ST_IMPORT_PRODUCTS, csv, &dry, &result, &error));
	g_assert_cmpuint(result.bad, ==, 3);
	g_assert_false(result.kept);
	st_import_result_clear(&result);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM products"), ==, 0);

	/* --skip-bad keeps the good rows, and a bad row leaves nothing of itself (A3's
	 * product row went in before its barcode failed: it is undone too) */
	g_assert_true(import(fx, ST_IMPORT_PRODUCTS, csv, &skip, &result, &error));
	g_assert_true(result.kept);
	g_assert_cmpuint(result.imported, ==, 2);
	st_import_result_clear(&result);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM products"), ==, 2);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM products WHERE sku = 'A3'"), ==, 0);
}

static void
test_header_faults(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StImportResult result;

	g_assert_false(import(fx, ST_IMPORT_PRODUCTS, "sku,name,weigth_g\nA,B,1\n", NULL, &result,
			      &error));
	g_assert_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "t.csv: line 1: unknown column 'weigth_g'"));
	g_assert_nonnull(strstr(error->message, "weight_g"));
	st_import_result_clear(&result);
	g_clear_error(&error);
	g_assert_false(import(fx, ST_IMPORT_STOCK, "sku,quantity\nA,1\n", NULL, &result, &error));
	g_assert_nonnull(strstr(error->message, "no column 'location'"));
	st_import_result_clear(&result);
	g_clear_error(&error);
	g_assert_false(import(fx, ST_IMPORT_PRODUCTS, "", NULL, &result, &error));
	g_assert_nonnull(strstr(error->message, "t.csv is empty"));
	st_import_result_clear(&result);
	g_clear_error(&error);
	/* a file that is not CSV past its header: nothing kept */
	g_assert_false(import(fx, ST_IMPORT_PRODUCTS, "sku,name\nA,One\nB,\"Two\n", NULL, &result,
			      &error));
	g_assert_nonnull(strstr(error->message, "line 3, column 3: a quoted field never closes"));
	st_import_result_clear(&result);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM products"), ==, 0);
}

static void
test_locations_and_stock(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	StImportResult result;
	StImportOptions skip = {.skip_bad = TRUE, .operator_name = "shift-lead"};

	import_ok(fx, ST_IMPORT_PRODUCTS, products);
	/* what Excel writes in a ';' locale: BOM, CRLF */
	import_ok(fx, ST_IMPORT_LOCATIONS,
		  "\xEF\xBB\xBF"
		  "code;barcode;kind;zone;pick_sequence;allow_negative\r\n"
		  "A-01;LOC-A-01;bin;A;10;\r\nA-02;LOC-A-02;bin;A;20;no\r\nBENCH;;bench;;;yes\r\n");
	import_ok(fx, ST_IMPORT_BOX_TYPES,
		  "code,name,tare_g,length_mm,width_mm,height_mm\n"
		  "S,Small box,120,200,150,100\n");
	g_assert_cmpint(count(fx, "SELECT allow_negative FROM locations WHERE code = 'BENCH'"), ==,
			1);
	g_assert_true(import(fx, ST_IMPORT_STOCK,
			     "sku,location,quantity,lot,expiry\n"
			     "PEN,A-01,40,,\n"
			     "MILK,A-02,12,L1,2099-06-30\n"
			     "MILK,A-02,5,,2099-06-30\n"
			     "MUG,A-09,3,,\n"
			     "MILK,A-02,5,L0,2021-01-01\n",
			     &skip, &result, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(result.bad, ==, 3);
	g_assert_nonnull(strstr(result.faults->pdata[0], "line 4: SKU MILK is tracked by lot"));
	g_assert_nonnull(strstr(result.faults->pdata[1], "line 5: unknown location A-09"));
	g_assert_nonnull(strstr(result.faults->pdata[2], "line 6: expiry 2021-01-01"));
	st_import_result_clear(&result);
	g_assert_cmpint(count(fx, "SELECT sum(quantity) FROM stock"), ==, 52);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM ledger WHERE operator = 'shift-lead'"), ==,
			2);
	/* the counts came from the central system's own data: no event goes back for them */
	g_assert_cmpint(count(fx, "SELECT count(*) FROM outbox WHERE kind LIKE 'stock.%'"), ==, 0);
	/* a count imported again changes nothing; a new count records the difference */
	g_assert_true(import(fx, ST_IMPORT_STOCK, "sku,location,quantity\nPEN,A-01,40\n", NULL,
			     &result, &error));
	st_import_result_clear(&result);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM ledger"), ==, 2);
	g_assert_true(import(fx, ST_IMPORT_STOCK, "sku,location,quantity\nPEN,A-01,37\n", NULL,
			     &result, &error));
	st_import_result_clear(&result);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM ledger WHERE from_location_id IS NOT NULL "
				  "AND quantity = 3"),
			==, 1);
	g_assert_true(st_store_check(fx->store, &problems, &error));
	g_assert_cmpuint(problems->len, ==, 0);
}

/* a count retried under its key applies nothing, even after stock has moved since (without
 * the key the retry would put the counted quantity back); a key whose import kept nothing
 * can be used again; a dry run says the key was done */
static void
test_request_key(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StImportResult result;
	StImportOptions keyed = {.request_key = "COUNT-2026-12-07"};
	StImportOptions keyed_dry = {.request_key = "COUNT-2026-12-07", .dry_run = TRUE};
	StStockChange pick = {.kind = ST_LEDGER_ADJUST,
			      .sku = "PEN",
			      .from = "A-01",
			      .quantity = 5,
			      .note = "broken"};

	import_ok(fx, ST_IMPORT_PRODUCTS, "sku,name,barcode\nPEN,Pen,4006381333931\n");
	import_ok(fx, ST_IMPORT_LOCATIONS, "code,kind\nA-01,bin\n");
	/* a bad row: nothing kept, the key neither */
	g_assert_true(import(fx, ST_IMPORT_STOCK, "sku,location,quantity\nPEN,A-01,40\nPEN,A-9,1\n",
			     &keyed, &result, &error));
	g_assert_no_error(error);
	g_assert_false(result.kept);
	g_assert_null(result.done_before);
	st_import_result_clear(&result);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM requests"), ==, 0);
	/* the fixed file, under the same key */
	g_assert_true(import(fx, ST_IMPORT_STOCK, "sku,location,quantity\nPEN,A-01,40\n", &keyed,
			     &result, &error));
	g_assert_no_error(error);
	g_assert_true(result.kept);
	st_import_result_clear(&result);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM requests WHERE verb = 'import stock'"), ==,
			1);
	/* stock moves; the count is sent again (a lost answer) */
	g_assert_true(st_store_change_stock(fx->store, &pick, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(count(fx, "SELECT sum(quantity) FROM stock"), ==, 35);
	g_assert_true(import(fx, ST_IMPORT_STOCK, "sku,location,quantity\nPEN,A-01,40\n",
			     &keyed_dry, &result, &error));
	g_assert_nonnull(result.done_before);
	st_import_result_clear(&result);
	g_assert_true(import(fx, ST_IMPORT_STOCK, "sku,location,quantity\nPEN,A-01,40\n", &keyed,
			     &result, &error));
	g_assert_no_error(error);
	g_assert_nonnull(result.done_before);
	g_assert_false(result.kept);
	g_assert_cmpuint(result.rows, ==, 0);
	st_import_result_clear(&result);
	g_assert_cmpint(count(fx, "SELECT sum(quantity) FROM stock"), ==, 35);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM ledger"), ==, 2);
	/* a key too long is refused before anything */
	{
		g_autofree gchar *long_key = g_strnfill(200, 'k');
		StImportOptions bad = {.request_key = long_key};
		g_assert_false(import(fx, ST_IMPORT_STOCK, "sku,location,quantity\nPEN,A-01,40\n",
				      &bad, &result, &error));
		g_assert_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA);
		st_import_result_clear(&result);
	}
}

static void
test_orders(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StOrder) order = NULL;
	StImportResult result;
	StImportOptions skip = {.skip_bad = TRUE};

	import_ok(fx, ST_IMPORT_PRODUCTS, products);
	g_assert_true(import(fx, ST_IMPORT_ORDERS,
			     "order,sku,quantity,ship_name,ship_street1,ship_city,ship_postal_code,"
			     "ship_country,service_level,carrier\n"
			     "SO-1,PEN,2,Zoë Ångström,Hauptstraße 5,München,80331,DE,express,DHL\n"
			     "SO-1,MUG,1,,,,,,,\n"
			     "SO-2,PEN,1,Иван Петров,ул. Тверская 7,Москва,125009,RU,,\n"
			     "SO-3,PEN,1,王小明,长安街1号,北京,100000,CN,,\n"
			     "SO-3,GHOST,1,,,,,,,\n"
			     "SO-4,MUG,0,,,,,,,\n"
			     "SO-4,PEN,1,,,,,,,\n"
			     "SO-1,PEN,1,,,,,,,\n",
			     &skip, &result, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(result.rows, ==, 8);
	g_assert_cmpuint(result.imported, ==, 3);
	g_assert_cmpuint(result.bad, ==, 5);
	g_assert_nonnull(strstr(result.faults->pdata[0], "lines 5-6 (order SO-3)"));
	g_assert_nonnull(strstr(result.faults->pdata[0], "GHOST"));
	g_assert_nonnull(strstr(result.faults->pdata[1], "line 7: quantity of an order line"));
	g_assert_nonnull(strstr(result.faults->pdata[2], "lines 7-8 (order SO-4): the order is "
							 "left out whole"));
	g_assert_nonnull(strstr(result.faults->pdata[3], "line 9: order SO-1 appears again"));
	st_import_result_clear(&result);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM orders"), ==, 2);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM order_lines WHERE order_id = (SELECT id "
				  "FROM orders WHERE number = 'SO-1')"),
			==, 2);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM orders WHERE ship_name = 'Zoë Ångström' "
				  "AND ship_city = 'München' AND carrier = 'DHL'"),
			==, 1);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM orders WHERE ship_city = 'Москва'"), ==, 1);
	order = st_store_find_order(fx->store, "SO-2", &error);
	g_assert_no_error(error);
	g_assert_cmpint(order->status, ==, ST_ORDER_STATUS_RELEASED);
	/* each imported order has its first status in the history */
	g_assert_cmpint(count(fx, "SELECT count(*) FROM order_status_history"), ==, 2);
	{
		/* a carrier's tracking number and the label it made: a label file is read
		 * from beside the CSV and stored as it is; one that cannot be read, that is
		 * not ZPL or PDF, or that comes without its tracking number is a bad order */
		g_autofree gchar *csv_path = g_build_filename(fx->dir, "orders.csv", NULL);
		g_autofree gchar *zpl = g_build_filename(fx->dir, "ups.zpl", NULL);
		g_autofree gchar *txt = g_build_filename(fx->dir, "note.txt", NULL);
		g_autofree gchar *text =
			g_strdup_printf("order,sku,quantity,carrier,tracking,label\n"
					"SO-5,PEN,1,UPS,1Z999AA10123456784,ups.zpl\n"
					"SO-6,PEN,1,UPS,1Z999AA10123456793,\n"
					"SO-7,PEN,1,UPS,1Z999AA10123456800,missing.zpl\n"
					"SO-8,PEN,1,UPS,,ups.zpl\n"
					"SO-9,PEN,1,UPS,1Z999AA10123456819,%s\n",
					txt);
		g_autoptr(GInputStream) in = NULL;
		g_autoptr(StShipment) made = NULL;
		g_assert_true(g_file_set_contents(
			zpl, "^XA^FO10,10^BCN,80^FD1Z999AA10123456784^FS^XZ", -1, NULL));
		g_assert_true(g_file_set_contents(txt, "not a label", -1, NULL));
		in = g_memory_input_stream_new_from_data(g_strdup(text), (gssize)strlen(text),
							 g_free);
		g_assert_true(st_import_csv(fx->store, ST_IMPORT_ORDERS, in, csv_path, &skip,
					    &result, &error));
		g_assert_no_error(error);
		for (guint i = 0; i < result.faults->len; i++)
			g_test_message("%s", (const gchar *)result.faults->pdata[i]);
		g_assert_cmpuint(result.bad, ==, 3);
		g_assert_nonnull(strstr(result.faults->pdata[0], "missing.zpl cannot be read"));
		g_assert_nonnull(strstr(result.faults->pdata[1], "needs the tracking number"));
		g_assert_nonnull(strstr(result.faults->pdata[2], "neither ZPL"));
		st_import_result_clear(&result);
		g_assert_cmpint(count(fx, "SELECT count(*) FROM orders WHERE tracking = "
					  "'1Z999AA10123456793'"),
				==, 1);
		made = st_store_find_shipment(fx->store, "1Z999AA10123456784", &error);
		g_assert_no_error(error);
		g_assert_cmpstr(made->order_number, ==, "SO-5");
	}
}

static gboolean
collect_row(const gchar *const *fields, gpointer user_data, GError **error)
{
	st_csv_append_row(user_data, fields);
	return TRUE;
}

static gchar *export(StStore *store, const gchar *what)
{
	g_autoptr(GError) error = NULL;
	GString *out = g_string_new(NULL);
	g_assert_true(st_store_export(store, what, collect_row, out, &error));
	g_assert_no_error(error);
	return g_string_free(out, FALSE);
}

/* an export imports back into an empty database and exports the same again */
static void
test_export_round_trip(Fixture *fx, gconstpointer data)
{
	static const gchar *const kinds[] = {"products", "locations", "box-types", "stock",
					     "orders"};
	static const StImportKind import_kinds[] = {ST_IMPORT_PRODUCTS, ST_IMPORT_LOCATIONS,
						    ST_IMPORT_BOX_TYPES, ST_IMPORT_STOCK,
						    ST_IMPORT_ORDERS};
	g_autofree gchar *path2 = g_build_filename(fx->dir, "second.db", NULL);
	g_autoptr(StStore) second = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *ledger = NULL;

	import_ok(fx, ST_IMPORT_PRODUCTS, products);
	import_ok(fx, ST_IMPORT_LOCATIONS,
		  "code,barcode,kind,pick_sequence,allow_negative\n"
		  "A-01,LOC-A-01,bin,10,\nA-02,,bin,20,\nB,,bench,,yes\n");
	import_ok(fx, ST_IMPORT_BOX_TYPES, "code,name,tare_g\nS,\"Small, brown\",120\n");
	import_ok(fx, ST_IMPORT_STOCK,
		  "sku,location,quantity,lot,expiry\nPEN,A-01,40,,\n"
		  "MILK,A-02,12,L1,2099-06-30\n");
	import_ok(fx, ST_IMPORT_ORDERS,
		  "order,sku,quantity,ship_name,ship_city,carrier\n"
		  "SO-1,PEN,2,\"O'Brien, \"\"Jo\"\"\",Cork,UPS\nSO-1,MUG,1,,,\n");
	g_assert_true(st_store_open(second, path2, 1000, &error));
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autofree gchar *first = export(fx->store, kinds[i]);
		g_autofree gchar *again = NULL;
		g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data(
			g_strdup(first), (gssize)strlen(first), g_free);
		StImportOptions none = {0};
		StImportResult result;
		g_assert_true(st_import_csv(second, import_kinds[i], in, kinds[i], &none, &result,
					    &error));
		g_assert_no_error(error);
		g_assert_cmpuint(result.bad, ==, 0);
		st_import_result_clear(&result);
		again = export(second, kinds[i]);
		g_assert_cmpstr(again, ==, first);
	}
	ledger = export(fx->store, "ledger");
	g_assert_true(g_str_has_prefix(ledger, "id,kind,sku,quantity,from,to,lot,expiry,serial,"
					       "order,line,scan,operator,station,at,note\r\n"));
	g_assert_nonnull(strstr(ledger, ",adjust,MILK,12,,A-02,L1,2099-06-30,"));
	g_assert_false(st_store_export(fx->store, "widgets", collect_row, NULL, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA);
}

/* another process (the daemon) holding the write lock a moment: the import waits for it, up
 * to the busy timeout, then goes through */
static gpointer
hold_lock(gpointer data)
{
	const gchar *path = data;
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open(path, &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
	g_usleep(300 * 1000);
	g_assert_cmpint(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
	sqlite3_close(db);
	return NULL;
}

static void
test_waits_for_writer(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	GThread *thread;
	StImportResult result;

	thread = g_thread_new("writer", hold_lock, fx->path);
	g_usleep(100 * 1000); /* the other writer has the lock */
	g_assert_true(import(fx, ST_IMPORT_PRODUCTS, products, NULL, &result, &error));
	g_assert_no_error(error);
	g_assert_true(result.kept);
	st_import_result_clear(&result);
	g_thread_join(thread);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM products"), ==, 3);
}

/* progress is reported while a large file streams through: first reading it (bytes only
 * going forward), then applying its rows (up to all of them) */
typedef struct {
	guint calls[2];
	guint64 last_done[2];
	guint64 last_total;
	guint last_rows;
	StImportStage last_stage;
} Progress;

static void
on_progress(StImportStage stage, guint64 done, guint64 total, guint rows, gpointer user_data)
{
	Progress *p = user_data;
	/* reading comes before applying, never after */
	g_assert_cmpint(stage, >=, p->last_stage);
	if (stage != p->last_stage)
		p->last_rows = 0;
	g_assert_cmpuint(done, >=, p->last_done[stage]);
	g_assert_cmpuint(rows, >=, p->last_rows);
	if (stage == ST_IMPORT_APPLYING)
		g_assert_cmpuint(done, <=, total);
	p->last_stage = stage;
	p->last_done[stage] = done;
	p->last_total = total;
	p->last_rows = rows;
	p->calls[stage]++;
}

static void
test_progress(Fixture *fx, gconstpointer data)
{
	g_autoptr(GString) csv = g_string_new("sku,name,barcode\n");
	g_autoptr(GError) error = NULL;
	StImportResult result;
	Progress progress = {0};
	StImportOptions options = {.progress = on_progress, .progress_data = &progress};

	for (guint i = 0; i < 20000; i++)
		g_string_append_printf(csv, "SKU-%05u,Item %u,2%011u\n", i, i, i);
	g_assert_true(import(fx, ST_IMPORT_PRODUCTS, csv->str, &options, &result, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(result.imported, ==, 20000);
	st_import_result_clear(&result);
	g_assert_cmpuint(progress.calls[ST_IMPORT_READING], >=, 4);
	g_assert_cmpuint(progress.calls[ST_IMPORT_APPLYING], >=, 4);
	g_assert_cmpuint(progress.last_done[ST_IMPORT_READING], ==, csv->len);
	g_assert_cmpuint(progress.last_done[ST_IMPORT_APPLYING], ==, 20000);
	g_assert_cmpuint(progress.last_total, ==, 20000);
	g_assert_cmpuint(progress.last_rows, ==, 20000);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM product_barcodes"), ==, 20000);
}

/* operators: roles and languages checked per row, every bad row named, a good file kept;
 * importing again updates */
static void
test_operators(Fixture *fx, gconstpointer data)
{
	static const gchar bad[] = "badge,name,role,language\n"
				   "0042,Li Wei,lead,zh-CN\n"
				   "0043,Ann,boss,en\n"
				   "0044,Bo,packer,fr\n"
				   ",Nobody,picker,\n";
	static const gchar good[] = "Badge;Name;Role;Language\n"
				    "0042;Li Wei;lead;zh-CN\n"
				    "0045;Ana Müller;packer;\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) operators = NULL;
	g_autoptr(StOperator) op = NULL;
	StImportResult result;

	g_assert_true(import(fx, ST_IMPORT_OPERATORS, bad, NULL, &result, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(result.bad, ==, 3);
	g_assert_false(result.kept);
	g_assert_nonnull(strstr(result.faults->pdata[0], "line 3"));
	g_assert_nonnull(strstr(result.faults->pdata[0], "boss"));
	g_assert_nonnull(strstr(result.faults->pdata[1], "line 4"));
	g_assert_nonnull(strstr(result.faults->pdata[1], "fr"));
	g_assert_nonnull(strstr(result.faults->pdata[2], "line 5"));
	st_import_result_clear(&result);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM operators"), ==, 0);

	import_ok(fx, ST_IMPORT_OPERATORS, good);
	import_ok(fx, ST_IMPORT_OPERATORS, good);
	operators = st_store_get_operators(fx->store, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(operators->len, ==, 2);
	op = st_store_find_operator(fx->store, "0045", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(op->name, ==, "Ana Müller");
	g_assert_cmpint(op->role, ==, ST_OPERATOR_ROLE_PACKER);
	g_assert_cmpstr(op->language, ==, "en");
}

/* rows are applied in batches under one savepoint: bad rows at a batch's first, last and
 * middle places, several in a row, and a row whose product went in before its barcode was
 * refused, leave out themselves only; the rows around them keep their own values, and a
 * stock count counted twice in one file counts the second time from the first */
static void
test_bad_rows_across_batches(Fixture *fx, gconstpointer data)
{
	/* 0-based row numbers: batches are 512 rows, so rows 511/512 and 1023/1024 meet at
	 * their edges */
	static const guint bad[] = {0, 2, 3, 5, 510, 511, 512, 700, 701, 1023, 1024, 1299};
	const guint n = 1300;
	g_autoptr(GString) csv = g_string_new("sku,name,weight_g,barcode\n");
	g_autoptr(GError) error = NULL;
	StImportOptions skip = {.skip_bad = TRUE};
	StImportResult result;
	guint b = 0;

	for (guint i = 0; i < n; i++) {
		gboolean is_bad = b < G_N_ELEMENTS(bad) && bad[b] == i;
		if (is_bad && b % 2 == 0)
			/* refused before it writes anything */
			g_string_append_printf(csv, "B%04u,Item %u,heavy,9%07u\n", i, i, i);
		else if (is_bad)
			/* its product row is written, then its barcode (row 1's) is refused */
			g_string_append_printf(csv, "B%04u,Item %u,%u,90000001\n", i, i, i + 1);
		else
			g_string_append_printf(csv, "B%04u,Item %u,%u,9%07u\n", i, i, i + 1, i);
		b += is_bad;
	}
	g_assert_true(import(fx, ST_IMPORT_PRODUCTS, csv->str, &skip, &result, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(result.rows, ==, n);
	g_assert_cmpuint(result.bad, ==, G_N_ELEMENTS(bad));
	g_assert_cmpuint(result.imported, ==, n - G_N_ELEMENTS(bad));
	g_assert_true(result.kept);
	g_assert_cmpuint(result.faults->len, ==, G_N_ELEMENTS(bad));
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree gchar *prefix = g_strdup_printf("line %u: ", bad[i] + 2);
		g_assert_true(g_str_has_prefix(result.faults->pdata[i], prefix));
		g_assert_nonnull(strstr(result.faults->pdata[i],
					i % 2 == 0 ? "weight_g 'heavy'" : "barcode 90000001"));
	}
	st_import_result_clear(&result);
	g_assert_cmpint(count(fx, "SELECT count(*) FROM products"), ==, n - G_N_ELEMENTS(bad));
	g_assert_cmpint(count(fx, "SELECT count(*) FROM product_barcodes"), ==,
			n - G_N_ELEMENTS(bad));
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree gchar *sql = g_strdup_printf(
			"SELECT count(*) FROM products WHERE sku = 'B%04u'", bad[i]);
		g_assert_cmpint(count(fx, sql), ==, 0);
	}
	/* each good row with its own values, every row of the file in its place */
	g_assert_cmpint(count(fx, "SELECT count(*) FROM products p JOIN product_barcodes b ON "
				  "b.product_id = p.id WHERE p.weight_g = CAST(substr(p.sku, 2) "
				  "AS INTEGER) + 1 AND b.barcode = '9' || substr('0000000' || "
				  "CAST(substr(p.sku, 2) AS INTEGER), -7)"),
			==, n - G_N_ELEMENTS(bad));
	g_assert_cmpint(count(fx, "SELECT min(weight_g) FROM products"), ==, 2);

	/* a stock count twice in one file, across a batch's edge: the second counts from the
	 * first; a bad row between them leaves out only itself */
	import_ok(fx, ST_IMPORT_LOCATIONS, "code,kind\nBIN-1,bin\n");
	{
		g_autoptr(GString) stock = g_string_new("sku,location,quantity\n");
		for (guint i = 0; i < 520; i++) {
			g_autofree gchar *quantity = g_strdup_printf("%u", i + 1);
			g_string_append_printf(stock, "B%04u,BIN-1,%s\n", i % 2 == 0 ? 1 : 4,
					       i == 515 ? "lots" : quantity);
		}
		g_assert_true(import(fx, ST_IMPORT_STOCK, stock->str, &skip, &result, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(result.bad, ==, 1);
		g_assert_true(g_str_has_prefix(result.faults->pdata[0], "line 517: "));
		st_import_result_clear(&result);
	}
	/* the last count of each product stands */
	g_assert_cmpint(count(fx, "SELECT s.quantity FROM stock s JOIN products p ON p.id = "
				  "s.product_id WHERE p.sku = 'B0004'"),
			==, 520);
	g_assert_cmpint(count(fx, "SELECT s.quantity FROM stock s JOIN products p ON p.id = "
				  "s.product_id WHERE p.sku = 'B0001'"),
			==, 519);
	/* one ledger row a count: each moved the stock on from the count before it */
	g_assert_cmpint(count(fx, "SELECT count(*) FROM ledger l JOIN products p ON p.id = "
				  "l.product_id WHERE p.sku = 'B0001'"),
			==, 260);
	g_assert_cmpint(count(fx, "SELECT sum(quantity) FROM ledger l JOIN products p ON p.id = "
				  "l.product_id WHERE p.sku = 'B0001'"),
			==, 519);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
	ADD("/import/products", test_products);
	ADD("/import/bad-row-keeps-nothing", test_bad_row_keeps_nothing);
	ADD("/import/bad-rows-across-batches", test_bad_rows_across_batches);
	ADD("/import/header-faults", test_header_faults);
	ADD("/import/locations-and-stock", test_locations_and_stock);
	ADD("/import/orders", test_orders);
	ADD("/import/large", test_progress);
	ADD("/import/export-round-trip", test_export_round_trip);
	ADD("/import/waits-for-writer", test_waits_for_writer);
	ADD("/import/operators", test_operators);
	ADD("/import/request-key", test_request_key);
	return g_test_run();
}
