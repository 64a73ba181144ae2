/*
 * StPrintTracker: submissions and the jobs they make, followed on the main loop. The IPP
 * calls (st-printer.c) run in GTask worker threads; their results come back to the main
 * context, where ::job-changed is emitted each time a job's state changes.
 */
#define G_LOG_DOMAIN "station-print"

#include <string.h>

#include "station/st-error.h"
#include "station/st-print.h"

#include "st-print-private.h"

typedef struct {
	gchar *queue;
	gint id;
	StPrintJobStatus *last; /* (nullable) */
} StFollowed;

struct _StPrintTracker {
	GObject parent_instance;
	gchar *server;
	guint interval_ms;
	GHashTable *followed; /* job id -> StFollowed */
	guint timeout_id;
	gboolean polling;
	GCancellable *cancellable;
};

enum { SIGNAL_JOB_CHANGED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST];

G_DEFINE_TYPE(StPrintTracker, st_print_tracker, G_TYPE_OBJECT)

static void
st_followed_free(StFollowed *f)
{
	g_free(f->queue);
	st_print_job_status_free(f->last);
	g_free(f);
}

static void
st_print_tracker_schedule(StPrintTracker *self);

static gboolean
st_print_status_equal(const StPrintJobStatus *a, const StPrintJobStatus *b)
{
	return a->state == b->state && a->attention == b->attention &&
	       a->printer_state == b->printer_state &&
	       a->printer_accepting == b->printer_accepting &&
	       g_strcmp0(a->message, b->message) == 0 &&
	       g_strcmp0(a->printer_message, b->printer_message) == 0 &&
	       g_strcmp0(a->error, b->error) == 0 &&
	       g_strv_equal((const gchar *const *)a->reasons, (const gchar *const *)b->reasons) &&
	       g_strv_equal((const gchar *const *)a->printer_reasons,
			    (const gchar *const *)b->printer_reasons);
}

/* a status for a job that could not be asked about */
static StPrintJobStatus *
st_print_status_unknown(const gchar *queue, gint id, const GError *error)
{
	StPrintJobStatus *s = g_new0(StPrintJobStatus, 1);
	s->id = id;
	s->queue = g_strdup(queue);
	s->reasons = g_new0(gchar *, 1);
	s->message = g_strdup("");
	s->printer_reasons = g_new0(gchar *, 1);
	s->printer_message = g_strdup("");
	if (!g_error_matches(error, ST_PRINT_ERROR, ST_ERROR_NOT_FOUND))
		s->error = g_strdup(error->message);
	s->attention = st_print_job_attention(s);
	return s;
}

typedef struct {
	gchar *server;
	GPtrArray *queues; /* gchar* */
	GArray *ids;	   /* gint */
} StPollData;

static void
st_poll_data_free(StPollData *d)
{
	g_free(d->server);
	g_ptr_array_unref(d->queues);
	g_array_unref(d->ids);
	g_free(d);
}

/* runs in a GTask worker thread */
static void
st_print_tracker_poll_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	StPollData *d = task_data;
	GPtrArray *statuses =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_print_job_status_free);

	for (guint i = 0; i < d->ids->len; i++) {
		const gchar *queue = g_ptr_array_index(d->queues, i);
		gint id = g_array_index(d->ids, gint, i);
		g_autoptr(GError) error = NULL;
		StPrintJobStatus *s = st_printer_get_job(d->server, queue, id, &error);
		if (s == NULL)
			s = st_print_status_unknown(queue, id, error);
		g_ptr_array_add(statuses, s);
	}
	g_task_return_pointer(task, statuses, (GDestroyNotify)g_ptr_array_unref);
}

/* on the main loop */
static void
st_print_tracker_poll_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	StPrintTracker *self = ST_PRINT_TRACKER(source);
	g_autoptr(GPtrArray) statuses = g_task_propagate_pointer(G_TASK(result), NULL);

	self->polling = FALSE;
	if (statuses == NULL)
		return; /* cancelled: the tracker is going away */
	for (guint i = 0; i < statuses->len; i++) {
		StPrintJobStatus *s = g_ptr_array_index(statuses, i);
		StFollowed *f = g_hash_table_lookup(self->followed, GINT_TO_POINTER(s->id));
		gboolean final = st_print_job_state_is_final(s->state) ||
				 (s->state == ST_PRINT_JOB_UNKNOWN && s->error == NULL);
		if (f == NULL)
			continue;
		if (f->last == NULL || !st_print_status_equal(f->last, s)) {
			g_autofree gchar *text = st_print_job_status_describe(s);
			g_info("%s", text);
			st_print_job_status_free(f->last);
			f->last = st_print_job_status_copy(s);
			g_signal_emit(self, signals[SIGNAL_JOB_CHANGED], 0, s);
		}
		if (final)
			g_hash_table_remove(self->followed, GINT_TO_POINTER(s->id));
	}
	st_print_tracker_schedule(self);
}

static gboolean
st_print_tracker_poll_cb(gpointer user_data)
{
	StPrintTracker *self = ST_PRINT_TRACKER(user_data);
	StPollData *d = g_new0(StPollData, 1);
	g_autoptr(GTask) task =
		g_task_new(self, self->cancellable, st_print_tracker_poll_done, NULL);
	GHashTableIter iter;
	StFollowed *f;

	self->timeout_id = 0;
	self->polling = TRUE;
	d->server = g_strdup(self->server);
	d->queues = g_ptr_array_new_with_free_func(g_free);
	d->ids = g_array_new(FALSE, FALSE, sizeof(gint));
	g_hash_table_iter_init(&iter, self->followed);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&f)) {
		g_ptr_array_add(d->queues, g_strdup(f->queue));
		g_array_append_val(d->ids, f->id);
	}
	g_task_set_task_data(task, d, (GDestroyNotify)st_poll_data_free);
	g_task_set_return_on_cancel(task, TRUE);
	g_task_run_in_thread(task, st_print_tracker_poll_thread);
	return G_SOURCE_REMOVE;
}

/* polls again after the interval, only while jobs are followed */
static void
st_print_tracker_schedule(StPrintTracker *self)
{
	if (self->polling || self->timeout_id != 0 || g_hash_table_size(self->followed) == 0)
		return;
	self->timeout_id = g_timeout_add(self->interval_ms, st_print_tracker_poll_cb, self);
}

/**
 * st_print_tracker_follow:
 *
 * Follows a job already in CUPS (one submitted before the station restarted): "job-changed"
 * is emitted with its state as soon as it is known, then at each change until it ends.
 */
void
st_print_tracker_follow(StPrintTracker *self, const gchar *queue, gint job_id)
{
	StFollowed *f;
	g_return_if_fail(ST_IS_PRINT_TRACKER(self));
	if (g_hash_table_contains(self->followed, GINT_TO_POINTER(job_id)))
		return;
	f = g_new0(StFollowed, 1);
	f->queue = g_strdup(queue);
	f->id = job_id;
	g_hash_table_insert(self->followed, GINT_TO_POINTER(job_id), f);
	st_print_tracker_schedule(self);
}

guint
st_print_tracker_get_n_followed(StPrintTracker *self)
{
	return g_hash_table_size(self->followed);
}

const gchar *
st_print_tracker_get_server(StPrintTracker *self)
{
	return self->server;
}

typedef struct {
	gchar *server;
	gchar *queue, *format, *title, *media;
	guint copies;
	GBytes *data;
} StSubmitData;

static void
st_submit_data_free(StSubmitData *d)
{
	g_free(d->server);
	g_free(d->queue);
	g_free(d->format);
	g_free(d->title);
	g_free(d->media);
	g_bytes_unref(d->data);
	g_free(d);
}

/* runs in a GTask worker thread: checks the queue, submits, reads the job's first state */
static void
st_print_tracker_submit_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *c)
{
	StSubmitData *d = task_data;
	StPrintRequest request = {d->queue, d->format, d->title, d->media, d->copies};
	g_autoptr(StPrintQueue) q = NULL;
	g_autoptr(GError) error = NULL;
	StPrintJobStatus *s;
	gint job_id = 0;

	q = st_printer_get_queue(d->server, d->queue, &error);
	if (q == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (!q->accepting) {
		g_task_return_new_error(task, ST_PRINT_ERROR, ST_ERROR_REFUSED,
					"queue %s refuses new jobs%s%s: a shift lead turns it back "
					"on with cupsaccept %s; nothing was printed",
					d->queue, q->message[0] != '\0' ? " (" : "", q->message,
					d->queue);
		return;
	}
	if (!st_printer_submit(d->server, &request, d->data, &job_id, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	s = st_printer_get_job(d->server, d->queue, job_id, &error);
	if (s == NULL) {
		/* submitted: the job exists even if its state cannot be read now */
		s = st_print_status_unknown(d->queue, job_id, error);
		s->state = ST_PRINT_JOB_PENDING;
		s->attention = st_print_job_attention(s);
	}
	g_task_return_pointer(task, s, (GDestroyNotify)st_print_job_status_free);
}

/**
 * st_print_tracker_submit_async:
 *
 * Checks that the queue exists and accepts jobs, submits the document and reads the job's
 * first state, in a worker thread. The job is then followed: "job-changed" is emitted at each
 * change after the state st_print_tracker_submit_finish() returns.
 */
void
st_print_tracker_submit_async(StPrintTracker *self,
			      const StPrintRequest *request,
			      GBytes *data,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	StSubmitData *d = g_new0(StSubmitData, 1);

	d->server = g_strdup(self->server);
	d->queue = g_strdup(request->queue);
	d->format = g_strdup(request->format);
	d->title = g_strdup(request->title);
	d->media = g_strdup(request->media);
	d->copies = request->copies;
	d->data = g_bytes_ref(data);
	g_task_set_source_tag(task, st_print_tracker_submit_async);
	g_task_set_task_data(task, d, (GDestroyNotify)st_submit_data_free);
	g_task_run_in_thread(task, st_print_tracker_submit_thread);
}

/* Returns: (transfer full): the job's first state; it is followed from then on */
StPrintJobStatus *
st_print_tracker_submit_finish(StPrintTracker *self, GAsyncResult *result, GError **error)
{
	StPrintJobStatus *s;
	StFollowed *f;

	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	s = g_task_propagate_pointer(G_TASK(result), error);
	if (s == NULL)
		return NULL;
	if (!st_print_job_state_is_final(s->state) &&
	    !g_hash_table_contains(self->followed, GINT_TO_POINTER(s->id))) {
		f = g_new0(StFollowed, 1);
		f->queue = g_strdup(s->queue);
		f->id = s->id;
		f->last = st_print_job_status_copy(s);
		g_hash_table_insert(self->followed, GINT_TO_POINTER(s->id), f);
		st_print_tracker_schedule(self);
	}
	return s;
}

static void
st_print_tracker_dispose(GObject *object)
{
	StPrintTracker *self = ST_PRINT_TRACKER(object);
	g_cancellable_cancel(self->cancellable);
	if (self->timeout_id != 0) {
		g_source_remove(self->timeout_id);
		self->timeout_id = 0;
	}
	g_hash_table_remove_all(self->followed);
	G_OBJECT_CLASS(st_print_tracker_parent_class)->dispose(object);
}

static void
st_print_tracker_finalize(GObject *object)
{
	StPrintTracker *self = ST_PRINT_TRACKER(object);
	g_free(self->server);
	g_hash_table_unref(self->followed);
	g_object_unref(self->cancellable);
	G_OBJECT_CLASS(st_print_tracker_parent_class)->finalize(object);
}

static void
st_print_tracker_class_init(StPrintTrackerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = st_print_tracker_dispose;
	object_class->finalize = st_print_tracker_finalize;

	/**
	 * StPrintTracker::job-changed:
	 * @status: the job's new state, with its queue's
	 *
	 * Emitted on the main loop when a followed job or its queue changes; the last emission
	 * for a job has a final state (or ST_PRINT_JOB_UNKNOWN without error: CUPS forgot it).
	 */
	signals[SIGNAL_JOB_CHANGED] =
		g_signal_new("job-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			     NULL, NULL, G_TYPE_NONE, 1, ST_TYPE_PRINT_JOB_STATUS);
}

static void
st_print_tracker_init(StPrintTracker *self)
{
	self->followed = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
					       (GDestroyNotify)st_followed_free);
	self->cancellable = g_cancellable_new();
}

/**
 * st_print_tracker_new:
 * @server: (nullable): the CUPS scheduler, as for st_printer_get_queues()
 * @interval_ms: how often CUPS is asked about the jobs in flight
 */
StPrintTracker *
st_print_tracker_new(const gchar *server, guint interval_ms)
{
	StPrintTracker *self = g_object_new(ST_TYPE_PRINT_TRACKER, NULL);
	self->server = g_strdup(server);
	self->interval_ms = MAX(interval_ms, 10);
	return self;
}
