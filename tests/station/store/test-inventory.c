/*
 * Tests of the store's inventory: the catalogue with pack levels, locations, every kind of
 * stock change and its refusals (which must leave the database unchanged), reservations, the
 * stock report, the ledger's running balance, the check catching a stock table that does
 * not match the ledger, the ledger refusing updates, and the migration from schema 1 giving
 * stock that was there an opening ledger row.
 */
#include <sqlite3.h> /* tests only: to corrupt a row on purpose, and build old schemas */

#include "st-test-sqlite.h"
#include "st-test-util.h"
#include "station/st-error.h"
#include "station/st-store.h"

typedef struct {
	gchar *dir;
	gchar *path;
	StStore *store;
} Fixture;

static gchar *
future_date(gint days)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autoptr(GDateTime) then = g_date_time_add_days(now, days);
	return g_date_time_format(then, "%Y-%m-%d");
}

static void
fixture_set_up(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const StProductSpec pen = {.sku = "PEN", .name = "Pen", .weight_g = 12};
	const StProductSpec milk = {.sku = "MILK",
				    .name = "Milk 1 l",
				    .weight_g = 1030,
				    .track_lot = TRUE,
				    .track_expiry = TRUE};
	const StProductSpec phone = {.sku = "PHONE", .name = "Phone", .track_serial = TRUE};
	const StLocationSpec bins[] = {
		{.code = "A-01", .barcode = "LOC-A-01", .pick_sequence = 10},
		{.code = "A-02", .barcode = "LOC-A-02", .pick_sequence = 20},
		{.code = "TOTE-1", .kind = "tote"},
		{.code = "BENCH", .kind = "bench", .allow_negative = TRUE},
	};
	const StOrderLineSpec lines[] = {{"PEN", 5}, {"MILK", 2}};
	const StAddress to = {.name = "Łukasz Żółć",
			      .street1 = "ул. Тверская, 7",
			      .city = "北京",
			      .postal_code = "100000",
			      .country = "CN"};
	const StOrderSpec order = {.number = "SO-1",
				   .status = ST_ORDER_STATUS_RELEASED,
				   .ship_to = &to,
				   .service_level = "express",
				   .carrier = "DHL",
				   .lines = lines,
				   .n_lines = G_N_ELEMENTS(lines)};

	fx->dir = st_test_tmpdir_new();
	fx->path = g_build_filename(fx->dir, "station.db", NULL);
	fx->store = st_store_new("bench-test");
	g_assert_true(st_store_open(fx->store, fx->path, 1000, &error));
	g_assert_true(st_store_put_product(fx->store, &pen, NULL, &error));
	g_assert_true(st_store_put_product(fx->store, &milk, NULL, &error));
	g_assert_true(st_store_put_product(fx->store, &phone, NULL, &error));
	g_assert_true(
		st_store_put_barcode(fx->store, "PEN", "4006381333931", ST_PACK_UNIT, 1, &error));
	g_assert_true(
		st_store_put_barcode(fx->store, "PEN", "14006381333938", ST_PACK_CASE, 12, &error));
	for (guint i = 0; i < G_N_ELEMENTS(bins); i++)
		g_assert_true(st_store_put_location(fx->store, &bins[i], &error));
	g_assert_true(st_store_put_order(fx->store, &order, NULL, &error));
	g_assert_no_error(error);
}

static void
fixture_tear_down(Fixture *fx, gconstpointer data)
{
	g_object_unref(fx->store);
	st_test_tmpdir_free(fx->dir);
	g_free(fx->path);
}

static gboolean
change(Fixture *fx, const StStockChange *c, GError **error)
{
	return st_store_change_stock(fx->store, c, NULL, error);
}

static void
receive(Fixture *fx, const gchar *sku, const gchar *to, gint64 quantity)
{
	g_autoptr(GError) error = NULL;
	StStockChange c = {.kind = ST_LEDGER_RECEIVE, .sku = sku, .to = to, .quantity = quantity};
	g_assert_true(change(fx, &c, &error));
	g_assert_no_error(error);
}

static gint64
on_hand(Fixture *fx, const gchar *sku)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StStockReport) r = st_store_get_stock(fx->store, sku, &error);
	g_assert_no_error(error);
	return r->on_hand;
}

static void
assert_consistent(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	g_assert_true(st_store_check(fx->store, &problems, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < problems->len; i++)
		g_printerr("problem: %s\n", (const gchar *)problems->pdata[i]);
	g_assert_cmpuint(problems->len, ==, 0);
}

static void
test_catalogue(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StProduct) unit = NULL;
	g_autoptr(StProduct) cased = NULL;
	const StProductSpec renamed = {.sku = "PEN", .name = "Pen, blue", .weight_g = 13};
	const StProductSpec nameless = {.sku = "X"};
	const StLocationSpec bad_kind = {.code = "Z", .kind = "shelf"};
	const StLocationSpec taken = {.code = "A-09", .barcode = "LOC-A-01"};

	/* scanning the case barcode counts 12 */
	unit = st_store_find_product_by_barcode(fx->store, "4006381333931", &error);
	cased = st_store_find_product_by_barcode(fx->store, "14006381333938", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(unit->quantity, ==, 1);
	g_assert_cmpuint(cased->quantity, ==, 12);
	g_assert_cmpstr(cased->sku, ==, "PEN");

	/* one barcode never names two products */
	g_assert_false(
		st_store_put_barcode(fx->store, "MILK", "4006381333931", ST_PACK_UNIT, 1, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "already belongs to SKU PEN"));
	g_clear_error(&error);
	g_assert_false(st_store_put_barcode(fx->store, "NOPE", "123", ST_PACK_UNIT, 1, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* putting a product again updates it */
	g_assert_true(st_store_put_product(fx->store, &renamed, NULL, &error));
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT weight_g FROM products WHERE sku = 'PEN'"),
			==, 13);
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM products"), ==, 3);
	g_assert_false(st_store_put_product(fx->store, &nameless, NULL, &error));
	g_assert_nonnull(strstr(error->message, "the name is missing"));
	g_clear_error(&error);
	g_assert_false(st_store_put_location(fx->store, &bad_kind, &error));
	g_assert_nonnull(strstr(error->message, "kind 'shelf'"));
	g_clear_error(&error);
	g_assert_false(st_store_put_location(fx->store, &taken, &error));
	g_assert_nonnull(strstr(error->message, "already location A-01's"));
	g_clear_error(&error);

	/* the ship-to address keeps any script */
	g_assert_cmpint(st_test_db_int(fx->path,
				       "SELECT count(*) FROM orders WHERE ship_name = "
				       "'Łukasz Żółć' AND ship_city = '北京' AND carrier = 'DHL'"),
			==, 1);
}

static void
test_receive_move_adjust(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StStockReport) r = NULL;
	StStockChange move = {.kind = ST_LEDGER_MOVE,
			      .sku = "PEN",
			      .from = "A-01",
			      .to = "A-02",
			      .quantity = 4};
	StStockChange lost = {.kind = ST_LEDGER_ADJUST,
			      .sku = "PEN",
			      .from = "A-02",
			      .quantity = 1,
			      .note = "found broken",
			      .operator_name = "op-7"};
	StStockChange too_many = {.kind = ST_LEDGER_MOVE,
				  .sku = "PEN",
				  .from = "A-01",
				  .to = "A-02",
				  .quantity = 7};

	receive(fx, "PEN", "A-01", 10);
	g_assert_true(change(fx, &move, &error));
	g_assert_true(change(fx, &lost, &error));
	g_assert_no_error(error);
	/* more than A-01 holds (6): refused, nothing changes */
	g_assert_false(change(fx, &too_many, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "A-01 holds 6 of SKU PEN"));
	g_clear_error(&error);
	g_assert_cmpint(st_test_db_int(fx->path,
				       "SELECT s.quantity FROM stock s JOIN locations l ON l.id = "
				       "s.location_id WHERE l.code = 'A-01'"),
			==, 6);

	r = st_store_get_stock(fx->store, "4006381333931", &error); /* by barcode */
	g_assert_no_error(error);
	g_assert_cmpstr(r->sku, ==, "PEN");
	g_assert_cmpint(r->on_hand, ==, 9);
	g_assert_cmpuint(r->rows->len, ==, 2);
	g_assert_cmpstr(((StStockRow *)r->rows->pdata[0])->location, ==, "A-01"); /* pick order */
	g_assert_cmpint(((StStockRow *)r->rows->pdata[0])->quantity, ==, 6);
	g_assert_cmpint(((StStockRow *)r->rows->pdata[1])->quantity, ==, 3);
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM ledger"), ==, 3);
	g_assert_cmpint(
		st_test_db_int(fx->path, "SELECT count(*) FROM outbox WHERE kind LIKE 'stock.%'"),
		==, 3);

	/* a bench may go below zero when its location allows it */
	{
		StStockChange c = {.kind = ST_LEDGER_ADJUST,
				   .sku = "PEN",
				   .from = "BENCH",
				   .quantity = 2};
		g_assert_true(change(fx, &c, &error));
		g_assert_no_error(error);
	}
	assert_consistent(fx);

	/* the [store] allow-negative key does it for a location whose own flag is off */
	{
		const gchar *codes[] = {"A-02", NULL};
		StStockChange c = {.kind = ST_LEDGER_ADJUST,
				   .sku = "PEN",
				   .from = "A-02",
				   .quantity = 5};
		g_assert_false(change(fx, &c, &error));
		g_clear_error(&error);
		st_store_set_negative_locations(fx->store, codes);
		g_assert_true(change(fx, &c, &error));
		g_assert_no_error(error);
		assert_consistent(fx); /* allowed below zero is not a problem */
		st_store_set_negative_locations(fx->store, NULL);
		{
			g_autoptr(GPtrArray) problems = NULL;
			g_assert_true(st_store_check(fx->store, &problems, &error));
			g_assert_cmpuint(problems->len, ==, 1);
			g_assert_nonnull(
				strstr(problems->pdata[0], "SKU PEN at A-02 is below zero"));
		}
		st_store_set_negative_locations(fx->store, codes);
	}

	/* a location emptied has no stock row left; the one it went to has the sum */
	{
		StStockChange all = {.kind = ST_LEDGER_MOVE,
				     .sku = "PEN",
				     .from = "A-01",
				     .to = "TOTE-1",
				     .quantity = 6};
		const gchar *at_a01 = "SELECT count(*) FROM stock s JOIN locations l ON l.id = "
				      "s.location_id WHERE l.code = 'A-01'";
		g_assert_cmpint(st_test_db_int(fx->path, at_a01), ==, 1);
		g_assert_true(change(fx, &all, &error));
		g_assert_no_error(error);
		g_assert_cmpint(st_test_db_int(fx->path, at_a01), ==, 0);
		g_assert_cmpint(st_test_db_int(fx->path,
					       "SELECT s.quantity FROM stock s JOIN locations l ON "
					       "l.id = s.location_id WHERE l.code = 'TOTE-1'"),
				==, 6);
		assert_consistent(fx);
	}

	/* wrong shapes of change */
	{
		StStockChange c = {.kind = ST_LEDGER_RECEIVE, .sku = "PEN", .quantity = 1};
		g_assert_false(change(fx, &c, &error));
		g_assert_nonnull(strstr(error->message, "a receipt needs a location"));
		g_clear_error(&error);
	}
	{
		/* the kind in words, with its article ("an adjustment", not "a adjust") */
		StStockChange c = {.kind = ST_LEDGER_ADJUST,
				   .sku = "PEN",
				   .quantity = 1,
				   .from = "A-01",
				   .to = "A-02"};
		g_assert_false(change(fx, &c, &error));
		g_assert_nonnull(strstr(error->message, "an adjustment needs either"));
		g_clear_error(&error);
	}
	{
		StStockChange c = {.kind = ST_LEDGER_RECEIVE, .sku = "PEN", .to = "A-01"};
		g_assert_false(change(fx, &c, &error));
		g_assert_nonnull(strstr(error->message, "positive quantity"));
		g_clear_error(&error);
	}
	{
		StStockChange c = {.kind = ST_LEDGER_RECEIVE,
				   .sku = "GHOST",
				   .to = "A-01",
				   .quantity = 1};
		g_assert_false(change(fx, &c, &error));
		g_assert_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND);
		g_assert_nonnull(strstr(error->message, "unknown SKU GHOST"));
		g_clear_error(&error);
	}
	{
		StStockChange c = {.kind = ST_LEDGER_RECEIVE,
				   .sku = "PEN",
				   .to = "Z-99",
				   .quantity = 1};
		g_assert_false(change(fx, &c, &error));
		g_assert_nonnull(strstr(error->message, "unknown location Z-99"));
		g_clear_error(&error);
	}
	/* the five changes done and the move that emptied A-01; none of the refused ones */
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM ledger"), ==, 6);
}

static void
test_tracking(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *soon = future_date(30);
	StStockChange no_lot = {.kind = ST_LEDGER_RECEIVE,
				.sku = "MILK",
				.to = "A-01",
				.quantity = 6,
				.expiry = soon};
	StStockChange past = {.kind = ST_LEDGER_RECEIVE,
			      .sku = "MILK",
			      .to = "A-01",
			      .quantity = 6,
			      .lot = "L1",
			      .expiry = "2020-01-31"};
	StStockChange bad_date = past;
	StStockChange good = past;
	StStockChange two_phones = {.kind = ST_LEDGER_RECEIVE,
				    .sku = "PHONE",
				    .to = "A-01",
				    .quantity = 2,
				    .serial = "SN1"};

	g_assert_false(change(fx, &no_lot, &error));
	g_assert_nonnull(strstr(error->message, "tracked by lot"));
	g_clear_error(&error);
	g_assert_false(change(fx, &past, &error));
	g_assert_nonnull(strstr(error->message, "2020-01-31 of SKU MILK is in the past"));
	g_clear_error(&error);
	bad_date.expiry = "2027-02-30";
	g_assert_false(change(fx, &bad_date, &error));
	g_assert_nonnull(strstr(error->message, "not a date"));
	g_clear_error(&error);
	g_assert_false(change(fx, &two_phones, &error));
	g_assert_nonnull(strstr(error->message, "names one unit"));
	g_clear_error(&error);
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM ledger"), ==, 0);

	good.expiry = soon;
	g_assert_true(change(fx, &good, &error));
	good.lot = "L2";
	g_assert_true(change(fx, &good, &error));
	g_assert_no_error(error);
	/* taking from lot L1 only sees lot L1 */
	{
		StStockChange c = {.kind = ST_LEDGER_MOVE,
				   .sku = "MILK",
				   .from = "A-01",
				   .to = "A-02",
				   .quantity = 7,
				   .lot = "L1",
				   .expiry = soon};
		g_assert_false(change(fx, &c, &error));
		g_assert_nonnull(strstr(error->message, "holds 6 of SKU MILK lot L1"));
		g_clear_error(&error);
	}
	g_assert_cmpint(on_hand(fx, "MILK"), ==, 12);
	assert_consistent(fx);
}

static void
test_order_flow(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) shortages = NULL;
	g_autoptr(StStockReport) r = NULL;
	StStockChange pick = {.kind = ST_LEDGER_PICK,
			      .sku = "PEN",
			      .from = "A-01",
			      .to = "TOTE-1",
			      .quantity = 3,
			      .order_number = "SO-1",
			      .line_no = 1,
			      .scan_id = 0};
	StStockChange pack = {.kind = ST_LEDGER_PACK,
			      .sku = "PEN",
			      .from = "TOTE-1",
			      .quantity = 3,
			      .order_number = "SO-1",
			      .line_no = 1};

	receive(fx, "PEN", "A-01", 8);
	g_assert_true(st_store_reserve_order(fx->store, "SO-1", &shortages, &error));
	g_assert_no_error(error);
	/* the pens are reserved; no milk is in stock */
	g_assert_cmpuint(shortages->len, ==, 1);
	g_assert_nonnull(strstr(shortages->pdata[0], "line 2: SKU MILK needs 2, 0 available"));
	r = st_store_get_stock(fx->store, "PEN", &error);
	g_assert_cmpint(r->reserved, ==, 5);
	g_assert_cmpint(r->available, ==, 3);
	g_clear_pointer(&r, st_stock_report_free);

	/* a pick for the wrong line, or without one, is refused */
	{
		StStockChange wrong = pick;
		wrong.line_no = 2;
		g_assert_false(change(fx, &wrong, &error));
		g_assert_nonnull(strstr(error->message, "line 2 is SKU MILK, not PEN"));
		g_clear_error(&error);
		wrong.order_number = NULL;
		g_assert_false(change(fx, &wrong, &error));
		g_assert_nonnull(strstr(error->message, "names the order and line"));
		g_clear_error(&error);
	}
	g_assert_true(change(fx, &pick, &error));
	/* picked goods stay reserved until they leave */
	r = st_store_get_stock(fx->store, "PEN", &error);
	g_assert_cmpint(r->on_hand, ==, 8);
	g_assert_cmpint(r->reserved, ==, 5);
	g_clear_pointer(&r, st_stock_report_free);
	g_assert_true(change(fx, &pack, &error));
	g_assert_no_error(error);
	r = st_store_get_stock(fx->store, "PEN", &error);
	g_assert_cmpint(r->on_hand, ==, 5);
	g_assert_cmpint(r->reserved, ==, 2);
	g_assert_cmpint(r->available, ==, 3);
	g_assert_cmpint(st_test_db_int(fx->path,
				       "SELECT count(*) FROM outbox WHERE kind = "
				       "'stock.pick' AND json_extract(payload, '$.order') = "
				       "'SO-1'"),
			==, 1);
	assert_consistent(fx);
}

static void
test_ledger_explains(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GPtrArray) at_a2 = NULL;
	StStockChange move = {.kind = ST_LEDGER_MOVE,
			      .sku = "PEN",
			      .from = "A-01",
			      .to = "A-02",
			      .quantity = 4};

	receive(fx, "PEN", "A-01", 10);
	g_assert_true(change(fx, &move, &error));
	all = st_store_get_ledger(fx->store, "PEN", NULL, &error);
	at_a2 = st_store_get_ledger(fx->store, "PEN", "A-02", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(all->len, ==, 2);
	g_assert_cmpint(((StLedgerRow *)all->pdata[1])->balance, ==, 10); /* a move keeps it */
	g_assert_cmpuint(at_a2->len, ==, 1);
	g_assert_cmpint(((StLedgerRow *)at_a2->pdata[0])->balance, ==, 4);
	g_assert_cmpstr(((StLedgerRow *)at_a2->pdata[0])->from, ==, "A-01");
	g_assert_cmpstr(((StLedgerRow *)at_a2->pdata[0])->station, ==, "bench-test");
}

static void
test_check_catches(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	sqlite3 *db = NULL;
	gchar *msg = NULL;

	receive(fx, "PEN", "A-01", 10);
	receive(fx, "PEN", "A-02", 3);
	assert_consistent(fx);
	g_assert_cmpint(sqlite3_open(fx->path, &db), ==, SQLITE_OK);
	sqlite3_busy_timeout(db, 1000);
	/* the ledger refuses to be rewritten */
	g_assert_cmpint(sqlite3_exec(db, "UPDATE ledger SET quantity = 99", NULL, NULL, &msg), !=,
			SQLITE_OK);
	g_assert_nonnull(strstr(msg, "append-only"));
	sqlite3_free(msg);
	g_assert_cmpint(sqlite3_exec(db, "DELETE FROM ledger", NULL, NULL, NULL), !=, SQLITE_OK);
	/* a stock row changed behind the ledger's back, and one made up */
	g_assert_cmpint(
		sqlite3_exec(db,
			     "UPDATE stock SET quantity = 11 WHERE location_id = (SELECT id "
			     "FROM locations WHERE code = 'A-01');"
			     "INSERT INTO stock (product_id, location_id, lot, quantity) "
			     "VALUES ((SELECT id FROM products WHERE sku = 'MILK'), (SELECT "
			     "id FROM locations WHERE code = 'A-02'), 'L9', 4);",
			     NULL, NULL, NULL),
		==, SQLITE_OK);
	sqlite3_close(db);
	g_assert_true(st_store_check(fx->store, &problems, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(problems->len, ==, 2);
	g_assert_nonnull(strstr(problems->pdata[0], "SKU PEN at A-01: the stock table says 11, "
						    "the ledger adds up to 10"));
	g_assert_nonnull(strstr(problems->pdata[1], "SKU MILK at A-02, lot L9: the stock table "
						    "says 4, the ledger adds up to 0"));
}

static void
test_bulk(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StStockChange bad = {.kind = ST_LEDGER_RECEIVE,
			     .sku = "GHOST",
			     .to = "A-01",
			     .quantity = 1};

	g_assert_true(st_store_bulk_begin(fx->store, &error));
	receive(fx, "PEN", "A-01", 1);
	g_assert_false(change(fx, &bad, &error)); /* undoes only itself */
	g_clear_error(&error);
	receive(fx, "PEN", "A-01", 2);
	g_assert_cmpint(on_hand(fx, "PEN"), ==, 3);
	g_assert_true(st_store_bulk_end(fx->store, FALSE, &error)); /* and now all of it */
	g_assert_cmpint(on_hand(fx, "PEN"), ==, 0);
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT count(*) FROM ledger"), ==, 0);

	g_assert_true(st_store_bulk_begin(fx->store, &error));
	receive(fx, "PEN", "A-01", 4);
	g_assert_true(st_store_bulk_end(fx->store, TRUE, &error));
	g_assert_no_error(error);
	g_assert_cmpint(st_test_db_int(fx->path, "SELECT sum(quantity) FROM stock"), ==, 4);
	assert_consistent(fx);
}

/* schema 1 had a stock table without a ledger: its rows get an opening row */
static void
test_migrate_stock(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *path = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *sqlfile = st_test_source_path("fixtures/store/v1.sql");
	g_autofree gchar *sql = NULL;
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GPtrArray) ledger = NULL;
	sqlite3 *db = NULL;

	g_assert_true(g_file_get_contents(sqlfile, &sql, NULL, NULL));
	g_assert_cmpint(sqlite3_open(path, &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(db,
				     "INSERT INTO locations (id, code) VALUES (1, 'A-01');"
				     "INSERT INTO stock VALUES (1, 1, '', 7), (2, 1, 'L5', 3);",
				     NULL, NULL, NULL),
			==, SQLITE_OK);
	sqlite3_close(db);

	g_assert_true(st_store_open(store, path, 1000, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(st_store_get_schema_version(store), ==,
			 st_store_get_latest_schema_version());
	g_assert_true(st_store_check(store, &problems, &error));
	g_assert_cmpuint(problems->len, ==, 0);
	ledger = st_store_get_ledger(store, "PEN-BLK", NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ledger->len, ==, 1);
	g_assert_cmpint(((StLedgerRow *)ledger->pdata[0])->quantity, ==, 7);
	g_assert_nonnull(strstr(((StLedgerRow *)ledger->pdata[0])->note, "opening balance"));
	g_clear_object(&store);
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
	ADD("/inventory/catalogue", test_catalogue);
	ADD("/inventory/receive-move-adjust", test_receive_move_adjust);
	ADD("/inventory/tracking", test_tracking);
	ADD("/inventory/order-flow", test_order_flow);
	ADD("/inventory/ledger-explains", test_ledger_explains);
	ADD("/inventory/check-catches", test_check_catches);
	ADD("/inventory/bulk", test_bulk);
	g_test_add_func("/inventory/migrate-stock", test_migrate_stock);
	return g_test_run();
}
