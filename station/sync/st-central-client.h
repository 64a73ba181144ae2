/*
 * The HTTP side of the central order system: one SoupSession with the station's token, its
 * CA and its signing secret ([central] in the configuration). The only HTTP client of the
 * station. Answers are read whole up to ST_CENTRAL_MAX_ANSWER, never further.
 */
#pragma once

#include <gio/gio.h>

#include "st-config.h"

G_BEGIN_DECLS

#define ST_TYPE_CENTRAL_CLIENT (st_central_client_get_type())
G_DECLARE_FINAL_TYPE(StCentralClient, st_central_client, ST, CENTRAL_CLIENT, GObject)

/* what came back: an HTTP status and body, or no answer at all (status 0, @error_text) */
typedef struct {
	guint status;	     /* 0: no answer (connection, TLS, timeout, too large) */
	GBytes *body;	     /* (nullable) */
	gchar *content_type; /* (nullable) */
	gint retry_after_s;  /* a 429's or 503's Retry-After in seconds, -1 when none */
	gchar *error_text;   /* (nullable): why there is no usable answer */
} StCentralReply;

void
st_central_reply_free(StCentralReply *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StCentralReply, st_central_reply_free)

StCentralClient *
st_central_client_new(const StConfig *config, GError **error);
const gchar *
st_central_client_get_url(StCentralClient *self);
void
st_central_client_request_async(StCentralClient *self,
				const gchar *method,
				const gchar *path,
				const gchar *content_type,
				GBytes *body,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
StCentralReply *
st_central_client_request_finish(StCentralClient *self, GAsyncResult *result);

G_END_DECLS
