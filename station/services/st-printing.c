/*
 * The station's printing. A print of a label goes:
 *   1. the label is in the store already (st_store_put_label);
 *   2. st_store_begin_print records the print as "submitting", refusing a second copy of a
 *      label that printed or may still print unless it is a reprint;
 *   3. the tracker checks the queue and submits in a worker thread, with a job name that
 *      names the print, so that after a crash between 2 and 4 the job is found again;
 *   4. the CUPS job id is recorded, then every change of the job (and of its queue) is
 *      stored and emitted as "print-changed" until the job ends.
 */
#define G_LOG_DOMAIN "station-print"

#include <math.h>
#include <string.h>

#include <errno.h>
#include <glib/gstdio.h>

#include "station/st-bounded.h"
#include "station/st-error.h"

#include "st-label-data.h"

#include "st-printing.h"

struct _StPrinting {
	GObject parent_instance;
	StStore *store;
	gchar *station_id;
	GPtrArray *printers; /* StPrinterConfig, from the configuration */
	StPrintTracker *tracker;
	GHashTable *by_job; /* CUPS job id -> StPrintProgress */
};

enum { SIGNAL_PRINT_STARTED, SIGNAL_PRINT_CHANGED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST];

G_DEFINE_TYPE(StPrinting, st_printing, G_TYPE_OBJECT)

void
st_print_progress_free(StPrintProgress *self)
{
	if (self == NULL)
		return;
	g_free(self->state);
	g_free(self->message);
	st_print_job_status_free(self->status);
	g_free(self);
}

static StPrintProgress *
st_print_progress_copy(const StPrintProgress *p)
{
	StPrintProgress *copy = g_new0(StPrintProgress, 1);
	copy->print_id = p->print_id;
	copy->label_id = p->label_id;
	copy->state = g_strdup(p->state);
	copy->message = g_strdup(p->message);
	copy->status = p->status != NULL ? st_print_job_status_copy(p->status) : NULL;
	return copy;
}

G_DEFINE_BOXED_TYPE(StPrintProgress,
		    st_print_progress,
		    st_print_progress_copy,
		    st_print_progress_free)

/* the stored state for CUPS's; NULL: keep the stored one (CUPS could not be asked) */
static const gchar *
st_printing_state(const StPrintJobStatus *s)
{
	if (s->state == ST_PRINT_JOB_UNKNOWN)
		return s->error != NULL ? NULL : "unknown";
	return st_print_job_state_to_string(s->state);
}

/* Returns: (transfer full): the PWG media name of the label's page, for PDF printers */
gchar *
st_label_pwg_media(const StLabel *label)
{
	static const struct {
		gdouble w, h;
		const gchar *name;
	} known[] = {
		{101.6, 152.4, "na_index-4x6_4x6in"}, {105.0, 148.0, "iso_a6_105x148mm"},
		{210.0, 297.0, "iso_a4_210x297mm"},   {215.9, 279.4, "na_letter_8.5x11in"},
		{148.0, 210.0, "iso_a5_148x210mm"},
	};
	gdouble w = label->width * 25.4 / label->dpi;
	gdouble h = label->height * 25.4 / label->dpi;
	for (guint i = 0; i < G_N_ELEMENTS(known); i++) {
		if (fabs(w - known[i].w) < 1.0 && fabs(h - known[i].h) < 1.0)
			return g_strdup(known[i].name);
	}
	/* PWG 5101.1 custom size: custom_NAME_WxHmm */
	return g_strdup_printf("custom_label_%.0fx%.0fmm", round(w), round(h));
}

/**
 * st_label_sniff_format:
 * @format: (out): "zpl" or "pdf"
 *
 * Tells a ZPL II label (a ^XA format, possibly after ~ commands or blanks) from a PDF.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA for anything else
 */
gboolean
st_label_sniff_format(GBytes *data, const gchar **format, GError **error)
{
	gsize len = 0;
	const gchar *p = g_bytes_get_data(data, &len);
	gsize head = MIN(len, 4096);
	gsize i = 0;

	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0) {
		*format = "pdf";
		return TRUE;
	}
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < head && g_ascii_isspace(p[i]))
		i++;
	/* ZPL: a ^XA within the first 4 KiB, before it only printable text: the ^ or ~
	 * commands a printer takes before a label, such as ZebraDesigner's "CT~~CD,~CC^~CT~"
	 * line (which resets the command characters) */
	for (gsize j = i; j + 3 <= head; j++) {
		guchar c = (guchar)p[j];
		if (c == '^' && g_ascii_toupper(p[j + 1]) == 'X' &&
		    g_ascii_toupper(p[j + 2]) == 'A') {
			*format = "zpl";
			return TRUE;
		}
		if ((c < 0x20 && !g_ascii_isspace(c)) || c >= 0x7f)
			break;
	}
	g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
		    "neither ZPL (no ^XA at the start) nor PDF (no %%PDF- header): a printer "
		    "would print garbage, so nothing was printed");
	return FALSE;
}

/**
 * st_printing_resolve:
 * @printer: (nullable): a [printer NAME] of the configuration (label and document always
 *   exist), or a CUPS queue name; NULL for the label printer
 * @format: the label's format (zpl or pdf)
 *
 * Returns: (transfer full): where and how to print; ST_ERROR_INVALID_DATA when the printer
 *   takes the other language
 */
StPrinterConfig *
st_printing_resolve(StPrinting *self, const gchar *printer, const gchar *format, GError **error)
{
	const gchar *name = printer != NULL ? printer : "label";
	g_autoptr(StPrinterConfig) cfg = st_printer_config_find(self->printers, name);

	if (cfg == NULL) {
		/* a CUPS queue named directly takes the label as it is */
		if (!st_printer_queue_name_valid(name)) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_NOT_FOUND,
				    "'%s' is neither a configured printer nor a CUPS queue name",
				    name);
			return NULL;
		}
		cfg = g_new0(StPrinterConfig, 1);
		cfg->name = g_strdup(name);
		cfg->queue = g_strdup(name);
		cfg->language = g_strdup(format != NULL ? format : "zpl");
		cfg->dpi = 0;
	}
	if (format != NULL && g_strcmp0(cfg->language, format) != 0) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "printer %s (queue %s) takes %s and this label is %s: print it on a "
			    "%s printer (--printer), or render it from its template as %s; "
			    "nothing was printed",
			    cfg->name, cfg->queue != NULL ? cfg->queue : cfg->spool, cfg->language,
			    format, format, cfg->language);
		return NULL;
	}
	if (cfg->spool != NULL) {
		/* stored as the print's queue, so a restart knows where the file went */
		g_free(cfg->queue);
		cfg->queue = g_strconcat(ST_PRINTING_SPOOL_PREFIX, cfg->spool, NULL);
	}
	return g_steal_pointer(&cfg);
}

/* the file a print to a spool folder is written to */
static gchar *
st_printing_spool_file(StPrinting *self,
		       const gchar *queue,
		       gint64 label_id,
		       gint64 print_id,
		       const gchar *format)
{
	g_autofree gchar *name =
		g_strdup_printf("%s-label-%" G_GINT64_FORMAT "-print-%" G_GINT64_FORMAT ".%s",
				self->station_id, label_id, print_id, format);
	return g_build_filename(queue + strlen(ST_PRINTING_SPOOL_PREFIX), name, NULL);
}

/* writes the label to its spool folder whole (a temporary name, then renamed) and records
 * the print as completed, or as failed with the reason */
static StPrintProgress *
st_printing_spool(StPrinting *self,
		  const StLabelRecord *label,
		  const gchar *queue,
		  gint64 print_id,
		  GError **error)
{
	g_autofree gchar *path =
		st_printing_spool_file(self, queue, label->id, print_id, label->format);
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autoptr(GError) local = NULL;
	StPrintProgress *p;
	gsize len = 0;
	const gchar *data = g_bytes_get_data(label->content, &len);

	/* labels carry addresses: readable by the station's group, not by everyone */
	if (g_mkdir_with_parents(dir, 0750) != 0 ||
	    !g_file_set_contents_full(path, data, (gssize)len,
				      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
				      0640, &local)) {
		g_autofree gchar *why = g_strdup_printf(
			"cannot write the label to the spool folder %s: %s; check that the folder "
			"can be written",
			dir, local != NULL ? local->message : g_strerror(errno));
		g_autoptr(GError) store_error = NULL;
		if (!st_store_print_update(self->store, print_id, "failed", why, &store_error))
			g_warning("print %" G_GINT64_FORMAT ": %s", print_id, store_error->message);
		g_set_error_literal(error, ST_SERVICE_ERROR, ST_ERROR_FAILED, why);
		g_warning("label %" G_GINT64_FORMAT " not printed: %s", label->id, why);
		return NULL;
	}
	p = g_new0(StPrintProgress, 1);
	p->print_id = print_id;
	p->label_id = label->id;
	p->state = g_strdup("completed");
	p->message = g_strdup_printf("written to %s", path);
	if (!st_store_print_update(self->store, print_id, p->state, p->message, error)) {
		st_print_progress_free(p);
		return NULL;
	}
	g_message("label %" G_GINT64_FORMAT ": %s", label->id, p->message);
	return p;
}

static gchar *
st_printing_job_title(StPrinting *self, gint64 label_id, gint64 print_id)
{
	return g_strdup_printf("station %s label %" G_GINT64_FORMAT " print %" G_GINT64_FORMAT,
			       self->station_id, label_id, print_id);
}

/* a job's state someone has to act on: the printer needs attention, or CUPS ended the job
 * without printing it and said why (a cancel without a reason is someone's cancel), logged as
 * a warning wherever it is first seen: when the job is followed, or already at its submission
 * when CUPS ended it that quickly */
static gboolean
st_printing_status_is_trouble(const StPrintJobStatus *s)
{
	return s->attention != ST_PRINT_ATTENTION_NONE || s->state == ST_PRINT_JOB_ABORTED ||
	       (s->state == ST_PRINT_JOB_CANCELED && s->message != NULL && s->message[0] != '\0');
}

/* stores a job's change and tells the listeners; on the main loop */
static void
st_printing_job_changed_cb(StPrintTracker *tracker, StPrintJobStatus *s, gpointer user_data)
{
	StPrinting *self = ST_PRINTING(user_data);
	StPrintProgress *p = g_hash_table_lookup(self->by_job, GINT_TO_POINTER(s->id));
	const gchar *state;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *message = NULL;

	if (p == NULL)
		return;
	state = st_printing_state(s);
	message = st_print_job_status_describe(s);
	if (state != NULL) {
		g_free(p->state);
		p->state = g_strdup(state);
	}
	g_free(p->message);
	p->message = g_strdup(message);
	st_print_job_status_free(p->status);
	p->status = st_print_job_status_copy(s);
	if (!st_store_print_update(self->store, p->print_id, p->state, message, &error))
		g_warning("print %" G_GINT64_FORMAT " of label %" G_GINT64_FORMAT ": %s",
			  p->print_id, p->label_id, error->message);
	if (st_printing_status_is_trouble(s))
		g_warning("label %" G_GINT64_FORMAT ": %s", p->label_id, message);
	else
		g_message("label %" G_GINT64_FORMAT ": %s", p->label_id, message);
	g_signal_emit(self, signals[SIGNAL_PRINT_CHANGED], 0, p);
	if (st_print_state_is_final(p->state))
		g_hash_table_remove(self->by_job, GINT_TO_POINTER(s->id));
}

typedef struct {
	gint64 label_id;
	gint64 print_id;
} StPrintTaskData;

static void
st_printing_submit_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	StPrinting *self = g_task_get_source_object(task);
	StPrintTaskData *d = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_store = NULL;
	g_autoptr(StPrintJobStatus) s =
		st_print_tracker_submit_finish(ST_PRINT_TRACKER(source), result, &error);
	StPrintProgress *p;

	if (s == NULL) {
		/* sent but not confirmed: CUPS may hold the job, so it is not "failed" (which
		 * would let it be printed again without asking) */
		const gchar *state = g_error_matches(error, ST_PRINT_ERROR, ST_ERROR_TIMED_OUT)
					     ? "unknown"
					     : "failed";
		if (!st_store_print_update(self->store, d->print_id, state, error->message,
					   &error_store))
			g_warning("print %" G_GINT64_FORMAT ": %s", d->print_id,
				  error_store->message);
		g_warning("label %" G_GINT64_FORMAT " not printed: %s", d->label_id,
			  error->message);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (!st_store_print_submitted(self->store, d->print_id, s->id, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	p = g_new0(StPrintProgress, 1);
	p->print_id = d->print_id;
	p->label_id = d->label_id;
	p->state = g_strdup(st_printing_state(s) != NULL ? st_printing_state(s) : "pending");
	p->message = st_print_job_status_describe(s);
	p->status = st_print_job_status_copy(s);
	if (!st_store_print_update(self->store, p->print_id, p->state, p->message, &error))
		g_warning("print %" G_GINT64_FORMAT ": %s", p->print_id, error->message);
	if (st_printing_status_is_trouble(s))
		g_warning("label %" G_GINT64_FORMAT ": %s", d->label_id, p->message);
	else
		g_message("label %" G_GINT64_FORMAT ": %s", d->label_id, p->message);
	if (!st_print_state_is_final(p->state))
		g_hash_table_insert(self->by_job, GINT_TO_POINTER(s->id),
				    st_print_progress_copy(p));
	g_signal_emit(self, signals[SIGNAL_PRINT_STARTED], 0, p);
	g_task_return_pointer(task, p, (GDestroyNotify)st_print_progress_free);
}

/**
 * st_printing_check_zpl_dpi:
 *
 * A ZPL file says its label's width in dots (^PW). One that makes a 4-inch label at another
 * resolution than the printer's (a carrier's 203-dpi file sent to a 300-dpi printer, ^PW812)
 * would print at the wrong size without a word: refused, saying both resolutions.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA on such a mismatch
 */
gboolean
st_printing_check_zpl_dpi(GBytes *zpl, const StPrinterConfig *cfg, GError **error)
{
	static const guint resolutions[] = {152, 203, 300, 600};
	gsize len = 0;
	const gchar *d = g_bytes_get_data(zpl, &len);
	const gchar *pw = NULL;
	guint64 dots = 0;

	if (cfg->dpi == 0)
		return TRUE;
	for (gsize i = 0; i + 3 < len && i < 64 * 1024; i++) {
		if ((d[i] == '^' || d[i] == '~') && g_ascii_toupper(d[i + 1]) == 'P' &&
		    g_ascii_toupper(d[i + 2]) == 'W') {
			pw = d + i + 3;
			break;
		}
	}
	if (pw == NULL)
		return TRUE;
	for (gsize i = 0; pw + i < d + len && i < 6 && g_ascii_isdigit(pw[i]); i++)
		dots = dots * 10 + (guint64)(pw[i] - '0');
	if (dots == 0)
		return TRUE;
	/* the file's label is 4 inches wide at the printer's resolution: nothing to say */
	if (ABS((gdouble)dots / cfg->dpi - 4.0) < 0.1)
		return TRUE;
	for (guint r = 0; r < G_N_ELEMENTS(resolutions); r++) {
		if (resolutions[r] == cfg->dpi || ABS((gdouble)dots / resolutions[r] - 4.0) >= 0.1)
			continue;
		g_set_error(
			error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			"the label was made for a %u-dpi printer (^PW%" G_GUINT64_FORMAT
			", 4 inches at %u dpi); [printer %s] prints at %u dpi, so it would "
			"come out at %.0f%% of its size: ask the carrier for a %u-dpi label, or "
			"correct [printer %s] dpi if the printer's resolution is another",
			resolutions[r], dots, resolutions[r], cfg->name, cfg->dpi,
			100.0 * resolutions[r] / cfg->dpi, cfg->dpi, cfg->name);
		return FALSE;
	}
	return TRUE;
}

/**
 * st_printing_print_async:
 * @printer: (nullable): a configured printer, or a CUPS queue; NULL for the label printer
 * @reprint: the operator asked for another copy of a label that printed already
 *
 * Prints a stored label. The print is recorded before it is sent; a label that printed, or
 * may still print, is refused with ST_ERROR_EXISTS unless @reprint. The result is the first
 * state; "print-changed" follows each change until the job ends.
 */
void
st_printing_print_async(StPrinting *self,
			gint64 label_id,
			const gchar *printer,
			gboolean reprint,
			const gchar *operator_name,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(StLabelRecord) label = NULL;
	g_autoptr(StPrinterConfig) cfg = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *title = NULL;
	StPrintTaskData *d = g_new0(StPrintTaskData, 1);
	StPrintRequest request = {NULL};

	g_task_set_task_data(task, d, g_free);
	d->label_id = label_id;
	label = st_store_get_label(self->store, label_id, &error);
	if (label == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	cfg = st_printing_resolve(self, printer, label->format, &error);
	if (cfg == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (g_strcmp0(label->format, "zpl") == 0 &&
	    !st_printing_check_zpl_dpi(label->content, cfg, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (!st_store_begin_print(self->store, label_id, cfg->name, cfg->queue, reprint,
				  operator_name, &d->print_id, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (cfg->spool != NULL) {
		StPrintProgress *p =
			st_printing_spool(self, label, cfg->queue, d->print_id, &error);
		if (p == NULL) {
			g_task_return_error(task, g_steal_pointer(&error));
		} else {
			g_signal_emit(self, signals[SIGNAL_PRINT_STARTED], 0, p);
			g_task_return_pointer(task, p, (GDestroyNotify)st_print_progress_free);
		}
		return;
	}
	title = st_printing_job_title(self, label_id, d->print_id);
	request.queue = cfg->queue;
	request.title = title;
	if (g_strcmp0(label->format, "zpl") == 0) {
		/* to the printer byte for byte: no filter may touch ZPL */
		request.format = "application/vnd.cups-raw";
	} else {
		request.format = "application/pdf";
		request.media = cfg->media != NULL	 ? cfg->media
				: label->page[0] != '\0' ? label->page
							 : NULL;
	}
	g_info("label %" G_GINT64_FORMAT " (%s, %s) to queue %s%s", label_id, label->kind,
	       label->format, cfg->queue, reprint ? " (reprint)" : "");
	st_print_tracker_submit_async(self->tracker, &request, label->content, cancellable,
				      st_printing_submit_done, g_steal_pointer(&task));
}

/* Returns: (transfer full): the print's first state */
StPrintProgress *
st_printing_print_finish(StPrinting *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

/* a print left "submitting" (the process stopped before CUPS answered): a spool print is
 * completed when its file is there whole, failed when not; a CUPS print is looked for by its
 * job name, submitted when found, failed when CUPS never took it. @said (nullable) gets a
 * sentence of what was found.
 * Returns: the CUPS job to follow; 0 when settled; -1 when CUPS could not be asked
 * (@cups_error set; left as it is); -2 when the store failed (@error set) */
static gint
st_printing_settle(StPrinting *self,
		   const StPrintRecord *r,
		   gchar **said,
		   GError **cups_error,
		   GError **error)
{
	const gchar *server = st_print_tracker_get_server(self->tracker);
	g_autofree gchar *title = NULL;
	gint job;

	if (g_str_has_prefix(r->queue, ST_PRINTING_SPOOL_PREFIX)) {
		/* stopped while writing it: the file is there whole, or not (renamed in place) */
		g_autoptr(StLabelRecord) label =
			st_store_get_label(self->store, r->label_id, error);
		g_autofree gchar *path = NULL;
		gboolean there;
		if (label == NULL)
			return -2;
		path = st_printing_spool_file(self, r->queue, r->label_id, r->id, label->format);
		there = g_file_test(path, G_FILE_TEST_EXISTS);
		if (!st_store_print_update(self->store, r->id, there ? "completed" : "failed",
					   there ? "written to the spool folder"
						 : "never written: the station stopped before the "
						   "file was there",
					   error))
			return -2;
		if (said != NULL)
			*said = g_strdup_printf(
				there ? "an earlier print of label %" G_GINT64_FORMAT
					" stopped half-way had written its file: it counts as "
					"printed"
				      : "an earlier print of label %" G_GINT64_FORMAT
					" stopped before its file was written: it counts as failed",
				r->label_id);
		return 0;
	}
	title = st_printing_job_title(self, r->label_id, r->id);
	job = st_printer_find_job(server, r->queue, title, cups_error);
	if (job < 0)
		return -1;
	if (job == 0) {
		if (!st_store_print_update(self->store, r->id, "failed",
					   "never reached CUPS: the station stopped before CUPS "
					   "took the job",
					   error))
			return -2;
		g_message("label %" G_GINT64_FORMAT ": print %" G_GINT64_FORMAT
			  " never reached CUPS; it can be printed again",
			  r->label_id, r->id);
		if (said != NULL)
			*said = g_strdup_printf("an earlier print of label %" G_GINT64_FORMAT
						" stopped before CUPS took it: it counts as failed",
						r->label_id);
		return 0;
	}
	if (!st_store_print_submitted(self->store, r->id, job, error))
		return -2;
	if (said != NULL)
		*said = g_strdup_printf("an earlier print of label %" G_GINT64_FORMAT
					" reached CUPS as job %d",
					r->label_id, job);
	return job;
}

/**
 * st_printing_settle_submissions:
 * @label_id: the label whose prints to look at; 0: every label's
 * @said: (element-type utf8): a sentence for each print settled
 *
 * Settles the prints left "submitting" by a process that stopped (a `station print`
 * killed), the way `station serve` does at start, so that printing the label again is
 * neither refused for nothing nor done twice. Blocks on CUPS.
 *
 * Returns: FALSE with an error when the store failed
 */
gboolean
st_printing_settle_submissions(StPrinting *self, gint64 label_id, GPtrArray *said, GError **error)
{
	g_autoptr(GPtrArray) open = st_store_get_prints(self->store, label_id, TRUE, 0, error);

	if (open == NULL)
		return FALSE;
	for (guint i = 0; i < open->len; i++) {
		const StPrintRecord *r = g_ptr_array_index(open, i);
		g_autoptr(GError) cups_error = NULL;
		gchar *line = NULL;
		if (g_strcmp0(r->state, "submitting") != 0 || r->cups_job_id != 0)
			continue;
		if (st_printing_settle(self, r, &line, &cups_error, error) == -2)
			return FALSE;
		if (line != NULL)
			g_ptr_array_add(said, line);
	}
	return TRUE;
}

/**
 * st_printing_recover:
 *
 * Follows again the prints the store says are not finished (after a restart). A print that
 * was being submitted when the station stopped is looked for in CUPS by its job name: found,
 * it is followed; not found, it is marked failed (it never reached CUPS). Blocks on CUPS.
 * A print that CUPS cannot be asked about is left as it is and the others are still
 * followed; calling this again later takes up the ones left.
 *
 * Returns: how many prints are now followed; @error is set when the store failed (then
 *   the rest were not looked at) or when CUPS could not be asked about some of them
 */
guint
st_printing_recover(StPrinting *self, GError **error)
{
	g_autoptr(GPtrArray) open = st_store_get_prints(self->store, 0, TRUE, 0, error);
	g_autoptr(GError) cups_failed = NULL;
	guint followed = 0;

	if (open == NULL)
		return 0;
	for (guint i = 0; i < open->len; i++) {
		StPrintRecord *r = g_ptr_array_index(open, i);
		StPrintProgress *p;
		gint job = r->cups_job_id;

		if (job == 0) {
			g_autoptr(GError) cups_error = NULL;
			job = st_printing_settle(self, r, NULL, &cups_error, error);
			if (job == -2)
				return followed;
			if (job < 0) {
				/* the others are still followed; this one waits for the next try */
				if (cups_failed == NULL)
					cups_failed = g_steal_pointer(&cups_error);
				continue;
			}
			if (job == 0)
				continue;
		}
		if (g_hash_table_contains(self->by_job, GINT_TO_POINTER(job)))
			continue; /* followed already (a second call, after CUPS came back) */
		p = g_new0(StPrintProgress, 1);
		p->print_id = r->id;
		p->label_id = r->label_id;
		p->state = g_strdup(r->state);
		p->message = g_strdup(r->message);
		g_hash_table_insert(self->by_job, GINT_TO_POINTER(job), p);
		st_print_tracker_follow(self->tracker, r->queue, job);
		followed++;
	}
	if (cups_failed != NULL)
		g_propagate_error(error, g_steal_pointer(&cups_failed));
	return followed;
}

/* what a label rendered from shipment data is known by: its tracking number or SSCC */
static gchar *
st_printing_data_reference(const gchar *data, gsize len)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonNode *root;
	if (len > ST_LABEL_MAX_JSON ||
	    !st_bounded_json_check(data, len, ST_BOUNDED_JSON_DEPTH, NULL) ||
	    !json_parser_load_from_data(parser, data, (gssize)len, NULL))
		return NULL;
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		return NULL;
	for (const gchar *const *k = (const gchar *const[]){"tracking", "sscc", NULL}; *k; k++) {
		JsonNode *n = json_object_get_member(json_node_get_object(root), *k);
		if (n != NULL && JSON_NODE_HOLDS_VALUE(n) &&
		    json_node_get_value_type(n) == G_TYPE_STRING)
			return g_strndup(json_node_get_string(n), 128);
	}
	return NULL;
}

/**
 * st_printing_put_template:
 * @printer: (nullable): the printer it is for (its language and resolution); NULL: label
 * @order: (nullable): the order the label belongs to
 * @kind: (nullable): what it is (carrier, packing-slip, ...); default: the template's name
 * @existed: (out): the same label (bytes and order) was stored before
 *
 * Renders @template_name from shipment data for the printer it will print on and stores it;
 * nothing is stored when a field is missing or wrong.
 *
 * Returns: the label's id, or 0 with an error naming the field
 */
gint64
st_printing_put_template(StPrinting *self,
			 const gchar *template_name,
			 const gchar *printer,
			 const gchar *data,
			 gsize len,
			 const gchar *order,
			 const gchar *kind,
			 gboolean *existed,
			 GError **error)
{
	g_autoptr(StPrinterConfig) cfg = st_printing_resolve(self, printer, NULL, error);
	g_autoptr(StLabelTemplate) tmpl = NULL;
	g_autoptr(StLabel) label = NULL;
	g_autoptr(GBytes) content = NULL;
	g_autofree gchar *page = NULL, *reference = NULL;
	StLabelSpec spec = {NULL};
	StLabelFormat lf;
	const gchar *format;
	gint64 id = 0;

	if (cfg == NULL)
		return 0;
	tmpl = st_label_find_template(template_name, error);
	if (tmpl == NULL)
		return 0;
	format = g_strcmp0(cfg->language, "pdf") == 0 ? "pdf" : "zpl";
	st_label_format_from_string(format, &lf);
	/* a document (a page of A4 or Letter) on a label printer prints as garbage or nothing:
	 * refused, saying where it goes */
	if (lf == ST_LABEL_FORMAT_ZPL &&
	    st_label_template_get_default_format(tmpl) != ST_LABEL_FORMAT_ZPL) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "template %s is a document page, and printer %s is a ZPL label "
			    "printer: print it with --printer document (or another [printer NAME] "
			    "with language = pdf)",
			    st_label_template_get_name(tmpl), cfg->name);
		return 0;
	}
	label = st_label_template_fill(tmpl, data, (gssize)len,
				       cfg->dpi != 0 ? (gint)cfg->dpi : 203, st_label_check_value,
				       NULL, error);
	if (label == NULL)
		return 0;
	content = st_label_render(label, lf, error);
	if (content == NULL)
		return 0;
	page = st_label_pwg_media(label);
	reference = st_printing_data_reference(data, len);
	spec.kind = kind != NULL ? kind : st_label_template_get_name(tmpl);
	spec.source = st_label_template_get_name(tmpl);
	spec.format = format;
	spec.dpi = (guint)label->dpi;
	spec.page = page;
	spec.content = content;
	spec.order_number = order;
	spec.reference = reference;
	if (!st_store_put_label(self->store, &spec, &id, existed, error))
		return 0;
	return id;
}

/**
 * st_printing_cancel:
 * @operator_name: (nullable): who asked, for the record
 * @cancelled: (out): how many prints were cancelled
 *
 * Cancels every print of @label_id that has not ended: its CUPS job is cancelled and the
 * print is stored as cancelled, so the label can be printed again without --reprint. Blocks
 * on CUPS.
 *
 * Returns: FALSE with ST_ERROR_NOT_FOUND when the label has no prints, ST_ERROR_REFUSED when
 *   none is waiting (the error says how the latest ended), or CUPS's error
 */
gboolean
st_printing_cancel(StPrinting *self,
		   gint64 label_id,
		   const gchar *operator_name,
		   guint *cancelled,
		   GError **error)
{
	const gchar *server = st_print_tracker_get_server(self->tracker);
	g_autoptr(GPtrArray) open = st_store_get_prints(self->store, label_id, TRUE, 0, error);
	g_autofree gchar *message =
		g_strdup_printf("cancelled by %s at the station",
				operator_name != NULL ? operator_name : "someone");

	*cancelled = 0;
	if (open == NULL)
		return FALSE;
	if (open->len == 0) {
		g_autoptr(GPtrArray) all =
			st_store_get_prints(self->store, label_id, FALSE, 1, error);
		StPrintRecord *last;
		if (all == NULL)
			return FALSE;
		if (all->len == 0) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_NOT_FOUND,
				    "label %" G_GINT64_FORMAT " has no prints (`station printers` "
				    "lists the latest)",
				    label_id);
			return FALSE;
		}
		last = g_ptr_array_index(all, 0);
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_REFUSED,
			    "label %" G_GINT64_FORMAT " has no print waiting: its latest print "
			    "ended %s%s%s",
			    label_id, last->state, last->message[0] != '\0' ? ": " : "",
			    last->message);
		return FALSE;
	}
	for (guint i = 0; i < open->len; i++) {
		StPrintRecord *r = g_ptr_array_index(open, i);
		gint job = r->cups_job_id;
		if (g_str_has_prefix(r->queue, ST_PRINTING_SPOOL_PREFIX)) {
			job = 0; /* no CUPS job: only the record to end */
		} else if (job == 0) {
			/* being handed to CUPS, or the station stopped while it was: CUPS knows
			 * it by its name if it took it */
			g_autofree gchar *title = st_printing_job_title(self, r->label_id, r->id);
			job = st_printer_find_job(server, r->queue, title, error);
			if (job < 0)
				return FALSE;
		}
		if (job > 0 && !st_printer_cancel_job(server, r->queue, job, error))
			return FALSE;
		if (!st_store_print_update(self->store, r->id, "cancelled", message, error))
			return FALSE;
		g_message("label %" G_GINT64_FORMAT ": print %" G_GINT64_FORMAT
			  " (job %d on %s) %s",
			  r->label_id, r->id, job, r->queue, message);
		(*cancelled)++;
	}
	return TRUE;
}

guint
st_printing_get_n_followed(StPrinting *self)
{
	return g_hash_table_size(self->by_job);
}

static void
st_printing_dispose(GObject *object)
{
	StPrinting *self = ST_PRINTING(object);
	if (self->tracker != NULL)
		g_signal_handlers_disconnect_by_data(self->tracker, self);
	g_clear_object(&self->tracker);
	g_clear_object(&self->store);
	G_OBJECT_CLASS(st_printing_parent_class)->dispose(object);
}

static void
st_printing_finalize(GObject *object)
{
	StPrinting *self = ST_PRINTING(object);
	g_free(self->station_id);
	g_ptr_array_unref(self->printers);
	g_hash_table_unref(self->by_job);
	G_OBJECT_CLASS(st_printing_parent_class)->finalize(object);
}

static void
st_printing_class_init(StPrintingClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = st_printing_dispose;
	object_class->finalize = st_printing_finalize;

	/**
	 * StPrinting::print-changed:
	 * @progress: the print's stored state and CUPS's view of the job
	 *
	 * Emitted on the main loop, after the change is stored.
	 */
	signals[SIGNAL_PRINT_CHANGED] =
		g_signal_new("print-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			     NULL, NULL, G_TYPE_NONE, 1, st_print_progress_get_type());
	/**
	 * StPrinting::print-started:
	 * @progress: the print's first state: written to its spool folder, or taken by CUPS
	 *
	 * Emitted on the main loop, after it is stored, before the print's callback runs;
	 * "print-changed" follows each later change.
	 */
	signals[SIGNAL_PRINT_STARTED] =
		g_signal_new("print-started", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			     NULL, NULL, G_TYPE_NONE, 1, st_print_progress_get_type());
}

static void
st_printing_init(StPrinting *self)
{
	self->by_job = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
					     (GDestroyNotify)st_print_progress_free);
	self->printers = g_ptr_array_new_with_free_func((GDestroyNotify)st_printer_config_free);
}

StPrinting *
st_printing_new(StStore *store, const StConfig *config)
{
	StPrinting *self = g_object_new(ST_TYPE_PRINTING, NULL);
	self->store = g_object_ref(store);
	self->station_id = g_strdup(config->station_id);
	for (guint i = 0; i < config->printers->len; i++) {
		const StPrinterConfig *p = g_ptr_array_index(config->printers, i);
		g_ptr_array_add(self->printers, st_printer_config_find(config->printers, p->name));
	}
	self->tracker = st_print_tracker_new(config->cups_server, config->print_poll_ms);
	g_signal_connect(self->tracker, "job-changed", G_CALLBACK(st_printing_job_changed_cb),
			 self);
	return self;
}

/**
 * st_printing_check_queues:
 * @config: the configuration whose [printer NAME] groups are checked
 * @missing: (out) (transfer full) (element-type utf8): one sentence per configured CUPS queue
 *   that does not exist, naming the group, the file and the line
 *
 * Asks CUPS whether each configured printer's queue exists, so a misspelt queue is found at
 * start, not at the first label. Spool folders need no CUPS.
 *
 * Returns: FALSE with an error when CUPS does not answer (the queues are then unchecked)
 */
gboolean
st_printing_check_queues(const StConfig *config, GPtrArray **missing, GError **error)
{
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) queues = NULL;
	gboolean any = FALSE;

	for (guint i = 0; i < config->printers->len; i++)
		any |= ((StPrinterConfig *)g_ptr_array_index(config->printers, i))->queue != NULL;
	if (any) {
		queues = st_printer_get_queues(config->cups_server, error);
		if (queues == NULL)
			return FALSE;
	}
	for (guint i = 0; any && i < config->printers->len; i++) {
		const StPrinterConfig *p = g_ptr_array_index(config->printers, i);
		g_autofree gchar *group = NULL;
		g_autofree gchar *where = NULL;
		g_autoptr(GString) names = g_string_new(NULL);
		gboolean exists = FALSE;
		if (p->queue == NULL)
			continue;
		for (guint k = 0; k < queues->len; k++) {
			const StPrintQueue *q = g_ptr_array_index(queues, k);
			exists |= g_strcmp0(q->name, p->queue) == 0;
			g_string_append_printf(names, "%s%s", names->len > 0 ? ", " : "", q->name);
		}
		if (exists)
			continue;
		group = g_strdup_printf("printer %s", p->name);
		where = st_config_describe_location(config, group, "queue");
		g_ptr_array_add(found,
				g_strdup_printf("%s: CUPS has no queue '%s' (it has: %s)", where,
						p->queue, names->len > 0 ? names->str : "none"));
	}
	*missing = g_steal_pointer(&found);
	return TRUE;
}

/**
 * st_printing_refresh:
 *
 * Asks CUPS once about every print the store still has as unfinished with a CUPS job, and
 * stores the end of those that ended, so `station printers` tells what CUPS knows even when
 * no `station serve` follows the jobs. Spool prints and prints not yet at CUPS are left to
 * st_printing_recover().
 *
 * Returns: the number of prints found ended; with @error set when CUPS or the store failed
 */
guint
st_printing_refresh(StPrinting *self, GError **error)
{
	g_autoptr(GPtrArray) open = st_store_get_prints(self->store, 0, TRUE, 0, error);
	const gchar *server = st_print_tracker_get_server(self->tracker);
	guint ended = 0;

	if (open == NULL)
		return 0;
	for (guint i = 0; i < open->len; i++) {
		StPrintRecord *r = g_ptr_array_index(open, i);
		g_autoptr(StPrintJobStatus) s = NULL;
		g_autofree gchar *message = NULL;
		const gchar *state;
		if (r->cups_job_id <= 0 || g_str_has_prefix(r->queue, ST_PRINTING_SPOOL_PREFIX))
			continue;
		s = st_printer_get_job(server, r->queue, r->cups_job_id, error);
		if (s == NULL)
			return ended;
		state = st_printing_state(s);
		if (state == NULL || !st_print_job_state_is_final(s->state))
			continue;
		message = st_print_job_status_describe(s);
		if (!st_store_print_update(self->store, r->id, state, message, error))
			return ended;
		ended++;
	}
	return ended;
}

void
st_order_print_free(StOrderPrint *self)
{
	if (self == NULL)
		return;
	g_free(self->printer);
	g_free(self->what);
	g_free(self);
}

/**
 * st_printing_put_order:
 * @config: the [pack] templates and [sender]
 * @labels: render the parcels' labels; @slip: render the slip (and the customs
 *   declaration)
 * @trouble: (out) (optional) (nullable): what could not be printed while the rest is, said
 *   for the shift lead (a customs declaration without the products' HS codes)
 *
 * Renders and stores what the bench prints when @order is packed: each parcel's label (with
 * its SSCC, weight and package n of m; template [pack] label-template) for the label
 * printer, and the packing slip ([pack] slip-template, unless none) for the document
 * printer, and when the ship-to country is outside the sender's customs area the customs
 * declaration ([customs] template) after it. Parcels without an SSCC get no label.
 *
 * Returns: (transfer container) (element-type StOrderPrint): what to print, in order; NULL
 *   with an error naming the template and field that could not be filled
 */
GPtrArray *
st_printing_put_order(StPrinting *self,
		      const StConfig *config,
		      const gchar *order,
		      gboolean labels,
		      gboolean slip,
		      gchar **trouble,
		      GError **error)
{
	g_autoptr(GPtrArray) out =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_order_print_free);
	g_autoptr(StOrder) o = st_store_find_order(self->store, order, error);
	g_autoptr(GPtrArray) parcels = NULL;
	g_autoptr(JsonNode) ship = NULL;
	const gchar *tracking, *carrier, *service;

	if (o == NULL)
		return NULL;
	parcels = st_store_get_order_parcels(self->store, o->id, error);
	if (parcels == NULL)
		return NULL;
	ship = st_store_get_shipment(self->store, order, error);
	if (ship == NULL)
		return NULL;
	tracking = json_object_get_string_member_with_default(json_node_get_object(ship),
							      "tracking", NULL);
	carrier = json_object_get_string_member_with_default(json_node_get_object(ship), "carrier",
							     "");
	service = json_object_get_string_member_with_default(json_node_get_object(ship), "service",
							     "");
	for (guint i = 0; labels && i < parcels->len; i++) {
		const StParcel *p = g_ptr_array_index(parcels, i);
		StOrderPrint *print;
		gsize len = 0;
		g_autofree gchar *data = NULL;
		const gchar *tmpl = config->label_template;
		gint64 id = 0;
		if (p->reference == NULL)
			continue;
		if (tracking != NULL && g_strcmp0(p->reference, tracking) == 0) {
			/* the carrier's parcel: the label it made, as it is, else its template
			 * with its tracking number */
			g_autoptr(GError) error_label = NULL;
			g_autoptr(StShipment) made =
				st_store_find_shipment(self->store, p->reference, &error_label);
			if (made != NULL && made->order_id == o->id)
				id = made->label_id;
			tmpl = st_config_carrier_template(config, carrier, service);
			if (id == 0 && tmpl == NULL) {
				g_set_error(
					error, ST_SERVICE_ERROR, ST_ERROR_INVALID_CONFIG,
					"order %s has the %s tracking number %s and no label of "
					"its own, and [pack] carrier-templates names no template "
					"for %s",
					order, carrier, p->reference, carrier);
				return NULL;
			}
		}
		if (id == 0) {
			data = st_label_parcel_data(self->store, config, order, p->number, &len,
						    error);
			if (data == NULL)
				return NULL;
			id = st_printing_put_template(self, tmpl, "label", data, len, order,
						      "parcel", NULL, error);
		}
		if (id == 0) {
			g_prefix_error(error, "the label of parcel %u of order %s: ", p->number,
				       order);
			return NULL;
		}
		print = g_new0(StOrderPrint, 1);
		print->label_id = id;
		print->printer = g_strdup("label");
		print->what = g_strdup_printf("label of parcel %u (%s)", p->number, p->reference);
		g_ptr_array_add(out, print);
	}
	if (slip && g_strcmp0(config->slip_template, "none") != 0) {
		gsize len = 0;
		g_autofree gchar *data = st_label_shipment_data(self->store, config, order, NULL, 0,
								NULL, &len, error);
		StOrderPrint *print;
		gint64 id;
		if (data == NULL)
			return NULL;
		id = st_printing_put_template(self, config->slip_template, "document", data, len,
					      order, "packing-slip", NULL, error);
		if (id == 0) {
			g_prefix_error(error, "the packing slip of order %s: ", order);
			return NULL;
		}
		print = g_new0(StOrderPrint, 1);
		print->label_id = id;
		print->printer = g_strdup("document");
		print->what = g_strdup("packing slip");
		g_ptr_array_add(out, print);
	}
	if (slip && g_strcmp0(config->customs_template, "none") != 0) {
		g_autoptr(JsonNode) shipment = st_store_get_shipment(self->store, order, error);
		JsonObject *to;
		if (shipment == NULL)
			return NULL;
		to = json_object_get_object_member(json_node_get_object(shipment), "recipient");
		if (st_config_customs_needed(
			    config, to != NULL ? json_object_get_string_member_with_default(
							 to, "country", NULL)
					       : NULL)) {
			g_autoptr(GError) error_customs = NULL;
			gsize len = 0;
			g_autofree gchar *data = st_label_customs_data(self->store, config, order,
								       &len, &error_customs);
			gint64 id =
				data != NULL
					? st_printing_put_template(self, config->customs_template,
								   "document", data, len, order,
								   "customs", NULL, &error_customs)
					: 0;
			if (id == 0) {
				if (trouble != NULL)
					*trouble = g_strdup_printf(
						"customs declaration not printed: %s",
						error_customs->message);
			} else {
				StOrderPrint *print = g_new0(StOrderPrint, 1);
				print->label_id = id;
				print->printer = g_strdup("document");
				print->what = g_strdup("customs declaration");
				g_ptr_array_add(out, print);
			}
		}
	}
	return g_steal_pointer(&out);
}

/**
 * st_printing_put_manifest:
 * @config: the [sender]
 *
 * Renders and stores manifest @id's document (template manifest) for the document printer.
 *
 * Returns: the label's id, or 0 with an error
 */
gint64
st_printing_put_manifest(StPrinting *self, const StConfig *config, gint64 id, GError **error)
{
	g_autoptr(JsonNode) root = st_store_get_manifest_document(self->store, id, error);
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autofree gchar *data = NULL;
	gsize len = 0;

	if (root == NULL)
		return 0;
	st_label_data_add_sender(json_node_get_object(root), config);
	json_generator_set_root(gen, root);
	data = json_generator_to_data(gen, &len);
	return st_printing_put_template(self, "manifest", "document", data, len, NULL, "manifest",
					NULL, error);
}

/* Returns: (transfer none): the store it records prints in */
StStore *
st_printing_get_store(StPrinting *self)
{
	return self->store;
}

/**
 * st_printing_put_pick_list:
 * @config: the [barcodes] patterns the list's barcode must be read by
 * @printer: (nullable): the printer it is for; NULL: the document printer
 *
 * Renders and stores pick list @id's sheet (template picklist) with a barcode that the
 * configuration's [barcodes] pick-list pattern reads as the list: PL-CODE, else CODE.
 *
 * Returns: the label's id, or 0 with an error (ST_ERROR_INVALID_DATA when the pattern reads
 *   neither form: the sheet would carry a barcode no pick seat takes)
 */
gint64
st_printing_put_pick_list(StPrinting *self,
			  const StConfig *config,
			  gint64 id,
			  const gchar *printer,
			  GError **error)
{
	g_autoptr(JsonNode) root = st_store_get_pick_list_document(self->store, id, error);
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autofree gchar *data = NULL;
	const gchar *code;
	const gchar *barcode = NULL;
	gsize len = 0;

	if (root == NULL)
		return 0;
	code = json_object_get_string_member(json_node_get_object(root), "picklist");
	{
		g_autofree gchar *prefixed = g_strconcat("PL-", code, NULL);
		const gchar *candidates[] = {prefixed, code};
		for (guint i = 0; barcode == NULL && i < G_N_ELEMENTS(candidates); i++) {
			g_autoptr(StBarcode) bc = st_barcode_parse_full(
				config->barcode_patterns, (const guint8 *)candidates[i],
				strlen(candidates[i]), NULL, ST_BARCODE_INPUT_SCAN);
			if (bc->valid && bc->kind == ST_BARCODE_KIND_PICK_LIST &&
			    g_strcmp0(bc->key, code) == 0)
				barcode = candidates[i];
		}
		if (barcode == NULL) {
			g_set_error(
				error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				"the [barcodes] pick-list pattern reads neither PL-%s nor %s as "
				"pick list %s: a sheet would carry a barcode no pick seat takes; "
				"fix the pattern",
				code, code, code);
			return 0;
		}
		json_object_set_string_member(json_node_get_object(root), "barcode", barcode);
	}
	json_generator_set_root(gen, root);
	data = json_generator_to_data(gen, &len);
	return st_printing_put_template(self, "picklist", printer != NULL ? printer : "document",
					data, len, NULL, "picklist", NULL, error);
}
