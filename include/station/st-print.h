/*
 * Printing through CUPS (labels/print/; st-printer.c is the only file that includes
 * cups/cups.h).
 *
 * The st_printer_* calls are blocking IPP requests to the scheduler; each opens its own
 * connection, so any thread may call them. StPrintTracker runs them in a worker thread and
 * follows submitted jobs on the main loop: it asks CUPS for each job's state while jobs are in
 * flight (never when none is) and emits "job-changed" each time the job, or the state of its
 * queue, changes, until the job is completed, cancelled or aborted.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* IPP job-state values (RFC 8011 5.3.7) */
typedef enum {
	ST_PRINT_JOB_UNKNOWN = 0, /* CUPS no longer knows the job, or could not be asked */
	ST_PRINT_JOB_PENDING = 3,
	ST_PRINT_JOB_HELD = 4,
	ST_PRINT_JOB_PROCESSING = 5,
	ST_PRINT_JOB_STOPPED = 6,
	ST_PRINT_JOB_CANCELED = 7,
	ST_PRINT_JOB_ABORTED = 8,
	ST_PRINT_JOB_COMPLETED = 9,
} StPrintJobState;

/* IPP printer-state values */
typedef enum {
	ST_PRINTER_UNKNOWN = 0,
	ST_PRINTER_IDLE = 3,
	ST_PRINTER_PROCESSING = 4,
	ST_PRINTER_STOPPED = 5,
} StPrinterState;

/* What, if anything, keeps a queue or a job from printing, in the operator's terms. */
typedef enum {
	ST_PRINT_ATTENTION_NONE,
	ST_PRINT_ATTENTION_PAUSED,	 /* the queue is paused (cupsdisable); jobs wait in it */
	ST_PRINT_ATTENTION_REJECTING,	 /* the queue refuses new jobs (cupsreject) */
	ST_PRINT_ATTENTION_UNREACHABLE,	 /* the printer does not answer; CUPS keeps trying */
	ST_PRINT_ATTENTION_MEDIA,	 /* out of labels, paper or ribbon, jammed, or open */
	ST_PRINT_ATTENTION_STOPPED,	 /* the queue stopped after an error */
	ST_PRINT_ATTENTION_HELD,	 /* the job is held in the queue */
	ST_PRINT_ATTENTION_NO_SCHEDULER, /* CUPS itself does not answer */
	ST_PRINT_ATTENTION_MESSAGE,	 /* the printer says something (see the message) */
} StPrintAttention;

typedef struct {
	gchar *name;
	gchar *info;	   /* (nullable) */
	gchar *location;   /* (nullable) */
	gchar *device_uri; /* (nullable) */
	gchar *make_model; /* (nullable) */
	StPrinterState state;
	gchar **reasons; /* printer-state-reasons without "none" */
	gchar *message;	 /* printer-state-message, "" when none */
	gboolean accepting;
	gchar **formats; /* document-format-supported */
	guint queued_jobs;
	StPrintAttention attention;
} StPrintQueue;

typedef struct {
	gint id;
	gchar *queue;
	gchar *name; /* job-name */
	StPrintJobState state;
	gchar **reasons; /* job-state-reasons */
	gchar *message;	 /* job-printer-state-message, "" when none */
	gint64 created;	 /* unix time; 0 when unknown */
	gint64 completed;
	/* the queue at the same moment */
	StPrinterState printer_state;
	gchar **printer_reasons;
	gchar *printer_message;
	gboolean printer_accepting;
	StPrintAttention attention;
	gchar *error; /* (nullable): why CUPS could not be asked (ST_PRINT_JOB_UNKNOWN) */
} StPrintJobStatus;

typedef struct {
	const gchar *queue;
	const gchar *format; /* MIME type: application/pdf, application/vnd.cups-raw, ... */
	const gchar *title;  /* job-name; the station finds a job again by it */
	const gchar *media;  /* (nullable): a PWG media name such as na_index-4x6_4x6in */
	guint copies;	     /* 0 or 1: one */
} StPrintRequest;

void
st_print_queue_free(StPrintQueue *self);
void
st_print_job_status_free(StPrintJobStatus *self);
StPrintJobStatus *
st_print_job_status_copy(const StPrintJobStatus *self);
GType
st_print_job_status_get_type(void);
#define ST_TYPE_PRINT_JOB_STATUS (st_print_job_status_get_type())
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StPrintQueue, st_print_queue_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StPrintJobStatus, st_print_job_status_free)

const gchar *
st_print_job_state_to_string(StPrintJobState state);
gboolean
st_print_job_state_is_final(StPrintJobState state);
const gchar *
st_printer_state_to_string(StPrinterState state);
const gchar *
st_print_attention_to_string(StPrintAttention attention);
StPrintAttention
st_print_job_attention(const StPrintJobStatus *status);
gchar *
st_print_job_status_describe(const StPrintJobStatus *status);
gchar *
st_print_queue_describe(const StPrintQueue *queue);
gboolean
st_printer_queue_name_valid(const gchar *name);

/* blocking; @server: NULL for libcups' choice ($CUPS_SERVER, then /run/cups/cups.sock), a
 * socket path, or host[:port] */
GPtrArray *
st_printer_get_queues(const gchar *server, GError **error);
StPrintQueue *
st_printer_get_queue(const gchar *server, const gchar *name, GError **error);
gboolean
st_printer_submit(const gchar *server,
		  const StPrintRequest *request,
		  GBytes *data,
		  gint *job_id,
		  GError **error);
StPrintJobStatus *
st_printer_get_job(const gchar *server, const gchar *queue, gint job_id, GError **error);
GPtrArray *
st_printer_get_jobs(const gchar *server, const gchar *queue, gboolean all, GError **error);
gint
st_printer_find_job(const gchar *server, const gchar *queue, const gchar *title, GError **error);
gboolean
st_printer_cancel_job(const gchar *server, const gchar *queue, gint job_id, GError **error);

/* following jobs on the main loop */
#define ST_TYPE_PRINT_TRACKER (st_print_tracker_get_type())
G_DECLARE_FINAL_TYPE(StPrintTracker, st_print_tracker, ST, PRINT_TRACKER, GObject)

StPrintTracker *
st_print_tracker_new(const gchar *server, guint interval_ms);
const gchar *
st_print_tracker_get_server(StPrintTracker *self);
void
st_print_tracker_submit_async(StPrintTracker *self,
			      const StPrintRequest *request,
			      GBytes *data,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
StPrintJobStatus *
st_print_tracker_submit_finish(StPrintTracker *self, GAsyncResult *result, GError **error);
void
st_print_tracker_follow(StPrintTracker *self, const gchar *queue, gint job_id);
guint
st_print_tracker_get_n_followed(StPrintTracker *self);

G_END_DECLS
