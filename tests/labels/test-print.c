/*
 * Printing through a real, private CUPS (tests/st-test-cups.c): a raw queue "label" to a TCP
 * sink that stores what arrives, and an IPP Everywhere queue "document" to ippeveprinter.
 * Labels are stored in a real SQLite store; jobs are followed on the main loop.
 */
#include <stdarg.h>
#include <signal.h>
#include <string.h>

#include "station/st-error.h"
#include "station/st-print.h"

#include "st-config.h"
#include "st-label-data.h"
#include "st-printing.h"
#include "st-test-cups.h"
#include "st-test-util.h"

typedef struct {
	StTestCups *cups;
	gchar *dir;
	StStore *store;
	StConfig *config;
	StPrinting *printing;
	GPtrArray *changes; /* StPrintProgress copies */
} Fixture;

static const gchar zpl_label[] = "^XA^CI28^FO50,50^A0N,40,40^FH_^FDstation test _5E label^FS"
				 "^FO50,120^BY2^BCN,80,Y,N,N^FD1Z999AA10123456784^FS^XZ";

/* warnings are collected, and each test says which it expected: one it did not fails it */
static GPtrArray *warnings;

static GLogWriterOutput
log_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	if (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL)) {
		for (gsize i = 0; i < n_fields; i++) {
			if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
				g_ptr_array_add(warnings, g_strdup(fields[i].value));
		}
		if (level & G_LOG_LEVEL_CRITICAL)
			g_error("critical logged");
		return G_LOG_WRITER_HANDLED;
	}
	return g_log_writer_default(level, fields, n_fields, user_data);
}

/* removes the warnings that hold @part; at least one must */
static void
expect_warning(const gchar *part)
{
	guint found = 0;
	for (guint i = 0; i < warnings->len;) {
		if (strstr(g_ptr_array_index(warnings, i), part) != NULL) {
			g_ptr_array_remove_index(warnings, i);
			found++;
		} else {
			i++;
		}
	}
	if (found == 0)
		g_error("no warning with '%s' was logged", part);
}

static void
on_change(StPrinting *printing, StPrintProgress *p, gpointer user_data)
{
	Fixture *fx = user_data;
	g_ptr_array_add(fx->changes, g_boxed_copy(st_print_progress_get_type(), p));
}

static void
fixture_set_up(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *missing = st_test_cups_missing(GPOINTER_TO_INT(data));
	g_autofree gchar *db = NULL;
	g_autofree gchar *conf = NULL;
	const gchar *products[] = {"4006381333931", NULL};
	StProductSpec product = {"PEN-BLK", "Black pen", 12};
	StOrderLineSpec line = {"PEN-BLK", 1};
	StOrderSpec order = {"ORD-1001", ST_ORDER_STATUS_PACKING, NULL, NULL, NULL, &line, 1};

	g_ptr_array_set_size(warnings, 0);
	if (missing != NULL) {
		g_test_skip(missing);
		return;
	}
	fx->cups = st_test_cups_start(GPOINTER_TO_INT(data), &error);
	g_assert_no_error(error);
	fx->dir = st_test_tmpdir_new();
	db = g_build_filename(fx->dir, "station.db", NULL);
	conf = g_strdup_printf("[station]\nid = bench-7\n[store]\npath = %s\n[cups]\nserver = %s\n"
			       "poll-interval = 50\n[printer document]\nqueue = document\n"
			       "language = pdf\nmedia = iso_a4_210x297mm\n"
			       "[printer wrong-media]\nqueue = document\nlanguage = pdf\n"
			       "media = na_index-4x6_4x6in\n",
			       db, fx->cups->socket);
	fx->config = st_config_load_data(conf, strlen(conf), "test.conf", &error);
	g_assert_no_error(error);
	fx->store = st_store_new("bench-7");
	g_assert_true(st_store_open(fx->store, db, 1000, &error));
	g_assert_no_error(error);
	g_assert_true(st_store_put_product(fx->store, &product, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(
		st_store_put_barcode(fx->store, "PEN-BLK", products[0], ST_PACK_UNIT, 1, &error));
	g_assert_true(st_store_put_order(fx->store, &order, NULL, &error));
	g_assert_no_error(error);
	fx->printing = st_printing_new(fx->store, fx->config);
	fx->changes = g_ptr_array_new_with_free_func((GDestroyNotify)st_print_progress_free);
	g_signal_connect(fx->printing, "print-changed", G_CALLBACK(on_change), fx);
}

static void
fixture_tear_down(Fixture *fx, gconstpointer data)
{
	g_clear_object(&fx->printing);
	g_clear_object(&fx->store);
	st_config_free(fx->config);
	st_test_cups_free(fx->cups);
	st_test_tmpdir_free(fx->dir);
	if (fx->changes != NULL)
		g_ptr_array_unref(fx->changes);
	for (guint i = 0; i < warnings->len; i++)
		g_printerr("unexpected warning: %s\n",
			   (const gchar *)g_ptr_array_index(warnings, i));
	g_assert_cmpuint(warnings->len, ==, 0);
}

static gint64
put_label(Fixture *fx, const gchar *format, const void *data, gsize len, const gchar *order)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) content = g_bytes_new(data, len);
	StLabelSpec spec = {"carrier", "test",	format, 203,
			    NULL,      content, order,	"1Z999AA10123456784"};
	gint64 id = 0;
	g_assert_true(st_store_put_label(fx->store, &spec, &id, NULL, &error));
	g_assert_no_error(error);
	return id;
}

typedef struct {
	gboolean done;
	StPrintProgress *progress;
	GError *error;
} PrintResult;

static void
print_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	PrintResult *r = user_data;
	r->progress = st_printing_print_finish(ST_PRINTING(source), result, &r->error);
	r->done = TRUE;
}

/* prints and returns the first state (or the error), which is also added to the changes */
static StPrintProgress *
print_label(Fixture *fx, gint64 label_id, const gchar *printer, gboolean reprint, GError **error)
{
	PrintResult r = {FALSE, NULL, NULL};
	st_printing_print_async(fx->printing, label_id, printer, reprint, "tester", NULL,
				print_done, &r);
	while (!r.done)
		g_main_context_iteration(NULL, TRUE);
	if (r.error != NULL)
		g_propagate_error(error, r.error);
	/* the first state is a state seen too: on a busy machine CUPS may already say what
	 * wait_for() waits for when the submission returns, and then no later change says it */
	if (r.progress != NULL)
		g_ptr_array_add(fx->changes,
				g_boxed_copy(st_print_progress_get_type(), r.progress));
	return r.progress;
}

static gboolean
tick_cb(gpointer user_data)
{
	return G_SOURCE_CONTINUE;
}

/* the main loop runs until the print has a change with @state, with @attention (when
 * @state is NULL), or any final state (when @state is "final"); ending in another final
 * state fails */
static const StPrintProgress *
wait_for(Fixture *fx, gint64 print_id, const gchar *state, StPrintAttention attention)
{
	gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
	guint seen = 0;
	/* wakes the loop up when nothing else does */
	guint tick = g_timeout_add(100, tick_cb, NULL);
	while (g_get_monotonic_time() < deadline) {
		for (; seen < fx->changes->len; seen++) {
			const StPrintProgress *p = g_ptr_array_index(fx->changes, seen);
			gboolean final = st_print_state_is_final(p->state);
			if (p->print_id != print_id)
				continue;
			if ((state != NULL && g_strcmp0(p->state, state) == 0) ||
			    (g_strcmp0(state, "final") == 0 && final) ||
			    (state == NULL && p->status != NULL &&
			     p->status->attention == attention)) {
				g_source_remove(tick);
				return p;
			}
			if (final)
				g_error("print %" G_GINT64_FORMAT " ended %s: %s", print_id,
					p->state, p->message);
		}
		g_main_context_iteration(NULL, TRUE);
	}
	{
		/* what was seen of it, and what CUPS says now, so a failure here can be read */
		g_autoptr(GString) seen_str = g_string_new(NULL);
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) queues = NULL;
		for (guint i = 0; i < fx->changes->len; i++) {
			const StPrintProgress *p = g_ptr_array_index(fx->changes, i);
			g_autofree gchar *reasons =
				p->status != NULL && p->status->printer_reasons != NULL
					? g_strjoinv(",", p->status->printer_reasons)
					: g_strdup("");
			if (p->print_id == print_id)
				g_string_append_printf(
					seen_str, " [%s: %s; printer %s reasons %s message %s]",
					p->state, p->message,
					p->status != NULL ? st_printer_state_to_string(
								    p->status->printer_state)
							  : "?",
					reasons,
					p->status != NULL ? p->status->printer_message : "?");
		}
		queues = st_printer_get_queues(fx->cups->socket, &error);
		for (guint i = 0; queues != NULL && i < queues->len; i++) {
			g_autofree gchar *q = st_print_queue_describe(g_ptr_array_index(queues, i));
			g_string_append_printf(seen_str, " {queue: %s}", q);
		}
		g_error("print %" G_GINT64_FORMAT " never reached %s/%s; seen:%s", print_id, state,
			st_print_attention_to_string(attention), seen_str->str);
	}
	return NULL;
}

/* the main loop runs until the sink holds @n documents */
static void
wait_received(Fixture *fx, guint n)
{
	gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
	guint tick = g_timeout_add(100, tick_cb, NULL);
	while (fx->cups->received->len < n && g_get_monotonic_time() < deadline)
		g_main_context_iteration(NULL, TRUE);
	g_source_remove(tick);
	g_assert_cmpuint(fx->cups->received->len, ==, n);
}

static StPrintRecord *
last_print(Fixture *fx, gint64 label_id)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) prints = st_store_get_prints(fx->store, label_id, FALSE, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(prints->len, ==, 1);
	return g_steal_pointer(&g_ptr_array_index(prints, 0));
}

static void
test_zpl_raw(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPrintProgress) first = NULL;
	g_autoptr(StPrintRecord) rec = NULL;
	g_autoptr(GPtrArray) outbox = NULL;
	gint64 label;
	GBytes *got;

	if (fx->cups == NULL)
		return;
	label = put_label(fx, "zpl", zpl_label, strlen(zpl_label), "ORD-1001");
	first = print_label(fx, label, NULL, FALSE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(first->status);
	g_assert_cmpint(first->status->id, >, 0);
	wait_for(fx, first->print_id, "completed", 0);
	wait_received(fx, 1);
	got = g_ptr_array_index(fx->cups->received, 0);
	/* byte for byte: no filter touched the ZPL */
	g_assert_cmpmem(g_bytes_get_data(got, NULL), g_bytes_get_size(got), zpl_label,
			strlen(zpl_label));
	rec = last_print(fx, label);
	g_assert_cmpstr(rec->state, ==, "completed");
	g_assert_cmpint(rec->cups_job_id, ==, first->status->id);
	g_assert_cmpstr(rec->queue, ==, "label");
	/* a print the store still has as pending at a job CUPS finished (a station serve that
	 * stopped before it heard the end): asked about once, its end is stored */
	{
		gint64 stale = 0;
		g_autoptr(StPrintRecord) again = NULL;
		g_assert_true(st_store_begin_print(fx->store, label, "label", "label", TRUE,
						   "tester", &stale, &error));
		g_assert_true(
			st_store_print_submitted(fx->store, stale, first->status->id, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(st_printing_refresh(fx->printing, &error), ==, 1);
		g_assert_no_error(error);
		again = last_print(fx, label);
		g_assert_cmpint(again->id, ==, stale);
		g_assert_cmpstr(again->state, ==, "completed");
	}
	g_assert_nonnull(rec->finished_at);
	g_assert_cmpstr(rec->operator_name, ==, "tester");
	/* the central system is told, in the same transaction as the state */
	outbox = st_store_get_outbox(fx->store, &error);
	g_assert_no_error(error);
	{
		gboolean found = FALSE;
		for (guint i = 0; i < outbox->len; i++) {
			StOutboxEvent *e = g_ptr_array_index(outbox, i);
			if (g_strcmp0(e->kind, "label.printed") == 0) {
				found = TRUE;
				g_assert_cmpstr(e->order_number, ==, "ORD-1001");
				g_assert_nonnull(strstr(e->payload, "\"reference\":"
								    "\"1Z999AA10123456784\""));
			}
		}
		g_assert_true(found);
	}
	g_assert_cmpuint(st_printing_get_n_followed(fx->printing), ==, 0);
}

static void
test_no_double_print(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPrintProgress) first = NULL;
	g_autoptr(StPrintProgress) again = NULL;
	g_autoptr(StPrintProgress) reprint = NULL;
	g_autoptr(GPtrArray) prints = NULL;
	gint64 label, same;

	if (fx->cups == NULL)
		return;
	label = put_label(fx, "zpl", zpl_label, strlen(zpl_label), NULL);
	first = print_label(fx, label, "label", FALSE, &error);
	g_assert_no_error(error);
	wait_for(fx, first->print_id, "completed", 0);

	/* the same bytes stored again are the same label, and it is not printed again */
	same = put_label(fx, "zpl", zpl_label, strlen(zpl_label), NULL);
	g_assert_cmpint(same, ==, label);
	again = print_label(fx, same, "label", FALSE, &error);
	g_assert_null(again);
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_EXISTS);
	g_assert_nonnull(strstr(error->message, "--reprint"));
	g_clear_error(&error);

	/* asked for, it prints again */
	reprint = print_label(fx, label, "label", TRUE, &error);
	g_assert_no_error(error);
	wait_for(fx, reprint->print_id, "completed", 0);
	wait_received(fx, 2);
	g_assert_true(g_bytes_equal(g_ptr_array_index(fx->cups->received, 0),
				    g_ptr_array_index(fx->cups->received, 1)));
	prints = st_store_get_prints(fx->store, label, FALSE, 0, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(prints->len, ==, 2);
	g_assert_true(((StPrintRecord *)g_ptr_array_index(prints, 0))->reprint);
	g_assert_false(((StPrintRecord *)g_ptr_array_index(prints, 1))->reprint);
}

static void
test_paused(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPrintProgress) first = NULL;
	gint64 label;

	if (fx->cups == NULL)
		return;
	g_assert_true(st_test_cups_run(fx->cups, &error, "cupsdisable", "label", NULL));
	g_assert_no_error(error);
	label = put_label(fx, "zpl", zpl_label, strlen(zpl_label), NULL);
	first = print_label(fx, label, NULL, FALSE, &error);
	g_assert_no_error(error);
	/* at once: the first state already says the queue is paused */
	g_assert_cmpint(first->status->attention, ==, ST_PRINT_ATTENTION_PAUSED);
	g_assert_cmpstr(first->state, ==, "pending");
	g_assert_nonnull(strstr(first->message, "paused"));
	g_assert_nonnull(strstr(first->message, "cupsenable label"));
	g_assert_cmpuint(fx->cups->received->len, ==, 0);
	/* stored with what the operator was told */
	{
		g_autoptr(StPrintRecord) rec = last_print(fx, label);
		g_assert_cmpstr(rec->state, ==, "pending");
		g_assert_nonnull(strstr(rec->message, "paused"));
	}
	/* resumed, the held job prints by itself */
	g_assert_true(st_test_cups_run(fx->cups, &error, "cupsenable", "label", NULL));
	wait_for(fx, first->print_id, "completed", 0);
	wait_received(fx, 1);
	expect_warning("queue label is paused");
}

static void
test_cancel(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPrintProgress) first = NULL;
	g_autoptr(StPrintProgress) other = NULL;
	g_autoptr(StPrintJobStatus) job = NULL;
	static const gchar second[] = "^XA^FO10,10^A0N,30,30^FDsecond^FS^XZ";
	gint64 label, next, never, id = 0;
	guint cancelled = 0;
	gsize len = 0;
	const gchar *got;

	if (fx->cups == NULL)
		return;
	g_assert_true(st_test_cups_run(fx->cups, &error, "cupsdisable", "label", NULL));
	label = put_label(fx, "zpl", zpl_label, strlen(zpl_label), NULL);
	first = print_label(fx, label, NULL, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(first->state, ==, "pending");
	expect_warning("queue label is paused");

	/* cancelled while the printer is paused: in CUPS and in the store */
	g_assert_true(st_printing_cancel(fx->printing, label, "tester", &cancelled, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(cancelled, ==, 1);
	{
		g_autoptr(StPrintRecord) rec = last_print(fx, label);
		g_assert_cmpstr(rec->state, ==, "cancelled");
		g_assert_nonnull(strstr(rec->message, "cancelled by tester"));
		job = st_printer_get_job(fx->cups->socket, "label", rec->cups_job_id, &error);
		g_assert_no_error(error);
		g_assert_cmpint(job->state, ==, ST_PRINT_JOB_CANCELED);
	}
	/* nothing left to cancel: said how the latest print ended; a label never printed */
	g_assert_false(st_printing_cancel(fx->printing, label, "tester", &cancelled, &error));
	g_assert_error(error, ST_SERVICE_ERROR, ST_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "ended cancelled"));
	g_clear_error(&error);
	never = put_label(fx, "zpl", second, strlen(second), NULL);
	g_assert_false(st_printing_cancel(fx->printing, never, "tester", &cancelled, &error));
	g_assert_error(error, ST_SERVICE_ERROR, ST_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* the queue resumed, the next label is the first to arrive: the cancelled job never
	 * prints (CUPS takes a queue's jobs in order) */
	g_assert_true(st_test_cups_run(fx->cups, &error, "cupsenable", "label", NULL));
	next = never;
	other = print_label(fx, next, NULL, FALSE, &error);
	g_assert_no_error(error);
	wait_for(fx, other->print_id, "completed", 0);
	wait_received(fx, 1);
	got = g_bytes_get_data(g_ptr_array_index(fx->cups->received, 0), &len);
	g_assert_cmpmem(got, len, second, strlen(second));
	/* a cancelled label prints again without --reprint: nothing of it came out */
	g_assert_true(
		st_store_begin_print(fx->store, label, "label", "label", FALSE, NULL, &id, &error));
	g_assert_no_error(error);
}

static void
test_rejecting(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPrintProgress) first = NULL;
	g_autoptr(StPrintProgress) second = NULL;
	gint64 label;

	if (fx->cups == NULL)
		return;
	g_assert_true(st_test_cups_run(fx->cups, &error, "cupsreject", "label", NULL));
	label = put_label(fx, "zpl", zpl_label, strlen(zpl_label), NULL);
	first = print_label(fx, label, NULL, FALSE, &error);
	g_assert_null(first);
	g_assert_error(error, ST_PRINT_ERROR, ST_ERROR_REFUSED);
	g_assert_nonnull(strstr(error->message, "cupsaccept label"));
	g_clear_error(&error);
	expect_warning("refuses new jobs");
	{
		g_autoptr(StPrintRecord) rec = last_print(fx, label);
		g_assert_cmpstr(rec->state, ==, "failed");
		g_assert_cmpint(rec->cups_job_id, ==, 0);
	}
	/* nothing printed, so printing it again needs no --reprint */
	g_assert_true(st_test_cups_run(fx->cups, &error, "cupsaccept", "label", NULL));
	second = print_label(fx, label, NULL, FALSE, &error);
	g_assert_no_error(error);
	wait_for(fx, second->print_id, "completed", 0);
	wait_received(fx, 1);
}

static void
test_unreachable(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPrintProgress) first = NULL;
	const StPrintProgress *p;
	gint64 label;

	if (fx->cups == NULL)
		return;
	st_test_cups_sink_stop(fx->cups);
	label = put_label(fx, "zpl", zpl_label, strlen(zpl_label), NULL);
	first = print_label(fx, label, NULL, FALSE, &error);
	g_assert_no_error(error);
	p = wait_for(fx, first->print_id, NULL, ST_PRINT_ATTENTION_UNREACHABLE);
	g_assert_cmpstr(p->state, ==, "processing");
	g_assert_nonnull(strstr(p->message, "does not answer"));
	{
		g_autoptr(StPrintRecord) rec = last_print(fx, label);
		g_assert_nonnull(strstr(rec->message, "does not answer"));
	}
	/* the printer comes back: CUPS retries and the label prints, once */
	g_assert_true(st_test_cups_sink_start(fx->cups, &error));
	g_assert_no_error(error);
	wait_for(fx, first->print_id, "completed", 0);
	wait_received(fx, 1);
	expect_warning("does not answer");
}

static void
test_refusals(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPrintProgress) p = NULL;
	static const gchar pdf[] = "%PDF-1.4\n%%EOF\n";
	gint64 zpl, pdf_label;

	if (fx->cups == NULL)
		return;
	zpl = put_label(fx, "zpl", zpl_label, strlen(zpl_label), NULL);
	/* an unknown queue: refused by CUPS before anything prints, recorded as failed */
	p = print_label(fx, zpl, "no-such-queue", FALSE, &error);
	g_assert_null(p);
	g_assert_error(error, ST_PRINT_ERROR, ST_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "no printer queue 'no-such-queue'"));
	g_clear_error(&error);
	expect_warning("no printer queue 'no-such-queue'");
	/* a PDF to the ZPL printer: refused before any job */
	pdf_label = put_label(fx, "pdf", pdf, strlen(pdf), NULL);
	p = print_label(fx, pdf_label, "label", FALSE, &error);
	g_assert_null(p);
	g_assert_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "takes zpl and this label is pdf"));
	g_clear_error(&error);
	{
		g_autoptr(GPtrArray) prints =
			st_store_get_prints(fx->store, pdf_label, FALSE, 0, &error);
		g_assert_cmpuint(prints->len, ==, 0);
	}
	/* an unknown label */
	p = print_label(fx, 999, NULL, FALSE, &error);
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND);
	g_clear_error(&error);
	/* no scheduler at all */
	{
		g_autoptr(GPtrArray) queues =
			st_printer_get_queues("/nonexistent/cups.sock", &error);
		g_assert_null(queues);
		g_assert_error(error, ST_PRINT_ERROR, ST_ERROR_IO);
		g_assert_nonnull(strstr(error->message, "does not answer"));
	}
	g_assert_cmpuint(fx->cups->received->len, ==, 0);
}

/* a crash between recording the print and CUPS taking it: found again by its job name */
static void
test_recover(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *title = NULL;
	gint64 lost, taken, lost_print, taken_print;
	gint job = 0;
	StPrintRequest request = {"label", "application/vnd.cups-raw", NULL, NULL, 1};
	static const gchar other[] = "^XA^FO10,10^A0N,30,30^FDother^FS^XZ";

	if (fx->cups == NULL)
		return;
	lost = put_label(fx, "zpl", zpl_label, strlen(zpl_label), NULL);
	taken = put_label(fx, "zpl", other, strlen(other), NULL);
	g_assert_true(st_store_begin_print(fx->store, lost, "label", "label", FALSE, NULL,
					   &lost_print, &error));
	g_assert_true(st_store_begin_print(fx->store, taken, "label", "label", FALSE, NULL,
					   &taken_print, &error));
	g_assert_no_error(error);
	/* the second reached CUPS under the station's job name before the "crash" */
	title = g_strdup_printf("station bench-7 label %" G_GINT64_FORMAT
				" print %" G_GINT64_FORMAT,
				taken, taken_print);
	request.title = title;
	bytes = g_bytes_new_static(other, strlen(other));
	g_assert_true(st_printer_submit(fx->cups->socket, &request, bytes, &job, &error));
	g_assert_no_error(error);

	g_assert_cmpuint(st_printing_recover(fx->printing, &error), ==, 1);
	g_assert_no_error(error);
	{
		g_autoptr(StPrintRecord) rec = last_print(fx, lost);
		g_assert_cmpstr(rec->state, ==, "failed");
		g_assert_nonnull(strstr(rec->message, "never reached CUPS"));
	}
	wait_for(fx, taken_print, "completed", 0);
	{
		g_autoptr(StPrintRecord) rec = last_print(fx, taken);
		g_assert_cmpint(rec->cups_job_id, ==, job);
		g_assert_cmpstr(rec->state, ==, "completed");
	}
	wait_received(fx, 1);
	/* the one that never reached CUPS may print without --reprint; the other may not */
	{
		gint64 id = 0;
		g_assert_true(st_store_begin_print(fx->store, lost, "label", "label", FALSE, NULL,
						   &id, &error));
		g_assert_no_error(error);
		g_assert_false(st_store_begin_print(fx->store, taken, "label", "label", FALSE, NULL,
						    &id, &error));
		g_assert_error(error, ST_STORE_ERROR, ST_ERROR_EXISTS);
	}
}

static void
test_serve_recovers(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GDataInputStream) in = NULL;
	g_autoptr(GString) seen = g_string_new(NULL);
	g_autofree gchar *title = NULL, *conf = NULL, *conf_path = NULL;
	gint64 label, print_id, deadline;
	gint job = 0;
	guint tick;
	StPrintRequest request = {"label", "application/vnd.cups-raw", NULL, NULL, 1};

	if (fx->cups == NULL)
		return;
	if (g_getenv("STATION_BIN") == NULL) {
		g_test_skip("STATION_BIN is not set (meson test sets it)");
		return;
	}
	/* a job CUPS took under the station's name, waiting at a paused printer, and the
	 * station stopped before it heard back */
	g_assert_true(st_test_cups_run(fx->cups, &error, "cupsdisable", "label", NULL));
	label = put_label(fx, "zpl", zpl_label, strlen(zpl_label), NULL);
	g_assert_true(st_store_begin_print(fx->store, label, "label", "label", FALSE, NULL,
					   &print_id, &error));
	title = g_strdup_printf("station bench-7 label %" G_GINT64_FORMAT
				" print %" G_GINT64_FORMAT,
				label, print_id);
	request.title = title;
	bytes = g_bytes_new_static(zpl_label, strlen(zpl_label));
	g_assert_true(st_printer_submit(fx->cups->socket, &request, bytes, &job, &error));
	g_assert_no_error(error);

	/* the daemon starts, finds the job by its name and follows it */
	conf_path = g_build_filename(fx->dir, "serve.conf", NULL);
	conf = g_strdup_printf("[station]\nid = bench-7\n[store]\npath = %s/station.db\n"
			       "[cups]\nserver = %s\npoll-interval = 50\n",
			       fx->dir, fx->cups->socket);
	g_assert_true(g_file_set_contents(conf_path, conf, -1, &error));
	launcher = st_test_daemon_launcher_new();
	proc = g_subprocess_launcher_spawn(launcher, &error, g_getenv("STATION_BIN"), "serve",
					   "--config", conf_path, NULL);
	g_assert_no_error(error);
	in = g_data_input_stream_new(g_subprocess_get_stderr_pipe(proc));
	if (!st_test_wait_for_line(in, "following 1 print left unfinished", seen))
		g_error("the daemon did not take up the print: %s", seen->str);
	{
		g_autoptr(StPrintRecord) rec = last_print(fx, label);
		g_assert_cmpint(rec->cups_job_id, ==, job);
	}
	/* the printer back, the daemon records the end */
	g_assert_true(st_test_cups_run(fx->cups, &error, "cupsenable", "label", NULL));
	/* the main loop runs meanwhile: the label printer's sink is in this process */
	deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
	tick = g_timeout_add(50, tick_cb, NULL);
	for (;;) {
		g_autoptr(StPrintRecord) rec = last_print(fx, label);
		if (g_strcmp0(rec->state, "completed") == 0)
			break;
		if (g_get_monotonic_time() > deadline)
			g_error("print %" G_GINT64_FORMAT " still %s", print_id, rec->state);
		g_main_context_iteration(NULL, TRUE);
	}
	g_source_remove(tick);
	wait_received(fx, 1);
	g_subprocess_send_signal(proc, SIGTERM);
	if (!st_test_wait_for_line(in, "stopped", seen))
		g_error("no clean stop: %s", seen->str);
	g_assert_true(g_subprocess_wait(proc, NULL, &error));
	g_assert_cmpint(g_subprocess_get_exit_status(proc), ==, 0);
	g_test_message("%s", seen->str);
}

static void
test_pdf_document(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StPrintProgress) first = NULL;
	g_autoptr(GPtrArray) files = NULL;
	g_autofree gchar *pdf_path = st_test_source_path("fixtures/print/label-4x6.pdf");
	g_autofree gchar *pdf = NULL;
	gsize len = 0;
	gint64 label;
	gboolean found = FALSE;

	if (fx->cups == NULL)
		return;
	g_file_get_contents(pdf_path, &pdf, &len, &error);
	g_assert_no_error(error);
	label = put_label(fx, "pdf", pdf, len, NULL);
	first = print_label(fx, label, "document", FALSE, &error);
	g_assert_no_error(error);
	wait_for(fx, first->print_id, "completed", 0);
	/* the IPP printer received a document (kept by ippeveprinter -k) */
	files = st_test_cups_ippeve_files(fx->cups);
	for (guint i = 0; i < files->len; i++) {
		g_autofree gchar *head = NULL;
		gsize n = 0;
		if (g_file_get_contents(g_ptr_array_index(files, i), &head, &n, NULL) && n > 5 &&
		    (memcmp(head, "%PDF-", 5) == 0 || memcmp(head, "RaS2", 4) == 0))
			found = TRUE;
	}
	g_assert_true(found);
	g_assert_cmpuint(fx->cups->received->len, ==, 0);

	/* a media the printer does not have: the job ends, and the operator is told why */
	{
		g_autoptr(StPrintProgress) wrong = NULL;
		const StPrintProgress *p;
		wrong = print_label(fx, label, "wrong-media", TRUE, &error);
		g_assert_no_error(error);
		p = wait_for(fx, wrong->print_id, "final", 0);
		g_assert_true(g_strcmp0(p->state, "cancelled") == 0 ||
			      g_strcmp0(p->state, "aborted") == 0);
		g_assert_nonnull(strstr(p->message, "cannot print with supplied options"));
		expect_warning("cannot print with supplied options");
	}
}

static void
test_queues(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) queues = NULL;
	g_autoptr(StPrintQueue) q = NULL;

	if (fx->cups == NULL)
		return;
	queues = st_printer_get_queues(fx->cups->socket, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(queues->len, ==, 1);
	q = st_printer_get_queue(fx->cups->socket, "label", &error);
	g_assert_no_error(error);
	g_assert_cmpint(q->state, ==, ST_PRINTER_IDLE);
	g_assert_true(q->accepting);
	g_assert_cmpint(q->attention, ==, ST_PRINT_ATTENTION_NONE);
	g_assert_nonnull(strstr(q->device_uri, "socket://127.0.0.1:"));
	g_clear_pointer(&q, st_print_queue_free);

	g_assert_true(st_test_cups_run(fx->cups, &error, "cupsdisable", "label", NULL));
	q = st_printer_get_queue(fx->cups->socket, "label", &error);
	g_assert_cmpint(q->state, ==, ST_PRINTER_STOPPED);
	g_assert_cmpint(q->attention, ==, ST_PRINT_ATTENTION_PAUSED);
	g_clear_pointer(&q, st_print_queue_free);
	g_assert_true(st_test_cups_run(fx->cups, &error, "cupsenable", "label", NULL));
	g_assert_true(st_test_cups_run(fx->cups, &error, "cupsreject", "label", NULL));
	q = st_printer_get_queue(fx->cups->socket, "label", &error);
	g_assert_false(q->accepting);
	g_assert_cmpint(q->attention, ==, ST_PRINT_ATTENTION_REJECTING);
	g_clear_pointer(&q, st_print_queue_free);

	q = st_printer_get_queue(fx->cups->socket, "nope", &error);
	g_assert_null(q);
	g_assert_error(error, ST_PRINT_ERROR, ST_ERROR_NOT_FOUND);
}

/* the classification of what keeps a job from printing, from states CUPS reports */
/* a printer's message that only restates its state is not shown beside ours; one that says
 * something is */
static void
test_describe_idle(void)
{
	gchar *none[] = {NULL};
	const gchar *messages[][2] = {
		{"Idle.", "job 7 on label: printing"},
		{"Ready to print.", "job 7 on label: printing"},
		{"Spooling job, 40% done.", "job 7 on label: printing (Spooling job, 40% done.)"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(messages); i++) {
		StPrintJobStatus s = {0};
		g_autofree gchar *text = NULL;
		s.id = 7;
		s.queue = (gchar *)"label";
		s.state = ST_PRINT_JOB_PROCESSING;
		s.reasons = none;
		s.message = (gchar *)messages[i][0];
		s.printer_state = ST_PRINTER_PROCESSING;
		s.printer_reasons = none;
		s.printer_message = (gchar *)"";
		s.printer_accepting = TRUE;
		text = st_print_job_status_describe(&s);
		g_assert_cmpstr(text, ==, messages[i][1]);
	}
}

static void
test_attention(void)
{
	gchar *none[] = {NULL};
	gchar *paused[] = {(gchar *)"paused", NULL};
	gchar *media_empty[] = {(gchar *)"media-empty-error", NULL};
	gchar *media_low[] = {(gchar *)"media-empty-warning", NULL};
	gchar *jam[] = {(gchar *)"media-jam", NULL};
	gchar *offline[] = {(gchar *)"offline-report", NULL};
	gchar *other[] = {(gchar *)"other-error", NULL};
	struct {
		StPrintJobState job;
		StPrinterState printer;
		gchar **reasons;
		const gchar *message;
		gboolean accepting;
		const gchar *error;
		StPrintAttention want;
	} cases[] = {
		{ST_PRINT_JOB_PROCESSING, ST_PRINTER_PROCESSING, none, "", TRUE, NULL,
		 ST_PRINT_ATTENTION_NONE},
		{ST_PRINT_JOB_PENDING, ST_PRINTER_STOPPED, paused, "", TRUE, NULL,
		 ST_PRINT_ATTENTION_PAUSED},
		{ST_PRINT_JOB_PENDING, ST_PRINTER_STOPPED, media_empty, "", TRUE, NULL,
		 ST_PRINT_ATTENTION_MEDIA},
		{ST_PRINT_JOB_PROCESSING, ST_PRINTER_PROCESSING, jam, "", TRUE, NULL,
		 ST_PRINT_ATTENTION_MEDIA},
		/* a warning does not stop the printer */
		{ST_PRINT_JOB_PROCESSING, ST_PRINTER_PROCESSING, media_low, "", TRUE, NULL,
		 ST_PRINT_ATTENTION_NONE},
		{ST_PRINT_JOB_PROCESSING, ST_PRINTER_PROCESSING, offline, "", TRUE, NULL,
		 ST_PRINT_ATTENTION_UNREACHABLE},
		{ST_PRINT_JOB_PROCESSING, ST_PRINTER_PROCESSING, none,
		 "The printer may not exist or is unavailable at this time.", TRUE, NULL,
		 ST_PRINT_ATTENTION_UNREACHABLE},
		{ST_PRINT_JOB_PROCESSING, ST_PRINTER_PROCESSING, none, "Connected to printer.",
		 TRUE, NULL, ST_PRINT_ATTENTION_NONE},
		{ST_PRINT_JOB_PENDING, ST_PRINTER_STOPPED, other, "Backend failed", TRUE, NULL,
		 ST_PRINT_ATTENTION_STOPPED},
		{ST_PRINT_JOB_HELD, ST_PRINTER_IDLE, none, "", TRUE, NULL, ST_PRINT_ATTENTION_HELD},
		/* a queued job still prints on a queue that refuses new ones */
		{ST_PRINT_JOB_PENDING, ST_PRINTER_IDLE, none, "", FALSE, NULL,
		 ST_PRINT_ATTENTION_NONE},
		{ST_PRINT_JOB_UNKNOWN, ST_PRINTER_UNKNOWN, none, "", FALSE, "connection refused",
		 ST_PRINT_ATTENTION_NO_SCHEDULER},
		/* finished: nothing to attend to, whatever the printer says */
		{ST_PRINT_JOB_COMPLETED, ST_PRINTER_STOPPED, paused, "", TRUE, NULL,
		 ST_PRINT_ATTENTION_NONE},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		StPrintJobStatus s = {0};
		s.id = 1;
		s.state = cases[i].job;
		s.reasons = none;
		s.message = (gchar *)"";
		s.printer_state = cases[i].printer;
		s.printer_reasons = cases[i].reasons;
		s.printer_message = (gchar *)cases[i].message;
		s.printer_accepting = cases[i].accepting;
		s.error = (gchar *)cases[i].error;
		if (cases[i].job == ST_PRINT_JOB_PROCESSING)
			s.message = (gchar *)cases[i].message;
		g_test_message("case %u", i);
		g_assert_cmpstr(st_print_attention_to_string(st_print_job_attention(&s)), ==,
				st_print_attention_to_string(cases[i].want));
	}
}

static void
test_sniff(void)
{
	const gchar *format = NULL;
	g_autoptr(GError) error = NULL;
	struct {
		const gchar *data;
		const gchar *format;
	} cases[] = {
		{"^XA^FDx^FS^XZ", "zpl"},
		{"\xef\xbb\xbf  \r\n~JA^xa^XZ", "zpl"},
		{"%PDF-1.7\n", "pdf"},
		{"hello", NULL},
		{"^FDno start^FS", NULL},
		{"", NULL},
		{"\x89PNG\r\n", NULL},
		/* ZebraDesigner's files start with a line that resets the command characters,
		 * then a setup label: what printers take, ZPL */
		{"CT~~CD,~CC^~CT~\r\n^XA~TA000~JSN^LT0^MNW^MTD^PON^PMN^LH0,0^JMA^PR4,4~SD15^JUS^LRN"
		 "^CI27^PA0,1,1,0^XZ\r\n^XA^MMT^PW812^LL1218^LS0^FO50,50^A0N,28,28^FDx^FS^PQ1,0,1,Y"
		 "^XZ\r\n",
		 "zpl"},
		/* binary bytes before a ^XA are not a printer's file */
		{"\x01\x02\x03^XA^XZ", NULL},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) b = g_bytes_new_static(cases[i].data, strlen(cases[i].data));
		gboolean ok = st_label_sniff_format(b, &format, &error);
		if (cases[i].format != NULL) {
			g_assert_no_error(error);
			g_assert_cmpstr(format, ==, cases[i].format);
		} else {
			g_assert_false(ok);
			g_assert_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA);
			g_clear_error(&error);
		}
	}
}

/* a ZPL file made for another resolution than the printer's is refused, naming both */
static void
test_zpl_dpi(void)
{
	StPrinterConfig at300 = {.name = (gchar *)"label", .dpi = 300};
	StPrinterConfig at203 = {.name = (gchar *)"label", .dpi = 203};
	g_autoptr(GBytes) zpl203 = g_bytes_new_static("^XA^PW812^LL1218^FDx^FS^XZ", 27);
	g_autoptr(GBytes) zpl300 = g_bytes_new_static("CT~~CD,~CC^~CT~\n^XA^PW1218^XZ", 30);
	g_autoptr(GBytes) two_inch = g_bytes_new_static("^XA^PW406^XZ", 12);
	g_autoptr(GBytes) no_width = g_bytes_new_static("^XA^FDx^FS^XZ", 13);
	g_autoptr(GError) error = NULL;

	g_assert_true(st_printing_check_zpl_dpi(zpl203, &at203, &error));
	g_assert_true(st_printing_check_zpl_dpi(zpl300, &at300, &error));
	g_assert_true(st_printing_check_zpl_dpi(two_inch, &at300, &error));
	g_assert_true(st_printing_check_zpl_dpi(no_width, &at300, &error));
	g_assert_no_error(error);
	g_assert_false(st_printing_check_zpl_dpi(zpl203, &at300, &error));
	g_assert_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "203-dpi"));
	g_assert_nonnull(strstr(error->message, "68%"));
	g_clear_error(&error);
	g_assert_false(st_printing_check_zpl_dpi(zpl300, &at203, &error));
	g_assert_nonnull(strstr(error->message, "148%"));
}

static void
communicate_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	gchar **out = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_subprocess_communicate_finish(G_SUBPROCESS(source), result, &bytes, NULL, &error);
	g_assert_no_error(error);
	*out = g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
}

/* runs the built station with the fixture's configuration, the main loop (and so the sink)
 * going meanwhile; returns the exit status, @out the output and errors */
static gint
run_station(Fixture *fx, gchar **out, const gchar *first, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	g_autofree gchar *conf = g_build_filename(fx->dir, "station.conf", NULL);
	va_list ap;

	g_ptr_array_add(argv, (gpointer)g_getenv("STATION_BIN"));
	g_ptr_array_add(argv, (gpointer)first);
	va_start(ap, first);
	for (const gchar *a = va_arg(ap, const gchar *); a != NULL; a = va_arg(ap, const gchar *))
		g_ptr_array_add(argv, (gpointer)a);
	va_end(ap);
	g_ptr_array_add(argv, (gpointer) "--config");
	g_ptr_array_add(argv, conf);
	g_ptr_array_add(argv, NULL);
	proc = g_subprocess_newv((const gchar *const *)argv->pdata,
				 G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
				 &error);
	g_assert_no_error(error);
	*out = NULL;
	g_subprocess_communicate_async(proc, NULL, NULL, communicate_done, out);
	while (*out == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_subprocess_wait(proc, NULL, &error);
	g_assert_no_error(error);
	g_test_message("station %s: exit %d: %s", first, g_subprocess_get_exit_status(proc), *out);
	return g_subprocess_get_exit_status(proc);
}

static void
test_cli(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *conf = NULL;
	g_autofree gchar *conf_path = NULL;
	g_autofree gchar *zpl = NULL;
	g_autofree gchar *junk = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *shipment = st_test_source_path("labels/shipment-ups.json");
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	const gchar *got;

	if (fx->cups == NULL)
		return;
	if (g_getenv("STATION_BIN") == NULL) {
		g_test_skip("STATION_BIN is not set (meson test sets it)");
		return;
	}
	conf_path = g_build_filename(fx->dir, "station.conf", NULL);
	conf = g_strdup_printf("[station]\nid = bench-7\n[store]\npath = %s/cli.db\n[cups]\n"
			       "server = %s\npoll-interval = 50\n",
			       fx->dir, fx->cups->socket);
	g_assert_true(g_file_set_contents(conf_path, conf, -1, &error));
	zpl = g_build_filename(fx->dir, "ups.zpl", NULL);
	g_assert_true(g_file_set_contents(zpl, zpl_label, -1, &error));
	junk = g_build_filename(fx->dir, "junk.txt", NULL);
	g_assert_true(g_file_set_contents(junk, "hello printer", -1, &error));

	g_assert_cmpint(run_station(fx, &out, "print", zpl, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "label 1 stored"));
	g_assert_nonnull(strstr(out, "printed"));
	wait_received(fx, 1);
	g_clear_pointer(&out, g_free);

	/* the same file again: refused, nothing sent */
	g_assert_cmpint(run_station(fx, &out, "print", zpl, NULL), ==, 1);
	g_assert_nonnull(strstr(out, "was stored before"));
	g_assert_nonnull(strstr(out, "--reprint"));
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(run_station(fx, &out, "reprint", "1", NULL), ==, 0);
	wait_received(fx, 2);
	g_clear_pointer(&out, g_free);

	/* not a label: refused before anything is stored or sent */
	g_assert_cmpint(run_station(fx, &out, "print", junk, NULL), ==, 1);
	g_assert_nonnull(strstr(out, "neither ZPL"));
	g_clear_pointer(&out, g_free);

	/* a template, rendered for the label printer (ZPL at 203 dpi) */
	g_assert_cmpint(run_station(fx, &out, "print", "-t", "carrier-4x6", "-d", shipment, NULL),
			==, 0);
	wait_received(fx, 3);
	got = g_bytes_get_data(g_ptr_array_index(fx->cups->received, 2), &len);
	g_assert_cmpuint(len, >, 100);
	g_assert_true(g_str_has_prefix(got, "^XA"));
	g_clear_pointer(&out, g_free);

	/* paused: said at once, exit status 3, the job stays and prints when resumed */
	g_assert_true(st_test_cups_run(fx->cups, &error, "cupsdisable", "label", NULL));
	g_assert_cmpint(run_station(fx, &out, "reprint", "1", NULL), ==, 3);
	g_assert_nonnull(strstr(out, "is paused"));
	g_assert_nonnull(strstr(out, "Do not print it again"));
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(run_station(fx, &out, "printers", NULL), ==, 0);
	g_assert_nonnull(strstr(out, "label: stopped"));
	g_assert_nonnull(strstr(out, "ATTENTION: queue label is paused"));
	g_assert_nonnull(strstr(out, "printer label (built-in default): zpl at 203 dpi"));
	g_assert_nonnull(strstr(out, "latest prints of this station"));
	g_assert_nonnull(strstr(out, "label 1 on label"));
	g_clear_pointer(&out, g_free);

	/* cancelled while it waits: it never comes out, and the label prints again */
	g_assert_cmpint(run_station(fx, &out, "cancel", "1", NULL), ==, 0);
	g_assert_nonnull(strstr(out, "1 print cancelled"));
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(run_station(fx, &out, "cancel", "1", NULL), ==, 1);
	g_assert_nonnull(strstr(out, "no print waiting"));
	g_clear_pointer(&out, g_free);
	g_assert_true(st_test_cups_run(fx->cups, &error, "cupsenable", "label", NULL));
	g_assert_cmpint(run_station(fx, &out, "reprint", "1", NULL), ==, 0);
	wait_received(fx, 4);
	/* CUPS sends a queue's jobs in order: had the cancelled one printed, it would have
	 * arrived before this one */
	g_assert_cmpuint(fx->cups->received->len, ==, 4);
}

static void
spool_print_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GError **error = ((gpointer *)user_data)[1];
	StPrintProgress **out = ((gpointer *)user_data)[0];
	*out = st_printing_print_finish(ST_PRINTING(source), result, error);
	((gpointer *)user_data)[2] = GINT_TO_POINTER(1);
}

/* prints @label and waits for the first answer (a spool printer's is the last) */
static StPrintProgress *
spool_print(StPrinting *printing, gint64 label, gboolean reprint, GError **error)
{
	StPrintProgress *p = NULL;
	gpointer data[3] = {&p, error, NULL};
	st_printing_print_async(printing, label, NULL, reprint, "tester", NULL, spool_print_done,
				data);
	while (data[2] == NULL)
		g_main_context_iteration(NULL, TRUE);
	return p;
}

/* no CUPS: a spool printer, and a label filled from an order in the database */
static void
test_spool_order(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *spool = g_build_filename(dir, "spool", NULL);
	g_autofree gchar *conf = g_strdup_printf(
		"[station]\nid = bench-9\n[store]\npath = %s\n[printer label]\nspool = %s\n"
		"[sender]\nname = Example Warehouse\nstreet = 1 Depot Road\npostal-code = "
		"10115\ncity = Berlin\ncountry = DE\n",
		db, spool);
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = st_config_load_data(conf, strlen(conf), "t.conf", &error);
	g_autoptr(StStore) store = st_store_new("bench-9");
	g_autoptr(StPrinting) printing = NULL;
	g_autoptr(StPrintProgress) p = NULL;
	g_autoptr(StLabelRecord) rec = NULL;
	g_autoptr(GPtrArray) outbox = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autofree gchar *data = NULL, *file = NULL, *path = NULL, *bad = NULL;
	const gchar *sets[] = {"tracking=1Z999AA10123456784", "recipient.name=Ana M.", NULL};
	const gchar *bad_sets[] = {"tracking", NULL};
	StProductSpec pen = {"PEN-BLK", "Black pen", 500};
	StOrderLineSpec line = {"PEN-BLK", 3};
	StAddress to = {"Ana Muller", NULL, "Hauptstrasse 5", NULL, "Trenton", "NJ", "08102", "US",
			NULL,	      NULL};
	StOrderSpec order = {"ORD-7", ST_ORDER_STATUS_PACKING, &to, "GROUND", "UPS", &line, 1};
	JsonObject *o;
	gboolean existed = FALSE;
	gsize len = 0, file_len = 0;
	gint64 label, print_id = 0;

	g_assert_no_error(error);
	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_true(st_store_put_product(store, &pen, NULL, &error));
	g_assert_true(st_store_put_order(store, &order, NULL, &error));
	g_assert_no_error(error);
	printing = st_printing_new(store, config);

	/* the order's shipment data: its address and service, the goods' weight (1.5 kg is
	 * 3.3 lb: 4 lb as carriers bill), the sender from [sender], and --set on top */
	data = st_label_shipment_data(store, config, "ORD-7", NULL, 0, sets, &len, &error);
	g_assert_no_error(error);
	g_assert_true(json_parser_load_from_data(parser, data, (gssize)len, &error));
	o = json_node_get_object(json_parser_get_root(parser));
	g_assert_cmpstr(json_object_get_string_member(o, "carrier"), ==, "UPS");
	g_assert_cmpstr(json_object_get_string_member(o, "service"), ==, "GROUND");
	g_assert_cmpstr(json_object_get_string_member(o, "weight"), ==, "1.50 kg");
	g_assert_cmpint(json_object_get_int_member(o, "weight_lb"), ==, 4);
	g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(o, "recipient"),
						      "name"),
			==, "Ana M.");
	g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(o, "sender"),
						      "postal_code"),
			==, "10115");
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(o, "lines")), ==, 1);
	bad = st_label_shipment_data(store, config, "ORD-7", NULL, 0, bad_sets, &len, &error);
	g_assert_null(bad);
	g_assert_nonnull(strstr(error->message, "FIELD=VALUE"));
	g_clear_error(&error);
	g_assert_null(st_label_shipment_data(store, config, "ORD-8", NULL, 0, NULL, &len, &error));
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* rendered for the printer, stored, written to the spool folder whole */
	label = st_printing_put_template(printing, "carrier-4x6", NULL, data, strlen(data), "ORD-7",
					 NULL, &existed, &error);
	g_assert_no_error(error);
	g_assert_false(existed);
	p = spool_print(printing, label, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(p->state, ==, "completed");
	path = g_strdup_printf("%s/bench-9-label-%" G_GINT64_FORMAT "-print-%" G_GINT64_FORMAT
			       ".zpl",
			       spool, label, p->print_id);
	g_assert_nonnull(strstr(p->message, path));
	g_assert_true(g_file_get_contents(path, &file, &file_len, &error));
	rec = st_store_get_label(store, label, &error);
	g_assert_cmpstr(rec->kind, ==, "carrier-4x6");
	g_assert_cmpstr(rec->reference, ==, "1Z999AA10123456784");
	g_assert_cmpmem(file, file_len, g_bytes_get_data(rec->content, NULL),
			g_bytes_get_size(rec->content));
	g_assert_true(g_str_has_prefix(file, "^XA"));
	/* the central system is told, as for a printer */
	outbox = st_store_get_outbox(store, &error);
	g_assert_nonnull(outbox);
	{
		gboolean printed = FALSE;
		for (guint i = 0; i < outbox->len; i++)
			printed |= g_strcmp0(((StOutboxEvent *)g_ptr_array_index(outbox, i))->kind,
					     "label.printed") == 0;
		g_assert_true(printed);
	}
	/* printed once: again only on request */
	g_clear_pointer(&p, st_print_progress_free);
	p = spool_print(printing, label, FALSE, &error);
	g_assert_null(p);
	g_assert_error(error, ST_STORE_ERROR, ST_ERROR_EXISTS);
	g_clear_error(&error);
	p = spool_print(printing, label, TRUE, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(p->state, ==, "completed");

	/* the station stopped while writing: a file that is not there is failed, one that is
	 * there is printed */
	g_assert_true(st_store_begin_print(store, label, "label", "spool:/nonexistent/spool", TRUE,
					   NULL, &print_id, &error));
	g_assert_cmpuint(st_printing_recover(printing, &error), ==, 0);
	g_assert_no_error(error);
	{
		g_autoptr(GPtrArray) prints = st_store_get_prints(store, label, FALSE, 1, &error);
		StPrintRecord *r = g_ptr_array_index(prints, 0);
		g_assert_cmpint(r->id, ==, print_id);
		g_assert_cmpstr(r->state, ==, "failed");
		g_assert_nonnull(strstr(r->message, "never written"));
	}
	st_store_close(store);
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* a misspelt queue in the configuration is found at once: by the check, by station config
 * (exit status 1, naming the line) */
static void
test_queues_checked(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) missing = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *conf_path = NULL;
	g_autofree gchar *out = NULL;

	if (fx->cups == NULL)
		return;
	g_assert_true(st_printing_check_queues(fx->config, &missing, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(missing->len, ==, 0);
	/* a document template to the label printer: refused, saying where it goes, nothing
	 * stored */
	g_assert_cmpint(st_printing_put_template(fx->printing, "packing-slip", "label", "{}", 2,
						 NULL, NULL, NULL, &error),
			==, 0);
	g_assert_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "--printer document"));
	g_clear_error(&error);
	g_clear_pointer(&missing, g_ptr_array_unref);
	text = g_strdup_printf("[cups]\nserver = %s\n[printer label]\nqueue = label\n"
			       "[printer slips]\nqueue = documnet\nlanguage = pdf\n",
			       fx->cups->socket);
	config = st_config_load_data(text, strlen(text), "bench.conf", &error);
	g_assert_no_error(error);
	g_assert_true(st_printing_check_queues(config, &missing, &error));
	g_assert_cmpuint(missing->len, ==, 1);
	g_assert_nonnull(strstr(missing->pdata[0], "bench.conf:6"));
	g_assert_nonnull(strstr(missing->pdata[0], "CUPS has no queue 'documnet'"));
	g_assert_nonnull(strstr(missing->pdata[0], "document"));

	if (g_getenv("STATION_BIN") == NULL)
		return;
	conf_path = g_build_filename(fx->dir, "station.conf", NULL);
	g_assert_true(g_file_set_contents(conf_path, text, -1, &error));
	g_assert_cmpint(run_station(fx, &out, "config", NULL), ==, 1);
	g_assert_nonnull(strstr(out, "CUPS has no queue 'documnet'"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	warnings = g_ptr_array_new_with_free_func(g_free);
	g_log_set_writer_func(log_writer, NULL, NULL);
	g_test_add_func("/print/sniff", test_sniff);
	g_test_add_func("/print/zpl-dpi", test_zpl_dpi);
	g_test_add_func("/print/attention", test_attention);
	g_test_add_func("/print/describe-idle", test_describe_idle);
	g_test_add_func("/print/spool-order", test_spool_order);
#define ADD(path, fn, doc)                                                                         \
	g_test_add(path, Fixture, GINT_TO_POINTER(doc), fixture_set_up, fn, fixture_tear_down)
	ADD("/print/queues", test_queues, FALSE);
	ADD("/print/zpl-raw", test_zpl_raw, FALSE);
	ADD("/print/no-double-print", test_no_double_print, FALSE);
	ADD("/print/paused", test_paused, FALSE);
	ADD("/print/rejecting", test_rejecting, FALSE);
	ADD("/print/unreachable", test_unreachable, FALSE);
	ADD("/print/refusals", test_refusals, FALSE);
	ADD("/print/recover", test_recover, FALSE);
	ADD("/print/cancel", test_cancel, FALSE);
	ADD("/print/serve-recovers", test_serve_recovers, FALSE);
	ADD("/print/pdf-document", test_pdf_document, TRUE);
	ADD("/print/cli", test_cli, FALSE);
	ADD("/print/queues-checked", test_queues_checked, TRUE);
#undef ADD
	return g_test_run();
}
