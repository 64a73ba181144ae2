/*
 * StPickWorkflow: the picking state machine, an StWorkflow. Where the picker is on the list
 * is kept in the store (the list's seat, its totes, each pick's counts), so the state is
 * worked out again from it after every change (st_pick_workflow_reload) and after a restart;
 * the state changes only in st_pick_workflow_set_state(). Each scan is recorded with its
 * consequences (stock moved to the tote, the pick counted, short or done, the order picked)
 * in one transaction before it is answered.
 */
#define G_LOG_DOMAIN "station-pick"

#include "station/st-error.h"

#include "st-i18n.h"
#include "st-pick-workflow.h"

struct _StPickWorkflow {
	GObject parent_instance;
	StStore *store;
	StPickState state;
	StBarcodePatterns *patterns;
	StPickList *list;    /* (nullable): the list picked here */
	GPtrArray *tasks;    /* (nullable) (element-type StPickTask): its picks, route order */
	StPickTask *task;    /* (nullable): the pick at hand (borrowed from @tasks) */
	guint tote_slot;     /* WAIT_TOTE: the slot whose tote is asked for */
	gchar *tote_order;   /* WAIT_TOTE: that slot's order */
	gchar *at_location;  /* (nullable): the location the picker scanned last */
	StProduct *pending;  /* ASK: the unit waiting for its lot or serial */
	gboolean ask_serial; /* ASK: the serial is asked for (else the lot) */
	gchar *pending_lot;  /* ASK: the lot its barcode gave, when the serial is asked */
	gchar *pending_expiry;
};

static void
st_pick_workflow_iface_init(StWorkflowInterface *iface);

G_DEFINE_TYPE_WITH_CODE(StPickWorkflow,
			st_pick_workflow,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(ST_TYPE_WORKFLOW, st_pick_workflow_iface_init))

static const gchar *state_names[ST_PICK_STATE_LAST] = {
	[ST_PICK_STATE_WAIT_LIST] = "wait-list",
	[ST_PICK_STATE_WAIT_TOTE] = "wait-tote",
	[ST_PICK_STATE_WAIT_LOCATION] = "wait-location",
	[ST_PICK_STATE_WAIT_ITEM] = "wait-item",
	[ST_PICK_STATE_ASK] = "ask",
	[ST_PICK_STATE_WAIT_PUT] = "wait-put",
};

/* the reasons a short pick is recorded with, by command */
static const struct {
	const gchar *command;
	const gchar *reason;
} short_reasons[] = {
	{"short-pick", "not-found"},
	{"short-damaged", "damaged"},
};

const gchar *
st_pick_state_to_string(StPickState state)
{
	if ((guint)state >= ST_PICK_STATE_LAST)
		return "unknown";
	return state_names[state];
}

static void
st_pick_workflow_set_state(StPickWorkflow *self, StPickState state)
{
	StPickState old = self->state;
	if (old == state)
		return;
	self->state = state;
	g_info("pick: %s -> %s", st_pick_state_to_string(old), st_pick_state_to_string(state));
	g_signal_emit_by_name(self, "state-changed", st_pick_state_to_string(old),
			      st_pick_state_to_string(state));
}

StPickState
st_pick_workflow_get_state(StPickWorkflow *self)
{
	g_return_val_if_fail(ST_IS_PICK_WORKFLOW(self), ST_PICK_STATE_WAIT_LIST);
	return self->state;
}

static void
st_pick_workflow_clear_pending(StPickWorkflow *self)
{
	g_clear_pointer(&self->pending, st_product_free);
	g_clear_pointer(&self->pending_lot, g_free);
	g_clear_pointer(&self->pending_expiry, g_free);
	self->ask_serial = FALSE;
}

static void
st_pick_workflow_forget(StPickWorkflow *self)
{
	st_pick_workflow_clear_pending(self);
	self->task = NULL;
	g_clear_pointer(&self->tasks, g_ptr_array_unref);
	g_clear_pointer(&self->list, st_pick_list_free);
	g_clear_pointer(&self->tote_order, g_free);
	g_clear_pointer(&self->at_location, g_free);
	st_pick_workflow_set_state(self, ST_PICK_STATE_WAIT_LIST);
}

/* reads the list again and works out where the picker is: a tote still to give, else the
 * first pick not done (in the tote already: the tote to scan; begun: its item; else its
 * location, unless the picker stands there) */
static gboolean
st_pick_workflow_reload(StPickWorkflow *self, GError **error)
{
	g_autoptr(StPickList) list = NULL;
	g_autoptr(GPtrArray) tasks = NULL;
	g_autoptr(GPtrArray) orders = NULL;
	gint64 id;

	if (self->list == NULL) {
		st_pick_workflow_forget(self);
		return TRUE;
	}
	id = self->list->id;
	list = st_store_get_pick_list(self->store, id, error);
	if (list == NULL)
		return FALSE;
	tasks = st_store_get_pick_tasks(self->store, id, error);
	if (tasks == NULL)
		return FALSE;
	orders = st_store_get_pick_list_orders(self->store, id, error);
	if (orders == NULL)
		return FALSE;
	st_pick_workflow_clear_pending(self);
	self->task = NULL;
	g_clear_pointer(&self->tasks, g_ptr_array_unref);
	st_pick_list_free(self->list);
	self->list = g_steal_pointer(&list);
	self->tasks = g_steal_pointer(&tasks);
	g_clear_pointer(&self->tote_order, g_free);
	if (g_strcmp0(self->list->status, "open") != 0) {
		st_pick_workflow_forget(self);
		return TRUE;
	}
	for (guint i = 0; i < orders->len; i++) {
		const StPickListOrder *o = g_ptr_array_index(orders, i);
		if (o->tote == NULL) {
			self->tote_slot = o->slot;
			self->tote_order = g_strdup(o->order_number);
			st_pick_workflow_set_state(self, ST_PICK_STATE_WAIT_TOTE);
			return TRUE;
		}
	}
	for (guint i = 0; i < self->tasks->len; i++) {
		StPickTask *t = g_ptr_array_index(self->tasks, i);
		if (t->done)
			continue;
		self->task = t;
		if (t->picked + t->short_qty >= t->quantity)
			st_pick_workflow_set_state(self, ST_PICK_STATE_WAIT_PUT);
		else if (t->picked > 0 || g_strcmp0(self->at_location, t->location) == 0)
			st_pick_workflow_set_state(self, ST_PICK_STATE_WAIT_ITEM);
		else
			st_pick_workflow_set_state(self, ST_PICK_STATE_WAIT_LOCATION);
		return TRUE;
	}
	st_pick_workflow_forget(self);
	return TRUE;
}

static guint
st_pick_workflow_picks_left(StPickWorkflow *self)
{
	guint n = 0;
	for (guint i = 0; self->tasks != NULL && i < self->tasks->len; i++) {
		const StPickTask *t = g_ptr_array_index(self->tasks, i);
		if (!t->done)
			n++;
	}
	return n;
}

static StVerdict *
st_pick_workflow_refuse(StPickWorkflow *self,
			StIntent *intent,
			const gchar *reason,
			GError **error,
			const gchar *format,
			...) G_GNUC_PRINTF(5, 6);

/* records a refusal concerning the pick at hand (if any) and builds its result */
static StVerdict *
st_pick_workflow_refuse(StPickWorkflow *self,
			StIntent *intent,
			const gchar *reason,
			GError **error,
			const gchar *format,
			...)
{
	StRefusalSubject subject = {0};
	StVerdict *result;
	va_list args;

	if (self->task != NULL) {
		subject.order_number = self->task->order_number;
		subject.product_id = self->task->product_id;
		subject.sku = self->task->sku;
	}
	va_start(args, format);
	result = st_workflow_refusev(self->store, intent, reason, &subject, error, format, args);
	va_end(args);
	return result;
}

/* an accepted scan, recorded in @tx with its sentence (set later when empty) */
static StVerdict *
st_pick_workflow_accept(StPickWorkflow *self,
			StIntent *intent,
			const gchar *message,
			GError **error)
{
	g_autoptr(StVerdict) result = st_verdict_new_for_scan(intent->scan);
	result->ok = TRUE;
	result->message = g_strdup(message);
	if (self->task != NULL) {
		result->order_number = g_strdup(self->task->order_number);
		result->sku = g_strdup(self->task->sku);
	}
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL,
				  message, 0, self->task != NULL ? self->task->product_id : 0,
				  &result->scan_id, error))
		return NULL;
	return g_steal_pointer(&result);
}

/* what the picker is to do next, in @L: the prompt, after a sentence of what happened */
static gchar *
st_pick_workflow_next_words(StPickWorkflow *self, const gchar *L);

static gchar *
st_pick_workflow_then(StPickWorkflow *self, const gchar *L, const gchar *said)
{
	g_autofree gchar *next = st_pick_workflow_next_words(self, L);
	/* TRANSLATORS: what was done, then what to do next */
	return g_strdup_printf(st_tr(L, "%s; next: %s"), said, next);
}

/* after a scan that changed the list, recorded in @tx with what it did: where the picker is
 * now, the answer's sentence (what happened, then what next, or the list done) stored with
 * the scan, and @tx committed */
static gboolean
st_pick_workflow_conclude(StPickWorkflow *self,
			  const gchar *L,
			  StStoreTransaction *tx,
			  StVerdict *result,
			  const gchar *said,
			  gboolean one_tote,
			  GError **error)
{
	if (!st_pick_workflow_reload(self, error))
		return FALSE;
	if (self->list == NULL)
		result->message = g_strdup_printf(
			one_tote ? st_tr(L, "%s: the pick list is done; take the tote to packing")
				 : st_tr(L, "%s: the pick list is done; take the totes to packing"),
			said);
	else
		result->message = st_pick_workflow_then(self, L, said);
	return st_store_set_scan_message(self->store, result->scan_id, result->message, error) &&
	       st_store_transaction_commit(tx, error);
}

/* the list was claimed or made: where it starts */
static StVerdict *
st_pick_workflow_take_list(StPickWorkflow *self,
			   StIntent *intent,
			   StPickList *list,
			   const gchar *made_for,
			   GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autofree gchar *said = NULL;

	if (self->list != NULL && self->list->id == list->id) {
		g_autofree gchar *next = st_pick_workflow_next_words(self, L);
		return st_pick_workflow_refuse(
			self, intent, "list-open", error,
			st_tr(L, "Pick list %s is being picked here already: %s"), list->code,
			next);
	}
	if (g_strcmp0(list->status, "open") != 0)
		return st_pick_workflow_refuse(
			self, intent, "list-done", error,
			st_tr(L, "Pick list %s is %s: nothing is left to pick on it; take the "
				 "next list"),
			list->code,
			g_strcmp0(list->status, "done") == 0 ? st_tr(L, "done")
							     : st_tr(L, "cancelled"));
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	if (!st_store_claim_pick_list(self->store, list->id, st_intent_get_origin(intent)->seat,
				      &error_local)) {
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_EXISTS)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		g_clear_pointer(&tx, st_store_transaction_free);
		return st_pick_workflow_refuse(
			self, intent, "list-elsewhere", error,
			st_tr(L, "Pick list %s is being picked at %s: take another list, or ask "
				 "the picker there to cancel it"),
			list->code, error_local->message);
	}
	if (self->list != NULL && self->list->id != list->id)
		g_message("pick list %s left for %s at %s", self->list->code, list->code,
			  st_intent_get_origin(intent)->seat);
	g_clear_pointer(&self->list, st_pick_list_free);
	g_clear_pointer(&self->at_location, g_free);
	self->list = g_new0(StPickList, 1);
	self->list->id = list->id;
	if (!st_pick_workflow_reload(self, error))
		return NULL;
	said = made_for != NULL
		       ? g_strdup_printf(st_ntr(L, "Pick list %s made for order %s (%u pick)",
						"Pick list %s made for order %s (%u picks)",
						self->list->picks),
					 self->list->code, made_for, self->list->picks)
		       : g_strdup_printf(st_ntr(L, "Pick list %s: %u order, units to pick: %u",
						"Pick list %s: %u orders, units to pick: %u",
						self->list->orders),
					 self->list->code, self->list->orders,
					 self->list->units - self->list->units_picked -
						 self->list->units_short);
	result = st_verdict_new_for_scan(intent->scan);
	result->ok = TRUE;
	result->message = st_pick_workflow_then(self, L, said);
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL,
				  result->message, 0, 0, &result->scan_id, error) ||
	    !st_store_transaction_commit(tx, error))
		return NULL;
	g_message("pick list %s taken at %s", self->list->code, st_intent_get_origin(intent)->seat);
	return g_steal_pointer(&result);
}

static StVerdict *
st_pick_workflow_scan_list(StPickWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StPickList) list =
		st_store_find_pick_list(self->store, intent->barcode->key, &error_local);

	if (list == NULL) {
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		return st_pick_workflow_refuse(
			self, intent, "unknown-list", error,
			st_tr(L, "Pick list %s is not on this station: check the sheet, or ask "
				 "the shift lead"),
			intent->barcode->text);
	}
	return st_pick_workflow_take_list(self, intent, list, NULL, error);
}

/* an order's barcode with no list here: a list of that order alone is made and taken */
static StVerdict *
st_pick_workflow_scan_order(StPickWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	const gchar *numbers[] = {intent->barcode->key, NULL};
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) notes = NULL;
	g_autoptr(StPickList) list = NULL;
	g_autoptr(StOrder) order = NULL;

	/* the order number as the order system wrote it, else the barcode pattern's key */
	order = st_store_find_order(self->store, intent->text, &error_local);
	if (order == NULL && !g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	g_clear_error(&error_local);
	if (order != NULL)
		numbers[0] = order->number;

	if (self->list != NULL)
		return st_pick_workflow_refuse(
			self, intent, "list-open", error,
			st_tr(L, "Pick list %s is open here: finish it, or scan cancel to leave "
				 "it, before picking order %s"),
			self->list->code, intent->text);
	list = st_store_create_pick_list(self->store, ST_PICK_MODE_ORDER, numbers, 0, &notes,
					 &error_local);
	if (list == NULL) {
		if (error_local->domain != ST_STORE_ERROR ||
		    (error_local->code != ST_ERROR_NOT_FOUND &&
		     error_local->code != ST_ERROR_EXISTS &&
		     error_local->code != ST_ERROR_INVALID_DATA)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		return st_pick_workflow_refuse(
			self, intent, "cannot-pick-order", error,
			st_tr(L, "Order %s cannot be picked here (%s): ask the shift lead"),
			numbers[0], error_local->message);
	}
	for (guint i = 0; i < notes->len; i++)
		g_message("pick list %s: %s", list->code,
			  (const gchar *)g_ptr_array_index(notes, i));
	return st_pick_workflow_take_list(self, intent, list, numbers[0], error);
}

static StVerdict *
st_pick_workflow_scan_tote(StPickWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autofree gchar *tote = NULL;
	g_autofree gchar *said = NULL;
	g_autofree gchar *order = NULL;

	if (self->state == ST_PICK_STATE_WAIT_PUT) {
		gboolean order_picked = FALSE, list_done = FALSE;
		g_autofree gchar *code = st_store_find_location_code(
			self->store, intent->text, intent->barcode->key, &error_local);
		if (code == NULL &&
		    !g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		if (g_strcmp0(code, self->task->tote) != 0)
			return st_pick_workflow_refuse(
				self, intent, "wrong-tote", error,
				st_tr(L, "Wrong tote: %s goes in tote %s (order %s); take it out "
					 "of %s if you put it there"),
				self->task->sku, self->task->tote, self->task->order_number,
				intent->barcode->text);
		result = st_verdict_new_for_scan(intent->scan);
		result->ok = TRUE;
		result->order_number = g_strdup(self->task->order_number);
		result->sku = g_strdup(self->task->sku);
		tx = st_store_transaction_begin(self->store, error);
		if (tx == NULL)
			return NULL;
		st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
		if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent),
					  NULL, "", 0, self->task->product_id, &result->scan_id,
					  error) ||
		    !st_store_pick_into_tote(self->store, self->task, result->scan_id,
					     &order_picked, &list_done, error))
			return NULL;
		order = g_strdup(self->task->order_number);
		said = g_strdup_printf(st_tr(L, "%s in tote %s"), self->task->sku, code);
	} else {
		tote = st_store_set_pick_tote(self->store, self->list->id, self->tote_slot,
					      intent->text, intent->barcode->key, &error_local);
		if (tote == NULL) {
			if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_EXISTS) &&
			    !g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_INVALID_DATA)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return NULL;
			}
			return st_pick_workflow_refuse(
				self, intent, "tote-in-use", error,
				st_tr(L, "Tote %s cannot be used (%s): take an empty tote"),
				intent->barcode->text, error_local->message);
		}
		if (self->list->mode == ST_PICK_MODE_CLUSTER)
			said = g_strdup_printf(st_tr(L, "Tote %s is for order %s"), tote,
					       self->tote_order);
		else
			said = g_strdup_printf(st_tr(L, "Tote %s is for pick list %s"), tote,
					       self->list->code);
		result = st_verdict_new_for_scan(intent->scan);
		result->ok = TRUE;
		tx = st_store_transaction_begin(self->store, error);
		if (tx == NULL)
			return NULL;
		if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent),
					  NULL, "", 0, 0, &result->scan_id, error))
			return NULL;
	}
	if (!st_pick_workflow_conclude(self, L, tx, result, said, FALSE, error))
		return NULL;
	return g_steal_pointer(&result);
}

static StVerdict *
st_pick_workflow_at_location(StPickWorkflow *self,
			     StIntent *intent,
			     const gchar *code,
			     GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(StVerdict) result = NULL;
	g_autofree gchar *said = NULL;

	if (g_strcmp0(code, self->task->location) != 0)
		return st_pick_workflow_refuse(self, intent, "wrong-location", error,
					       st_tr(L, "Wrong place: this is %s; go to %s for %s"),
					       code, self->task->location, self->task->sku);
	g_free(self->at_location);
	self->at_location = g_strdup(code);
	st_pick_workflow_set_state(self, ST_PICK_STATE_WAIT_ITEM);
	said = g_strdup_printf(st_tr(L, "At %s"), code);
	result = st_verdict_new_for_scan(intent->scan);
	result->ok = TRUE;
	result->order_number = g_strdup(self->task->order_number);
	result->message = st_pick_workflow_then(self, L, said);
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL,
				  result->message, 0, 0, &result->scan_id, error))
		return NULL;
	return g_steal_pointer(&result);
}

/* Returns: (transfer full): the code of the location a scan names; NULL with @error unset
 * when it names none */
static gchar *
st_pick_workflow_location_of(StPickWorkflow *self, StIntent *intent, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gchar *code = st_store_find_location_code(
		self->store, intent->text, intent->barcode != NULL ? intent->barcode->key : NULL,
		&error_local);
	if (code == NULL && !g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND))
		g_propagate_error(error, g_steal_pointer(&error_local));
	return code;
}

static gboolean
st_pick_workflow_expired(const gchar *expiry)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree gchar *today = g_date_time_format(now, "%Y-%m-%d");
	return expiry != NULL && *expiry != '\0' && g_strcmp0(expiry, today) < 0;
}

/* units of the pick at hand, with what they are (lot, expiry, serial): checked and counted */
static StVerdict *
st_pick_workflow_take(StPickWorkflow *self,
		      StIntent *intent,
		      const StProduct *product,
		      const gchar *lot,
		      const gchar *expiry,
		      const gchar *serial,
		      GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	StPickTask *task = self->task;
	guint left = task->quantity - task->picked - task->short_qty;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autofree gchar *said = NULL;
	g_autofree gchar *sku = g_strdup(task->sku);
	gboolean order_picked = FALSE, list_done = FALSE, picked;
	locale_t before;

	if (task->lot[0] != '\0' && lot != NULL && g_strcmp0(lot, task->lot) != 0)
		return st_pick_workflow_refuse(
			self, intent, "wrong-lot", error,
			st_tr(L, "Lot %s is not the one to take: take lot %s of %s (it expires "
				 "first), or short-pick if it is not there"),
			lot, task->lot, task->sku);
	if (expiry == NULL && lot != NULL && g_strcmp0(lot, task->lot) == 0 &&
	    task->expiry[0] != '\0')
		expiry = task->expiry;
	if (st_pick_workflow_expired(expiry))
		return st_pick_workflow_refuse(
			self, intent, "expired-lot", error,
			st_tr(L, "This %s expired on %s: do not pick it; put it aside for the "
				 "shift lead and take another"),
			task->sku, expiry);
	result = st_verdict_new_for_scan(intent->scan);
	result->ok = TRUE;
	result->order_number = g_strdup(task->order_number);
	result->sku = g_strdup(task->sku);
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL, "",
				  0, product->id, &result->scan_id, error))
		return NULL;
	/* a refusal the verdict quotes, in the operator's language */
	before = st_i18n_speak(L);
	picked = st_store_pick(self->store, task, product->quantity, lot, expiry, serial,
			       result->scan_id, st_intent_get_operator_badge(intent), &error_local);
	st_i18n_speak_end(before);
	if (!picked) {
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_INVALID_DATA) &&
		    !g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		g_clear_pointer(&tx, st_store_transaction_free);
		return st_pick_workflow_refuse(
			self, intent, "stock", error,
			st_tr(L, "%s: not counted, the stock at %s does not allow it (%s); "
				 "short-pick it, or ask the shift lead"),
			task->sku, task->location, error_local->message);
	}
	left -= product->quantity;
	if (left == 0 && self->list->mode != ST_PICK_MODE_CLUSTER) {
		/* one tote for the list: the units are in it as they are taken */
		StPickTask done = *task;
		done.picked = task->quantity - task->short_qty;
		if (!st_store_pick_into_tote(self->store, &done, result->scan_id, &order_picked,
					     &list_done, error))
			return NULL;
	}
	if (left == 0)
		said = g_strdup_printf(st_ntr(L, "%s counted: all %u taken here",
					      "%s counted: all %u taken here",
					      task->quantity - task->short_qty),
				       sku, task->quantity - task->short_qty);
	else if (product->quantity > 1)
		said = g_strdup_printf(st_ntr(L, "%u of %s counted (a pack of %u), %u more here",
					      "%u of %s counted (a pack of %u), %u more here",
					      left),
				       product->quantity, sku, product->quantity, left);
	else
		said = g_strdup_printf(
			st_ntr(L, "%s counted, %u more here", "%s counted, %u more here", left),
			sku, left);
	if (!st_pick_workflow_conclude(self, L, tx, result, said, TRUE, error))
		return NULL;
	return g_steal_pointer(&result);
}

/* the unit waits for what its barcode lacks: asked for by a scan */
static StVerdict *
st_pick_workflow_ask(StPickWorkflow *self,
		     StIntent *intent,
		     StProduct *product,
		     gboolean serial,
		     GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(StVerdict) result = NULL;
	g_autofree gchar *message = NULL;

	st_pick_workflow_clear_pending(self);
	self->pending = product;
	self->ask_serial = serial;
	self->pending_lot = g_strdup(intent->lot);
	self->pending_expiry = g_strdup(intent->expiry);
	st_pick_workflow_set_state(self, ST_PICK_STATE_ASK);
	message = g_strdup_printf(serial ? st_tr(L, "%s: not counted yet; scan its serial number")
					 : st_tr(L, "%s: not counted yet; scan its lot number"),
				  product->sku);
	result = st_pick_workflow_accept(self, intent, message, error);
	return g_steal_pointer(&result);
}

static StVerdict *
st_pick_workflow_scan_item(StPickWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	StPickTask *task = self->task;
	guint left = task->quantity - task->picked - task->short_qty;
	g_autoptr(StProduct) product = NULL;
	g_autofree gchar *display = NULL;

	for (guint i = 0; intent->forms != NULL && i < intent->forms->len; i++) {
		g_autoptr(GError) error_local = NULL;
		product = st_store_find_product_by_barcode(
			self->store, g_ptr_array_index(intent->forms, i), &error_local);
		if (product != NULL)
			break;
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
	}
	if (product == NULL) {
		g_autofree gchar *code = st_pick_workflow_location_of(self, intent, error);
		if (code != NULL)
			return st_pick_workflow_at_location(self, intent, code, error);
		if (error != NULL && *error != NULL)
			return NULL;
		display = st_scan_to_display(intent->scan);
		return st_pick_workflow_refuse(
			self, intent, "unknown-barcode", error,
			st_tr(L, "Unknown barcode %s: not a product or location of this "
				 "station; scan %s"),
			display, task->sku);
	}
	if (product->id != task->product_id)
		return st_pick_workflow_refuse(
			self, intent, "wrong-item", error,
			st_tr(L, "Wrong item: that is %s; here take %s (%s), put the other back"),
			product->sku, task->sku, task->name);
	if (product->quantity > left)
		return st_pick_workflow_refuse(
			self, intent, "over-pick", error,
			st_ntr(L,
			       "Not counted: that is a pack of %u and %u unit is wanted here; "
			       "take single units",
			       "Not counted: that is a pack of %u and %u units are wanted here; "
			       "take single units",
			       left),
			product->quantity, left);
	if (product->track_serial && product->quantity > 1)
		return st_pick_workflow_refuse(
			self, intent, "case-of-serials", error,
			st_tr(L, "Not counted: %s has a serial number on each unit; scan the units "
				 "one by one"),
			product->sku);
	if (task->track_lot && intent->lot == NULL)
		return st_pick_workflow_ask(self, intent, g_steal_pointer(&product), FALSE, error);
	if (product->track_serial && intent->serial == NULL)
		return st_pick_workflow_ask(self, intent, g_steal_pointer(&product), TRUE, error);
	return st_pick_workflow_take(self, intent, product, intent->lot, intent->expiry,
				     intent->serial, error);
}

/* ASK: the scan is the lot or serial number the unit's barcode lacked */
static StVerdict *
st_pick_workflow_scan_asked(StPickWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(StProduct) product = g_steal_pointer(&self->pending);
	g_autofree gchar *lot = g_steal_pointer(&self->pending_lot);
	g_autofree gchar *expiry = g_steal_pointer(&self->pending_expiry);
	gboolean serial = self->ask_serial;
	const gchar *value;
	StVerdict *result;

	st_pick_workflow_set_state(self, ST_PICK_STATE_WAIT_ITEM);
	if (intent->kind == ST_INTENT_UNREADABLE || intent->kind == ST_INTENT_ORDER ||
	    intent->kind == ST_INTENT_STATION_OTHER || intent->text == NULL ||
	    intent->text[0] == '\0') {
		g_autofree gchar *display = st_scan_to_display(intent->scan);
		return st_pick_workflow_refuse(
			self, intent, serial ? "not-a-serial" : "not-a-lot", error,
			serial ? st_tr(L, "%s is not a serial number: the unit is not counted; "
					  "scan the item again, then its serial number")
			       : st_tr(L, "%s is not a lot number: the unit is not counted; scan "
					  "the item again, then its lot number"),
			display);
	}
	/* a GS1 barcode carrying it, or the number as printed */
	if (serial)
		value = intent->serial != NULL ? intent->serial : intent->text;
	else
		value = intent->lot != NULL ? intent->lot : intent->text;
	if (strlen(value) > 64)
		return st_pick_workflow_refuse(
			self, intent, serial ? "not-a-serial" : "not-a-lot", error,
			st_tr(L, "That is too long for a lot or serial number (64 characters at "
				 "most): the unit is not counted; scan the item again"));
	if (!serial && expiry == NULL && intent->expiry != NULL)
		expiry = g_strdup(intent->expiry);
	if (!serial && product->track_serial) {
		/* the lot is known now; the serial is still to ask */
		self->pending = g_steal_pointer(&product);
		self->pending_lot = g_strdup(value);
		self->pending_expiry = g_steal_pointer(&expiry);
		self->ask_serial = TRUE;
		st_pick_workflow_set_state(self, ST_PICK_STATE_ASK);
		return st_pick_workflow_accept(
			self, intent, st_tr(L, "Lot noted; now scan the unit's serial number"),
			error);
	}
	result = st_pick_workflow_take(self, intent, product, serial ? lot : value, expiry,
				       serial ? value : NULL, error);
	return result;
}

static StVerdict *
st_pick_workflow_short(StPickWorkflow *self, StIntent *intent, const gchar *reason, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autofree gchar *said = NULL;
	StPickTask *task = self->task;
	guint missing;
	gboolean order_picked = FALSE, list_done = FALSE;

	if (task == NULL || self->state == ST_PICK_STATE_WAIT_PUT)
		return st_pick_workflow_refuse(
			self, intent, "nothing-to-short", error,
			self->state == ST_PICK_STATE_WAIT_PUT
				? st_tr(L,
					"Everything of this pick is taken: scan the tote it went "
					"into")
				: st_tr(L, "No pick is at hand: short-pick is for a location that "
					   "holds less than the list asks"));
	missing = task->quantity - task->picked - task->short_qty;
	result = st_verdict_new_for_scan(intent->scan);
	result->ok = TRUE;
	result->order_number = g_strdup(task->order_number);
	result->sku = g_strdup(task->sku);
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), reason,
				  "", 0, task->product_id, &result->scan_id, error) ||
	    !st_store_short_pick(self->store, task, reason, result->scan_id, &order_picked,
				 &list_done, error))
		return NULL;
	if (task->picked > 0 && self->list->mode != ST_PICK_MODE_CLUSTER) {
		StPickTask done = *task;
		done.short_qty = task->quantity - task->picked;
		if (!st_store_pick_into_tote(self->store, &done, result->scan_id, &order_picked,
					     &list_done, error))
			return NULL;
	}
	said = g_strdup_printf(
		st_ntr(L, "%u of %s short at %s (%s); the order system is told",
		       "%u of %s short at %s (%s); the order system is told", missing),
		missing, task->sku, task->location,
		g_strcmp0(reason, "damaged") == 0 ? st_tr(L, "damaged") : st_tr(L, "not found"));
	if (!st_pick_workflow_conclude(self, L, tx, result, said, FALSE, error))
		return NULL;
	g_message("pick: %u of SKU %s short for order %s (%s)", missing, result->sku,
		  result->order_number, reason);
	return g_steal_pointer(&result);
}

static StVerdict *
st_pick_workflow_skip(StPickWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_autofree gchar *said = NULL;

	if (self->task == NULL || self->state == ST_PICK_STATE_WAIT_PUT)
		return st_pick_workflow_refuse(self, intent, "nothing-to-skip", error,
					       st_tr(L, "No pick is at hand to skip"));
	if (self->task->picked > 0)
		return st_pick_workflow_refuse(
			self, intent, "pick-begun", error,
			st_tr(L, "Units of %s are taken already: take the rest, or short-pick "
				 "what is not there"),
			self->task->sku);
	if (st_pick_workflow_picks_left(self) < 2)
		return st_pick_workflow_refuse(
			self, intent, "last-pick", error,
			st_tr(L, "This is the last pick of the list: take it, or short-pick it"));
	result = st_verdict_new_for_scan(intent->scan);
	result->ok = TRUE;
	result->sku = g_strdup(self->task->sku);
	said = g_strdup_printf(st_tr(L, "%s at %s comes back at the end of the route"),
			       self->task->sku, self->task->location);
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL, "",
				  0, self->task->product_id, &result->scan_id, error) ||
	    !st_store_skip_pick(self->store, self->task, error) ||
	    !st_pick_workflow_reload(self, error))
		return NULL;
	result->message = st_pick_workflow_then(self, L, said);
	if (!st_store_set_scan_message(self->store, result->scan_id, result->message, error) ||
	    !st_store_transaction_commit(tx, error))
		return NULL;
	return g_steal_pointer(&result);
}

static StVerdict *
st_pick_workflow_undo(StPickWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	g_auto(StUndone) undone = {0};
	g_autofree gchar *said = NULL;
	g_autofree gchar *location = NULL;

	if (self->state == ST_PICK_STATE_ASK) {
		g_autofree gchar *message = NULL;
		st_pick_workflow_clear_pending(self);
		st_pick_workflow_set_state(self, ST_PICK_STATE_WAIT_ITEM);
		message = g_strdup_printf(st_tr(L, "Undone: the unit waiting for its number is "
						   "not counted; put it back at %s"),
					  self->task->location);
		return st_pick_workflow_accept(self, intent, message, error);
	}
	if (self->list == NULL)
		return st_pick_workflow_refuse(self, intent, "nothing-to-undo", error,
					       st_tr(L, "No pick list here: nothing to undo"));
	result = st_verdict_new_for_scan(intent->scan);
	result->ok = TRUE;
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	st_store_transaction_set_operator(tx, st_intent_get_operator_badge(intent));
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL, "",
				  0, 0, &result->scan_id, error))
		return NULL;
	if (!st_store_undo_pick(self->store, self->list->id, result->scan_id, &undone,
				&error_local)) {
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		g_clear_pointer(&tx, st_store_transaction_free);
		return st_pick_workflow_refuse(
			self, intent, "nothing-to-undo", error,
			st_tr(L, "Nothing is picked on list %s yet: nothing to undo"),
			self->list->code);
	}
	for (guint i = 0; i < self->tasks->len; i++) {
		const StPickTask *t = g_ptr_array_index(self->tasks, i);
		if (g_strcmp0(t->sku, undone.sku) == 0 && t->line_no == undone.line_no)
			location = g_strdup(t->location);
	}
	result->sku = g_strdup(undone.sku);
	said = g_strdup_printf(st_ntr(L, "Undone: %u of %s is out of the tote; put it back at %s",
				      "Undone: %u of %s are out of the tote; put them back at %s",
				      undone.quantity),
			       undone.quantity, undone.sku, location != NULL ? location : "?");
	g_clear_pointer(&self->at_location, g_free);
	self->at_location = g_strdup(location);
	if (!st_pick_workflow_reload(self, error))
		return NULL;
	result->message = st_pick_workflow_then(self, L, said);
	if (!st_store_set_scan_message(self->store, result->scan_id, result->message, error) ||
	    !st_store_transaction_commit(tx, error))
		return NULL;
	return g_steal_pointer(&result);
}

/* the cancel command: the picker leaves the list; what is picked stays in the totes and
 * another picker can go on with it */
static StVerdict *
st_pick_workflow_leave(StPickWorkflow *self, StIntent *intent, GError **error)
{
	const gchar *L = st_intent_get_language(intent);
	g_autoptr(StStoreTransaction) tx = NULL;
	g_autoptr(StVerdict) result = NULL;
	guint left = st_pick_workflow_picks_left(self);

	if (self->list == NULL)
		return st_pick_workflow_refuse(self, intent, "no-list", error,
					       st_tr(L, "No pick list here: nothing to cancel"));
	result = st_verdict_new_for_scan(intent->scan);
	result->ok = TRUE;
	result->message = g_strdup_printf(
		st_ntr(L,
		       "Pick list %s left with %u pick to go: what is in the totes stays there, "
		       "another picker can take the list on",
		       "Pick list %s left with %u picks to go: what is in the totes stays there, "
		       "another picker can take the list on",
		       left),
		self->list->code, left);
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	if (!st_store_record_scan(self->store, intent->scan, st_intent_get_origin(intent), NULL,
				  result->message, 0, 0, &result->scan_id, error) ||
	    !st_store_leave_pick_list(self->store, self->list->id, error) ||
	    !st_store_transaction_commit(tx, error))
		return NULL;
	g_message("pick list %s left with %u picks to go", self->list->code, left);
	st_pick_workflow_forget(self);
	return g_steal_pointer(&result);
}

static StVerdict *
st_pick_workflow_handle_command(StWorkflow *workflow, StIntent *intent, GError **error)
{
	StPickWorkflow *self = ST_PICK_WORKFLOW(workflow);
	const gchar *L = st_intent_get_language(intent);
	const gchar *key = intent->barcode->key;

	if (!intent->barcode->valid)
		return st_pick_workflow_refuse(
			self, intent, "unknown-command", error,
			st_tr(L, "Command barcode %s is not one this station knows (%s): use the "
				 "command sheet printed by this station"),
			intent->barcode->text, intent->barcode->reason);
	if (g_strcmp0(key, "undo") == 0)
		return st_pick_workflow_undo(self, intent, error);
	/* any other command leaves a unit waiting for its number uncounted */
	if (self->state == ST_PICK_STATE_ASK) {
		st_pick_workflow_clear_pending(self);
		st_pick_workflow_set_state(self, ST_PICK_STATE_WAIT_ITEM);
	}
	for (guint i = 0; i < G_N_ELEMENTS(short_reasons); i++) {
		if (g_strcmp0(key, short_reasons[i].command) == 0)
			return st_pick_workflow_short(self, intent, short_reasons[i].reason, error);
	}
	if (g_strcmp0(key, "skip") == 0)
		return st_pick_workflow_skip(self, intent, error);
	if (g_strcmp0(key, "cancel") == 0)
		return st_pick_workflow_leave(self, intent, error);
	if (g_strcmp0(key, "done") == 0) {
		if (self->list == NULL)
			return st_pick_workflow_refuse(self, intent, "no-list", error,
						       st_tr(L, "No pick list here: scan a pick "
								"list to start"));
		return st_pick_workflow_refuse(
			self, intent, "list-not-done", error,
			st_ntr(L,
			       "Pick list %s still has %u pick: take it, or short-pick what is "
			       "not there",
			       "Pick list %s still has %u picks: take them, or short-pick what is "
			       "not there",
			       st_pick_workflow_picks_left(self)),
			self->list->code, st_pick_workflow_picks_left(self));
	}
	{
		g_autofree gchar *next = st_pick_workflow_next_words(self, L);
		return st_pick_workflow_refuse(
			self, intent, "not-for-picking", error,
			st_tr(L, "The %s command is not used in picking: %s"), key, next);
	}
}

static StVerdict *
st_pick_workflow_handle_scan(StWorkflow *workflow, StIntent *intent, GError **error)
{
	StPickWorkflow *self = ST_PICK_WORKFLOW(workflow);
	const gchar *L = st_intent_get_language(intent);
	StBarcodeKind kind = intent->barcode != NULL ? intent->barcode->kind : ST_BARCODE_KIND_LAST;
	g_autofree gchar *next = NULL;

	if (intent->kind == ST_INTENT_UNREADABLE) {
		next = st_pick_workflow_next_words(self, L);
		return st_pick_workflow_refuse(
			self, intent, "unreadable", error,
			st_tr(L, "The scan holds binary data, not a barcode the station knows: %s"),
			next);
	}
	if (self->task != NULL) {
		/* the order of the pick at hand cancelled meanwhile (by the central system, a
		 * lead): its picks leave the route, and the picker hears it before anything else */
		g_autoptr(GError) error_order = NULL;
		g_autoptr(StOrder) order =
			st_store_find_order(self->store, self->task->order_number, &error_order);
		if (order != NULL && order->status == ST_ORDER_STATUS_CANCELLED) {
			g_autofree gchar *number = g_strdup(order->number);
			g_autofree gchar *tote = g_strdup(self->task->tote);
			g_autofree gchar *said = NULL;
			if (st_store_drop_picks_of_cancelled(self->store, number, error) < 0 ||
			    !st_pick_workflow_reload(self, error))
				return NULL;
			next = st_pick_workflow_next_words(self, L);
			said = tote != NULL
				       ? g_strdup_printf(
						 st_tr(L,
						       "Order %1$s was cancelled: its picks are "
						       "dropped; leave what you picked for it in "
						       "tote %2$s for the shift lead, then %3$s"),
						 number, tote, next)
				       : g_strdup_printf(st_tr(L, "Order %1$s was cancelled: its "
								  "picks are dropped; %2$s"),
							 number, next);
			return st_pick_workflow_refuse(self, intent, "order-cancelled", error, "%s",
						       said);
		}
	}
	if (intent->kind == ST_INTENT_COMMAND)
		return st_pick_workflow_handle_command(workflow, intent, error);
	if (self->state == ST_PICK_STATE_ASK && kind != ST_BARCODE_KIND_PICK_LIST)
		return st_pick_workflow_scan_asked(self, intent, error);
	if (kind == ST_BARCODE_KIND_PICK_LIST)
		return st_pick_workflow_scan_list(self, intent, error);
	if (intent->kind == ST_INTENT_ORDER && self->list == NULL)
		return st_pick_workflow_scan_order(self, intent, error);
	if (kind == ST_BARCODE_KIND_TOTE &&
	    (self->state == ST_PICK_STATE_WAIT_TOTE || self->state == ST_PICK_STATE_WAIT_PUT))
		return st_pick_workflow_scan_tote(self, intent, error);
	if (self->state == ST_PICK_STATE_WAIT_LOCATION || self->state == ST_PICK_STATE_WAIT_ITEM) {
		if (kind == ST_BARCODE_KIND_LOCATION ||
		    (self->state == ST_PICK_STATE_WAIT_LOCATION &&
		     intent->kind == ST_INTENT_ITEM)) {
			g_autofree gchar *code = st_pick_workflow_location_of(self, intent, error);
			if (code != NULL)
				return st_pick_workflow_at_location(self, intent, code, error);
			if (error != NULL && *error != NULL)
				return NULL;
			if (kind == ST_BARCODE_KIND_LOCATION)
				return st_pick_workflow_refuse(
					self, intent, "unknown-location", error,
					st_tr(L, "Location %s is not on this station: go to %s"),
					intent->barcode->text, self->task->location);
			return st_pick_workflow_refuse(
				self, intent, "location-first", error,
				st_tr(L, "Scan the location first: go to %s and scan its label, "
					 "then take %s"),
				self->task->location, self->task->sku);
		}
		if (self->state == ST_PICK_STATE_WAIT_ITEM && (intent->kind == ST_INTENT_ITEM))
			return st_pick_workflow_scan_item(self, intent, error);
		if (intent->kind == ST_INTENT_INVALID_PRODUCT)
			return st_pick_workflow_refuse(
				self, intent, "invalid-barcode", error,
				st_tr(L,
				      "Misread barcode %s (%s): scan it again, or type the number "
				      "under it"),
				intent->barcode->text, intent->barcode->reason);
	}
	next = st_pick_workflow_next_words(self, L);
	return st_pick_workflow_refuse(self, intent, "not-now", error, st_tr(L, "Not now: %s"),
				       next);
}

static gchar *
st_pick_workflow_next_words(StPickWorkflow *self, const gchar *L)
{
	const StPickTask *t = self->task;
	switch (self->state) {
	case ST_PICK_STATE_WAIT_TOTE:
		if (self->list->mode == ST_PICK_MODE_CLUSTER)
			return g_strdup_printf(
				st_tr(L, "scan an empty tote for order %s (%u of %u)"),
				self->tote_order, self->tote_slot, self->list->orders);
		return g_strdup_printf(st_tr(L, "scan an empty tote for pick list %s"),
				       self->list->code);
	case ST_PICK_STATE_WAIT_LOCATION:
		return g_strdup_printf(st_tr(L, "go to %s and scan the location"), t->location);
	case ST_PICK_STATE_WAIT_ITEM: {
		guint left = t->quantity - t->picked - t->short_qty;
		if (t->lot[0] != '\0')
			return g_strdup_printf(st_ntr(L, "take %u of %s (%s), lot %s, at %s",
						      "take %u of %s (%s), lot %s, at %s", left),
					       left, t->sku, t->name, t->lot, t->location);
		return g_strdup_printf(
			st_ntr(L, "take %u of %s (%s) at %s", "take %u of %s (%s) at %s", left),
			left, t->sku, t->name, t->location);
	}
	case ST_PICK_STATE_ASK:
		return g_strdup_printf(self->ask_serial ? st_tr(L, "scan the serial number of %s")
							: st_tr(L, "scan the lot number of %s"),
				       t->sku);
	case ST_PICK_STATE_WAIT_PUT:
		return g_strdup_printf(st_tr(L, "put %s in tote %s (order %s) and scan the tote"),
				       t->sku, t->tote, t->order_number);
	case ST_PICK_STATE_WAIT_LIST:
	case ST_PICK_STATE_LAST:
	default:
		break;
	}
	return g_strdup(st_tr(L, "scan a pick list"));
}

static const gchar *
st_pick_workflow_get_name(StWorkflow *workflow)
{
	return "pick";
}

static const gchar *
st_pick_workflow_get_state_name(StWorkflow *workflow)
{
	return st_pick_state_to_string(ST_PICK_WORKFLOW(workflow)->state);
}

static gchar *
st_pick_workflow_get_prompt(StWorkflow *workflow, const gchar *L)
{
	return st_pick_workflow_next_words(ST_PICK_WORKFLOW(workflow), L);
}

/* StWorkflow.restore: the list picked at @seat, where its picks are */
static gchar *
st_pick_workflow_restore(StWorkflow *workflow, const gchar *seat, GError **error)
{
	StPickWorkflow *self = ST_PICK_WORKFLOW(workflow);
	g_autoptr(GError) error_local = NULL;
	StPickList *list = st_store_get_seat_pick_list(self->store, seat, &error_local);

	if (list == NULL) {
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND))
			g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	self->list = list;
	if (!st_pick_workflow_reload(self, error))
		return NULL;
	if (self->list == NULL)
		return NULL;
	return g_strdup_printf("pick list %s resumed, %u pick%s to go (%s)", self->list->code,
			       st_pick_workflow_picks_left(self),
			       st_pick_workflow_picks_left(self) == 1 ? "" : "s",
			       st_pick_state_to_string(self->state));
}

static void
st_pick_workflow_iface_init(StWorkflowInterface *iface)
{
	iface->restore = st_pick_workflow_restore;
	iface->get_prompt = st_pick_workflow_get_prompt;
	iface->get_name = st_pick_workflow_get_name;
	iface->get_state_name = st_pick_workflow_get_state_name;
	iface->handle_scan = st_pick_workflow_handle_scan;
	iface->handle_command = st_pick_workflow_handle_command;
}

static void
st_pick_workflow_finalize(GObject *object)
{
	StPickWorkflow *self = ST_PICK_WORKFLOW(object);
	st_pick_workflow_clear_pending(self);
	if (self->tasks != NULL)
		g_ptr_array_unref(self->tasks);
	st_pick_list_free(self->list);
	g_free(self->tote_order);
	g_free(self->at_location);
	st_barcode_patterns_unref(self->patterns);
	g_object_unref(self->store);
	G_OBJECT_CLASS(st_pick_workflow_parent_class)->finalize(object);
}

static void
st_pick_workflow_init(StPickWorkflow *self)
{
	self->state = ST_PICK_STATE_WAIT_LIST;
}

static void
st_pick_workflow_class_init(StPickWorkflowClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = st_pick_workflow_finalize;
}

/**
 * st_pick_workflow_new:
 * @store: the store, which it references
 * @patterns: (nullable): the station's own barcodes; NULL for the defaults
 *
 * Returns: (transfer full): a workflow in wait-list
 */
StPickWorkflow *
st_pick_workflow_new(StStore *store, StBarcodePatterns *patterns)
{
	StPickWorkflow *self = g_object_new(ST_TYPE_PICK_WORKFLOW, NULL);
	self->store = g_object_ref(store);
	self->patterns =
		patterns != NULL ? st_barcode_patterns_ref(patterns) : st_barcode_patterns_new();
	return self;
}
