/*
 * station sync: the outbox and the central order system. status says what waits and why;
 * push delivers now; retry sends a parked event (or all) again.
 */
#include <glib.h>

#include "station/st-error.h"

#include "st-cli.h"
#include "st-config.h"
#include "st-sync-command.h"
#include "st-sync.h"

/* how long ago @iso was, in words a shift lead reads at a glance ("3 h 12 min") */
static gchar *
st_sync_age(const gchar *iso)
{
	g_autoptr(GDateTime) then = g_date_time_new_from_iso8601(iso, NULL);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	gint64 s;

	if (then == NULL)
		return g_strdup("?");
	s = MAX(g_date_time_difference(now, then) / G_USEC_PER_SEC, 0);
	if (s >= 86400)
		return g_strdup_printf(_("%u d %u h"), (guint)(s / 86400),
				       (guint)(s % 86400 / 3600));
	if (s >= 3600)
		return g_strdup_printf(_("%u h %u min"), (guint)(s / 3600), (guint)(s % 3600 / 60));
	if (s >= 60)
		return g_strdup_printf(_("%u min"), (guint)(s / 60));
	return g_strdup_printf(_("%u s"), (guint)s);
}

static gint
st_sync_status(StStore *store, const StConfig *config)
{
	g_autoptr(GError) error = NULL;
	StOutboxStatus status;

	if (!st_store_outbox_status(store, &status, &error)) {
		g_printerr(_("station sync: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	if (config->central_url != NULL)
		g_print(_("central system: %s\n"), config->central_url);
	else
		g_print(_("central system: none ([central] url is not set): events wait in the "
			  "outbox\n"));
	g_print(_("waiting: %u event(s)"), status.pending);
	if (status.oldest_at != NULL) {
		g_autofree gchar *age = st_sync_age(status.oldest_at);
		g_print(_(", the oldest made %s (%s ago)"), status.oldest_at, age);
	}
	g_print("\n");
	if (status.next_attempt_at != NULL)
		g_print(_("next try: %s\n"), status.next_attempt_at);
	g_print(_("delivered and kept for audit: %u\n"), status.delivered);
	g_print(_("last success: %s\n"),
		status.last_success != NULL ? status.last_success : _("never"));
	if (status.last_error != NULL)
		g_print(_("last error: %s\n"), status.last_error);
	if (status.n_parked > 0) {
		g_print(_("parked (rejected by the central system; the later events of their "
			  "orders wait): %u\n"),
			status.n_parked);
		for (guint i = 0; i < status.parked->len; i++) {
			const StOutboxEvent *e = g_ptr_array_index(status.parked, i);
			g_print("  #%" G_GINT64_FORMAT "  %s%s%s  %s\n", e->id, e->kind,
				e->order_number != NULL ? "  " : "",
				e->order_number != NULL ? e->order_number : "",
				e->last_error != NULL ? e->last_error : "");
		}
		g_print(_("fix the cause, then: station sync retry EVENT (or without EVENT, all "
			  "of them)\n"));
	}
	st_outbox_status_clear(&status);
	return ST_EXIT_OK;
}

/* an async call's result, kept for its finish function once the main context has run */
static void
st_sync_keep_result_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(result);
}

static GAsyncResult *
st_sync_wait_result(GAsyncResult **slot)
{
	while (*slot == NULL)
		g_main_context_iteration(NULL, TRUE);
	return *slot;
}

/* the sync of @config's central system, or NULL after saying why */
static StSync *
st_sync_for(StStore *store, const StConfig *config, StCentralClient **client_out)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StCentralClient) client = st_central_client_new(config, &error);
	StSync *sync;

	if (client == NULL) {
		g_printerr(_("station sync: %s\n"), error->message);
		return NULL;
	}
	sync = st_sync_new(store, client, config->station_id, config->central_batch,
			   config->central_max_backoff_s);
	if (client_out != NULL)
		*client_out = g_steal_pointer(&client);
	return sync;
}

static gint
st_sync_push(StStore *store, const StConfig *config)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StCentralClient) client = NULL;
	g_autoptr(StSync) sync = st_sync_for(store, config, &client);
	g_autoptr(GAsyncResult) result = NULL;
	StSyncReport report = {0};
	gint rc = ST_EXIT_OK;

	if (sync == NULL)
		return ST_EXIT_FAIL;
	/* a person asks to send now: waits of earlier failures are over */
	if (st_store_outbox_due_now(store, &error) < 0) {
		g_printerr(_("station sync: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	st_sync_drain_async(sync, NULL, st_sync_keep_result_cb, &result);
	if (!st_sync_drain_finish(sync, st_sync_wait_result(&result), &report, &error)) {
		g_printerr(_("station sync: %s; nothing more was sent\n"), error->message);
		st_sync_report_clear(&report);
		return ST_EXIT_FAIL;
	}
	g_print(_("delivered %u event(s) to %s (%u known there already), in %u request(s)\n"),
		report.delivered, st_central_client_get_url(client), report.duplicates,
		report.batches);
	if (report.parked > 0) {
		g_print(_("parked %u event(s) the central system rejected: station sync status "
			  "says why\n"),
			report.parked);
		rc = ST_EXIT_FAIL;
	}
	if (report.failed > 0) {
		g_autoptr(GDateTime) when =
			g_date_time_new_from_unix_local(report.next_try_us / G_USEC_PER_SEC);
		g_autofree gchar *at = g_date_time_format(when, "%H:%M:%S");
		g_print(_("not delivered: %u event(s): %s; they are tried again from %s (station "
			  "serve does it by itself)\n"),
			report.failed, report.last_problem, at);
		rc = ST_EXIT_FAIL;
	}
	st_sync_report_clear(&report);
	return rc;
}

static gint
st_sync_pull(StStore *store, const StConfig *config)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StCentralClient) client = NULL;
	g_autoptr(StSync) sync = st_sync_for(store, config, &client);
	g_autoptr(GAsyncResult) result = NULL;
	StPullReport report = {0};
	gint rc = ST_EXIT_OK;

	if (sync == NULL)
		return ST_EXIT_FAIL;
	st_sync_pull_async(sync, NULL, st_sync_keep_result_cb, &result);
	if (!st_sync_pull_finish(sync, st_sync_wait_result(&result), &report, &error)) {
		g_printerr(_("station sync: %s\n"), error->message);
		st_pull_report_clear(&report);
		return ST_EXIT_FAIL;
	}
	if (report.products + report.locations + report.operators > 0)
		g_print(_("catalogue from %s: %u product(s), %u location(s), %u operator(s) "
			  "stored\n"),
			st_central_client_get_url(client), report.products, report.locations,
			report.operators);
	g_print(_("orders from %s: %u new, %u changed, %u cancelled, %u as they were (%u "
		  "page(s))\n"),
		st_central_client_get_url(client), report.added, report.updated, report.cancelled,
		report.unchanged, report.pages);
	for (guint i = 0; report.notes != NULL && i < report.notes->len; i++)
		g_print("  %s\n", (const gchar *)report.notes->pdata[i]);
	if (report.refused > 0)
		g_print(_("%u change(s) refused: the orders were being picked or packed, or were "
			  "packed already; the central system is told (an exception event)\n"),
			report.refused);
	if (report.unreadable > 0) {
		g_print(_("%u order(s) or catalogue item(s) could not be used; the central system "
			  "is "
			  "told (an exception event)\n"),
			report.unreadable);
		rc = ST_EXIT_FAIL;
	}
	if (report.problem != NULL) {
		g_print(_("the pull stopped: %s; the next pull goes on from the last page "
			  "applied\n"),
			report.problem);
		rc = ST_EXIT_FAIL;
	}
	st_pull_report_clear(&report);
	return rc;
}

static gint
st_sync_retry(StStore *store, const gchar *which)
{
	g_autoptr(GError) error = NULL;
	gint64 id = 0;
	gint n;

	if (which != NULL) {
		gchar *end = NULL;
		guint64 v = g_ascii_strtoull(which, &end, 10);
		if (end == which || *end != '\0' || v == 0 || v > G_MAXINT64) {
			g_printerr(_("station sync retry: \"%s\" is not an event number; station "
				     "sync status lists the parked ones\n"),
				   which);
			return ST_EXIT_USAGE;
		}
		id = (gint64)v;
	}
	n = st_store_outbox_unpark(store, id, &error);
	if (n < 0) {
		g_printerr(_("station sync retry: %s\n"), error->message);
		return ST_EXIT_FAIL;
	}
	if (n == 0) {
		if (which != NULL)
			g_printerr(_("station sync retry: no undelivered event %s\n"), which);
		else
			g_print(_("no parked events\n"));
		return which != NULL ? ST_EXIT_FAIL : ST_EXIT_OK;
	}
	g_print(_("%d event(s) will be sent again at the next try (station serve), or now with "
		  "station sync push\n"),
		n);
	return ST_EXIT_OK;
}

gint
st_cmd_sync(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context =
		g_option_context_new(N_("status|push|pull|retry [EVENT]"));
	g_autofree gchar *config_path = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(StStore) store = NULL;
	const gchar *what;
	gint rc;
	GOptionEntry entries[] = {{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
				   N_("Configuration file (its [central] and [store])"),
				   N_("FILE")},
				  {NULL}};

	g_option_context_set_summary(
		context,
		N_("The central order system ([central] url) and the outbox of events for it.\n"
		   "  status        what waits, since when, the next try, the last success and\n"
		   "                error, and the events the central system rejected (parked)\n"
		   "  push          deliver every waiting event now (station serve does it by\n"
		   "                itself); exit status 1 when some could not be delivered\n"
		   "  pull          take the orders released, changed or cancelled at the central\n"
		   "                system since the last pull, now (station serve does it every\n"
		   "                [central] pull-interval seconds)\n"
		   "  retry [EVENT] send a parked event again once its cause is fixed (without\n"
		   "                EVENT, every parked event)"));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "sync", &argc, &argv, 2)) >= 0)
		return rc;
	what = argc > 1 ? argv[1] : "status";
	if (g_strcmp0(what, "status") != 0 && g_strcmp0(what, "push") != 0 &&
	    g_strcmp0(what, "pull") != 0 && g_strcmp0(what, "retry") != 0) {
		g_printerr(_("station sync: give status, push, pull or retry (try station sync "
			     "--help)\n"));
		return ST_EXIT_USAGE;
	}
	config = st_cli_load_config("sync", config_path);
	if (config == NULL)
		return ST_EXIT_FAIL;
	store = st_cli_open_store("sync", config,
				  g_strcmp0(what, "status") == 0 ? ST_CLI_STORE_READ
								 : ST_CLI_STORE_WRITE);
	if (store == NULL)
		return ST_EXIT_FAIL;
	if (g_strcmp0(what, "push") == 0)
		return st_sync_push(store, config);
	if (g_strcmp0(what, "pull") == 0)
		return st_sync_pull(store, config);
	if (g_strcmp0(what, "retry") == 0)
		return st_sync_retry(store, argc > 2 ? argv[2] : NULL);
	return st_sync_status(store, config);
}
