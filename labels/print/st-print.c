/*
 * Printing through CUPS: the only file that includes cups/cups.h.
 *
 * Every st_printer_* call opens its own connection to the scheduler (an http_t must not be
 * shared between threads) and speaks IPP: Print-Job, Get-Printer-Attributes, Get-Jobs,
 * Get-Job-Attributes, Cancel-Job. StPrintTracker runs them in GTask worker threads and follows
 * the jobs it was given on the main loop.
 */
#define G_LOG_DOMAIN "station-print"

#include <cups/cups.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "station/st-error.h"
#include "station/st-print.h"

GQuark
st_print_error_quark(void)
{
	return g_quark_from_static_string("st-print-error-quark");
}

#define ST_PRINT_CONNECT_TIMEOUT_MS 5000
#define ST_PRINT_IO_TIMEOUT_S	    15.0

static const gchar *const st_printer_attributes[] = {
	"printer-name",
	"printer-info",
	"printer-location",
	"device-uri",
	"printer-make-and-model",
	"printer-state",
	"printer-state-reasons",
	"printer-state-message",
	"printer-is-accepting-jobs",
	"document-format-supported",
	"queued-job-count",
};

static const gchar *const st_job_attributes[] = {
	"job-id",
	"job-name",
	"job-state",
	"job-state-reasons",
	"job-printer-state-message",
	"job-printer-uri",
	"time-at-creation",
	"time-at-completed",
};

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

static StPrintAttention
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
	if (!st_print_job_state_is_final(s->state) && s->message != NULL && s->message[0] != '\0')
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

/* CUPS queue names: printable ASCII without space, '/', '#', '\\', quotes; at most 127 */
gboolean
st_printer_queue_name_valid(const gchar *name)
{
	gsize n = 0;
	if (name == NULL)
		return FALSE;
	for (const gchar *p = name; *p != '\0'; p++, n++) {
		if (*p <= ' ' || *p >= 0x7f || strchr("/#\\'\"", *p) != NULL)
			return FALSE;
	}
	return n > 0 && n < 128;
}

static const gchar *
st_printer_server_name(const gchar *server)
{
	return server != NULL && server[0] != '\0' ? server : cupsServer();
}

static http_t *
st_printer_connect(const gchar *server, GError **error)
{
	g_autofree gchar *host = NULL;
	gint port = ippPort();
	http_t *http;

	if (server == NULL || server[0] == '\0') {
		host = g_strdup(cupsServer());
	} else if (server[0] == '/') {
		host = g_strdup(server);
	} else {
		const gchar *colon = strrchr(server, ':');
		guint64 p = 0;
		if (colon != NULL && strchr(colon, ']') == NULL &&
		    g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &p, NULL)) {
			host = g_strndup(server, (gsize)(colon - server));
			port = (gint)p;
		} else {
			host = g_strdup(server);
		}
	}
	http = httpConnect2(host, port, NULL, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1,
			    ST_PRINT_CONNECT_TIMEOUT_MS, NULL);
	if (http == NULL) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_IO,
			    "CUPS at %s does not answer (%s): start it (systemctl start cups) or "
			    "set [cups] server to where it runs",
			    st_printer_server_name(server), cupsLastErrorString());
		return NULL;
	}
	httpSetTimeout(http, ST_PRINT_IO_TIMEOUT_S, NULL, NULL);
	return http;
}

static ipp_t *
st_printer_request(ipp_op_t op, const gchar *queue)
{
	ipp_t *request = ippNewRequest(op);
	gchar uri[HTTP_MAX_URI];
	if (queue != NULL)
		httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof(uri), "ipp", NULL, "localhost",
				 ippPort(), "/printers/%s", queue);
	else
		g_strlcpy(uri, "ipp://localhost/", sizeof(uri));
	ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
	ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL,
		     cupsUser());
	return request;
}

/* Sends @request (consumed) and checks the IPP status */
static ipp_t *
st_printer_do(http_t *http,
	      ipp_t *request,
	      const gchar *resource,
	      const gchar *server,
	      const gchar *what,
	      GError **error)
{
	ipp_t *response = cupsDoRequest(http, request, resource);
	ipp_status_t status = cupsLastError();

	if (response == NULL || status > IPP_STATUS_OK_CONFLICTING) {
		gint code = ST_ERROR_FAILED;
		if (status == IPP_STATUS_ERROR_NOT_FOUND)
			code = ST_ERROR_NOT_FOUND;
		else if (status == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS)
			code = ST_ERROR_REFUSED;
		else if (status >= IPP_STATUS_ERROR_INTERNAL)
			code = ST_ERROR_IO;
		g_set_error(error, ST_PRINT_ERROR, code, "%s: CUPS at %s answered: %s", what,
			    st_printer_server_name(server), cupsLastErrorString());
		ippDelete(response);
		return NULL;
	}
	return response;
}

static gchar **
st_ipp_strv(ipp_attribute_t *attr, gboolean skip_none)
{
	GPtrArray *array = g_ptr_array_new();
	for (gint i = 0; i < ippGetCount(attr); i++) {
		const gchar *s = ippGetString(attr, i, NULL);
		if (s == NULL || (skip_none && g_strcmp0(s, "none") == 0))
			continue;
		g_ptr_array_add(array, g_strdup(s));
	}
	g_ptr_array_add(array, NULL);
	return (gchar **)g_ptr_array_free(array, FALSE);
}

static gchar *
st_ipp_string(ipp_attribute_t *attr)
{
	const gchar *s = ippGetString(attr, 0, NULL);
	return g_strdup(s != NULL ? s : "");
}

/* Reads one printer group, from @attr to the next separator; returns the attribute after it */
static ipp_attribute_t *
st_printer_read_queue(ipp_t *response, ipp_attribute_t *attr, StPrintQueue **out)
{
	g_autoptr(StPrintQueue) q = g_new0(StPrintQueue, 1);

	for (; attr != NULL && ippGetName(attr) != NULL; attr = ippNextAttribute(response)) {
		const gchar *name = ippGetName(attr);
		if (ippGetGroupTag(attr) != IPP_TAG_PRINTER)
			continue;
		if (g_strcmp0(name, "printer-name") == 0)
			q->name = st_ipp_string(attr);
		else if (g_strcmp0(name, "printer-info") == 0)
			q->info = st_ipp_string(attr);
		else if (g_strcmp0(name, "printer-location") == 0)
			q->location = st_ipp_string(attr);
		else if (g_strcmp0(name, "device-uri") == 0)
			q->device_uri = st_ipp_string(attr);
		else if (g_strcmp0(name, "printer-make-and-model") == 0)
			q->make_model = st_ipp_string(attr);
		else if (g_strcmp0(name, "printer-state") == 0)
			q->state = (StPrinterState)ippGetInteger(attr, 0);
		else if (g_strcmp0(name, "printer-state-reasons") == 0)
			q->reasons = st_ipp_strv(attr, TRUE);
		else if (g_strcmp0(name, "printer-state-message") == 0)
			q->message = st_ipp_string(attr);
		else if (g_strcmp0(name, "printer-is-accepting-jobs") == 0)
			q->accepting = ippGetBoolean(attr, 0);
		else if (g_strcmp0(name, "document-format-supported") == 0)
			q->formats = st_ipp_strv(attr, FALSE);
		else if (g_strcmp0(name, "queued-job-count") == 0)
			q->queued_jobs = (guint)MAX(0, ippGetInteger(attr, 0));
	}
	if (q->name != NULL) {
		if (q->message == NULL)
			q->message = g_strdup("");
		if (q->reasons == NULL)
			q->reasons = g_new0(gchar *, 1);
		if (q->formats == NULL)
			q->formats = g_new0(gchar *, 1);
		q->attention = st_print_queue_attention(q->state, q->reasons, q->message,
							q->accepting, FALSE);
		*out = g_steal_pointer(&q);
	}
	return attr != NULL ? ippNextAttribute(response) : NULL;
}

/* Returns: (transfer full) (element-type StPrintQueue): every queue of the scheduler */
GPtrArray *
st_printer_get_queues(const gchar *server, GError **error)
{
	g_autoptr(GPtrArray) queues =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_print_queue_free);
	g_autoptr(GError) error_local = NULL;
	http_t *http = st_printer_connect(server, error);
	ipp_t *request;
	ipp_t *response;

	if (http == NULL)
		return NULL;
	request = st_printer_request(IPP_OP_CUPS_GET_PRINTERS, NULL);
	ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      G_N_ELEMENTS(st_printer_attributes), NULL, st_printer_attributes);
	response = st_printer_do(http, request, "/", server, "listing the printer queues",
				 &error_local);
	httpClose(http);
	if (response == NULL) {
		/* a scheduler without queues answers not-found */
		if (g_error_matches(error_local, ST_PRINT_ERROR, ST_ERROR_NOT_FOUND))
			return g_steal_pointer(&queues);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	for (ipp_attribute_t *attr = ippFirstAttribute(response); attr != NULL;) {
		StPrintQueue *q = NULL;
		attr = st_printer_read_queue(response, attr, &q);
		if (q != NULL)
			g_ptr_array_add(queues, q);
	}
	ippDelete(response);
	return g_steal_pointer(&queues);
}

static StPrintQueue *
st_printer_get_queue_on(http_t *http, const gchar *server, const gchar *name, GError **error)
{
	StPrintQueue *q = NULL;
	ipp_t *request;
	ipp_t *response;
	g_autofree gchar *resource = g_strdup_printf("/printers/%s", name);
	g_autoptr(GError) error_local = NULL;

	request = st_printer_request(IPP_OP_GET_PRINTER_ATTRIBUTES, name);
	ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      G_N_ELEMENTS(st_printer_attributes), NULL, st_printer_attributes);
	response =
		st_printer_do(http, request, resource, server, "reading the queue", &error_local);
	if (response == NULL) {
		if (g_error_matches(error_local, ST_PRINT_ERROR, ST_ERROR_NOT_FOUND)) {
			g_set_error(error, ST_PRINT_ERROR, ST_ERROR_NOT_FOUND,
				    "CUPS at %s has no printer queue '%s': `station printers` "
				    "lists the queues; a shift lead adds one with lpadmin or the "
				    "CUPS web page",
				    st_printer_server_name(server), name);
			return NULL;
		}
		g_propagate_prefixed_error(error, g_steal_pointer(&error_local),
					   "queue %s: ", name);
		return NULL;
	}
	st_printer_read_queue(response, ippFirstAttribute(response), &q);
	ippDelete(response);
	if (q == NULL) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_FAILED,
			    "CUPS at %s answered for queue '%s' without its name",
			    st_printer_server_name(server), name);
		return NULL;
	}
	return q;
}

/* Returns: (transfer full): the queue; ST_ERROR_NOT_FOUND when CUPS has no such queue */
StPrintQueue *
st_printer_get_queue(const gchar *server, const gchar *name, GError **error)
{
	http_t *http;
	StPrintQueue *q;

	if (!st_printer_queue_name_valid(name)) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_INVALID_DATA,
			    "'%s' is not a CUPS queue name (printable characters without spaces, "
			    "'/', '#', quotes or '\\')",
			    name != NULL ? name : "");
		return NULL;
	}
	http = st_printer_connect(server, error);
	if (http == NULL)
		return NULL;
	q = st_printer_get_queue_on(http, server, name, error);
	httpClose(http);
	return q;
}

/**
 * st_printer_submit:
 * @request: the queue, the document's MIME type, the job's name and options
 * @data: the document, sent as it is
 * @job_id: (out): the CUPS job id
 *
 * Sends one Print-Job. Returns: FALSE with ST_ERROR_NOT_FOUND (no such queue),
 *   ST_ERROR_REFUSED (the queue is not accepting jobs), ST_ERROR_IO (CUPS does not answer)
 */
gboolean
st_printer_submit(const gchar *server,
		  const StPrintRequest *request,
		  GBytes *data,
		  gint *job_id,
		  GError **error)
{
	g_autofree gchar *resource = NULL;
	gsize len = 0;
	const gchar *bytes = g_bytes_get_data(data, &len);
	http_t *http;
	ipp_t *ipp;
	ipp_t *response;
	ipp_attribute_t *attr;
	gint fd;

	if (!st_printer_queue_name_valid(request->queue)) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_INVALID_DATA,
			    "'%s' is not a CUPS queue name", request->queue);
		return FALSE;
	}
	if (len == 0) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_INVALID_DATA,
			    "nothing to print: the document is empty");
		return FALSE;
	}
	http = st_printer_connect(server, error);
	if (http == NULL)
		return FALSE;
	resource = g_strdup_printf("/printers/%s", request->queue);
	ipp = st_printer_request(IPP_OP_PRINT_JOB, request->queue);
	ippAddString(ipp, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", NULL, request->title);
	ippAddString(ipp, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", NULL,
		     request->format);
	if (request->media != NULL && request->media[0] != '\0')
		ippAddString(ipp, IPP_TAG_JOB, IPP_TAG_KEYWORD, "media", NULL, request->media);
	if (request->copies > 1)
		ippAddInteger(ipp, IPP_TAG_JOB, IPP_TAG_INTEGER, "copies", (gint)request->copies);

	/* the document from memory through a memfd: cupsDoIORequest then handles the
	 * whole HTTP exchange (chunking, 100-continue, authentication) */
	fd = memfd_create("station-print", MFD_CLOEXEC);
	if (fd < 0 || write(fd, bytes, len) != (gssize)len || lseek(fd, 0, SEEK_SET) != 0) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_IO, "holding the document to print: %s",
			    g_strerror(errno));
		if (fd >= 0)
			close(fd);
		ippDelete(ipp);
		httpClose(http);
		return FALSE;
	}
	response = cupsDoIORequest(http, ipp, resource, fd, -1);
	close(fd);
	if (response == NULL && cupsLastError() <= IPP_STATUS_OK_CONFLICTING) {
		/* the document went out and no answer came back: CUPS may hold the job */
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_TIMED_OUT,
			    "queue %s of CUPS at %s did not confirm the job (%s): it may still "
			    "print; look at the printer and `station printers` before printing it "
			    "again",
			    request->queue, st_printer_server_name(server), cupsLastErrorString());
		httpClose(http);
		return FALSE;
	}
	if (cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
		ipp_status_t ipp_status = cupsLastError();
		gint code = ipp_status == IPP_STATUS_ERROR_NOT_FOUND		? ST_ERROR_NOT_FOUND
			    : ipp_status == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS ? ST_ERROR_REFUSED
										: ST_ERROR_FAILED;
		g_set_error(error, ST_PRINT_ERROR, code,
			    "queue %s of CUPS at %s refused the job: %s", request->queue,
			    st_printer_server_name(server), cupsLastErrorString());
		ippDelete(response);
		httpClose(http);
		return FALSE;
	}
	attr = ippFindAttribute(response, "job-id", IPP_TAG_INTEGER);
	if (attr == NULL) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_FAILED,
			    "queue %s of CUPS at %s took the job without a job id", request->queue,
			    st_printer_server_name(server));
		ippDelete(response);
		httpClose(http);
		return FALSE;
	}
	*job_id = ippGetInteger(attr, 0);
	ippDelete(response);
	httpClose(http);
	return TRUE;
}

static ipp_attribute_t *
st_printer_read_job(ipp_t *response, ipp_attribute_t *attr, StPrintJobStatus **out)
{
	g_autoptr(StPrintJobStatus) s = g_new0(StPrintJobStatus, 1);

	for (; attr != NULL && ippGetName(attr) != NULL; attr = ippNextAttribute(response)) {
		const gchar *name = ippGetName(attr);
		if (ippGetGroupTag(attr) != IPP_TAG_JOB)
			continue;
		if (g_strcmp0(name, "job-id") == 0)
			s->id = ippGetInteger(attr, 0);
		else if (g_strcmp0(name, "job-name") == 0)
			s->name = st_ipp_string(attr);
		else if (g_strcmp0(name, "job-state") == 0)
			s->state = (StPrintJobState)ippGetInteger(attr, 0);
		else if (g_strcmp0(name, "job-state-reasons") == 0)
			s->reasons = st_ipp_strv(attr, TRUE);
		else if (g_strcmp0(name, "job-printer-state-message") == 0)
			s->message = st_ipp_string(attr);
		else if (g_strcmp0(name, "time-at-creation") == 0 &&
			 ippGetValueTag(attr) == IPP_TAG_INTEGER)
			s->created = ippGetInteger(attr, 0);
		else if (g_strcmp0(name, "time-at-completed") == 0 &&
			 ippGetValueTag(attr) == IPP_TAG_INTEGER)
			s->completed = ippGetInteger(attr, 0);
		else if (g_strcmp0(name, "job-printer-uri") == 0) {
			const gchar *uri = ippGetString(attr, 0, NULL);
			const gchar *slash = uri != NULL ? strrchr(uri, '/') : NULL;
			if (slash != NULL && slash[1] != '\0')
				s->queue = g_uri_unescape_string(slash + 1, NULL);
		}
	}
	if (s->id > 0) {
		if (s->message == NULL)
			s->message = g_strdup("");
		if (s->reasons == NULL)
			s->reasons = g_new0(gchar *, 1);
		*out = g_steal_pointer(&s);
	}
	return attr != NULL ? ippNextAttribute(response) : NULL;
}

/**
 * st_printer_get_job:
 * @queue: (nullable): the job's queue, when known
 *
 * Returns: (transfer full): the job's state with its queue's at the same moment;
 *   ST_ERROR_NOT_FOUND when CUPS no longer knows the job
 */
StPrintJobStatus *
st_printer_get_job(const gchar *server, const gchar *queue, gint job_id, GError **error)
{
	g_autoptr(StPrintJobStatus) s = NULL;
	g_autoptr(StPrintQueue) q = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *what = g_strdup_printf("reading job %d", job_id);
	http_t *http = st_printer_connect(server, error);
	ipp_t *request;
	ipp_t *response;

	if (http == NULL)
		return NULL;
	request = st_printer_request(IPP_OP_GET_JOB_ATTRIBUTES, NULL);
	ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
	ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      G_N_ELEMENTS(st_job_attributes), NULL, st_job_attributes);
	response = st_printer_do(http, request, "/jobs", server, what, &error_local);
	if (response == NULL) {
		if (g_error_matches(error_local, ST_PRINT_ERROR, ST_ERROR_NOT_FOUND))
			g_set_error(error, ST_PRINT_ERROR, ST_ERROR_NOT_FOUND,
				    "CUPS at %s no longer knows job %d",
				    st_printer_server_name(server), job_id);
		else
			g_propagate_error(error, g_steal_pointer(&error_local));
		httpClose(http);
		return NULL;
	}
	st_printer_read_job(response, ippFirstAttribute(response), &s);
	ippDelete(response);
	if (s == NULL) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_FAILED,
			    "CUPS at %s answered for job %d "
			    "without its id",
			    st_printer_server_name(server), job_id);
		httpClose(http);
		return NULL;
	}
	if (s->queue == NULL)
		s->queue = g_strdup(queue);
	if (s->queue != NULL) {
		q = st_printer_get_queue_on(http, server, s->queue, &error_local);
		if (q == NULL)
			g_debug("job %d: %s", job_id, error_local->message);
	}
	httpClose(http);
	if (q != NULL) {
		s->printer_state = q->state;
		s->printer_reasons = g_steal_pointer(&q->reasons);
		s->printer_message = g_steal_pointer(&q->message);
		s->printer_accepting = q->accepting;
	} else {
		s->printer_reasons = g_new0(gchar *, 1);
		s->printer_message = g_strdup("");
	}
	s->attention = st_print_job_attention(s);
	return g_steal_pointer(&s);
}

/**
 * st_printer_get_jobs:
 * @queue: (nullable): one queue, or every queue
 * @all: also the finished jobs CUPS keeps in its history
 *
 * Returns: (transfer full) (element-type StPrintJobStatus): the jobs, without the queue's
 *   state (see st_printer_get_job for that)
 */
GPtrArray *
st_printer_get_jobs(const gchar *server, const gchar *queue, gboolean all, GError **error)
{
	g_autoptr(GPtrArray) jobs =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_print_job_status_free);
	http_t *http;
	ipp_t *request;
	ipp_t *response;

	if (queue != NULL && !st_printer_queue_name_valid(queue)) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_INVALID_DATA,
			    "'%s' is not a CUPS queue name", queue);
		return NULL;
	}
	http = st_printer_connect(server, error);
	if (http == NULL)
		return NULL;
	request = st_printer_request(IPP_OP_GET_JOBS, queue);
	ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", NULL,
		     all ? "all" : "not-completed");
	ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      G_N_ELEMENTS(st_job_attributes), NULL, st_job_attributes);
	response = st_printer_do(http, request, "/", server, "listing jobs", error);
	httpClose(http);
	if (response == NULL)
		return NULL;
	for (ipp_attribute_t *attr = ippFirstAttribute(response); attr != NULL;) {
		StPrintJobStatus *s = NULL;
		attr = st_printer_read_job(response, attr, &s);
		if (s != NULL) {
			s->printer_reasons = g_new0(gchar *, 1);
			s->printer_message = g_strdup("");
			g_ptr_array_add(jobs, s);
		}
	}
	ippDelete(response);
	return g_steal_pointer(&jobs);
}

/* Returns: the newest job of @queue named @title, 0 when none, -1 with @error */
gint
st_printer_find_job(const gchar *server, const gchar *queue, const gchar *title, GError **error)
{
	g_autoptr(GPtrArray) jobs = st_printer_get_jobs(server, queue, TRUE, error);
	gint found = 0;
	if (jobs == NULL)
		return -1;
	for (guint i = 0; i < jobs->len; i++) {
		StPrintJobStatus *s = g_ptr_array_index(jobs, i);
		if (g_strcmp0(s->name, title) == 0 && s->id > found)
			found = s->id;
	}
	return found;
}

gboolean
st_printer_cancel_job(const gchar *server, const gchar *queue, gint job_id, GError **error)
{
	g_autofree gchar *what = g_strdup_printf("cancelling job %d", job_id);
	http_t *http = st_printer_connect(server, error);
	ipp_t *request;
	ipp_t *response;

	if (http == NULL)
		return FALSE;
	request = st_printer_request(IPP_OP_CANCEL_JOB, queue);
	ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
	response = st_printer_do(http, request, "/jobs", server, what, error);
	httpClose(http);
	if (response == NULL)
		return FALSE;
	ippDelete(response);
	return TRUE;
}

/* ---- following jobs on the main loop ---- */

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
