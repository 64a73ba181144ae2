/*
 * The pick workflow, for a picker's handheld or a bench: a pick list (its barcode, or an
 * order's barcode for a list of that order alone) is taken, a tote is given to each order (or
 * one to the list), then the route is walked pick by pick: scan the location, scan the item
 * (as many times as units, or a case once), then in a cluster the order's tote. Short-pick
 * (with its reason), skip, undo, cancel (leave the list) and done are commands. An
 * StWorkflow; the router hands it the scans.
 */
#pragma once

#include <glib-object.h>

#include "station/st-store.h"

#include "st-barcode.h"
#include "st-workflow.h"

G_BEGIN_DECLS

typedef enum {
	ST_PICK_STATE_WAIT_LIST,     /* no pick list here: scan one (or an order) */
	ST_PICK_STATE_WAIT_TOTE,     /* a tote for the next order (or for the list) */
	ST_PICK_STATE_WAIT_LOCATION, /* go to the pick's location and scan it */
	ST_PICK_STATE_WAIT_ITEM,     /* at the location: scan the item, once per unit */
	ST_PICK_STATE_ASK,	     /* the unit's lot or serial number, which its barcode lacks */
	ST_PICK_STATE_WAIT_PUT,	     /* cluster: scan the order's tote the units went into */
	ST_PICK_STATE_LAST,
} StPickState;

const gchar *
st_pick_state_to_string(StPickState state);

#define ST_TYPE_PICK_WORKFLOW (st_pick_workflow_get_type())
G_DECLARE_FINAL_TYPE(StPickWorkflow, st_pick_workflow, ST, PICK_WORKFLOW, GObject)

StPickWorkflow *
st_pick_workflow_new(StStore *store, StBarcodePatterns *patterns);
StPickState
st_pick_workflow_get_state(StPickWorkflow *self);

G_END_DECLS
