/*
 * HTTP to the central order system with libsoup 3. Every request carries the bearer token
 * (read from [central] token-file, never logged) and, with [central] hmac-secret-file, the
 * HMAC-SHA256 of its body. Redirects are not followed (the token would go where the
 * redirect says): a 3xx is an error naming where it pointed. The answer is read in pieces
 * up to ST_CENTRAL_MAX_ANSWER and dropped whole past it.
 */
#define G_LOG_DOMAIN "station-sync"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "station/st-bounded.h"
#include "station/st-error.h"

#include "st-central-client.h"
#include "st-cloudevents.h"

struct _StCentralClient {
	GObject parent_instance;
	SoupSession *session;
	gchar *url; /* without a trailing '/' */
	gchar *token;
	gchar *secret; /* (nullable) */
	gsize secret_len;
};

G_DEFINE_TYPE(StCentralClient, st_central_client, G_TYPE_OBJECT)

void
st_central_reply_free(StCentralReply *self)
{
	if (self == NULL)
		return;
	g_clear_pointer(&self->body, g_bytes_unref);
	g_free(self->content_type);
	g_free(self->error_text);
	g_free(self);
}

/* a secret file: its first line, at most 4 KiB; refused when others may read it */
static gchar *
st_central_read_secret(const gchar *path, const gchar *what, GError **error)
{
	g_autofree gchar *contents = NULL;
	gsize len = 0;
	GStatBuf st;
	gchar *nl;

	if (!st_bounded_read_file(path, 4096, &contents, &len, error)) {
		g_prefix_error(error, "[central] %s: ", what);
		return NULL;
	}
	if (g_stat(path, &st) == 0 && (st.st_mode & 0077) != 0)
		g_warning("[central] %s %s can be read by other users: chmod 600 it", what, path);
	nl = memchr(contents, '\n', len);
	if (nl != NULL)
		*nl = '\0';
	g_strstrip(contents);
	if (contents[0] == '\0') {
		g_set_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_CONFIG,
			    "[central] %s %s is empty; write the value the central system gave "
			    "this station on its first line",
			    what, path);
		return NULL;
	}
	return g_steal_pointer(&contents);
}

/**
 * st_central_client_new:
 *
 * Returns: (transfer full) (nullable): the client of [central] url; NULL with
 * ST_ERROR_INVALID_CONFIG when it is unset, or a file it names cannot be read
 */
StCentralClient *
st_central_client_new(const StConfig *config, GError **error)
{
	g_autoptr(StCentralClient) self = NULL;

	if (config->central_url == NULL) {
		g_set_error_literal(error, ST_SYNC_ERROR, ST_ERROR_INVALID_CONFIG,
				    "no central order system: set [central] url (and token-file) "
				    "in the configuration");
		return NULL;
	}
	self = g_object_new(ST_TYPE_CENTRAL_CLIENT, NULL);
	self->url = g_strdup(config->central_url);
	while (g_str_has_suffix(self->url, "/"))
		self->url[strlen(self->url) - 1] = '\0';
	if (config->central_token_file == NULL) {
		g_set_error_literal(error, ST_SYNC_ERROR, ST_ERROR_INVALID_CONFIG,
				    "[central] token-file is not set: the central system needs the "
				    "station's token");
		return NULL;
	}
	self->token = st_central_read_secret(config->central_token_file, "token-file", error);
	if (self->token == NULL)
		return NULL;
	if (config->central_hmac_file != NULL) {
		self->secret = st_central_read_secret(config->central_hmac_file, "hmac-secret-file",
						      error);
		if (self->secret == NULL)
			return NULL;
		self->secret_len = strlen(self->secret);
	}
	self->session = soup_session_new_with_options(
		"timeout", config->central_timeout_s, "idle-timeout", 60, "user-agent",
		"station/" PACKAGE_VERSION, "max-conns-per-host", 2, NULL);
	if (config->central_ca_file != NULL) {
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GTlsDatabase) db =
			g_tls_file_database_new(config->central_ca_file, &error_local);
		if (db == NULL) {
			g_set_error(error, ST_SYNC_ERROR, ST_ERROR_INVALID_CONFIG,
				    "[central] ca-file %s: %s", config->central_ca_file,
				    error_local->message);
			return NULL;
		}
		soup_session_set_tls_database(self->session, db);
	}
	return g_steal_pointer(&self);
}

const gchar *
st_central_client_get_url(StCentralClient *self)
{
	return self->url;
}

typedef struct {
	SoupMessage *msg;
	GInputStream *in;
	GByteArray *buf;
	StCentralReply *reply;
} StCentralRequest;

static void
st_central_request_free(StCentralRequest *r)
{
	g_clear_object(&r->msg);
	g_clear_object(&r->in);
	if (r->buf != NULL)
		g_byte_array_unref(r->buf);
	st_central_reply_free(r->reply);
	g_free(r);
}

/* the reply so far, given to the task: whatever the HTTP layer said, the caller decides */
static void
st_central_request_done(GTask *task, const gchar *error_text)
{
	StCentralRequest *r = g_task_get_task_data(task);
	StCentralReply *reply = g_steal_pointer(&r->reply);
	if (error_text != NULL) {
		reply->status = 0;
		g_clear_pointer(&reply->body, g_bytes_unref);
		reply->error_text = g_strdup(error_text);
	} else if (r->buf != NULL) {
		reply->body = g_byte_array_free_to_bytes(g_steal_pointer(&r->buf));
	}
	g_task_return_pointer(task, reply, (GDestroyNotify)st_central_reply_free);
	g_object_unref(task);
}

static void
st_central_read_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GTask *task = user_data;
	StCentralRequest *r = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish(r->in, result, &error);

	if (chunk == NULL) {
		g_autofree gchar *text =
			g_strdup_printf("the answer broke off: %s", error->message);
		st_central_request_done(task, text);
		return;
	}
	if (g_bytes_get_size(chunk) == 0) {
		st_central_request_done(task, NULL);
		return;
	}
	if (r->buf->len + g_bytes_get_size(chunk) > ST_CENTRAL_MAX_ANSWER) {
		g_autofree gchar *text = g_strdup_printf(
			"the answer is larger than %u MiB: not read", ST_CENTRAL_MAX_ANSWER >> 20);
		st_central_request_done(task, text);
		return;
	}
	g_byte_array_append(r->buf, g_bytes_get_data(chunk, NULL), g_bytes_get_size(chunk));
	g_input_stream_read_bytes_async(r->in, 65536, G_PRIORITY_DEFAULT,
					g_task_get_cancellable(task), st_central_read_cb, task);
}

static gint
st_central_retry_after(SoupMessage *msg)
{
	const gchar *v =
		soup_message_headers_get_one(soup_message_get_response_headers(msg), "Retry-After");
	guint64 seconds = 0;
	if (v == NULL)
		return -1;
	if (g_ascii_string_to_unsigned(v, 10, 0, 86400, &seconds, NULL))
		return (gint)seconds;
	{
		/* an HTTP date */
		g_autoptr(GDateTime) when = soup_date_time_new_from_http_string(v);
		g_autoptr(GDateTime) now = g_date_time_new_now_utc();
		if (when == NULL)
			return -1;
		return (gint)CLAMP(g_date_time_difference(when, now) / G_USEC_PER_SEC, 0, 86400);
	}
}

static void
st_central_send_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GTask *task = user_data;
	StCentralRequest *r = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	guint status;

	r->in = soup_session_send_finish(SOUP_SESSION(source), result, &error);
	if (r->in == NULL) {
		g_autofree gchar *text = NULL;
		if (g_error_matches(error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) ||
		    soup_message_get_tls_peer_certificate_errors(r->msg) != 0)
			text = g_strdup_printf("the central system's certificate is not trusted "
					       "(%s): check [central] ca-file",
					       error->message);
		else
			text = g_strdup_printf("no answer from the central system: %s",
					       error->message);
		st_central_request_done(task, text);
		return;
	}
	status = soup_message_get_status(r->msg);
	r->reply->status = status;
	r->reply->retry_after_s = st_central_retry_after(r->msg);
	r->reply->content_type = g_strdup(soup_message_headers_get_content_type(
		soup_message_get_response_headers(r->msg), NULL));
	if (SOUP_STATUS_IS_REDIRECTION(status)) {
		const gchar *where = soup_message_headers_get_one(
			soup_message_get_response_headers(r->msg), "Location");
		g_autofree gchar *text = g_strdup_printf(
			"the central system answered %u, a redirect to %.200s: not followed (the "
			"token would go with it); set [central] url to where it points if that is "
			"right",
			status, where != NULL ? where : "nowhere");
		st_central_request_done(task, text);
		return;
	}
	r->buf = g_byte_array_new();
	g_input_stream_read_bytes_async(r->in, 65536, G_PRIORITY_DEFAULT,
					g_task_get_cancellable(task), st_central_read_cb, task);
}

/**
 * st_central_client_request_async:
 * @path: the contract's path, such as "/v1/events" (with its query)
 * @content_type: (nullable): of @body
 * @body: (nullable): the request body
 *
 * Sends a request; st_central_client_request_finish() gives what came back, which is never
 * an error: a reply without an answer has status 0 and says why.
 */
void
st_central_client_request_async(StCentralClient *self,
				const gchar *method,
				const gchar *path,
				const gchar *content_type,
				GBytes *body,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	StCentralRequest *r = g_new0(StCentralRequest, 1);
	g_autofree gchar *uri = g_strconcat(self->url, path, NULL);
	g_autofree gchar *auth = g_strdup_printf("Bearer %s", self->token);
	SoupMessageHeaders *headers;

	r->reply = g_new0(StCentralReply, 1);
	r->reply->retry_after_s = -1;
	g_task_set_task_data(task, r, (GDestroyNotify)st_central_request_free);
	r->msg = soup_message_new(method, uri);
	if (r->msg == NULL) {
		st_central_request_done(task, "[central] url and the path make no URL");
		return;
	}
	soup_message_add_flags(r->msg, SOUP_MESSAGE_NO_REDIRECT);
	headers = soup_message_get_request_headers(r->msg);
	soup_message_headers_replace(headers, "Authorization", auth);
	soup_message_headers_replace(headers, "Accept", "application/json");
	if (body != NULL) {
		soup_message_set_request_body_from_bytes(r->msg, content_type, body);
		if (self->secret != NULL) {
			g_autoptr(GHmac) hmac = g_hmac_new(
				G_CHECKSUM_SHA256, (const guchar *)self->secret, self->secret_len);
			g_autofree gchar *signature = NULL;
			g_hmac_update(hmac, g_bytes_get_data(body, NULL),
				      (gssize)g_bytes_get_size(body));
			signature = g_strdup_printf("sha256=%s", g_hmac_get_string(hmac));
			soup_message_headers_replace(headers, "X-Station-Signature", signature);
		}
	}
	soup_session_send_async(self->session, r->msg, G_PRIORITY_DEFAULT, cancellable,
				st_central_send_cb, task);
}

/* Returns: (transfer full): what came back (never NULL) */
StCentralReply *
st_central_client_request_finish(StCentralClient *self, GAsyncResult *result)
{
	return g_task_propagate_pointer(G_TASK(result), NULL);
}

static void
st_central_client_finalize(GObject *object)
{
	StCentralClient *self = ST_CENTRAL_CLIENT(object);
	g_clear_object(&self->session);
	g_free(self->url);
	if (self->token != NULL)
		memset(self->token, 0, strlen(self->token));
	g_free(self->token);
	if (self->secret != NULL)
		memset(self->secret, 0, self->secret_len);
	g_free(self->secret);
	G_OBJECT_CLASS(st_central_client_parent_class)->finalize(object);
}

static void
st_central_client_class_init(StCentralClientClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = st_central_client_finalize;
}

static void
st_central_client_init(StCentralClient *self)
{
}
