/*
 * StPackWorkflow: the pack state machine, an StWorkflow. The state changes only in
 * st_pack_workflow_set_state(), which logs "old -> new" and emits ::state-changed; the
 * transitions are the enter_* functions. Each scan arrives as an intent (read once by the
 * router), is decided on by kind in one switch, checked against the open order, recorded
 * through one store verb, and only then answered. A scan the store could not record is not
 * answered "ok": the caller gets the error and the operator is told to scan again.
 */
#define G_LOG_DOMAIN "station-pack"

#include <string.h>

#include "station/st-error.h"

#include "st-i18n.h"
#include "st-pack-workflow.h"

struct _StPackWorkflow {
	GObject parent_instance;
	StStore *store;
	StPackState state;
	StOrder *order;		     /* (nullable): the open order */
	StBoxType *box;		     /* (nullable): the box scanned for it */
	StBarcodePatterns *patterns; /* the station's own barcodes */
	StPackSettings settings;
	gboolean scale_present; /* a scale is attached at the seat */
	gint64 last_weight_g;	/* the refused weight, so the same one is not refused twice */
	gchar *language;	/* (nullable): of the operator of the last scan, for the scale's
				 * answers */
	gchar *location;	/* (nullable): settings.location, owned */
	gchar *sscc_prefix;	/* (nullable): settings.sscc_prefix, owned */
	gchar *operator_badge;	/* (nullable): of the last scan: the scale\'s results name them */
	StWeightStatus last_status; /* of the scale while weighing, to say a trouble once */
	gboolean closing_box; /* weighing a box closed by new-box: the order goes on in the next */
	StProduct *pending;   /* (nullable): in ask-serial, the unit waiting for its serial */
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
	[ST_PACK_STATE_WEIGH] = "weigh",
	[ST_PACK_STATE_WEIGHT_REFUSED] = "weight-refused",
	[ST_PACK_STATE_ASK_SERIAL] = "ask-serial",
	[ST_PACK_STATE_CONFIRM_LABEL] = "confirm-label",
};

void
st_pack_settings_init(StPackSettings *self)
{
	*self = (StPackSettings){0};
	self->weigh = ST_PACK_WEIGH_AUTO;
	self->tolerance_g = 20;
	self->tolerance_percent = 5;
}

void
st_pack_workflow_set_settings(StPackWorkflow *self, const StPackSettings *settings)
{
	g_return_if_fail(ST_IS_PACK_WORKFLOW(self));
	self->settings = *settings;
	g_free(self->location);
	self->location = g_strdup(settings->location);
	self->settings.location = self->location;
	g_free(self->sscc_prefix);
	self->sscc_prefix = g_strdup(settings->sscc_prefix);
	self->settings.sscc_prefix = self->sscc_prefix;
}

/* whether the parcel of an order whose items are all in goes on the scale */
static gboolean
st_pack_workflow_weighs(StPackWorkflow *self)
{
	return self->settings.weigh == ST_PACK_WEIGH_YES ||
	       (self->settings.weigh == ST_PACK_WEIGH_AUTO && self->scale_present);
}

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
	return st_verdict_new_for_scan(scan);
}

/* the transitions: each state is entered through its function, which sets what the state
 * needs (the open order) and then the state */
static void
st_pack_workflow_enter_scan_items(StPackWorkflow *self, const StOrder *order)
{
	if (self->order == NULL || self->order->id != order->id)
		g_clear_pointer(&self->box, st_box_type_free);
	st_order_free(self->order);
	self->order = g_memdup2(order, sizeof(*order));
	self->order->number = g_strdup(order->number);
	self->order->status = ST_ORDER_STATUS_PACKING;
	self->closing_box = FALSE;
	g_clear_pointer(&self->pending, st_product_free);
	st_pack_workflow_set_state(self, ST_PACK_STATE_SCAN_ITEMS);
}

/* Returns: how many of the open order's parcels have a label not confirmed on them yet
 * (G_MAXUINT with @error set) */
static guint
st_pack_workflow_labels_to_confirm(StPackWorkflow *self, GError **error)
{
	g_autoptr(GPtrArray) parcels =
		st_store_get_order_parcels(self->store, self->order->id, error);
	guint n = 0;
	if (parcels == NULL)
		return G_MAXUINT;
	for (guint i = 0; i < parcels->len; i++) {
		const StParcel *p = g_ptr_array_index(parcels, i);
		if (p->reference != NULL && !p->confirmed)
			n++;
	}
	return n;
}

static void
st_pack_workflow_enter_packed(StPackWorkflow *self)
{
	self->order->status = ST_ORDER_STATUS_PACKED;
	st_pack_workflow_set_state(self, ST_PACK_STATE_PACKED);
}

/* the order is packed (committed): the bench prints its labels and slip; with
 * confirm-label, each label is to be scanned on its parcel, which the answer says */
static gboolean
st_pack_workflow_finish(StPackWorkflow *self, StVerdict *result, GError **error)
{
	guint n;

	st_pack_workflow_enter_packed(self);
	result->print = ST_VERDICT_PRINT_ORDER;
	if (!self->settings.confirm_label)
		return TRUE;
	n = st_pack_workflow_labels_to_confirm(self, error);
	if (n == G_MAXUINT)
		return FALSE;
	if (n > 0) {
		gchar *message = g_strdup_printf(
			st_ntr(self->language, "%s; labels printing: scan the label on the parcel",
			       "%s; labels printing: scan each label on its parcel", n),
			result->message);
		g_free(result->message);
		result->message = message;
		st_pack_workflow_set_state(self, ST_PACK_STATE_CONFIRM_LABEL);
		if (result->scan_id > 0 && !st_store_set_scan_message(self->store, result->scan_id,
								      result->message, error))
			return FALSE;
	}
	return TRUE;
}

static void
st_pack_workflow_enter_wait_order(StPackWorkflow *self)
{
	g_clear_pointer(&self->box, st_box_type_free);
	self->closing_box = FALSE;
	g_clear_pointer(&self->pending, st_product_free);
	st_pack_workflow_set_state(self, ST_PACK_STATE_WAIT_ORDER);
	g_clear_pointer(&self->order, st_order_free);
}

/* whether the open order is still being packed as far as the store knows: FALSE (with
 * @error unset) when it was cancelled meanwhile */
static gboolean
st_pack_workflow_order_still_open(StPackWorkflow *self, GError **error)
{
	g_autoptr(StOrder) now = st_store_find_order(self->store, self->order->number, error);
	if (now == NULL)
		return FALSE;
	return now->status != ST_ORDER_STATUS_CANCELLED;
}

static void
st_pack_workflow_enter_weigh(StPackWorkflow *self)
{
	self->last_weight_g = -1;
	self->last_status = ST_WEIGHT_STATUS_UNKNOWN;
	st_pack_workflow_set_state(self, ST_PACK_STATE_WEIGH);
}

/* a box closed by new-box is on its way: the next one is filled, with a box of its own */
static void
st_pack_workflow_enter_next_box(StPackWorkflow *self)
{
	g_clear_pointer(&self->box, st_box_type_free);
	self->closing_box = FALSE;
	st_pack_workflow_set_state(self, ST_PACK_STATE_SCAN_ITEMS);
}

static void
st_pack_workflow_enter_weight_refused(StPackWorkflow *self, gint64 weight_g)
{
	self->last_weight_g = weight_g;
	st_pack_workflow_set_state(self, ST_PACK_STATE_WEIGHT_REFUSED);
}

/* what the parcel should weigh: the units of the order not in a parcel closed before (all of
 * them with @whole_rest, else those packed so far: a box closed by new-box) and the box (the
 * one scanned, or the smallest that holds the items); @box_code is that box's code, or NULL
 * without box types */
static gboolean
st_pack_workflow_expected(StPackWorkflow *self,
			  gint64 order_id,
			  gboolean whole_rest,
			  guint *expected_g,
			  guint *tolerance_g,
			  gchar **box_code,
			  GError **error)
{
	g_autoptr(GPtrArray) lines = st_store_get_order_lines(self->store, order_id, error);
	guint64 items_g = 0, volume = 0, widened = 0;
	const StBoxType *box = self->box;
	g_autoptr(GPtrArray) boxes = NULL;

	if (lines == NULL)
		return FALSE;
	for (guint i = 0; i < lines->len; i++) {
		const StOrderLine *l = g_ptr_array_index(lines, i);
		guint in = whole_rest ? l->quantity : l->packed;
		guint units = in > l->parcelled ? in - l->parcelled : 0;
		items_g += (guint64)l->weight_g * units;
		widened += (guint64)l->weight_tolerance_g * units;
		volume += (guint64)l->length_mm * l->width_mm * l->height_mm * units;
	}
	if (box == NULL) {
		boxes = st_store_get_box_types(self->store, error);
		if (boxes == NULL)
			return FALSE;
		for (guint i = 0; i < boxes->len && box == NULL; i++) {
			const StBoxType *b = g_ptr_array_index(boxes, i);
			guint64 holds = (guint64)b->length_mm * b->width_mm * b->height_mm;
			if ((holds == 0 || holds >= volume) &&
			    (b->max_weight_g == 0 || b->max_weight_g >= items_g))
				box = b;
		}
	}
	*expected_g = (guint)MIN(items_g + (box != NULL ? box->tare_g : 0), G_MAXUINT);
	*tolerance_g = MAX(self->settings.tolerance_g,
			   (guint)((guint64)*expected_g * self->settings.tolerance_percent / 100));
	/* goods sold by weight widen it by what their units may vary */
	*tolerance_g = (guint)MIN(MAX((guint64)*tolerance_g, widened), G_MAXUINT);
	*box_code = box != NULL ? g_strdup(box->code) : NULL;
	return TRUE;
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
	StRefusalSubject subject = {order_id, order_number, product_id, sku};
	StVerdict *result;
	va_list args;

	va_start(args, format);
	result = st_workflow_refusev(self->store, intent, reason, &subject, error, format, args);
	va_end(args);
	return result;
}

/* Returns: the units packed into the box being filled: in no parcel closed yet */
static guint
st_pack_workflow_count_in_box(GPtrArray *lines)
{
	guint in_box = 0;
	for (guint i = 0; i < lines->len; i++) {
		const StOrderLine *l = g_ptr_array_index(lines, i);
		in_box += l->packed > l->parcelled ? l->packed - l->parcelled : 0;
	}
	return in_box;
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
	guint expected_g = 0, tolerance_g = 0;
	g_autofree gchar *box_code = NULL;
	StScan *scan = intent->scan;
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	guint remaining;

	if (order->status == ST_ORDER_STATUS_RELEASED) {
		/* picked into a tote: packed once all of it is in the tote */
		g_autoptr(GError) error_tote = NULL;
		gboolean picking = FALSE;
		g_autofree gchar *tote =
			st_store_get_order_tote(self->store, order->id, &picking, &error_tote);
		if (error_tote != NULL) {
			g_propagate_error(error, g_steal_pointer(&error_tote));
			return NULL;
		}
		if (picking)
			return st_pack_workflow_refuse(
				self, intent, "still-picking", order->id, order->number, 0, NULL,
				error,
				st_tr(L, "Order %s is still being picked: pack it once its tote "
					 "comes from picking"),
				order->number);
	}
	{
		/* the central system said another station holds it */
		g_autofree gchar *holder =
			st_store_get_claim_conflict(self->store, order->id, NULL);
		if (holder != NULL && order->status == ST_ORDER_STATUS_PACKING)
			return st_pack_workflow_refuse(
				self, intent, "claimed-elsewhere", order->id, order->number, 0,
				NULL, error,
				st_tr(L, "Order %s is being packed at station %s: do not pack it "
					 "here; put its items aside for the shift lead"),
				order->number, holder);
	}
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
	case ST_ORDER_STATUS_PACKING: {
		/* being packed at another seat of this station (a handheld and the bench): one
		 * seat packs an order, or two people put its items in two parcels */
		g_autoptr(GError) error_seat = NULL;
		g_autofree gchar *seat =
			st_store_get_order_seat(self->store, order->id, &error_seat);
		const gchar *mine = st_intent_get_origin(intent)->seat;
		if (error_seat != NULL) {
			g_propagate_error(error, g_steal_pointer(&error_seat));
			return NULL;
		}
		if (seat != NULL && mine != NULL && g_strcmp0(seat, mine) != 0)
			return st_pack_workflow_refuse(
				self, intent, "order-at-other-seat", order->id, order->number, 0,
				NULL, error,
				st_tr(L, "Order %s is being packed at %s: finish it there, or "
					 "ask the shift lead"),
				order->number, seat);
		break;
	}
	case ST_ORDER_STATUS_RELEASED:
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
		if (!st_pack_workflow_expected(self, order->id, TRUE, &expected_g, &tolerance_g,
					       &box_code, error))
			return NULL;
		if (st_pack_workflow_weighs(self))
			result->message = g_strdup_printf(
				st_tr(L, "Order %s: every item is in; put the parcel on the scale "
					 "(it should weigh %u g, give or take %u g)"),
				order->number, expected_g, tolerance_g);
		else
			result->message =
				g_strdup_printf(st_tr(L, "Order %s is complete"), order->number);
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
	if (remaining == 0 && !st_pack_workflow_weighs(self)) {
		StParcelSpec parcel = {box_code, expected_g, tolerance_g,
				       -1,	 NULL,	     self->settings.sscc_prefix};
		if (!st_store_add_parcel(self->store, order, &parcel, result->scan_id, NULL,
					 error) ||
		    !st_store_set_order_status(self->store, order, ST_ORDER_STATUS_PACKING,
					       ST_ORDER_STATUS_PACKED, result->scan_id, error))
			return NULL;
	}
	if (!st_store_transaction_commit(tx, error))
		return NULL;

	if (self->order != NULL && self->state == ST_PACK_STATE_SCAN_ITEMS &&
	    g_strcmp0(self->order->number, order->number) != 0)
		g_message("order %s left unfinished for order %s", self->order->number,
			  order->number);
	st_pack_workflow_enter_scan_items(self, order);
	if (remaining == 0 && st_pack_workflow_weighs(self))
		st_pack_workflow_enter_weigh(self);
	else if (remaining == 0 && !st_pack_workflow_finish(self, result, error))
		return NULL;
	return g_steal_pointer(&result);
}

static StVerdict *
st_pack_workflow_scan_item(StPackWorkflow *self,
			   StIntent *intent,
			   StProduct *product,
			   const gchar *serial,
			   GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	guint expected_g = 0, tolerance_g = 0;
	g_autofree gchar *box_code = NULL;
	g_autofree gchar *from = NULL;
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
	if ((self->state == ST_PACK_STATE_WEIGH || self->state == ST_PACK_STATE_WEIGHT_REFUSED) &&
	    self->closing_box)
		return st_pack_workflow_refuse(
			self, intent, "box-on-scale", self->order->id, self->order->number,
			product->id, product->sku, error,
			st_tr(L, "%s not counted: the closed box of order %s goes on the scale "
				 "first; then scan it into the next box"),
			product->sku, self->order->number);
	if (self->state == ST_PACK_STATE_WEIGH || self->state == ST_PACK_STATE_WEIGHT_REFUSED)
		return st_pack_workflow_refuse(
			self, intent, "parcel-on-scale", self->order->id, self->order->number,
			product->id, product->sku, error,
			st_tr(L, "Every item of order %s is in already: %s does not belong in "
				 "it; put the parcel on the scale"),
			self->order->number, product->sku);
	if (self->state == ST_PACK_STATE_PACKED)
		return st_pack_workflow_refuse(
			self, intent, "order-complete", self->order->id, self->order->number,
			product->id, product->sku, error,
			st_tr(L, "Order %s is already complete: %s does not belong "
				 "in it; scan the next order"),
			self->order->number, product->sku);
	if (!st_pack_workflow_order_still_open(self, error)) {
		if (error != NULL && *error != NULL)
			return NULL;
		/* cancelled (by the central system, a lead) while it was being packed */
		g_autoptr(StOrder) closed = g_memdup2(self->order, sizeof(*self->order));
		closed->number = g_strdup(self->order->number);
		st_pack_workflow_enter_wait_order(self);
		return st_pack_workflow_refuse(
			self, intent, "order-cancelled", closed->id, closed->number, product->id,
			product->sku, error,
			st_tr(L, "Order %s was cancelled while you packed it: take its items out "
				 "and put them aside for the shift lead"),
			closed->number);
	}
	{
		/* opened here while another station held it (the central system's answer came
		 * after the bench had opened it offline) */
		g_autofree gchar *holder =
			st_store_get_claim_conflict(self->store, self->order->id, NULL);
		if (holder != NULL) {
			g_autoptr(StOrder) closed = g_memdup2(self->order, sizeof(*self->order));
			closed->number = g_strdup(self->order->number);
			st_pack_workflow_enter_wait_order(self);
			return st_pack_workflow_refuse(
				self, intent, "claimed-elsewhere", closed->id, closed->number,
				product->id, product->sku, error,
				st_tr(L,
				      "Order %s is being packed at station %s too: stop, take its "
				      "items out and put them aside for the shift lead"),
				closed->number, holder);
		}
	}
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

	if (product->track_serial && product->quantity > 1)
		return st_pack_workflow_refuse(
			self, intent, "serial-per-unit", self->order->id, self->order->number,
			product->id, product->sku, error,
			st_tr(L, "%s is tracked by serial number: that barcode is a pack of %u; "
				 "take the units out and scan each one"),
			product->sku, product->quantity);
	if (product->track_serial && serial == NULL) {
		/* the unit counts once its serial number is scanned */
		result = st_pack_workflow_result_new(scan);
		result->ok = TRUE;
		result->order_number = g_strdup(self->order->number);
		result->sku = g_strdup(product->sku);
		result->message = g_strdup_printf(st_tr(L, "%s (%s) is tracked by serial number: "
							   "now scan the serial number of this "
							   "unit"),
						  product->name, product->sku);
		if (!st_store_record_scan(self->store, scan, st_intent_get_origin(intent), NULL,
					  result->message, self->order->id, product->id,
					  &result->scan_id, error))
			return NULL;
		st_product_free(self->pending);
		self->pending = g_memdup2(product, sizeof(*product));
		self->pending->sku = g_strdup(product->sku);
		self->pending->name = g_strdup(product->name);
		st_pack_workflow_set_state(self, ST_PACK_STATE_ASK_SERIAL);
		return g_steal_pointer(&result);
	}
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
		if (!st_pack_workflow_expected(self, self->order->id, !self->closing_box,
					       &expected_g, &tolerance_g, &box_code, error))
			return NULL;
		if (st_pack_workflow_weighs(self))
			result->message = g_strdup_printf(
				st_tr(L, "%s (%s): every item of order %s is in; put the parcel on "
					 "the scale (it should weigh %u g, give or take %u g)"),
				product->name, product->sku, self->order->number, expected_g,
				tolerance_g);
		else
			result->message =
				g_strdup_printf(st_tr(L, "%s (%s): order %s is complete"),
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
	{
		g_autoptr(GError) error_packed = NULL;
		if (!st_store_add_packed(self->store, self->order, line, product->quantity, serial,
					 result->scan_id, &error_packed)) {
			if (!g_error_matches(error_packed, ST_STORE_ERROR, ST_ERROR_EXISTS)) {
				g_propagate_error(error, g_steal_pointer(&error_packed));
				return NULL;
			}
			/* nothing of this scan is kept but its refusal */
			g_clear_pointer(&tx, st_store_transaction_free);
			return st_pack_workflow_refuse(
				self, intent, "serial-packed", self->order->id, self->order->number,
				product->id, product->sku, error,
				st_tr(L,
				      "Not counted: %s with serial number %s is packed already; "
				      "check the serial number and scan it again, or ask the shift "
				      "lead"),
				product->sku, serial);
		}
	}
	/* the goods leave the tote they were picked into, else the bench's stock */
	from = st_store_get_order_tote(self->store, self->order->id, NULL, error);
	if (from == NULL && error != NULL && *error != NULL)
		return NULL;
	if (from == NULL)
		from = g_strdup(self->location);
	if (from != NULL) {
		/* as what the scan says they are (a GS1 carton's lot, expiry and serial) */
		g_autoptr(GError) error_stock = NULL;
		StStockChange change = {.kind = ST_LEDGER_PACK,
					.sku = product->sku,
					.quantity = product->quantity,
					.from = from,
					.lot = intent->lot,
					.expiry = intent->expiry,
					.serial = serial,
					.order_number = self->order->number,
					.line_no = line->line_no,
					.scan_id = result->scan_id,
					.operator_name = st_intent_get_operator_badge(intent)};
		/* a refusal the verdict quotes, in the operator's language */
		locale_t before = st_i18n_speak(L);
		gboolean changed = st_store_change_stock(self->store, &change, NULL, &error_stock);
		st_i18n_speak_end(before);
		if (!changed) {
			if (!g_error_matches(error_stock, ST_STORE_ERROR, ST_ERROR_INVALID_DATA) &&
			    !g_error_matches(error_stock, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
				g_propagate_error(error, g_steal_pointer(&error_stock));
				return NULL;
			}
			/* nothing of this scan is kept but its refusal */
			g_clear_pointer(&tx, st_store_transaction_free);
			return st_pack_workflow_refuse(
				self, intent, "stock", self->order->id, self->order->number,
				product->id, product->sku, error,
				st_tr(L, "%s: not counted, the stock at %s does not allow it (%s)"),
				product->sku, from, error_stock->message);
		}
	}
	if (remaining == 0 && !st_pack_workflow_weighs(self)) {
		StParcelSpec parcel = {box_code, expected_g, tolerance_g,
				       -1,	 NULL,	     self->settings.sscc_prefix};
		if (!st_store_add_parcel(self->store, self->order, &parcel, result->scan_id, NULL,
					 error) ||
		    !st_store_set_order_status(self->store, self->order, ST_ORDER_STATUS_PACKING,
					       ST_ORDER_STATUS_PACKED, result->scan_id, error))
			return NULL;
	}
	if (!st_store_transaction_commit(tx, error))
		return NULL;
	if (remaining == 0 && st_pack_workflow_weighs(self))
		st_pack_workflow_enter_weigh(self);
	else if (remaining == 0 && !st_pack_workflow_finish(self, result, error))
		return NULL;
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
		return st_pack_workflow_scan_item(self, intent, product, intent->serial, error);
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

/* a tote from picking, or a pick list: its next order not packed yet opens */
static StVerdict *
st_pack_workflow_scan_tote(StPackWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	gboolean tote = intent->barcode->kind == ST_BARCODE_KIND_TOTE;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StOrder) order = st_store_next_order_to_pack(
		self->store, tote ? intent->text : NULL, tote ? intent->barcode->key : NULL,
		tote ? NULL : intent->barcode->key, &error_local);

	if (order != NULL)
		return st_pack_workflow_scan_order(self, intent, order, error);
	if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	return st_pack_workflow_refuse_open(
		self, intent, "nothing-to-pack", error,
		tote ? st_tr(L, "Tote %s holds no order waiting to be packed: scan the order "
				"sheet instead, or ask the shift lead")
		     : st_tr(L, "Pick list %s has no order waiting to be packed: scan the order "
				"sheet instead, or ask the shift lead"),
		intent->barcode->text);
}

/* the box the items go in: its tare counts in the parcel's expected weight */
static StVerdict *
st_pack_workflow_scan_box(StPackWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StBoxType) box = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autoptr(StStoreTransaction) tx = NULL;

	if (self->order == NULL || self->state == ST_PACK_STATE_WAIT_ORDER ||
	    self->state == ST_PACK_STATE_PACKED)
		return st_pack_workflow_refuse_open(
			self, intent, "no-order-open", error,
			st_tr(L, "Box %s scanned, but no order is being packed: scan the order "
				 "first"),
			intent->barcode->key);
	box = st_store_find_box_type(self->store, intent->barcode->key, &error_local);
	if (box == NULL) {
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		return st_pack_workflow_refuse_open(
			self, intent, "unknown-box", error,
			st_tr(L, "Box %s is not one of this station's box types: use another "
				 "box, or ask the shift lead to add it (station import box-types)"),
			intent->barcode->key);
	}
	result = st_pack_workflow_result_new(intent->scan);
	result->ok = TRUE;
	result->order_number = g_strdup(self->order->number);
	result->message = g_strdup_printf(st_tr(L, "Box %s (%s, %u g) for order %s"), box->code,
					  box->name, box->tare_g, self->order->number);
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL,
				  result->message, self->order->id, 0, &result->scan_id, error) ||
	    !st_store_set_order_box(self->store, self->order, box->code, error) ||
	    !st_store_transaction_commit(tx, error))
		return NULL;
	st_box_type_free(self->box);
	self->box = g_steal_pointer(&box);
	return g_steal_pointer(&result);
}

/* a lead's badge while the parcel's weight is refused: the parcel goes, the override kept
 * with it and told to the central system */
static StVerdict *
st_pack_workflow_override(StPackWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autofree gchar *box_code = NULL;
	guint expected_g, tolerance_g, number;
	StParcelSpec parcel = {.sscc_prefix = self->settings.sscc_prefix};

	if (intent->badge == NULL)
		return st_pack_workflow_refuse_open(
			self, intent, "unknown-badge", error,
			st_tr(L, "Badge %s is not known at this station: only a shift lead's "
				 "badge lets the parcel go"),
			intent->barcode->key);
	if (intent->badge->role != ST_OPERATOR_ROLE_LEAD)
		return st_pack_workflow_refuse_open(
			self, intent, "not-a-lead", error,
			st_tr(L, "%s is not a shift lead: only a lead's badge lets a parcel "
				 "outside its weight go"),
			intent->badge->name);
	if (!st_pack_workflow_expected(self, self->order->id, !self->closing_box, &expected_g,
				       &tolerance_g, &box_code, error))
		return NULL;
	number = st_store_count_parcels(self->store, self->order, error);
	if (number == G_MAXUINT)
		return NULL;
	number++;
	result = st_pack_workflow_result_new(intent->scan);
	result->ok = TRUE;
	result->order_number = g_strdup(self->order->number);
	if (self->closing_box)
		result->message = g_strdup_printf(
			st_tr(L,
			      "Let go by %s: box %u of order %s is closed (it weighed %u g, %u g "
			      "expected); fill the next box"),
			intent->badge->name, number, self->order->number,
			(guint)MAX(self->last_weight_g, 0), expected_g);
	else
		result->message = g_strdup_printf(
			st_tr(L, "Let go by %s: order %s is complete (it weighed %u g, %u g "
				 "expected)"),
			intent->badge->name, self->order->number,
			(guint)MAX(self->last_weight_g, 0), expected_g);
	parcel.box_code = box_code;
	parcel.expected_g = expected_g;
	parcel.tolerance_g = tolerance_g;
	parcel.weight_g = self->last_weight_g;
	parcel.override_badge = intent->badge->badge;
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL,
				  result->message, self->order->id, 0, &result->scan_id, error) ||
	    !st_store_add_parcel(self->store, self->order, &parcel, result->scan_id, NULL, error) ||
	    (!self->closing_box &&
	     !st_store_set_order_status(self->store, self->order, ST_ORDER_STATUS_PACKING,
					ST_ORDER_STATUS_PACKED, result->scan_id, error)) ||
	    !st_store_transaction_commit(tx, error))
		return NULL;
	g_message("order %s: parcel %u of %" G_GINT64_FORMAT " g (%u g expected) let go by %s",
		  self->order->number, number, self->last_weight_g, expected_g,
		  intent->badge->name);
	if (self->closing_box)
		st_pack_workflow_enter_next_box(self);
	else if (!st_pack_workflow_finish(self, result, error))
		return NULL;
	return g_steal_pointer(&result);
}

/* StWorkflow.handle_weight: a stable reading while the parcel is on the scale decides it */
static StVerdict *
st_pack_workflow_handle_weight(StWorkflow *workflow,
			       const gchar *device_id,
			       const StWeight *weight,
			       GError **error)
{
	StPackWorkflow *self = ST_PACK_WORKFLOW(workflow);
	const gchar *L = self->language;
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autoptr(GError) error_mg = NULL;
	g_autofree gchar *box_code = NULL;
	g_autofree gchar *display = NULL;
	guint expected_g, tolerance_g;
	gint64 mg = 0, grams, diff;
	StParcelSpec parcel = {.sscc_prefix = self->settings.sscc_prefix};

	if (self->state != ST_PACK_STATE_WEIGH && self->state != ST_PACK_STATE_WEIGHT_REFUSED)
		return NULL;
	/* a scale that cannot weigh is said once, with what to do */
	if (weight->status != self->last_status) {
		gchar *trouble = NULL;
		self->last_status = weight->status;
		switch (weight->status) {
		case ST_WEIGHT_STATUS_FAULT:
			trouble = g_strdup_printf(
				st_tr(L, "The scale reports a fault: check it, then put the "
					 "parcel of order %s on it again"),
				self->order->number);
			break;
		case ST_WEIGHT_STATUS_OVER_WEIGHT:
			trouble = g_strdup_printf(
				st_tr(L, "The parcel of order %s is over the scale's capacity: "
					 "weigh it on a larger scale, or ask the shift lead"),
				self->order->number);
			break;
		case ST_WEIGHT_STATUS_UNDER_ZERO:
		case ST_WEIGHT_STATUS_NEEDS_REZERO:
			trouble = g_strdup_printf(
				st_tr(L, "The scale needs to be zeroed: take everything off it, "
					 "zero it, then put the parcel of order %s on it"),
				self->order->number);
			break;
		case ST_WEIGHT_STATUS_NEEDS_CALIBRATION:
			trouble = g_strdup_printf(
				st_tr(L, "The scale needs calibration: ask the shift lead; the "
					 "parcel of order %s waits"),
				self->order->number);
			break;
		case ST_WEIGHT_STATUS_UNKNOWN:
		case ST_WEIGHT_STATUS_STABLE_ZERO:
		case ST_WEIGHT_STATUS_IN_MOTION:
		case ST_WEIGHT_STATUS_STABLE:
		default:
			break;
		}
		if (trouble != NULL) {
			display = st_weight_to_string(weight);
			result = st_verdict_new(device_id, display);
			result->order_number = g_strdup(self->order->number);
			result->reason = g_strdup("scale-trouble");
			result->message = trouble;
			if (!st_store_record_weighing(self->store, device_id, G_MININT64,
						      st_weight_status_to_string(weight->status),
						      result->reason, result->message,
						      self->order->id, self->operator_badge, error))
				return NULL;
			return g_steal_pointer(&result);
		}
	}
	/* in motion, zero (the parcel not on it yet) or a fault: never taken */
	if (weight->status != ST_WEIGHT_STATUS_STABLE ||
	    !st_weight_to_milligrams(weight, &mg, &error_mg))
		return NULL;
	grams = (mg + 500) / 1000;
	if (self->state == ST_PACK_STATE_WEIGHT_REFUSED && grams == self->last_weight_g)
		return NULL; /* the same parcel, not changed: said already */
	if (!st_pack_workflow_expected(self, self->order->id, !self->closing_box, &expected_g,
				       &tolerance_g, &box_code, error))
		return NULL;
	display = st_weight_to_string(weight);
	result = st_verdict_new(device_id, display);
	result->order_number = g_strdup(self->order->number);
	diff = grams - (gint64)expected_g;
	/* in the language of the operator of the last scan */
	if (ABS(diff) > (gint64)tolerance_g) {
		result->reason = g_strdup(diff < 0 ? "too-light" : "too-heavy");
		result->message = g_strdup_printf(
			diff < 0 ? st_tr(L, "%u g too light (%u g, %u g expected): an item may "
					    "be missing; check the parcel, or a shift lead "
					    "scans their badge to let it go")
				 : st_tr(L, "%u g too heavy (%u g, %u g expected): something "
					    "extra may be in it; check the parcel, or a shift "
					    "lead scans their badge to let it go"),
			(guint)ABS(diff), (guint)MAX(grams, 0), expected_g);
		g_message("order %s: parcel of %" G_GINT64_FORMAT " g refused, %u g expected, "
			  "give or take %u g",
			  self->order->number, grams, expected_g, tolerance_g);
		if (!st_store_record_weighing(self->store, device_id, grams,
					      st_weight_status_to_string(weight->status),
					      result->reason, result->message, self->order->id,
					      self->operator_badge, error))
			return NULL;
		st_pack_workflow_enter_weight_refused(self, grams);
		return g_steal_pointer(&result);
	}
	result->ok = TRUE;
	if (self->closing_box) {
		guint number = st_store_count_parcels(self->store, self->order, error);
		if (number == G_MAXUINT)
			return NULL;
		result->message = g_strdup_printf(
			st_tr(L, "Box %u of order %s: %u g, %u g expected: closed; fill the next "
				 "box"),
			number + 1, self->order->number, (guint)MAX(grams, 0), expected_g);
	} else {
		result->message =
			g_strdup_printf(st_tr(L, "Parcel of order %s: %u g, %u g "
						 "expected: order complete"),
					self->order->number, (guint)MAX(grams, 0), expected_g);
	}
	parcel.box_code = box_code;
	parcel.expected_g = expected_g;
	parcel.tolerance_g = tolerance_g;
	parcel.weight_g = grams;
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, self->operator_badge);
	if (!st_store_record_weighing(
		    self->store, device_id, grams, st_weight_status_to_string(weight->status), NULL,
		    result->message, self->order->id, self->operator_badge, error) ||
	    !st_store_add_parcel(self->store, self->order, &parcel, 0, NULL, error) ||
	    (!self->closing_box &&
	     !st_store_set_order_status(self->store, self->order, ST_ORDER_STATUS_PACKING,
					ST_ORDER_STATUS_PACKED, 0, error)) ||
	    !st_store_transaction_commit(tx, error))
		return NULL;
	if (self->closing_box)
		st_pack_workflow_enter_next_box(self);
	else if (!st_pack_workflow_finish(self, result, error))
		return NULL;
	return g_steal_pointer(&result);
}

static void
st_pack_workflow_scale_changed(StWorkflow *workflow, gboolean present)
{
	ST_PACK_WORKFLOW(workflow)->scale_present = present;
}

static gboolean
st_pack_workflow_wants_badge(StWorkflow *workflow)
{
	return ST_PACK_WORKFLOW(workflow)->state == ST_PACK_STATE_WEIGHT_REFUSED ||
	       ST_PACK_WORKFLOW(workflow)->state == ST_PACK_STATE_CONFIRM_LABEL;
}

/* the undo command: the last item scan of the open order taken back (its count, the stock
 * it took), until the order is complete */
static StVerdict *
st_pack_workflow_undo(StPackWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_auto(StUndone) peek = {0};
	g_auto(StUndone) undone = {0};
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	guint left;

	if (self->order == NULL || self->state == ST_PACK_STATE_WAIT_ORDER)
		return st_pack_workflow_refuse_open(self, intent, "nothing-to-undo", error,
						    st_tr(L, "No order is being packed: nothing to "
							     "undo"));
	if (self->state == ST_PACK_STATE_PACKED)
		return st_pack_workflow_refuse_open(
			self, intent, "nothing-to-undo", error,
			st_tr(L, "Order %s is complete: its scans cannot be undone here; ask the "
				 "shift lead"),
			self->order->number);
	if (!st_store_last_packed(self->store, self->order, &peek, &error_local)) {
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		return st_pack_workflow_refuse_open(
			self, intent, "nothing-to-undo", error,
			st_tr(L, "Nothing of order %s is in yet: nothing to undo"),
			self->order->number);
	}
	if (peek.parcelled)
		return st_pack_workflow_refuse_open(
			self, intent, "box-closed", error,
			st_tr(L, "The last %s of order %s is in a box closed already: it cannot be "
				 "undone here; ask the shift lead"),
			peek.sku, self->order->number);
	lines = st_store_get_order_lines(self->store, self->order->id, error);
	if (lines == NULL)
		return NULL;
	left = st_pack_workflow_count_remaining(lines) + peek.quantity;
	result = st_pack_workflow_result_new(intent->scan);
	result->ok = TRUE;
	result->order_number = g_strdup(self->order->number);
	result->sku = g_strdup(peek.sku);
	result->message = g_strdup_printf(
		st_ntr(L, "Undone: take %u of %s out of order %s; %u item left to pack",
		       "Undone: take %u of %s out of order %s; %u items left to pack", left),
		peek.quantity, peek.sku, self->order->number, left);
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL,
				  result->message, self->order->id, 0, &result->scan_id, error) ||
	    !st_store_undo_packed(self->store, self->order, result->scan_id, &undone, error) ||
	    !st_store_transaction_commit(tx, error))
		return NULL;
	/* back to scanning items, off the scale */
	self->closing_box = FALSE;
	st_pack_workflow_set_state(self, ST_PACK_STATE_SCAN_ITEMS);
	return g_steal_pointer(&result);
}

/* the cancel command: the open order given up at this seat: every item it holds taken back
 * (counts, stock), the order released again for any bench, in one transaction */
static StVerdict *
st_pack_workflow_cancel(StPackWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(StOrder) order = NULL;
	guint in = 0;

	if (self->order == NULL || self->state == ST_PACK_STATE_WAIT_ORDER)
		return st_pack_workflow_refuse_open(self, intent, "nothing-to-cancel", error,
						    st_tr(L, "No order is being packed: nothing to "
							     "cancel"));
	if (self->state == ST_PACK_STATE_PACKED)
		return st_pack_workflow_refuse_open(
			self, intent, "nothing-to-cancel", error,
			st_tr(L, "Order %s is complete: it cannot be given up here; ask the shift "
				 "lead"),
			self->order->number);
	lines = st_store_get_order_lines(self->store, self->order->id, error);
	if (lines == NULL)
		return NULL;
	for (guint i = 0; i < lines->len; i++)
		in += ((StOrderLine *)g_ptr_array_index(lines, i))->packed;
	order = g_memdup2(self->order, sizeof(*self->order));
	order->number = g_strdup(self->order->number);
	result = st_pack_workflow_result_new(intent->scan);
	result->ok = TRUE;
	result->order_number = g_strdup(order->number);
	result->message = g_strdup_printf(
		st_ntr(L,
		       "Order %s given up: take its %u item out of the box; any bench can pack "
		       "it again",
		       "Order %s given up: take its %u items out of the box; any bench can pack "
		       "it again",
		       in),
		order->number, in);
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL,
				  result->message, order->id, 0, &result->scan_id, error))
		return NULL;
	for (;;) {
		/* asked first: a verb failing inside the transaction would undo all of it */
		g_auto(StUndone) next = {0};
		g_auto(StUndone) undone = {0};
		g_autoptr(GError) error_local = NULL;
		if (!st_store_last_packed(self->store, order, &next, &error_local)) {
			if (g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND))
				break;
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		if (!st_store_undo_packed(self->store, order, result->scan_id, &undone, error))
			return NULL;
	}
	if (!st_store_add_exception(self->store, order->id, order->number, "cancelled-at-bench",
				    "given up at the bench: its items taken back, its boxes void",
				    result->scan_id, error) ||
	    !st_store_void_parcels(self->store, order, result->scan_id, error) ||
	    !st_store_set_order_status(self->store, order, ST_ORDER_STATUS_PACKING,
				       ST_ORDER_STATUS_RELEASED, result->scan_id, error) ||
	    !st_store_transaction_commit(tx, error))
		return NULL;
	g_message("order %s given up at the bench, %u item%s taken back", order->number, in,
		  in == 1 ? "" : "s");
	st_pack_workflow_enter_wait_order(self);
	return g_steal_pointer(&result);
}

/* the new-box command: the box being filled is closed (weighed where the parcel would be,
 * then a parcel of its own) and the order goes on in the next box */
static StVerdict *
st_pack_workflow_new_box(StPackWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autofree gchar *box_code = NULL;
	guint expected_g, tolerance_g, in_box, number;

	if (self->order == NULL || self->state == ST_PACK_STATE_WAIT_ORDER ||
	    self->state == ST_PACK_STATE_PACKED)
		return st_pack_workflow_refuse_open(
			self, intent, "no-order-open", error,
			st_tr(L, "No order is being packed: scan an order before closing a box"));
	if (self->state != ST_PACK_STATE_SCAN_ITEMS && self->closing_box)
		return st_pack_workflow_refuse_open(
			self, intent, "box-on-scale", error,
			st_tr(L, "The box of order %s is closed already: put it on the scale"),
			self->order->number);
	if (self->state != ST_PACK_STATE_SCAN_ITEMS)
		return st_pack_workflow_refuse_open(
			self, intent, "parcel-on-scale", error,
			st_tr(L, "Every item of order %s is in: no new box is needed; put the "
				 "parcel on the scale"),
			self->order->number);
	lines = st_store_get_order_lines(self->store, self->order->id, error);
	if (lines == NULL)
		return NULL;
	in_box = st_pack_workflow_count_in_box(lines);
	if (in_box == 0)
		return st_pack_workflow_refuse_open(
			self, intent, "box-empty", error,
			st_tr(L, "The box of order %s is empty: scan items into it before "
				 "closing it"),
			self->order->number);
	if (!st_pack_workflow_expected(self, self->order->id, FALSE, &expected_g, &tolerance_g,
				       &box_code, error))
		return NULL;
	number = st_store_count_parcels(self->store, self->order, error);
	if (number == G_MAXUINT)
		return NULL;
	number++;
	result = st_pack_workflow_result_new(intent->scan);
	result->ok = TRUE;
	result->order_number = g_strdup(self->order->number);
	if (st_pack_workflow_weighs(self))
		result->message = g_strdup_printf(
			st_ntr(L,
			       "Box %u of order %s closed with %u item: put it on the scale (it "
			       "should weigh %u g, give or take %u g)",
			       "Box %u of order %s closed with %u items: put it on the scale (it "
			       "should weigh %u g, give or take %u g)",
			       in_box),
			number, self->order->number, in_box, expected_g, tolerance_g);
	else
		result->message = g_strdup_printf(
			st_ntr(L, "Box %u of order %s closed with %u item; fill the next box",
			       "Box %u of order %s closed with %u items; fill the next box",
			       in_box),
			number, self->order->number, in_box);
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL,
				  result->message, self->order->id, 0, &result->scan_id, error))
		return NULL;
	if (!st_pack_workflow_weighs(self)) {
		/* no scale: the box is a parcel now, its weight not taken */
		StParcelSpec parcel = {box_code, expected_g, tolerance_g,
				       -1,	 NULL,	     self->settings.sscc_prefix};
		if (!st_store_add_parcel(self->store, self->order, &parcel, result->scan_id, NULL,
					 error))
			return NULL;
	}
	if (!st_store_transaction_commit(tx, error))
		return NULL;
	g_message("order %s: box %u closed with %u item%s", self->order->number, number, in_box,
		  in_box == 1 ? "" : "s");
	if (st_pack_workflow_weighs(self)) {
		self->closing_box = TRUE;
		st_pack_workflow_enter_weigh(self);
	} else {
		st_pack_workflow_enter_next_box(self);
	}
	return g_steal_pointer(&result);
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

/* the reprint command: the label of the packed order's first parcel not confirmed yet (or
 * its last parcel), printed again by the daemon */
static StVerdict *
st_pack_workflow_reprint(StPackWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(GPtrArray) parcels = NULL;
	g_autoptr(StVerdict) result = NULL;
	const StParcel *which = NULL;

	if (self->order != NULL &&
	    (self->state == ST_PACK_STATE_PACKED || self->state == ST_PACK_STATE_CONFIRM_LABEL)) {
		parcels = st_store_get_order_parcels(self->store, self->order->id, error);
		if (parcels == NULL)
			return NULL;
		for (guint i = 0; i < parcels->len; i++) {
			const StParcel *p = g_ptr_array_index(parcels, i);
			if (p->reference == NULL)
				continue;
			if (which == NULL || which->confirmed)
				which = p;
		}
	}
	if (which == NULL)
		return st_pack_workflow_refuse_open(
			self, intent, "nothing-to-reprint", error,
			st_tr(L, "No label was printed here for this order: reprint is for the "
				 "labels of the order just packed"));
	result = st_pack_workflow_result_new(intent->scan);
	result->ok = TRUE;
	result->order_number = g_strdup(self->order->number);
	result->print = ST_VERDICT_PRINT_REPRINT;
	result->print_reference = g_strdup(which->reference);
	result->message =
		g_strdup_printf(st_tr(L, "Printing the label of parcel %u of order %s again (%s)"),
				which->number, self->order->number, which->reference);
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL,
				  result->message, self->order->id, 0, &result->scan_id, error))
		return NULL;
	return g_steal_pointer(&result);
}

/* the done command: an order whose items are all in is finished; otherwise said what is
 * left */
static StVerdict *
st_pack_workflow_done(StPackWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(StVerdict) result = NULL;

	switch (self->state) {
	case ST_PACK_STATE_SCAN_ITEMS: {
		g_autoptr(GPtrArray) lines =
			st_store_get_order_lines(self->store, self->order->id, error);
		guint left;
		if (lines == NULL)
			return NULL;
		left = st_pack_workflow_count_remaining(lines);
		return st_pack_workflow_refuse_open(
			self, intent, "order-not-done", error,
			st_ntr(L,
			       "Order %s still has %u item to pack: scan it, or scan cancel to "
			       "give "
			       "the order up",
			       "Order %s still has %u items to pack: scan them, or scan cancel to "
			       "give the order up",
			       left),
			self->order->number, left);
	}
	case ST_PACK_STATE_WEIGH:
	case ST_PACK_STATE_WEIGHT_REFUSED:
		return st_pack_workflow_refuse_open(
			self, intent, "not-weighed", error,
			st_tr(L, "The parcel of order %s is not weighed yet: put it on the scale"),
			self->order->number);
	case ST_PACK_STATE_PACKED:
		result = st_pack_workflow_result_new(intent->scan);
		result->ok = TRUE;
		result->order_number = g_strdup(self->order->number);
		result->message = g_strdup_printf(st_tr(L, "Order %s is done: scan the next order"),
						  self->order->number);
		if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent),
					  NULL, result->message, self->order->id, 0,
					  &result->scan_id, error))
			return NULL;
		st_pack_workflow_enter_wait_order(self);
		return g_steal_pointer(&result);
	case ST_PACK_STATE_WAIT_ORDER:
	case ST_PACK_STATE_ASK_SERIAL:
	case ST_PACK_STATE_CONFIRM_LABEL:
	case ST_PACK_STATE_LAST:
	default:
		break;
	}
	return st_pack_workflow_refuse_open(self, intent, "no-order-open", error,
					    st_tr(L, "No order is open: scan an order"));
}

/* confirm-label: each scan should be the label printed for a parcel of the packed order */
static StVerdict *
st_pack_workflow_confirm(StPackWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	const StBarcode *b = intent->barcode;
	const gchar *tries[2] = {NULL, intent->text};
	g_autoptr(StParcel) parcel = NULL;
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autofree gchar *display = NULL;
	guint left;

	if (intent->kind == ST_INTENT_COMMAND && b->valid && g_strcmp0(b->key, "reprint") == 0)
		return st_pack_workflow_reprint(self, intent, error);
	if (intent->badge != NULL && intent->badge->role == ST_OPERATOR_ROLE_LEAD) {
		result = st_pack_workflow_result_new(intent->scan);
		result->ok = TRUE;
		result->order_number = g_strdup(self->order->number);
		result->message = g_strdup_printf(
			st_tr(L, "Label check of order %s let go by %s: scan the next order"),
			self->order->number, intent->badge->name);
		if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent),
					  NULL, result->message, self->order->id, 0,
					  &result->scan_id, error))
			return NULL;
		g_message("order %s: label check let go by %s", self->order->number,
			  intent->badge->name);
		st_pack_workflow_enter_packed(self);
		return g_steal_pointer(&result);
	}
	if (intent->kind == ST_INTENT_COMMAND)
		return st_pack_workflow_refuse_open(
			self, intent, "label-first", error,
			st_tr(L,
			      "The %s command waits: first scan the label printed for order %s on "
			      "its parcel, or scan reprint if none came out"),
			b->valid ? b->key : b->text, self->order->number);
	if (intent->kind == ST_INTENT_ORDER)
		return st_pack_workflow_refuse_open(
			self, intent, "label-first", error,
			st_tr(L, "Order %s waits: first scan the label printed for order %s on "
				 "its parcel"),
			b->text, self->order->number);
	if (b != NULL && b->valid && b->key != NULL &&
	    (b->kind == ST_BARCODE_KIND_TRACKING || b->kind == ST_BARCODE_KIND_SSCC ||
	     g_strcmp0(b->key_type, "sscc") == 0))
		tries[0] = b->key;
	for (guint i = 0; parcel == NULL && intent->text != NULL && i < G_N_ELEMENTS(tries); i++) {
		g_autoptr(GError) error_local = NULL;
		if (tries[i] == NULL)
			continue;
		parcel = st_store_find_parcel(self->store, tries[i], &error_local);
		if (parcel == NULL &&
		    !g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
	}
	display = st_scan_to_display(intent->scan);
	if (parcel == NULL)
		return st_pack_workflow_refuse_open(
			self, intent, "not-a-label", error,
			st_tr(L, "%s is not a parcel label of this station: scan the label printed "
				 "for order %s on its parcel, or scan reprint if none came out"),
			display, self->order->number);
	if (g_strcmp0(parcel->order_number, self->order->number) != 0)
		return st_pack_workflow_refuse_open(
			self, intent, "wrong-label", error,
			st_tr(L, "Wrong label: %s is for order %s, not %s; take it off this parcel "
				 "and put on the label printed for order %s"),
			parcel->reference, parcel->order_number, self->order->number,
			self->order->number);
	if (parcel->confirmed)
		return st_pack_workflow_refuse_open(
			self, intent, "label-scanned-twice", error,
			st_tr(L, "Label %s was scanned already: scan the label of the next parcel "
				 "of order %s"),
			parcel->reference, self->order->number);
	result = st_pack_workflow_result_new(intent->scan);
	result->ok = TRUE;
	result->order_number = g_strdup(self->order->number);
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL, "",
				  self->order->id, 0, &result->scan_id, error) ||
	    !st_store_confirm_parcel(self->store, parcel, result->scan_id, error))
		return NULL;
	left = st_pack_workflow_labels_to_confirm(self, error);
	if (left == G_MAXUINT)
		return NULL;
	if (left == 0)
		result->message = g_strdup_printf(
			st_tr(L,
			      "Label %s is on its parcel: order %s is done; scan the next order"),
			parcel->reference, self->order->number);
	else
		result->message = g_strdup_printf(
			st_ntr(L,
			       "Label %s is on its parcel; scan the label of the next parcel (%u "
			       "left)",
			       "Label %s is on its parcel; scan the label of the next parcel (%u "
			       "left)",
			       left),
			parcel->reference, left);
	if (!st_store_set_scan_message(self->store, result->scan_id, result->message, error) ||
	    !st_store_transaction_commit(tx, error))
		return NULL;
	if (left == 0)
		st_pack_workflow_enter_packed(self);
	return g_steal_pointer(&result);
}

/* in ask-serial: the scan is the serial number of the unit scanned before (a GS1 barcode's
 * AI 21, or the text of any other barcode that is not one of the station's or a product's) */
static StVerdict *
st_pack_workflow_scan_serial(StPackWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(StProduct) pending = g_steal_pointer(&self->pending);
	g_autoptr(StProduct) other = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StVerdict) result = NULL;
	const gchar *serial = intent->serial != NULL ? intent->serial : intent->text;
	gboolean station_code =
		intent->kind == ST_INTENT_ORDER || intent->kind == ST_INTENT_STATION_OTHER;

	if (intent->kind == ST_INTENT_ITEM && intent->serial == NULL) {
		other = st_pack_workflow_find_product(self, intent, &error_local);
		if (error_local != NULL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
	}
	if (intent->kind == ST_INTENT_UNREADABLE || station_code || other != NULL ||
	    serial == NULL || *serial == '\0' || strlen(serial) > 64) {
		self->pending = g_steal_pointer(&pending);
		return st_pack_workflow_refuse(
			self, intent, "serial-expected", self->order->id, self->order->number,
			self->pending->id, self->pending->sku, error,
			st_tr(L, "That is not a serial number: scan the serial number of %s (%s), "
				 "or undo to leave it out"),
			self->pending->name, self->pending->sku);
	}
	st_pack_workflow_set_state(self, ST_PACK_STATE_SCAN_ITEMS);
	result = st_pack_workflow_scan_item(self, intent, pending, serial, error);
	if (result != NULL && g_strcmp0(result->reason, "serial-packed") == 0) {
		/* the same unit asks for another serial number */
		self->pending = g_steal_pointer(&pending);
		st_pack_workflow_set_state(self, ST_PACK_STATE_ASK_SERIAL);
	}
	return g_steal_pointer(&result);
}

/* StWorkflow.handle_scan and .handle_command: one decision per kind of intent */
static StVerdict *
st_pack_workflow_handle_scan(StWorkflow *workflow, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	StPackWorkflow *self = ST_PACK_WORKFLOW(workflow);

	g_free(ST_PACK_WORKFLOW(workflow)->language);
	ST_PACK_WORKFLOW(workflow)->language = g_strdup(L);
	g_free(ST_PACK_WORKFLOW(workflow)->operator_badge);
	ST_PACK_WORKFLOW(workflow)->operator_badge = g_strdup(st_intent_get_operator_badge(intent));
	if (self->state == ST_PACK_STATE_ASK_SERIAL) {
		if (intent->kind != ST_INTENT_COMMAND)
			return st_pack_workflow_scan_serial(self, intent, error);
		/* a command leaves the unit uncounted (undo: nothing more to take back) */
		g_clear_pointer(&self->pending, st_product_free);
		st_pack_workflow_set_state(self, ST_PACK_STATE_SCAN_ITEMS);
		if (g_strcmp0(intent->barcode->key, "undo") == 0) {
			g_autoptr(StVerdict) result = st_pack_workflow_result_new(intent->scan);
			result->ok = TRUE;
			result->order_number = g_strdup(self->order->number);
			result->message = g_strdup_printf(
				st_tr(L, "Undone: the unit waiting for its serial number is not "
					 "counted; take it out of order %s"),
				self->order->number);
			if (!st_store_record_scan(
				    self->store, intent->scan, st_intent_get_origin(intent), NULL,
				    result->message, self->order->id, 0, &result->scan_id, error))
				return NULL;
			return g_steal_pointer(&result);
		}
	}
	if (self->state == ST_PACK_STATE_CONFIRM_LABEL)
		return st_pack_workflow_confirm(self, intent, error);
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
		if (g_strcmp0(intent->barcode->key, "undo") == 0)
			return st_pack_workflow_undo(self, intent, error);
		if (g_strcmp0(intent->barcode->key, "cancel") == 0)
			return st_pack_workflow_cancel(self, intent, error);
		if (g_strcmp0(intent->barcode->key, "new-box") == 0)
			return st_pack_workflow_new_box(self, intent, error);
		if (g_strcmp0(intent->barcode->key, "reprint") == 0)
			return st_pack_workflow_reprint(self, intent, error);
		if (g_strcmp0(intent->barcode->key, "done") == 0)
			return st_pack_workflow_done(self, intent, error);
		return st_pack_workflow_not_for_packing(self, intent, error);
	case ST_INTENT_STATION_OTHER:
		if (intent->barcode->kind == ST_BARCODE_KIND_BOX_TYPE)
			return st_pack_workflow_scan_box(self, intent, error);
		if (intent->barcode->kind == ST_BARCODE_KIND_TOTE ||
		    intent->barcode->kind == ST_BARCODE_KIND_PICK_LIST)
			return st_pack_workflow_scan_tote(self, intent, error);
		if (intent->barcode->kind == ST_BARCODE_KIND_BADGE &&
		    self->state == ST_PACK_STATE_WEIGHT_REFUSED)
			return st_pack_workflow_override(self, intent, error);
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
	if (self->state == ST_PACK_STATE_ASK_SERIAL && self->pending != NULL)
		return g_strdup_printf(st_tr(L, "scan the serial number of %s"),
				       self->pending->sku);
	if (self->state == ST_PACK_STATE_WEIGH && self->order != NULL && self->closing_box)
		return g_strdup_printf(st_tr(L, "put the closed box of order %s on the scale"),
				       self->order->number);
	if (self->state == ST_PACK_STATE_WEIGH && self->order != NULL)
		return g_strdup_printf(st_tr(L, "put the parcel of order %s on the scale"),
				       self->order->number);
	if (self->state == ST_PACK_STATE_CONFIRM_LABEL && self->order != NULL)
		return g_strdup_printf(st_tr(L, "scan the label printed for order %s on its "
						"parcel"),
				       self->order->number);
	if (self->state == ST_PACK_STATE_WEIGHT_REFUSED && self->order != NULL)
		return g_strdup_printf(st_tr(L, "check the parcel of order %s: its weight was "
						"refused"),
				       self->order->number);
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
		guint n = 0;
		st_pack_workflow_enter_scan_items(self, order);
		st_pack_workflow_enter_packed(self);
		if (self->settings.confirm_label &&
		    (n = st_pack_workflow_labels_to_confirm(self, error)) == G_MAXUINT)
			return NULL;
		if (n > 0) {
			st_pack_workflow_set_state(self, ST_PACK_STATE_CONFIRM_LABEL);
			return g_strdup_printf("order %s packed, %u label%s to confirm on its "
					       "parcels",
					       order->number, n, n == 1 ? "" : "s");
		}
		return g_strdup_printf("order %s packed", order->number);
	}
	if (order->status != ST_ORDER_STATUS_PACKING)
		return NULL;
	lines = st_store_get_order_lines(self->store, order->id, error);
	if (lines == NULL)
		return NULL;
	remaining = st_pack_workflow_count_remaining(lines);
	st_pack_workflow_enter_scan_items(self, order);
	/* the box type scanned for the box being filled */
	self->box = st_store_get_order_box(self->store, order->id, &error_local);
	if (error_local != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	if (remaining > 0) {
		/* a unit of a product tracked by serial, waiting for its serial number: the
		 * seat's last accepted scan was that product without one (counted, it would have
		 * had its serial, or the serial number would be the last scan) */
		g_autofree gchar *last = st_store_get_seat_last_text(self->store, seat, NULL);
		g_autoptr(StScan) scan = NULL;
		g_autoptr(StIntent) intent = NULL;
		g_autoptr(StProduct) product = NULL;
		if (last != NULL) {
			g_autoptr(GBytes) bytes = g_bytes_new(last, strlen(last));
			scan = st_scan_new(seat, bytes, NULL);
			intent = st_intent_new(scan, self->patterns);
		}
		if (intent != NULL && intent->kind == ST_INTENT_ITEM && intent->serial == NULL) {
			product = st_pack_workflow_find_product(self, intent, &error_local);
			if (error_local != NULL) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return NULL;
			}
		}
		if (product != NULL && product->track_serial && product->quantity == 1) {
			gchar *said = g_strdup_printf("order %s open, a unit of %s waiting for its "
						      "serial number",
						      order->number, product->sku);
			self->pending = g_steal_pointer(&product);
			st_pack_workflow_set_state(self, ST_PACK_STATE_ASK_SERIAL);
			return said;
		}
	}
	if (remaining > 0 && st_pack_workflow_weighs(self)) {
		/* a box closed by new-box, not weighed yet: the seat's last accepted scan was that
		 * command and items are in no parcel (a weighed box makes them a parcel's) */
		g_autoptr(GError) error_text = NULL;
		g_autofree gchar *last =
			st_store_get_seat_last_text(self->store, seat, &error_text);
		g_autoptr(StBarcode) barcode = NULL;
		guint in_box;
		if (last == NULL &&
		    !g_error_matches(error_text, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_text));
			return NULL;
		}
		in_box = st_pack_workflow_count_in_box(lines);
		if (last != NULL)
			barcode = st_barcode_parse_full(self->patterns, (const guint8 *)last,
							strlen(last), NULL, ST_BARCODE_INPUT_SCAN);
		if (barcode != NULL && barcode->kind == ST_BARCODE_KIND_COMMAND &&
		    g_strcmp0(barcode->key, "new-box") == 0 && in_box > 0) {
			self->closing_box = TRUE;
			st_pack_workflow_enter_weigh(self);
			return g_strdup_printf("order %s open, its closed box to weigh",
					       order->number);
		}
	}
	if (remaining == 0 && st_pack_workflow_weighs(self)) {
		st_pack_workflow_enter_weigh(self);
		return g_strdup_printf("order %s open, every item in, its parcel to weigh",
				       order->number);
	}
	return g_strdup_printf("order %s open, %u item%s to pack", order->number, remaining,
			       remaining == 1 ? "" : "s");
}

static void
st_pack_workflow_iface_init(StWorkflowInterface *iface)
{
	iface->restore = st_pack_workflow_restore;
	iface->handle_weight = st_pack_workflow_handle_weight;
	iface->scale_changed = st_pack_workflow_scale_changed;
	iface->wants_badge = st_pack_workflow_wants_badge;
	iface->get_prompt = st_pack_workflow_get_prompt;
	iface->get_name = st_pack_workflow_get_name;
	iface->get_state_name = st_pack_workflow_get_state_name;
	/* commands (undo, cancel, new-box) are decided in handle_scan's switch with the rest */
	iface->handle_scan = st_pack_workflow_handle_scan;
}

static void
st_pack_workflow_finalize(GObject *object)
{
	StPackWorkflow *self = ST_PACK_WORKFLOW(object);
	st_order_free(self->order);
	st_box_type_free(self->box);
	st_product_free(self->pending);
	g_free(self->language);
	g_free(self->location);
	g_free(self->sscc_prefix);
	g_free(self->operator_badge);
	st_barcode_patterns_unref(self->patterns);
	g_object_unref(self->store);
	G_OBJECT_CLASS(st_pack_workflow_parent_class)->finalize(object);
}

static void
st_pack_workflow_init(StPackWorkflow *self)
{
	self->state = ST_PACK_STATE_WAIT_ORDER;
	self->last_weight_g = -1;
	st_pack_settings_init(&self->settings);
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

/**
 * st_pack_workflow_get_expected_weight:
 * @expected_g: (out): what the box on the scale should weigh
 * @tolerance_g: (out): by how much it may differ
 *
 * Returns: TRUE while the seat waits for a box on the scale (state weigh, or its weight was
 *   refused), with what it should weigh; FALSE otherwise
 */
gboolean
st_pack_workflow_get_expected_weight(StPackWorkflow *self, guint *expected_g, guint *tolerance_g)
{
	g_autofree gchar *box_code = NULL;
	/* refused too: the packer fixing the parcel needs the range as much */
	if ((self->state != ST_PACK_STATE_WEIGH && self->state != ST_PACK_STATE_WEIGHT_REFUSED) ||
	    self->order == NULL)
		return FALSE;
	return st_pack_workflow_expected(self, self->order->id, !self->closing_box, expected_g,
					 tolerance_g, &box_code, NULL);
}
