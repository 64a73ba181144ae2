/*
 * StScanRouter. The workflows a bench can run are made here, one of each (pack today), from
 * the table below; adding a workflow is one row and one file. ::verdict (StVerdict) is
 * emitted after each scan's answer is committed.
 */
#define G_LOG_DOMAIN "station-workflow"

#include "station/st-error.h"

#include "st-pack-workflow.h"
#include "st-scan-router.h"

struct _StScanRouter {
	GObject parent_instance;
	StBarcodePatterns *patterns;
	GPtrArray *workflows;	     /* of StWorkflow */
	StWorkflow *bench_workflow;  /* (unowned): the one a device without its own uses */
	GHashTable *device_workflow; /* device id -> (unowned) StWorkflow */
};

G_DEFINE_TYPE(StScanRouter, st_scan_router, G_TYPE_OBJECT)

enum { SIGNAL_VERDICT, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

static StWorkflow *
st_scan_router_new_pack(StStore *store, StBarcodePatterns *patterns)
{
	return ST_WORKFLOW(st_pack_workflow_new(store, patterns));
}

/* the workflows of this build, each made for the store and the station's barcodes */
typedef StWorkflow *(*StWorkflowNewFunc)(StStore *store, StBarcodePatterns *patterns);
static const StWorkflowNewFunc workflow_table[] = {
	st_scan_router_new_pack,
};

/* Returns: (transfer none) (nullable): the workflow called @name */
StWorkflow *
st_scan_router_get_workflow(StScanRouter *self, const gchar *name)
{
	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), NULL);
	for (guint i = 0; i < self->workflows->len; i++) {
		StWorkflow *workflow = g_ptr_array_index(self->workflows, i);
		if (g_strcmp0(st_workflow_get_name(workflow), name) == 0)
			return workflow;
	}
	return NULL;
}

static StWorkflow *
st_scan_router_find(StScanRouter *self, const gchar *name, GError **error)
{
	StWorkflow *workflow = st_scan_router_get_workflow(self, name);
	if (workflow == NULL) {
		g_autoptr(GString) known = g_string_new(NULL);
		for (guint i = 0; i < self->workflows->len; i++)
			g_string_append_printf(
				known, "%s%s", known->len > 0 ? ", " : "",
				st_workflow_get_name(g_ptr_array_index(self->workflows, i)));
		g_set_error(error, ST_WORKFLOW_ERROR, ST_ERROR_INVALID_CONFIG,
			    "no workflow called '%s' (this build has: %s)", name, known->str);
	}
	return workflow;
}

/* Returns: FALSE with ST_ERROR_INVALID_CONFIG when there is no such workflow */
gboolean
st_scan_router_set_bench_workflow(StScanRouter *self, const gchar *name, GError **error)
{
	StWorkflow *workflow;

	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), FALSE);
	workflow = st_scan_router_find(self, name, error);
	if (workflow == NULL)
		return FALSE;
	self->bench_workflow = workflow;
	return TRUE;
}

/* a device that runs another workflow than the bench (a handheld picking beside a packing
 * bench); Returns: FALSE with ST_ERROR_INVALID_CONFIG when there is no such workflow */
gboolean
st_scan_router_set_device_workflow(StScanRouter *self,
				   const gchar *device_id,
				   const gchar *name,
				   GError **error)
{
	StWorkflow *workflow;

	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), FALSE);
	workflow = st_scan_router_find(self, name, error);
	if (workflow == NULL)
		return FALSE;
	g_hash_table_insert(self->device_workflow, g_strdup(device_id), workflow);
	return TRUE;
}

static StWorkflow *
st_scan_router_workflow_for(StScanRouter *self, const gchar *device_id)
{
	StWorkflow *workflow = g_hash_table_lookup(self->device_workflow, device_id);
	return workflow != NULL ? workflow : self->bench_workflow;
}

/* one journal entry per answered scan; values are plain strings, only MESSAGE a format */
static void
st_scan_router_log(StScanRouter *self, StWorkflow *workflow, const StVerdict *verdict)
{
	g_autofree gchar *scan_id = g_strdup_printf("%" G_GINT64_FORMAT, verdict->scan_id);
	g_log_structured(G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "ST_SCAN_ID", scan_id, "ST_DEVICE",
			 verdict->device_id, "ST_ORDER",
			 verdict->order_number != NULL ? verdict->order_number : "", "ST_WORKFLOW",
			 st_workflow_get_name(workflow), "MESSAGE",
			 "scan %s from %s '%s': %s%s%s: %s", scan_id, verdict->device_id,
			 verdict->display, verdict->ok ? "ok" : "refused",
			 verdict->reason != NULL ? " " : "",
			 verdict->reason != NULL ? verdict->reason : "", verdict->message);
}

/**
 * st_scan_router_handle_scan:
 *
 * Reads @scan once, hands it to its device's workflow, logs and emits the answer.
 *
 * Returns: (transfer full): the answer, committed; or NULL with an error when the store
 * could not record the scan, which then has no answer: the operator must scan again
 */
StVerdict *
st_scan_router_handle_scan(StScanRouter *self, StScan *scan, GError **error)
{
	g_autoptr(StIntent) intent = NULL;
	g_autoptr(StVerdict) verdict = NULL;
	StWorkflow *workflow;

	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), NULL);
	workflow = st_scan_router_workflow_for(self, st_scan_get_device_id(scan));
	intent = st_intent_new(scan, self->patterns);
	verdict = st_workflow_handle_intent(workflow, intent, error);
	if (verdict == NULL) {
		g_prefix_error(error, "scan from %s not recorded, scan again: ",
			       st_scan_get_device_id(scan));
		return NULL;
	}
	st_scan_router_log(self, workflow, verdict);
	g_signal_emit(self, signals[SIGNAL_VERDICT], 0, verdict);
	return g_steal_pointer(&verdict);
}

/* Returns: FALSE with an error when the workflow could not record what the weight did */
gboolean
st_scan_router_handle_weight(StScanRouter *self,
			     const gchar *device_id,
			     const StWeight *weight,
			     GError **error)
{
	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), FALSE);
	return st_workflow_handle_weight(st_scan_router_workflow_for(self, device_id), device_id,
					 weight, error);
}

static void
st_scan_router_finalize(GObject *object)
{
	StScanRouter *self = ST_SCAN_ROUTER(object);
	g_hash_table_unref(self->device_workflow);
	g_ptr_array_unref(self->workflows);
	st_barcode_patterns_unref(self->patterns);
	G_OBJECT_CLASS(st_scan_router_parent_class)->finalize(object);
}

static void
st_scan_router_init(StScanRouter *self)
{
	self->workflows = g_ptr_array_new_with_free_func(g_object_unref);
	self->device_workflow = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

static void
st_scan_router_class_init(StScanRouterClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = st_scan_router_finalize;
	/* ::verdict (StVerdict *): after the scan and its consequences are committed */
	signals[SIGNAL_VERDICT] =
		g_signal_new("verdict", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			     NULL, G_TYPE_NONE, 1, ST_TYPE_VERDICT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

/**
 * st_scan_router_new:
 * @store: the store the workflows record in; referenced
 * @patterns: (nullable): the station's own barcodes ([barcodes]); NULL for the defaults
 *
 * Returns: (transfer full): a router with every workflow of this build, the bench on the
 * first (pack)
 */
StScanRouter *
st_scan_router_new(StStore *store, StBarcodePatterns *patterns)
{
	StScanRouter *self = g_object_new(ST_TYPE_SCAN_ROUTER, NULL);
	self->patterns =
		patterns != NULL ? st_barcode_patterns_ref(patterns) : st_barcode_patterns_new();
	for (guint i = 0; i < G_N_ELEMENTS(workflow_table); i++)
		g_ptr_array_add(self->workflows, workflow_table[i](store, self->patterns));
	self->bench_workflow = g_ptr_array_index(self->workflows, 0);
	return self;
}
