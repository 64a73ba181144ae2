/*
 * The ship workflow, at the dock: each parcel's tracking number or SSCC (from the label the
 * station stored for it) is scanned onto the open manifest of its order's carrier; the done
 * command closes that manifest. A parcel not packed, of a cancelled order, of another carrier
 * than the manifest being loaded, or already on a closed manifest is refused; one scanned
 * twice is told, not counted twice. An StWorkflow; the router hands it the scans.
 */
#pragma once

#include <glib-object.h>

#include "station/st-store.h"

#include "st-barcode.h"
#include "st-workflow.h"

G_BEGIN_DECLS

typedef enum {
	ST_SHIP_STATE_WAIT_PARCEL, /* no manifest being loaded here: scan a parcel */
	ST_SHIP_STATE_LOADING,	   /* a carrier's manifest is being loaded: its parcels, or done */
	ST_SHIP_STATE_LAST,
} StShipState;

const gchar *
st_ship_state_to_string(StShipState state);

#define ST_TYPE_SHIP_WORKFLOW (st_ship_workflow_get_type())
G_DECLARE_FINAL_TYPE(StShipWorkflow, st_ship_workflow, ST, SHIP_WORKFLOW, GObject)

StShipWorkflow *
st_ship_workflow_new(StStore *store, StBarcodePatterns *patterns);
StShipState
st_ship_workflow_get_state(StShipWorkflow *self);

G_END_DECLS
