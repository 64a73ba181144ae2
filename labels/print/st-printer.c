/*
 * The CUPS client: the only file that includes cups/cups.h, and opens libcups (st_cups).
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
#include "station/st-module.h"
#include "station/st-print.h"

#include "st-print-private.h"

GQuark
st_print_error_quark(void)
{
	return g_quark_from_static_string("st-print-error-quark");
}

/* libcups, opened at the first request to CUPS: the program is not linked with it, whose
 * loading (libcups, GnuTLS, p11-kit, nettle, hogweed, gmp, tasn1, Avahi) cost every command
 * 1.9 ms of start-up and 2.5 MiB resident though most never print. The functions by the
 * names in its headers; this file is the only one that calls them. */
static struct {
	__typeof__(&cupsDoIORequest) cupsDoIORequest;
	__typeof__(&cupsDoRequest) cupsDoRequest;
	__typeof__(&cupsLastError) cupsLastError;
	__typeof__(&cupsLastErrorString) cupsLastErrorString;
	__typeof__(&cupsServer) cupsServer;
	__typeof__(&cupsUser) cupsUser;
	__typeof__(&httpAssembleURIf) httpAssembleURIf;
	__typeof__(&httpClose) httpClose;
	__typeof__(&httpConnect2) httpConnect2;
	__typeof__(&httpSetTimeout) httpSetTimeout;
	__typeof__(&ippAddInteger) ippAddInteger;
	__typeof__(&ippAddString) ippAddString;
	__typeof__(&ippAddStrings) ippAddStrings;
	__typeof__(&ippDelete) ippDelete;
	__typeof__(&ippFindAttribute) ippFindAttribute;
	__typeof__(&ippFirstAttribute) ippFirstAttribute;
	__typeof__(&ippGetBoolean) ippGetBoolean;
	__typeof__(&ippGetCount) ippGetCount;
	__typeof__(&ippGetGroupTag) ippGetGroupTag;
	__typeof__(&ippGetInteger) ippGetInteger;
	__typeof__(&ippGetName) ippGetName;
	__typeof__(&ippGetString) ippGetString;
	__typeof__(&ippGetValueTag) ippGetValueTag;
	__typeof__(&ippNewRequest) ippNewRequest;
	__typeof__(&ippNextAttribute) ippNextAttribute;
	__typeof__(&ippPort) ippPort;
} st_cups;

/* Returns: TRUE once libcups's functions are in st_cups (opened once per process); else
 * FALSE with ST_ERROR_NOT_SUPPORTED */
static gboolean
st_printer_cups_open(GError **error)
{
	static StModule module;
	const StModuleSymbol fns[] = {
		{"cupsDoIORequest", (gpointer *)&st_cups.cupsDoIORequest},
		{"cupsDoRequest", (gpointer *)&st_cups.cupsDoRequest},
		{"cupsLastError", (gpointer *)&st_cups.cupsLastError},
		{"cupsLastErrorString", (gpointer *)&st_cups.cupsLastErrorString},
		{"cupsServer", (gpointer *)&st_cups.cupsServer},
		{"cupsUser", (gpointer *)&st_cups.cupsUser},
		{"httpAssembleURIf", (gpointer *)&st_cups.httpAssembleURIf},
		{"httpClose", (gpointer *)&st_cups.httpClose},
		{"httpConnect2", (gpointer *)&st_cups.httpConnect2},
		{"httpSetTimeout", (gpointer *)&st_cups.httpSetTimeout},
		{"ippAddInteger", (gpointer *)&st_cups.ippAddInteger},
		{"ippAddString", (gpointer *)&st_cups.ippAddString},
		{"ippAddStrings", (gpointer *)&st_cups.ippAddStrings},
		{"ippDelete", (gpointer *)&st_cups.ippDelete},
		{"ippFindAttribute", (gpointer *)&st_cups.ippFindAttribute},
		{"ippFirstAttribute", (gpointer *)&st_cups.ippFirstAttribute},
		{"ippGetBoolean", (gpointer *)&st_cups.ippGetBoolean},
		{"ippGetCount", (gpointer *)&st_cups.ippGetCount},
		{"ippGetGroupTag", (gpointer *)&st_cups.ippGetGroupTag},
		{"ippGetInteger", (gpointer *)&st_cups.ippGetInteger},
		{"ippGetName", (gpointer *)&st_cups.ippGetName},
		{"ippGetString", (gpointer *)&st_cups.ippGetString},
		{"ippGetValueTag", (gpointer *)&st_cups.ippGetValueTag},
		{"ippNewRequest", (gpointer *)&st_cups.ippNewRequest},
		{"ippNextAttribute", (gpointer *)&st_cups.ippNextAttribute},
		{"ippPort", (gpointer *)&st_cups.ippPort},
	};
	const gchar *failed = st_module_load(&module, ST_CUPS_SONAME, fns, G_N_ELEMENTS(fns));

	if (failed != NULL) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_NOT_SUPPORTED,
			    "the CUPS library (%s) cannot be opened: %s; install it (Debian: "
			    "libcups2) to print",
			    ST_CUPS_SONAME, failed);
		return FALSE;
	}
	return TRUE;
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
	return server != NULL && server[0] != '\0' ? server : st_cups.cupsServer();
}

static http_t *
st_printer_connect(const gchar *server, GError **error)
{
	g_autofree gchar *host = NULL;
	gint port;
	http_t *http;

	if (!st_printer_cups_open(error))
		return NULL;
	port = st_cups.ippPort();
	if (server == NULL || server[0] == '\0') {
		host = g_strdup(st_cups.cupsServer());
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
	http = st_cups.httpConnect2(host, port, NULL, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1,
				    ST_PRINT_CONNECT_TIMEOUT_MS, NULL);
	if (http == NULL) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_IO,
			    "CUPS at %s does not answer (%s): start it (systemctl start cups) or "
			    "set [cups] server to where it runs",
			    st_printer_server_name(server), st_cups.cupsLastErrorString());
		return NULL;
	}
	st_cups.httpSetTimeout(http, ST_PRINT_IO_TIMEOUT_S, NULL, NULL);
	return http;
}

static ipp_t *
st_printer_request(ipp_op_t op, const gchar *queue)
{
	ipp_t *request = st_cups.ippNewRequest(op);
	gchar uri[HTTP_MAX_URI];
	if (queue != NULL)
		st_cups.httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof(uri), "ipp", NULL,
					 "localhost", st_cups.ippPort(), "/printers/%s", queue);
	else
		g_strlcpy(uri, "ipp://localhost/", sizeof(uri));
	st_cups.ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
	st_cups.ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL,
			     st_cups.cupsUser());
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
	ipp_t *response = st_cups.cupsDoRequest(http, request, resource);
	ipp_status_t status = st_cups.cupsLastError();

	if (response == NULL || status > IPP_STATUS_OK_CONFLICTING) {
		gint code = ST_ERROR_FAILED;
		if (status == IPP_STATUS_ERROR_NOT_FOUND)
			code = ST_ERROR_NOT_FOUND;
		else if (status == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS)
			code = ST_ERROR_REFUSED;
		else if (status >= IPP_STATUS_ERROR_INTERNAL)
			code = ST_ERROR_IO;
		g_set_error(error, ST_PRINT_ERROR, code, "%s: CUPS at %s answered: %s", what,
			    st_printer_server_name(server), st_cups.cupsLastErrorString());
		st_cups.ippDelete(response);
		return NULL;
	}
	return response;
}

static gchar **
st_ipp_strv(ipp_attribute_t *attr, gboolean skip_none)
{
	GPtrArray *array = g_ptr_array_new();
	for (gint i = 0; i < st_cups.ippGetCount(attr); i++) {
		const gchar *s = st_cups.ippGetString(attr, i, NULL);
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
	const gchar *s = st_cups.ippGetString(attr, 0, NULL);
	return g_strdup(s != NULL ? s : "");
}

/* Reads one printer group, from @attr to the next separator; returns the attribute after it */
static ipp_attribute_t *
st_printer_read_queue(ipp_t *response, ipp_attribute_t *attr, StPrintQueue **out)
{
	g_autoptr(StPrintQueue) q = g_new0(StPrintQueue, 1);

	for (; attr != NULL && st_cups.ippGetName(attr) != NULL;
	     attr = st_cups.ippNextAttribute(response)) {
		const gchar *name = st_cups.ippGetName(attr);
		if (st_cups.ippGetGroupTag(attr) != IPP_TAG_PRINTER)
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
			q->state = (StPrinterState)st_cups.ippGetInteger(attr, 0);
		else if (g_strcmp0(name, "printer-state-reasons") == 0)
			q->reasons = st_ipp_strv(attr, TRUE);
		else if (g_strcmp0(name, "printer-state-message") == 0)
			q->message = st_ipp_string(attr);
		else if (g_strcmp0(name, "printer-is-accepting-jobs") == 0)
			q->accepting = st_cups.ippGetBoolean(attr, 0);
		else if (g_strcmp0(name, "document-format-supported") == 0)
			q->formats = st_ipp_strv(attr, FALSE);
		else if (g_strcmp0(name, "queued-job-count") == 0)
			q->queued_jobs = (guint)MAX(0, st_cups.ippGetInteger(attr, 0));
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
	return attr != NULL ? st_cups.ippNextAttribute(response) : NULL;
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
	st_cups.ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
			      G_N_ELEMENTS(st_printer_attributes), NULL, st_printer_attributes);
	response = st_printer_do(http, request, "/", server, "listing the printer queues",
				 &error_local);
	st_cups.httpClose(http);
	if (response == NULL) {
		/* a scheduler without queues answers not-found */
		if (g_error_matches(error_local, ST_PRINT_ERROR, ST_ERROR_NOT_FOUND))
			return g_steal_pointer(&queues);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	for (ipp_attribute_t *attr = st_cups.ippFirstAttribute(response); attr != NULL;) {
		StPrintQueue *q = NULL;
		attr = st_printer_read_queue(response, attr, &q);
		if (q != NULL)
			g_ptr_array_add(queues, q);
	}
	st_cups.ippDelete(response);
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
	st_cups.ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
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
	st_printer_read_queue(response, st_cups.ippFirstAttribute(response), &q);
	st_cups.ippDelete(response);
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
	st_cups.httpClose(http);
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
	st_cups.ippAddString(ipp, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", NULL,
			     request->title);
	st_cups.ippAddString(ipp, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", NULL,
			     request->format);
	if (request->media != NULL && request->media[0] != '\0')
		st_cups.ippAddString(ipp, IPP_TAG_JOB, IPP_TAG_KEYWORD, "media", NULL,
				     request->media);
	if (request->copies > 1)
		st_cups.ippAddInteger(ipp, IPP_TAG_JOB, IPP_TAG_INTEGER, "copies",
				      (gint)request->copies);

	/* the document from memory through a memfd: cupsDoIORequest then handles the
	 * whole HTTP exchange (chunking, 100-continue, authentication) */
	fd = memfd_create("station-print", MFD_CLOEXEC);
	if (fd < 0 || write(fd, bytes, len) != (gssize)len || lseek(fd, 0, SEEK_SET) != 0) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_IO, "holding the document to print: %s",
			    g_strerror(errno));
		if (fd >= 0)
			close(fd);
		st_cups.ippDelete(ipp);
		st_cups.httpClose(http);
		return FALSE;
	}
	response = st_cups.cupsDoIORequest(http, ipp, resource, fd, -1);
	close(fd);
	if (response == NULL && st_cups.cupsLastError() <= IPP_STATUS_OK_CONFLICTING) {
		/* the document went out and no answer came back: CUPS may hold the job */
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_TIMED_OUT,
			    "queue %s of CUPS at %s did not confirm the job (%s): it may still "
			    "print; look at the printer and `station printers` before printing it "
			    "again",
			    request->queue, st_printer_server_name(server),
			    st_cups.cupsLastErrorString());
		st_cups.httpClose(http);
		return FALSE;
	}
	if (st_cups.cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
		ipp_status_t ipp_status = st_cups.cupsLastError();
		gint code = ipp_status == IPP_STATUS_ERROR_NOT_FOUND		? ST_ERROR_NOT_FOUND
			    : ipp_status == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS ? ST_ERROR_REFUSED
										: ST_ERROR_FAILED;
		g_set_error(error, ST_PRINT_ERROR, code,
			    "queue %s of CUPS at %s refused the job: %s", request->queue,
			    st_printer_server_name(server), st_cups.cupsLastErrorString());
		st_cups.ippDelete(response);
		st_cups.httpClose(http);
		return FALSE;
	}
	attr = st_cups.ippFindAttribute(response, "job-id", IPP_TAG_INTEGER);
	if (attr == NULL) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_FAILED,
			    "queue %s of CUPS at %s took the job without a job id", request->queue,
			    st_printer_server_name(server));
		st_cups.ippDelete(response);
		st_cups.httpClose(http);
		return FALSE;
	}
	*job_id = st_cups.ippGetInteger(attr, 0);
	st_cups.ippDelete(response);
	st_cups.httpClose(http);
	return TRUE;
}

static ipp_attribute_t *
st_printer_read_job(ipp_t *response, ipp_attribute_t *attr, StPrintJobStatus **out)
{
	g_autoptr(StPrintJobStatus) s = g_new0(StPrintJobStatus, 1);

	for (; attr != NULL && st_cups.ippGetName(attr) != NULL;
	     attr = st_cups.ippNextAttribute(response)) {
		const gchar *name = st_cups.ippGetName(attr);
		if (st_cups.ippGetGroupTag(attr) != IPP_TAG_JOB)
			continue;
		if (g_strcmp0(name, "job-id") == 0)
			s->id = st_cups.ippGetInteger(attr, 0);
		else if (g_strcmp0(name, "job-name") == 0)
			s->name = st_ipp_string(attr);
		else if (g_strcmp0(name, "job-state") == 0)
			s->state = (StPrintJobState)st_cups.ippGetInteger(attr, 0);
		else if (g_strcmp0(name, "job-state-reasons") == 0)
			s->reasons = st_ipp_strv(attr, TRUE);
		else if (g_strcmp0(name, "job-printer-state-message") == 0)
			s->message = st_ipp_string(attr);
		else if (g_strcmp0(name, "time-at-creation") == 0 &&
			 st_cups.ippGetValueTag(attr) == IPP_TAG_INTEGER)
			s->created = st_cups.ippGetInteger(attr, 0);
		else if (g_strcmp0(name, "time-at-completed") == 0 &&
			 st_cups.ippGetValueTag(attr) == IPP_TAG_INTEGER)
			s->completed = st_cups.ippGetInteger(attr, 0);
		else if (g_strcmp0(name, "job-printer-uri") == 0) {
			const gchar *uri = st_cups.ippGetString(attr, 0, NULL);
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
	return attr != NULL ? st_cups.ippNextAttribute(response) : NULL;
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
	st_cups.ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
	st_cups.ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
			      G_N_ELEMENTS(st_job_attributes), NULL, st_job_attributes);
	response = st_printer_do(http, request, "/jobs", server, what, &error_local);
	if (response == NULL) {
		if (g_error_matches(error_local, ST_PRINT_ERROR, ST_ERROR_NOT_FOUND))
			g_set_error(error, ST_PRINT_ERROR, ST_ERROR_NOT_FOUND,
				    "CUPS at %s no longer knows job %d",
				    st_printer_server_name(server), job_id);
		else
			g_propagate_error(error, g_steal_pointer(&error_local));
		st_cups.httpClose(http);
		return NULL;
	}
	st_printer_read_job(response, st_cups.ippFirstAttribute(response), &s);
	st_cups.ippDelete(response);
	if (s == NULL) {
		g_set_error(error, ST_PRINT_ERROR, ST_ERROR_FAILED,
			    "CUPS at %s answered for job %d "
			    "without its id",
			    st_printer_server_name(server), job_id);
		st_cups.httpClose(http);
		return NULL;
	}
	if (s->queue == NULL)
		s->queue = g_strdup(queue);
	if (s->queue != NULL) {
		q = st_printer_get_queue_on(http, server, s->queue, &error_local);
		if (q == NULL)
			g_debug("job %d: %s", job_id, error_local->message);
	}
	st_cups.httpClose(http);
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
	st_cups.ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", NULL,
			     all ? "all" : "not-completed");
	st_cups.ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
			      G_N_ELEMENTS(st_job_attributes), NULL, st_job_attributes);
	response = st_printer_do(http, request, "/", server, "listing jobs", error);
	st_cups.httpClose(http);
	if (response == NULL)
		return NULL;
	for (ipp_attribute_t *attr = st_cups.ippFirstAttribute(response); attr != NULL;) {
		StPrintJobStatus *s = NULL;
		attr = st_printer_read_job(response, attr, &s);
		if (s != NULL) {
			s->printer_reasons = g_new0(gchar *, 1);
			s->printer_message = g_strdup("");
			g_ptr_array_add(jobs, s);
		}
	}
	st_cups.ippDelete(response);
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
	st_cups.ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
	response = st_printer_do(http, request, "/jobs", server, what, error);
	st_cups.httpClose(http);
	if (response == NULL)
		return FALSE;
	st_cups.ippDelete(response);
	return TRUE;
}
