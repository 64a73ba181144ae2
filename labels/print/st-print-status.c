/*
 * What CUPS says of a printer queue or a job, as the station tells it: the states, what
 * needs a person's attention (paper out, the printer unplugged, a paused queue, a job held)
 * and one sentence for the operator. Plain values, no IPP here.
 */
#include <string.h>

#include "station/st-error.h"
#include "station/st-print.h"

#include "st-print-private.h"

void
st_print_queue_free(StPrintQueue *self)
{
	if (self == NULL)
		return;
	g_free(self->name);
	g_free(self->info);
	g_free(self->location);
	g_free(self->device_uri);
	g_free(self->make_model);
	g_strfreev(self->reasons);
	g_free(self->message);
	g_strfreev(self->formats);
	g_free(self);
}

void
st_print_job_status_free(StPrintJobStatus *self)
{
	if (self == NULL)
		return;
	g_free(self->queue);
	g_free(self->name);
	g_strfreev(self->reasons);
	g_free(self->message);
	g_strfreev(self->printer_reasons);
	g_free(self->printer_message);
	g_free(self->error);
	g_free(self);
}

StPrintJobStatus *
st_print_job_status_copy(const StPrintJobStatus *self)
{
	StPrintJobStatus *copy = g_new0(StPrintJobStatus, 1);
	*copy = *self;
	copy->queue = g_strdup(self->queue);
	copy->name = g_strdup(self->name);
	copy->reasons = g_strdupv(self->reasons);
	copy->message = g_strdup(self->message);
	copy->printer_reasons = g_strdupv(self->printer_reasons);
	copy->printer_message = g_strdup(self->printer_message);
	copy->error = g_strdup(self->error);
	return copy;
}

G_DEFINE_BOXED_TYPE(StPrintJobStatus,
		    st_print_job_status,
		    st_print_job_status_copy,
		    st_print_job_status_free)

const gchar *
st_print_job_state_to_string(StPrintJobState state)
{
	switch (state) {
	case ST_PRINT_JOB_PENDING:
		return "pending";
	case ST_PRINT_JOB_HELD:
		return "held";
	case ST_PRINT_JOB_PROCESSING:
		return "processing";
	case ST_PRINT_JOB_STOPPED:
		return "stopped";
	case ST_PRINT_JOB_CANCELED:
		return "cancelled";
	case ST_PRINT_JOB_ABORTED:
		return "aborted";
	case ST_PRINT_JOB_COMPLETED:
		return "completed";
	case ST_PRINT_JOB_UNKNOWN:
	default:
		return "unknown";
	}
}

gboolean
st_print_job_state_is_final(StPrintJobState state)
{
	return state == ST_PRINT_JOB_CANCELED || state == ST_PRINT_JOB_ABORTED ||
	       state == ST_PRINT_JOB_COMPLETED;
}

const gchar *
st_printer_state_to_string(StPrinterState state)
{
	switch (state) {
	case ST_PRINTER_IDLE:
		return "idle";
	case ST_PRINTER_PROCESSING:
		return "printing";
	case ST_PRINTER_STOPPED:
		return "stopped";
	case ST_PRINTER_UNKNOWN:
	default:
		return "unknown";
	}
}

const gchar *
st_print_attention_to_string(StPrintAttention attention)
{
	switch (attention) {
	case ST_PRINT_ATTENTION_NONE:
		return "none";
	case ST_PRINT_ATTENTION_PAUSED:
		return "paused";
	case ST_PRINT_ATTENTION_REJECTING:
		return "rejecting";
	case ST_PRINT_ATTENTION_UNREACHABLE:
		return "unreachable";
	case ST_PRINT_ATTENTION_MEDIA:
		return "media";
	case ST_PRINT_ATTENTION_STOPPED:
		return "stopped";
	case ST_PRINT_ATTENTION_HELD:
		return "held";
	case ST_PRINT_ATTENTION_NO_SCHEDULER:
		return "no-scheduler";
	default:
		return "unknown";
	}
}

/* A reason as IPP spells it may end in -report, -warning or -error; warnings do not stop the
 * printer. */
static gboolean
st_print_reason_has(gchar **reasons, const gchar *const *names)
{
	for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++) {
		for (guint n = 0; names[n] != NULL; n++) {
			gsize len = strlen(names[n]);
			const gchar *rest = reasons[i] + len;
			if (strncmp(reasons[i], names[n], len) != 0)
				continue;
			if (*rest == '\0' || g_strcmp0(rest, "-error") == 0 ||
			    g_strcmp0(rest, "-report") == 0)
				return TRUE;
		}
	}
	return FALSE;
}

static const gchar *const st_print_media_reasons[] = {
	"media-empty",	    "media-needed",	   "media-jam",	   "door-open",
	"cover-open",	    "marker-supply-empty", "toner-empty",  "input-tray-missing",
	"output-area-full", "interlock-open",	   "ribbon-empty", NULL,
};
static const gchar *const st_print_offline_reasons[] = {"offline", "timed-out", "shutdown", NULL};

/* CUPS's backends say a printer cannot be reached only in the state message (the socket
 * backend leaves the reasons at "none"); these are the English phrases of its backends. */
static gboolean
st_print_message_says_unreachable(const gchar *message)
{
	static const gchar *const phrases[] = {
		"unavailable",
		"unable to connect",
		"unable to locate",
		"not responding",
		"unreachable",
		"connection refused",
		"network host",
		"waiting for printer to "
		"become available",
		"no route to host",
		NULL,
	};
	g_autofree gchar *lower = NULL;
	if (message == NULL || message[0] == '\0')
		return FALSE;
	lower = g_ascii_strdown(message, -1);
	for (guint i = 0; phrases[i] != NULL; i++) {
		if (strstr(lower, phrases[i]) != NULL)
			return TRUE;
	}
	return FALSE;
}

StPrintAttention
st_print_queue_attention(StPrinterState state,
			 gchar **reasons,
			 const gchar *message,
			 gboolean accepting,
			 gboolean for_job)
{
	static const gchar *const paused[] = {"paused", NULL};
	if (state == ST_PRINTER_STOPPED) {
		if (st_print_reason_has(reasons, paused))
			return ST_PRINT_ATTENTION_PAUSED;
		if (st_print_reason_has(reasons, st_print_media_reasons))
			return ST_PRINT_ATTENTION_MEDIA;
		return ST_PRINT_ATTENTION_STOPPED;
	}
	if (st_print_reason_has(reasons, st_print_media_reasons))
		return ST_PRINT_ATTENTION_MEDIA;
	if (st_print_reason_has(reasons, st_print_offline_reasons))
		return ST_PRINT_ATTENTION_UNREACHABLE;
	/* a job already queued still prints on a queue that refuses new ones */
	if (!for_job && !accepting)
		return ST_PRINT_ATTENTION_REJECTING;
	if (state == ST_PRINTER_PROCESSING && st_print_message_says_unreachable(message))
		return ST_PRINT_ATTENTION_UNREACHABLE;
	return ST_PRINT_ATTENTION_NONE;
}

/* Returns: what keeps the job from printing, from its state and its queue's */
StPrintAttention
st_print_job_attention(const StPrintJobStatus *s)
{
	StPrintAttention attention;
	if (s->state == ST_PRINT_JOB_UNKNOWN && s->error != NULL)
		return ST_PRINT_ATTENTION_NO_SCHEDULER;
	if (st_print_job_state_is_final(s->state) || s->state == ST_PRINT_JOB_UNKNOWN)
		return ST_PRINT_ATTENTION_NONE;
	attention = st_print_queue_attention(s->printer_state, s->printer_reasons,
					     s->printer_message, s->printer_accepting, TRUE);
	if (attention != ST_PRINT_ATTENTION_NONE)
		return attention;
	if (s->state == ST_PRINT_JOB_HELD)
		return ST_PRINT_ATTENTION_HELD;
	if (s->state == ST_PRINT_JOB_STOPPED)
		return ST_PRINT_ATTENTION_STOPPED;
	if (st_print_message_says_unreachable(s->message))
		return ST_PRINT_ATTENTION_UNREACHABLE;
	return ST_PRINT_ATTENTION_NONE;
}

static gchar *
st_print_attention_describe(StPrintAttention attention,
			    const gchar *queue,
			    gint job_id,
			    const gchar *message,
			    gchar **reasons)
{
	g_autofree gchar *said = NULL;
	g_autofree gchar *why = NULL;
	if (message != NULL && message[0] != '\0')
		said = g_strdup_printf(" (the printer says: %s)", message);
	if (reasons != NULL && reasons[0] != NULL)
		why = g_strjoinv(", ", reasons);
	switch (attention) {
	case ST_PRINT_ATTENTION_PAUSED:
		return g_strdup_printf("queue %s is paused: jobs wait in it and print when a "
				       "shift lead resumes it (cupsenable %s)",
				       queue, queue);
	case ST_PRINT_ATTENTION_REJECTING:
		return g_strdup_printf("queue %s refuses new jobs: a shift lead turns it back on "
				       "with cupsaccept %s",
				       queue, queue);
	case ST_PRINT_ATTENTION_UNREACHABLE:
		return g_strdup_printf("the printer of queue %s does not answer%s: check that it "
				       "is on, its cable and its network; CUPS keeps trying and "
				       "prints when it answers",
				       queue, said != NULL ? said : "");
	case ST_PRINT_ATTENTION_MEDIA:
		return g_strdup_printf("the printer of queue %s needs attention (%s)%s: load "
				       "labels, paper or ribbon, clear a jam or close the cover",
				       queue, why != NULL ? why : "media",
				       said != NULL ? said : "");
	case ST_PRINT_ATTENTION_STOPPED:
		return g_strdup_printf("queue %s stopped after an error%s: fix the printer, then "
				       "cupsenable %s",
				       queue, said != NULL ? said : "", queue);
	case ST_PRINT_ATTENTION_HELD:
		return g_strdup_printf("job %d is held in queue %s: release it with "
				       "lp -i %d -H resume, or cancel it",
				       job_id, queue, job_id);
	case ST_PRINT_ATTENTION_NO_SCHEDULER:
		/* the connection's error says which CUPS and what to do already */
		if (message != NULL && message[0] != '\0')
			return g_strdup(message);
		return g_strdup("CUPS does not answer: start it (systemctl start cups) or check "
				"[cups] server");
	case ST_PRINT_ATTENTION_NONE:
	default:
		return NULL;
	}
}

/* a printer's message that only restates its state ("Idle.", "Ready to print.") and would
 * read oddly beside ours ("printing (Idle.)") */
static gboolean
st_print_message_says_nothing(const gchar *message)
{
	static const gchar *const empty[] = {"idle",	   "ready",    "ready to print",
					     "processing", "printing", "connected to printer",
					     NULL};
	g_autofree gchar *lower = g_ascii_strdown(message, -1);
	gsize len = strlen(g_strstrip(lower));
	if (len > 0 && lower[len - 1] == '.')
		lower[len - 1] = '\0';
	return g_strv_contains(empty, lower);
}

/* Returns: (transfer full): one line for the operator: the job's state and what to do */
gchar *
st_print_job_status_describe(const StPrintJobStatus *s)
{
	const gchar *queue = s->queue != NULL ? s->queue : "?";
	g_autofree gchar *attention = st_print_attention_describe(
		s->attention, queue, s->id,
		s->attention == ST_PRINT_ATTENTION_NO_SCHEDULER ? s->error
		: s->message != NULL && s->message[0] != '\0'	? s->message
								: s->printer_message,
		s->printer_reasons);
	const gchar *what;

	switch (s->state) {
	case ST_PRINT_JOB_PENDING:
		what = "waiting in the queue";
		break;
	case ST_PRINT_JOB_HELD:
		what = "held";
		break;
	case ST_PRINT_JOB_PROCESSING:
		what = "printing";
		break;
	case ST_PRINT_JOB_STOPPED:
		what = "stopped";
		break;
	case ST_PRINT_JOB_CANCELED:
		what = "cancelled";
		break;
	case ST_PRINT_JOB_ABORTED:
		what = "aborted: CUPS could not print it";
		break;
	case ST_PRINT_JOB_COMPLETED:
		what = "printed";
		break;
	case ST_PRINT_JOB_UNKNOWN:
	default:
		what = s->error != NULL ? "state unknown"
					: "unknown to CUPS (removed from its "
					  "history)";
		break;
	}
	if (attention != NULL)
		return g_strdup_printf("job %d on %s: %s; %s", s->id, queue, what, attention);
	if (!st_print_job_state_is_final(s->state) && s->message != NULL && s->message[0] != '\0' &&
	    !st_print_message_says_nothing(s->message))
		return g_strdup_printf("job %d on %s: %s (%s)", s->id, queue, what, s->message);
	if ((s->state == ST_PRINT_JOB_ABORTED || s->state == ST_PRINT_JOB_CANCELED) &&
	    s->message != NULL && s->message[0] != '\0')
		return g_strdup_printf("job %d on %s: %s (%s); print it again once the printer "
				       "is fixed",
				       s->id, queue, what, s->message);
	return g_strdup_printf("job %d on %s: %s", s->id, queue, what);
}

/* Returns: (transfer full) (nullable): what keeps the queue from printing, or NULL */
gchar *
st_print_queue_describe(const StPrintQueue *q)
{
	return st_print_attention_describe(q->attention, q->name, 0, q->message, q->reasons);
}
