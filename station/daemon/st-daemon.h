/*
 * The daemon: one main loop that owns the store, the devices, printing and the scan router
 * (with the workflows), and wires device events to the router. `station serve` and `station
 * demo` both run it.
 */
#pragma once

#include <glib-object.h>

#include "st-config.h"
#include "st-scan-router.h"
#include "st-bench-print.h"
#include "st-printing.h"
#include "station/st-store.h"

G_BEGIN_DECLS

#define ST_TYPE_DAEMON (st_daemon_get_type())
G_DECLARE_FINAL_TYPE(StDaemon, st_daemon, ST, DAEMON, GObject)

StDaemon *
st_daemon_new(StConfig *config);
gboolean
st_daemon_start(StDaemon *self, GError **error);
void
st_daemon_stop(StDaemon *self);
gint
st_daemon_run(StDaemon *self);
void
st_daemon_quit(StDaemon *self);
StStore *
st_daemon_get_store(StDaemon *self);
StPrinting *
st_daemon_get_printing(StDaemon *self);
StBenchPrint *
st_daemon_get_bench_print(StDaemon *self);
StScanRouter *
st_daemon_get_router(StDaemon *self);
gboolean
st_daemon_configure_router(StScanRouter *router, const StConfig *config, GError **error);
GPtrArray *
st_daemon_get_devices(StDaemon *self);
const StConfig *
st_daemon_get_config(StDaemon *self);
const gchar *
st_daemon_get_api_uri(StDaemon *self);

G_END_DECLS
