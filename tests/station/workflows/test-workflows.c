/*
 * The workflows room alone, without a device or a daemon: scans given as values to the scan
 * router, which reads each once into an intent and hands it to the bench's or the device's
 * workflow; the verdict is committed, then emitted once. What each kind of scan becomes.
 */
#include <string.h>

#include "st-i18n.h"
#include "st-pack-workflow.h"
#include "st-scan-router.h"
#include "st-test-util.h"
#include "station/st-error.h"

typedef struct {
	gchar *dir;
	StStore *store;
	StScanRouter *router;
	GPtrArray *emitted; /* of StVerdict copies, as ::verdict gave them */
} Fixture;

static void
on_verdict(StScanRouter *router, StVerdict *verdict, gpointer user_data)
{
	Fixture *fx = user_data;
	g_ptr_array_add(fx->emitted, st_verdict_copy(verdict));
}

static void
fixture_set_up(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *db = NULL;
	const gchar *pen[] = {"4006381333931", NULL};
	StOrderLineSpec lines[] = {{"PEN", 2}};

	fx->dir = st_test_tmpdir_new();
	db = g_build_filename(fx->dir, "station.db", NULL);
	fx->store = st_store_new("bench-test");
	g_assert_true(st_store_open(fx->store, db, 1000, &error));
	g_assert_true(st_store_put_product(
		fx->store,
		&(StProductSpec){.sku = "PEN", .name = "Pen", .weight_g = 12, .barcodes = pen},
		NULL, &error));
	g_assert_true(st_store_put_order(fx->store,
					 &(StOrderSpec){.number = "ORD-1",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_no_error(error);
	fx->router = st_scan_router_new(fx->store, NULL);
	fx->emitted = g_ptr_array_new_with_free_func((GDestroyNotify)st_verdict_free);
	g_signal_connect(fx->router, "verdict", G_CALLBACK(on_verdict), fx);
}

static void
fixture_tear_down(Fixture *fx, gconstpointer data)
{
	g_object_unref(fx->router);
	g_object_unref(fx->store);
	g_ptr_array_unref(fx->emitted);
	st_test_tmpdir_free(fx->dir);
}

static StScan *
make_scan(const gchar *device, const gchar *text, gsize len)
{
	g_autoptr(GBytes) data = g_bytes_new(text, len);
	return st_scan_new(device, data, NULL);
}

/* the verdict of one scan from @device, committed and emitted */
static StVerdict *
scan(Fixture *fx, const gchar *device, const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StScan) s = make_scan(device, text, strlen(text));
	guint before = fx->emitted->len;
	StVerdict *verdict = st_scan_router_handle_scan(fx->router, s, &error);

	g_assert_no_error(error);
	g_assert_nonnull(verdict);
	g_assert_cmpint(verdict->scan_id, >, 0);
	/* emitted once, and the same answer */
	g_assert_cmpuint(fx->emitted->len, ==, before + 1);
	g_assert_cmpint(((StVerdict *)fx->emitted->pdata[before])->scan_id, ==, verdict->scan_id);
	return verdict;
}

/* the same for a scan a scanner sent with its AIM symbology identifier (a GS1-128 carton) */
static StVerdict *
scan_aim(Fixture *fx, const gchar *device, const gchar *aim, const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StScan) s = make_scan(device, text, strlen(text));
	StVerdict *verdict;

	st_scan_set_symbology(s, aim);
	verdict = st_scan_router_handle_scan(fx->router, s, &error);
	g_assert_no_error(error);
	return verdict;
}

static void
test_intents(void)
{
	struct {
		const gchar *text;
		StIntentKind kind;
	} cases[] = {
		{"ORD-1001", ST_INTENT_ORDER},
		{"CMD-CANCEL", ST_INTENT_COMMAND},
		{"CMD-NO-SUCH-THING", ST_INTENT_COMMAND},
		{"TOTE-17", ST_INTENT_STATION_OTHER},
		{"OP-0042", ST_INTENT_STATION_OTHER},
		{"4006381333931", ST_INTENT_ITEM},
		{"4006381333932", ST_INTENT_INVALID_PRODUCT}, /* a wrong check digit */
		{"1Z999AA10123456784", ST_INTENT_ITEM},	      /* a tracking number: looked up */
		{"anything else", ST_INTENT_ITEM},
	};
	g_autoptr(StBarcodePatterns) patterns = st_barcode_patterns_new();

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(StScan) s = make_scan("t", cases[i].text, strlen(cases[i].text));
		g_autoptr(StIntent) intent = st_intent_new(s, patterns);
		g_test_message("%s", cases[i].text);
		g_assert_cmpstr(st_intent_kind_to_string(intent->kind), ==,
				st_intent_kind_to_string(cases[i].kind));
		g_assert_cmpstr(intent->text, ==, cases[i].text);
		g_assert_nonnull(intent->barcode);
		/* the forms a product is looked up by come with an item, and only with it */
		g_assert_true((intent->forms != NULL) == (cases[i].kind == ST_INTENT_ITEM));
	}
	/* binary data is unreadable, and not parsed */
	{
		g_autoptr(StScan) s = make_scan("t", "\x01\xff\x00z", 4);
		g_autoptr(StIntent) intent = st_intent_new(s, patterns);
		g_assert_cmpint(intent->kind, ==, ST_INTENT_UNREADABLE);
		g_assert_null(intent->barcode);
	}
}

static void
test_pack_through_router(Fixture *fx, gconstpointer data)
{
	g_autoptr(StVerdict) v1 = NULL;
	g_autoptr(StVerdict) v2 = NULL;
	g_autoptr(StVerdict) v3 = NULL;
	g_autoptr(StVerdict) v4 = NULL;
	g_autoptr(StVerdict) v5 = NULL;
	g_autoptr(GPtrArray) outbox = NULL;
	g_autoptr(GError) error = NULL;
	StWorkflow *pack = st_scan_router_get_seat_workflow(fx->router, "bench");

	g_assert_nonnull(pack);
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "wait-order");
	v1 = scan(fx, "bench", "4006381333931");
	g_assert_false(v1->ok);
	g_assert_cmpstr(v1->reason, ==, "no-order-open");
	v2 = scan(fx, "bench", "ORD-1");
	g_assert_true(v2->ok);
	g_assert_cmpstr(v2->order_number, ==, "ORD-1");
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "scan-items");
	v3 = scan(fx, "bench", "CMD-SKIP");
	g_assert_false(v3->ok);
	g_assert_cmpstr(v3->reason, ==, "not-for-packing");
	g_assert_cmpstr(v3->order_number, ==, "ORD-1");
	v4 = scan(fx, "bench", "4006381333931");
	g_assert_true(v4->ok);
	v5 = scan(fx, "bench", "4006381333931");
	g_assert_true(v5->ok);
	g_assert_nonnull(strstr(v5->message, "complete"));
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "packed");
	/* the last item, the parcel (not weighed: no scale) and the order closing were one
	 * transaction: their events are there */
	outbox = st_store_get_outbox(fx->store, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(outbox->len, ==, 5);
	g_assert_cmpstr(((StOutboxEvent *)outbox->pdata[0])->kind, ==, "order.packing");
	g_assert_cmpstr(((StOutboxEvent *)outbox->pdata[1])->kind, ==, "item.packed");
	g_assert_cmpstr(((StOutboxEvent *)outbox->pdata[2])->kind, ==, "item.packed");
	g_assert_cmpstr(((StOutboxEvent *)outbox->pdata[3])->kind, ==, "parcel.closed");
	g_assert_nonnull(strstr(((StOutboxEvent *)outbox->pdata[3])->payload, "\"weight_g\":null"));
	g_assert_cmpstr(((StOutboxEvent *)outbox->pdata[4])->kind, ==, "order.packed");
}

static void
test_unreadable(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StScan) s = make_scan("bench", "\x01\xff\x00z", 4);
	g_autoptr(StVerdict) v = st_scan_router_handle_scan(fx->router, s, &error);
	g_autoptr(GPtrArray) scans = NULL;

	g_assert_no_error(error);
	g_assert_false(v->ok);
	g_assert_cmpstr(v->reason, ==, "unreadable");
	scans = st_store_get_scans(fx->store, &error);
	g_assert_cmpuint(scans->len, ==, 1);
	g_assert_false(((StScanRecord *)scans->pdata[0])->ok);
}

static void
test_workflow_choice(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StWeight weight = {.status = ST_WEIGHT_STATUS_STABLE,
			   .unit = ST_WEIGHT_UNIT_GRAM,
			   .value = 5};

	/* there is no such workflow: said, with the ones this build has */
	g_assert_false(st_scan_router_set_bench_workflow(fx->router, "juggle", &error));
	g_assert_error(error, ST_WORKFLOW_ERROR, ST_ERROR_INVALID_CONFIG);
	g_assert_nonnull(strstr(error->message, "pack"));
	g_clear_error(&error);
	g_assert_false(
		st_scan_router_set_device_workflow(fx->router, "handheld", "juggle", &error));
	g_assert_error(error, ST_WORKFLOW_ERROR, ST_ERROR_INVALID_CONFIG);
	g_clear_error(&error);
	g_assert_true(st_scan_router_set_device_workflow(fx->router, "handheld", "pack", &error));
	g_assert_true(st_scan_router_set_bench_workflow(fx->router, "pack", &error));
	g_assert_no_error(error);
	/* a weight goes to the workflow, which packing does not use yet: taken, nothing else */
	g_assert_true(st_scan_router_handle_weight(fx->router, "scale", &weight, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(fx->emitted->len, ==, 0);
}

static gint64 fake_now = 1000000;

static gint64
fake_clock(void)
{
	return fake_now;
}

/* operators imported: a bench starts logged out, takes a badge, names the operator on every
 * scan and event, switches on another badge, logs out by command and after the idle time */
static void
test_login(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) scans = NULL;
	g_autoptr(GPtrArray) outbox = NULL;
	StOperatorSpec ana = {"0042", "Ana", ST_OPERATOR_ROLE_PACKER, NULL};
	StOperatorSpec li = {"0043", "Li Wei", ST_OPERATOR_ROLE_LEAD, "en"};
	struct {
		const gchar *text;
		const gchar *reason; /* NULL: ok */
		const gchar *said;   /* part of the sentence */
		const gchar *who;    /* the operator the scan is recorded with */
	} steps[] = {
		{"ORD-1", "scan-badge", "Scan your badge", NULL},
		{"OP-9999", "unknown-badge", "not known", NULL},
		{"OP-0042", NULL, "Logged in: Ana. Now scan an order", "0042"},
		{"ORD-1", NULL, "opened", "0042"},
		{"OP-0043", NULL, "Logged in: Li Wei. Now scan the items of order ORD-1", "0043"},
		{"4006381333931", NULL, "1 of 2", "0043"},
		{"CMD-LOGOUT", NULL, "Logged out: Li Wei", "0043"},
		{"4006381333931", "scan-badge", "Scan your badge", NULL},
		{"CMD-LOGOUT", "not-logged-in", "Nobody is logged in", NULL},
		{"OP-0042", NULL, "Logged in: Ana", "0042"},
	};

	g_assert_true(st_store_put_operator(fx->store, &ana, &error));
	g_assert_true(st_store_put_operator(fx->store, &li, &error));
	g_assert_no_error(error);
	st_scan_router_set_clock(fx->router, fake_clock);
	st_scan_router_set_idle_logout(fx->router, 600);
	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autoptr(StVerdict) v = scan(fx, "bench", steps[i].text);
		g_test_message("%s: %s", steps[i].text, v->message);
		g_assert_cmpstr(v->reason, ==, steps[i].reason);
		g_assert_true(v->ok == (steps[i].reason == NULL));
		g_assert_nonnull(strstr(v->message, steps[i].said));
	}
	scans = st_store_get_scans(fx->store, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(scans->len, ==, G_N_ELEMENTS(steps));
	for (guint i = 0; i < G_N_ELEMENTS(steps); i++)
		g_assert_cmpstr(((StScanRecord *)scans->pdata[i])->operator_badge, ==,
				steps[i].who);
	/* the order's events name who did them */
	outbox = st_store_get_outbox(fx->store, &error);
	g_assert_cmpuint(outbox->len, ==, 2);
	g_assert_nonnull(
		strstr(((StOutboxEvent *)outbox->pdata[0])->payload, "\"operator\":\"0042\""));
	g_assert_nonnull(
		strstr(((StOutboxEvent *)outbox->pdata[1])->payload, "\"operator\":\"0043\""));
	g_assert_cmpstr(st_scan_router_get_operator(fx->router, "bench")->name, ==, "Ana");

	/* ten minutes without a scan: logged out, and told why */
	fake_now += 601 * G_USEC_PER_SEC;
	{
		g_autoptr(StVerdict) v = scan(fx, "bench", "4006381333931");
		g_assert_cmpstr(v->reason, ==, "scan-badge");
		g_assert_nonnull(strstr(v->message, "without a scan"));
		g_assert_null(st_scan_router_get_operator(fx->router, "bench"));
	}
	/* a handheld with its own workflow is a seat of its own */
	g_assert_true(st_scan_router_set_device_workflow(fx->router, "handheld", "pack", &error));
	{
		g_autoptr(StVerdict) v1 = scan(fx, "handheld", "OP-0043");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "ORD-1");
		g_assert_true(v1->ok);
		g_assert_cmpstr(v2->reason, ==, "scan-badge");
		g_assert_cmpstr(st_scan_router_get_operator(fx->router, "handheld")->badge, ==,
				"0043");
	}
}

/* an operator who reads Chinese is answered in Chinese, whatever the process's locale; a
 * scan before any badge is answered in both languages */
static void
test_chinese(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StOperatorSpec wang = {"0050", "王芳", ST_OPERATOR_ROLE_PACKER, "zh-CN"};
	struct {
		const gchar *text;
		const gchar *said;
	} steps[] = {
		{"ORD-1", "请先扫描工牌"},
		{"OP-0050", "已登录：王芳。现在请扫描要打包的订单"},
		{"ORD-1", "订单 ORD-1 已打开：请扫描其 2 件商品"},
		{"4006381333931", "Pen（PEN）：第 1 件，共 2 件；订单 ORD-1 还剩 1 件"},
		{"0012345678905", "未知条码 0012345678905"},
		{"LOC-7", "这是库位条码（7）"},
		{"4006381333931", "Pen（PEN）：订单 ORD-1 已完成"},
		{"CMD-LOGOUT",
		 "Logged out: 王芳. The next person scans their badge / 已退出：王芳"},
	};

	if (!st_i18n_language_available("zh-CN")) {
		g_test_skip("the system has no zh_CN.UTF-8 locale (Debian: locales-all): Chinese "
			    "verdicts not checked");
		return;
	}
	g_assert_true(st_store_put_operator(fx->store, &wang, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autoptr(StVerdict) v = scan(fx, "bench", steps[i].text);
		g_test_message("%s: %s", steps[i].text, v->message);
		g_assert_nonnull(strstr(v->message, steps[i].said));
	}
	/* the first answer, to nobody yet, is in English too */
	{
		g_autoptr(GPtrArray) scans = st_store_get_scans(fx->store, &error);
		g_assert_nonnull(strstr(((StScanRecord *)scans->pdata[0])->message,
					"Scan your badge first"));
	}
}

/* what the packer is told when they leave an order unfinished, scan a station barcode with
 * an order open, or scan a case where single items are wanted */
static void
test_pack_sentences(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StOrderLineSpec lines[] = {{"PEN", 1}};
	struct {
		const gchar *text;
		const gchar *reason;
		const gchar *said;
	} steps[] = {
		{"ORD-1", NULL, "Order ORD-1 opened: scan its 2 items"},
		{"4006381333931", NULL, "1 of 2"},
		{"14006381333938", "over-scan",
		 "that barcode is a pack of 12, and order ORD-1 needs 2 of PEN with 1 already in; "
		 "scan the single item instead"},
		{"LOC-7", "not-for-packing", "scan the items of order ORD-1"},
		{"TOTE-7", "nothing-to-pack", "Tote TOTE-7 holds no order waiting to be packed"},
		{"ORD-2", NULL,
		 "Order ORD-2 opened: scan its 1 item; order ORD-1 is left unfinished with 1 item "
		 "to pack"},
		{"ORD-1", NULL,
		 "Order ORD-1 resumed: scan its 1 item; order ORD-2 is left "
		 "unfinished with 1 item to pack"},
	};

	g_assert_true(
		st_store_put_barcode(fx->store, "PEN", "14006381333938", ST_PACK_CASE, 12, &error));
	g_assert_true(st_store_put_order(fx->store,
					 &(StOrderSpec){.number = "ORD-2",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autoptr(StVerdict) v = scan(fx, "bench", steps[i].text);
		g_test_message("%s: %s", steps[i].text, v->message);
		g_assert_cmpstr(v->reason, ==, steps[i].reason);
		g_assert_nonnull(strstr(v->message, steps[i].said));
	}
}

/* a restart (a new router on the same database, as after kill -9 of station serve) goes on
 * where the last answered scan left each seat: who is logged in, the open order */
static void
test_restart(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StOperatorSpec ana = {"0042", "Ana", ST_OPERATOR_ROLE_PACKER, NULL};
	StWorkflow *pack;

	g_assert_true(st_store_put_operator(fx->store, &ana, &error));
	g_assert_no_error(error);
	g_assert_true(st_scan_router_set_device_workflow(fx->router, "handheld", "pack", &error));
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "OP-0042");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v4 = scan(fx, "handheld", "OP-0042");
		g_autoptr(StVerdict) v5 = scan(fx, "handheld", "CMD-LOGOUT");
		g_assert_true(v3->ok && v5->ok);
	}
	/* the process dies; a new one starts on the same database */
	g_clear_object(&fx->router);
	fx->router = st_scan_router_new(fx->store, NULL);
	g_signal_connect(fx->router, "verdict", G_CALLBACK(on_verdict), fx);
	g_assert_true(st_scan_router_set_device_workflow(fx->router, "handheld", "pack", &error));
	g_assert_true(st_scan_router_restore(fx->router, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(st_scan_router_get_operator(fx->router, "bench")->name, ==, "Ana");
	g_assert_null(st_scan_router_get_operator(fx->router, "handheld"));
	pack = st_scan_router_get_seat_workflow(fx->router, "bench");
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "scan-items");
	g_assert_cmpstr(st_pack_workflow_get_order_number(ST_PACK_WORKFLOW(pack)), ==, "ORD-1");
	{
		/* the next item completes the order, without scanning the order or a badge again */
		g_autoptr(StVerdict) v = scan(fx, "bench", "4006381333931");
		g_assert_true(v->ok);
		g_assert_nonnull(strstr(v->message, "order ORD-1 is complete"));
		g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "packed");
	}
	/* and once more: a seat whose last scan completed its order is back in packed */
	g_clear_object(&fx->router);
	fx->router = st_scan_router_new(fx->store, NULL);
	g_signal_connect(fx->router, "verdict", G_CALLBACK(on_verdict), fx);
	g_assert_true(st_scan_router_restore(fx->router, &error));
	g_assert_cmpstr(
		st_workflow_get_state_name(st_scan_router_get_seat_workflow(fx->router, "bench")),
		==, "packed");
	{
		/* the handheld's own seat was logged out: its scans are not the bench's */
		g_autoptr(GPtrArray) scans = st_store_get_scans(fx->store, &error);
		g_assert_cmpuint(scans->len, ==, 6);
	}
}

/* a weighing from the scale at the bench; returns the answer, or NULL when none was given */
static StVerdict *
weigh(Fixture *fx, StWeightStatus status, gint64 grams)
{
	g_autoptr(GError) error = NULL;
	StWeight w = {.status = status, .unit = ST_WEIGHT_UNIT_GRAM, .value = grams};
	guint before = fx->emitted->len;

	g_assert_true(st_scan_router_handle_weight(fx->router, "scale", &w, &error));
	g_assert_no_error(error);
	if (fx->emitted->len == before)
		return NULL;
	g_assert_cmpuint(fx->emitted->len, ==, before + 1);
	return st_verdict_copy(fx->emitted->pdata[before]);
}

static const gchar *
last_event_payload(Fixture *fx, const gchar *kind)
{
	static gchar *kept = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) outbox = st_store_get_outbox(fx->store, &error);
	g_clear_pointer(&kept, g_free);
	for (guint i = outbox->len; i > 0; i--) {
		StOutboxEvent *e = g_ptr_array_index(outbox, i - 1);
		if (g_strcmp0(e->kind, kind) == 0) {
			kept = g_strdup(e->payload);
			break;
		}
	}
	return kept;
}

/* the parcel on the scale: in motion never taken; too light refused saying by how much;
 * the same reading not refused twice; a packer's badge cannot let it go, a lead's can; the
 * next order with the box suggested, one gram outside the tolerance refused and one inside
 * accepted; each parcel told to the central system with its box and weight */
static void
test_weighing(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StOperatorSpec ana = {"0042", "Ana", ST_OPERATOR_ROLE_PACKER, NULL};
	StOperatorSpec li = {"0043", "Li Wei", ST_OPERATOR_ROLE_LEAD, NULL};
	StBoxTypeSpec small = {"S1", "small box", "BOX-S1", 100, 200, 150, 100, 5000};
	StOrderLineSpec lines[] = {{"PEN", 1}};
	StWorkflow *pack;

	g_assert_true(st_store_put_operator(fx->store, &ana, &error));
	g_assert_true(st_store_put_operator(fx->store, &li, &error));
	g_assert_true(st_store_put_box_type(fx->store, &small, &error));
	g_assert_true(st_store_put_order(fx->store,
					 &(StOrderSpec){.number = "ORD-2",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_no_error(error);
	st_scan_router_set_scale(fx->router, "scale", TRUE);
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "OP-0042");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "BOX-S1");
		g_autoptr(StVerdict) v4 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v5 = scan(fx, "bench", "4006381333931");
		g_assert_true(v3->ok);
		g_assert_nonnull(strstr(v3->message, "Box S1 (small box, 100 g) for order ORD-1"));
		/* 2 pens of 12 g and the box of 100 g: 124 g, 20 g either way */
		g_assert_nonnull(strstr(v5->message, "put the parcel on the scale (it should weigh "
						     "124 g, give or take 20 g)"));
	}
	pack = st_scan_router_get_seat_workflow(fx->router, "bench");
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "weigh");
	g_assert_null(weigh(fx, ST_WEIGHT_STATUS_IN_MOTION, 60));
	g_assert_null(weigh(fx, ST_WEIGHT_STATUS_STABLE_ZERO, 0));
	{
		/* a scale that cannot weigh: said once, with what to do */
		g_autoptr(StVerdict) v = weigh(fx, ST_WEIGHT_STATUS_OVER_WEIGHT, 0);
		g_assert_cmpstr(v->reason, ==, "scale-trouble");
		g_assert_nonnull(strstr(v->message, "over the scale's capacity"));
		g_assert_null(weigh(fx, ST_WEIGHT_STATUS_OVER_WEIGHT, 0));
	}
	{
		g_autoptr(StVerdict) v = weigh(fx, ST_WEIGHT_STATUS_STABLE, 60);
		g_assert_false(v->ok);
		g_assert_cmpstr(v->reason, ==, "too-light");
		g_assert_nonnull(strstr(v->message, "64 g too light (60 g, 124 g expected)"));
		g_assert_cmpstr(v->display, ==, "60 g");
	}
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "weight-refused");
	g_assert_null(weigh(fx, ST_WEIGHT_STATUS_STABLE, 60));
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "OP-0042");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "OP-0043");
		g_assert_cmpstr(v1->reason, ==, "parcel-on-scale");
		g_assert_cmpstr(v2->reason, ==, "not-a-lead");
		g_assert_true(v3->ok);
		g_assert_nonnull(strstr(v3->message,
					"Let go by Li Wei: order ORD-1 is complete (it "
					"weighed 60 g, 124 g expected)"));
	}
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "packed");
	/* the lead let it go: Ana is still the one logged in */
	g_assert_cmpstr(st_scan_router_get_operator(fx->router, "bench")->name, ==, "Ana");
	g_assert_nonnull(strstr(last_event_payload(fx, "parcel.closed"), "\"weight_g\":60"));
	g_assert_nonnull(
		strstr(last_event_payload(fx, "parcel.closed"), "\"weight_override\":\"0043\""));

	/* ORD-2: no box scanned, the smallest that holds the pen assumed: 12 + 100 = 112 g */
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-2");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_assert_nonnull(strstr(v2->message, "it should weigh 112 g, give or take 20 g"));
	}
	{
		g_autoptr(StVerdict) heavy = weigh(fx, ST_WEIGHT_STATUS_STABLE, 133);
		g_autoptr(StVerdict) right = weigh(fx, ST_WEIGHT_STATUS_STABLE, 132);
		g_assert_cmpstr(heavy->reason, ==, "too-heavy");
		g_assert_nonnull(strstr(heavy->message, "21 g too heavy"));
		g_assert_true(right->ok);
		g_assert_nonnull(
			strstr(right->message, "Parcel of order ORD-2: 132 g, 112 g expected"));
	}
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "packed");
	g_assert_nonnull(strstr(last_event_payload(fx, "parcel.closed"), "\"box\":\"S1\""));
	g_assert_nonnull(
		strstr(last_event_payload(fx, "parcel.closed"), "\"dimensions_mm\":[200,150,100]"));
	/* the lead's override is an exception for the central system to look at */
	g_assert_nonnull(
		strstr(last_event_payload(fx, "exception"), "\"kind\":\"weight-override\""));
	g_assert_nonnull(strstr(last_event_payload(fx, "parcel.closed"), "\"weight_g\":132"));
	/* the scale's result is told as the work of the operator at the bench */
	g_assert_nonnull(strstr(last_event_payload(fx, "parcel.closed"), "\"operator\":\"0042\""));
	g_assert_nonnull(strstr(last_event_payload(fx, "order.packed"), "ORD-2"));
	/* no weighing once the order is packed */
	g_assert_null(weigh(fx, ST_WEIGHT_STATUS_STABLE, 500));
	/* what the scale decided is kept as the scans are: the scale over its capacity, 60 g
	 * refused, then ORD-2's 133 g refused and 132 g accepted; readings that decided nothing
	 * are not */
	g_assert_cmpint(st_store_count_weighings(fx->store, 0, &error), ==, 4);
	g_assert_no_error(error);
}

/* a bench with a location of its own (BENCH-1, empty), MILK tracked by lot with its barcode,
 * and the order ORD-2 of a pen and a milk */
static void
seed_bench_location(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	StLocationSpec bench = {.code = "BENCH-1", .kind = "bench"};
	StProductSpec milk_spec = {.sku = "MILK",
				   .name = "Milk",
				   .weight_g = 1030,
				   .track_lot = TRUE};
	StOrderLineSpec lines2[] = {{"PEN", 1}, {"MILK", 1}};
	StPackSettings settings;

	st_pack_settings_init(&settings);
	settings.location = "BENCH-1";
	st_scan_router_set_pack_settings(fx->router, &settings);
	g_assert_true(st_store_put_location(fx->store, &bench, &error));
	g_assert_true(st_store_put_product(fx->store, &milk_spec, NULL, &error));
	g_assert_true(
		st_store_put_barcode(fx->store, "MILK", "05901234123457", ST_PACK_UNIT, 1, &error));
	g_assert_true(st_store_put_order(fx->store,
					 &(StOrderSpec){.number = "ORD-2",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines2,
							.n_lines = 2},
					 NULL, &error));
	g_assert_no_error(error);
}

/* with [bench] location set, each packed item leaves the bench's stock in the scan's
 * transaction (the GS1 carton's lot with it); an item the stock does not allow is refused and
 * not counted */
static void
test_stock_leaves(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StStockReport) pen = NULL;
	g_autoptr(StStockReport) milk = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(StOrder) order = NULL;

	seed_bench_location(fx);
	g_assert_true(st_store_change_stock(fx->store,
					    &(StStockChange){.kind = ST_LEDGER_RECEIVE,
							     .sku = "PEN",
							     .quantity = 1,
							     .to = "BENCH-1"},
					    NULL, &error));
	g_assert_true(st_store_change_stock(fx->store,
					    &(StStockChange){.kind = ST_LEDGER_RECEIVE,
							     .sku = "MILK",
							     .quantity = 1,
							     .to = "BENCH-1",
							     .lot = "L42"},
					    NULL, &error));
	g_assert_no_error(error);
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		/* only one pen at the bench: the second is refused, not counted */
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "4006381333931");
		g_assert_true(v2->ok);
		g_assert_cmpstr(v3->reason, ==, "stock");
		g_assert_nonnull(strstr(v3->message, "the stock at BENCH-1 does not allow it"));
	}
	order = st_store_find_order(fx->store, "ORD-1", &error);
	lines = st_store_get_order_lines(fx->store, order->id, &error);
	g_assert_cmpuint(((StOrderLine *)lines->pdata[0])->packed, ==, 1);
	pen = st_store_get_stock(fx->store, "PEN", &error);
	g_assert_no_error(error);
	g_assert_cmpint(pen->on_hand, ==, 0);
	{
		/* milk by lot: a plain EAN is refused (the lot is not known), the GS1 carton's
		 * barcode with (10) L42 is taken, and the lot leaves the stock */
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-2");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "5901234123457");
		g_autoptr(StVerdict) v3 = scan_aim(fx, "bench", "]C1", "010590123412345710L42");
		g_assert_cmpstr(v2->reason, ==, "stock");
		g_assert_nonnull(strstr(v2->message, "lot"));
		g_assert_true(v3->ok);
	}
	milk = st_store_get_stock(fx->store, "MILK", &error);
	g_assert_cmpint(milk->on_hand, ==, 0);
	{
		g_autoptr(GPtrArray) ledger = st_store_get_ledger(fx->store, "MILK", NULL, &error);
		StLedgerRow *last = g_ptr_array_index(ledger, ledger->len - 1);
		g_assert_cmpstr(last->kind, ==, "pack");
		g_assert_cmpstr(last->lot, ==, "L42");
		g_assert_cmpstr(last->order_number, ==, "ORD-2");
		g_assert_cmpint(last->scan_id, >, 0);
	}
}

/* one seat packs an order: the handheld cannot open an order the bench is packing */
static void
test_order_at_other_seat(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(st_scan_router_set_device_workflow(fx->router, "handheld", "pack", &error));
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "handheld", "ORD-1");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "ORD-1");
		g_assert_true(v1->ok);
		g_assert_cmpstr(v2->reason, ==, "order-at-other-seat");
		g_assert_nonnull(strstr(v2->message, "Order ORD-1 is being packed at bench"));
		g_assert_true(v3->ok); /* at its own seat it resumes */
	}
}

/* an order cancelled while it is packed: the next item scan says to take its items out */
static void
test_cancelled_while_packed(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StOrder) order = NULL;
	StWorkflow *pack;
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_assert_true(v2->ok);
	}
	order = st_store_find_order(fx->store, "ORD-1", &error);
	g_assert_true(st_store_set_order_status(fx->store, order, ST_ORDER_STATUS_PACKING,
						ST_ORDER_STATUS_CANCELLED, 0, &error));
	g_assert_no_error(error);
	{
		g_autoptr(StVerdict) v = scan(fx, "bench", "4006381333931");
		g_assert_cmpstr(v->reason, ==, "order-cancelled");
		g_assert_nonnull(strstr(v->message, "cancelled while you packed it"));
	}
	pack = st_scan_router_get_seat_workflow(fx->router, "bench");
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "wait-order");
}

/* the central system says another station holds the order this bench opened (offline, the
 * claim was local): the next item scan says to stop, and the order cannot be opened again */
static void
test_claimed_elsewhere(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) claims = NULL;
	StWorkflow *pack;
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_assert_true(v2->ok);
	}
	claims = st_store_get_pending_claims(fx->store, 10, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(claims->len, ==, 1);
	g_assert_true(
		st_store_settle_claim(fx->store, claims->pdata[0], "conflict", "bench-7", &error));
	g_assert_no_error(error);
	{
		g_autoptr(StVerdict) v = scan(fx, "bench", "4006381333931");
		g_assert_cmpstr(v->reason, ==, "claimed-elsewhere");
		g_assert_nonnull(strstr(v->message, "being packed at station bench-7 too"));
	}
	pack = st_scan_router_get_seat_workflow(fx->router, "bench");
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "wait-order");
	{
		g_autoptr(StVerdict) v = scan(fx, "bench", "ORD-1");
		g_assert_cmpstr(v->reason, ==, "claimed-elsewhere");
	}
}

/* a restart while the parcel waited for the scale: the seat is back on the scale's step */
static void
test_restart_weigh(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	st_scan_router_set_scale(fx->router, "scale", TRUE);
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "4006381333931");
		g_assert_nonnull(strstr(v3->message, "put the parcel on the scale"));
	}
	g_clear_object(&fx->router);
	fx->router = st_scan_router_new(fx->store, NULL);
	g_signal_connect(fx->router, "verdict", G_CALLBACK(on_verdict), fx);
	st_scan_router_set_scale(fx->router, "scale", TRUE);
	g_assert_true(st_scan_router_restore(fx->router, &error));
	g_assert_cmpstr(
		st_workflow_get_state_name(st_scan_router_get_seat_workflow(fx->router, "bench")),
		==, "weigh");
	{
		StWeight w = {.status = ST_WEIGHT_STATUS_STABLE,
			      .unit = ST_WEIGHT_UNIT_GRAM,
			      .value = 24};
		g_assert_true(st_scan_router_handle_weight(fx->router, "scale", &w, &error));
		g_assert_true(((StVerdict *)fx->emitted->pdata[fx->emitted->len - 1])->ok);
	}
}

/* the box type scanned for the box being filled is kept across a restart: the parcel is
 * weighed against it, not against the smallest box that would do */
static void
test_restart_box(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StBoxTypeSpec small = {"S1", "small box", "BOX-S1", 100, 200, 150, 100, 5000};
	StBoxTypeSpec medium = {"M1", "medium box", "BOX-M1", 250, 400, 300, 200, 15000};

	g_assert_true(st_store_put_box_type(fx->store, &small, &error));
	g_assert_true(st_store_put_box_type(fx->store, &medium, &error));
	g_assert_no_error(error);
	st_scan_router_set_scale(fx->router, "scale", TRUE);
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "BOX-M1");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "4006381333931");
		g_assert_true(v2->ok && v3->ok);
	}
	g_clear_object(&fx->router);
	fx->router = st_scan_router_new(fx->store, NULL);
	g_signal_connect(fx->router, "verdict", G_CALLBACK(on_verdict), fx);
	st_scan_router_set_scale(fx->router, "scale", TRUE);
	g_assert_true(st_scan_router_restore(fx->router, &error));
	g_assert_no_error(error);
	{
		/* two pens of 12 g in the medium box of 250 g */
		g_autoptr(StVerdict) v = scan(fx, "bench", "4006381333931");
		g_assert_nonnull(strstr(v->message, "it should weigh 274 g"));
	}
	{
		g_autoptr(StVerdict) v = weigh(fx, ST_WEIGHT_STATUS_STABLE, 274);
		g_assert_nonnull(v);
		g_assert_true(v->ok);
	}
	g_assert_nonnull(strstr(last_event_payload(fx, "parcel.closed"), "\"box\":\"M1\""));
}

/* the undo command takes back the last item scan (its count and the stock it took), until
 * the order is complete */
/* the statements of @steps that walked more than @limit rows of a table: printed, counted */
static guint
count_walks(GHashTable *steps, guint limit)
{
	GHashTableIter iter;
	gpointer sql, n;
	guint walks = 0;

	g_hash_table_iter_init(&iter, steps);
	while (g_hash_table_iter_next(&iter, &sql, &n)) {
		g_test_message("%u rows walked by: %s", GPOINTER_TO_UINT(n), (const gchar *)sql);
		if (GPOINTER_TO_UINT(n) > limit)
			walks++;
	}
	return walks;
}

/*
 * A shift's later scans cost what its first ones did: after 300 orders packed, weighed and
 * their stock moved, no statement that packing runs walks the scans, the packed items, the
 * parcels, the ledger or the outbox (each with 300 rows and more) instead of searching them.
 */
static void
test_no_table_walks(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) warm = NULL;
	g_autoptr(GHashTable) steps = NULL;
	StOperatorSpec ana = {"0042", "Ana", ST_OPERATOR_ROLE_PACKER, NULL};
	StBoxTypeSpec small = {"S1", "small box", "BOX-S1", 100, 200, 150, 100, 5000};
	StLocationSpec bench = {.code = "BENCH-1", .kind = "bench"};
	const gchar *ink[] = {"4006381333948", NULL};
	StPackSettings settings;
	const guint orders = 300;

	st_pack_settings_init(&settings);
	settings.location = "BENCH-1";
	st_scan_router_set_pack_settings(fx->router, &settings);
	st_scan_router_set_scale(fx->router, "scale", TRUE);
	g_assert_true(st_store_put_operator(fx->store, &ana, &error));
	g_assert_true(st_store_put_box_type(fx->store, &small, &error));
	g_assert_true(st_store_put_location(fx->store, &bench, &error));
	g_assert_true(st_store_put_product(
		fx->store,
		&(StProductSpec){.sku = "INK", .name = "Ink", .weight_g = 30, .barcodes = ink},
		NULL, &error));
	for (guint i = 0; i < 2; i++)
		g_assert_true(st_store_change_stock(fx->store,
						    &(StStockChange){.kind = ST_LEDGER_RECEIVE,
								     .sku = i == 0 ? "PEN" : "INK",
								     .quantity = 10000,
								     .to = "BENCH-1"},
						    NULL, &error));
	g_assert_no_error(error);
	for (guint k = 0; k <= orders; k++) {
		g_autofree gchar *number = g_strdup_printf("BIG-%u", k);
		StOrderLineSpec lines[] = {{"PEN", 2}, {"INK", 1}};
		g_assert_true(st_store_put_order(fx->store,
						 &(StOrderSpec){.number = number,
								.status = ST_ORDER_STATUS_RELEASED,
								.lines = lines,
								.n_lines = 2},
						 NULL, &error));
		g_assert_no_error(error);
	}
	g_clear_pointer(&warm, g_hash_table_unref);
	for (guint k = 0; k <= orders; k++) {
		g_autofree gchar *number = g_strdup_printf("BIG-%u", k);
		const gchar *shift[] = {"OP-0042",	 number,	  "BOX-S1",
					"4006381333931", "CMD-UNDO",	  "4006381333931",
					"4006381333948", "4006381333931", NULL};
		/* the last order is the one measured: the statements' counts start there */
		if (k == orders)
			warm = st_store_take_full_scans(fx->store);
		for (guint i = 0; shift[i] != NULL; i++) {
			g_autoptr(StVerdict) v = scan(fx, "bench", shift[i]);
			g_assert_true(v->ok);
		}
		{
			/* 2 pens and the ink of 30 g in the 100 g box */
			g_autoptr(StVerdict) v = weigh(fx, ST_WEIGHT_STATUS_STABLE, 154);
			g_assert_nonnull(v);
			g_assert_true(v->ok);
		}
	}
	steps = st_store_take_full_scans(fx->store);
	g_assert_cmpuint(count_walks(steps, orders / 2), ==, 0);
}

static void
test_undo(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StStockReport) pen = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(StOrder) order = NULL;
	StLocationSpec bench = {.code = "BENCH-1", .kind = "bench"};
	StPackSettings settings;

	st_pack_settings_init(&settings);
	settings.location = "BENCH-1";
	st_scan_router_set_pack_settings(fx->router, &settings);
	g_assert_true(st_store_put_location(fx->store, &bench, &error));
	g_assert_true(st_store_change_stock(fx->store,
					    &(StStockChange){.kind = ST_LEDGER_RECEIVE,
							     .sku = "PEN",
							     .quantity = 2,
							     .to = "BENCH-1"},
					    NULL, &error));
	g_assert_no_error(error);
	{
		g_autoptr(StVerdict) v0 = scan(fx, "bench", "CMD-UNDO");
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "CMD-UNDO");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v4 = scan(fx, "bench", "CMD-UNDO");
		g_autoptr(StVerdict) v5 = scan(fx, "bench", "CMD-UNDO");
		g_assert_cmpstr(v0->reason, ==, "nothing-to-undo");
		g_assert_cmpstr(v2->reason, ==, "nothing-to-undo");
		g_assert_true(v3->ok);
		g_assert_true(v4->ok);
		g_assert_nonnull(strstr(v4->message, "Undone: take 1 of PEN out of order ORD-1; 2 "
						     "items left to pack"));
		g_assert_cmpstr(v5->reason, ==, "nothing-to-undo");
	}
	order = st_store_find_order(fx->store, "ORD-1", &error);
	lines = st_store_get_order_lines(fx->store, order->id, &error);
	g_assert_cmpuint(((StOrderLine *)lines->pdata[0])->packed, ==, 0);
	pen = st_store_get_stock(fx->store, "PEN", &error);
	g_assert_cmpint(pen->on_hand, ==, 2);
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "CMD-UNDO");
		g_assert_true(v2->ok);
		g_assert_nonnull(strstr(v2->message, "is complete"));
		g_assert_cmpstr(v3->reason, ==, "nothing-to-undo");
		g_assert_nonnull(strstr(v3->message, "is complete"));
	}
	{
		g_autoptr(GPtrArray) outbox = st_store_get_outbox(fx->store, &error);
		guint unpacked = 0;
		for (guint i = 0; i < outbox->len; i++)
			unpacked += g_strcmp0(((StOutboxEvent *)outbox->pdata[i])->kind,
					      "item.unpacked") == 0;
		g_assert_cmpuint(unpacked, ==, 1);
	}
	{
		/* the ledger explains it: a pack, a return (the undo), two packs */
		g_autoptr(GPtrArray) ledger = st_store_get_ledger(fx->store, "PEN", NULL, &error);
		g_assert_cmpuint(ledger->len, ==, 5);
		g_assert_cmpstr(((StLedgerRow *)ledger->pdata[2])->kind, ==, "return");
	}
}

/* the cancel command gives the open order up: its items taken back, the order released for
 * any bench */
static void
test_cancel(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StOrder) order = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	{
		g_autoptr(StVerdict) v0 = scan(fx, "bench", "CMD-CANCEL");
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "CMD-CANCEL");
		g_assert_cmpstr(v0->reason, ==, "nothing-to-cancel");
		g_assert_true(v3->ok);
		g_assert_nonnull(strstr(v3->message, "Order ORD-1 given up: take its 1 item out"));
	}
	order = st_store_find_order(fx->store, "ORD-1", &error);
	g_assert_cmpint(order->status, ==, ST_ORDER_STATUS_RELEASED);
	lines = st_store_get_order_lines(fx->store, order->id, &error);
	g_assert_cmpuint(((StOrderLine *)lines->pdata[0])->packed, ==, 0);
	g_assert_nonnull(
		strstr(last_event_payload(fx, "exception"), "\"kind\":\"cancelled-at-bench\""));
	g_assert_cmpstr(
		st_workflow_get_state_name(st_scan_router_get_seat_workflow(fx->router, "bench")),
		==, "wait-order");
	{
		/* and it opens again, from nothing */
		g_autoptr(StVerdict) v = scan(fx, "bench", "ORD-1");
		g_assert_nonnull(strstr(v->message, "opened: scan its 2 items"));
	}
}

/* goods sold by weight widen their parcel's tolerance by what their units may vary */
static void
test_weight_widened(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const gchar *cheese[] = {"2012345000001", NULL};
	StOrderLineSpec lines[] = {{"CHEESE", 2}};

	g_assert_true(st_store_put_product(fx->store,
					   &(StProductSpec){.sku = "CHEESE",
							    .name = "Cheese, by the piece",
							    .weight_g = 500,
							    .weight_tolerance_g = 40,
							    .barcodes = cheese},
					   NULL, &error));
	g_assert_true(st_store_put_order(fx->store,
					 &(StOrderSpec){.number = "ORD-C",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_no_error(error);
	st_scan_router_set_scale(fx->router, "scale", TRUE);
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-C");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "2012345000001");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "2012345000001");
		/* 1000 g: 5 % is 50 g, two pieces that may each vary by 40 g make it 80 g */
		g_assert_nonnull(strstr(v3->message, "should weigh 1000 g, give or take 80 g"));
	}
	{
		g_autoptr(StVerdict) v = weigh(fx, ST_WEIGHT_STATUS_STABLE, 1075);
		g_assert_true(v->ok);
	}
}

/* an order in several boxes: new-box closes the box being filled (weighed, a parcel of its
 * own with its items), the order goes on in the next; an item in a closed box is not undone
 * at the bench; the last box closes the order */
static void
test_multi_box(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StOrder) order = NULL;
	StOperatorSpec ana = {"0042", "Ana", ST_OPERATOR_ROLE_PACKER, NULL};
	StOperatorSpec li = {"0043", "Li Wei", ST_OPERATOR_ROLE_LEAD, NULL};
	StBoxTypeSpec small = {"S1", "small box", "BOX-S1", 100, 200, 150, 100, 5000};
	StOrderLineSpec lines[] = {{"PEN", 5}};
	StWorkflow *pack = NULL;
	const gchar *payload;

	g_assert_true(st_store_put_operator(fx->store, &ana, &error));
	g_assert_true(st_store_put_operator(fx->store, &li, &error));
	g_assert_true(st_store_put_box_type(fx->store, &small, &error));
	g_assert_true(st_store_put_order(fx->store,
					 &(StOrderSpec){.number = "ORD-M",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_no_error(error);
	st_scan_router_set_scale(fx->router, "scale", TRUE);
	{
		g_autoptr(StVerdict) v0 = scan(fx, "bench", "CMD-NEW-BOX");
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "OP-0042");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "CMD-NEW-BOX");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "ORD-M");
		g_autoptr(StVerdict) v4 = scan(fx, "bench", "CMD-NEW-BOX");
		g_autoptr(StVerdict) v5 = scan(fx, "bench", "BOX-S1");
		g_autoptr(StVerdict) v6 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v7 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v8 = scan(fx, "bench", "CMD-NEW-BOX");
		g_assert_cmpstr(v0->reason, ==, "scan-badge");
		g_assert_cmpstr(v2->reason, ==, "no-order-open");
		g_assert_false(v4->ok);
		g_assert_cmpstr(v4->reason, ==, "box-empty");
		g_assert_true(v8->ok);
		/* two pens of 12 g in the 100 g box */
		g_assert_cmpstr(v8->message, ==,
				"Box 1 of order ORD-M closed with 2 items: put it on the scale (it "
				"should weigh 124 g, give or take 20 g)");
	}
	pack = st_scan_router_get_seat_workflow(fx->router, "bench");
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "weigh");
	{
		g_autofree gchar *prompt = st_workflow_get_prompt(pack, NULL);
		g_assert_cmpstr(prompt, ==, "put the closed box of order ORD-M on the scale");
	}
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "CMD-NEW-BOX");
		g_assert_cmpstr(v1->reason, ==, "box-on-scale");
		g_assert_cmpstr(v2->reason, ==, "box-on-scale");
	}
	{
		/* one gram outside, then one inside */
		g_autoptr(StVerdict) heavy = weigh(fx, ST_WEIGHT_STATUS_STABLE, 145);
		g_autoptr(StVerdict) right = weigh(fx, ST_WEIGHT_STATUS_STABLE, 144);
		g_assert_cmpstr(heavy->reason, ==, "too-heavy");
		g_assert_true(right->ok);
		g_assert_cmpstr(right->message, ==,
				"Box 1 of order ORD-M: 144 g, 124 g expected: closed; fill the "
				"next box");
	}
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "scan-items");
	payload = last_event_payload(fx, "parcel.closed");
	g_assert_nonnull(strstr(payload, "\"parcel\":1"));
	g_assert_nonnull(strstr(payload, "\"items\":[{\"sku\":\"PEN\",\"quantity\":2}]"));
	g_assert_nonnull(strstr(payload, "\"weight_g\":144"));
	order = st_store_find_order(fx->store, "ORD-M", &error);
	g_assert_cmpint(order->status, ==, ST_ORDER_STATUS_PACKING);
	g_assert_cmpuint(st_store_count_parcels(fx->store, order, &error), ==, 1);
	{
		/* what is in a closed box stays there; what is in the open one can be undone */
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "CMD-UNDO");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "CMD-UNDO");
		g_autoptr(StVerdict) v4 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v5 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v6 = scan(fx, "bench", "4006381333931");
		g_assert_cmpstr(v1->reason, ==, "box-closed");
		g_assert_nonnull(strstr(v1->message, "is in a box closed already"));
		g_assert_true(v2->ok);
		g_assert_true(v3->ok);
		g_assert_nonnull(strstr(v5->message, "1 item left in order ORD-M"));
		/* the next box has no box scanned: the smallest that holds three pens, 36 + 100 */
		g_assert_nonnull(strstr(v6->message,
					"put the parcel on the scale (it should weigh 136 g, "
					"give or take 20 g)"));
	}
	{
		g_autoptr(StVerdict) v1 = weigh(fx, ST_WEIGHT_STATUS_STABLE, 200);
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "OP-0043");
		g_assert_cmpstr(v1->reason, ==, "too-heavy");
		g_assert_true(v2->ok);
		g_assert_nonnull(strstr(v2->message, "Let go by Li Wei: order ORD-M is complete"));
	}
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "packed");
	payload = last_event_payload(fx, "parcel.closed");
	g_assert_nonnull(strstr(payload, "\"parcel\":2"));
	g_assert_nonnull(strstr(payload, "\"items\":[{\"sku\":\"PEN\",\"quantity\":3}]"));
	g_assert_nonnull(strstr(payload, "\"weight_override\":\"0043\""));
	g_assert_nonnull(strstr(last_event_payload(fx, "order.packed"), "ORD-M"));
	g_assert_cmpuint(st_store_count_parcels(fx->store, order, &error), ==, 2);
	g_assert_no_error(error);
}

/* without a scale new-box makes the parcel at once; an order given up voids its boxes */
static void
test_multi_box_unweighed(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StOrder) order = NULL;
	const gchar *payload;

	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "CMD-NEW-BOX");
		g_assert_true(v3->ok);
		g_assert_cmpstr(v3->message, ==,
				"Box 1 of order ORD-1 closed with 1 item; fill the next box");
	}
	g_assert_cmpstr(
		st_workflow_get_state_name(st_scan_router_get_seat_workflow(fx->router, "bench")),
		==, "scan-items");
	payload = last_event_payload(fx, "parcel.closed");
	g_assert_nonnull(strstr(payload, "\"weight_g\":null"));
	order = st_store_find_order(fx->store, "ORD-1", &error);
	g_assert_cmpuint(st_store_count_parcels(fx->store, order, &error), ==, 1);
	{
		g_autoptr(StVerdict) v = scan(fx, "bench", "CMD-CANCEL");
		g_assert_true(v->ok);
		g_assert_nonnull(strstr(v->message, "take its 1 item out"));
	}
	g_assert_cmpuint(st_store_count_parcels(fx->store, order, &error), ==, 0);
	g_assert_nonnull(strstr(last_event_payload(fx, "parcels.voided"), "\"parcels\":1"));
	{
		/* packed again from nothing, in one box */
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "4006381333931");
		g_assert_nonnull(strstr(v3->message, "order ORD-1 is complete"));
	}
	payload = last_event_payload(fx, "parcel.closed");
	g_assert_nonnull(strstr(payload, "\"items\":[{\"sku\":\"PEN\",\"quantity\":2}]"));
	g_assert_cmpuint(st_store_count_parcels(fx->store, order, &error), ==, 1);
	g_assert_no_error(error);
}

/* a label of @order carrying @reference, as printing stores it */
static void
put_label(Fixture *fx, const gchar *order, const gchar *reference)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *zpl = g_strdup_printf("^XA^FD%s^FS^XZ", reference);
	g_autoptr(GBytes) content = g_bytes_new(zpl, strlen(zpl));
	gint64 id = 0;
	StLabelSpec spec = {.kind = "carrier",
			    .source = "test",
			    .format = "zpl",
			    .dpi = 203,
			    .content = content,
			    .order_number = order,
			    .reference = reference};
	g_assert_true(st_store_put_label(fx->store, &spec, &id, NULL, &error));
	g_assert_no_error(error);
}

/* the dock: a handheld with the ship workflow loads one carrier's manifest at a time */
static void
test_ship(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StOrder) order = NULL;
	StOrderLineSpec one_pen[] = {{"PEN", 1}};
	StOrderLineSpec two_pens[] = {{"PEN", 2}};
	const gchar *numbers[] = {"ORD-U1", "ORD-U2", "ORD-D1", "ORD-X1"};
	const gchar *carriers[] = {"UPS", "UPS", "DHL", "UPS"};
	StWorkflow *ship;
	const gchar *payload;

	for (guint i = 0; i < G_N_ELEMENTS(numbers); i++)
		g_assert_true(
			st_store_put_order(fx->store,
					   &(StOrderSpec){.number = numbers[i],
							  .status = ST_ORDER_STATUS_RELEASED,
							  .carrier = carriers[i],
							  .lines = i == 0 ? two_pens : one_pen,
							  .n_lines = 1},
					   NULL, &error));
	g_assert_no_error(error);
	g_assert_true(st_scan_router_set_device_workflow(fx->router, "dock", "ship", &error));
	/* packed at the bench: ORD-U1 in two boxes, ORD-U2 and ORD-D1 in one; ORD-X1 not */
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-U1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "CMD-NEW-BOX");
		g_autoptr(StVerdict) v4 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v5 = scan(fx, "bench", "ORD-U2");
		g_autoptr(StVerdict) v6 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v7 = scan(fx, "bench", "ORD-D1");
		g_autoptr(StVerdict) v8 = scan(fx, "bench", "4006381333931");
		g_assert_true(v4->ok);
		g_assert_true(v8->ok);
	}
	put_label(fx, "ORD-U1", "1Z999AA10123456784");
	put_label(fx, "ORD-U1", "1Z999AA10123456793");
	put_label(fx, "ORD-U2", "1Z999AA10123456800");
	put_label(fx, "ORD-D1", "JJD000390007718427");
	put_label(fx, "ORD-X1", "1Z999AA10123456819");
	ship = st_scan_router_get_seat_workflow(fx->router, "dock");
	g_assert_cmpstr(st_workflow_get_name(ship), ==, "ship");
	{
		g_autoptr(StVerdict) v0 = scan(fx, "dock", "CMD-DONE");
		g_autoptr(StVerdict) v1 = scan(fx, "dock", "1Z999AA10123456784");
		g_autoptr(StVerdict) v2 = scan(fx, "dock", "1Z999AA10123456784");
		g_autoptr(StVerdict) v3 = scan(fx, "dock", "JJD000390007718427");
		g_autoptr(StVerdict) v4 = scan(fx, "dock", "1Z999AA10123456819");
		g_autoptr(StVerdict) v5 = scan(fx, "dock", "ORD-U2");
		g_autoptr(StVerdict) v6 = scan(fx, "dock", "1Z999AA10123456828");
		g_autoptr(StVerdict) v7 = scan(fx, "dock", "1Z999AA10123456793");
		g_autoptr(StVerdict) v8 = scan(fx, "dock", "1Z999AA10123456800");
		g_assert_cmpstr(v0->reason, ==, "no-manifest");
		g_assert_true(v1->ok);
		g_assert_cmpstr(v1->message, ==,
				"Parcel 1Z999AA10123456784 on the UPS manifest (1 parcel): order "
				"ORD-U1 has parcels still to come");
		g_assert_cmpstr(v2->reason, ==, "scanned-twice");
		g_assert_cmpstr(v3->reason, ==, "other-carrier");
		g_assert_nonnull(strstr(v3->message, "goes with DHL, not UPS"));
		g_assert_cmpstr(v4->reason, ==, "not-packed");
		g_assert_cmpstr(v5->reason, ==, "not-a-parcel");
		g_assert_cmpstr(v6->reason, ==, "unknown-parcel");
		g_assert_true(v7->ok);
		g_assert_nonnull(strstr(v7->message, "(2 parcels): order ORD-U1 is shipped"));
		g_assert_true(v8->ok);
	}
	order = st_store_find_order(fx->store, "ORD-U1", &error);
	g_assert_cmpint(order->status, ==, ST_ORDER_STATUS_SHIPPED);
	g_assert_nonnull(strstr(last_event_payload(fx, "parcel.shipped"),
				"\"reference\":\"1Z999AA10123456800\""));
	g_assert_cmpstr(st_workflow_get_state_name(ship), ==, "loading");
	{
		g_autofree gchar *prompt = st_workflow_get_prompt(ship, NULL);
		g_assert_cmpstr(prompt, ==,
				"scan the next UPS parcel, or done to close the manifest");
	}
	{
		/* the last parcel was for another truck: undone, its order packed again */
		g_autoptr(StVerdict) v0 = scan(fx, "dock", "CMD-UNDO");
		g_autoptr(StOrder) u2 = NULL;
		g_autoptr(StVerdict) v1 = scan(fx, "dock", "CMD-SKIP");
		g_autoptr(StVerdict) v2 = NULL;
		g_autoptr(StVerdict) v3 = NULL;
		g_assert_true(v0->ok);
		g_assert_cmpstr(v0->message, ==,
				"Undone: parcel 1Z999AA10123456800 of order ORD-U2 is off the UPS "
				"manifest; take it off the truck");
		u2 = st_store_find_order(fx->store, "ORD-U2", &error);
		g_assert_cmpint(u2->status, ==, ST_ORDER_STATUS_PACKED);
		g_assert_cmpstr(v1->reason, ==, "not-for-shipping");
		v3 = scan(fx, "dock", "1Z999AA10123456800");
		g_assert_true(v3->ok);
		g_assert_nonnull(strstr(v3->message, "order ORD-U2 is shipped"));
		v2 = scan(fx, "dock", "CMD-DONE");
		g_assert_true(v2->ok);
		g_assert_cmpstr(
			v2->message, ==,
			"Manifest 1 (UPS) closed with 3 parcels of 2 orders; hand it to the "
			"driver");
	}
	payload = last_event_payload(fx, "manifest.closed");
	g_assert_nonnull(strstr(payload, "\"carrier\":\"UPS\""));
	g_assert_nonnull(strstr(payload, "\"reference\":\"1Z999AA10123456793\""));
	g_assert_cmpstr(st_workflow_get_state_name(ship), ==, "wait-parcel");
	{
		/* the next carrier's truck; a UPS parcel that left already is not loaded again */
		g_autoptr(StVerdict) v1 = scan(fx, "dock", "JJD000390007718427");
		g_autoptr(StVerdict) v2 = scan(fx, "dock", "1Z999AA10123456800");
		g_assert_true(v1->ok);
		g_assert_nonnull(strstr(v1->message, "on the DHL manifest (1 parcel)"));
		g_assert_cmpstr(v2->reason, ==, "already-shipped");
	}
	{
		/* a restart: the dock resumes loading the DHL manifest */
		g_autoptr(StScanRouter) again = st_scan_router_new(fx->store, NULL);
		g_autofree gchar *prompt = NULL;
		StWorkflow *resumed;
		g_assert_true(st_scan_router_set_device_workflow(again, "dock", "ship", &error));
		resumed = st_scan_router_get_seat_workflow(again, "dock");
		prompt = st_workflow_get_prompt(resumed, NULL);
		g_assert_cmpstr(st_workflow_get_state_name(resumed), ==, "loading");
		g_assert_cmpstr(prompt, ==,
				"scan the next DHL parcel, or done to close the manifest");
	}
	g_assert_no_error(error);
}

/* a product tracked by serial number: each unit counts once its serial is scanned (or read
 * from its GS1 barcode's AI 21), and one serial number is packed once */
static void
test_serial(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const gchar *phone[] = {"0012345678905", NULL};
	StOrderLineSpec lines[] = {{"PHONE", 3}};
	StWorkflow *pack;

	g_assert_true(st_store_put_product(fx->store,
					   &(StProductSpec){.sku = "PHONE",
							    .name = "Phone",
							    .weight_g = 180,
							    .track_serial = TRUE,
							    .barcodes = phone},
					   NULL, &error));
	g_assert_true(st_store_put_order(fx->store,
					 &(StOrderSpec){.number = "ORD-S",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_no_error(error);
	pack = st_scan_router_get_seat_workflow(fx->router, "bench");
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-S");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "0012345678905");
		g_assert_true(v2->ok);
		g_assert_cmpstr(v2->message, ==,
				"Phone (PHONE) is tracked by serial number: now scan the serial "
				"number of this unit");
	}
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "ask-serial");
	{
		g_autofree gchar *prompt = st_workflow_get_prompt(pack, NULL);
		g_assert_cmpstr(prompt, ==, "scan the serial number of PHONE");
	}
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "ORD-S");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "SN-0001");
		g_assert_cmpstr(v1->reason, ==, "serial-expected");
		g_assert_cmpstr(v2->reason, ==, "serial-expected");
		g_assert_true(v3->ok);
		g_assert_nonnull(strstr(v3->message, "Phone (PHONE): 1 of 3; 2 items left"));
	}
	g_assert_nonnull(strstr(last_event_payload(fx, "item.packed"), "\"serial\":\"SN-0001\""));
	{
		/* the same unit scanned again: its serial number says so */
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "0012345678905");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "SN-0001");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "SN-0002");
		g_assert_cmpstr(v2->reason, ==, "serial-packed");
		g_assert_nonnull(strstr(v2->message, "PHONE with serial number SN-0001 is packed"));
		g_assert_true(v3->ok);
		g_assert_nonnull(strstr(v3->message, "2 of 3"));
	}
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "0012345678905");
		g_assert_true(v1->ok);
	}
	/* the process dies while a unit waits for its serial number: it waits again after */
	g_clear_object(&fx->router);
	fx->router = st_scan_router_new(fx->store, NULL);
	g_signal_connect(fx->router, "verdict", G_CALLBACK(on_verdict), fx);
	g_assert_true(st_scan_router_restore(fx->router, &error));
	g_assert_no_error(error);
	pack = st_scan_router_get_seat_workflow(fx->router, "bench");
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "ask-serial");
	{
		/* undo while a unit waits for its serial: that unit is left out, nothing else */
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "CMD-UNDO");
		g_assert_true(v2->ok);
		g_assert_nonnull(
			strstr(v2->message, "waiting for its serial number is not counted"));
	}
	g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "scan-items");
	{
		/* a GS1 barcode with the serial (AI 21): counted at once */
		g_autoptr(StVerdict) v = scan_aim(fx, "bench", "]C1", "010001234567890521SN-0003");
		g_assert_true(v->ok);
		g_assert_nonnull(strstr(v->message, "order ORD-S is complete"));
	}
	g_assert_nonnull(strstr(last_event_payload(fx, "item.packed"), "\"serial\":\"SN-0003\""));
}

/* a refusal the store gives for a scan (the stock at the bench does not allow it, a product
 * tracked by lot without its lot) is quoted in the verdict in the operator's language, whole,
 * whatever the process's locale; the same refusal to the command line or the API stays in
 * theirs */
static void
test_stock_refusal_language(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	if (!st_i18n_language_available("zh-CN")) {
		g_test_skip("the system has no zh_CN.UTF-8 locale (Debian: locales-all)");
		return;
	}
	seed_bench_location(fx);
	st_scan_router_set_language(fx->router, "zh-CN");
	{
		/* no pen at the bench at all */
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_assert_cmpstr(v2->reason, ==, "stock");
		g_test_message("%s", v2->message);
		g_assert_nonnull(
			strstr(v2->message, "BENCH-1 只有 SKU PEN 0 件：打包 1 件会使库存低于零"));
		g_assert_null(strstr(v2->message, "holds"));
	}
	{
		/* milk is tracked by lot: a plain EAN has none */
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-2");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "5901234123457");
		g_assert_cmpstr(v2->reason, ==, "stock");
		g_test_message("%s", v2->message);
		g_assert_nonnull(strstr(v2->message, "SKU MILK 按批号管理：请给出批号"));
		g_assert_null(strstr(v2->message, "tracked"));
	}
	/* the same refusal said to the process (the command line) follows its locale: C here */
	{
		StStockChange c = {.kind = ST_LEDGER_ADJUST,
				   .sku = "PEN",
				   .from = "BENCH-1",
				   .quantity = 1};
		g_assert_false(st_store_change_stock(fx->store, &c, NULL, &error));
		g_assert_nonnull(
			strstr(error->message, "BENCH-1 holds 0 of SKU PEN: an adjustment"));
	}
}

/* the same for a pick: the stock at the bin is gone when the picker takes the item */
static void
test_pick_refusal_language(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPickList) list = NULL;
	const gchar *orders[] = {"ORD-1", NULL};
	StLocationSpec bin = {.code = "BIN-1", .kind = "bin", .pick_sequence = 1};
	const gchar *steps[] = {"PL-000001", "TOTE-A", "LOC-BIN-1"};

	if (!st_i18n_language_available("zh-CN")) {
		g_test_skip("the system has no zh_CN.UTF-8 locale (Debian: locales-all)");
		return;
	}
	st_scan_router_set_language(fx->router, "zh-CN");
	g_assert_true(st_store_put_location(fx->store, &bin, &error));
	g_assert_true(st_store_change_stock(fx->store,
					    &(StStockChange){.kind = ST_LEDGER_RECEIVE,
							     .sku = "PEN",
							     .quantity = 2,
							     .to = "BIN-1"},
					    NULL, &error));
	g_assert_true(st_scan_router_set_device_workflow(fx->router, "handheld", "pick", &error));
	list = st_store_create_pick_list(fx->store, ST_PICK_MODE_ORDER, orders, 0, NULL, &error);
	g_assert_no_error(error);
	/* the bin found empty after the list was made */
	g_assert_true(st_store_change_stock(fx->store,
					    &(StStockChange){.kind = ST_LEDGER_ADJUST,
							     .sku = "PEN",
							     .quantity = 2,
							     .from = "BIN-1"},
					    NULL, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autoptr(StVerdict) v = scan(fx, "handheld", steps[i]);
		g_test_message("%s: %s", steps[i], v->message);
		g_assert_true(v->ok);
	}
	{
		g_autoptr(StVerdict) v = scan(fx, "handheld", "4006381333931");
		g_test_message("%s", v->message);
		g_assert_cmpstr(v->reason, ==, "stock");
		g_assert_nonnull(
			strstr(v->message, "BIN-1 只有 SKU PEN 0 件：拣货 1 件会使库存低于零"));
		g_assert_null(strstr(v->message, "holds"));
	}
}

/* [bench] language: a station without operators answers in it; with operators, what is said
 * before a badge comes in it first */
static void
test_bench_language(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StOperatorSpec ana = {"0042", "Ana", ST_OPERATOR_ROLE_PACKER, "en"};

	st_scan_router_set_language(fx->router, "zh-CN");
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_assert_cmpstr(v1->message, ==, "订单 ORD-1 已打开：请扫描其 2 件商品");
		g_assert_nonnull(strstr(v2->message, "订单 ORD-1 还剩 1 件"));
	}
	g_assert_true(st_store_put_operator(fx->store, &ana, &error));
	g_assert_no_error(error);
	/* a station restarted once it has operators */
	g_object_unref(fx->router);
	fx->router = st_scan_router_new(fx->store, NULL);
	g_signal_connect(fx->router, "verdict", G_CALLBACK(on_verdict), fx);
	st_scan_router_set_language(fx->router, "zh-CN");
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "OP-0042");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "4006381333931");
		g_assert_cmpstr(v1->reason, ==, "scan-badge");
		g_assert_true(g_str_has_prefix(v1->message, "请先扫描工牌"));
		g_assert_nonnull(strstr(v1->message, " / Scan your badge first"));
		/* Ana reads English */
		g_assert_nonnull(strstr(v3->message, "order ORD-1 is complete"));
	}
}

/* a box closed by new-box and waiting on the scale when the station stopped: still waiting
 * after the restart, then weighed as that box; a box weighed before the stop is not */
static void
test_restart_new_box(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StWorkflow *pack;

	st_scan_router_set_scale(fx->router, "scale", TRUE);
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "CMD-NEW-BOX");
		g_assert_true(v3->ok);
	}
	for (guint round = 0; round < 2; round++) {
		g_clear_object(&fx->router);
		fx->router = st_scan_router_new(fx->store, NULL);
		g_signal_connect(fx->router, "verdict", G_CALLBACK(on_verdict), fx);
		st_scan_router_set_scale(fx->router, "scale", TRUE);
		g_assert_true(st_scan_router_restore(fx->router, &error));
		pack = st_scan_router_get_seat_workflow(fx->router, "bench");
		if (round == 0) {
			g_autofree gchar *prompt = st_workflow_get_prompt(pack, NULL);
			StWeight w = {.status = ST_WEIGHT_STATUS_STABLE,
				      .unit = ST_WEIGHT_UNIT_GRAM,
				      .value = 12};
			g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "weigh");
			g_assert_cmpstr(prompt, ==,
					"put the closed box of order ORD-1 on the scale");
			g_assert_true(
				st_scan_router_handle_weight(fx->router, "scale", &w, &error));
			g_assert_nonnull(strstr(
				((StVerdict *)fx->emitted->pdata[fx->emitted->len - 1])->message,
				"Box 1 of order ORD-1: 12 g"));
		} else {
			/* weighed before this restart: the next box is being filled */
			g_assert_cmpstr(st_workflow_get_state_name(pack), ==, "scan-items");
		}
	}
	g_assert_no_error(error);
}

/* picking a batch into one tote through the router: a pick split over two bins, the tote
 * filled without a tote scan per pick, a restart mid-list resumed from the store, the list
 * refused at another seat naming the seat picking it, a short pick releasing its reservation,
 * the events; then packing opens the order by its tote and takes the goods from it */
static void
test_pick_batch(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPickList) list = NULL;
	g_autoptr(GPtrArray) tasks = NULL;
	g_autoptr(GPtrArray) notes = NULL;
	g_autoptr(StStockReport) pen = NULL;
	StOrderLineSpec lines[] = {{"PEN", 1}};
	const gchar *orders[] = {"ORD-1", "ORD-2", NULL};
	StLocationSpec bins[] = {{.code = "BIN-1", .kind = "bin", .pick_sequence = 1},
				 {.code = "BIN-2", .kind = "bin", .pick_sequence = 2}};
	struct {
		const gchar *device, *text, *reason, *said, *state;
	} steps[] = {
		{"handheld", "4006381333931", "not-now", "Not now: scan a pick list", "wait-list"},
		{"handheld", "PL-000001", NULL,
		 "Pick list 000001: 2 orders, units to pick: 3; next: scan an empty tote for pick "
		 "list 000001",
		 "wait-tote"},
		{"handheld", "TOTE-A", NULL, "next: go to BIN-1 and scan the location",
		 "wait-location"},
		{"handheld", "LOC-BIN-1", NULL, "take 1 of PEN (Pen) at BIN-1", "wait-item"},
		/* one tote for the list: the pick is in it once taken */
		{"handheld", "4006381333931", NULL,
		 "PEN counted: all 1 taken here; next: go to BIN-2 and scan the location",
		 "wait-location"},
		{"handheld", "LOC-BIN-2", NULL, "take 1 of PEN (Pen) at BIN-2", "wait-item"},
		{"handheld", "4006381333931", NULL,
		 "PEN counted: all 1 taken here; next: take 1 of PEN (Pen) at BIN-2", "wait-item"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(bins); i++)
		g_assert_true(st_store_put_location(fx->store, &bins[i], &error));
	g_assert_true(st_store_change_stock(fx->store,
					    &(StStockChange){.kind = ST_LEDGER_RECEIVE,
							     .sku = "PEN",
							     .quantity = 1,
							     .to = "BIN-1"},
					    NULL, &error));
	g_assert_true(st_store_change_stock(fx->store,
					    &(StStockChange){.kind = ST_LEDGER_RECEIVE,
							     .sku = "PEN",
							     .quantity = 10,
							     .to = "BIN-2"},
					    NULL, &error));
	g_assert_true(st_store_put_order(fx->store,
					 &(StOrderSpec){.number = "ORD-2",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_no_error(error);
	g_assert_true(st_scan_router_set_device_workflow(fx->router, "handheld", "pick", &error));
	list = st_store_create_pick_list(fx->store, ST_PICK_MODE_BATCH, orders, 0, &notes, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(list->code, ==, "000001");
	g_assert_cmpuint(notes->len, ==, 0);
	/* BIN-1's one pen first (the route), the rest from BIN-2 */
	tasks = st_store_get_pick_tasks(fx->store, list->id, &error);
	g_assert_cmpuint(tasks->len, ==, 3);
	g_assert_cmpstr(((StPickTask *)tasks->pdata[0])->location, ==, "BIN-1");
	g_assert_cmpstr(((StPickTask *)tasks->pdata[0])->order_number, ==, "ORD-1");
	g_assert_cmpstr(((StPickTask *)tasks->pdata[1])->location, ==, "BIN-2");
	g_assert_cmpstr(((StPickTask *)tasks->pdata[2])->order_number, ==, "ORD-2");
	/* an order on a list is not put on another */
	g_assert_null(
		st_store_create_pick_list(fx->store, ST_PICK_MODE_BATCH, orders, 0, NULL, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_EXISTS);
	g_clear_error(&error);

	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autoptr(StVerdict) v = scan(fx, steps[i].device, steps[i].text);
		g_test_message("%s: %s", steps[i].text, v->message);
		g_assert_cmpstr(v->reason, ==, steps[i].reason);
		g_assert_nonnull(strstr(v->message, steps[i].said));
		g_assert_cmpstr(st_workflow_get_state_name(
					st_scan_router_get_seat_workflow(fx->router, "handheld")),
				==, steps[i].state);
	}
	g_assert_nonnull(strstr(last_event_payload(fx, "order.picked"), "\"order\":\"ORD-1\""));

	/* the process dies; the handheld's seat resumes its list from the store */
	g_clear_object(&fx->router);
	fx->router = st_scan_router_new(fx->store, NULL);
	g_signal_connect(fx->router, "verdict", G_CALLBACK(on_verdict), fx);
	g_assert_true(st_scan_router_set_device_workflow(fx->router, "handheld", "pick", &error));
	g_assert_true(st_scan_router_restore(fx->router, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(st_workflow_get_state_name(
				st_scan_router_get_seat_workflow(fx->router, "handheld")),
			==, "wait-location");
	{
		/* the bench cannot take the list the handheld is picking */
		g_autoptr(StVerdict) v1 = NULL;
		g_assert_true(st_scan_router_set_bench_workflow(fx->router, "pick", &error));
		v1 = scan(fx, "bench", "PL-000001");
		g_assert_cmpstr(v1->reason, ==, "list-elsewhere");
		g_assert_nonnull(strstr(v1->message, "being picked at handheld"));
	}
	{
		/* BIN-2 holds no more pen for ORD-2: short, and the list is done */
		g_autoptr(StVerdict) v = scan(fx, "handheld", "CMD-SHORT-PICK");
		g_assert_true(v->ok);
		g_assert_nonnull(strstr(v->message,
					"1 of PEN short at BIN-2 (not found); the order "
					"system is told: the pick list is done"));
		g_assert_cmpstr(st_workflow_get_state_name(
					st_scan_router_get_seat_workflow(fx->router, "handheld")),
				==, "wait-list");
	}
	g_assert_nonnull(strstr(last_event_payload(fx, "pick.short"), "\"reason\":\"not-found\""));
	g_assert_nonnull(strstr(last_event_payload(fx, "exception"), "\"kind\":\"short-pick\""));
	g_assert_nonnull(strstr(last_event_payload(fx, "picklist.done"), "\"short\":1"));
	/* ORD-1's two pens are in the tote and still reserved; ORD-2's reservation is gone */
	pen = st_store_get_stock(fx->store, "PEN", &error);
	g_assert_no_error(error);
	g_assert_cmpint(pen->on_hand, ==, 11);
	g_assert_cmpint(pen->reserved, ==, 2);
	for (guint i = 0; i < pen->rows->len; i++) {
		const StStockRow *row = g_ptr_array_index(pen->rows, i);
		if (g_strcmp0(row->location, "TOTE-A") == 0)
			g_assert_cmpint(row->quantity, ==, 2);
		if (g_strcmp0(row->location, "BIN-1") == 0)
			g_assert_cmpint(row->quantity, ==, 0);
	}
	g_clear_pointer(&pen, st_stock_report_free);

	/* packing: the tote opens ORD-1, whose pens leave the tote */
	g_assert_true(st_scan_router_set_bench_workflow(fx->router, "pack", &error));
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "TOTE-A");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "4006381333931");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "4006381333931");
		g_assert_nonnull(strstr(v1->message, "Order ORD-1 opened"));
		g_assert_true(v2->ok && v3->ok);
		g_assert_nonnull(strstr(v3->message, "order ORD-1 is complete"));
	}
	pen = st_store_get_stock(fx->store, "PEN", &error);
	g_assert_cmpint(pen->on_hand, ==, 9);
	g_assert_cmpint(pen->reserved, ==, 0);
	{
		/* ORD-2 comes next from the tote, but its pen was short: not there to pack */
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "TOTE-A");
		g_autoptr(StVerdict) v2 = NULL;
		g_assert_nonnull(strstr(v1->message, "Order ORD-2 opened"));
		v2 = scan(fx, "bench", "4006381333931");
		g_assert_cmpstr(v2->reason, ==, "stock");
		g_assert_nonnull(strstr(v2->message, "the stock at TOTE-A does not allow it"));
	}
	{
		GPtrArray *problems = NULL;
		g_assert_true(st_store_check(fx->store, &problems, &error));
		g_assert_cmpuint(problems->len, ==, 0);
		g_ptr_array_unref(problems);
	}
}

/* an order still being picked is not packed; a picker in Chinese is told in Chinese; a
 * serial number its barcode lacks is asked for; undo in the ask puts the unit back */
static void
test_pick_cluster(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPickList) list = NULL;
	const gchar *orders[] = {"ORD-1", NULL};
	StLocationSpec bin = {.code = "BIN-1", .kind = "bin", .pick_sequence = 1};
	StOperatorSpec wang = {"0050", "王芳", ST_OPERATOR_ROLE_PICKER, "zh-CN"};
	const gchar *serials[] = {"SN-1", "SN-2", NULL};

	g_assert_true(st_store_put_location(fx->store, &bin, &error));
	g_assert_true(st_store_put_product(
		fx->store,
		&(StProductSpec){.sku = "PEN", .name = "Pen", .weight_g = 12, .track_serial = TRUE},
		NULL, &error));
	for (guint i = 0; serials[i] != NULL; i++)
		g_assert_true(st_store_change_stock(fx->store,
						    &(StStockChange){.kind = ST_LEDGER_RECEIVE,
								     .sku = "PEN",
								     .quantity = 1,
								     .to = "BIN-1",
								     .serial = serials[i]},
						    NULL, &error));
	g_assert_true(st_store_put_operator(fx->store, &wang, &error));
	g_assert_no_error(error);
	g_assert_true(st_scan_router_set_device_workflow(fx->router, "handheld", "pick", &error));
	list = st_store_create_pick_list(fx->store, ST_PICK_MODE_CLUSTER, orders, 0, NULL, &error);
	g_assert_no_error(error);
	{
		g_autoptr(StVerdict) v1 = scan(fx, "handheld", "OP-0050");
		g_autoptr(StVerdict) v2 = scan(fx, "handheld", "PL-000001");
		g_autoptr(StVerdict) v3 = scan(fx, "handheld", "TOTE-1");
		g_autoptr(StVerdict) v4 = scan(fx, "handheld", "LOC-BIN-1");
		g_autoptr(StVerdict) v5 = scan(fx, "handheld", "4006381333931");
		g_assert_true(v5->ok);
		if (st_i18n_language_available("zh-CN")) {
			g_assert_nonnull(strstr(v2->message, "拣货单 000001"));
			g_assert_nonnull(strstr(v4->message, "在 BIN-1 拣 2 件 PEN（Pen）"));
			g_assert_nonnull(strstr(v5->message, "请扫描它的序列号"));
		}
	}
	{
		/* packing refuses the order until its picking is finished */
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "OP-0050");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "ORD-1");
		g_assert_cmpstr(v2->reason, ==, "still-picking");
	}
	{
		g_autoptr(StVerdict) v1 = scan(fx, "handheld", "CMD-UNDO");
		g_autoptr(StVerdict) v2 = scan(fx, "handheld", "4006381333931");
		g_autoptr(StVerdict) v3 = scan(fx, "handheld", "SN-2");
		g_autoptr(StVerdict) v4 = scan(fx, "handheld", "4006381333931");
		g_autoptr(StVerdict) v5 = scan(fx, "handheld", "SN-1");
		g_autoptr(StVerdict) v6 = scan(fx, "handheld", "TOTE-2");
		g_autoptr(StVerdict) v7 = scan(fx, "handheld", "TOTE-1");
		g_assert_true(v1->ok && v3->ok && v5->ok && v7->ok);
		g_assert_cmpstr(v6->reason, ==, "wrong-tote");
		g_assert_cmpstr(st_workflow_get_state_name(
					st_scan_router_get_seat_workflow(fx->router, "handheld")),
				==, "wait-list");
	}
	{
		/* each unit left the bin by its serial number */
		g_autoptr(GPtrArray) ledger =
			st_store_get_ledger(fx->store, "PEN", "TOTE-1", &error);
		g_assert_no_error(error);
		g_assert_cmpuint(ledger->len, ==, 2);
		g_assert_cmpstr(((StLedgerRow *)ledger->pdata[0])->serial, ==, "SN-2");
		g_assert_cmpstr(((StLedgerRow *)ledger->pdata[1])->serial, ==, "SN-1");
	}
}

/* an order cancelled (by the central system) while it is picked: the picker's next scan says
 * so and where what was picked for it stays; its picks leave the route, the other order's go
 * on */
static void
test_pick_cancelled(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPickList) list = NULL;
	g_autoptr(StOrder) o1 = NULL;
	StOrderLineSpec lines[] = {{"PEN", 1}};
	const gchar *orders[] = {"ORD-1", "ORD-2", NULL};
	StLocationSpec bin = {.code = "BIN-1", .kind = "bin", .pick_sequence = 1};

	g_assert_true(st_store_put_location(fx->store, &bin, &error));
	g_assert_true(st_store_change_stock(fx->store,
					    &(StStockChange){.kind = ST_LEDGER_RECEIVE,
							     .sku = "PEN",
							     .quantity = 5,
							     .to = "BIN-1"},
					    NULL, &error));
	g_assert_true(st_store_put_order(fx->store,
					 &(StOrderSpec){.number = "ORD-2",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_true(st_scan_router_set_device_workflow(fx->router, "handheld", "pick", &error));
	list = st_store_create_pick_list(fx->store, ST_PICK_MODE_CLUSTER, orders, 0, NULL, &error);
	g_assert_no_error(error);
	{
		g_autoptr(StVerdict) v1 = scan(fx, "handheld", "PL-000001");
		g_autoptr(StVerdict) v2 = scan(fx, "handheld", "TOTE-1");
		g_autoptr(StVerdict) v3 = scan(fx, "handheld", "TOTE-2");
		g_autoptr(StVerdict) v4 = scan(fx, "handheld", "LOC-BIN-1");
		g_autoptr(StVerdict) v5 = scan(fx, "handheld", "4006381333931");
		g_assert_true(v5->ok);
	}
	/* ORD-1 (1 of 2 units picked, into TOTE-1) is cancelled */
	o1 = st_store_find_order(fx->store, "ORD-1", &error);
	g_assert_true(st_store_set_order_status(fx->store, o1, ST_ORDER_STATUS_RELEASED,
						ST_ORDER_STATUS_CANCELLED, 0, &error));
	g_assert_no_error(error);
	{
		g_autoptr(StVerdict) v = scan(fx, "handheld", "4006381333931");
		g_test_message("%s", v->message);
		g_assert_cmpstr(v->reason, ==, "order-cancelled");
		g_assert_nonnull(strstr(v->message, "Order ORD-1 was cancelled: its picks are "
						    "dropped; leave what you picked for it in tote "
						    "TOTE-1 for the shift lead"));
	}
	{
		/* ORD-2's pick goes on, and the list ends */
		g_autoptr(StVerdict) v1 = scan(fx, "handheld", "4006381333931");
		g_autoptr(StVerdict) v2 = scan(fx, "handheld", "TOTE-2");
		g_assert_true(v1->ok);
		g_assert_true(v2->ok);
		g_test_message("%s / %s", v1->message, v2->message);
		g_assert_nonnull(strstr(v2->message, "pick list is done"));
	}
}

/* printing by the bench: the packed order's verdict asks for its labels, each parcel has an
 * SSCC; with confirm-label the label is scanned on the parcel (another order's refused, one
 * twice told, reprint asks for the label again, a new order waits), a restart resumes the
 * check, a lead's badge lets it go */
static void
test_confirm_label(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) parcels = NULL;
	g_autoptr(StOrder) order = NULL;
	StOperatorSpec ana = {"0042", "Ana", ST_OPERATOR_ROLE_PACKER, NULL};
	StOperatorSpec li = {"0043", "Li", ST_OPERATOR_ROLE_LEAD, NULL};
	StOrderLineSpec lines[] = {{"PEN", 1}};
	StPackSettings settings;

	st_pack_settings_init(&settings);
	settings.weigh = ST_PACK_WEIGH_NO;
	settings.sscc_prefix = "00614141";
	settings.confirm_label = TRUE;
	st_scan_router_set_pack_settings(fx->router, &settings);
	g_assert_true(st_store_put_operator(fx->store, &ana, &error));
	g_assert_true(st_store_put_operator(fx->store, &li, &error));
	g_assert_true(st_store_put_order(fx->store,
					 &(StOrderSpec){.number = "ORD-2",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_no_error(error);
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "OP-0042");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "ORD-2");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "4006381333931");
		/* packed: the verdict asks the bench to print; ORD-2's parcel is 1 */
		g_assert_true(v3->ok);
		g_assert_cmpint(v3->print, ==, ST_VERDICT_PRINT_ORDER);
		g_assert_nonnull(
			strstr(v3->message, "labels printing: scan the label on the parcel"));
		g_assert_cmpstr(st_workflow_get_state_name(
					st_scan_router_get_seat_workflow(fx->router, "bench")),
				==, "confirm-label");
	}
	order = st_store_find_order(fx->store, "ORD-2", &error);
	parcels = st_store_get_order_parcels(fx->store, order->id, &error);
	g_assert_cmpuint(parcels->len, ==, 1);
	g_assert_cmpstr(((StParcel *)parcels->pdata[0])->reference, ==, "006141410000000012");
	g_assert_nonnull(
		strstr(last_event_payload(fx, "parcel.closed"), "\"sscc\":\"006141410000000012\""));
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "ORD-1");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "CMD-REPRINT");
		g_autoptr(StVerdict) v3 = scan(fx, "bench", "006141410000000029");
		g_assert_cmpstr(v1->reason, ==, "label-first");
		g_assert_true(v2->ok);
		g_assert_cmpint(v2->print, ==, ST_VERDICT_PRINT_REPRINT);
		g_assert_cmpstr(v2->print_reference, ==, "006141410000000012");
		g_assert_cmpstr(v3->reason, ==, "not-a-label");
	}
	/* the process dies: the check is resumed */
	g_clear_object(&fx->router);
	fx->router = st_scan_router_new(fx->store, NULL);
	g_signal_connect(fx->router, "verdict", G_CALLBACK(on_verdict), fx);
	st_scan_router_set_pack_settings(fx->router, &settings);
	g_assert_true(st_scan_router_restore(fx->router, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(
		st_workflow_get_state_name(st_scan_router_get_seat_workflow(fx->router, "bench")),
		==, "confirm-label");
	{
		/* the GS1-128 of the label (AI 00) */
		g_autoptr(StVerdict) v1 = scan_aim(fx, "bench", "]C1", "00006141410000000012");
		g_autoptr(StVerdict) v2 = NULL;
		g_autoptr(StVerdict) v3 = NULL;
		g_autoptr(StVerdict) v4 = NULL;
		g_autoptr(StVerdict) v5 = NULL;
		g_assert_true(v1->ok);
		g_assert_nonnull(strstr(v1->message, "order ORD-2 is done"));
		g_assert_nonnull(strstr(last_event_payload(fx, "label.confirmed"),
					"\"reference\":\"006141410000000012\""));
		/* the next order: its label, then ORD-2's label is refused on it */
		v2 = scan(fx, "bench", "ORD-1");
		v3 = scan(fx, "bench", "4006381333931");
		v4 = scan(fx, "bench", "4006381333931");
		g_assert_true(v4->ok);
		v5 = scan(fx, "bench", "006141410000000012");
		g_assert_cmpstr(v5->reason, ==, "wrong-label");
		g_assert_nonnull(strstr(v5->message, "Wrong label: 006141410000000012 is for order "
						     "ORD-2, not ORD-1"));
	}
	{
		/* a packer's badge is a login; a lead's lets the check go */
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "OP-0043");
		g_assert_true(v1->ok);
		g_assert_nonnull(strstr(v1->message, "Label check of order ORD-1 let go by Li"));
		g_assert_cmpstr(st_workflow_get_state_name(
					st_scan_router_get_seat_workflow(fx->router, "bench")),
				==, "packed");
	}
	{
		g_autoptr(StVerdict) v1 = scan(fx, "bench", "CMD-DONE");
		g_autoptr(StVerdict) v2 = scan(fx, "bench", "CMD-DONE");
		g_assert_true(v1->ok);
		g_assert_cmpstr(v2->reason, ==, "no-order-open");
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/station/workflows/intents", test_intents);
	g_test_add("/station/workflows/pack-through-router", Fixture, NULL, fixture_set_up,
		   test_pack_through_router, fixture_tear_down);
	g_test_add("/station/workflows/unreadable", Fixture, NULL, fixture_set_up, test_unreadable,
		   fixture_tear_down);
	g_test_add("/station/workflows/workflow-choice", Fixture, NULL, fixture_set_up,
		   test_workflow_choice, fixture_tear_down);
	g_test_add("/station/workflows/login", Fixture, NULL, fixture_set_up, test_login,
		   fixture_tear_down);
	g_test_add("/station/workflows/chinese", Fixture, NULL, fixture_set_up, test_chinese,
		   fixture_tear_down);
	g_test_add("/station/workflows/pack-sentences", Fixture, NULL, fixture_set_up,
		   test_pack_sentences, fixture_tear_down);
	g_test_add("/station/workflows/restart", Fixture, NULL, fixture_set_up, test_restart,
		   fixture_tear_down);
	g_test_add("/station/workflows/weighing", Fixture, NULL, fixture_set_up, test_weighing,
		   fixture_tear_down);
	g_test_add("/station/workflows/stock-refusal-language", Fixture, NULL, fixture_set_up,
		   test_stock_refusal_language, fixture_tear_down);
	g_test_add("/station/workflows/pick-refusal-language", Fixture, NULL, fixture_set_up,
		   test_pick_refusal_language, fixture_tear_down);
	g_test_add("/station/workflows/stock-leaves", Fixture, NULL, fixture_set_up,
		   test_stock_leaves, fixture_tear_down);
	g_test_add("/station/workflows/order-at-other-seat", Fixture, NULL, fixture_set_up,
		   test_order_at_other_seat, fixture_tear_down);
	g_test_add("/station/workflows/cancelled-while-packed", Fixture, NULL, fixture_set_up,
		   test_cancelled_while_packed, fixture_tear_down);
	g_test_add("/station/workflows/claimed-elsewhere", Fixture, NULL, fixture_set_up,
		   test_claimed_elsewhere, fixture_tear_down);
	g_test_add("/station/workflows/restart-weigh", Fixture, NULL, fixture_set_up,
		   test_restart_weigh, fixture_tear_down);
	g_test_add("/station/workflows/no-table-walks", Fixture, NULL, fixture_set_up,
		   test_no_table_walks, fixture_tear_down);
	g_test_add("/station/workflows/undo", Fixture, NULL, fixture_set_up, test_undo,
		   fixture_tear_down);
	g_test_add("/station/workflows/cancel", Fixture, NULL, fixture_set_up, test_cancel,
		   fixture_tear_down);
	g_test_add("/station/workflows/multi-box", Fixture, NULL, fixture_set_up, test_multi_box,
		   fixture_tear_down);
	g_test_add("/station/workflows/multi-box-unweighed", Fixture, NULL, fixture_set_up,
		   test_multi_box_unweighed, fixture_tear_down);
	g_test_add("/station/workflows/ship", Fixture, NULL, fixture_set_up, test_ship,
		   fixture_tear_down);
	g_test_add("/station/workflows/serial", Fixture, NULL, fixture_set_up, test_serial,
		   fixture_tear_down);
	g_test_add("/station/workflows/bench-language", Fixture, NULL, fixture_set_up,
		   test_bench_language, fixture_tear_down);
	g_test_add("/station/workflows/restart-new-box", Fixture, NULL, fixture_set_up,
		   test_restart_new_box, fixture_tear_down);
	g_test_add("/station/workflows/restart-box", Fixture, NULL, fixture_set_up,
		   test_restart_box, fixture_tear_down);
	g_test_add("/station/workflows/confirm-label", Fixture, NULL, fixture_set_up,
		   test_confirm_label, fixture_tear_down);
	g_test_add("/station/workflows/pick-batch", Fixture, NULL, fixture_set_up, test_pick_batch,
		   fixture_tear_down);
	g_test_add("/station/workflows/pick-cluster", Fixture, NULL, fixture_set_up,
		   test_pick_cluster, fixture_tear_down);
	g_test_add("/station/workflows/pick-cancelled", Fixture, NULL, fixture_set_up,
		   test_pick_cancelled, fixture_tear_down);
	g_test_add("/station/workflows/weight-widened", Fixture, NULL, fixture_set_up,
		   test_weight_widened, fixture_tear_down);
	return g_test_run();
}
