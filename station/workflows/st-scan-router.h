/*
 * StScanRouter: between the devices and the workflows. Each scan is read once into an
 * intent and handed to the workflow its device is configured for (or the bench's); the
 * verdict is logged once, naming the scan, the device and the order, and emitted. Weights go
 * to the same workflow. The daemon knows the router, not the workflows.
 */
#pragma once

#include <glib-object.h>

#include "station/st-scan.h"
#include "station/st-store.h"
#include "station/st-weight.h"

#include "st-barcode.h"
#include "st-pack-workflow.h"
#include "st-verdict.h"
#include "st-workflow.h"

G_BEGIN_DECLS

#define ST_TYPE_SCAN_ROUTER (st_scan_router_get_type())
G_DECLARE_FINAL_TYPE(StScanRouter, st_scan_router, ST, SCAN_ROUTER, GObject)

StScanRouter *
st_scan_router_new(StStore *store, StBarcodePatterns *patterns);
const gchar *
st_scan_router_get_seat_name(StScanRouter *self, const gchar *device_id);
StWorkflow *
st_scan_router_get_seat_workflow(StScanRouter *self, const gchar *device_id);
gboolean
st_scan_router_restore(StScanRouter *self, GError **error);
gboolean
st_scan_router_set_bench_workflow(StScanRouter *self, const gchar *name, GError **error);
gboolean
st_scan_router_set_device_workflow(StScanRouter *self,
				   const gchar *device_id,
				   const gchar *name,
				   GError **error);
typedef gint64 (*StScanRouterClockFunc)(void);

void
st_scan_router_set_idle_logout(StScanRouter *self, guint seconds);
void
st_scan_router_set_language(StScanRouter *self, const gchar *language);
void
st_scan_router_set_pack_settings(StScanRouter *self, const StPackSettings *settings);
void
st_scan_router_set_scale(StScanRouter *self, const gchar *device_id, gboolean present);
void
st_scan_router_set_clock(StScanRouter *self, StScanRouterClockFunc clock);
const StOperator *
st_scan_router_get_operator(StScanRouter *self, const gchar *device_id);
gboolean
st_scan_router_set_seat_language(StScanRouter *self, const gchar *device_id, const gchar *language);
StVerdict *
st_scan_router_handle_scan(StScanRouter *self, StScan *scan, GError **error);
gboolean
st_scan_router_handle_weight(StScanRouter *self,
			     const gchar *device_id,
			     const StWeight *weight,
			     GError **error);

G_END_DECLS
