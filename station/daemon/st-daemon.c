/*
 * StDaemon. Start-up opens the store, then the devices (StDeviceSet): a configuration
 * mistake stops start-up, a device that cannot be opened is reported and the rest go on.
 * Scans and weights reach the scan router on the main thread, which hands them to the
 * workflow their device runs; a scan's answer is given back to the device as a
 * good or bad signal. Prints the last run left unfinished are followed again (StPrinting), or
 * asked about every 30 s while CUPS cannot be reached. SIGINT and SIGTERM end the loop;
 * st_daemon_stop() then
 * closes the devices (dropping, with a message, any scan half-read) and the store (every
 * transaction is already committed: verbs commit before they return).
 */
#define G_LOG_DOMAIN "station-daemon"

#include <systemd/sd-daemon.h>
#include <glib-unix.h>

#include "station/st-error.h"

#include "st-daemon.h"
#include "st-i18n.h"
#include "st-api.h"
#include "st-sync.h"
#include "station/st-device-set.h"
#include "st-bench-print.h"
#include "st-printing.h"

GQuark
st_daemon_error_quark(void)
{
	return g_quark_from_static_string("st-daemon-error-quark");
}

/* how often the prints left unfinished by the last run are asked about again while CUPS
 * cannot be reached */
#define ST_DAEMON_RECOVER_RETRY_S 30

struct _StDaemon {
	GObject parent_instance;
	StConfig *config;
	StStore *store;
	StScanRouter *router;
	StDeviceSet *devices;
	StPrinting *printing;
	StBenchPrint *bench_print; /* the labels and slips the verdicts ask for */
	guint recover_id;
	GMainLoop *loop;
	gint exit_code;
	StApi *api; /* (nullable): [http] listen none, or the address was taken */
	/* the central order system: the outbox drained in the background */
	StSync *sync;
	GCancellable *sync_cancel;
	guint sync_timer_id;
	gboolean sync_running;
	gint64 sync_pruned_us;
	gboolean pull_running;
	gint64 pulled_us;  /* monotonic time of the last pull */
	guint watchdog_id; /* systemd's watchdog (WatchdogSec=), pinged from the main loop */
};

G_DEFINE_TYPE(StDaemon, st_daemon, G_TYPE_OBJECT)

enum { SIGNAL_SCAN_LOST, SIGNAL_SCAN_FAILED, SIGNAL_DEVICE_ADDED, SIGNAL_WEIGHT, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

/* a scan that could not be recorded (the disk full, the database locked past its timeout):
 * besides the scanner's bad beep, the seat's screens say it in the operator's words, so
 * nobody goes on believing it counted */
static void
st_daemon_tell_not_recorded(StDaemon *self, StDevice *device, StScan *scan)
{
	const StOperator *op = st_scan_router_get_operator(self->router, st_device_get_id(device));
	const gchar *L =
		op != NULL && op->language != NULL ? op->language : self->config->bench_language;
	g_autofree gchar *display = st_scan_to_display(scan);
	g_autoptr(StVerdict) v = NULL;

	if (self->api == NULL)
		return;
	v = st_verdict_new(st_device_get_id(device), display);
	v->ok = FALSE;
	v->reason = g_strdup("not-recorded");
	v->message = g_strdup(st_tr(L, "Not recorded: the station could not save this scan (its "
				       "disk may be full); call the shift lead, then scan it "
				       "again"));
	st_api_broadcast_verdict(self->api, v);
}

static void
st_daemon_scan_cb(StDeviceSet *set, StDevice *device, StScan *scan, gpointer user_data)
{
	StDaemon *self = ST_DAEMON(user_data);
	g_autoptr(StVerdict) result = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_feedback = NULL;

	result = st_scan_router_handle_scan(self->router, scan, &error);
	if (result == NULL) {
		g_warning("%s", error->message);
		g_signal_emit(self, signals[SIGNAL_SCAN_FAILED], 0, error->message);
		st_daemon_tell_not_recorded(self, device, scan);
	}
	/* a scanner without a beeper or a light (a keyboard wedge) is not worth a message at
	 * every scan */
	if (st_device_has_feedback(device) &&
	    !st_device_feedback(device,
				result != NULL && result->ok ? ST_FEEDBACK_GOOD : ST_FEEDBACK_BAD,
				&error_feedback))
		g_debug("%s: no feedback on the scanner: %s", st_device_get_id(device),
			error_feedback->message);
}

/* a verdict that asks the bench to print (an order packed, a reprint) */
static void
st_daemon_verdict_cb(StScanRouter *router, StVerdict *verdict, gpointer user_data)
{
	StDaemon *self = ST_DAEMON(user_data);
	if (verdict->print != ST_VERDICT_PRINT_NONE && self->bench_print != NULL)
		st_bench_print_verdict(self->bench_print, verdict);
	/* the screens see every answer of their seat, from a scanner or from the API */
	if (self->api != NULL) {
		st_api_broadcast_verdict(self->api, verdict);
		st_api_broadcast_outbox(self->api);
	}
}

static void
st_daemon_scan_lost_cb(StDeviceSet *set, StDevice *device, const gchar *reason, gpointer user_data)
{
	StDaemon *self = ST_DAEMON(user_data);
	g_signal_emit(self, signals[SIGNAL_SCAN_LOST], 0, st_device_get_id(device), reason);
}

static void
st_daemon_weight_cb(StDeviceSet *set, StDevice *device, StWeight *weight, gpointer user_data)
{
	StDaemon *self = ST_DAEMON(user_data);
	gint64 mg = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_wf = NULL;

	g_autofree gchar *reading = st_weight_to_string(weight);

	if (weight->unit == ST_WEIGHT_UNIT_GRAM || !st_weight_to_milligrams(weight, &mg, &error))
		g_info("%s: %s, %s", st_device_get_id(device),
		       st_weight_status_to_string(weight->status), reading);
	else
		g_info("%s: %s, %s (%s%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT " g)",
		       st_device_get_id(device), st_weight_status_to_string(weight->status),
		       reading, mg < 0 ? "-" : "", ABS(mg) / 1000, ABS(mg) % 1000);
	if (!st_scan_router_handle_weight(self->router, st_device_get_id(device), weight,
					  &error_wf))
		g_warning("%s: weight not taken: %s", st_device_get_id(device), error_wf->message);
	if (self->api != NULL)
		st_api_broadcast_weight(self->api, st_device_get_id(device), weight);
	g_signal_emit(self, signals[SIGNAL_WEIGHT], 0, device, weight);
}

static void
st_daemon_device_added_cb(StDeviceSet *set, StDevice *device, gpointer user_data)
{
	StDaemon *self = ST_DAEMON(user_data);
	if (st_device_get_role(device) == ST_DEVICE_ROLE_SCALE)
		st_scan_router_set_scale(self->router, st_device_get_id(device), TRUE);
	if (self->api != NULL)
		st_api_broadcast_device(self->api, st_device_get_id(device),
					st_device_role_to_string(st_device_get_role(device)), TRUE);
	g_signal_emit(user_data, signals[SIGNAL_DEVICE_ADDED], 0, device);
}

static void
st_daemon_device_removed_cb(StDeviceSet *set, StDevice *device, gpointer user_data)
{
	StDaemon *self = ST_DAEMON(user_data);
	if (st_device_get_role(device) == ST_DEVICE_ROLE_SCALE)
		st_scan_router_set_scale(self->router, st_device_get_id(device), FALSE);
	/* a device unplugged is said on the screens at once */
	if (self->api != NULL)
		st_api_broadcast_device(self->api, st_device_get_id(device),
					st_device_role_to_string(st_device_get_role(device)),
					FALSE);
}

/* follows again the prints the last run left unfinished; while CUPS cannot be asked, tries
 * again every ST_DAEMON_RECOVER_RETRY_S seconds (the prints stay as stored meanwhile) */
static gboolean
st_daemon_recover_cb(gpointer user_data)
{
	StDaemon *self = ST_DAEMON(user_data);
	g_autoptr(GError) error = NULL;
	guint followed = st_printing_recover(self->printing, &error);

	if (followed > 0)
		g_message("following %u print%s left unfinished by the last run", followed,
			  followed == 1 ? "" : "s");
	if (error != NULL) {
		if (self->recover_id == 0) {
			g_warning("cannot ask CUPS about the prints left unfinished by the last "
				  "run: %s; asking again every %d s (start CUPS, or check [cups] "
				  "server)",
				  error->message, ST_DAEMON_RECOVER_RETRY_S);
			self->recover_id = g_timeout_add_seconds(ST_DAEMON_RECOVER_RETRY_S,
								 st_daemon_recover_cb, self);
		}
		return G_SOURCE_CONTINUE;
	}
	self->recover_id = 0;
	return G_SOURCE_REMOVE;
}

/**
 * st_daemon_configure_router:
 *
 * Sets up @router as the configuration says: the bench's workflow and the devices' own, the
 * idle logout, how parcels are weighed and the bench's location. `station serve` and
 * `station simulate` both use it.
 *
 * Returns: FALSE with ST_ERROR_INVALID_CONFIG naming the file and line of a workflow this
 * build does not have
 */
gboolean
st_daemon_configure_router(StScanRouter *router, const StConfig *config, GError **error)
{
	GHashTableIter iter;
	gpointer key, value;

	if (!st_scan_router_set_bench_workflow(router, config->bench_workflow, error)) {
		g_autofree gchar *where = st_config_describe_location(config, "bench", "workflow");
		g_prefix_error(error, "%s: ", where);
		return FALSE;
	}
	g_hash_table_iter_init(&iter, config->device_workflows);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		if (!st_scan_router_set_device_workflow(router, key, value, error)) {
			g_autofree gchar *group = g_strdup_printf("device %s", (const gchar *)key);
			g_autofree gchar *where =
				st_config_describe_location(config, group, "workflow");
			g_prefix_error(error, "%s: ", where);
			return FALSE;
		}
	}
	st_scan_router_set_idle_logout(router, config->idle_logout_s);
	st_scan_router_set_language(router, config->bench_language);
	{
		StPackSettings pack;
		st_pack_settings_init(&pack);
		pack.weigh = g_strcmp0(config->pack_weigh, "yes") == 0	? ST_PACK_WEIGH_YES
			     : g_strcmp0(config->pack_weigh, "no") == 0 ? ST_PACK_WEIGH_NO
									: ST_PACK_WEIGH_AUTO;
		pack.tolerance_g = config->weight_tolerance_g;
		pack.tolerance_percent = config->weight_tolerance_percent;
		pack.location = config->bench_location;
		pack.sscc_prefix = config->sscc_prefix;
		pack.confirm_label = config->confirm_label && config->sscc_prefix != NULL;
		if (config->sscc_prefix == NULL)
			g_message(
				"[pack] sscc-prefix is not set: parcels get no SSCC, and the bench "
				"prints no parcel labels");
		else if (config->confirm_label)
			g_message("[pack] confirm-label: each parcel's label is scanned on it");
		if (config->confirm_label && config->sscc_prefix == NULL)
			g_warning("[pack] confirm-label needs sscc-prefix: labels are not "
				  "confirmed");
		if (pack.location == NULL)
			g_message("[bench] location is not set: packing moves no stock");
		st_scan_router_set_pack_settings(router, &pack);
	}
	return TRUE;
}

static void
st_daemon_sync_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	StDaemon *self = ST_DAEMON(user_data);
	g_autoptr(GError) error = NULL;
	StSyncReport report = {0};

	if (!st_sync_drain_finish(ST_SYNC(source), result, &report, &error)) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_warning("central system: the outbox could not be read or updated: %s",
				  error->message);
	} else if (report.delivered > 0 || report.parked > 0) {
		g_info("central system: %u event(s) delivered, %u parked, in %u request(s)",
		       report.delivered, report.parked, report.batches);
	}
	st_sync_report_clear(&report);
	if (self->api != NULL)
		st_api_broadcast_outbox(self->api);
	self->sync_running = FALSE;
	g_object_unref(self);
}

static void
st_daemon_pull_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	StDaemon *self = ST_DAEMON(user_data);
	g_autoptr(GError) error = NULL;
	StPullReport report = {0};

	if (!st_sync_pull_finish(ST_SYNC(source), result, &report, &error)) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_warning("central system: pulled orders could not be stored: %s",
				  error->message);
	} else {
		if (report.added + report.updated + report.cancelled + report.refused > 0)
			g_message("central system: orders pulled: %u new, %u changed, %u "
				  "cancelled, %u changes refused",
				  report.added, report.updated, report.cancelled, report.refused);
		if (report.problem != NULL)
			g_message("central system: orders not pulled: %s", report.problem);
	}
	st_pull_report_clear(&report);
	self->pull_running = FALSE;
	g_object_unref(self);
}

/* every second: deliver what is due (a query when nothing is), once an hour forget the
 * delivered events older than [central] keep-days */
static gboolean
st_daemon_sync_tick_cb(gpointer user_data)
{
	StDaemon *self = ST_DAEMON(user_data);
	gint64 now = g_get_monotonic_time();

	if (self->config->central_pull_s > 0 && !self->pull_running &&
	    (self->pulled_us == 0 ||
	     now - self->pulled_us >= (gint64)self->config->central_pull_s * G_USEC_PER_SEC)) {
		self->pull_running = TRUE;
		self->pulled_us = now;
		st_sync_pull_async(self->sync, self->sync_cancel, st_daemon_pull_done_cb,
				   g_object_ref(self));
	}
	if (self->sync_running)
		return G_SOURCE_CONTINUE;
	if (self->sync_pruned_us == 0 ||
	    now - self->sync_pruned_us > (gint64)3600 * G_USEC_PER_SEC) {
		g_autoptr(GError) error = NULL;
		gint n =
			st_store_outbox_prune(self->store, self->config->central_keep_days, &error);
		self->sync_pruned_us = now;
		if (n < 0)
			g_warning("central system: old delivered events not deleted: %s",
				  error->message);
		else if (n > 0)
			g_info("central system: %d delivered event(s) older than %u days deleted",
			       n, self->config->central_keep_days);
	}
	self->sync_running = TRUE;
	st_sync_drain_async(self->sync, self->sync_cancel, st_daemon_sync_done_cb,
			    g_object_ref(self));
	return G_SOURCE_CONTINUE;
}

static gboolean
st_daemon_start_sync(StDaemon *self, GError **error)
{
	g_autoptr(StCentralClient) client = NULL;

	if (self->config->central_url == NULL) {
		g_message("no central order system ([central] url): events wait in the outbox");
		return TRUE;
	}
	client = st_central_client_new(self->config, error);
	if (client == NULL)
		return FALSE;
	self->sync = st_sync_new(self->store, client, self->config->station_id,
				 self->config->central_batch, self->config->central_max_backoff_s);
	self->sync_cancel = g_cancellable_new();
	self->sync_timer_id = g_timeout_add_seconds(1, st_daemon_sync_tick_cb, self);
	g_message("central order system: %s", st_central_client_get_url(client));
	return TRUE;
}

/* systemd's watchdog: pinged from the main loop, so a loop stuck in a device or the
 * database (nothing else would notice) gets the service restarted */
static gboolean
st_daemon_watchdog_cb(gpointer user_data)
{
	sd_notify(0, "WATCHDOG=1");
	return G_SOURCE_CONTINUE;
}

/*
 * Under systemd (Type=notify; $NOTIFY_SOCKET set), says ready once the database, the devices,
 * the API and the sync are up, with a status line for `systemctl status`, and starts pinging
 * the watchdog at half its period when the unit has WatchdogSec=. Outside systemd, nothing.
 */
static void
st_daemon_notify_ready(StDaemon *self)
{
	guint n = st_device_set_get_devices(self->devices)->len;
	g_autofree gchar *status = g_strdup_printf("STATUS=ready: %u device%s, database %s", n,
						   n == 1 ? "" : "s", self->config->store_path);
	uint64_t usec = 0;

	sd_notify(0, "READY=1");
	sd_notify(0, status);
	if (self->watchdog_id == 0 && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
		guint ms = (guint)MAX(usec / 2000, 1);
		self->watchdog_id = g_timeout_add(ms, st_daemon_watchdog_cb, self);
		g_debug("systemd watchdog every %u ms", ms);
	}
}

/**
 * st_daemon_start:
 *
 * Opens the store and the configured devices.
 *
 * Returns: FALSE with an error that names what to fix; nothing is left open then
 */
gboolean
st_daemon_start(StDaemon *self, GError **error)
{
	g_return_val_if_fail(ST_IS_DAEMON(self), FALSE);

	if (!st_daemon_configure_router(self->router, self->config, error))
		return FALSE;
	st_store_set_negative_locations(self->store,
					(const gchar *const *)self->config->allow_negative);
	/* a database this process can only read would answer every scan "not recorded": said
	 * now, naming the file, rather than after "ready" */
	if (g_file_test(self->config->store_path, G_FILE_TEST_EXISTS) &&
	    !st_store_check_writable(self->config->store_path, error))
		return FALSE;
	if (!st_store_open(self->store, self->config->store_path, self->config->busy_timeout_ms,
			   error))
		return FALSE;
	/* a damaged page is said now, not at a scan in the middle of a shift */
	if (!st_store_quick_check(self->store, error)) {
		st_store_close(self->store);
		return FALSE;
	}
	if (!st_device_set_start(self->devices, error)) {
		st_store_close(self->store);
		return FALSE;
	}
	/* each seat goes on where the last answered scan left it: who is logged in, the open
	 * order (said in the log); after the devices, so a scale already attached counts; no
	 * scan is handled before the main loop runs */
	if (!st_scan_router_restore(self->router, error)) {
		st_device_set_stop(self->devices);
		st_store_close(self->store);
		return FALSE;
	}
	self->printing = st_printing_new(self->store, self->config);
	self->bench_print = st_bench_print_new(self->printing, self->config, FALSE);
	{
		/* a misspelt queue is said at start, not at the first label */
		g_autoptr(GPtrArray) missing = NULL;
		g_autoptr(GError) error_queues = NULL;
		if (!st_printing_check_queues(self->config, &missing, &error_queues))
			g_message("the printers' queues were not checked: %s",
				  error_queues->message);
		for (guint i = 0; missing != NULL && i < missing->len; i++)
			g_warning("%s: labels for it will wait until the queue is made, or fix "
				  "the configuration",
				  (const gchar *)missing->pdata[i]);
	}
	if (g_strcmp0(self->config->http_listen, "none") != 0) {
		g_autoptr(GError) error_api = NULL;
		self->api = st_api_new(self->store, self->router, self->config);
		st_api_set_printing(self->api, self->printing);
		{
			/* the devices already there, for GET /api/v1/devices */
			GPtrArray *devices = st_device_set_get_devices(self->devices);
			for (guint i = 0; devices != NULL && i < devices->len; i++) {
				StDevice *d = g_ptr_array_index(devices, i);
				st_api_broadcast_device(
					self->api, st_device_get_id(d),
					st_device_role_to_string(st_device_get_role(d)), TRUE);
			}
		}
		if (!st_api_start(self->api, &error_api)) {
			g_clear_object(&self->api);
			if (!g_error_matches(error_api, ST_API_ERROR, ST_ERROR_IO)) {
				g_propagate_error(error, g_steal_pointer(&error_api));
				g_clear_pointer(&self->bench_print, st_bench_print_free);
				g_clear_object(&self->printing);
				st_device_set_stop(self->devices);
				st_store_close(self->store);
				return FALSE;
			}
			/* the scanners go on without the screens */
			g_warning("api: %s: the screens and handhelds cannot connect; the scanners "
				  "work",
				  error_api->message);
		}
	}
	if (!st_daemon_start_sync(self, error)) {
		g_clear_pointer(&self->bench_print, st_bench_print_free);
		g_clear_object(&self->printing);
		st_device_set_stop(self->devices);
		st_store_close(self->store);
		return FALSE;
	}
	st_daemon_recover_cb(self);
	g_message("station %s ready: database %s, %u device%s", self->config->station_id,
		  self->config->store_path, st_device_set_get_devices(self->devices)->len,
		  st_device_set_get_devices(self->devices)->len == 1 ? "" : "s");
	st_daemon_notify_ready(self);
	return TRUE;
}

/* Closes every device and the store. Safe to call twice. */
void
st_daemon_stop(StDaemon *self)
{
	g_return_if_fail(ST_IS_DAEMON(self));
	sd_notify(0, "STOPPING=1");
	if (self->watchdog_id != 0)
		g_source_remove(self->watchdog_id);
	self->watchdog_id = 0;
	if (self->recover_id != 0)
		g_source_remove(self->recover_id);
	self->recover_id = 0;
	if (self->api != NULL)
		st_api_stop(self->api);
	g_clear_object(&self->api);
	/* a request in flight is dropped: its events stay undelivered and go again */
	if (self->sync_timer_id != 0)
		g_source_remove(self->sync_timer_id);
	self->sync_timer_id = 0;
	if (self->sync_cancel != NULL)
		g_cancellable_cancel(self->sync_cancel);
	g_clear_object(&self->sync_cancel);
	g_clear_object(&self->sync);
	/* jobs in flight stay in CUPS and in the store: the next start follows them again */
	g_clear_pointer(&self->bench_print, st_bench_print_free);
	g_clear_object(&self->printing);
	st_device_set_stop(self->devices);
	st_store_close(self->store);
}

static gboolean
st_daemon_signal_cb(gpointer user_data)
{
	StDaemon *self = ST_DAEMON(user_data);
	g_message("signal received: shutting down");
	st_daemon_quit(self);
	return G_SOURCE_CONTINUE;
}

/**
 * st_daemon_run:
 *
 * Runs the main loop until st_daemon_quit() or SIGINT/SIGTERM.
 *
 * Returns: the exit code set by st_daemon_quit(), 0 by default
 */
gint
st_daemon_run(StDaemon *self)
{
	guint sigint_id = g_unix_signal_add(SIGINT, st_daemon_signal_cb, self);
	guint sigterm_id = g_unix_signal_add(SIGTERM, st_daemon_signal_cb, self);

	g_main_loop_run(self->loop);
	g_source_remove(sigint_id);
	g_source_remove(sigterm_id);
	return self->exit_code;
}

void
st_daemon_quit(StDaemon *self)
{
	g_main_loop_quit(self->loop);
}

/* Returns: (transfer none) (nullable): what the bench prints by itself, once started */
StBenchPrint *
st_daemon_get_bench_print(StDaemon *self)
{
	return self->bench_print;
}

/* Returns: (transfer none) (nullable): the printing, once started */
StPrinting *
st_daemon_get_printing(StDaemon *self)
{
	return self->printing;
}

/* Returns: (transfer none) */
StStore *
st_daemon_get_store(StDaemon *self)
{
	return self->store;
}

/* Returns: (transfer none) */
/* Returns: (transfer none): the scan router, which holds the workflows */
StScanRouter *
st_daemon_get_router(StDaemon *self)
{
	return self->router;
}

/* Returns: (transfer none) (element-type StDevice): the open devices */
GPtrArray *
st_daemon_get_devices(StDaemon *self)
{
	return st_device_set_get_devices(self->devices);
}

const StConfig *
st_daemon_get_config(StDaemon *self)
{
	return self->config;
}

/* Returns: (nullable): where the API and the screens answer ("http://127.0.0.1:8080/"), or
 * NULL without them ([http] listen none, or its address was taken) */
const gchar *
st_daemon_get_api_uri(StDaemon *self)
{
	g_return_val_if_fail(ST_IS_DAEMON(self), NULL);
	return self->api != NULL ? st_api_get_uri(self->api) : NULL;
}

static void
st_daemon_finalize(GObject *object)
{
	StDaemon *self = ST_DAEMON(object);
	st_daemon_stop(self);
	g_object_unref(self->devices);
	g_object_unref(self->router);
	g_object_unref(self->store);
	g_main_loop_unref(self->loop);
	st_config_free(self->config);
	G_OBJECT_CLASS(st_daemon_parent_class)->finalize(object);
}

static void
st_daemon_init(StDaemon *self)
{
	self->loop = g_main_loop_new(NULL, FALSE);
}

static void
st_daemon_class_init(StDaemonClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = st_daemon_finalize;
	/* ::scan-lost (const gchar *device_id, const gchar *reason) */
	signals[SIGNAL_SCAN_LOST] =
		g_signal_new("scan-lost", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			     NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
	/* ::device-added (StDevice *device): a device was opened and is in use */
	signals[SIGNAL_DEVICE_ADDED] =
		g_signal_new("device-added", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			     NULL, NULL, G_TYPE_NONE, 1, ST_TYPE_DEVICE);
	/* ::weight (StDevice *device, StWeight *weight): a scale's reading changed */
	signals[SIGNAL_WEIGHT] =
		g_signal_new("weight", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			     NULL, G_TYPE_NONE, 2, ST_TYPE_DEVICE, ST_TYPE_WEIGHT);
	/* ::scan-failed (const gchar *message): a scan could not be recorded */
	signals[SIGNAL_SCAN_FAILED] =
		g_signal_new("scan-failed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			     NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

/**
 * st_daemon_new:
 * @config: (transfer full): the configuration
 */
StDaemon *
st_daemon_new(StConfig *config)
{
	StDaemon *self = g_object_new(ST_TYPE_DAEMON, NULL);
	self->config = config;
	self->store = st_store_new(config->station_id);
	self->router = st_scan_router_new(self->store, config->barcode_patterns);
	self->devices = st_config_new_device_set(config);
	g_signal_connect(self->router, "verdict", G_CALLBACK(st_daemon_verdict_cb), self);
	g_signal_connect(self->devices, "scan", G_CALLBACK(st_daemon_scan_cb), self);
	g_signal_connect(self->devices, "scan-lost", G_CALLBACK(st_daemon_scan_lost_cb), self);
	g_signal_connect(self->devices, "weight", G_CALLBACK(st_daemon_weight_cb), self);
	g_signal_connect(self->devices, "device-removed", G_CALLBACK(st_daemon_device_removed_cb),
			 self);
	g_signal_connect(self->devices, "device-added", G_CALLBACK(st_daemon_device_added_cb),
			 self);
	return self;
}
