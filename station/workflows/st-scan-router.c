/*
 * StScanRouter. The workflows a bench can run are made here, one of each (pack today), from
 * the table below; adding a workflow is one row and one file. ::verdict (StVerdict) is
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
#include "st-scan-router.h"

/* who is logged in at a seat */
typedef struct {
	StOperator *who;
	gint64 last_us; /* monotonic time of the last scan */
} StSession;

static void
st_session_free(StSession *self)
{
	st_operator_free(self->who);
	g_free(self);
}

struct _StScanRouter {
	GObject parent_instance;
	StStore *store;
	StBarcodePatterns *patterns;
	GHashTable *sessions;	     /* seat -> StSession */
	guint idle_logout_s;	     /* 0: never */
	StScanRouterClockFunc clock; /* monotonic microseconds */
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

/* the seat a device's scans are made at: its own when it runs its own workflow */
static const gchar *
st_scan_router_seat_for(StScanRouter *self, const gchar *device_id)
{
	return g_hash_table_contains(self->device_workflow, device_id) ? device_id : "bench";
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
	StSession *session;

	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), NULL);
	session = g_hash_table_lookup(self->sessions, st_scan_router_seat_for(self, device_id));
	return session != NULL ? session->who : NULL;
}

/* a sentence for whoever stands at a seat where nobody is logged in: in English and in every
 * other language the station speaks, since the station does not know yet who reads it */
static gchar *
st_scan_router_say_to_anyone(const gchar *msgid, ...) G_GNUC_PRINTF(1, 2);

static gchar *
st_scan_router_say_to_anyone(const gchar *msgid, ...)
{
	static const gchar *const others[] = {"zh-CN"};
	GString *str = g_string_new(NULL);
	va_list args;

	va_start(args, msgid);
	g_string_append_vprintf(str, msgid, args);
	va_end(args);
	for (guint i = 0; i < G_N_ELEMENTS(others); i++) {
		const gchar *fmt = st_tr(others[i], msgid);
		if (fmt == msgid)
			continue; /* no translation here */
		g_string_append(str, " / ");
		va_start(args, msgid);
		g_string_append_vprintf(str, fmt, args);
		va_end(args);
	}
	return g_string_free(str, FALSE);
}

/* records a scan the router answers itself (a login, a logout, a scan before any badge) */
static StVerdict *
st_scan_router_answer(StScanRouter *self,
		      StIntent *intent,
		      const gchar *operator_badge,
		      const gchar *reason,
		      gchar *message,
		      GError **error)
{
	g_autofree gchar *display = st_scan_to_display(intent->scan);
	g_autoptr(StVerdict) verdict = st_verdict_new(st_scan_get_device_id(intent->scan), display);

	verdict->ok = reason == NULL;
	verdict->reason = g_strdup(reason);
	verdict->message = message;
	if (!st_store_record_scan(self->store, intent->scan, operator_badge, reason,
				  verdict->message, 0, 0, &verdict->scan_id, error))
		return NULL;
	return g_steal_pointer(&verdict);
}

/* a badge: log its operator in at the seat (instead of whoever was) */
static StVerdict *
st_scan_router_login(StScanRouter *self,
		     StIntent *intent,
		     StWorkflow *workflow,
		     const gchar *seat,
		     GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(StOperator) op =
		st_store_find_operator(self->store, intent->barcode->key, &error_local);
	g_autofree gchar *prompt = NULL;
	StVerdict *verdict;
	StSession *session;

	if (op == NULL) {
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		return st_scan_router_answer(
			self, intent, NULL, "unknown-badge",
			st_scan_router_say_to_anyone(N_("Badge %s is not known at this station: "
							"ask the shift lead to add you (station "
							"import operators)"),
						     intent->barcode->key),
			error);
	}
	prompt = st_workflow_get_prompt(workflow, op->language);
	verdict = st_scan_router_answer(
		self, intent, op->badge, NULL,
		g_strdup_printf(st_tr(op->language, "Logged in: %s. Now %s"), op->name, prompt),
		error);
	if (verdict == NULL)
		return NULL;
	session = g_hash_table_lookup(self->sessions, seat);
	if (session != NULL && g_strcmp0(session->who->badge, op->badge) != 0)
		g_message("%s: %s logged out, %s logged in", seat, session->who->name, op->name);
	else if (session == NULL)
		g_message("%s: %s logged in", seat, op->name);
	session = g_new0(StSession, 1);
	session->who = g_steal_pointer(&op);
	session->last_us = self->clock();
	g_hash_table_insert(self->sessions, g_strdup(seat), session);
	return verdict;
}

static StVerdict *
st_scan_router_logout(StScanRouter *self, StIntent *intent, const gchar *seat, GError **error)
{
	StSession *session = g_hash_table_lookup(self->sessions, seat);
	g_autofree gchar *name = NULL;
	g_autofree gchar *badge = NULL;
	StVerdict *verdict;

	if (session == NULL)
		return st_scan_router_answer(
			self, intent, NULL, "not-logged-in",
			st_scan_router_say_to_anyone(N_("Nobody is logged in here: scan your "
							"badge to start")),
			error);
	name = g_strdup(session->who->name);
	badge = g_strdup(session->who->badge);
	verdict = st_scan_router_answer(
		self, intent, badge, NULL,
		st_scan_router_say_to_anyone(
			N_("Logged out: %s. The next person scans their badge"), name),
		error);
	if (verdict == NULL)
		return NULL;
	g_hash_table_remove(self->sessions, seat);
	g_message("%s: %s logged out", seat, name);
	return verdict;
}

/* Returns: the session at @seat, NULL when nobody is logged in or the idle time has passed
 * (the operator is then logged out, and @idle says so) */
static StSession *
st_scan_router_session(StScanRouter *self, const gchar *seat, gboolean *idle)
{
	StSession *session = g_hash_table_lookup(self->sessions, seat);

	*idle = FALSE;
	if (session == NULL || self->idle_logout_s == 0)
		return session;
	if (self->clock() - session->last_us < (gint64)self->idle_logout_s * G_USEC_PER_SEC)
		return session;
	g_message("%s: %s logged out after %u s without a scan", seat, session->who->name,
		  self->idle_logout_s);
	g_hash_table_remove(self->sessions, seat);
	*idle = TRUE;
	return NULL;
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
	const gchar *device_id = st_scan_get_device_id(scan);
	const gchar *seat;
	StSession *session;
	gboolean idle = FALSE;

	g_return_val_if_fail(ST_IS_SCAN_ROUTER(self), NULL);
	workflow = st_scan_router_workflow_for(self, device_id);
	seat = st_scan_router_seat_for(self, device_id);
	intent = st_intent_new(scan, self->patterns);
	session = st_scan_router_session(self, seat, &idle);
	if (intent->barcode != NULL && intent->barcode->valid &&
	    intent->barcode->kind == ST_BARCODE_KIND_BADGE) {
		verdict = st_scan_router_login(self, intent, workflow, seat, error);
	} else if (intent->kind == ST_INTENT_COMMAND && intent->barcode != NULL &&
		   intent->barcode->valid && g_strcmp0(intent->barcode->key, "logout") == 0) {
		verdict = st_scan_router_logout(self, intent, seat, error);
	} else if (session == NULL) {
		gint has = st_store_has_operators(self->store, error);
		if (has < 0)
			verdict = NULL;
		else if (has > 0)
			verdict = st_scan_router_answer(
				self, intent, NULL, "scan-badge",
				idle ? st_scan_router_say_to_anyone(
					       N_("Logged out after a while without a scan. "
						  "Scan your badge first: this bench needs to "
						  "know who is working"))
				     : st_scan_router_say_to_anyone(
					       N_("Scan your badge first: this bench needs to "
						  "know who is working")),
				error);
		else
			verdict = st_workflow_handle_intent(workflow, intent, error);
	} else {
		session->last_us = self->clock();
		intent->who = st_operator_copy(session->who);
		verdict = st_workflow_handle_intent(workflow, intent, error);
	}
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
	g_hash_table_unref(self->sessions);
	g_hash_table_unref(self->device_workflow);
	g_ptr_array_unref(self->workflows);
	st_barcode_patterns_unref(self->patterns);
	g_object_unref(self->store);
	G_OBJECT_CLASS(st_scan_router_parent_class)->finalize(object);
}

static void
st_scan_router_init(StScanRouter *self)
{
	self->workflows = g_ptr_array_new_with_free_func(g_object_unref);
	self->device_workflow = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->sessions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					       (GDestroyNotify)st_session_free);
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
 * Returns: (transfer full): a router with every workflow of this build, the bench on the
 * first (pack)
 */
StScanRouter *
st_scan_router_new(StStore *store, StBarcodePatterns *patterns)
{
	StScanRouter *self = g_object_new(ST_TYPE_SCAN_ROUTER, NULL);
	self->store = g_object_ref(store);
	self->patterns =
		patterns != NULL ? st_barcode_patterns_ref(patterns) : st_barcode_patterns_new();
	for (guint i = 0; i < G_N_ELEMENTS(workflow_table); i++)
		g_ptr_array_add(self->workflows, workflow_table[i](store, self->patterns));
	self->bench_workflow = g_ptr_array_index(self->workflows, 0);
	return self;
}
