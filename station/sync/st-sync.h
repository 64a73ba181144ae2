/*
 * Delivering the outbox to the central order system: batches in order per order, retried
 * with exponential backoff and full jitter, a rejected event parked without holding back
 * other orders. Runs on the caller's main context (the daemon's, or `station sync push`'s):
 * the HTTP is asynchronous, and the store's work per batch is one short transaction.
 */
#pragma once

#include "station/st-store.h"

#include "st-central-client.h"

G_BEGIN_DECLS

#define ST_TYPE_SYNC (st_sync_get_type())
G_DECLARE_FINAL_TYPE(StSync, st_sync, ST, SYNC, GObject)

/* what one drain did */
typedef struct {
	guint batches;	 /* requests sent */
	guint delivered; /* accepted, and duplicates of events accepted before */
	guint duplicates;
	guint parked;	       /* rejected for good, with their reasons */
	guint failed;	       /* to be tried again */
	gchar *last_problem;   /* (nullable): why the last request failed */
	gint64 next_try_us;    /* when the next failed event is due (g_get_real_time()), 0: none */
	guint claims_held;     /* orders opened here that the central system gave this station */
	guint claims_conflict; /* ... that another station holds */
	gchar *claim_problem;  /* (nullable): why claims wait (they are sent at the next drain) */
} StSyncReport;

void
st_sync_report_clear(StSyncReport *self);

/* what one pull of orders did */
typedef struct {
	guint pages;
	guint added, updated, unchanged, cancelled;
	guint refused;	  /* changes the station kept its version against (an exception event) */
	guint unreadable; /* items not the contract's, or naming an unknown SKU */
	guint products, locations, operators; /* catalogue items stored (new or changed) */
	gchar *problem;			      /* (nullable): why the pull stopped early */
	GPtrArray *notes; /* (element-type utf8) (nullable): a sentence per order refused or
			   * unusable (the first 100) */
} StPullReport;

void
st_pull_report_clear(StPullReport *self);
void
st_sync_pull_async(StSync *self,
		   GCancellable *cancellable,
		   GAsyncReadyCallback callback,
		   gpointer user_data);
gboolean
st_sync_pull_finish(StSync *self, GAsyncResult *result, StPullReport *report, GError **error);

StSync *
st_sync_new(StStore *store,
	    StCentralClient *client,
	    const gchar *station_id,
	    guint batch,
	    guint max_backoff_s);
void
st_sync_drain_async(StSync *self,
		    GCancellable *cancellable,
		    GAsyncReadyCallback callback,
		    gpointer user_data);
gboolean
st_sync_drain_finish(StSync *self, GAsyncResult *result, StSyncReport *report, GError **error);
gint64
st_sync_backoff_us(guint attempts, guint max_backoff_s, GRand *rand);

G_END_DECLS
