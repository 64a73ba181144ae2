/*
 * StBenchPrint: the labels and slips a verdict asks for, rendered, stored and sent to the
 * printers; each outcome is logged with the order and what was printed, and kept for the
 * caller (simulate prints them).
 */
#define G_LOG_DOMAIN "station-print"

#include "station/st-error.h"

#include "st-bench-print.h"

struct _StBenchPrint {
	StPrinting *printing;
	const StConfig *config;
	gboolean spool_only; /* prints to CUPS queues are left out (a simulation) */
	gboolean keep;	     /* the outcomes are kept until taken (else only logged) */
	GPtrArray *jobs;     /* (element-type StBenchPrintJob): prints sent and not ended */
	GPtrArray *done;     /* (element-type utf8): one line per print ended, until taken */
};

typedef struct {
	StBenchPrint *self;
	gchar *order;
	gchar *what;
} StBenchPrintJob;

/**
 * st_bench_print_new:
 * @spool_only: print only to printers with a spool folder (`station simulate`: a simulated
 *   shift never puts paper in a real printer); the others are said, not printed
 *
 * Returns: (transfer full): printing for @config's [pack] templates and printers
 */
StBenchPrint *
st_bench_print_new(StPrinting *printing, const StConfig *config, gboolean spool_only)
{
	StBenchPrint *self = g_new0(StBenchPrint, 1);
	self->spool_only = spool_only;
	self->keep = spool_only;
	self->printing = g_object_ref(printing);
	self->config = config;
	self->done = g_ptr_array_new_with_free_func(g_free);
	self->jobs = g_ptr_array_new();
	return self;
}

/* Frees it; prints still going end without it (their outcome is in the store) */
void
st_bench_print_free(StBenchPrint *self)
{
	if (self == NULL)
		return;
	for (guint i = 0; i < self->jobs->len; i++)
		((StBenchPrintJob *)g_ptr_array_index(self->jobs, i))->self = NULL;
	g_ptr_array_unref(self->jobs);
	g_object_unref(self->printing);
	g_ptr_array_unref(self->done);
	g_free(self);
}

/* an outcome: kept for the caller, or dropped once logged */
static void
st_bench_print_said(StBenchPrint *self, gchar *line)
{
	if (self->keep)
		g_ptr_array_add(self->done, line);
	else
		g_free(line);
}

static void
st_bench_print_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	StBenchPrintJob *job = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(StPrintProgress) p =
		st_printing_print_finish(ST_PRINTING(source), result, &error);
	gchar *line;

	g_autofree gchar *whose =
		job->order != NULL ? g_strdup_printf("order %s: ", job->order) : g_strdup("");

	if (p == NULL) {
		line = g_strdup_printf("%s%s not printed: %s", whose, job->what, error->message);
		g_warning("%s", line);
	} else {
		line = g_strdup_printf("%s%s (label %" G_GINT64_FORMAT "): %s%s%s", whose,
				       job->what, p->label_id, p->state,
				       p->message != NULL && *p->message != '\0' ? ": " : "",
				       p->message != NULL ? p->message : "");
		g_message("%s", line);
	}
	if (job->self != NULL) {
		g_ptr_array_remove(job->self->jobs, job);
		st_bench_print_said(job->self, line);
	} else {
		g_free(line);
	}
	g_free(job->order);
	g_free(job->what);
	g_free(job);
}

/* whether the bench prints on @printer: always, but in a simulation only to a spool folder */
static gboolean
st_bench_print_usable(StBenchPrint *self, const gchar *printer)
{
	g_autoptr(StPrinterConfig) cfg = NULL;
	if (!self->spool_only)
		return TRUE;
	cfg = st_printing_resolve(self->printing, printer, NULL, NULL);
	return cfg != NULL && cfg->spool != NULL;
}

static void
st_bench_print_send(StBenchPrint *self,
		    gint64 label_id,
		    const gchar *printer,
		    gboolean reprint,
		    const gchar *order,
		    const gchar *what)
{
	StBenchPrintJob *job = g_new0(StBenchPrintJob, 1);
	job->self = self;
	job->order = g_strdup(order);
	job->what = g_strdup(what);
	g_ptr_array_add(self->jobs, job);
	st_printing_print_async(self->printing, label_id, printer, reprint, NULL, NULL,
				st_bench_print_done_cb, job);
}

/**
 * st_bench_print_verdict:
 *
 * Prints what @verdict asks for: a packed order's parcel labels and slip, or one parcel's
 * label again. Asynchronous: the outcomes are logged as they end. A label that cannot be
 * rendered (a field missing) is logged as not printed.
 *
 * Returns: how many prints were sent
 */
guint
st_bench_print_verdict(StBenchPrint *self, const StVerdict *verdict)
{
	g_autoptr(GError) error = NULL;

	switch (verdict->print) {
	case ST_VERDICT_PRINT_ORDER: {
		g_autofree gchar *trouble = NULL;
		g_autoptr(GPtrArray) prints = st_printing_put_order(
			self->printing, self->config, verdict->order_number,
			st_bench_print_usable(self, "label"),
			st_bench_print_usable(self, "document"), &trouble, &error);
		if (prints == NULL) {
			gchar *line = g_strdup_printf("order %s: nothing printed: %s",
						      verdict->order_number, error->message);
			g_warning("%s", line);
			st_bench_print_said(self, line);
			return 0;
		}
		if (trouble != NULL) {
			gchar *line =
				g_strdup_printf("order %s: %s", verdict->order_number, trouble);
			g_warning("%s", line);
			st_bench_print_said(self, line);
		}
		for (guint i = 0; i < prints->len; i++) {
			const StOrderPrint *p = g_ptr_array_index(prints, i);
			st_bench_print_send(self, p->label_id, p->printer, FALSE,
					    verdict->order_number, p->what);
		}
		return prints->len;
	}
	case ST_VERDICT_PRINT_REPRINT: {
		g_autoptr(StShipment) shipment = st_store_find_shipment(
			st_printing_get_store(self->printing), verdict->print_reference, &error);
		g_autofree gchar *what = NULL;
		if (!st_bench_print_usable(self, "label"))
			return 0;
		if (shipment == NULL) {
			gchar *line = g_strdup_printf("order %s: label %s not printed again: %s",
						      verdict->order_number,
						      verdict->print_reference, error->message);
			g_warning("%s", line);
			st_bench_print_said(self, line);
			return 0;
		}
		what = g_strdup_printf("label %s again", verdict->print_reference);
		st_bench_print_send(self, shipment->label_id, "label", TRUE, verdict->order_number,
				    what);
		return 1;
	}
	case ST_VERDICT_PRINT_MANIFEST: {
		gint64 id = g_ascii_strtoll(verdict->print_reference, NULL, 10);
		gint64 label_id;
		g_autofree gchar *what = NULL;
		if (!st_bench_print_usable(self, "document"))
			return 0;
		label_id = st_printing_put_manifest(self->printing, self->config, id, &error);
		if (label_id == 0) {
			gchar *line = g_strdup_printf("manifest %s: not printed: %s",
						      verdict->print_reference, error->message);
			g_warning("%s", line);
			st_bench_print_said(self, line);
			return 0;
		}
		what = g_strdup_printf("manifest %s", verdict->print_reference);
		st_bench_print_send(self, label_id, "document", FALSE, NULL, what);
		return 1;
	}
	case ST_VERDICT_PRINT_NONE:
	default:
		break;
	}
	return 0;
}

/* keep the outcomes until st_bench_print_take_done() (the demo shows them) */
void
st_bench_print_set_keep(StBenchPrint *self, gboolean keep)
{
	self->keep = keep;
}

/* Returns: the prints sent and not ended yet */
guint
st_bench_print_get_pending(StBenchPrint *self)
{
	return self->jobs->len;
}

/* Returns: (transfer container) (element-type utf8): the outcomes since the last call */
GPtrArray *
st_bench_print_take_done(StBenchPrint *self)
{
	GPtrArray *done = g_steal_pointer(&self->done);
	self->done = g_ptr_array_new_with_free_func(g_free);
	return done;
}
