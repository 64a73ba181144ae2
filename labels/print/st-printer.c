/*
 * The CUPS client: the only file that includes cups/cups.h.
 *
 * Every st_printer_* call opens its own connection to the scheduler (an http_t must not be
 * shared between threads) and speaks IPP: Print-Job, Get-Printer-Attributes, Get-Jobs,
 * Get-Job-Attributes, Cancel-Job. They block: StPrintTracker (st-print-tracker.c) runs them
 * in GTask worker threads.
 */
#define G_LOG_DOMAIN "station-print"

#include <cups/cups.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "station/st-error.h"
#include "station/st-print.h"

#include "st-print-private.h"

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
