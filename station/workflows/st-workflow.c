/*
 * The StWorkflow interface, and the workflows' error domain. An implementation emits
 * ::state-changed (old, new state names) from its one set_state function.
 */
#include "station/st-error.h"

#include "st-workflow.h"

GQuark
st_workflow_error_quark(void)
{
	return g_quark_from_static_string("st-workflow-error-quark");
}

G_DEFINE_INTERFACE(StWorkflow, st_workflow, G_TYPE_OBJECT)

static void
st_workflow_default_init(StWorkflowInterface *iface)
{
	/* ::state-changed (const gchar *old, const gchar *new) */
	g_signal_new("state-changed", G_TYPE_FROM_INTERFACE(iface), G_SIGNAL_RUN_LAST, 0, NULL,
		     NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

const gchar *
st_workflow_get_name(StWorkflow *self)
{
	g_return_val_if_fail(ST_IS_WORKFLOW(self), NULL);
	return ST_WORKFLOW_GET_IFACE(self)->get_name(self);
}

const gchar *
st_workflow_get_state_name(StWorkflow *self)
{
	g_return_val_if_fail(ST_IS_WORKFLOW(self), NULL);
	return ST_WORKFLOW_GET_IFACE(self)->get_state_name(self);
}

/* Returns: (transfer full): what the operator is to scan next */
gchar *
st_workflow_get_prompt(StWorkflow *self, const gchar *language)
{
	g_return_val_if_fail(ST_IS_WORKFLOW(self), NULL);
	return ST_WORKFLOW_GET_IFACE(self)->get_prompt(self, language);
}

/* Returns: (transfer full) (nullable): what was resumed at @seat, or NULL (with @error set
 * when the store failed) */
gchar *
st_workflow_restore(StWorkflow *self, const gchar *seat, GError **error)
{
	StWorkflowInterface *iface;

	g_return_val_if_fail(ST_IS_WORKFLOW(self), NULL);
	iface = ST_WORKFLOW_GET_IFACE(self);
	if (iface->restore == NULL)
		return NULL;
	return iface->restore(self, seat, error);
}

/**
 * st_workflow_handle_intent:
 *
 * Hands a scan to the workflow: commands to its command handler where it has one.
 *
 * Returns: (transfer full): the committed answer, or NULL with an error
 */
StVerdict *
st_workflow_handle_intent(StWorkflow *self, StIntent *intent, GError **error)
{
	StWorkflowInterface *iface;

	g_return_val_if_fail(ST_IS_WORKFLOW(self), NULL);
	iface = ST_WORKFLOW_GET_IFACE(self);
	if (intent->kind == ST_INTENT_COMMAND && iface->handle_command != NULL)
		return iface->handle_command(self, intent, error);
	return iface->handle_scan(self, intent, error);
}

/* Returns: (transfer full) (nullable): the answer to a reading that decided something;
 * NULL with @error set when the workflow could not record what it did */
StVerdict *
st_workflow_handle_weight(StWorkflow *self,
			  const gchar *device_id,
			  const StWeight *weight,
			  GError **error)
{
	StWorkflowInterface *iface;

	g_return_val_if_fail(ST_IS_WORKFLOW(self), NULL);
	iface = ST_WORKFLOW_GET_IFACE(self);
	if (iface->handle_weight == NULL)
		return NULL;
	return iface->handle_weight(self, device_id, weight, error);
}

void
st_workflow_scale_changed(StWorkflow *self, gboolean present)
{
	StWorkflowInterface *iface;

	g_return_if_fail(ST_IS_WORKFLOW(self));
	iface = ST_WORKFLOW_GET_IFACE(self);
	if (iface->scale_changed != NULL)
		iface->scale_changed(self, present);
}

gboolean
st_workflow_wants_badge(StWorkflow *self)
{
	StWorkflowInterface *iface;

	g_return_val_if_fail(ST_IS_WORKFLOW(self), FALSE);
	iface = ST_WORKFLOW_GET_IFACE(self);
	return iface->wants_badge != NULL && iface->wants_badge(self);
}

/**
 * st_workflow_refusev:
 * @subject: (nullable): the order and product the refusal concerns
 *
 * Records a refused scan with its reason and sentence, and builds its verdict: what every
 * workflow does when it says no.
 *
 * Returns: (transfer full): the committed refusal, or NULL with an error from the store
 */
StVerdict *
st_workflow_refusev(StStore *store,
		    StIntent *intent,
		    const gchar *reason,
		    const StRefusalSubject *subject,
		    GError **error,
		    const gchar *format,
		    va_list args)
{
	static const StRefusalSubject none = {0};
	g_autoptr(StVerdict) result = st_verdict_new_for_scan(intent->scan);

	if (subject == NULL)
		subject = &none;
	result->message = g_strdup_vprintf(format, args);
	result->reason = g_strdup(reason);
	result->order_number = g_strdup(subject->order_number);
	result->sku = g_strdup(subject->sku);
	if (!st_store_record_scan(store, intent->scan, st_intent_get_origin(intent), reason,
				  result->message, subject->order_id, subject->product_id,
				  &result->scan_id, error))
		return NULL;
	return g_steal_pointer(&result);
}

StVerdict *
st_workflow_refuse(StStore *store,
		   StIntent *intent,
		   const gchar *reason,
		   const StRefusalSubject *subject,
		   GError **error,
		   const gchar *format,
		   ...)
{
	StVerdict *result;
	va_list args;

	va_start(args, format);
	result = st_workflow_refusev(store, intent, reason, subject, error, format, args);
	va_end(args);
	return result;
}
