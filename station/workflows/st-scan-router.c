/*
 * StScanRouter. Scans are made at seats: the bench, or a device configured with a workflow of
 * its own. Each seat has its own workflow (made from the table below; adding a workflow is
 * one row and one file) and its own operator, and is resumed from the store when it is made:
 * who is logged in there, and what its workflow was doing at the last scan (so a restart
 * after a crash goes on where the last answered scan left it). ::verdict (StVerdict) is
 * emitted after each scan's answer is committed.
 *
 * Who is working: once the store has operators, each seat (the bench, or a device that runs
 * a workflow of its own, such as a picker's handheld) starts logged out, and every scan but
 * a badge is refused with "scan your badge". A badge logs its operator in (another badge
 * changes the operator); the logout command, or no scan for the idle time, logs out. The
 * router handles these itself, records them as scans, and hands the other scans to the
 * workflow with the operator in the intent. A station without operators takes scans without
 * a badge, as before there were any.
 */
#define G_LOG_DOMAIN "station-workflow"

#include "station/st-error.h"

#include "st-i18n.h"
#include "st-pack-workflow.h"
#include "st-pick-workflow.h"
#include "st-ship-workflow.h"
#include "st-scan-router.h"

/* where scans are made: the bench, or a device with a workflow of its own; each seat has
 * its own workflow (its own state machine, its own open order) and its own operator */
typedef struct {
	gchar *name;
	StWorkflow *workflow;
	StOperator *who; /* (nullable): logged in here */
	gint64 last_us;	 /* the router's clock at the last scan */
} StSeat;

static void
st_seat_free(StSeat *self)
{
	g_free(self->name);
	g_clear_object(&self->workflow);
	st_operator_free(self->who);
	g_free(self);
}

struct _StScanRouter {
	GObject parent_instance;
	StStore *store;
	StBarcodePatterns *patterns;
	gchar *bench_workflow;	     /* the workflow of the bench seat */
	GHashTable *device_workflow; /* device id -> the workflow of its own seat */
	GHashTable *seats;	     /* name -> StSeat, made at their first scan */
	guint idle_logout_s;	     /* 0: never */
	gchar *language;	     /* (nullable): [bench] language: for nobody logged in */
	StPackSettings pack;	     /* for the pack workflows it makes */
	gchar *pack_location;	     /* pack.location, owned */
	GHashTable *scales;	     /* device id of each scale attached -> its seat name */
	gint has_operators;	     /* -1 unknown, 0, 1: asked again after a few seconds */
	gint64 operators_asked_us;
	StScanRouterClockFunc clock; /* monotonic microseconds */
};

G_DEFINE_TYPE(StScanRouter, st_scan_router, G_TYPE_OBJECT)

enum { SIGNAL_VERDICT, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

static StWorkflow *
st_scan_router_new_pack(StScanRouter *self)
{
	StPackWorkflow *pack = st_pack_workflow_new(self->store, self->patterns);
	st_pack_workflow_set_settings(pack, &self->pack);
	return ST_WORKFLOW(pack);
}

static StWorkflow *
st_scan_router_new_pick(StScanRouter *self)
{
	return ST_WORKFLOW(st_pick_workflow_new(self->store, self->patterns));
}

static StWorkflow *
st_scan_router_new_ship(StScanRouter *self)
{
	return ST_WORKFLOW(st_ship_workflow_new(self->store, self->patterns));
}

/* the workflows of this build: adding one is a row here and a file */
static const struct {
	const gchar *name;
	StWorkflow *(*create)(StScanRouter *self);
} workflow_kinds[] = {
	{"pack", st_scan_router_new_pack}, /* the first is the default */
	{"pick", st_scan_router_new_pick},
	{"ship", st_scan_router_new_ship},
};

static gboolean
st_scan_router_check_kind(const gchar *name, GError **error)
{
	g_autoptr(GString) known = g_string_new(NULL);
	for (guint i = 0; i < G_N_ELEMENTS(workflow_kinds); i++) {
		if (g_strcmp0(workflow_kinds[i].name, name) == 0)
			return TRUE;
		g_string_append_printf(known, "%s%s", known->len > 0 ? ", " : "",
				       workflow_kinds[i].name);
	}
	g_set_error(error, ST_WORKFLOW_ERROR, ST_ERROR_INVALID_CONFIG,
		    "no workflow called '%s' (this build has: %s)", name, known->str);
	return FALSE;
}

static StWorkflow *
st_scan_router_create_workflow(StScanRouter *self, const gchar *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(workflow_kinds); i++) {
		if (g_strcmp0(workflow_kinds[i].name, name) == 0)
			return workflow_kinds[i].create(self);
	}
	g_return_val_if_reached(NULL);
}

/* Returns: FALSE with ST_ERROR_INVALID_CONFIG when there is no such workflow */
gboolean
st_scan_router_set_bench_workflow(StScanRouter *self, const gchar *name, GError **error)
{
	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), FALSE);
	if (!st_scan_router_check_kind(name, error))
		return FALSE;
	g_free(self->bench_workflow);
	g_free(self->pack_location);
	self->bench_workflow = g_strdup(name);
	g_hash_table_remove(self->seats, "bench"); /* made again with it at the next scan */
	return TRUE;
}

/* a device that runs another workflow than the bench (a handheld picking beside a packing
 * bench), at a seat of its own; Returns: FALSE with ST_ERROR_INVALID_CONFIG when there is
 * no such workflow */
gboolean
st_scan_router_set_device_workflow(StScanRouter *self,
				   const gchar *device_id,
				   const gchar *name,
				   GError **error)
{
	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), FALSE);
	if (!st_scan_router_check_kind(name, error))
		return FALSE;
	g_hash_table_insert(self->device_workflow, g_strdup(device_id), g_strdup(name));
	g_hash_table_remove(self->seats, device_id);
	return TRUE;
}

/**
 * st_scan_router_get_seat_name:
 *
 * Returns: (transfer none): the seat @device_id's scans are made at: its own when it runs its
 * own workflow, else "bench"
 */
const gchar *
st_scan_router_get_seat_name(StScanRouter *self, const gchar *device_id)
{
	return g_hash_table_contains(self->device_workflow, device_id) ? device_id : "bench";
}

/* Returns: (transfer none): @device_id's seat, made (and resumed from the store: who is
 * logged in there, the workflow's state) at its first use; NULL with an error when the
 * store could not be read */
static StSeat *
st_scan_router_seat(StScanRouter *self, const gchar *device_id, GError **error)
{
	const gchar *name = st_scan_router_get_seat_name(self, device_id);
	StSeat *seat = g_hash_table_lookup(self->seats, name);
	const gchar *kind;
	g_autoptr(GHashTable) logged_in = NULL;
	g_autofree gchar *resumed = NULL;
	const gchar *badge;

	if (seat != NULL)
		return seat;
	kind = g_hash_table_lookup(self->device_workflow, device_id);
	logged_in = st_store_get_seats(self->store, error);
	if (logged_in == NULL)
		return NULL;
	seat = g_new0(StSeat, 1);
	seat->name = g_strdup(name);
	seat->workflow =
		st_scan_router_create_workflow(self, kind != NULL ? kind : self->bench_workflow);
	seat->last_us = self->clock();
	badge = g_hash_table_lookup(logged_in, name);
	if (badge != NULL) {
		g_autoptr(GError) error_local = NULL;
		seat->who = st_store_find_operator(self->store, badge, &error_local);
		if (seat->who == NULL)
			g_message("%s: badge %s was logged in, but is no operator now: %s", name,
				  badge, error_local->message);
	}
	{
		/* the scales already attached at this seat */
		GHashTableIter iter;
		gpointer scale_seat;
		g_hash_table_iter_init(&iter, self->scales);
		while (g_hash_table_iter_next(&iter, NULL, &scale_seat))
			if (g_strcmp0(scale_seat, name) == 0)
				st_workflow_scale_changed(seat->workflow, TRUE);
	}
	resumed = st_workflow_restore(seat->workflow, name, error);
	if (resumed == NULL && error != NULL && *error != NULL) {
		st_seat_free(seat);
		return NULL;
	}
	if (seat->who != NULL || resumed != NULL)
		g_message("%s: resumed%s%s%s%s", name, seat->who != NULL ? " with " : "",
			  seat->who != NULL ? seat->who->name : "", resumed != NULL ? ", " : "",
			  resumed != NULL ? resumed : "");
	g_hash_table_insert(self->seats, seat->name, seat);
	return seat;
}

/**
 * st_scan_router_set_pack_settings:
 *
 * How the pack workflows weigh ([pack]); for the seats made from now on.
 */
void
st_scan_router_set_pack_settings(StScanRouter *self, const StPackSettings *settings)
{
	g_return_if_fail(ST_IS_SCAN_ROUTER(self));
	self->pack = *settings;
	g_free(self->pack_location);
	self->pack_location = g_strdup(settings->location);
	self->pack.location = self->pack_location;
}

/**
 * st_scan_router_set_scale:
 * @present: TRUE when the scale @device_id was attached, FALSE when it went away
 *
 * Tells the workflow of the scale's seat, which weighs parcels only while it has a scale
 * (with [pack] weigh = auto).
 */
void
st_scan_router_set_scale(StScanRouter *self, const gchar *device_id, gboolean present)
{
	const gchar *name;
	StSeat *seat;

	g_return_if_fail(ST_IS_SCAN_ROUTER(self));
	name = st_scan_router_get_seat_name(self, device_id);
	if (present)
		g_hash_table_insert(self->scales, g_strdup(device_id), g_strdup(name));
	else
		g_hash_table_remove(self->scales, device_id);
	seat = g_hash_table_lookup(self->seats, name);
	if (seat != NULL)
		st_workflow_scale_changed(seat->workflow,
					  present || g_hash_table_size(self->scales) > 0);
}

/**
 * st_scan_router_restore:
 *
 * Makes the bench's seat and those of the devices with a workflow of their own, each
 * resumed where the last scan there left it (who is logged in, the open order), and says so
 * in the log. `station serve` calls it at start; seats are otherwise made at their first scan.
 *
 * Returns: FALSE with an error when the store could not be read
 */
gboolean
st_scan_router_restore(StScanRouter *self, GError **error)
{
	GHashTableIter iter;
	gpointer key;

	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), FALSE);
	if (st_scan_router_seat(self, "bench", error) == NULL)
		return FALSE;
	g_hash_table_iter_init(&iter, self->device_workflow);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		if (st_scan_router_seat(self, key, error) == NULL)
			return FALSE;
	}
	return TRUE;
}

/* Returns: (transfer none) (nullable): the workflow of @device_id's seat */
StWorkflow *
st_scan_router_get_seat_workflow(StScanRouter *self, const gchar *device_id)
{
	g_autoptr(GError) error = NULL;
	StSeat *seat;

	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), NULL);
	seat = st_scan_router_seat(self, device_id, &error);
	if (seat == NULL) {
		g_warning("%s", error->message);
		return NULL;
	}
	return seat->workflow;
}

/**
 * st_scan_router_set_language:
 * @language: (nullable): "en" or "zh-CN": what the workflows say when nobody is logged in
 *   (a station without operators), and the first of the languages a seat where nobody is
 *   logged in answers in; NULL for English
 */
void
st_scan_router_set_language(StScanRouter *self, const gchar *language)
{
	g_return_if_fail(ST_IS_SCAN_ROUTER(self));
	g_free(self->language);
	self->language = g_strcmp0(language, "en") == 0 ? NULL : g_strdup(language);
}

/**
 * st_scan_router_set_idle_logout:
 * @seconds: log an operator out after this long without a scan; 0 never
 */
/* for tests: the clock the idle time is measured with (NULL: the monotonic clock) */
void
st_scan_router_set_clock(StScanRouter *self, StScanRouterClockFunc clock)
{
	g_return_if_fail(ST_IS_SCAN_ROUTER(self));
	self->clock = clock != NULL ? clock : g_get_monotonic_time;
}

void
st_scan_router_set_idle_logout(StScanRouter *self, guint seconds)
{
	g_return_if_fail(ST_IS_SCAN_ROUTER(self));
	self->idle_logout_s = seconds;
}

/* Returns: (transfer none) (nullable): who is logged in at @device_id's seat */
const StOperator *
st_scan_router_get_operator(StScanRouter *self, const gchar *device_id)
{
	g_autoptr(GError) error = NULL;
	StSeat *seat;

	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), NULL);
	seat = st_scan_router_seat(self, device_id, &error);
	if (seat == NULL) {
		g_warning("%s", error->message);
		return NULL;
	}
	return seat->who;
}

/**
 * st_scan_router_set_seat_language:
 * @language: "en" or "zh-CN"
 *
 * The operator logged in at the seat of @device_id reads @language from now on (switched on
 * the seat's screen), until they log out; their stored language is unchanged.
 *
 * Returns: FALSE when nobody is logged in at the seat
 */
gboolean
st_scan_router_set_seat_language(StScanRouter *self, const gchar *device_id, const gchar *language)
{
	g_autoptr(GError) error = NULL;
	StSeat *seat;

	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), FALSE);
	seat = st_scan_router_seat(self, device_id, &error);
	if (seat == NULL || seat->who == NULL)
		return FALSE;
	g_free(seat->who->language);
	seat->who->language = g_strdup(language);
	g_info("%s: %s reads %s from now on", seat->name, seat->who->name, language);
	return TRUE;
}

/* a sentence for whoever stands at a seat where nobody is logged in: in English and in every
 * other language the station speaks, since the station does not know yet who reads it */
static gchar *
st_scan_router_say_to_anyone(const gchar *first, const gchar *msgid, ...) G_GNUC_PRINTF(2, 3);

/* @first: (nullable): the bench's language ([bench] language), said first */
static gchar *
st_scan_router_say_to_anyone(const gchar *first, const gchar *msgid, ...)
{
	const gchar *const *languages = st_i18n_get_languages();
	g_autoptr(GPtrArray) order = g_ptr_array_new();
	guint n;
	GString *str = g_string_new(NULL);
	va_list args;

	g_ptr_array_add(order, (gpointer)(first != NULL ? first : "en"));
	for (guint i = 0; languages[i] != NULL; i++) {
		if (g_strcmp0(languages[i], order->pdata[0]) != 0)
			g_ptr_array_add(order, (gpointer)languages[i]);
	}
	n = order->len;
	for (guint i = 0; i < n; i++) {
		const gchar *lang = order->pdata[i];
		const gchar *fmt = g_strcmp0(lang, "en") == 0 ? msgid : st_tr(lang, msgid);
		if (i > 0 && fmt == msgid && g_strcmp0(lang, "en") != 0)
			continue; /* no translation here */
		if (str->len > 0)
			g_string_append(str, " / ");
		va_start(args, msgid);
		g_string_append_vprintf(str, fmt, args);
		va_end(args);
	}
	return g_string_free(str, FALSE);
}

/* records a scan the router answers itself (a login, a logout, a scan before any badge),
 * and who is at the seat now when @change_operator, in one transaction */
static StVerdict *
st_scan_router_answer(StScanRouter *self,
		      StIntent *intent,
		      StSeat *seat,
		      const gchar *operator_badge,
		      gboolean change_operator,
		      const gchar *new_badge,
		      const gchar *reason,
		      gchar *message,
		      GError **error)
{
	g_autoptr(StVerdict) verdict = st_verdict_new_for_scan(intent->scan);
	g_autoptr(StStoreTransaction) tx = NULL;
	StScanOrigin origin = {seat->name, operator_badge};

	verdict->ok = reason == NULL;
	verdict->reason = g_strdup(reason);
	verdict->message = message;
	tx = st_store_transaction_begin(self->store, error);
	if (tx == NULL)
		return NULL;
	if (!st_store_record_scan(self->store, intent->scan, &origin, reason, verdict->message, 0,
				  0, &verdict->scan_id, error))
		return NULL;
	if (change_operator &&
	    !st_store_set_seat_operator(self->store, seat->name, new_badge, error))
		return NULL;
	if (!st_store_transaction_commit(tx, error))
		return NULL;
	return g_steal_pointer(&verdict);
}

/* a badge: log its operator in at the seat (instead of whoever was) */
static StVerdict *
st_scan_router_login(StScanRouter *self, StIntent *intent, StSeat *seat, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StOperator) op =
		st_store_find_operator(self->store, intent->barcode->key, &error_local);
	g_autofree gchar *prompt = NULL;
	StVerdict *verdict;

	if (op == NULL) {
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		return st_scan_router_answer(
			self, intent, seat, NULL, FALSE, NULL, "unknown-badge",
			st_scan_router_say_to_anyone(self->language,
						     N_("Badge %s is not known at this station: "
							"ask the shift lead to add you (station "
							"import operators)"),
						     intent->barcode->key),
			error);
	}
	prompt = st_workflow_get_prompt(seat->workflow, op->language);
	verdict = st_scan_router_answer(
		self, intent, seat, op->badge, TRUE, op->badge, NULL,
		g_strdup_printf(st_tr(op->language, "Logged in: %s. Now %s"), op->name, prompt),
		error);
	if (verdict == NULL)
		return NULL;
	if (seat->who != NULL && g_strcmp0(seat->who->badge, op->badge) != 0)
		g_message("%s: %s logged out, %s logged in", seat->name, seat->who->name, op->name);
	else if (seat->who == NULL)
		g_message("%s: %s logged in", seat->name, op->name);
	st_operator_free(seat->who);
	seat->who = g_steal_pointer(&op);
	seat->last_us = self->clock();
	return verdict;
}

static StVerdict *
st_scan_router_logout(StScanRouter *self, StIntent *intent, StSeat *seat, GError **error)
{
	StVerdict *verdict;

	if (seat->who == NULL)
		return st_scan_router_answer(
			self, intent, seat, NULL, FALSE, NULL, "not-logged-in",
			st_scan_router_say_to_anyone(
				self->language,
				N_("Nobody is logged in here: scan your badge to start")),
			error);
	verdict = st_scan_router_answer(
		self, intent, seat, seat->who->badge, TRUE, NULL, NULL,
		st_scan_router_say_to_anyone(
			self->language, N_("Logged out: %s. The next person scans their badge"),
			seat->who->name),
		error);
	if (verdict == NULL)
		return NULL;
	g_message("%s: %s logged out", seat->name, seat->who->name);
	g_clear_pointer(&seat->who, st_operator_free);
	return verdict;
}

/* whether benches need a badge: the store is asked again after a few seconds, so operators
 * imported while the station runs count at once, without a query for every scan */
static gint
st_scan_router_has_operators(StScanRouter *self, GError **error)
{
	gint64 now = g_get_monotonic_time();
	if (self->has_operators < 0 || now - self->operators_asked_us > 5 * G_USEC_PER_SEC) {
		self->has_operators = st_store_has_operators(self->store, error);
		self->operators_asked_us = now;
	}
	return self->has_operators;
}

/* logs out whoever is at @seat when the idle time has passed; Returns: TRUE when it did */
static gboolean
st_scan_router_idle(StScanRouter *self, StSeat *seat)
{
	g_autoptr(GError) error = NULL;

	if (seat->who == NULL || self->idle_logout_s == 0 ||
	    self->clock() - seat->last_us < (gint64)self->idle_logout_s * G_USEC_PER_SEC)
		return FALSE;
	g_message("%s: %s logged out after %u s without a scan", seat->name, seat->who->name,
		  self->idle_logout_s);
	if (!st_store_set_seat_operator(self->store, seat->name, NULL, &error))
		g_warning("%s: %s", seat->name, error->message);
	g_clear_pointer(&seat->who, st_operator_free);
	return TRUE;
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
	StSeat *seat;
	gboolean idle;

	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), NULL);
	seat = st_scan_router_seat(self, st_scan_get_device_id(scan), error);
	if (seat == NULL) {
		g_prefix_error(error, "scan from %s not recorded, scan again: ",
			       st_scan_get_device_id(scan));
		return NULL;
	}
	intent = st_intent_new(scan, self->patterns);
	intent->origin.seat = seat->name;
	intent->bench_language = self->language;
	idle = st_scan_router_idle(self, seat);
	if (intent->barcode != NULL && intent->barcode->valid &&
	    intent->barcode->kind == ST_BARCODE_KIND_BADGE && seat->who != NULL &&
	    st_workflow_wants_badge(seat->workflow)) {
		/* a badge the workflow asked for (a lead letting a refused parcel go): not a
		 * login; whose badge it is goes with it */
		g_autoptr(GError) error_local = NULL;
		intent->badge =
			st_store_find_operator(self->store, intent->barcode->key, &error_local);
		if (intent->badge == NULL &&
		    !g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			verdict = NULL;
		} else {
			seat->last_us = self->clock();
			intent->who = st_operator_copy(seat->who);
			intent->origin.operator_badge = intent->who->badge;
			verdict = st_workflow_handle_intent(seat->workflow, intent, error);
		}
	} else if (intent->barcode != NULL && intent->barcode->valid &&
		   intent->barcode->kind == ST_BARCODE_KIND_BADGE) {
		verdict = st_scan_router_login(self, intent, seat, error);
	} else if (intent->kind == ST_INTENT_COMMAND && intent->barcode != NULL &&
		   intent->barcode->valid && g_strcmp0(intent->barcode->key, "logout") == 0) {
		verdict = st_scan_router_logout(self, intent, seat, error);
	} else if (seat->who == NULL) {
		gint has = st_scan_router_has_operators(self, error);
		if (has < 0)
			verdict = NULL;
		else if (has > 0)
			verdict = st_scan_router_answer(
				self, intent, seat, NULL, FALSE, NULL, "scan-badge",
				idle ? st_scan_router_say_to_anyone(
					       self->language,
					       N_("Logged out after a while without a scan. "
						  "Scan your badge first: this bench needs to "
						  "know who is working"))
				     : st_scan_router_say_to_anyone(
					       self->language,
					       N_("Scan your badge first: this bench needs to "
						  "know who is working")),
				error);
		else
			verdict = st_workflow_handle_intent(seat->workflow, intent, error);
	} else {
		seat->last_us = self->clock();
		intent->who = st_operator_copy(seat->who);
		intent->origin.operator_badge = intent->who->badge;
		verdict = st_workflow_handle_intent(seat->workflow, intent, error);
	}
	if (verdict == NULL) {
		g_prefix_error(error, "scan from %s not recorded, scan again: ",
			       st_scan_get_device_id(scan));
		return NULL;
	}
	st_scan_router_log(self, seat->workflow, verdict);
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
	StSeat *seat;
	g_autoptr(StVerdict) verdict = NULL;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), FALSE);
	seat = st_scan_router_seat(self, device_id, error);
	if (seat == NULL)
		return FALSE;
	verdict = st_workflow_handle_weight(seat->workflow, device_id, weight, &error_local);
	if (verdict == NULL) {
		if (error_local == NULL)
			return TRUE; /* nothing to decide */
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	st_scan_router_log(self, seat->workflow, verdict);
	g_signal_emit(self, signals[SIGNAL_VERDICT], 0, verdict);
	return TRUE;
}

static void
st_scan_router_finalize(GObject *object)
{
	StScanRouter *self = ST_SCAN_ROUTER(object);
	g_hash_table_unref(self->seats);
	g_hash_table_unref(self->scales);
	g_hash_table_unref(self->device_workflow);
	g_free(self->bench_workflow);
	g_free(self->pack_location);
	g_free(self->language);
	st_barcode_patterns_unref(self->patterns);
	g_object_unref(self->store);
	G_OBJECT_CLASS(st_scan_router_parent_class)->finalize(object);
}

static void
st_scan_router_init(StScanRouter *self)
{
	self->device_workflow = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->seats =
		g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)st_seat_free);
	self->bench_workflow = g_strdup(workflow_kinds[0].name);
	self->scales = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->has_operators = -1;
	st_pack_settings_init(&self->pack);
	self->clock = g_get_monotonic_time;
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
 * Returns: (transfer full): a router with the bench on the first workflow of this build
 * (pack); seats are made at their first scan, or by st_scan_router_restore()
 */
StScanRouter *
st_scan_router_new(StStore *store, StBarcodePatterns *patterns)
{
	StScanRouter *self = g_object_new(ST_TYPE_SCAN_ROUTER, NULL);
	self->store = g_object_ref(store);
	self->patterns =
		patterns != NULL ? st_barcode_patterns_ref(patterns) : st_barcode_patterns_new();
	return self;
}
