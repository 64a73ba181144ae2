/*
 * The outbox's delivery. A drain sends batches (st_store_outbox_next: due events, oldest
 * first, none after an earlier event of its order that waits or is parked) until nothing is
 * due or the central system fails; each batch's outcome is recorded in one transaction:
 *
 *   accepted, duplicate        delivered (a duplicate: the central system had it already)
 *   rejected                   parked with the reason; its order's later events wait
 *   left out of the answer     tried again after the backoff
 *   429                        tried again after Retry-After (else the backoff)
 *   413                        the batch is halved and sent again at once
 *   400, 422                   the batch is halved until the event it refuses is alone; that
 *                              one is parked with the answer's first words
 *   5xx, 401, other 4xx, none  tried again after the backoff (an event is parked only when
 *                              the central system says so for that event)
 *
 * The backoff of an event's n-th failure is a random time up to min(max-backoff, 2^n s)
 * ("full jitter"), at least half a second. A request that failed as a whole holds every
 * send until its earliest retry time (kept in the store: a restart honours it too), so a
 * backlog does not knock at a down server batch after batch; `station sync push` and
 * st_store_outbox_due_now() lift it. An event is never lost and never marked
 * delivered without the central system's word for it.
 */
#define G_LOG_DOMAIN "station-sync"

#include <json-glib/json-glib.h>
#include <string.h>

#include "station/st-bounded.h"
#include "station/st-error.h"

#include "st-central-catalogue.h"
#include "st-central-orders.h"
#include "st-cloudevents.h"
#include "st-sync.h"

struct _StSync {
	GObject parent_instance;
	StStore *store;
	StCentralClient *client;
	gchar *station_id;
	guint batch;
	guint max_backoff_s;
	GRand *rand;
};

G_DEFINE_TYPE(StSync, st_sync, G_TYPE_OBJECT)

void
st_sync_report_clear(StSyncReport *self)
{
	g_clear_pointer(&self->last_problem, g_free);
	g_clear_pointer(&self->claim_problem, g_free);
}

/**
 * st_sync_backoff_us:
 * @attempts: failures of the event so far, this one included (1 or more)
 *
 * Returns: how long to wait before trying again, in microseconds
 */
gint64
st_sync_backoff_us(guint attempts, guint max_backoff_s, GRand *rand)
{
	gdouble cap = MIN((gdouble)max_backoff_s, attempts >= 30 ? 1e9 : (gdouble)(1u << attempts));
	gdouble wait = g_rand_double_range(rand, 0, cap);
	return (gint64)(MAX(wait, 0.5) * G_USEC_PER_SEC);
}

StSync *
st_sync_new(StStore *store,
	    StCentralClient *client,
	    const gchar *station_id,
	    guint batch,
	    guint max_backoff_s)
{
	StSync *self = g_object_new(ST_TYPE_SYNC, NULL);
	self->store = g_object_ref(store);
	self->client = g_object_ref(client);
	self->station_id = g_strdup(station_id);
	self->batch = MAX(batch, 1);
	self->max_backoff_s = MAX(max_backoff_s, 1);
	return self;
}

typedef struct {
	StSyncReport report;
	GPtrArray *events; /* the batch in flight */
	guint batch;	   /* its size now (halved by a 413) */
	GPtrArray *claims; /* (element-type StOrderClaim): the claims being told */
	guint claim_at;	   /* the one in flight */
} StDrain;

static void
st_drain_free(StDrain *d)
{
	st_sync_report_clear(&d->report);
	if (d->events != NULL)
		g_ptr_array_unref(d->events);
	if (d->claims != NULL)
		g_ptr_array_unref(d->claims);
	g_free(d);
}

static void
st_sync_claim_next(GTask *task);

static void
st_sync_drain_next(GTask *task);

/* the whole batch failed: each event tried again after its backoff (or @retry_after_s) */
static gboolean
st_sync_fail_batch(StSync *self, StDrain *d, const gchar *why, gint retry_after_s, GError **error)
{
	g_autoptr(GArray) outcomes = g_array_new(FALSE, TRUE, sizeof(StOutboxOutcome));
	gint64 now = g_get_real_time();

	for (guint i = 0; i < d->events->len; i++) {
		const StOutboxEvent *e = g_ptr_array_index(d->events, i);
		StOutboxOutcome o = {.event_id = e->id, .kind = ST_OUTBOX_FAILED, .message = why};
		o.retry_at_us = now + (retry_after_s >= 0 ? (gint64)retry_after_s * G_USEC_PER_SEC
							  : st_sync_backoff_us(e->attempts + 1,
									       self->max_backoff_s,
									       self->rand));
		if (d->report.next_try_us == 0 || o.retry_at_us < d->report.next_try_us)
			d->report.next_try_us = o.retry_at_us;
		g_array_append_val(outcomes, o);
	}
	d->report.failed += d->events->len;
	/* the central system failed as a whole: nothing more is sent until then, not even
	 * events never tried (a backlog would otherwise knock at a down server batch after
	 * batch) */
	{
		g_autofree gchar *until =
			g_strdup_printf("%" G_GINT64_FORMAT, d->report.next_try_us);
		if (!st_store_sync_state_set(self->store, "hold_until_us", until, error))
			return FALSE;
	}
	g_free(d->report.last_problem);
	d->report.last_problem = g_strdup(why);
	g_message("central system: %u event(s) not delivered, tried again later: %s",
		  d->events->len, why);
	return st_store_outbox_record(self->store, (StOutboxOutcome *)outcomes->data, outcomes->len,
				      error);
}

/* the answer to a batch: what became of each event */
static gboolean
st_sync_apply_results(StSync *self, StDrain *d, GHashTable *results, GError **error)
{
	g_autoptr(GArray) outcomes = g_array_new(FALSE, TRUE, sizeof(StOutboxOutcome));
	g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
	gint64 now = g_get_real_time();
	guint missing = 0;

	for (guint i = 0; i < d->events->len; i++) {
		const StOutboxEvent *e = g_ptr_array_index(d->events, i);
		const StEventResult *r = g_hash_table_lookup(results, e->idempotency_key);
		StOutboxOutcome o = {.event_id = e->id};
		if (r == NULL) {
			/* left out (the central system held it back behind a rejected event of
			 * its order, or forgot it): not delivered */
			o.kind = ST_OUTBOX_FAILED;
			o.message = "left out of the central system's answer";
			o.retry_at_us = now + st_sync_backoff_us(e->attempts + 1,
								 self->max_backoff_s, self->rand);
			if (d->report.next_try_us == 0 || o.retry_at_us < d->report.next_try_us)
				d->report.next_try_us = o.retry_at_us;
			missing++;
			d->report.failed++;
		} else if (r->status == ST_EVENT_REJECTED) {
			gchar *text =
				g_strdup_printf("rejected by the central system: %s", r->reason);
			g_ptr_array_add(texts, text);
			o.kind = ST_OUTBOX_PARKED;
			o.message = text;
			d->report.parked++;
			g_message("central system rejected event %" G_GINT64_FORMAT
				  " (%s%s%s): %s; it is parked, and the later events of its "
				  "order wait: `station sync retry %" G_GINT64_FORMAT
				  "` once fixed",
				  e->id, e->kind, e->order_number != NULL ? ", order " : "",
				  e->order_number != NULL ? e->order_number : "", r->reason, e->id);
		} else {
			o.kind = ST_OUTBOX_DELIVERED;
			d->report.delivered++;
			if (r->status == ST_EVENT_DUPLICATE)
				d->report.duplicates++;
		}
		g_array_append_val(outcomes, o);
	}
	if (missing > 0) {
		g_free(d->report.last_problem);
		d->report.last_problem = g_strdup_printf(
			"%u event(s) left out of the central system's answer", missing);
	}
	return st_store_outbox_record(self->store, (StOutboxOutcome *)outcomes->data, outcomes->len,
				      error);
}

/* a batch of one event the central system refused as a whole (400, 422): the event is
 * parked with the answer's first words, and its order's later events wait behind it */
static gboolean
st_sync_park_alone(StSync *self, StDrain *d, StCentralReply *reply, GError **error)
{
	const StOutboxEvent *e = g_ptr_array_index(d->events, 0);
	g_autofree gchar *said = NULL;
	g_autofree gchar *reason = NULL;
	StOutboxOutcome o = {.event_id = e->id, .kind = ST_OUTBOX_PARKED};
	gsize len = 0;
	const gchar *body = reply->body != NULL ? g_bytes_get_data(reply->body, &len) : NULL;

	if (body != NULL && len > 0) {
		g_autofree gchar *valid = g_utf8_make_valid(body, (gssize)MIN(len, 200));
		for (gchar *c = valid; *c != '\0'; c++)
			if ((guchar)*c < 0x20)
				*c = ' ';
		said = g_strdup(g_strstrip(valid));
	}
	reason = g_strdup_printf("the central system refused it (HTTP %u)%s%s", reply->status,
				 said != NULL && said[0] != '\0' ? ": " : "",
				 said != NULL ? said : "");
	o.message = reason;
	d->report.parked++;
	g_message("central system refused event %" G_GINT64_FORMAT " (%s%s%s): %s; it is parked, "
		  "and the later events of its order wait: `station sync retry %" G_GINT64_FORMAT
		  "` once fixed",
		  e->id, e->kind, e->order_number != NULL ? ", order " : "",
		  e->order_number != NULL ? e->order_number : "", reason, e->id);
	return st_store_outbox_record(self->store, &o, 1, error);
}

static void
st_sync_sent_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GTask *task = user_data;
	StSync *self = g_task_get_source_object(task);
	StDrain *d = g_task_get_task_data(task);
	g_autoptr(StCentralReply) reply =
		st_central_client_request_finish(ST_CENTRAL_CLIENT(source), result);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *why = NULL;
	gint retry_after = -1;
	gboolean stop = TRUE;

	d->report.batches++;
	if (g_task_return_error_if_cancelled(task)) {
		g_object_unref(task);
		return;
	}
	if (reply->status == 200) {
		g_autoptr(GHashTable) results = NULL;
		g_autoptr(GError) error_parse = NULL;
		gsize len = 0;
		const gchar *body =
			reply->body != NULL ? g_bytes_get_data(reply->body, &len) : NULL;
		results = st_cloudevents_parse_results(body != NULL ? body : "", len, &error_parse);
		if (results == NULL) {
			why = g_strdup_printf(
				"the central system's answer is not the contract's: %s",
				error_parse->message);
		} else {
			if (!st_sync_apply_results(self, d, results, &error)) {
				g_task_return_error(task, g_steal_pointer(&error));
				g_object_unref(task);
				return;
			}
			stop = FALSE;
		}
	} else if (reply->status == 413 && d->batch > 1) {
		d->batch = MAX(d->batch / 2, 1);
		g_message("central system: a batch of %u events is too large; sending %u at a "
			  "time",
			  d->events->len, d->batch);
		stop = FALSE;
	} else if ((reply->status == 400 || reply->status == 422) && d->events->len > 1) {
		/* maybe one event of the batch is what the central system cannot take: halved
		 * until it is alone */
		d->batch = MAX(d->events->len / 2, 1);
		g_message("central system: a batch of %u events refused (HTTP %u); sending %u at a "
			  "time to find the one it cannot take",
			  d->events->len, reply->status, d->batch);
		stop = FALSE;
	} else if (reply->status == 400 || reply->status == 422) {
		/* this event alone is refused: it can never succeed as it is */
		if (!st_sync_park_alone(self, d, reply, &error)) {
			g_task_return_error(task, g_steal_pointer(&error));
			g_object_unref(task);
			return;
		}
		d->batch = self->batch;
		stop = FALSE;
	} else if (reply->status == 0) {
		why = g_strdup(reply->error_text);
	} else if (reply->status == 401 || reply->status == 403) {
		why = g_strdup_printf("the central system refused the station's token or signature "
				      "(HTTP %u): check [central] token-file and hmac-secret-file",
				      reply->status);
	} else if (reply->status == 429) {
		why = g_strdup("the central system asks to slow down (HTTP 429)");
		retry_after = reply->retry_after_s;
	} else {
		why = g_strdup_printf("the central system answered HTTP %u", reply->status);
		if (reply->status == 503)
			retry_after = reply->retry_after_s;
	}
	if (why != NULL && !st_sync_fail_batch(self, d, why, retry_after, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		g_object_unref(task);
		return;
	}
	g_clear_pointer(&d->events, g_ptr_array_unref);
	if (stop) {
		/* the central system is failing: the drain ends; the events are due again at
		 * their retry time */
		g_task_return_boolean(task, TRUE);
		g_object_unref(task);
		return;
	}
	st_sync_drain_next(task);
}

static void
st_sync_drain_next(GTask *task)
{
	StSync *self = g_task_get_source_object(task);
	StDrain *d = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) body = NULL;
	g_autofree gchar *hold = st_store_sync_state_get(self->store, "hold_until_us", NULL);
	gint64 hold_until_us = hold != NULL ? g_ascii_strtoll(hold, NULL, 10) : 0;

	if (hold_until_us > g_get_real_time()) {
		/* the central system failed: the backoff's time is not over */
		d->report.next_try_us = hold_until_us;
		g_task_return_boolean(task, TRUE);
		g_object_unref(task);
		return;
	}

	d->events = st_store_outbox_next(self->store, g_get_real_time(), d->batch, &error);
	if (d->events == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		g_object_unref(task);
		return;
	}
	if (d->events->len == 0) {
		/* every event sent: then the claims of the orders opened here */
		g_clear_pointer(&d->events, g_ptr_array_unref);
		d->claims = st_store_get_pending_claims(self->store, 50, &error);
		if (d->claims == NULL) {
			g_task_return_error(task, g_steal_pointer(&error));
			g_object_unref(task);
			return;
		}
		d->claim_at = 0;
		st_sync_claim_next(task);
		return;
	}
	body = st_cloudevents_batch(d->events, self->station_id, &error);
	if (body == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		g_object_unref(task);
		return;
	}
	st_central_client_request_async(self->client, "POST", "/v1/events",
					ST_CLOUDEVENTS_CONTENT_TYPE, body,
					g_task_get_cancellable(task), st_sync_sent_cb, task);
}

static void
st_sync_claimed_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GTask *task = user_data;
	StSync *self = g_task_get_source_object(task);
	StDrain *d = g_task_get_task_data(task);
	const StOrderClaim *claim = g_ptr_array_index(d->claims, d->claim_at);
	g_autoptr(StCentralReply) reply =
		st_central_client_request_finish(ST_CENTRAL_CLIENT(source), result);
	g_autoptr(GError) error = NULL;
	gboolean ok = TRUE;

	if (g_task_return_error_if_cancelled(task)) {
		g_object_unref(task);
		return;
	}
	if (reply->status == 200) {
		ok = st_store_settle_claim(self->store, claim, "held", NULL, &error);
		d->report.claims_held++;
	} else if (reply->status == 409) {
		g_autofree gchar *holder = NULL;
		if (reply->body != NULL) {
			gsize len = 0;
			const gchar *data = g_bytes_get_data(reply->body, &len);
			holder = st_central_claim_holder(data, len);
		}
		ok = st_store_settle_claim(self->store, claim, "conflict", holder, &error);
		d->report.claims_conflict++;
		g_message("central system: order %s is held by station %s: the bench packing it "
			  "here is told at its next scan",
			  claim->number, holder != NULL ? holder : "(not named)");
	} else if (reply->status == 404) {
		ok = st_store_settle_claim(self->store, claim, "unknown", NULL, &error);
		g_message("central system: order %s is unknown there: its claim is not kept",
			  claim->number);
	} else {
		/* the claims wait for the next drain */
		d->report.claim_problem =
			reply->status == 0
				? g_strdup(reply->error_text)
				: g_strdup_printf("the central system answered HTTP %u to a claim",
						  reply->status);
		g_task_return_boolean(task, TRUE);
		g_object_unref(task);
		return;
	}
	if (!ok) {
		g_task_return_error(task, g_steal_pointer(&error));
		g_object_unref(task);
		return;
	}
	d->claim_at++;
	st_sync_claim_next(task);
}

static void
st_sync_claim_next(GTask *task)
{
	StSync *self = g_task_get_source_object(task);
	StDrain *d = g_task_get_task_data(task);
	const StOrderClaim *claim;
	g_autofree gchar *escaped = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(GBytes) body = NULL;

	if (d->claim_at >= d->claims->len) {
		g_task_return_boolean(task, TRUE);
		g_object_unref(task);
		return;
	}
	claim = g_ptr_array_index(d->claims, d->claim_at);
	escaped = g_uri_escape_string(claim->number, NULL, FALSE);
	path = g_strdup_printf("/v1/orders/%s/claim", escaped);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "station");
	json_builder_add_string_value(b, self->station_id);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	text = json_to_string(root, FALSE);
	body = g_bytes_new(text, strlen(text));
	st_central_client_request_async(self->client, "POST", path, "application/json", body,
					g_task_get_cancellable(task), st_sync_claimed_cb, task);
}

/**
 * st_sync_drain_async:
 *
 * Sends the due events, batch after batch, until none is due or a request fails (then the
 * failed events are due again after their backoff: call again then).
 */
void
st_sync_drain_async(StSync *self,
		    GCancellable *cancellable,
		    GAsyncReadyCallback callback,
		    gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	StDrain *d = g_new0(StDrain, 1);
	d->batch = self->batch;
	g_task_set_task_data(task, d, (GDestroyNotify)st_drain_free);
	st_sync_drain_next(task);
}

/**
 * st_sync_drain_finish:
 * @report: (out caller-allocates) (optional): what the drain did; clear it after
 *
 * Returns: FALSE when the store failed (the events stay undelivered)
 */
gboolean
st_sync_drain_finish(StSync *self, GAsyncResult *result, StSyncReport *report, GError **error)
{
	StDrain *d = g_task_get_task_data(G_TASK(result));
	if (report != NULL) {
		*report = d->report;
		d->report.last_problem = NULL;
		d->report.claim_problem = NULL;
	}
	return g_task_propagate_boolean(G_TASK(result), error);
}

void
st_pull_report_clear(StPullReport *self)
{
	g_clear_pointer(&self->problem, g_free);
	if (self->notes != NULL)
		g_clear_pointer(&self->notes, g_ptr_array_unref);
}

static void
st_pull_note(StPullReport *self, const gchar *sentence)
{
	if (self->notes == NULL)
		self->notes = g_ptr_array_new_with_free_func(g_free);
	if (self->notes->len < 100)
		g_ptr_array_add(self->notes, g_strdup(sentence));
}

/* the feeds pulled, in this order: the catalogue first, so that orders find their products */
typedef enum {
	ST_FEED_PRODUCTS,
	ST_FEED_LOCATIONS,
	ST_FEED_OPERATORS,
	ST_FEED_ORDERS,
	ST_FEED_LAST,
} StFeed;

static const gchar *const feed_names[] = {"products", "locations", "operators", "orders"};

typedef struct {
	StPullReport report;
	StFeed feed;
} StPull;

static void
st_pull_free(StPull *p)
{
	st_pull_report_clear(&p->report);
	g_free(p);
}

static void
st_sync_pull_next(GTask *task);

/* one order of a page: applied, or kept aside with an exception event saying why */
static gboolean
st_sync_apply_order(StSync *self, StPull *p, StCentralOrder *o, GError **error)
{
	g_autoptr(GError) error_apply = NULL;
	g_autofree gchar *detail = NULL;
	StCentralOrderOutcome outcome;
	StLabelSpec label = {.kind = "carrier-made",
			     .source = "central",
			     .format = o->label_format,
			     .content = o->label,
			     .order_number = o->number,
			     .reference = o->spec.tracking};

	if (o->unreadable == NULL &&
	    st_store_apply_central_order(self->store, &o->spec, o->label != NULL ? &label : NULL,
					 &outcome, &detail, &error_apply)) {
		switch (outcome) {
		case ST_CENTRAL_ORDER_ADDED:
			p->report.added++;
			break;
		case ST_CENTRAL_ORDER_UPDATED:
			p->report.updated++;
			g_message("central system: order %s changed before anyone started on it: "
				  "updated",
				  o->number);
			break;
		case ST_CENTRAL_ORDER_CANCELLED:
			p->report.cancelled++;
			g_message("central system: order %s cancelled", o->number);
			break;
		case ST_CENTRAL_ORDER_REFUSED:
			p->report.refused++;
			st_pull_note(&p->report, detail);
			g_message("central system: %s", detail);
			break;
		case ST_CENTRAL_ORDER_UNCHANGED:
		default:
			p->report.unchanged++;
			break;
		}
		return TRUE;
	}
	if (error_apply != NULL &&
	    !g_error_matches(error_apply, ST_STORE_ERROR, ST_ERROR_NOT_FOUND) &&
	    !g_error_matches(error_apply, ST_STORE_ERROR, ST_ERROR_INVALID_DATA)) {
		/* the store failed, not the order: the page is pulled again next time */
		g_propagate_error(error, g_steal_pointer(&error_apply));
		return FALSE;
	}
	{
		g_autofree gchar *why = g_strdup_printf(
			"order %s from the central system cannot be used: %s",
			o->number != NULL ? o->number : "(without a number)",
			o->unreadable != NULL ? o->unreadable : error_apply->message);
		p->report.unreadable++;
		st_pull_note(&p->report, why);
		g_message("central system: %s", why);
		return st_store_add_exception(self->store, 0, o->number, "central-order-unusable",
					      why, 0, error);
	}
}

/* one catalogue item: stored, or kept aside with an exception event saying why */
static gboolean
st_sync_apply_item(StSync *self, StPull *p, StCatalogueItem *it, GError **error)
{
	g_autoptr(GError) error_apply = NULL;
	const gchar *what = it->kind == ST_CATALOGUE_PRODUCTS	 ? "product"
			    : it->kind == ST_CATALOGUE_LOCATIONS ? "location"
								 : "operator";
	gboolean ok = FALSE;

	if (it->unreadable == NULL) {
		switch (it->kind) {
		case ST_CATALOGUE_PRODUCTS:
			ok = st_store_put_product(self->store, &it->product, NULL, &error_apply);
			p->report.products += ok;
			break;
		case ST_CATALOGUE_LOCATIONS:
			ok = st_store_put_location(self->store, &it->location, &error_apply);
			p->report.locations += ok;
			break;
		case ST_CATALOGUE_OPERATORS:
		default:
			ok = st_store_put_operator(self->store, &it->op, &error_apply);
			p->report.operators += ok;
			break;
		}
		if (ok)
			return TRUE;
		if (!g_error_matches(error_apply, ST_STORE_ERROR, ST_ERROR_NOT_FOUND) &&
		    !g_error_matches(error_apply, ST_STORE_ERROR, ST_ERROR_INVALID_DATA) &&
		    !g_error_matches(error_apply, ST_STORE_ERROR, ST_ERROR_EXISTS)) {
			g_propagate_error(error, g_steal_pointer(&error_apply));
			return FALSE;
		}
	}
	{
		g_autofree gchar *kind = g_strdup_printf("central-%s-unusable", what);
		g_autofree gchar *why = g_strdup_printf(
			"%s %s from the central system cannot be used: %s", what,
			it->key != NULL ? it->key : "(without its key)",
			it->unreadable != NULL ? it->unreadable : error_apply->message);
		p->report.unreadable++;
		st_pull_note(&p->report, why);
		g_message("central system: %s", why);
		return st_store_add_exception(self->store, 0, NULL, kind, why, 0, error);
	}
}

static void
st_sync_page_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GTask *task = user_data;
	StSync *self = g_task_get_source_object(task);
	StPull *p = g_task_get_task_data(task);
	g_autoptr(StCentralReply) reply =
		st_central_client_request_finish(ST_CENTRAL_CLIENT(source), result);
	g_autoptr(GPtrArray) orders = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *next = NULL;
	gboolean more = FALSE;
	gsize len = 0;
	const gchar *body;

	if (g_task_return_error_if_cancelled(task)) {
		g_object_unref(task);
		return;
	}
	if (reply->status == 404 && p->feed != ST_FEED_ORDERS) {
		/* a central system that does not keep this part of the catalogue: the CSV
		 * import does */
		p->feed++;
		st_sync_pull_next(task);
		return;
	}
	if (reply->status != 200) {
		g_autofree gchar *why =
			reply->status == 0
				? g_strdup(reply->error_text)
				: g_strdup_printf("the central system answered HTTP %u%s",
						  reply->status,
						  reply->status == 401 || reply->status == 403
							  ? ": check [central] token-file"
							  : "");
		g_free(p->report.problem);
		p->report.problem = g_strdup_printf("%s: %s", feed_names[p->feed], why);
		/* the other feeds are still asked (the next pull asks this one again) */
		p->feed++;
		st_sync_pull_next(task);
		return;
	}
	body = reply->body != NULL ? g_bytes_get_data(reply->body, &len) : NULL;
	if (p->feed == ST_FEED_ORDERS)
		orders = st_central_orders_parse(body != NULL ? body : "", len, &next, &more,
						 &error);
	else
		orders = st_central_catalogue_parse((StCatalogueKind)p->feed,
						    body != NULL ? body : "", len, &next, &more,
						    &error);
	if (orders == NULL) {
		g_free(p->report.problem);
		p->report.problem =
			g_strdup_printf("the central system's page of %s is not the contract's: %s",
					feed_names[p->feed], error->message);
		g_clear_error(&error);
		p->feed++;
		st_sync_pull_next(task);
		return;
	}
	p->report.pages++;
	for (guint i = 0; i < orders->len; i++) {
		gboolean ok =
			p->feed == ST_FEED_ORDERS
				? st_sync_apply_order(self, p, g_ptr_array_index(orders, i), &error)
				: st_sync_apply_item(self, p, g_ptr_array_index(orders, i), &error);
		if (!ok) {
			g_task_return_error(task, g_steal_pointer(&error));
			g_object_unref(task);
			return;
		}
	}
	/* the page is applied: the next pull starts after it */
	{
		g_autofree gchar *key = g_strdup_printf("%s_cursor", feed_names[p->feed]);
		if (!st_store_sync_state_set(self->store, key, next, &error)) {
			g_task_return_error(task, g_steal_pointer(&error));
			g_object_unref(task);
			return;
		}
	}
	if (!(more && orders->len > 0))
		p->feed++;
	st_sync_pull_next(task);
}

static void
st_sync_pull_next(GTask *task)
{
	StSync *self = g_task_get_source_object(task);
	StPull *p = g_task_get_task_data(task);
	g_autofree gchar *key = NULL;
	g_autofree gchar *cursor = NULL;
	g_autofree gchar *path = NULL;

	if (p->feed >= ST_FEED_LAST) {
		g_task_return_boolean(task, TRUE);
		g_object_unref(task);
		return;
	}
	key = g_strdup_printf("%s_cursor", feed_names[p->feed]);
	cursor = st_store_sync_state_get(self->store, key, NULL);
	if (cursor != NULL) {
		g_autofree gchar *escaped = g_uri_escape_string(cursor, NULL, FALSE);
		path = g_strdup_printf("/v1/%s?limit=100&since=%s", feed_names[p->feed], escaped);
	} else {
		path = g_strdup_printf("/v1/%s?limit=100", feed_names[p->feed]);
	}
	st_central_client_request_async(self->client, "GET", path, NULL, NULL,
					g_task_get_cancellable(task), st_sync_page_cb, task);
}

/**
 * st_sync_pull_async:
 *
 * Pulls the orders released, changed or cancelled since the last pull, page after page, and
 * applies each (st_store_apply_central_order()); the cursor moves past a page once it is
 * applied. A failed request ends the pull with the reason in the report (tried again at the
 * next pull); only the store failing is an error.
 */
void
st_sync_pull_async(StSync *self,
		   GCancellable *cancellable,
		   GAsyncReadyCallback callback,
		   gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_task_data(task, g_new0(StPull, 1), (GDestroyNotify)st_pull_free);
	st_sync_pull_next(task);
}

gboolean
st_sync_pull_finish(StSync *self, GAsyncResult *result, StPullReport *report, GError **error)
{
	StPull *p = g_task_get_task_data(G_TASK(result));
	if (report != NULL) {
		*report = p->report;
		p->report.problem = NULL;
		p->report.notes = NULL;
	}
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
st_sync_finalize(GObject *object)
{
	StSync *self = ST_SYNC(object);
	g_clear_object(&self->store);
	g_clear_object(&self->client);
	g_free(self->station_id);
	g_rand_free(self->rand);
	G_OBJECT_CLASS(st_sync_parent_class)->finalize(object);
}

static void
st_sync_class_init(StSyncClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = st_sync_finalize;
}

static void
st_sync_init(StSync *self)
{
	self->rand = g_rand_new();
}
