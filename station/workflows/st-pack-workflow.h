/*
 * The pack workflow: an operator scans an order, then every item of it; each scan is
 * accepted or refused with a reason. Later issues add box choice, weighing and the label.
 */
#pragma once

#include <glib-object.h>

#include "station/st-scan.h"
#include "station/st-store.h"

#include "st-barcode.h"

G_BEGIN_DECLS

typedef enum {
	ST_PACK_STATE_WAIT_ORDER, /* nothing open: scan an order */
	ST_PACK_STATE_SCAN_ITEMS, /* an order is open: scan its items */
	ST_PACK_STATE_PACKED,	  /* every item of the order is in: scan the next order */
	ST_PACK_STATE_LAST,
} StPackState;

const gchar *
st_pack_state_to_string(StPackState state);

/**
 * StScanResult:
 *
 * The answer to one scan, given to the operator (screen, sound, scanner beep) and stored.
 * It is emitted only after the scan and its consequences are committed.
 */
typedef struct {
	gint64 scan_id;
	gchar *device_id;
	gchar *display; /* the scan's data, printable */
	gboolean ok;
	gchar *reason;	     /* (nullable): code of a refusal, such as "not-in-order" */
	gchar *message;	     /* one sentence for the operator */
	gchar *order_number; /* (nullable) */
	gchar *sku;	     /* (nullable) */
} StScanResult;

void
st_scan_result_free(StScanResult *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StScanResult, st_scan_result_free)

#define ST_TYPE_PACK_WORKFLOW (st_pack_workflow_get_type())
G_DECLARE_FINAL_TYPE(StPackWorkflow, st_pack_workflow, ST, PACK_WORKFLOW, GObject)

StPackWorkflow *
st_pack_workflow_new(StStore *store, StBarcodePatterns *patterns);
StPackState
st_pack_workflow_get_state(StPackWorkflow *self);
const gchar *
st_pack_workflow_get_order_number(StPackWorkflow *self);
StScanResult *
st_pack_workflow_handle_scan(StPackWorkflow *self, StScan *scan, GError **error);

G_END_DECLS
