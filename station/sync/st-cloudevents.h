/*
 * The events of the outbox as the central system receives them: a CloudEvents 1.0 batch
 * (application/cloudevents-batch+json), and the central system's answer, one result per
 * event (station/sync/central-v1.yaml).
 */
#pragma once

#include <glib.h>

#include "station/st-store.h"

G_BEGIN_DECLS

#define ST_CLOUDEVENTS_CONTENT_TYPE "application/cloudevents-batch+json"
#define ST_CENTRAL_MAX_ANSWER	    (16 * 1024 * 1024) /* an answer read whole, at most */
#define ST_CENTRAL_MAX_DEPTH	    64

typedef enum {
	ST_EVENT_ACCEPTED,
	ST_EVENT_DUPLICATE,
	ST_EVENT_REJECTED,
} StEventStatus;

typedef struct {
	StEventStatus status;
	gchar *reason; /* (nullable): the central system's, for a rejection (at most 500 bytes) */
} StEventResult;

GBytes *
st_cloudevents_batch(GPtrArray *events, const gchar *station_id, GError **error);
GHashTable *
st_cloudevents_parse_results(const gchar *body, gsize len, GError **error);

G_END_DECLS
