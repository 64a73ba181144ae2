/*
 * StPackWorkflow: the pack state machine. The state changes only in
 * st_pack_workflow_set_state(), which logs "old -> new" and emits ::state-changed. Each scan
 * is classified (order number, product barcode), checked against the open order, recorded
 * through one store verb, and only then answered through ::scan-result. A scan the store
 * could not record is not answered "ok": the caller gets the error and the operator is told
 * to scan again.
 */
#define G_LOG_DOMAIN "station-pack"

#include "station/st-error.h"

#include "st-barcode.h"
#include "st-pack-workflow.h"

G_DEFINE_QUARK(st - workflow - error - quark, st_workflow_error)

struct _StPackWorkflow {
	GObject parent_instance;
	StStore *store;
	StPackState state;
	StOrder *order;		     /* (nullable): the open order */
	StBarcodePatterns *patterns; /* the station's own barcodes */
};

G_DEFINE_TYPE(StPackWorkflow, st_pack_workflow, G_TYPE_OBJECT)

enum { SIGNAL_STATE_CHANGED, SIGNAL_SCAN_RESULT, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

static const gchar *state_names[ST_PACK_STATE_LAST] = {
	[ST_PACK_STATE_WAIT_ORDER] = "wait-order",
	[ST_PACK_STATE_SCAN_ITEMS] = "scan-items",
	[ST_PACK_STATE_PACKED] = "packed",
};

const gchar *
st_pack_state_to_string(StPackState state)
{
	if ((guint)state >= ST_PACK_STATE_LAST)
		return "unknown";
	return state_names[state];
}

void
st_scan_result_free(StScanResult *self)
{
	if (self == NULL)
		return;
	g_free(self->device_id);
	g_free(self->display);
	g_free(self->reason);
	g_free(self->message);
	g_free(self->order_number);
	g_free(self->sku);
	g_free(self);
}

static void
st_pack_workflow_set_state(StPackWorkflow *self, StPackState state)
{
	StPackState old = self->state;
	if (old == state)
		return;
	self->state = state;
	g_info("pack: %s -> %s%s%s", st_pack_state_to_string(old), st_pack_state_to_string(state),
	       self->order != NULL ? ", order " : "",
	       self->order != NULL ? self->order->number : "");
	g_signal_emit(self, signals[SIGNAL_STATE_CHANGED], 0, old, state);
}

StPackState
st_pack_workflow_get_state(StPackWorkflow *self)
{
	g_return_val_if_fail(ST_IS_PACK_WORKFLOW(self), ST_PACK_STATE_WAIT_ORDER);
	return self->state;
}

/* Returns: (nullable): the number of the open order */
const gchar *
st_pack_workflow_get_order_number(StPackWorkflow *self)
{
	g_return_val_if_fail(ST_IS_PACK_WORKFLOW(self), NULL);
	return self->order != NULL ? self->order->number : NULL;
}

static StScanResult *
st_pack_workflow_result_new(StScan *scan)
{
	StScanResult *result = g_new0(StScanResult, 1);
	result->device_id = g_strdup(st_scan_get_device_id(scan));
	result->display = st_scan_to_display(scan);
	return result;
}

/* records a refusal and builds its result */
static StScanResult *
st_pack_workflow_refuse(StPackWorkflow *self,
			StScan *scan,
			const gchar *reason,
			gint64 order_id,
			const gchar *order_number,
			gint64 product_id,
			const gchar *sku,
			GError **error,
			const gchar *format,
			...) G_GNUC_PRINTF(9, 10);

static StScanResult *
st_pack_workflow_refuse(StPackWorkflow *self,
			StScan *scan,
			const gchar *reason,
			gint64 order_id,
			const gchar *order_number,
			gint64 product_id,
			const gchar *sku,
			GError **error,
			const gchar *format,
			...)
{
	g_autoptr(StScanResult) result = st_pack_workflow_result_new(scan);
	va_list args;

	va_start(args, format);
	result->message = g_strdup_vprintf(format, args);
	va_end(args);
	result->reason = g_strdup(reason);
	result->order_number = g_strdup(order_number);
	result->sku = g_strdup(sku);
	if (!st_store_refuse_scan(self->store, scan, reason, result->message, order_id, product_id,
				  &result->scan_id, error))
		return NULL;
	return g_steal_pointer(&result);
}

static guint
st_pack_workflow_count_remaining(GPtrArray *lines)
{
	guint remaining = 0;
	for (guint i = 0; i < lines->len; i++) {
		StOrderLine *line = g_ptr_array_index(lines, i);
		remaining += line->quantity - line->packed;
	}
	return remaining;
}

static StScanResult *
st_pack_workflow_scan_order(StPackWorkflow *self, StScan *scan, StOrder *order, GError **error)
{
	g_autoptr(StScanResult) result = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	guint remaining;

	switch (order->status) {
	case ST_ORDER_STATUS_CANCELLED:
		return st_pack_workflow_refuse(self, scan, "order-cancelled", order->id,
					       order->number, 0, NULL, error,
					       "Order %s was cancelled: do not pack it; put its "
					       "items aside for the shift lead",
					       order->number);
	case ST_ORDER_STATUS_PACKED:
	case ST_ORDER_STATUS_SHIPPED:
		return st_pack_workflow_refuse(
			self, scan, "order-already-packed", order->id, order->number, 0, NULL,
			error, "Order %s is already %s: scan another order", order->number,
			st_order_status_to_string(order->status));
	case ST_ORDER_STATUS_RELEASED:
	case ST_ORDER_STATUS_PACKING:
	default:
		break;
	}
	lines = st_store_get_order_lines(self->store, order->id, error);
	if (lines == NULL)
		return NULL;
	remaining = st_pack_workflow_count_remaining(lines);
	result = st_pack_workflow_result_new(scan);
	result->ok = TRUE;
	result->order_number = g_strdup(order->number);
	result->message =
		g_strdup_printf("Order %s %s: scan its %u item%s", order->number,
				order->status == ST_ORDER_STATUS_PACKING ? "resumed" : "opened",
				remaining, remaining == 1 ? "" : "s");
	if (!st_store_start_packing(self->store, scan, order, result->message, &result->scan_id,
				    error))
		return NULL;
	if (self->order != NULL && self->state == ST_PACK_STATE_SCAN_ITEMS &&
	    g_strcmp0(self->order->number, order->number) != 0)
		g_message("order %s left unfinished for order %s", self->order->number,
			  order->number);
	st_order_free(self->order);
	self->order = g_memdup2(order, sizeof(*order));
	self->order->number = g_strdup(order->number);
	self->order->status = ST_ORDER_STATUS_PACKING;
	st_pack_workflow_set_state(self, ST_PACK_STATE_SCAN_ITEMS);

	/* every line already in (a crash after the last item, before the order closed) */
	if (remaining == 0) {
		if (!st_store_finish_packing(self->store, self->order, result->scan_id, error))
			return NULL;
		self->order->status = ST_ORDER_STATUS_PACKED;
		g_free(result->message);
		result->message = g_strdup_printf("Order %s is complete", order->number);
		st_pack_workflow_set_state(self, ST_PACK_STATE_PACKED);
	}
	return g_steal_pointer(&result);
}

static StScanResult *
st_pack_workflow_scan_item(StPackWorkflow *self, StScan *scan, StProduct *product, GError **error)
{
	g_autoptr(StScanResult) result = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	StOrderLine *line = NULL;
	guint remaining;

	if (self->state == ST_PACK_STATE_WAIT_ORDER || self->order == NULL)
		return st_pack_workflow_refuse(self, scan, "no-order-open", 0, NULL, product->id,
					       product->sku, error,
					       "%s (%s) scanned, but no order is open: scan the "
					       "order first",
					       product->name, product->sku);
	if (self->state == ST_PACK_STATE_PACKED)
		return st_pack_workflow_refuse(self, scan, "order-complete", self->order->id,
					       self->order->number, product->id, product->sku,
					       error,
					       "Order %s is already complete: %s does not belong "
					       "in it; scan the next order",
					       self->order->number, product->sku);
	lines = st_store_get_order_lines(self->store, self->order->id, error);
	if (lines == NULL)
		return NULL;
	for (guint i = 0; i < lines->len; i++) {
		StOrderLine *l = g_ptr_array_index(lines, i);
		if (l->product_id != product->id)
			continue;
		line = l;
		if (l->packed < l->quantity)
			break; /* a later line of the same product may still have room */
	}
	if (line == NULL)
		return st_pack_workflow_refuse(self, scan, "not-in-order", self->order->id,
					       self->order->number, product->id, product->sku,
					       error, "Wrong item: %s (%s) is not in order %s",
					       product->name, product->sku, self->order->number);
	if (line->packed + product->quantity > line->quantity)
		return st_pack_workflow_refuse(
			self, scan, "over-scan", self->order->id, self->order->number, product->id,
			product->sku, error,
			"Too many: order %s needs %u of %s and %u %s already in; take this one out",
			self->order->number, line->quantity, product->sku, line->packed,
			line->packed == 1 ? "is" : "are");

	result = st_pack_workflow_result_new(scan);
	result->ok = TRUE;
	result->order_number = g_strdup(self->order->number);
	result->sku = g_strdup(product->sku);
	remaining = st_pack_workflow_count_remaining(lines) - product->quantity;
	result->message =
		g_strdup_printf("%s (%s): %u of %u; %u item%s left in order %s", product->name,
				product->sku, line->packed + product->quantity, line->quantity,
				remaining, remaining == 1 ? "" : "s", self->order->number);
	if (!st_store_pack_item(self->store, scan, self->order, line, product->quantity,
				result->message, &result->scan_id, error))
		return NULL;
	if (remaining == 0) {
		if (!st_store_finish_packing(self->store, self->order, result->scan_id, error))
			return NULL;
		self->order->status = ST_ORDER_STATUS_PACKED;
		g_free(result->message);
		result->message = g_strdup_printf("%s (%s): order %s is complete", product->name,
						  product->sku, self->order->number);
		st_pack_workflow_set_state(self, ST_PACK_STATE_PACKED);
	}
	return g_steal_pointer(&result);
}

/* Returns: the product @text names, trying every form of a GTIN; NULL with @error unset when
 * there is none, NULL with @error set when the store failed */
static StProduct *
st_pack_workflow_find_product(StPackWorkflow *self,
			      const gchar *text,
			      const StBarcode *barcode,
			      GError **error)
{
	g_autoptr(GPtrArray) forms = st_barcode_lookup_forms(barcode, text);

	for (guint i = 0; i < forms->len; i++) {
		g_autoptr(GError) error_local = NULL;
		StProduct *product = st_store_find_product_by_barcode(
			self->store, g_ptr_array_index(forms, i), &error_local);
		if (product != NULL)
			return product;
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
	}
	return NULL;
}

/**
 * st_pack_workflow_handle_scan:
 *
 * Decides on one scan, records it and its consequences durably, then emits ::scan-result.
 *
 * Returns: (transfer full): the answer, or NULL with an error if the store could not record
 * it; the scan then has no answer and the operator must scan again
 */
StScanResult *
st_pack_workflow_handle_scan(StPackWorkflow *self, StScan *scan, GError **error)
{
	g_autoptr(StScanResult) result = NULL;
	g_autoptr(StOrder) order = NULL;
	g_autoptr(StProduct) product = NULL;
	g_autoptr(StBarcode) barcode = NULL;
	g_autoptr(GError) error_local = NULL;
	const gchar *text = st_scan_get_text(scan);

	g_return_val_if_fail(ST_IS_PACK_WORKFLOW(self), NULL);

	if (text == NULL) {
		result = st_pack_workflow_refuse(self, scan, "unreadable", 0, NULL, 0, NULL, error,
						 "The scan holds binary data, not a barcode the "
						 "station knows: scan the order or item label");
	} else if ((order = st_store_find_order(self->store, text, &error_local)) != NULL) {
		result = st_pack_workflow_scan_order(self, scan, order, error);
	} else if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	} else if ((g_clear_error(&error_local),
		    barcode = st_barcode_parse_full(
			    self->patterns, g_bytes_get_data(st_scan_get_data(scan), NULL),
			    g_bytes_get_size(st_scan_get_data(scan)), st_scan_get_symbology(scan),
			    ST_BARCODE_INPUT_SCAN)) != NULL &&
		   barcode->kind == ST_BARCODE_KIND_ORDER && barcode->valid) {
		order = st_store_find_order(self->store, barcode->key, &error_local);
		if (order == NULL &&
		    !g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		if (order != NULL)
			result = st_pack_workflow_scan_order(self, scan, order, error);
		else
			result = st_pack_workflow_refuse(
				self, scan, "unknown-order",
				self->order != NULL ? self->order->id : 0,
				self->order != NULL ? self->order->number : NULL, 0, NULL, error,
				"Order %s is not on this station: check the order sheet, or ask "
				"the "
				"shift lead to send the order here",
				barcode->text);
	} else if (barcode->kind == ST_BARCODE_KIND_COMMAND && !barcode->valid) {
		result = st_pack_workflow_refuse(
			self, scan, "unknown-command", self->order != NULL ? self->order->id : 0,
			self->order != NULL ? self->order->number : NULL, 0, NULL, error,
			"Command barcode %s is not one this station knows (%s): use the command "
			"sheet printed by this station",
			barcode->text, barcode->reason);
	} else if (barcode->kind >= ST_BARCODE_KIND_COMMAND) {
		result = st_pack_workflow_refuse(
			self, scan, "not-for-packing", self->order != NULL ? self->order->id : 0,
			self->order != NULL ? self->order->number : NULL, 0, NULL, error,
			"That is a %s barcode (%s): packing does not use it; scan the order, then "
			"its items",
			st_barcode_kind_to_string(barcode->kind), barcode->key);
	} else if ((barcode->kind == ST_BARCODE_KIND_GTIN ||
		    barcode->kind == ST_BARCODE_KIND_GS1) &&
		   !barcode->valid) {
		result = st_pack_workflow_refuse(
			self, scan, "invalid-barcode", self->order != NULL ? self->order->id : 0,
			self->order != NULL ? self->order->number : NULL, 0, NULL, error,
			"Misread barcode %s (%s): scan it again, or type the number under it",
			barcode->text, barcode->reason);
	} else if ((product = st_pack_workflow_find_product(self, text, barcode, &error_local)) !=
			   NULL ||
		   error_local != NULL) {
		if (product == NULL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		result = st_pack_workflow_scan_item(self, scan, product, error);
	} else {
		g_autofree gchar *display = st_scan_to_display(scan);
		result = st_pack_workflow_refuse(
			self, scan, "unknown-barcode", self->order != NULL ? self->order->id : 0,
			self->order != NULL ? self->order->number : NULL, 0, NULL, error,
			"Unknown barcode %s: not an order or a product of "
			"this station",
			display);
	}
	if (result == NULL) {
		g_prefix_error(error, "scan from %s not recorded, scan again: ",
			       st_scan_get_device_id(scan));
		return NULL;
	}
	{
		/* fields for the journal: values are plain strings, only MESSAGE is a format */
		g_autofree gchar *scan_id = g_strdup_printf("%" G_GINT64_FORMAT, result->scan_id);
		g_log_structured(G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "ST_SCAN_ID", scan_id,
				 "ST_DEVICE", result->device_id, "ST_ORDER",
				 result->order_number != NULL ? result->order_number : "",
				 "MESSAGE", "scan %s from %s '%s': %s%s%s: %s", scan_id,
				 result->device_id, result->display, result->ok ? "ok" : "refused",
				 result->reason != NULL ? " " : "",
				 result->reason != NULL ? result->reason : "", result->message);
	}
	g_signal_emit(self, signals[SIGNAL_SCAN_RESULT], 0, result);
	return g_steal_pointer(&result);
}

static void
st_pack_workflow_finalize(GObject *object)
{
	StPackWorkflow *self = ST_PACK_WORKFLOW(object);
	st_order_free(self->order);
	st_barcode_patterns_unref(self->patterns);
	g_object_unref(self->store);
	G_OBJECT_CLASS(st_pack_workflow_parent_class)->finalize(object);
}

static void
st_pack_workflow_init(StPackWorkflow *self)
{
	self->state = ST_PACK_STATE_WAIT_ORDER;
}

static void
st_pack_workflow_class_init(StPackWorkflowClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = st_pack_workflow_finalize;

	/* ::state-changed (StPackState old, StPackState new) */
	signals[SIGNAL_STATE_CHANGED] =
		g_signal_new("state-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			     NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
	/* ::scan-result (StScanResult *): after the scan is committed */
	signals[SIGNAL_SCAN_RESULT] =
		g_signal_new("scan-result", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			     NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

/**
 * st_pack_workflow_new:
 * @store: the store, which it references
 * @patterns: (nullable): the station's own barcodes (the [barcodes] patterns); NULL for the
 *   defaults
 *
 * Returns: (transfer full): a workflow in wait-order
 */
StPackWorkflow *
st_pack_workflow_new(StStore *store, StBarcodePatterns *patterns)
{
	StPackWorkflow *self = g_object_new(ST_TYPE_PACK_WORKFLOW, NULL);
	self->store = g_object_ref(store);
	self->patterns =
		patterns != NULL ? st_barcode_patterns_ref(patterns) : st_barcode_patterns_new();
	return self;
}
