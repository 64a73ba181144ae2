/*
 * The demo: a whole shift of a bench, on its embedded defaults, with nothing configured.
 *
 * The reference central order system (tests/central, built beside the program; found through
 * $ST_CENTRAL_BIN or next to it in the build tree) is started on loopback and given a
 * catalogue of 300 products, 60 locations, four operators (a packer who reads Chinese, a
 * picker, a second packer and a shift lead) and 100 orders. `station serve`'s daemon starts
 * on a fresh database with a pull every second, so it pulls all of that as a bench does.
 * Its devices are emulated, driven through named pipes as a person would drive them, and go
 * through the real keyboard and scale decoders: the bench's scanner and scale, a picker's
 * handheld and the dock's scanner. Labels, slips and the manifest go to spool folders.
 *
 * The shift, each scan answered before the next: a batch of four orders picked into a tote;
 * orders packed, with a wrong item and a scan too many caught, a weight refused and let go
 * by the lead's badge, an order in two boxes, an order the central system cancels while it
 * is on the bench; the parcels loaded at the dock and the manifest closed. Then the outbox
 * drained to the central system, which says what it holds, and a summary. Exit 0 when every
 * answer was the one expected.
 *
 * --interactive: the same bench, data and devices, left running for a person: the screen at
 * http://127.0.0.1:8080, the pipes to type into, a real USB scanner if one is plugged in.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "station/st-bounded.h"
#include "station/st-error.h"

#include "st-cli.h"
#include "st-daemon.h"
#include "st-demo.h"
#include "st-log.h"
#include "st-api.h"
#include "st-pack-workflow.h"

#define N_PRODUCTS	 300
#define N_BINS		 60
#define N_ORDERS	 100
#define ANSWER_TIMEOUT_S 20

enum { DEV_BENCH, DEV_SCALE, DEV_HANDHELD, DEV_DOCK, N_DEV };

static const gchar *const dev_ids[N_DEV] = {"bench-scanner", "bench-scale", "handheld",
					    "dock-scanner"};

typedef struct {
	StDaemon *daemon;
	StStore *store;
	gint fifo[N_DEV];
	guint answers;	      /* verdicts seen */
	StVerdict *last;      /* the last verdict */
	guint unexpected;     /* answers that were not the one expected */
	guint failures;	      /* scans that could not be recorded */
	GArray *latency_us;   /* scan read -> its verdict committed and emitted */
	guint scans, refused; /* of the scripted shift */
	guint printed;	      /* labels, slips, customs forms and manifests the bench printed */
	GSubprocess *central; /* (nullable) */
	GDataInputStream *central_out;
	GOutputStream *central_in;
	gboolean verbose;
	gboolean interrupted; /* Ctrl+C: the shift stops where it is */
} StDemo;

/* ---- data ---- */

static const gchar *const kinds[] = {
	"Notebook A5",	    "Fineliner pen",   "Packing tape 48 mm", "Mug",
	"Desk lamp",	    "USB-C cable 1 m", "Water bottle",	     "Phone case",
	"Tea, green 100 g", "Scarf, wool",     "Socks, pair",	     "Puzzle 500 pieces",
	"Candle, vanilla",  "Cutting board",   "Headphones",	     "Plant pot 12 cm",
	"Yoga mat",	    "Travel adapter",  "Sticky notes",	     "Screwdriver set",
};

/* GTIN-13 of product @i: 4012345 (a company prefix of the examples), 5 digits, check */
static gchar *
demo_gtin(guint i)
{
	gchar *g = g_strdup_printf("4012345%05u0", i);
	guint sum = 0;
	for (guint k = 0; k < 12; k++)
		sum += (guint)(g[k] - '0') * (k % 2 == 0 ? 1 : 3);
	g[12] = (gchar)('0' + (10 - sum % 10) % 10);
	return g;
}

static guint
demo_weight(guint i)
{
	return 20 + (i * 37) % 700;
}

/* what a customs declaration says of product @i: an HS code of its kind, where it was made,
 * its value in cents */
static const gchar *
demo_hs(guint i)
{
	static const gchar *const hs[] = {"482010", "960820", "391910", "691200", "940520",
					  "854442", "392330", "392690", "090210", "611710",
					  "611595", "950300", "340600", "441900", "851830",
					  "691490", "950691", "853669", "482090", "820540"};
	return hs[i % G_N_ELEMENTS(hs)];
}

static const gchar *
demo_origin(guint i)
{
	static const gchar *const origin[] = {"CN", "DE", "PL", "PT", "VN", "US"};
	return origin[i % G_N_ELEMENTS(origin)];
}

static guint
demo_value(guint i)
{
	return 150 + (i * 211) % 4500;
}

static gchar *
demo_bin(guint i)
{
	return g_strdup_printf("%c-%02u", 'A' + (gchar)(i / 20), i % 20 + 1);
}

/* the lines of order @n (0-based): 1 to 3 products */
static guint
demo_order_lines(guint n, guint *products, guint *quantities)
{
	guint count = 1 + n % 3;
	for (guint k = 0; k < count; k++) {
		products[k] = (n * 7 + k * 13) % N_PRODUCTS;
		quantities[k] = 1 + (n + k) % 2;
	}
	return count;
}

static gchar *
demo_products_json(void)
{
	g_autoptr(GString) s = g_string_new("[");
	for (guint i = 0; i < N_PRODUCTS; i++) {
		g_autofree gchar *gtin = demo_gtin(i);
		g_string_append_printf(
			s,
			"%s{\"sku\": \"SKU-%03u\", \"name\": \"%s #%u\", "
			"\"weight_g\": %u, \"hs_code\": \"%s\", \"origin_country\": "
			"\"%s\", \"customs_value_cents\": %u, \"barcodes\": [\"%s\"]}",
			i > 0 ? "," : "", i, kinds[i % G_N_ELEMENTS(kinds)], i, demo_weight(i),
			demo_hs(i), demo_origin(i), demo_value(i), gtin);
	}
	g_string_append(s, "]");
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static gchar *
demo_locations_json(void)
{
	g_autoptr(GString) s = g_string_new("[");
	for (guint i = 0; i < N_BINS; i++) {
		g_autofree gchar *bin = demo_bin(i);
		g_string_append_printf(s,
				       "%s{\"code\": \"%s\", \"kind\": \"bin\", \"zone\": \"%c\", "
				       "\"pick_sequence\": %u}",
				       i > 0 ? "," : "", bin, bin[0], i + 1);
	}
	for (guint i = 1; i <= 4; i++)
		g_string_append_printf(s, ",{\"code\": \"TOTE-%02u\", \"kind\": \"tote\"}", i);
	g_string_append(s, "]");
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static const gchar *demo_operators_json =
	"[{\"badge\": \"0042\", \"name\": \"李伟\", \"role\": \"packer\", \"language\": "
	"\"zh-CN\"},"
	"{\"badge\": \"0043\", \"name\": \"Ana Costa\", \"role\": \"packer\", \"language\": "
	"\"en\"},"
	"{\"badge\": \"0050\", \"name\": \"Sam Okafor\", \"role\": \"picker\", \"language\": "
	"\"en\"},"
	"{\"badge\": \"0099\", \"name\": \"Maria Lopez\", \"role\": \"lead\", \"language\": "
	"\"en\"}]";

static const struct {
	const gchar *name, *street, *city, *postal, *country;
} ship_to[] = {
	{"Jonas Weber", "Hauptstraße 5", "Berlin", "10115", "DE"},
	{"王芳", "西湖区文三路 90 号", "杭州", "310012", "CN"},
	{"Emily Clark", "221B Baker Street", "London", "NW1 6XE", "GB"},
	{"Carlos Ruiz", "Calle Mayor 12", "Madrid", "28013", "ES"},
	{"Ava Johnson", "1600 Pennsylvania Ave NW", "Washington", "20500", "US"},
};

/* order @n (0-based) as the contract's Order, with @status */
static gchar *
demo_order_json(guint n, const gchar *status)
{
	guint products[3], quantities[3];
	guint count = demo_order_lines(n, products, quantities);
	guint a = n % G_N_ELEMENTS(ship_to);
	g_autoptr(GString) s = g_string_new(NULL);
	g_string_append_printf(s,
			       "{\"number\": \"ORD-%u\", \"status\": \"%s\", \"ship_to\": "
			       "{\"name\": \"%s\", \"street1\": \"%s\", \"city\": \"%s\", "
			       "\"postal_code\": \"%s\", \"country\": \"%s\"}, \"lines\": [",
			       2001 + n, status, ship_to[a].name, ship_to[a].street,
			       ship_to[a].city, ship_to[a].postal, ship_to[a].country);
	for (guint k = 0; k < count; k++)
		g_string_append_printf(s, "%s{\"sku\": \"SKU-%03u\", \"quantity\": %u}",
				       k > 0 ? "," : "", products[k], quantities[k]);
	g_string_append(s, "]}");
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* ---- the reference central order system ---- */

static gchar *
st_demo_find_central(void)
{
	const gchar *env = g_getenv("ST_CENTRAL_BIN");
	g_autofree gchar *self = g_file_read_link("/proc/self/exe", NULL);
	g_autofree gchar *dir = NULL;
	g_autofree gchar *beside = NULL;

	if (env != NULL && *env == '\0')
		return NULL; /* asked for none */
	if (env != NULL && g_file_test(env, G_FILE_TEST_IS_EXECUTABLE))
		return g_strdup(env);
	if (self == NULL)
		return NULL;
	/* the build tree: build/station/station and build/tests/st-central */
	dir = g_path_get_dirname(self);
	beside = g_build_filename(dir, "..", "tests", "st-central", NULL);
	if (g_file_test(beside, G_FILE_TEST_IS_EXECUTABLE))
		return g_steal_pointer(&beside);
	return NULL;
}

/* the longest answer line taken from the central system's control channel (its stats are a
 * few hundred bytes) */
#define ST_DEMO_CENTRAL_LINE_MAX (64 * 1024)

/* one command to the central system (see tests/central/st-central.c), its one-line answer */
static gchar *
st_demo_central(StDemo *demo, const gchar *command, GError **error)
{
	g_autofree gchar *line = g_strconcat(command, "\n", NULL);
	if (!g_output_stream_write_all(demo->central_in, line, strlen(line), NULL, NULL, error) ||
	    !g_output_stream_flush(demo->central_in, NULL, error))
		return NULL;
	return st_bounded_read_line(G_BUFFERED_INPUT_STREAM(demo->central_out),
				    ST_DEMO_CENTRAL_LINE_MAX, error);
}

static gchar *
st_demo_central_start(StDemo *demo, const gchar *bin, GError **error)
{
	const gchar *argv[] = {bin, "--token", "demo-token", "--control-stdin", NULL};
	g_autofree gchar *line = NULL;

	demo->central = g_subprocess_newv(
		argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
	if (demo->central == NULL)
		return NULL;
	demo->central_in = g_object_ref(g_subprocess_get_stdin_pipe(demo->central));
	demo->central_out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(demo->central));
	line = st_bounded_read_line(G_BUFFERED_INPUT_STREAM(demo->central_out),
				    ST_DEMO_CENTRAL_LINE_MAX, error);
	if (line == NULL || !g_str_has_prefix(line, "listening on ")) {
		if (error != NULL && *error == NULL)
			g_set_error(error, ST_CLI_ERROR, ST_ERROR_FAILED,
				    "the central system did not start");
		return NULL;
	}
	return g_strdup(line + strlen("listening on "));
}

static gboolean
st_demo_central_seed(StDemo *demo, GError **error)
{
	g_autofree gchar *products = demo_products_json();
	g_autofree gchar *locations = demo_locations_json();
	g_autoptr(GString) orders = g_string_new("[");
	const struct {
		const gchar *feed, *json;
	} feeds[] = {{"products", products},
		     {"locations", locations},
		     {"operators", demo_operators_json},
		     {"orders", NULL}};

	for (guint n = 0; n < N_ORDERS; n++) {
		g_autofree gchar *o = demo_order_json(n, "released");
		g_string_append_printf(orders, "%s%s", n > 0 ? "," : "", o);
	}
	g_string_append(orders, "]");
	for (guint i = 0; i < G_N_ELEMENTS(feeds); i++) {
		g_autofree gchar *cmd =
			g_strdup_printf("%s %s", feeds[i].feed,
					feeds[i].json != NULL ? feeds[i].json : orders->str);
		g_autofree gchar *answer = st_demo_central(demo, cmd, error);
		if (answer == NULL)
			return FALSE;
		if (g_strcmp0(answer, "stored") != 0) {
			g_set_error(error, ST_CLI_ERROR, ST_ERROR_FAILED,
				    "the central system refused the %s: %s", feeds[i].feed, answer);
			return FALSE;
		}
	}
	return TRUE;
}

/* ---- the bench ---- */

/* runs after the daemon's handler of the same scan, which decodes, routes, commits and emits
 * the verdict before it returns: the time since the driver read the scan's last report is
 * the scan's time to its durable answer */
static void
st_demo_device_scan_cb(StDevice *device, StScan *scan, gpointer user_data)
{
	StDemo *demo = user_data;
	gint64 us = g_get_monotonic_time() - st_scan_get_monotonic(scan);
	g_array_append_val(demo->latency_us, us);
}

static void
st_demo_verdict_cb(StScanRouter *router, StVerdict *verdict, gpointer user_data)
{
	StDemo *demo = user_data;
	st_verdict_free(demo->last);
	demo->last = st_verdict_copy(verdict);
	demo->answers++;
}

static void
st_demo_scan_failed_cb(StDaemon *daemon, const gchar *message, gpointer user_data)
{
	StDemo *demo = user_data;
	demo->failures++;
	/* TRANSLATORS: a scan the demo's bench could not take, then why */
	g_print(_("  FAILED   %s\n"), message);
}

/* runs the main loop until @done or @seconds passed; Returns: @done */
static gboolean
st_demo_wait(gboolean (*done)(StDemo *, gpointer), StDemo *demo, gpointer data, guint seconds)
{
	gint64 until = g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;
	while (!done(demo, data)) {
		if (g_get_monotonic_time() > until || demo->interrupted)
			return FALSE;
		g_main_context_iteration(NULL, FALSE);
		if (!done(demo, data))
			g_usleep(1000);
	}
	return TRUE;
}

static gboolean
st_demo_answered(StDemo *demo, gpointer data)
{
	return demo->answers > GPOINTER_TO_UINT(data);
}

/*
 * One step of the shift: @line written to device @dev's pipe (a `type` or `weight` step, as
 * the emulated devices read them), then its answer, printed, and checked against @expect:
 * "ok", or the reason of the refusal expected. Returns: the answer (owned by @demo)
 */
static const StVerdict *
st_demo_step(StDemo *demo, guint dev, const gchar *line, const gchar *expect)
{
	g_autofree gchar *text = g_strconcat(line, "\n", NULL);
	guint before = demo->answers;
	const StVerdict *v;
	gboolean as_expected;

	if (demo->interrupted)
		return NULL;
	if (write(demo->fifo[dev], text, strlen(text)) != (gssize)strlen(text)) {
		g_print(_("  %-13s cannot write to its pipe: %s\n"), dev_ids[dev],
			g_strerror(errno));
		demo->unexpected++;
		return NULL;
	}
	if (!st_demo_wait(st_demo_answered, demo, GUINT_TO_POINTER(before), ANSWER_TIMEOUT_S)) {
		if (demo->interrupted)
			return NULL;
		g_print(_("  %-13s %-22s NO ANSWER\n"), dev_ids[dev], line);
		demo->unexpected++;
		return NULL;
	}
	v = demo->last;
	as_expected = g_strcmp0(expect, "ok") == 0 ? v->ok : g_strcmp0(v->reason, expect) == 0;
	demo->scans++;
	if (!v->ok)
		demo->refused++;
	{
		/* the answer's word padded by the columns a terminal gives it (a Chinese
		 * character takes two) */
		g_autoptr(GString) answer = g_string_new(NULL);
		/* TRANSLATORS: the demo's column of answers: accepted or refused, a few
		 * characters */
		st_cli_cell(answer, v->ok ? _("ok") : _("REFUSED"), -8);
		g_print("  %-13s %-22s %s %s%s%s%s\n", dev_ids[dev], v->display, answer->str,
			v->message, v->reason != NULL ? " [" : "",
			v->reason != NULL ? v->reason : "", v->reason != NULL ? "]" : "");
	}
	if (!as_expected) {
		g_print(_("  ^ expected %s\n"), expect);
		demo->unexpected++;
	}
	return v;
}

static const StVerdict *
st_demo_scan(StDemo *demo, guint dev, const gchar *text, const gchar *expect)
{
	g_autofree gchar *line = g_strconcat("type ", text, NULL);
	return st_demo_step(demo, dev, line, expect);
}

/* the parcel on the bench's scale: @grams, stable; then taken off (the scale at zero) */
static void
st_demo_weigh(StDemo *demo, guint grams, const gchar *expect)
{
	g_autofree gchar *line = g_strdup_printf("weight stable %u g", grams);
	g_autofree gchar *off = g_strdup("weight stable-zero 0 g\n");
	const StVerdict *v = st_demo_step(demo, DEV_SCALE, line, expect);
	if (v != NULL && v->ok && write(demo->fifo[DEV_SCALE], off, strlen(off)) < 0)
		demo->unexpected++;
}

/* the weight the bench expects of the parcel on its scale now */
static guint
st_demo_expected_weight(StDemo *demo, guint *tolerance_g)
{
	StScanRouter *router = st_daemon_get_router(demo->daemon);
	StWorkflow *w = st_scan_router_get_seat_workflow(router, dev_ids[DEV_BENCH]);
	guint expected = 0, tolerance = 0;
	if (w != NULL && ST_IS_PACK_WORKFLOW(w))
		st_pack_workflow_get_expected_weight(ST_PACK_WORKFLOW(w), &expected, &tolerance);
	if (tolerance_g != NULL)
		*tolerance_g = tolerance;
	return expected;
}

/* the barcodes of order @n's units, one per unit, in line order */
static GPtrArray *
st_demo_units(guint n)
{
	GPtrArray *units = g_ptr_array_new_with_free_func(g_free);
	guint products[3], quantities[3];
	guint count = demo_order_lines(n, products, quantities);
	for (guint k = 0; k < count; k++) {
		for (guint q = 0; q < quantities[k]; q++)
			g_ptr_array_add(units, demo_gtin(products[k]));
	}
	return units;
}

static void
st_demo_pack(StDemo *demo, guint n)
{
	g_autofree gchar *number = g_strdup_printf("ORD-%u", 2001 + n);
	g_autoptr(GPtrArray) units = st_demo_units(n);
	st_demo_scan(demo, DEV_BENCH, number, "ok");
	st_demo_scan(demo, DEV_BENCH, "BOX-M", "ok");
	for (guint i = 0; i < units->len; i++)
		st_demo_scan(demo, DEV_BENCH, g_ptr_array_index(units, i), "ok");
	st_demo_weigh(demo, st_demo_expected_weight(demo, NULL), "ok");
}

static gboolean
st_demo_order_cancelled(StDemo *demo, gpointer data)
{
	g_autoptr(StOrder) o = st_store_find_order(demo->store, data, NULL);
	return o != NULL && o->status == ST_ORDER_STATUS_CANCELLED;
}

static gboolean
st_demo_outbox_empty(StDemo *demo, gpointer data)
{
	StOutboxStatus status = {0};
	gboolean empty = st_store_outbox_status(demo->store, &status, NULL) && status.pending == 0;
	st_outbox_status_clear(&status);
	return empty;
}

static gboolean
st_demo_pulled(StDemo *demo, gpointer data)
{
	g_autofree gchar *last = g_strdup_printf("ORD-%u", 2000 + N_ORDERS);
	g_autoptr(StOrder) o = st_store_find_order(demo->store, last, NULL);
	return o != NULL;
}

/* the shift; Returns: FALSE when a step could not be run at all */
static gboolean
st_demo_shift(StDemo *demo, GError **error)
{
	const gchar *picked[] = {"ORD-2001", "ORD-2002", "ORD-2003", "ORD-2004", NULL};
	g_autoptr(StPickList) list = NULL;
	g_autoptr(GPtrArray) tasks = NULL;
	g_autoptr(GPtrArray) notes = NULL;
	const gchar *location = NULL;
	guint shipped_orders[] = {0, 1, 2, 3, 4, 5, 6, 8, 9};

	/* 1. the picker: a batch of four orders into one tote */
	g_print(_("\n1. Picking: a batch of four orders into one tote, on the handheld\n"));
	list = st_store_create_pick_list(demo->store, ST_PICK_MODE_BATCH, picked, 0, &notes, error);
	if (list == NULL)
		return FALSE;
	tasks = st_store_get_pick_tasks(demo->store, list->id, error);
	if (tasks == NULL)
		return FALSE;
	st_demo_scan(demo, DEV_HANDHELD, "OP-0050", "ok");
	{
		g_autofree gchar *pl = g_strdup_printf("PL-%s", list->code);
		st_demo_scan(demo, DEV_HANDHELD, pl, "ok");
	}
	st_demo_scan(demo, DEV_HANDHELD, "TOTE-01", "ok");
	for (guint i = 0; i < tasks->len; i++) {
		const StPickTask *t = g_ptr_array_index(tasks, i);
		g_autofree gchar *gtin = demo_gtin((guint)g_ascii_strtoull(t->sku + 4, NULL, 10));
		if (g_strcmp0(location, t->location) != 0) {
			g_autofree gchar *loc = g_strdup_printf("LOC-%s", t->location);
			st_demo_scan(demo, DEV_HANDHELD, loc, "ok");
			location = t->location;
		}
		for (guint q = 0; q < t->quantity; q++)
			st_demo_scan(demo, DEV_HANDHELD, gtin, "ok");
	}

	/* 2. the packer, in Chinese: the picked orders from their tote, then more */
	if (demo->interrupted) /* Ctrl+C: the shift stops here */
		return TRUE;
	g_print(_("\n2. Packing at the bench, by a packer who reads Chinese\n"));
	st_demo_scan(demo, DEV_BENCH, "OP-0042", "ok");
	for (guint n = 0; n < 4; n++)
		st_demo_pack(demo, n);
	{
		/* mistakes caught: an item of another order, then one too many */
		g_autoptr(GPtrArray) units = st_demo_units(4);
		g_autofree gchar *stranger = demo_gtin(299);
		if (demo->interrupted) /* Ctrl+C: the shift stops here */
			return TRUE;
		g_print(_("   mistakes: an item of another order, one too many\n"));
		st_demo_scan(demo, DEV_BENCH, "ORD-2005", "ok");
		st_demo_scan(demo, DEV_BENCH, "BOX-M", "ok");
		st_demo_scan(demo, DEV_BENCH, stranger, "not-in-order");
		for (guint i = 0; i < units->len; i++) {
			st_demo_scan(demo, DEV_BENCH, g_ptr_array_index(units, i), "ok");
			if (i == 0 && units->len > 1 &&
			    g_strcmp0(g_ptr_array_index(units, 0), g_ptr_array_index(units, 1)) !=
				    0)
				st_demo_scan(demo, DEV_BENCH, g_ptr_array_index(units, 0),
					     "over-scan");
		}
		st_demo_weigh(demo, st_demo_expected_weight(demo, NULL), "ok");
	}
	{
		/* a parcel too light, let go by the shift lead's badge */
		g_autoptr(GPtrArray) units = st_demo_units(5);
		guint tolerance = 0, expected;
		if (demo->interrupted) /* Ctrl+C: the shift stops here */
			return TRUE;
		g_print(_("   a parcel too light on the scale, let go by the shift lead\n"));
		st_demo_scan(demo, DEV_BENCH, "ORD-2006", "ok");
		st_demo_scan(demo, DEV_BENCH, "BOX-M", "ok");
		for (guint i = 0; i < units->len; i++)
			st_demo_scan(demo, DEV_BENCH, g_ptr_array_index(units, i), "ok");
		expected = st_demo_expected_weight(demo, &tolerance);
		st_demo_weigh(demo, expected > tolerance + 60 ? expected - tolerance - 50 : 1,
			      "too-light");
		st_demo_scan(demo, DEV_BENCH, "OP-0099", "ok");
		st_demo_scan(demo, DEV_BENCH, "OP-0042", "ok");
	}
	{
		/* an order in two boxes */
		g_autoptr(GPtrArray) units = st_demo_units(8);
		if (demo->interrupted) /* Ctrl+C: the shift stops here */
			return TRUE;
		g_print(_("   an order in two boxes\n"));
		st_demo_scan(demo, DEV_BENCH, "ORD-2009", "ok");
		st_demo_scan(demo, DEV_BENCH, "BOX-M", "ok");
		st_demo_scan(demo, DEV_BENCH, g_ptr_array_index(units, 0), "ok");
		st_demo_scan(demo, DEV_BENCH, "CMD-NEW-BOX", "ok");
		st_demo_weigh(demo, st_demo_expected_weight(demo, NULL), "ok");
		st_demo_scan(demo, DEV_BENCH, "BOX-M", "ok");
		for (guint i = 1; i < units->len; i++)
			st_demo_scan(demo, DEV_BENCH, g_ptr_array_index(units, i), "ok");
		st_demo_weigh(demo, st_demo_expected_weight(demo, NULL), "ok");
	}
	{
		/* the central system cancels an order while it is on the bench */
		g_autoptr(GPtrArray) units = st_demo_units(7);
		g_autofree gchar *cancel = demo_order_json(7, "cancelled");
		g_autofree gchar *cmd = g_strdup_printf("orders [%s]", cancel);
		if (demo->interrupted) /* Ctrl+C: the shift stops here */
			return TRUE;
		g_print(_("   the central system cancels an order while it is being packed\n"));
		st_demo_scan(demo, DEV_BENCH, "ORD-2008", "ok");
		st_demo_scan(demo, DEV_BENCH, "BOX-M", "ok");
		st_demo_scan(demo, DEV_BENCH, g_ptr_array_index(units, 0), "ok");
		if (demo->central != NULL) {
			g_autofree gchar *answer = st_demo_central(demo, cmd, error);
			if (answer == NULL)
				return FALSE;
			if (!st_demo_wait(st_demo_order_cancelled, demo, (gpointer) "ORD-2008",
					  ANSWER_TIMEOUT_S) &&
			    !demo->interrupted) {
				g_print(_("  the cancellation did not arrive\n"));
				demo->unexpected++;
			}
			st_demo_scan(demo, DEV_BENCH, g_ptr_array_index(units, 1 % units->len),
				     "order-cancelled");
		} else {
			st_demo_scan(demo, DEV_BENCH, "CMD-CANCEL", "ok");
		}
	}
	for (guint n = 9; n < 10; n++)
		st_demo_pack(demo, n);

	/* 3. the dock: every parcel of the packed orders onto the manifest, then closed */
	if (demo->interrupted) /* Ctrl+C: the shift stops here */
		return TRUE;
	g_print(_("\n3. Loading the parcels at the dock, and closing the manifest\n"));
	st_demo_scan(demo, DEV_DOCK, "OP-0050", "ok");
	for (guint i = 0; i < G_N_ELEMENTS(shipped_orders); i++) {
		g_autofree gchar *number = g_strdup_printf("ORD-%u", 2001 + shipped_orders[i]);
		g_autoptr(StOrder) o = st_store_find_order(demo->store, number, NULL);
		g_autoptr(GPtrArray) parcels =
			o != NULL ? st_store_get_order_parcels(demo->store, o->id, NULL) : NULL;
		for (guint p = 0; parcels != NULL && p < parcels->len; p++) {
			const StParcel *parcel = g_ptr_array_index(parcels, p);
			g_autofree gchar *code = g_strconcat("00", parcel->reference, NULL);
			st_demo_scan(demo, DEV_DOCK, code, "ok");
		}
	}
	st_demo_scan(demo, DEV_DOCK, "CMD-DONE", "ok");
	return TRUE;
}

static gboolean
st_demo_rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;
	if (dir != NULL) {
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
			    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
				st_demo_rm_rf(child);
			else
				g_unlink(child);
		}
	}
	return g_rmdir(path) == 0;
}

static gint
cmp_gint64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
	return x < y ? -1 : x > y;
}

static gboolean
st_demo_sigint_cb(gpointer user_data)
{
	st_daemon_quit(user_data);
	return G_SOURCE_CONTINUE;
}

static gboolean
st_demo_interrupt_cb(gpointer user_data)
{
	StDemo *demo = user_data;
	demo->interrupted = TRUE;
	return G_SOURCE_CONTINUE;
}

static StConfig *
st_demo_config(const gchar *tmpdir, const gchar *central_url, const gchar *layout, gboolean usb)
{
	StConfig *config = st_config_new_default();
	g_autofree gchar *token_file = g_build_filename(tmpdir, "central-token", NULL);

	g_free(config->station_id);
	config->station_id = g_strdup("demo-bench");
	g_free(config->store_path);
	config->store_path = g_build_filename(tmpdir, "station.db", NULL);
	config->usb_enabled = usb;
	/* no printers at a demo: the label printer and the document printer are spool folders */
	for (guint i = 0; i < 2; i++) {
		StPrinterConfig *printer = g_new0(StPrinterConfig, 1);
		printer->name = g_strdup(i == 0 ? "label" : "document");
		printer->spool = g_build_filename(tmpdir, "spool", printer->name, NULL);
		printer->language = g_strdup(i == 0 ? "zpl" : "pdf");
		printer->dpi = i == 0 ? 203 : 300;
		g_ptr_array_add(config->printers, printer);
	}
	/* GS1's example company prefix 0614141, extension digit 0 */
	config->sscc_prefix = g_strdup("00614141");
	g_hash_table_insert(config->sender, g_strdup("name"), g_strdup("Example Warehouse"));
	g_hash_table_insert(config->sender, g_strdup("street"), g_strdup("1 Depot Road"));
	g_hash_table_insert(config->sender, g_strdup("postal-code"), g_strdup("10115"));
	g_hash_table_insert(config->sender, g_strdup("city"), g_strdup("Berlin"));
	g_hash_table_insert(config->sender, g_strdup("country"), g_strdup("DE"));
	if (central_url != NULL &&
	    g_file_set_contents_full(token_file, "demo-token\n", -1, G_FILE_SET_CONTENTS_CONSISTENT,
				     0600, NULL)) {
		config->central_url = g_strdup(central_url);
		config->central_token_file = g_strdup(token_file);
		config->central_pull_s = 1;
	}
	for (guint d = 0; d < N_DEV; d++) {
		StDeviceInfo *info = st_device_info_new(dev_ids[d], "emulated");
		g_autofree gchar *fifo = g_strdup_printf("%s/%s.fifo", tmpdir, dev_ids[d]);
		info->role = d == DEV_SCALE ? ST_DEVICE_ROLE_SCALE : ST_DEVICE_ROLE_SCANNER;
		st_device_info_set_option(info, "driver", "emulated");
		st_device_info_set_option(info, "script", fifo);
		if (d == DEV_SCALE) {
			st_device_info_set_option(info, "kind", "scale");
		} else {
			st_device_info_set_option(info, "key-interval", "1");
			if (layout != NULL)
				st_device_info_set_option(info, "layout", layout);
		}
		if (d == DEV_HANDHELD)
			g_hash_table_insert(config->device_workflows, g_strdup(dev_ids[d]),
					    g_strdup("pick"));
		if (d == DEV_DOCK)
			g_hash_table_insert(config->device_workflows, g_strdup(dev_ids[d]),
					    g_strdup("ship"));
		g_ptr_array_add(config->devices, info);
	}
	return config;
}

/* the catalogue's stock in its bins, as goods-in would book it; the boxes of the bench */
static gboolean
st_demo_goods_in(StStore *store, GError **error)
{
	const StBoxTypeSpec boxes[] = {
		{"S", "small box", "BOX-S", 90, 200, 150, 100, 3000},
		{"M", "medium box", "BOX-M", 180, 350, 250, 200, 10000},
		{"L", "large box", "BOX-L", 300, 500, 400, 300, 20000},
	};
	for (guint i = 0; i < G_N_ELEMENTS(boxes); i++) {
		if (!st_store_put_box_type(store, &boxes[i], error))
			return FALSE;
	}
	for (guint i = 0; i < N_PRODUCTS; i++) {
		g_autofree gchar *sku = g_strdup_printf("SKU-%03u", i);
		g_autofree gchar *bin = demo_bin(i % N_BINS);
		if (!st_store_change_stock(store,
					   &(StStockChange){.kind = ST_LEDGER_RECEIVE,
							    .sku = sku,
							    .quantity = 50,
							    .to = bin,
							    .no_event = TRUE},
					   NULL, error))
			return FALSE;
	}
	return TRUE;
}

/* the catalogue and orders without a central system: the same data, stored directly */
static gboolean
st_demo_seed_local(StStore *store, GError **error)
{
	const StOperatorSpec ops[] = {{"0042", "李伟", ST_OPERATOR_ROLE_PACKER, "zh-CN"},
				      {"0043", "Ana Costa", ST_OPERATOR_ROLE_PACKER, "en"},
				      {"0050", "Sam Okafor", ST_OPERATOR_ROLE_PICKER, "en"},
				      {"0099", "Maria Lopez", ST_OPERATOR_ROLE_LEAD, "en"}};
	for (guint i = 0; i < N_PRODUCTS; i++) {
		g_autofree gchar *sku = g_strdup_printf("SKU-%03u", i);
		g_autofree gchar *name =
			g_strdup_printf("%s #%u", kinds[i % G_N_ELEMENTS(kinds)], i);
		g_autofree gchar *gtin = demo_gtin(i);
		const gchar *barcodes[] = {gtin, NULL};
		if (!st_store_put_product(store,
					  &(StProductSpec){.sku = sku,
							   .name = name,
							   .weight_g = demo_weight(i),
							   .hs_code = demo_hs(i),
							   .origin_country = demo_origin(i),
							   .customs_value_cents = demo_value(i),
							   .barcodes = barcodes},
					  NULL, error))
			return FALSE;
	}
	for (guint i = 0; i < N_BINS + 4; i++) {
		g_autofree gchar *code =
			i < N_BINS ? demo_bin(i) : g_strdup_printf("TOTE-%02u", i - N_BINS + 1);
		StLocationSpec loc = {.code = code,
				      .kind = i < N_BINS ? "bin" : "tote",
				      .pick_sequence = i + 1};
		if (!st_store_put_location(store, &loc, error))
			return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(ops); i++) {
		if (!st_store_put_operator(store, &ops[i], error))
			return FALSE;
	}
	for (guint n = 0; n < N_ORDERS; n++) {
		g_autofree gchar *number = g_strdup_printf("ORD-%u", 2001 + n);
		guint products[3], quantities[3];
		guint count = demo_order_lines(n, products, quantities);
		g_auto(GStrv) skus = g_new0(gchar *, 4);
		StOrderLineSpec lines[3];
		for (guint k = 0; k < count; k++) {
			skus[k] = g_strdup_printf("SKU-%03u", products[k]);
			lines[k] = (StOrderLineSpec){skus[k], quantities[k]};
		}
		guint a = n % G_N_ELEMENTS(ship_to);
		StAddress to = {.name = ship_to[a].name,
				.street1 = ship_to[a].street,
				.city = ship_to[a].city,
				.postal_code = ship_to[a].postal,
				.country = ship_to[a].country};
		if (!st_store_put_order(store,
					&(StOrderSpec){.number = number,
						       .status = ST_ORDER_STATUS_RELEASED,
						       .ship_to = &to,
						       .lines = lines,
						       .n_lines = count},
					NULL, error))
			return FALSE;
	}
	return TRUE;
}

gint
st_demo_run(gint argc, gchar **argv)
{
	gboolean keep = FALSE;
	gboolean verbose = FALSE;
	gboolean interactive = FALSE;
	g_autofree gchar *layout = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmpdir = NULL;
	g_autofree gchar *central_bin = NULL;
	g_autofree gchar *central_url = NULL;
	g_autoptr(StDaemon) daemon = NULL;
	g_autoptr(GArray) latency = g_array_new(FALSE, FALSE, sizeof(gint64));
	StDemo demo = {.latency_us = latency};
	StStoreSummary summary = {0};
	gint rc, status = 0;
	guint interrupt_id = 0;
	GOptionEntry entries[] = {
		{"interactive", 'i', 0, G_OPTION_ARG_NONE, &interactive,
		 N_("Set the bench up and leave it running for you: the screen at "
		    "http://127.0.0.1:8080, the devices' pipes, a real USB scanner if one is "
		    "plugged in; Ctrl+C ends it"),
		 NULL},
		{"keep", 'k', 0, G_OPTION_ARG_NONE, &keep,
		 N_("Keep the demo's folder (database, spool folders) instead of deleting it"),
		 NULL},
		{"layout", 'l', 0, G_OPTION_ARG_STRING, &layout,
		 N_("Keyboard layout of the emulated scanners, such as de or fr (default: us)"),
		 N_("LAYOUT")},
		{"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
		 N_("Also show the daemon's log (state changes, devices, the sync)"), NULL},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("Run a whole shift of a bench on a temporary database, with nothing to set up:\n"
		   "the reference central order system on loopback with 300 products and 100\n"
		   "orders, emulated scanners and a scale, labels to spool folders. A batch is\n"
		   "picked, orders packed (mistakes caught, a weight let go by the lead, two\n"
		   "boxes, an order cancelled mid-pack), the parcels loaded and the manifest\n"
		   "closed; then the events delivered and a summary. Exit status 0 when every\n"
		   "answer was the one expected."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "demo", &argc, &argv, 0)) >= 0)
		return rc;
	st_log_set_threshold(verbose ? G_LOG_LEVEL_INFO : G_LOG_LEVEL_WARNING);
	/* each answer shown as it comes, into a pipe (| tee) too */
	setvbuf(stdout, NULL, _IOLBF, 0);
	demo.verbose = verbose;
	for (guint d = 0; d < N_DEV; d++)
		demo.fifo[d] = -1;

	tmpdir = g_dir_make_tmp("station-demo-XXXXXX", &error);
	if (tmpdir == NULL) {
		g_printerr(_("station demo: cannot make a temporary folder: %s\n"), error->message);
		return 1;
	}
	/* Ctrl+C from here to the end stops the demo where it is, and what it started and made
	 * is still stopped and removed (out:); the shift's steps look at it between answers */
	interrupt_id = g_unix_signal_add(SIGINT, st_demo_interrupt_cb, &demo);
	for (guint d = 0; d < N_DEV; d++) {
		g_autofree gchar *fifo = g_strdup_printf("%s/%s.fifo", tmpdir, dev_ids[d]);
		if (mkfifo(fifo, 0600) != 0) {
			g_printerr(_("station demo: cannot make %s: %s\n"), fifo,
				   g_strerror(errno));
			status = 1;
			goto out;
		}
	}

	central_bin = st_demo_find_central();
	if (central_bin != NULL) {
		central_url = st_demo_central_start(&demo, central_bin, &error);
		if (central_url == NULL || !st_demo_central_seed(&demo, &error)) {
			g_printerr(_("station demo: the reference central system: %s\n"),
				   error != NULL ? error->message : "?");
			status = 1;
			goto out;
		}
	}

	daemon = st_daemon_new(st_demo_config(tmpdir, central_url, layout, interactive));
	demo.daemon = daemon;
	demo.store = st_daemon_get_store(daemon);
	g_signal_connect(st_daemon_get_router(daemon), "verdict", G_CALLBACK(st_demo_verdict_cb),
			 &demo);
	g_signal_connect(daemon, "scan-failed", G_CALLBACK(st_demo_scan_failed_cb), &demo);
	if (central_url == NULL) {
		/* the data stored directly, as imports would, before the daemon opens it */
		g_autoptr(StStore) store = st_store_new("demo-bench");
		g_autofree gchar *db = g_build_filename(tmpdir, "station.db", NULL);
		if (!st_store_open(store, db, 5000, &error) || !st_demo_seed_local(store, &error)) {
			g_printerr(_("station demo: preparing the demo database failed: %s\n"),
				   error->message);
			status = 1;
			goto out;
		}
		st_store_close(store);
	}
	if (!st_daemon_start(daemon, &error)) {
		g_printerr(_("station demo: %s\n"), error->message);
		status = 1;
		goto out;
	}
	st_bench_print_set_keep(st_daemon_get_bench_print(daemon), TRUE);
	for (guint d = 0; d < N_DEV; d++) {
		g_autofree gchar *fifo = g_strdup_printf("%s/%s.fifo", tmpdir, dev_ids[d]);
		demo.fifo[d] = g_open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
	}
	for (guint i = 0; i < st_daemon_get_devices(daemon)->len; i++) {
		StDevice *device = g_ptr_array_index(st_daemon_get_devices(daemon), i);
		g_signal_connect(device, "scan", G_CALLBACK(st_demo_device_scan_cb), &demo);
	}

	g_print(_("station demo: a shift at bench demo-bench\n"));
	g_print(_("  folder:          %s\n"), tmpdir);
	if (central_url != NULL)
		g_print(_("  central system:  %s (the reference implementation, on loopback)\n"),
			central_url);
	else
		g_print(_("  central system:  none found (build it with make, or set "
			  "ST_CENTRAL_BIN): the data is stored directly and the events wait in "
			  "the outbox\n"));
	{
		/* the bench's screen follows its seat with a device token, as a bench whose
		 * scanner the station reads does (station token create) */
		g_autofree gchar *token = st_api_token_new();
		g_autofree gchar *hash = st_api_token_hash(token);
		const gchar *seat = st_scan_router_get_seat_name(st_daemon_get_router(daemon),
								 dev_ids[DEV_BENCH]);
		const gchar *uri = st_daemon_get_api_uri(daemon);
		if (uri == NULL)
			g_print(_("  screen:          none: the API did not start (said above)\n"));
		else if (st_store_add_api_token(demo.store, "demo-screen", ST_OPERATOR_ROLE_PACKER,
						hash, NULL) > 0)
			g_print(_("  screen:          %s?seat=%s#token=%s\n"), uri,
				seat != NULL ? seat : "bench", token);
	}
	if (central_url != NULL && !st_demo_wait(st_demo_pulled, &demo, NULL, 60)) {
		if (!demo.interrupted)
			g_printerr(_("station demo: the orders did not arrive from the central "
				     "system\n"));
		status = 1;
		goto out;
	}
	if (demo.interrupted)
		goto out;
	if (!st_demo_goods_in(demo.store, &error)) {
		g_printerr(_("station demo: booking the stock in failed: %s\n"), error->message);
		status = 1;
		goto out;
	}
	if (central_url != NULL)
		g_print(_("  pulled:          %u products, %u orders, four operators (one reads "
			  "Chinese)\n"),
			N_PRODUCTS, N_ORDERS);
	else
		g_print(_("  stored:          %u products, %u orders, four operators (one reads "
			  "Chinese)\n"),
			N_PRODUCTS, N_ORDERS);

	if (interactive) {
		/* Ctrl+C ends the bench left running: no shift to stop */
		guint id;
		g_source_remove(interrupt_id);
		interrupt_id = 0;
		id = g_unix_signal_add(SIGINT, st_demo_sigint_cb, daemon);
		g_print(_("\nThe bench is yours. Scan with a USB scanner, or type into a device's "
			  "pipe:\n"
			  "  echo 'type OP-0042' > %s/bench-scanner.fifo      (the packer's "
			  "badge)\n"
			  "  echo 'type ORD-2001' > %s/bench-scanner.fifo     (an order)\n"
			  "  echo 'weight stable 500 g' > %s/bench-scale.fifo\n"
			  "Badges: OP-0042 (packer, Chinese), OP-0043 (packer), OP-0050 (picker), "
			  "OP-0099 (lead). Ctrl+C ends the demo.\n"),
			tmpdir, tmpdir, tmpdir);
		st_daemon_run(daemon);
		g_source_remove(id);
		goto out;
	}

	if (!st_demo_shift(&demo, &error)) {
		g_printerr(_("station demo: %s\n"), error->message);
		status = 1;
		goto out;
	}
	if (demo.interrupted)
		goto out;

	g_print(_("\n4. What the bench printed by itself\n"));
	{
		StBenchPrint *print = st_daemon_get_bench_print(daemon);
		g_autoptr(GPtrArray) done = NULL;
		gint64 until = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
		while (st_bench_print_get_pending(print) > 0 && g_get_monotonic_time() < until &&
		       !demo.interrupted)
			g_main_context_iteration(NULL, TRUE);
		done = st_bench_print_take_done(print);
		for (guint i = 0; i < done->len; i++) {
			const gchar *line = g_ptr_array_index(done, i);
			g_print("  %s\n", line);
			if (strstr(line, ": completed: ") != NULL)
				demo.printed++;
			else
				demo.unexpected++; /* every print of the shift is expected to print
						    */
		}
		if (done->len == 0) {
			g_print(_("  nothing printed\n"));
			demo.unexpected++;
		}
	}

	g_print(_("\n5. The events, delivered to the central system\n"));
	if (central_url != NULL) {
		g_autofree gchar *stats = NULL;
		if (!st_demo_wait(st_demo_outbox_empty, &demo, NULL, 60)) {
			g_print(_("  the outbox did not empty\n"));
			demo.unexpected++;
		}
		stats = st_demo_central(&demo, "stats", NULL);
		g_print(_("  the central system holds: %s\n"), stats != NULL ? stats : "?");
	} else {
		g_print(_("  none: without a central system they wait in the outbox\n"));
	}
	if (!st_store_get_summary(demo.store, &summary, &error)) {
		g_printerr(_("station demo: %s\n"), error->message);
		status = 1;
		goto out;
	}
	{
		StOutboxStatus ob = {0};
		gdouble median = 0, p99 = 0;
		st_store_outbox_status(demo.store, &ob, NULL);
		g_array_sort(latency, cmp_gint64);
		if (latency->len > 0) {
			median = g_array_index(latency, gint64, latency->len / 2) / 1000.0;
			p99 = g_array_index(latency, gint64,
					    MIN(latency->len - 1, latency->len * 99 / 100)) /
			      1000.0;
		}
		guint packed = 0, shipped = 0, parcels = 0;
		for (guint n = 0; n < N_ORDERS; n++) {
			g_autofree gchar *number = g_strdup_printf("ORD-%u", 2001 + n);
			g_autoptr(StOrder) o = st_store_find_order(demo.store, number, NULL);
			if (o == NULL)
				continue;
			if (o->status == ST_ORDER_STATUS_PACKED ||
			    o->status == ST_ORDER_STATUS_SHIPPED)
				packed++;
			if (o->status == ST_ORDER_STATUS_SHIPPED)
				shipped++;
			parcels += st_store_count_parcels(demo.store, o, NULL);
		}
		g_print(_("\nsummary: %u scans and weighings answered, %u of them refused as they "
			  "should be; %u orders packed in %u parcels, %u shipped; %u labels and "
			  "documents printed; %u events delivered to the central system, %u "
			  "waiting; a scan to its durable answer: median %.2f ms, p99 %.2f ms (%u "
			  "scans)\n"),
			demo.scans, demo.refused, packed, parcels, shipped, demo.printed,
			ob.delivered, ob.pending, median, p99, latency->len);
		st_outbox_status_clear(&ob);
	}
	if (demo.unexpected > 0 || demo.failures > 0) {
		g_printerr(_("station demo: answers that were not the ones expected: %u\n"),
			   demo.unexpected + demo.failures);
		status = 1;
	}

out:
	if (demo.interrupted) {
		/* with --keep, "kept:" below names the folder with what was done */
		g_printerr(_("\nstation demo: stopped (Ctrl+C) before the end of the shift\n"));
		status = 1;
	}
	if (interrupt_id != 0)
		g_source_remove(interrupt_id);
	for (guint d = 0; d < N_DEV; d++) {
		if (demo.fifo[d] >= 0)
			close(demo.fifo[d]);
	}
	if (daemon != NULL)
		st_daemon_stop(daemon);
	if (demo.central != NULL) {
		/* the end of its standard input ends it */
		g_output_stream_close(demo.central_in, NULL, NULL);
		g_subprocess_wait(demo.central, NULL, NULL);
		g_clear_object(&demo.central_in);
		g_clear_object(&demo.central_out);
		g_clear_object(&demo.central);
	}
	st_verdict_free(demo.last);
	if (keep)
		g_print(_("kept: %s\n"), tmpdir);
	else
		st_demo_rm_rf(tmpdir);
	return status;
}
