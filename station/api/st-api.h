/*
 * The station's API (/api/v1, station/api/station-api-v1.yaml): the bench screen, the
 * handhelds and other programs read the seats' state and submit scans over HTTP, and follow
 * the verdicts over a WebSocket. Served by `station serve` on its main loop with libsoup 3.
 * Every request needs an operator's session (a badge login for a seat) or a device token
 * (`station token create`); refusals are application/problem+json.
 */
#pragma once

#include <gio/gio.h>

#include "station/st-store.h"
#include "station/st-weight.h"
#include "st-config.h"
#include "st-printing.h"
#include "st-scan-router.h"
#include "st-verdict.h"

G_BEGIN_DECLS

#define ST_TYPE_API (st_api_get_type())
G_DECLARE_FINAL_TYPE(StApi, st_api, ST, API, GObject)

StApi *
st_api_new(StStore *store, StScanRouter *router, const StConfig *config);
gboolean
st_api_check_config(const StConfig *config, gchar **url, GError **error);
gboolean
st_api_start(StApi *self, GError **error);
const gchar *
st_api_get_uri(StApi *self);
void
st_api_stop(StApi *self);
void
st_api_broadcast_verdict(StApi *self, const StVerdict *verdict);
void
st_api_broadcast_weight(StApi *self, const gchar *device_id, const StWeight *weight);
void
st_api_broadcast_device(StApi *self, const gchar *device_id, const gchar *role, gboolean present);
void
st_api_set_printing(StApi *self, StPrinting *printing);
void
st_api_broadcast_outbox(StApi *self);
gchar *
st_api_token_hash(const gchar *token);
gchar *
st_api_token_new(void);

G_END_DECLS
