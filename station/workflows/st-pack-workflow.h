/*
 * The pack workflow: an operator scans an order, then every item of it (and the box, if they
 * choose one); each scan is accepted or refused with a reason. With a scale, the parcel is
 * then weighed against what it should weigh (its items and its box), and refused when it is
 * too light or too heavy, unless a shift lead lets it go. An StWorkflow; the router hands it
 * the scans and the weights. Once packed, the daemon prints the parcels' labels and the slip
 * (the verdict asks for it); with [pack] confirm-label each label is scanned on its parcel.
 */
#pragma once

#include <glib-object.h>

#include "station/st-scan.h"
#include "station/st-store.h"

#include "st-barcode.h"
#include "st-workflow.h"

G_BEGIN_DECLS

typedef enum {
	ST_PACK_STATE_WAIT_ORDER,     /* nothing open: scan an order */
	ST_PACK_STATE_SCAN_ITEMS,     /* an order is open: scan its items */
	ST_PACK_STATE_PACKED,	      /* every item of the order is in: scan the next order */
	ST_PACK_STATE_WEIGH,	      /* every item is in: the parcel goes on the scale */
	ST_PACK_STATE_WEIGHT_REFUSED, /* too light or heavy: fix it, or a lead lets it go */
	ST_PACK_STATE_ASK_SERIAL,     /* a unit tracked by serial was scanned: its serial next */
	ST_PACK_STATE_CONFIRM_LABEL,  /* packed, labels printed: scan each on its parcel */
	ST_PACK_STATE_LAST,
} StPackState;

typedef enum {
	ST_PACK_WEIGH_AUTO, /* weigh when a scale is attached at the seat */
	ST_PACK_WEIGH_YES,  /* always: without a scale the parcel waits for one */
	ST_PACK_WEIGH_NO,   /* never */
} StPackWeigh;

/* [pack]: how parcels are weighed */
typedef struct {
	StPackWeigh weigh;
	guint tolerance_g;	  /* a weight this close to the expected one passes ... */
	guint tolerance_percent;  /* ... or this close in percent of it, whichever is more */
	const gchar *location;	  /* (nullable): the bench's location, which packed goods leave;
				   * NULL: packing moves no stock */
	const gchar *sscc_prefix; /* (nullable): each parcel gets an SSCC made of it, which its
				   * label carries */
	gboolean confirm_label;	  /* the packer scans each printed label on its parcel */
} StPackSettings;

void
st_pack_settings_init(StPackSettings *self);

const gchar *
st_pack_state_to_string(StPackState state);

#define ST_TYPE_PACK_WORKFLOW (st_pack_workflow_get_type())
G_DECLARE_FINAL_TYPE(StPackWorkflow, st_pack_workflow, ST, PACK_WORKFLOW, GObject)

StPackWorkflow *
st_pack_workflow_new(StStore *store, StBarcodePatterns *patterns);
void
st_pack_workflow_set_settings(StPackWorkflow *self, const StPackSettings *settings);
StPackState
st_pack_workflow_get_state(StPackWorkflow *self);
const gchar *
st_pack_workflow_get_order_number(StPackWorkflow *self);
gboolean
st_pack_workflow_get_expected_weight(StPackWorkflow *self, guint *expected_g, guint *tolerance_g);

G_END_DECLS
