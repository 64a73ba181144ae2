/*
 * The pack workflow: an operator scans an order, then every item of it; each scan is
 * accepted or refused with a reason. An StWorkflow; the router hands it the scans. Later
 * issues add box choice, weighing and the label.
 */
#pragma once

#include <glib-object.h>

#include "station/st-scan.h"
#include "station/st-store.h"

#include "st-barcode.h"
#include "st-workflow.h"

G_BEGIN_DECLS

typedef enum {
	ST_PACK_STATE_WAIT_ORDER, /* nothing open: scan an order */
	ST_PACK_STATE_SCAN_ITEMS, /* an order is open: scan its items */
	ST_PACK_STATE_PACKED,	  /* every item of the order is in: scan the next order */
	ST_PACK_STATE_LAST,
} StPackState;

const gchar *
st_pack_state_to_string(StPackState state);

#define ST_TYPE_PACK_WORKFLOW (st_pack_workflow_get_type())
G_DECLARE_FINAL_TYPE(StPackWorkflow, st_pack_workflow, ST, PACK_WORKFLOW, GObject)

StPackWorkflow *
st_pack_workflow_new(StStore *store, StBarcodePatterns *patterns);
StPackState
st_pack_workflow_get_state(StPackWorkflow *self);
const gchar *
st_pack_workflow_get_order_number(StPackWorkflow *self);

G_END_DECLS
