/*
 * The outbox delivered to the reference central system (tests/central/st-central) over real
 * HTTP on loopback: everything once, in order per order; the server down and back; answers
 * lost after the server applied a batch (duplicates); 429 with Retry-After; a rejected event
 * parked without holding back other orders; a wrong token. The server's query endpoint says
 * what it holds.
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "station/st-error.h"
#include "st-central-orders.h"
#include "st-cloudevents.h"
#include "st-config.h"
#include "st-scan-router.h"
#include "st-sync.h"
#include "st-test-central.h"
#include "st-test-sqlite.h"
#include "st-test-util.h"

typedef struct {
	gchar *dir;
	gchar *db;
	StStore *store;
	StTestCentral *central;
	StConfig *config;
} Fixture;

static void
fixture_set_up(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *token = NULL;
	const gchar *pen[] = {"4006381333931", NULL};

	fx->dir = st_test_tmpdir_new();
	fx->db = g_build_filename(fx->dir, "station.db", NULL);
	fx->store = st_store_new("bench-sync");
	g_assert_true(st_store_open(fx->store, fx->db, 1000, &error));
	g_assert_true(st_store_put_product(
		fx->store, &(StProductSpec){.sku = "PEN", .name = "Pen", .barcodes = pen}, NULL,
		&error));
	g_assert_no_error(error);
	fx->central = st_test_central_start("secret-1");
	token = g_build_filename(fx->dir, "token", NULL);
	g_assert_true(g_file_set_contents(token, "secret-1\n", -1, NULL));
	g_assert_cmpint(g_chmod(token, 0600), ==, 0);
	fx->config = st_config_new_default();
	g_free(fx->config->station_id);
	fx->config->station_id = g_strdup("bench-sync");
	fx->config->central_url = g_strdup(fx->central->url);
	fx->config->central_token_file = g_steal_pointer(&token);
	fx->config->central_batch = 4;
	fx->config->central_timeout_s = 10;
}

static void
fixture_tear_down(Fixture *fx, gconstpointer data)
{
	st_test_central_stop(fx->central);
	g_object_unref(fx->store);
	st_config_free(fx->config);
	st_test_tmpdir_free(fx->dir);
	g_free(fx->db);
}

static gint64
count_sql(Fixture *fx, const gchar *sql);

static void
faults(Fixture *fx, const gchar *json)
{
	st_test_central_faults(fx->central, json);
}

typedef StTestCentralHeld Held;

static Held
central_held(Fixture *fx)
{
	return st_test_central_held(fx->central);
}

/* @n orders, each with three events (packing, packed, shipped) */
static void
make_events(Fixture *fx, guint n)
{
	for (guint i = 1; i <= n; i++) {
		g_autofree gchar *number = g_strdup_printf("ORD-%u", i);
		st_test_central_order_events(fx->store, number, ST_ORDER_STATUS_SHIPPED);
	}
}

/* one more order's three events, not delivered */
static void
make_events_more(Fixture *fx)
{
	st_test_central_order_events(fx->store, "ORD-MORE", ST_ORDER_STATUS_SHIPPED);
}

/* a sync on the fixture's store and central system */
static StSync *
new_sync(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StCentralClient) client = st_central_client_new(fx->config, &error);
	g_assert_no_error(error);
	return st_sync_new(fx->store, client, fx->config->station_id, fx->config->central_batch,
			   fx->config->central_max_backoff_s);
}

static void
keep_result_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(result);
}

/* the main context run until an async call's result is in @slot */
static GAsyncResult *
wait_result(GAsyncResult **slot)
{
	while (*slot == NULL)
		g_main_context_iteration(NULL, TRUE);
	return *slot;
}

static StSyncReport
drain(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StSync) sync = new_sync(fx);
	g_autoptr(GAsyncResult) result = NULL;
	StSyncReport report = {0};

	st_sync_drain_async(sync, NULL, keep_result_cb, &result);
	g_assert_true(st_sync_drain_finish(sync, wait_result(&result), &report, &error));
	g_assert_no_error(error);
	return report;
}

static StOutboxStatus
status(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	StOutboxStatus s;
	g_assert_true(st_store_outbox_status(fx->store, &s, &error));
	g_assert_no_error(error);
	return s;
}

/* everything once, in order, in batches of 4; a second drain sends nothing */
static void
test_push(Fixture *fx, gconstpointer data)
{
	StSyncReport r;
	StOutboxStatus s;
	Held h;

	make_events(fx, 5);
	r = drain(fx);
	g_assert_cmpuint(r.delivered, ==, 15);
	g_assert_cmpuint(r.failed, ==, 0);
	g_assert_cmpuint(r.batches, ==, 4);
	st_sync_report_clear(&r);
	h = central_held(fx);
	g_assert_cmpuint(h.events, ==, 15);
	g_assert_cmpuint(h.twice, ==, 0);
	g_assert_cmpuint(h.out_of_order, ==, 0);
	r = drain(fx);
	g_assert_cmpuint(r.batches, ==, 0);
	st_sync_report_clear(&r);
	s = status(fx);
	g_assert_cmpuint(s.pending, ==, 0);
	g_assert_cmpuint(s.delivered, ==, 15);
	g_assert_nonnull(s.last_success);
	st_outbox_status_clear(&s);
}

/* the server down: nothing delivered, nothing lost, a retry time set; back: everything */
static void
test_down_then_back(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StSyncReport r;
	StOutboxStatus s;
	Held h;

	make_events(fx, 3);
	faults(fx, "{\"down\": true}");
	r = drain(fx);
	g_assert_cmpuint(r.delivered, ==, 0);
	g_assert_cmpuint(r.failed, ==, 4);
	g_assert_nonnull(strstr(r.last_problem, "HTTP 503"));
	g_assert_cmpint(r.next_try_us, >, g_get_real_time());
	st_sync_report_clear(&r);
	s = status(fx);
	g_assert_cmpuint(s.pending, ==, 9);
	g_assert_nonnull(strstr(s.last_error, "HTTP 503"));
	st_outbox_status_clear(&s);
	/* before their retry time nothing is sent */
	r = drain(fx);
	g_assert_cmpuint(r.batches, ==, 0);
	st_sync_report_clear(&r);
	faults(fx, "{\"down\": false}");
	g_assert_cmpint(st_store_outbox_due_now(fx->store, &error), ==, 4);
	r = drain(fx);
	g_assert_cmpuint(r.delivered, ==, 9);
	st_sync_report_clear(&r);
	h = central_held(fx);
	g_assert_cmpuint(h.events, ==, 9);
	g_assert_cmpuint(h.twice, ==, 0);
	g_assert_cmpuint(h.out_of_order, ==, 0);
}

/* the server applies a batch and the answer is lost: the station sends it again, the server
 * says duplicate, nothing is applied twice */
static void
test_answer_lost(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StSyncReport r;
	Held h;

	make_events(fx, 2);
	faults(fx, "{\"drop_after_body\": 1}");
	r = drain(fx);
	g_assert_cmpuint(r.delivered, ==, 0);
	g_assert_cmpuint(r.failed, ==, 4);
	g_assert_nonnull(strstr(r.last_problem, "no answer from the central system"));
	st_sync_report_clear(&r);
	g_assert_cmpint(st_store_outbox_due_now(fx->store, &error), ==, 4);
	r = drain(fx);
	g_assert_cmpuint(r.delivered, ==, 6);
	g_assert_cmpuint(r.duplicates, ==, 4);
	st_sync_report_clear(&r);
	h = central_held(fx);
	g_assert_cmpuint(h.events, ==, 6);
	g_assert_cmpuint(h.twice, ==, 4);
	g_assert_cmpuint(h.out_of_order, ==, 0);
}

/* 429: the events wait Retry-After, not the backoff */
static void
test_retry_after(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDateTime) next = NULL;
	StSyncReport r;
	StOutboxStatus s;
	gint64 before = g_get_real_time();

	make_events(fx, 1);
	faults(fx, "{\"burst_429\": 1, \"retry_after\": 120}");
	r = drain(fx);
	g_assert_cmpuint(r.failed, ==, 3);
	g_assert_nonnull(strstr(r.last_problem, "429"));
	/* 120 s, where the backoff of a first failure is at most 2 s */
	g_assert_cmpint(r.next_try_us, >=, before + 120 * G_USEC_PER_SEC);
	st_sync_report_clear(&r);
	s = status(fx);
	next = g_date_time_new_from_iso8601(s.next_attempt_at, NULL);
	g_assert_nonnull(next);
	g_assert_cmpint(g_date_time_to_unix(next), >=, before / G_USEC_PER_SEC + 119);
	st_outbox_status_clear(&s);
	g_assert_cmpint(st_store_outbox_due_now(fx->store, &error), ==, 3);
	r = drain(fx);
	g_assert_cmpuint(r.delivered, ==, 3);
	st_sync_report_clear(&r);
}

/* a rejected event is parked with the reason; its order's later events wait behind it; the
 * other orders are delivered; retried once the cause is fixed, all arrive in order */
static void
test_rejected_parked(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StSyncReport r;
	StOutboxStatus s;
	Held h;

	make_events(fx, 3);
	faults(fx, "{\"reject_subjects\": [\"ORD-2\"]}");
	r = drain(fx);
	g_assert_cmpuint(r.parked, ==, 1);
	g_assert_cmpuint(r.delivered, ==, 6);
	st_sync_report_clear(&r);
	s = status(fx);
	g_assert_cmpuint(s.n_parked, ==, 1);
	g_assert_cmpuint(s.pending, ==, 3);
	g_assert_cmpstr(((StOutboxEvent *)s.parked->pdata[0])->order_number, ==, "ORD-2");
	g_assert_cmpstr(((StOutboxEvent *)s.parked->pdata[0])->kind, ==, "order.packing");
	g_assert_nonnull(strstr(((StOutboxEvent *)s.parked->pdata[0])->last_error,
				"order ORD-2 is unknown to the central system"));
	st_outbox_status_clear(&s);
	/* nothing of ORD-2 goes while its first event is parked, even when due */
	g_assert_cmpint(st_store_outbox_due_now(fx->store, &error), >=, 0);
	r = drain(fx);
	g_assert_cmpuint(r.batches, ==, 0);
	st_sync_report_clear(&r);
	h = central_held(fx);
	g_assert_cmpuint(h.events, ==, 6);
	/* fixed at the central system, retried by a person */
	faults(fx, "{\"reject_subjects\": []}");
	g_assert_cmpint(st_store_outbox_unpark(fx->store, 0, &error), ==, 1);
	r = drain(fx);
	g_assert_cmpuint(r.delivered, ==, 3);
	g_assert_cmpuint(r.parked, ==, 0);
	st_sync_report_clear(&r);
	h = central_held(fx);
	g_assert_cmpuint(h.events, ==, 9);
	g_assert_cmpuint(h.out_of_order, ==, 0);
}

/* answers that are not the contract's, from a server that took the request: a web page, a
 * redirect, JSON of another shape, results for events never sent, an answer of 17 MiB:
 * nothing is delivered, nothing lost, each said in words */
static void
test_bad_answers_http(Fixture *fx, gconstpointer data)
{
	const struct {
		const gchar *fault;
		const gchar *said;
	} cases[] = {
		{"{\"override\": {\"status\": 200, \"content_type\": \"text/html\", \"body\": "
		 "\"<html>maintenance</html>\"}}",
		 "not the contract's: the answer is not JSON"},
		{"{\"override\": {\"status\": 302, \"location\": \"http://elsewhere.example/\"}}",
		 "a redirect to http://elsewhere.example/: not followed"},
		{"{\"override\": {\"status\": 200, \"body\": \"{\\\"ok\\\": true}\"}}",
		 "has no \"results\" array"},
		{"{\"override\": {\"status\": 200, \"body\": \"{\\\"results\\\": [{\\\"id\\\": "
		 "\\\"never-sent\\\", \\\"status\\\": \\\"accepted\\\"}]}\"}}",
		 "left out of the central system's answer"},
		{"{\"override\": {\"status\": 200, \"size\": 17825792}}", "larger than 16 MiB"},
		{"{\"override\": {\"status\": 500, \"body\": \"boom\"}}", "HTTP 500"},
	};
	make_events(fx, 1);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		StSyncReport r;
		faults(fx, cases[i].fault);
		g_assert_cmpint(st_store_outbox_due_now(fx->store, &error), >=, 0);
		r = drain(fx);
		g_test_message("%s", r.last_problem);
		g_assert_cmpuint(r.delivered, ==, 0);
		g_assert_cmpuint(r.failed, ==, 3);
		g_assert_nonnull(strstr(r.last_problem, cases[i].said));
		st_sync_report_clear(&r);
	}
	{
		/* and then a good answer: all three, once */
		g_autoptr(GError) error = NULL;
		StSyncReport r;
		Held h;
		g_assert_cmpint(st_store_outbox_due_now(fx->store, &error), ==, 3);
		r = drain(fx);
		g_assert_cmpuint(r.delivered, ==, 3);
		st_sync_report_clear(&r);
		h = central_held(fx);
		g_assert_cmpuint(h.events, ==, 3);
		g_assert_cmpuint(h.twice, ==, 0);
	}
}

/* a batch refused whole (400): halved until the event it refuses is alone, which is parked
 * with the central system's words; its order's later events wait; retried once fixed */
static void
test_refused_batch(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StSyncReport r;
	StOutboxStatus st;

	make_events(fx, 1);
	faults(fx, "{\"override\": {\"status\": 400, \"content_type\": \"text/plain\", \"body\": "
		   "\"data.order: unknown field\\nsecond line\"}, \"override_count\": 2}");
	r = drain(fx);
	g_assert_cmpuint(r.parked, ==, 1);
	g_assert_cmpuint(r.delivered, ==, 0);
	st_sync_report_clear(&r);
	st = status(fx);
	g_assert_cmpuint(st.n_parked, ==, 1);
	g_assert_cmpstr(((StOutboxEvent *)st.parked->pdata[0])->last_error, ==,
			"the central system refused it (HTTP 400): data.order: unknown field "
			"second line");
	st_outbox_status_clear(&st);
	g_assert_cmpint(st_test_central_stat(fx->central, "requests"), >=, 2);
	g_assert_cmpint(st_store_outbox_unpark(fx->store, 0, &error), ==, 1);
	r = drain(fx);
	g_assert_cmpuint(r.delivered, ==, 3);
	st_sync_report_clear(&r);
}

/* delivered events are kept [central] keep-days for audit, then deleted; undelivered ones
 * never */
static void
test_prune(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	sqlite3 *db = NULL;
	StSyncReport r;

	make_events(fx, 2);
	r = drain(fx);
	g_assert_cmpuint(r.delivered, ==, 6);
	st_sync_report_clear(&r);
	make_events_more(fx);
	g_assert_cmpint(st_store_outbox_prune(fx->store, 30, &error), ==, 0);
	/* three of the delivered ones delivered 31 days ago */
	g_assert_cmpint(sqlite3_open(fx->db, &db), ==, SQLITE_OK);
	g_assert_cmpint(
		sqlite3_exec(db,
			     "UPDATE outbox SET delivered_at = strftime('%Y-%m-%dT%H:%M:%fZ', "
			     "'now', '-31 days') WHERE id IN (SELECT id FROM outbox WHERE "
			     "delivered_at IS NOT NULL ORDER BY id LIMIT 3)",
			     NULL, NULL, NULL),
		==, SQLITE_OK);
	sqlite3_close(db);
	g_assert_cmpint(st_store_outbox_prune(fx->store, 30, &error), ==, 3);
	g_assert_no_error(error);
	g_assert_cmpint(count_sql(fx, "SELECT count(*) FROM outbox WHERE delivered_at IS NULL"), ==,
			3);
	g_assert_cmpint(count_sql(fx, "SELECT count(*) FROM outbox"), ==, 6);
}

/* two stations open the same order: the first holds it; the second learns of the conflict,
 * keeps it (the bench is told at its next scan) and tells the central system with an
 * exception event */
static void
test_claims(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *db_b = g_build_filename(fx->dir, "b.db", NULL);
	g_autoptr(StStore) store_b = st_store_new("bench-b");
	g_autofree gchar *holder = NULL;
	StOrderLineSpec lines[] = {{"PEN", 1}};
	StOrderSpec spec = {.number = "ORD-1",
			    .status = ST_ORDER_STATUS_RELEASED,
			    .lines = lines,
			    .n_lines = 1};
	StStore *stores[] = {fx->store, store_b};
	const gchar *pen[] = {"4006381333931", NULL};
	StSyncReport r;

	g_assert_true(st_store_open(store_b, db_b, 1000, &error));
	g_assert_true(st_store_put_product(
		store_b, &(StProductSpec){.sku = "PEN", .name = "Pen", .barcodes = pen}, NULL,
		&error));
	for (guint i = 0; i < 2; i++) {
		g_autoptr(StOrder) o = NULL;
		g_assert_true(st_store_put_order(stores[i], &spec, NULL, &error));
		o = st_store_find_order(stores[i], "ORD-1", &error);
		g_assert_true(st_store_set_order_status(stores[i], o, ST_ORDER_STATUS_RELEASED,
							ST_ORDER_STATUS_PACKING, 0, &error));
		g_assert_no_error(error);
	}
	r = drain(fx);
	g_assert_cmpuint(r.claims_held, ==, 1);
	g_assert_cmpuint(r.claims_conflict, ==, 0);
	st_sync_report_clear(&r);
	{
		/* station b, same central system */
		StStore *a = fx->store;
		g_autoptr(StOrder) o = NULL;
		fx->store = store_b;
		g_free(fx->config->station_id);
		fx->config->station_id = g_strdup("bench-b");
		r = drain(fx);
		g_assert_cmpuint(r.claims_conflict, ==, 1);
		st_sync_report_clear(&r);
		o = st_store_find_order(store_b, "ORD-1", &error);
		holder = st_store_get_claim_conflict(store_b, o->id, &error);
		g_assert_cmpstr(holder, ==, "bench-sync");
		g_assert_cmpint(st_test_db_int(db_b,
					       "SELECT count(*) FROM outbox WHERE kind = "
					       "'exception' AND payload LIKE '%claim-conflict%'"),
				==, 1);
		/* nothing is claimed twice */
		r = drain(fx);
		g_assert_cmpuint(r.claims_held + r.claims_conflict, ==, 0);
		st_sync_report_clear(&r);
		fx->store = a;
	}
}

/* a wrong token: nothing delivered, the message says what to check, the token not in it */
static void
test_wrong_token(Fixture *fx, gconstpointer data)
{
	StSyncReport r;
	StOutboxStatus s;

	make_events(fx, 1);
	faults(fx, "{\"token\": \"another\"}");
	r = drain(fx);
	g_assert_cmpuint(r.delivered, ==, 0);
	g_assert_cmpuint(r.failed, ==, 3);
	g_assert_nonnull(strstr(r.last_problem, "refused the station's token or signature"));
	g_assert_null(strstr(r.last_problem, "secret-1"));
	st_sync_report_clear(&r);
	s = status(fx);
	g_assert_null(strstr(s.last_error, "secret-1"));
	g_assert_cmpuint(s.pending, ==, 3);
	st_outbox_status_clear(&s);
}

static StPullReport
pull(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StSync) sync = new_sync(fx);
	g_autoptr(GAsyncResult) result = NULL;
	StPullReport report = {0};

	st_sync_pull_async(sync, NULL, keep_result_cb, &result);
	g_assert_true(st_sync_pull_finish(sync, wait_result(&result), &report, &error));
	g_assert_no_error(error);
	return report;
}

static void
central_orders(Fixture *fx, const gchar *json)
{
	g_autoptr(JsonNode) ignored =
		st_test_central_call(fx->central, "POST", "/v1/_orders", json);
}

static gint64
count_sql(Fixture *fx, const gchar *sql)
{
	return st_test_db_int(fx->db, sql);
}

/* orders pulled page by page (with the carrier's label); pulled again, nothing changes; a
 * change before anyone started on the order replaces it; a cancellation releases it */
static void
test_pull_orders(Fixture *fx, gconstpointer data)
{
	g_autoptr(GString) many = g_string_new("[");
	g_autoptr(GError) error = NULL;
	g_autoptr(StOrder) o = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autofree gchar *zpl = g_base64_encode((const guchar *)"^XA^FDUPS^FS^XZ", 15);
	g_autofree gchar *with_label = g_strdup_printf(
		"[{\"number\": \"ORD-L\", \"status\": \"released\", \"carrier\": \"UPS\", "
		"\"service_level\": \"Ground\", \"tracking\": \"1Z999AA10123456784\", \"ship_to\": "
		"{\"name\": \"Ana Ruiz\", \"street1\": \"Calle 1\", \"city\": \"Madrid\", "
		"\"postal_code\": \"28001\", \"country\": \"ES\"}, \"label\": {\"format\": "
		"\"zpl\", "
		"\"content_base64\": \"%s\"}, \"lines\": [{\"sku\": \"PEN\", \"quantity\": 2}]}]",
		zpl);
	StPullReport r;

	/* 250 orders: three pages of 100 */
	for (guint i = 1; i <= 250; i++)
		g_string_append_printf(many,
				       "%s{\"number\": \"ORD-%u\", \"status\": \"released\", "
				       "\"lines\": [{\"sku\": \"PEN\", \"quantity\": %u}]}",
				       i > 1 ? "," : "", i, 1 + i % 3);
	g_string_append(many, "]");
	central_orders(fx, many->str);
	central_orders(fx, with_label);
	r = pull(fx);
	g_assert_null(r.problem);
	g_assert_cmpuint(r.pages, ==, 3);
	g_assert_cmpuint(r.added, ==, 251);
	st_pull_report_clear(&r);
	g_assert_cmpint(count_sql(fx, "SELECT count(*) FROM orders"), ==, 251);
	o = st_store_find_order(fx->store, "ORD-L", &error);
	g_assert_no_error(error);
	g_assert_cmpint(count_sql(fx, "SELECT count(*) FROM orders WHERE number = 'ORD-L' AND "
				      "carrier = 'UPS' AND ship_city = 'Madrid' AND tracking = "
				      "'1Z999AA10123456784'"),
			==, 1);
	g_assert_cmpint(count_sql(fx, "SELECT count(*) FROM labels WHERE kind = 'carrier-made' "
				      "AND format = 'zpl' AND reference = '1Z999AA10123456784'"),
			==, 1);
	/* nothing new */
	r = pull(fx);
	g_assert_cmpuint(r.added + r.updated + r.unchanged, ==, 0);
	st_pull_report_clear(&r);
	/* changed before anyone started on it: replaced; the same again: unchanged */
	central_orders(fx, "[{\"number\": \"ORD-7\", \"status\": \"released\", \"lines\": "
			   "[{\"sku\": \"PEN\", \"quantity\": 9}]}]");
	r = pull(fx);
	g_assert_cmpuint(r.updated, ==, 1);
	st_pull_report_clear(&r);
	g_clear_pointer(&o, st_order_free);
	o = st_store_find_order(fx->store, "ORD-7", &error);
	lines = st_store_get_order_lines(fx->store, o->id, &error);
	g_assert_cmpuint(lines->len, ==, 1);
	g_assert_cmpuint(((StOrderLine *)lines->pdata[0])->quantity, ==, 9);
	central_orders(fx, "[{\"number\": \"ORD-7\", \"status\": \"released\", \"lines\": "
			   "[{\"sku\": \"PEN\", \"quantity\": 9}]}]");
	r = pull(fx);
	g_assert_cmpuint(r.unchanged, ==, 1);
	st_pull_report_clear(&r);
	/* cancelled while released: cancelled, an order.cancelled event back */
	central_orders(fx, "[{\"number\": \"ORD-8\", \"status\": \"cancelled\", \"lines\": []}]");
	r = pull(fx);
	g_assert_cmpuint(r.cancelled, ==, 1);
	st_pull_report_clear(&r);
	g_assert_cmpint(count_sql(fx, "SELECT count(*) FROM orders WHERE number = 'ORD-8' AND "
				      "status = 'cancelled'"),
			==, 1);
	g_assert_cmpint(count_sql(fx, "SELECT count(*) FROM outbox WHERE kind = 'order.cancelled'"),
			==, 1);
}

/* the catalogue pulled before the orders: an order naming a product new at the central system
 * finds it in the same pull; items that are not the contract's are told and left out */
static void
test_pull_catalogue(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StProduct) mug = NULL;
	g_autoptr(StOperator) lead = NULL;
	StPullReport r;

	{
		g_autoptr(JsonNode) a = st_test_central_call(
			fx->central, "POST", "/v1/_products",
			"[{\"sku\": \"MUG\", \"name\": \"Mug, white\", \"weight_g\": 350, "
			"\"fragile\": true, \"hs_code\": \"691200\", \"origin_country\": \"PT\", "
			"\"customs_value_cents\": 890, \"barcodes\": [\"0012345678905\"]}, "
			"{\"sku\": "
			"\"NONAME\"}]");
		g_autoptr(JsonNode) b = st_test_central_call(
			fx->central, "POST", "/v1/_locations",
			"[{\"code\": \"A-01-01\", \"kind\": \"bin\", \"zone\": \"A\", "
			"\"pick_sequence\": 10}]");
		g_autoptr(JsonNode) c = st_test_central_call(
			fx->central, "POST", "/v1/_operators",
			"[{\"badge\": \"0042\", \"name\": \"Li Wei\", \"role\": \"lead\", "
			"\"language\": \"zh-CN\"}, {\"badge\": \"0043\", \"name\": \"Bo\", "
			"\"role\": "
			"\"boss\"}]");
	}
	central_orders(fx, "[{\"number\": \"ORD-M\", \"status\": \"released\", \"lines\": "
			   "[{\"sku\": \"MUG\", \"quantity\": 2}]}]");
	r = pull(fx);
	g_assert_null(r.problem);
	g_assert_cmpuint(r.products, ==, 1);
	g_assert_cmpuint(r.locations, ==, 1);
	g_assert_cmpuint(r.operators, ==, 1);
	g_assert_cmpuint(r.added, ==, 1);
	g_assert_cmpuint(r.unreadable, ==, 2);
	st_pull_report_clear(&r);
	mug = st_store_find_product_by_barcode(fx->store, "0012345678905", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(mug->sku, ==, "MUG");
	g_assert_cmpuint(mug->weight_g, ==, 350);
	lead = st_store_find_operator(fx->store, "0042", &error);
	g_assert_no_error(error);
	g_assert_cmpint(lead->role, ==, ST_OPERATOR_ROLE_LEAD);
	g_assert_cmpstr(lead->language, ==, "zh-CN");
	/* what its customs declaration needs came with it */
	g_assert_cmpint(count_sql(fx, "SELECT customs_value_cents FROM products WHERE sku = 'MUG' "
				      "AND hs_code = '691200' AND origin_country = 'PT'"),
			==, 890);
	g_assert_cmpint(count_sql(fx, "SELECT count(*) FROM locations WHERE code = 'A-01-01' AND "
				      "pick_sequence = 10"),
			==, 1);
	g_assert_cmpint(count_sql(fx, "SELECT count(*) FROM outbox WHERE kind = 'exception' AND "
				      "(payload LIKE '%central-product-unusable%' OR payload LIKE "
				      "'%central-operator-unusable%')"),
			==, 2);
	/* a product changed at the central system: changed here at the next pull */
	{
		g_autoptr(JsonNode) a = st_test_central_call(
			fx->central, "POST", "/v1/_products",
			"[{\"sku\": \"MUG\", \"name\": \"Mug, blue\", \"weight_g\": 360, "
			"\"barcodes\": [\"0012345678905\"]}]");
	}
	r = pull(fx);
	g_assert_cmpuint(r.products, ==, 1);
	g_assert_cmpuint(r.added + r.operators + r.locations, ==, 0);
	st_pull_report_clear(&r);
	g_assert_cmpint(count_sql(fx, "SELECT weight_g FROM products WHERE sku = 'MUG'"), ==, 360);
}

/* a cancellation arriving mid-pack: the bench has the order open with one of its two items in,
 * the central system cancels it, the pull applies it, and the packer's next scan says to take
 * the items out; the order.cancelled event goes back */
static void
test_cancel_mid_pack(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StScanRouter) router = st_scan_router_new(fx->store, NULL);
	StPullReport r;
	const gchar *texts[] = {"ORD-C", "4006381333931"};
	g_autoptr(StVerdict) after = NULL;

	central_orders(fx, "[{\"number\": \"ORD-C\", \"status\": \"released\", \"lines\": "
			   "[{\"sku\": \"PEN\", \"quantity\": 2}]}]");
	r = pull(fx);
	g_assert_cmpuint(r.added, ==, 1);
	st_pull_report_clear(&r);
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autoptr(GBytes) bytes = g_bytes_new(texts[i], strlen(texts[i]));
		g_autoptr(StScan) s = st_scan_new("bench", bytes, NULL);
		g_autoptr(StVerdict) v = st_scan_router_handle_scan(router, s, &error);
		g_assert_no_error(error);
		g_assert_true(v->ok);
	}
	central_orders(fx, "[{\"number\": \"ORD-C\", \"status\": \"cancelled\", \"lines\": []}]");
	r = pull(fx);
	g_assert_cmpuint(r.cancelled, ==, 1);
	st_pull_report_clear(&r);
	{
		g_autoptr(GBytes) bytes = g_bytes_new("4006381333931", 13);
		g_autoptr(StScan) s = st_scan_new("bench", bytes, NULL);
		after = st_scan_router_handle_scan(router, s, &error);
		g_assert_no_error(error);
	}
	g_assert_false(after->ok);
	g_assert_cmpstr(after->reason, ==, "order-cancelled");
	g_assert_nonnull(strstr(after->message, "cancelled while you packed it"));
	g_assert_cmpint(count_sql(fx, "SELECT count(*) FROM outbox WHERE kind = 'order.cancelled' "
				      "AND payload LIKE '%\"from\":\"packing\"%'"),
			==, 1);
}

/* changes the station cannot take: an order being worked on, or packed: the station keeps its
 * version and tells the central system; orders that are not the contract's or name an
 * unknown product are told too, and the others of their page are applied; a page that is not
 * the contract's leaves the cursor where it was */
static void
test_pull_refused(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StOrder) o = NULL;
	g_autofree gchar *cursor = NULL;
	StPullReport r;

	central_orders(fx, "[{\"number\": \"ORD-1\", \"status\": \"released\", \"lines\": "
			   "[{\"sku\": \"PEN\", \"quantity\": 1}]}, {\"number\": \"ORD-2\", "
			   "\"status\": \"released\", \"lines\": [{\"sku\": \"PEN\", \"quantity\": "
			   "1}]}]");
	r = pull(fx);
	g_assert_cmpuint(r.added, ==, 2);
	st_pull_report_clear(&r);
	/* ORD-1 is packed at the bench, ORD-2 is being packed */
	o = st_store_find_order(fx->store, "ORD-1", &error);
	g_assert_true(st_store_set_order_status(fx->store, o, ST_ORDER_STATUS_RELEASED,
						ST_ORDER_STATUS_PACKING, 0, &error));
	g_assert_true(st_store_set_order_status(fx->store, o, ST_ORDER_STATUS_PACKING,
						ST_ORDER_STATUS_PACKED, 0, &error));
	g_clear_pointer(&o, st_order_free);
	o = st_store_find_order(fx->store, "ORD-2", &error);
	g_assert_true(st_store_set_order_status(fx->store, o, ST_ORDER_STATUS_RELEASED,
						ST_ORDER_STATUS_PACKING, 0, &error));
	g_assert_no_error(error);
	central_orders(
		fx,
		"[{\"number\": \"ORD-1\", \"status\": \"cancelled\", \"lines\": []}, "
		"{\"number\": \"ORD-2\", \"status\": \"released\", \"lines\": [{\"sku\": "
		"\"PEN\", \"quantity\": 5}]}, {\"number\": \"ORD-3\", \"status\": \"released\", "
		"\"lines\": [{\"sku\": \"GHOST\", \"quantity\": 1}]}, {\"number\": \"ORD-4\", "
		"\"status\": \"shipped\", \"lines\": []}, {\"number\": \"ORD-5\", \"status\": "
		"\"released\", \"lines\": [{\"sku\": \"PEN\", \"quantity\": 1}]}]");
	r = pull(fx);
	g_assert_cmpuint(r.refused, ==, 2);
	g_assert_cmpuint(r.unreadable, ==, 2);
	g_assert_cmpuint(r.added, ==, 1);
	g_assert_cmpuint(r.notes->len, ==, 4);
	st_pull_report_clear(&r);
	g_assert_cmpint(count_sql(fx, "SELECT count(*) FROM orders WHERE number = 'ORD-1' AND "
				      "status = 'packed'"),
			==, 1);
	g_assert_cmpint(count_sql(fx, "SELECT quantity FROM order_lines l JOIN orders o ON o.id = "
				      "l.order_id WHERE o.number = 'ORD-2'"),
			==, 1);
	g_assert_cmpint(count_sql(fx, "SELECT count(*) FROM outbox WHERE kind = 'exception' AND "
				      "payload LIKE '%central-change-refused%'"),
			==, 2);
	g_assert_cmpint(count_sql(fx, "SELECT count(*) FROM outbox WHERE kind = 'exception' AND "
				      "payload LIKE '%central-order-unusable%' AND (payload LIKE "
				      "'%GHOST%' OR payload LIKE '%status is not released%')"),
			==, 2);
	/* a page that is not the contract's: nothing applied, the cursor stays */
	cursor = st_store_sync_state_get(fx->store, "orders_cursor", &error);
	g_assert_nonnull(cursor);
	faults(fx, "{\"down\": true}");
	r = pull(fx);
	g_assert_nonnull(strstr(r.problem, "HTTP 503"));
	st_pull_report_clear(&r);
	faults(fx, "{\"down\": false}");
	{
		g_autofree gchar *after = st_store_sync_state_get(fx->store, "orders_cursor", NULL);
		g_assert_cmpstr(after, ==, cursor);
	}
}

/* pages that are not the contract's: refused whole, with the reason */
static void
test_bad_pages(void)
{
	const gchar *const bad[] = {
		"",
		"[]",
		"{\"orders\": [], \"next\": 3, \"more\": false}",
		"{\"orders\": {}, \"next\": \"1\", \"more\": false}",
		"{\"orders\": [], \"next\": \"1\"}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *next = NULL;
		gboolean more = TRUE;
		g_autoptr(GPtrArray) orders =
			st_central_orders_parse(bad[i], strlen(bad[i]), &next, &more, &error);
		g_assert_null(orders);
		g_assert_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA);
		g_assert_null(next);
	}
	{
		/* a label that is not what it says it is, a quantity of 0, too many lines */
		g_autoptr(GString) page = g_string_new(
			"{\"next\": \"9\", \"more\": false, \"orders\": [{\"number\": \"A\", "
			"\"status\": \"released\", \"tracking\": \"T1\", \"label\": {\"format\": "
			"\"pdf\", \"content_base64\": \"XlhB\"}, \"lines\": [{\"sku\": \"P\", "
			"\"quantity\": 1}]}, {\"number\": \"B\", \"status\": \"released\", "
			"\"lines\": "
			"[{\"sku\": \"P\", \"quantity\": 0}]}, {\"number\": \"C\", \"status\": "
			"\"released\", \"lines\": [");
		g_autoptr(GError) error = NULL;
		g_autofree gchar *next = NULL;
		gboolean more = TRUE;
		g_autoptr(GPtrArray) orders = NULL;
		for (guint i = 0; i < 1001; i++)
			g_string_append_printf(page, "%s{\"sku\": \"P\", \"quantity\": 1}",
					       i > 0 ? "," : "");
		g_string_append(page, "]}]}");
		orders = st_central_orders_parse(page->str, page->len, &next, &more, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(orders->len, ==, 3);
		g_assert_cmpstr(((StCentralOrder *)orders->pdata[0])->unreadable, ==,
				"label is not pdf");
		g_assert_nonnull(strstr(((StCentralOrder *)orders->pdata[1])->unreadable,
					"quantity from 1"));
		g_assert_cmpstr(((StCentralOrder *)orders->pdata[2])->unreadable, ==,
				"more than 1000 lines");
		g_assert_cmpstr(next, ==, "9");
		g_assert_false(more);
	}
}

/* each body signed with the shared secret: the server that checks it takes the events; a
 * wrong secret is refused (401) and nothing is delivered */
static void
test_hmac(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	const gchar *const extra[] = {"--hmac-secret", "s3cret", NULL};
	g_autofree gchar *token = g_build_filename(dir, "token", NULL);
	g_autofree gchar *secret = g_build_filename(dir, "secret", NULL);
	Fixture fx = {0};
	StSyncReport r;

	fx.dir = g_strdup(dir);
	fx.db = g_build_filename(dir, "station.db", NULL);
	fx.store = st_store_new("bench-sync");
	g_assert_true(st_store_open(fx.store, fx.db, 1000, NULL));
	g_assert_true(st_store_put_product(
		fx.store,
		&(StProductSpec){.sku = "PEN", .name = "Pen", .barcodes = (const gchar *[]){NULL}},
		NULL, NULL));
	fx.central = st_test_central_start_with("t", extra);
	g_assert_true(g_file_set_contents(token, "t\n", -1, NULL));
	g_assert_true(g_file_set_contents(secret, "wrong\n", -1, NULL));
	g_assert_cmpint(g_chmod(token, 0600), ==, 0);
	g_assert_cmpint(g_chmod(secret, 0600), ==, 0);
	fx.config = st_config_new_default();
	fx.config->central_url = g_strdup(fx.central->url);
	fx.config->central_token_file = g_strdup(token);
	fx.config->central_hmac_file = g_strdup(secret);
	make_events(&fx, 1);
	r = drain(&fx);
	g_assert_cmpuint(r.delivered, ==, 0);
	g_assert_nonnull(strstr(r.last_problem, "HTTP 401"));
	st_sync_report_clear(&r);
	g_assert_true(g_file_set_contents(secret, "s3cret\n", -1, NULL));
	g_assert_cmpint(g_chmod(secret, 0600), ==, 0);
	g_assert_cmpint(st_store_outbox_due_now(fx.store, NULL), ==, 3);
	r = drain(&fx);
	g_assert_cmpuint(r.delivered, ==, 3);
	st_sync_report_clear(&r);
	fixture_tear_down(&fx, NULL);
}

/* makes a CA and a certificate of 127.0.0.1 signed by it in @dir (openssl); FALSE when
 * openssl is not there */
static gboolean
make_certificates(const gchar *dir)
{
	g_autofree gchar *script = g_strdup_printf(
		"set -e; cd '%s'; "
		"openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
		"-subj '/CN=station test CA' 2>/dev/null; "
		"openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other-ca.pem "
		"-days 2 -subj '/CN=another CA' 2>/dev/null; "
		"openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr "
		"-subj '/CN=127.0.0.1' 2>/dev/null; "
		"printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > ext.cnf; "
		"openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
		"-out server.pem -days 2 -extfile ext.cnf 2>/dev/null",
		dir);
	const gchar *argv[] = {"/bin/sh", "-c", script, NULL};
	gint status = -1;
	g_autofree gchar *openssl = g_find_program_in_path("openssl");
	if (openssl == NULL)
		return FALSE;
	g_assert_true(g_spawn_sync(NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
				   NULL, &status, NULL));
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	return TRUE;
}

/* HTTPS with a site's own CA ([central] ca-file): delivered; with another CA the certificate
 * is not trusted, nothing is delivered, and the message says to check ca-file */
static void
test_tls(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *cert = g_build_filename(dir, "server.pem", NULL);
	g_autofree gchar *key = g_build_filename(dir, "server.key", NULL);
	g_autofree gchar *token = g_build_filename(dir, "token", NULL);
	Fixture fx = {0};
	StSyncReport r;

	if (!make_certificates(dir)) {
		g_test_skip("openssl is not installed: no test certificates");
		st_test_tmpdir_free(g_steal_pointer(&dir));
		return;
	}
	{
		const gchar *const extra[] = {"--tls-cert", cert, "--tls-key", key, NULL};
		fx.central = st_test_central_start_with("t", extra);
	}
	g_assert_true(g_str_has_prefix(fx.central->url, "https://127.0.0.1:"));
	fx.dir = g_strdup(dir);
	fx.db = g_build_filename(dir, "station.db", NULL);
	fx.store = st_store_new("bench-sync");
	g_assert_true(st_store_open(fx.store, fx.db, 1000, NULL));
	g_assert_true(st_store_put_product(
		fx.store,
		&(StProductSpec){.sku = "PEN", .name = "Pen", .barcodes = (const gchar *[]){NULL}},
		NULL, NULL));
	g_assert_true(g_file_set_contents(token, "t\n", -1, NULL));
	g_assert_cmpint(g_chmod(token, 0600), ==, 0);
	fx.config = st_config_new_default();
	fx.config->central_url = g_strdup(fx.central->url);
	fx.config->central_token_file = g_strdup(token);
	fx.config->central_ca_file = g_build_filename(dir, "other-ca.pem", NULL);
	make_events(&fx, 1);
	r = drain(&fx);
	g_assert_cmpuint(r.delivered, ==, 0);
	g_test_message("%s", r.last_problem);
	g_assert_nonnull(strstr(r.last_problem, "certificate is not trusted"));
	st_sync_report_clear(&r);
	g_free(fx.config->central_ca_file);
	fx.config->central_ca_file = g_build_filename(dir, "ca.pem", NULL);
	g_assert_cmpint(st_store_outbox_due_now(fx.store, NULL), ==, 3);
	r = drain(&fx);
	g_assert_cmpuint(r.delivered, ==, 3);
	st_sync_report_clear(&r);
	fixture_tear_down(&fx, NULL);
}

/* answers that are not the contract's: none counts as delivered */
static void
test_bad_answers(void)
{
	const gchar *const bad[] = {
		"",
		"not json",
		"[]",
		"{\"results\": 3}",
		"{\"results\": [{\"id\": 1, \"status\": \"accepted\"}]}",
		"{\"results\": [{\"id\": \"a\", \"status\": \"maybe\"}]}",
		"{\"results\": [{\"id\": \"a\"}]}",
	};
	g_autoptr(GString) deep = g_string_new("{\"results\": ");
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GHashTable) r =
			st_cloudevents_parse_results(bad[i], strlen(bad[i]), &error);
		g_assert_null(r);
		g_assert_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA);
	}
	for (guint i = 0; i < 100000; i++)
		g_string_append_c(deep, '[');
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GHashTable) r =
			st_cloudevents_parse_results(deep->str, deep->len, &error);
		g_assert_null(r);
		g_assert_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_DATA);
	}
	{
		/* a reason of any length is cut to 500 bytes */
		g_autofree gchar *reason = g_strnfill(5000, 'x');
		g_autofree gchar *body = g_strdup_printf(
			"{\"results\": [{\"id\": \"a\", \"status\": \"rejected\", \"reason\": "
			"\"%s\"}, {\"id\": \"b\", \"status\": \"duplicate\"}]}",
			reason);
		g_autoptr(GError) error = NULL;
		g_autoptr(GHashTable) r = st_cloudevents_parse_results(body, strlen(body), &error);
		const StEventResult *a;
		g_assert_no_error(error);
		a = g_hash_table_lookup(r, "a");
		g_assert_cmpint(a->status, ==, ST_EVENT_REJECTED);
		g_assert_cmpuint(strlen(a->reason), ==, 500);
		g_assert_cmpint(((StEventResult *)g_hash_table_lookup(r, "b"))->status, ==,
				ST_EVENT_DUPLICATE);
	}
}

/* the backoff: random, at most 2^n s and max-backoff, at least half a second */
static void
test_backoff(void)
{
	GRand *rand = g_rand_new_with_seed(7);
	for (guint n = 1; n < 40; n++) {
		for (guint i = 0; i < 100; i++) {
			gint64 w = st_sync_backoff_us(n, 300, rand);
			g_assert_cmpint(w, >=, G_USEC_PER_SEC / 2);
			g_assert_cmpint(w, <=, MIN(300, n < 30 ? (1 << n) : 300) * G_USEC_PER_SEC);
		}
	}
	g_rand_free(rand);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
	ADD("/sync/push", test_push);
	ADD("/sync/down-then-back", test_down_then_back);
	ADD("/sync/answer-lost", test_answer_lost);
	ADD("/sync/retry-after", test_retry_after);
	ADD("/sync/rejected-parked", test_rejected_parked);
	ADD("/sync/wrong-token", test_wrong_token);
	ADD("/sync/bad-answers-http", test_bad_answers_http);
	ADD("/sync/prune", test_prune);
	ADD("/sync/refused-batch", test_refused_batch);
	ADD("/sync/claims", test_claims);
	ADD("/sync/pull-orders", test_pull_orders);
	ADD("/sync/pull-refused", test_pull_refused);
	ADD("/sync/pull-catalogue", test_pull_catalogue);
	ADD("/sync/cancel-mid-pack", test_cancel_mid_pack);
	g_test_add_func("/sync/hmac", test_hmac);
	g_test_add_func("/sync/tls", test_tls);
	g_test_add_func("/sync/bad-answers", test_bad_answers);
	g_test_add_func("/sync/bad-pages", test_bad_pages);
	g_test_add_func("/sync/backoff", test_backoff);
	return g_test_run();
}
