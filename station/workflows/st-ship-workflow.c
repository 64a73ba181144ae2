/*
 * StShipWorkflow: the dispatch state machine, an StWorkflow. The seat loads one carrier's
 * manifest at a time: the first parcel scanned names the carrier, the next ones must go with
 * it, and the done command closes the manifest. The state changes only in
 * st_ship_workflow_set_state(). Each scan is recorded with its consequences (the parcel on
 * the manifest, the order shipped) in one transaction before it is answered.
 */
#define G_LOG_DOMAIN "station-ship"

#include "station/st-error.h"

#include "st-i18n.h"
#include "st-ship-workflow.h"

struct _StShipWorkflow {
	GObject parent_instance;
	StStore *store;
	StShipState state;
	StBarcodePatterns *patterns;
	StManifest *manifest; /* (nullable): the manifest being loaded here */
};

static void
st_ship_workflow_iface_init(StWorkflowInterface *iface);

G_DEFINE_TYPE_WITH_CODE(StShipWorkflow,
			st_ship_workflow,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(ST_TYPE_WORKFLOW, st_ship_workflow_iface_init))

static const gchar *state_names[ST_SHIP_STATE_LAST] = {
	[ST_SHIP_STATE_WAIT_PARCEL] = "wait-parcel",
	[ST_SHIP_STATE_LOADING] = "loading",
};

const gchar *
st_ship_state_to_string(StShipState state)
{
	if ((guint)state >= ST_SHIP_STATE_LAST)
		return "unknown";
	return state_names[state];
}

static void
st_ship_workflow_set_state(StShipWorkflow *self, StShipState state)
{
	StShipState old = self->state;
	if (old == state)
		return;
	self->state = state;
	g_info("ship: %s -> %s", st_ship_state_to_string(old), st_ship_state_to_string(state));
	g_signal_emit_by_name(self, "state-changed", st_ship_state_to_string(old),
			      st_ship_state_to_string(state));
}

StShipState
st_ship_workflow_get_state(StShipWorkflow *self)
{
	g_return_val_if_fail(ST_IS_SHIP_WORKFLOW(self), ST_SHIP_STATE_WAIT_PARCEL);
	return self->state;
}

static void
st_ship_workflow_enter_loading(StShipWorkflow *self, StManifest *manifest)
{
	st_manifest_free(self->manifest);
	self->manifest = manifest;
	st_ship_workflow_set_state(self, ST_SHIP_STATE_LOADING);
}

static void
st_ship_workflow_enter_wait_parcel(StShipWorkflow *self)
{
	g_clear_pointer(&self->manifest, st_manifest_free);
	st_ship_workflow_set_state(self, ST_SHIP_STATE_WAIT_PARCEL);
}

/* a stored time ("2026-12-07T09:08:28.332535Z") as the dock worker reads it, in local time:
 * "2026-12-07 10:08" */
static gchar *
st_ship_workflow_time_word(const gchar *stored)
{
	g_autoptr(GDateTime) utc =
		stored != NULL ? g_date_time_new_from_iso8601(stored, NULL) : NULL;
	g_autoptr(GDateTime) local = NULL;
	if (utc == NULL)
		return g_strdup(stored != NULL ? stored : "?");
	local = g_date_time_to_local(utc);
	return g_date_time_format(local, "%Y-%m-%d %H:%M");
}

/* the carrier as the dock worker is told it */
static const gchar *
st_ship_workflow_carrier_word(const gchar *L, const gchar *carrier)
{
	return carrier != NULL && *carrier != '\0' ? carrier : st_tr(L, "no carrier");
}

static StVerdict *
st_ship_workflow_refuse(StShipWorkflow *self,
			StIntent *intent,
			const gchar *reason,
			gint64 order_id,
			const gchar *order_number,
			GError **error,
			const gchar *format,
			...) G_GNUC_PRINTF(7, 8);

/* records a refusal and builds its result */
static StVerdict *
st_ship_workflow_refuse(StShipWorkflow *self,
			StIntent *intent,
			const gchar *reason,
			gint64 order_id,
			const gchar *order_number,
			GError **error,
			const gchar *format,
			...)
{
	StRefusalSubject subject = {order_id, order_number, 0, NULL};
	StVerdict *result;
	va_list args;

	va_start(args, format);
	result = st_workflow_refusev(self->store, intent, reason, &subject, error, format, args);
	va_end(args);
	return result;
}

/* Returns: (transfer full): the parcel the scan names: a carrier's tracking number or an SSCC
 * (bare or behind AI 00) as its label carries it, else the scan's text; NULL with @error
 * unset when no label carries it */
static StShipment *
st_ship_workflow_find(StShipWorkflow *self, StIntent *intent, GError **error)
{
	const StBarcode *b = intent->barcode;
	const gchar *tries[2] = {NULL, intent->text};

	if (b != NULL && b->valid && b->key != NULL &&
	    (b->kind == ST_BARCODE_KIND_TRACKING || b->kind == ST_BARCODE_KIND_SSCC ||
	     g_strcmp0(b->key_type, "sscc") == 0))
		tries[0] = b->key;
	for (guint i = 0; i < G_N_ELEMENTS(tries); i++) {
		g_autoptr(GError) error_local = NULL;
		StShipment *shipment;
		if (tries[i] == NULL)
			continue;
		shipment = st_store_find_shipment(self->store, tries[i], &error_local);
		if (shipment != NULL)
			return shipment;
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
	}
	return NULL;
}

static StVerdict *
st_ship_workflow_scan_parcel(StShipWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StShipment) shipment = NULL;
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StManifest) manifest = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autofree gchar *display = NULL;
	gboolean shipped = FALSE;

	shipment = st_ship_workflow_find(self, intent, &error_local);
	if (shipment == NULL) {
		if (error_local != NULL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		display = st_scan_to_display(intent->scan);
		return st_ship_workflow_refuse(
			self, intent, "unknown-parcel", 0, NULL, error,
			st_tr(L,
			      "No label of this station carries %s: scan the tracking number "
			      "on the parcel's label, or put the parcel aside for the shift lead"),
			display);
	}
	if (shipment->status == ST_ORDER_STATUS_CANCELLED)
		return st_ship_workflow_refuse(
			self, intent, "order-cancelled", shipment->order_id, shipment->order_number,
			error,
			st_tr(L, "Order %s was cancelled: this parcel must not go; put it aside "
				 "for the shift lead"),
			shipment->order_number);
	if (shipment->manifest_closed) {
		g_autofree gchar *when = st_ship_workflow_time_word(shipment->manifest_closed_at);
		return st_ship_workflow_refuse(
			self, intent, "already-shipped", shipment->order_id, shipment->order_number,
			error,
			st_tr(L,
			      "Parcel %s of order %s left on manifest %u, closed %s: it should not "
			      "be here; put it aside for the shift lead"),
			shipment->reference, shipment->order_number, (guint)shipment->manifest_id,
			when);
	}
	if (shipment->manifest_id != 0)
		return st_ship_workflow_refuse(
			self, intent, "scanned-twice", shipment->order_id, shipment->order_number,
			error,
			st_tr(L, "Parcel %s of order %s is on the manifest already: not counted "
				 "twice"),
			shipment->reference, shipment->order_number);
	if (shipment->status != ST_ORDER_STATUS_PACKED &&
	    shipment->status != ST_ORDER_STATUS_SHIPPED)
		return st_ship_workflow_refuse(
			self, intent, "not-packed", shipment->order_id, shipment->order_number,
			error,
			st_tr(L, "Order %s is not packed yet: this parcel cannot go; take it back "
				 "to packing"),
			shipment->order_number);
	if (self->manifest != NULL && g_strcmp0(self->manifest->carrier, shipment->carrier) != 0)
		return st_ship_workflow_refuse(
			self, intent, "other-carrier", shipment->order_id, shipment->order_number,
			error,
			st_tr(L, "Parcel %s goes with %s, not %s: put it with the %s parcels, or "
				 "scan done to close the %s manifest first"),
			shipment->reference, st_ship_workflow_carrier_word(L, shipment->carrier),
			st_ship_workflow_carrier_word(L, self->manifest->carrier),
			st_ship_workflow_carrier_word(L, shipment->carrier),
			st_ship_workflow_carrier_word(L, self->manifest->carrier));

	result = st_verdict_new_for_scan(intent->scan);
	result->ok = TRUE;
	result->order_number = g_strdup(shipment->order_number);
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	/* the sentence stored with the scan is the one given: the count is known after */
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL, "",
				  shipment->order_id, 0, &result->scan_id, error))
		return NULL;
	manifest =
		st_store_add_to_manifest(self->store, shipment, result->scan_id, &shipped, error);
	if (manifest == NULL)
		return NULL;
	if (shipped)
		result->message = g_strdup_printf(
			st_ntr(L, "Parcel %s on the %s manifest (%u parcel): order %s is shipped",
			       "Parcel %s on the %s manifest (%u parcels): order %s is shipped",
			       manifest->parcels),
			shipment->reference, st_ship_workflow_carrier_word(L, manifest->carrier),
			manifest->parcels, shipment->order_number);
	else
		result->message = g_strdup_printf(
			st_ntr(L,
			       "Parcel %s on the %s manifest (%u parcel): order %s has parcels "
			       "still to come",
			       "Parcel %s on the %s manifest (%u parcels): order %s has parcels "
			       "still to come",
			       manifest->parcels),
			shipment->reference, st_ship_workflow_carrier_word(L, manifest->carrier),
			manifest->parcels, shipment->order_number);
	if (!st_store_set_scan_message(self->store, result->scan_id, result->message, error) ||
	    !st_store_transaction_commit(tx, error))
		return NULL;
	st_ship_workflow_enter_loading(self, g_steal_pointer(&manifest));
	return g_steal_pointer(&result);
}

/* the undo command: the parcel loaded last at this seat comes off the manifest (a parcel
 * put on the wrong truck); its order is packed again if that parcel had shipped it */
static StVerdict *
st_ship_workflow_undo(StShipWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *reference = NULL;
	g_autofree gchar *order_number = NULL;
	StManifest *manifest;

	if (self->manifest == NULL)
		return st_ship_workflow_refuse(
			self, intent, "nothing-to-undo", 0, NULL, error,
			st_tr(L, "No manifest is being loaded here: nothing to undo"));
	result = st_verdict_new_for_scan(intent->scan);
	result->ok = TRUE;
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL, "",
				  0, 0, &result->scan_id, error))
		return NULL;
	if (!st_store_unload_last(self->store, self->manifest->id, result->scan_id, &reference,
				  &order_number, &error_local)) {
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		g_clear_pointer(&tx, st_store_transaction_free);
		return st_ship_workflow_refuse(
			self, intent, "nothing-to-undo", 0, NULL, error,
			st_tr(L, "Nothing is on the %s manifest yet: nothing to undo"),
			st_ship_workflow_carrier_word(L, self->manifest->carrier));
	}
	result->order_number = g_strdup(order_number);
	result->message = g_strdup_printf(
		st_tr(L, "Undone: parcel %s of order %s is off the %s manifest; "
			 "take it off the truck"),
		reference, order_number, st_ship_workflow_carrier_word(L, self->manifest->carrier));
	if (!st_store_set_scan_message(self->store, result->scan_id, result->message, error) ||
	    !st_store_transaction_commit(tx, error))
		return NULL;
	manifest = st_store_get_manifest(self->store, self->manifest->id, error);
	if (manifest == NULL)
		return NULL;
	st_ship_workflow_enter_loading(self, manifest);
	return g_steal_pointer(&result);
}

/* the done command: the manifest being loaded is closed, its event lists what it holds */
static StVerdict *
st_ship_workflow_done(StShipWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;

	if (self->manifest == NULL)
		return st_ship_workflow_refuse(
			self, intent, "no-manifest", 0, NULL, error,
			st_tr(L, "No manifest is being loaded here: scan the parcels first"));
	if (self->manifest->parcels == 0)
		return st_ship_workflow_refuse(
			self, intent, "manifest-empty", 0, NULL, error,
			st_tr(L, "The %s manifest holds no parcel: scan the parcels first"),
			st_ship_workflow_carrier_word(L, self->manifest->carrier));
	result = st_verdict_new_for_scan(intent->scan);
	result->ok = TRUE;
	result->message = g_strdup_printf(
		st_ntr(L,
		       "Manifest %u (%s) closed with %u parcel of %u order; hand it to the driver",
		       "Manifest %u (%s) closed with %u parcels of %u orders; hand it to the "
		       "driver",
		       self->manifest->parcels),
		(guint)self->manifest->id,
		st_ship_workflow_carrier_word(L, self->manifest->carrier), self->manifest->parcels,
		self->manifest->orders);
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL,
				  result->message, 0, 0, &result->scan_id, error) ||
	    !st_store_close_manifest(self->store, self->manifest->id, result->scan_id, error) ||
	    !st_store_transaction_commit(tx, error))
		return NULL;
	/* the daemon prints the manifest's document for the driver */
	result->print = ST_VERDICT_PRINT_MANIFEST;
	result->print_reference = g_strdup_printf("%" G_GINT64_FORMAT, self->manifest->id);
	g_message("manifest %" G_GINT64_FORMAT " (%s) closed: %u parcels of %u orders",
		  self->manifest->id, self->manifest->carrier, self->manifest->parcels,
		  self->manifest->orders);
	st_ship_workflow_enter_wait_parcel(self);
	return g_steal_pointer(&result);
}

static StVerdict *
st_ship_workflow_handle_scan(StWorkflow *workflow, StIntent *intent, GError **error)
{
	StShipWorkflow *self = ST_SHIP_WORKFLOW(workflow);
	const gchar *L = st_intent_get_language(intent);

	switch (intent->kind) {
	case ST_INTENT_UNREADABLE:
		return st_ship_workflow_refuse(
			self, intent, "unreadable", 0, NULL, error,
			st_tr(L, "The scan holds binary data, not a barcode the station knows: "
				 "scan the parcel's tracking number"));
	case ST_INTENT_COMMAND:
		if (!intent->barcode->valid)
			return st_ship_workflow_refuse(
				self, intent, "unknown-command", 0, NULL, error,
				st_tr(L, "Command barcode %s is not one this station knows (%s): "
					 "use the command sheet printed by this station"),
				intent->barcode->text, intent->barcode->reason);
		if (g_strcmp0(intent->barcode->key, "done") == 0)
			return st_ship_workflow_done(self, intent, error);
		if (g_strcmp0(intent->barcode->key, "undo") == 0)
			return st_ship_workflow_undo(self, intent, error);
		return st_ship_workflow_refuse(
			self, intent, "not-for-shipping", 0, NULL, error,
			st_tr(L, "The %s command is not used at the dock: scan parcels, then done "
				 "to close the manifest"),
			intent->barcode->key);
	case ST_INTENT_ORDER:
	case ST_INTENT_STATION_OTHER:
		return st_ship_workflow_refuse(
			self, intent, "not-a-parcel", 0, NULL, error,
			st_tr(L, "%s is not a parcel's label: at the dock, scan the tracking "
				 "number or SSCC on the parcel"),
			intent->barcode->text);
	case ST_INTENT_INVALID_PRODUCT:
	case ST_INTENT_ITEM:
		return st_ship_workflow_scan_parcel(self, intent, error);
	case ST_INTENT_LAST:
	default:
		break;
	}
	g_set_error(error, ST_WORKFLOW_ERROR, ST_ERROR_FAILED, "scan of unknown kind %d",
		    intent->kind);
	return NULL;
}

static const gchar *
st_ship_workflow_get_name(StWorkflow *workflow)
{
	return "ship";
}

static const gchar *
st_ship_workflow_get_state_name(StWorkflow *workflow)
{
	return st_ship_state_to_string(ST_SHIP_WORKFLOW(workflow)->state);
}

static gchar *
st_ship_workflow_get_prompt(StWorkflow *workflow, const gchar *L)
{
	StShipWorkflow *self = ST_SHIP_WORKFLOW(workflow);
	if (self->manifest != NULL)
		return g_strdup_printf(st_tr(L, "scan the next %s parcel, or done to close the "
						"manifest"),
				       st_ship_workflow_carrier_word(L, self->manifest->carrier));
	return g_strdup(st_tr(L, "scan a parcel to ship"));
}

/* StWorkflow.restore: the manifest of the last parcel loaded at @seat, if still open */
static gchar *
st_ship_workflow_restore(StWorkflow *workflow, const gchar *seat, GError **error)
{
	StShipWorkflow *self = ST_SHIP_WORKFLOW(workflow);
	g_autoptr(GError) error_local = NULL;
	StManifest *manifest = st_store_get_seat_manifest(self->store, seat, &error_local);

	if (manifest == NULL) {
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND))
			g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	st_ship_workflow_enter_loading(self, manifest);
	return g_strdup_printf("manifest %" G_GINT64_FORMAT " (%s) loading, %u parcel%s on it",
			       manifest->id, manifest->carrier, manifest->parcels,
			       manifest->parcels == 1 ? "" : "s");
}

static void
st_ship_workflow_iface_init(StWorkflowInterface *iface)
{
	iface->restore = st_ship_workflow_restore;
	iface->get_prompt = st_ship_workflow_get_prompt;
	iface->get_name = st_ship_workflow_get_name;
	iface->get_state_name = st_ship_workflow_get_state_name;
	iface->handle_scan = st_ship_workflow_handle_scan;
}

static void
st_ship_workflow_finalize(GObject *object)
{
	StShipWorkflow *self = ST_SHIP_WORKFLOW(object);
	st_manifest_free(self->manifest);
	st_barcode_patterns_unref(self->patterns);
	g_object_unref(self->store);
	G_OBJECT_CLASS(st_ship_workflow_parent_class)->finalize(object);
}

static void
st_ship_workflow_init(StShipWorkflow *self)
{
	self->state = ST_SHIP_STATE_WAIT_PARCEL;
}

static void
st_ship_workflow_class_init(StShipWorkflowClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = st_ship_workflow_finalize;
}

/**
 * st_ship_workflow_new:
 * @store: the store, which it references
 * @patterns: (nullable): the station's own barcodes; NULL for the defaults
 *
 * Returns: (transfer full): a workflow in wait-parcel
 */
StShipWorkflow *
st_ship_workflow_new(StStore *store, StBarcodePatterns *patterns)
{
	StShipWorkflow *self = g_object_new(ST_TYPE_SHIP_WORKFLOW, NULL);
	self->store = g_object_ref(store);
	self->patterns =
		patterns != NULL ? st_barcode_patterns_ref(patterns) : st_barcode_patterns_new();
	return self;
}
