/*
 * StWorkflow: what every workflow (pack and ship today; pick next) is to the rest of the
 * station. The scan router hands it each scan as an intent, each command barcode and each
 * weight; it answers a scan with a verdict only once the scan and its consequences are
 * committed through the store's verbs. A workflow never touches a device, SQL, CUPS or HTTP.
 */
#pragma once

#include <glib-object.h>

#include "station/st-store.h"
#include "station/st-weight.h"

#include "st-intent.h"
#include "st-verdict.h"

G_BEGIN_DECLS

#define ST_TYPE_WORKFLOW (st_workflow_get_type())
G_DECLARE_INTERFACE(StWorkflow, st_workflow, ST, WORKFLOW, GObject)

/**
 * StWorkflowInterface:
 * @get_name: the name a bench or device is configured with (`pack`, `pick`, `ship`)
 * @get_state_name: the current state's name, for logs and the screen
 * @handle_scan: decide on a scan that is not a command, record it, answer. Returns NULL
 *   with an error when the store could not record it (the scan then has no answer)
 * @handle_command: (nullable): the same for a command barcode (valid or not); without it,
 *   commands go to @handle_scan
 * @handle_weight: (nullable): a scale's reading; returns the answer when it decided
 *   something (a parcel accepted or refused), NULL otherwise (or with an error when the store
 *   failed); without it, weights are not this workflow's concern
 * @scale_changed: (nullable): a scale came or went at the workflow's seat
 * @wants_badge: (nullable): TRUE when a badge scanned now is for the workflow (a lead's
 *   override), not a login
 * @restore: (nullable): go back to where the last accepted scan at @seat left the workflow
 *   (after a restart); returns what was resumed, for the log ("order ORD-1 resumed"), or
 *   NULL when there was nothing to resume (or on an error, which is then set)
 * @get_prompt: what the operator is to scan next, one short sentence ("scan an order"), in
 *   @language (NULL: English)
 */
struct _StWorkflowInterface {
	GTypeInterface parent_iface;
	const gchar *(*get_name)(StWorkflow *self);
	const gchar *(*get_state_name)(StWorkflow *self);
	StVerdict *(*handle_scan)(StWorkflow *self, StIntent *intent, GError **error);
	StVerdict *(*handle_command)(StWorkflow *self, StIntent *intent, GError **error);
	StVerdict *(*handle_weight)(StWorkflow *self,
				    const gchar *device_id,
				    const StWeight *weight,
				    GError **error);
	void (*scale_changed)(StWorkflow *self, gboolean present);
	gboolean (*wants_badge)(StWorkflow *self);
	gchar *(*get_prompt)(StWorkflow *self, const gchar *language);
	gchar *(*restore)(StWorkflow *self, const gchar *seat, GError **error);
};

const gchar *
st_workflow_get_name(StWorkflow *self);
const gchar *
st_workflow_get_state_name(StWorkflow *self);
gchar *
st_workflow_get_prompt(StWorkflow *self, const gchar *language);
gchar *
st_workflow_restore(StWorkflow *self, const gchar *seat, GError **error);
StVerdict *
st_workflow_handle_intent(StWorkflow *self, StIntent *intent, GError **error);
void
st_workflow_scale_changed(StWorkflow *self, gboolean present);
gboolean
st_workflow_wants_badge(StWorkflow *self);
StVerdict *
st_workflow_handle_weight(StWorkflow *self,
			  const gchar *device_id,
			  const StWeight *weight,
			  GError **error);

/* what a refusal concerns, for its record and its verdict (each member nullable or 0) */
typedef struct {
	gint64 order_id;
	const gchar *order_number;
	gint64 product_id;
	const gchar *sku;
} StRefusalSubject;

StVerdict *
st_workflow_refuse(StStore *store,
		   StIntent *intent,
		   const gchar *reason,
		   const StRefusalSubject *subject,
		   GError **error,
		   const gchar *format,
		   ...) G_GNUC_PRINTF(6, 7);
StVerdict *
st_workflow_refusev(StStore *store,
		    StIntent *intent,
		    const gchar *reason,
		    const StRefusalSubject *subject,
		    GError **error,
		    const gchar *format,
		    va_list args) G_GNUC_PRINTF(6, 0);

G_END_DECLS
