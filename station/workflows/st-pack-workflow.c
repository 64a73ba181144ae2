/*
 * StPackWorkflow: the pack state machine, an StWorkflow. The state changes only in
 * st_pack_workflow_set_state(), which logs "old -> new" and emits ::state-changed; the
 * transitions are the enter_* functions. Each scan arrives as an intent (read once by the
 * router), is decided on by kind in one switch, checked against the open order, recorded
 * through one store verb, and only then answered. A scan the store could not record is not
 * answered "ok": the caller gets the error and the operator is told to scan again.
 */
#define G_LOG_DOMAIN "station-pack"

#include "station/st-error.h"

#include "st-i18n.h"
#include "st-pack-workflow.h"

struct _StPackWorkflow {
	GObject parent_instance;
	StStore *store;
	StPackState state;
	StOrder *order;		     /* (nullable): the open order */
	StBarcodePatterns *patterns; /* the station's own barcodes */
};

static void
st_pack_workflow_iface_init(StWorkflowInterface *iface);

G_DEFINE_TYPE_WITH_CODE(StPackWorkflow,
			st_pack_workflow,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(ST_TYPE_WORKFLOW, st_pack_workflow_iface_init))

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
	g_signal_emit_by_name(self, "state-changed", st_pack_state_to_string(old),
			      st_pack_state_to_string(state));
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

static StVerdict *
st_pack_workflow_result_new(StScan *scan)
{
	g_autofree gchar *display = st_scan_to_display(scan);
	return st_verdict_new(st_scan_get_device_id(scan), display);
}

/* the transitions: each state is entered through its function, which sets what the state
 * needs (the open order) and then the state */
static void
st_pack_workflow_enter_scan_items(StPackWorkflow *self, const StOrder *order)
{
	st_order_free(self->order);
	self->order = g_memdup2(order, sizeof(*order));
	self->order->number = g_strdup(order->number);
	self->order->status = ST_ORDER_STATUS_PACKING;
	st_pack_workflow_set_state(self, ST_PACK_STATE_SCAN_ITEMS);
}

static void
st_pack_workflow_enter_packed(StPackWorkflow *self)
{
	self->order->status = ST_ORDER_STATUS_PACKED;
	st_pack_workflow_set_state(self, ST_PACK_STATE_PACKED);
}

/* records a refusal and builds its result */
static StVerdict *
st_pack_workflow_refuse(StPackWorkflow *self,
			StIntent *intent,
			const gchar *reason,
			gint64 order_id,
			const gchar *order_number,
			gint64 product_id,
			const gchar *sku,
			GError **error,
			const gchar *format,
			...) G_GNUC_PRINTF(9, 10);

static StVerdict *
st_pack_workflow_refuse(StPackWorkflow *self,
			StIntent *intent,
			const gchar *reason,
			gint64 order_id,
			const gchar *order_number,
			gint64 product_id,
			const gchar *sku,
			GError **error,
			const gchar *format,
			...)
{
	g_autoptr(StVerdict) result = st_pack_workflow_result_new(intent->scan);
	va_list args;

	va_start(args, format);
	result->message = g_strdup_vprintf(format, args);
	va_end(args);
	result->reason = g_strdup(reason);
	result->order_number = g_strdup(order_number);
	result->sku = g_strdup(sku);
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), reason,
				  result->message, order_id, product_id, &result->scan_id, error))
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

static StVerdict *
st_pack_workflow_scan_order(StPackWorkflow *self, StIntent *intent, StOrder *order, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	StScan *scan = intent->scan;
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	guint remaining;

	switch (order->status) {
	case ST_ORDER_STATUS_CANCELLED:
		return st_pack_workflow_refuse(
			self, intent, "order-cancelled", order->id, order->number, 0, NULL, error,
			st_tr(L, "Order %s was cancelled: do not pack it; put its "
				 "items aside for the shift lead"),
			order->number);
	case ST_ORDER_STATUS_PACKED:
	case ST_ORDER_STATUS_SHIPPED:
		return st_pack_workflow_refuse(
			self, intent, "order-already-packed", order->id, order->number, 0, NULL,
			error,
			order->status == ST_ORDER_STATUS_PACKED
				? st_tr(L, "Order %s is already packed: scan another order")
				: st_tr(L, "Order %s is already shipped: scan another order"),
			order->number);
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
	if (order->status == ST_ORDER_STATUS_PACKING)
		result->message =
			g_strdup_printf(st_ntr(L, "Order %s resumed: scan its %u item",
					       "Order %s resumed: scan its %u items", remaining),
					order->number, remaining);
	else
		result->message =
			g_strdup_printf(st_ntr(L, "Order %s opened: scan its %u item",
					       "Order %s opened: scan its %u items", remaining),
					order->number, remaining);
	/* every line already in (a crash after the last item, before the order closed) */
	if (remaining == 0) {
		g_free(result->message);
		result->message = g_strdup_printf(st_tr(L, "Order %s is complete"), order->number);
	}
	/* another order was open and not finished: the packer is told, not left to find out */
	if (self->order != NULL && self->state == ST_PACK_STATE_SCAN_ITEMS &&
	    g_strcmp0(self->order->number, order->number) != 0) {
		g_autoptr(GPtrArray) left_lines =
			st_store_get_order_lines(self->store, self->order->id, error);
		guint left;
		gchar *both;
		if (left_lines == NULL)
			return NULL;
		left = st_pack_workflow_count_remaining(left_lines);
		both = g_strdup_printf(
			st_ntr(L, "%s; order %s is left unfinished with %u item to pack",
			       "%s; order %s is left unfinished with %u items to pack", left),
			result->message, self->order->number, left);
		g_free(result->message);
		result->message = both;
	}
	/* the scan, the order opened and (when nothing is left) closed: one transaction */
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	if (!st_store_record_scan(self->store, scan, st_intent_get_origin(intent), NULL,
				  result->message, order->id, 0, &result->scan_id, error))
		return NULL;
	if (order->status == ST_ORDER_STATUS_RELEASED &&
	    !st_store_set_order_status(self->store, order, ST_ORDER_STATUS_RELEASED,
				       ST_ORDER_STATUS_PACKING, result->scan_id, error))
		return NULL;
	if (remaining == 0 &&
	    !st_store_set_order_status(self->store, order, ST_ORDER_STATUS_PACKING,
				       ST_ORDER_STATUS_PACKED, result->scan_id, error))
		return NULL;
	if (!st_store_transaction_commit(tx, error))
		return NULL;

	if (self->order != NULL && self->state == ST_PACK_STATE_SCAN_ITEMS &&
	    g_strcmp0(self->order->number, order->number) != 0)
		g_message("order %s left unfinished for order %s", self->order->number,
			  order->number);
	st_pack_workflow_enter_scan_items(self, order);
	if (remaining == 0)
		st_pack_workflow_enter_packed(self);
	return g_steal_pointer(&result);
}

static StVerdict *
st_pack_workflow_scan_item(StPackWorkflow *self,
			   StIntent *intent,
			   StProduct *product,
			   GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	StScan *scan = intent->scan;
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	StOrderLine *line = NULL;
	guint remaining;

	if (self->state == ST_PACK_STATE_WAIT_ORDER || self->order == NULL)
		return st_pack_workflow_refuse(
			self, intent, "no-order-open", 0, NULL, product->id, product->sku, error,
			st_tr(L, "%s (%s) scanned, but no order is open: scan the "
				 "order first"),
			product->name, product->sku);
	if (self->state == ST_PACK_STATE_PACKED)
		return st_pack_workflow_refuse(
			self, intent, "order-complete", self->order->id, self->order->number,
			product->id, product->sku, error,
			st_tr(L, "Order %s is already complete: %s does not belong "
				 "in it; scan the next order"),
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
		return st_pack_workflow_refuse(self, intent, "not-in-order", self->order->id,
					       self->order->number, product->id, product->sku,
					       error,
					       st_tr(L, "Wrong item: %s (%s) is not in order %s"),
					       product->name, product->sku, self->order->number);
	if (line->packed + product->quantity > line->quantity && product->quantity > 1)
		return st_pack_workflow_refuse(
			self, intent, "over-scan", self->order->id, self->order->number,
			product->id, product->sku, error,
			st_ntr(L,
			       "Too many: that barcode is a pack of %u, and order %s needs %u of "
			       "%s "
			       "with %u already in; scan the single item instead",
			       "Too many: that barcode is a pack of %u, and order %s needs %u of "
			       "%s "
			       "with %u already in; scan the single items instead",
			       line->quantity - line->packed),
			product->quantity, self->order->number, line->quantity, product->sku,
			line->packed);
	if (line->packed + product->quantity > line->quantity)
		return st_pack_workflow_refuse(
			self, intent, "over-scan", self->order->id, self->order->number,
			product->id, product->sku, error,
			st_ntr(L,
			       "Too many: order %s needs %u of %s and %u is already in; take this "
			       "one out",
			       "Too many: order %s needs %u of %s and %u are already in; take this "
			       "one out",
			       line->packed),
			self->order->number, line->quantity, product->sku, line->packed);

	result = st_pack_workflow_result_new(scan);
	result->ok = TRUE;
	result->order_number = g_strdup(self->order->number);
	result->sku = g_strdup(product->sku);
	remaining = st_pack_workflow_count_remaining(lines) - product->quantity;
	result->message =
		g_strdup_printf(st_ntr(L, "%s (%s): %u of %u; %u item left in order %s",
				       "%s (%s): %u of %u; %u items left in order %s", remaining),
				product->name, product->sku, line->packed + product->quantity,
				line->quantity, remaining, self->order->number);
	if (remaining == 0) {
		g_free(result->message);
		result->message = g_strdup_printf(st_tr(L, "%s (%s): order %s is complete"),
						  product->name, product->sku, self->order->number);
	}
	/* the scan, the item counted and (for the last one) the order closed: one transaction */
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	if (!st_store_record_scan(self->store, scan, st_intent_get_origin(intent), NULL,
				  result->message, self->order->id, product->id, &result->scan_id,
				  error))
		return NULL;
	if (!st_store_add_packed(self->store, self->order, line, product->quantity, result->scan_id,
				 error))
		return NULL;
	if (remaining == 0 &&
	    !st_store_set_order_status(self->store, self->order, ST_ORDER_STATUS_PACKING,
				       ST_ORDER_STATUS_PACKED, result->scan_id, error))
		return NULL;
	if (!st_store_transaction_commit(tx, error))
		return NULL;
	if (remaining == 0)
		st_pack_workflow_enter_packed(self);
	return g_steal_pointer(&result);
}

/* Returns: the product the intent names, under any of its forms (every form of a GTIN);
 * NULL with @error unset when there is none, NULL with @error set when the store failed */
static StProduct *
st_pack_workflow_find_product(StPackWorkflow *self, const StIntent *intent, GError **error)
{
	for (guint i = 0; i < intent->forms->len; i++) {
		g_autoptr(GError) error_local = NULL;
		StProduct *product = st_store_find_product_by_barcode(
			self->store, g_ptr_array_index(intent->forms, i), &error_local);
		if (product != NULL)
			return product;
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
	}
	return NULL;
}

/* the kinds of the station's own barcodes, as the operator is told them */
static const gchar *
st_pack_workflow_kind_word(const gchar *L, StBarcodeKind kind)
{
	static const gchar *const words[ST_BARCODE_KIND_LAST] = {
		[ST_BARCODE_KIND_COMMAND] = N_("command"),
		[ST_BARCODE_KIND_BADGE] = N_("badge"),
		[ST_BARCODE_KIND_ORDER] = N_("order"),
		[ST_BARCODE_KIND_PICK_LIST] = N_("pick-list"),
		[ST_BARCODE_KIND_TOTE] = N_("tote"),
		[ST_BARCODE_KIND_LOCATION] = N_("location"),
		[ST_BARCODE_KIND_BOX_TYPE] = N_("box-type"),
	};
	if ((guint)kind >= ST_BARCODE_KIND_LAST || words[kind] == NULL)
		return st_barcode_kind_to_string(kind);
	return st_tr(L, words[kind]);
}

/* a refusal that concerns the open order, if there is one */
#define st_pack_workflow_refuse_open(self, intent, reason, error, ...)                             \
	st_pack_workflow_refuse(                                                                   \
		self, intent, reason, (self)->order != NULL ? (self)->order->id : 0,               \
		(self)->order != NULL ? (self)->order->number : NULL, 0, NULL, error, __VA_ARGS__)

static StVerdict *
st_pack_workflow_scan_order_barcode(StPackWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StOrder) order =
		st_store_find_order(self->store, intent->barcode->key, &error_local);

	if (order != NULL)
		return st_pack_workflow_scan_order(self, intent, order, error);
	if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	return st_pack_workflow_refuse_open(
		self, intent, "unknown-order", error,
		st_tr(L, "Order %s is not on this station: check the order "
			 "sheet, or ask the shift lead to send the order here"),
		intent->barcode->text);
}

static StVerdict *
st_pack_workflow_scan_product(StPackWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StProduct) product = st_pack_workflow_find_product(self, intent, &error_local);
	g_autofree gchar *display = NULL;

	if (product != NULL)
		return st_pack_workflow_scan_item(self, intent, product, error);
	if (error_local != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	display = st_scan_to_display(intent->scan);
	return st_pack_workflow_refuse_open(
		self, intent, "unknown-barcode", error,
		st_tr(L, "Unknown barcode %s: not an order or a product of "
			 "this station"),
		display);
}

/* one of the station's own barcodes that packing does not use: said with what to scan */
static StVerdict *
st_pack_workflow_not_for_packing(StPackWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	const gchar *kind = st_pack_workflow_kind_word(L, intent->barcode->kind);

	if (self->state == ST_PACK_STATE_SCAN_ITEMS && self->order != NULL)
		return st_pack_workflow_refuse_open(
			self, intent, "not-for-packing", error,
			st_tr(L, "That is a %s barcode (%s): packing does not use it; scan the "
				 "items of order %s"),
			kind, intent->barcode->key, self->order->number);
	return st_pack_workflow_refuse_open(
		self, intent, "not-for-packing", error,
		st_tr(L, "That is a %s barcode (%s): packing does not use it; scan the order, "
			 "then its items"),
		kind, intent->barcode->key);
}

/* StWorkflow.handle_scan and .handle_command: one decision per kind of intent */
static StVerdict *
st_pack_workflow_handle_scan(StWorkflow *workflow, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	StPackWorkflow *self = ST_PACK_WORKFLOW(workflow);

	/* an order number as the order system wrote it, whatever the [barcodes] patterns say */
	if (intent->kind != ST_INTENT_UNREADABLE) {
		g_autoptr(GError) error_local = NULL;
		g_autoptr(StOrder) order =
			st_store_find_order(self->store, intent->text, &error_local);
		if (order != NULL)
			return st_pack_workflow_scan_order(self, intent, order, error);
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
	}
	switch (intent->kind) {
	case ST_INTENT_UNREADABLE:
		return st_pack_workflow_refuse(
			self, intent, "unreadable", 0, NULL, 0, NULL, error,
			st_tr(L, "The scan holds binary data, not a barcode the "
				 "station knows: scan the order or item label"));
	case ST_INTENT_ORDER:
		return st_pack_workflow_scan_order_barcode(self, intent, error);
	case ST_INTENT_COMMAND:
		if (!intent->barcode->valid)
			return st_pack_workflow_refuse_open(
				self, intent, "unknown-command", error,
				st_tr(L, "Command barcode %s is not one this station knows (%s): "
					 "use the "
					 "command sheet printed by this station"),
				intent->barcode->text, intent->barcode->reason);
		return st_pack_workflow_not_for_packing(self, intent, error);
	case ST_INTENT_STATION_OTHER:
		return st_pack_workflow_not_for_packing(self, intent, error);
	case ST_INTENT_INVALID_PRODUCT:
		return st_pack_workflow_refuse_open(self, intent, "invalid-barcode", error,
						    st_tr(L, "Misread barcode %s (%s): scan it "
							     "again, or type the number under it"),
						    intent->barcode->text, intent->barcode->reason);
	case ST_INTENT_ITEM:
		return st_pack_workflow_scan_product(self, intent, error);
	case ST_INTENT_LAST:
	default:
		break;
	}
	g_set_error(error, ST_WORKFLOW_ERROR, ST_ERROR_FAILED, "scan of unknown kind %d",
		    intent->kind);
	return NULL;
}

static const gchar *
st_pack_workflow_get_name(StWorkflow *workflow)
{
	return "pack";
}

static const gchar *
st_pack_workflow_get_state_name(StWorkflow *workflow)
{
	return st_pack_state_to_string(ST_PACK_WORKFLOW(workflow)->state);
}

static gchar *
st_pack_workflow_get_prompt(StWorkflow *workflow, const gchar *L)
{
	StPackWorkflow *self = ST_PACK_WORKFLOW(workflow);
	if (self->state == ST_PACK_STATE_SCAN_ITEMS && self->order != NULL)
		return g_strdup_printf(st_tr(L, "scan the items of order %s"), self->order->number);
	return g_strdup(st_tr(L, "scan an order to pack"));
}

/* StWorkflow.restore: the order of the last accepted scan at @seat, open again if it is
 * still being packed, or the packed state if that scan completed it */
static gchar *
st_pack_workflow_restore(StWorkflow *workflow, const gchar *seat, GError **error)
{
	StPackWorkflow *self = ST_PACK_WORKFLOW(workflow);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StOrder) order = st_store_get_seat_order(self->store, seat, &error_local);
	g_autoptr(GPtrArray) lines = NULL;
	guint remaining;

	if (order == NULL) {
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND))
			g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	if (order->status == ST_ORDER_STATUS_PACKED) {
		st_pack_workflow_enter_scan_items(self, order);
		st_pack_workflow_enter_packed(self);
		return g_strdup_printf("order %s packed", order->number);
	}
	if (order->status != ST_ORDER_STATUS_PACKING)
		return NULL;
	lines = st_store_get_order_lines(self->store, order->id, error);
	if (lines == NULL)
		return NULL;
	remaining = st_pack_workflow_count_remaining(lines);
	st_pack_workflow_enter_scan_items(self, order);
	return g_strdup_printf("order %s open, %u item%s to pack", order->number, remaining,
			       remaining == 1 ? "" : "s");
}

static void
st_pack_workflow_iface_init(StWorkflowInterface *iface)
{
	iface->restore = st_pack_workflow_restore;
	iface->get_prompt = st_pack_workflow_get_prompt;
	iface->get_name = st_pack_workflow_get_name;
	iface->get_state_name = st_pack_workflow_get_state_name;
	iface->handle_scan = st_pack_workflow_handle_scan;
	/* commands (cancel, new box, reprint, ...) come with the pick, pack and ship issue;
	 * until then a command is refused as handle_scan refuses it */
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
