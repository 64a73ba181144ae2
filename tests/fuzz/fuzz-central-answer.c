/* Fuzz target: the central system's answer to a batch of events (station/sync/
 * st-cloudevents.c) and to a claim (st_central_claim_holder), any bytes. Either a table of results
 * whose every entry has an id and a status the contract knows (a rejection always with a reason of
 * at most 500 bytes), or an error saying why; never a crash, whatever the bytes, sizes and depths.
 */
#include <string.h>

#include "st-central-orders.h"
#include "st-cloudevents.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) results =
		st_cloudevents_parse_results((const gchar *)data, size, &error);
	GHashTableIter iter;
	gpointer key, value;

	/* the same bytes as a 409's answer to a claim */
	{
		g_autofree gchar *holder = st_central_claim_holder((const gchar *)data, size);
		if (holder != NULL) {
			g_assert_cmpuint(strlen(holder), <=, 64);
			g_assert_true(g_utf8_validate(holder, -1, NULL));
		}
	}

	if (results == NULL) {
		g_assert_nonnull(error);
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
		return 0;
	}
	g_assert_no_error(error);
	g_hash_table_iter_init(&iter, results);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		const StEventResult *r = value;
		g_assert_nonnull(key);
		g_assert_true(r->status == ST_EVENT_ACCEPTED || r->status == ST_EVENT_DUPLICATE ||
			      r->status == ST_EVENT_REJECTED);
		if (r->status == ST_EVENT_REJECTED)
			g_assert_nonnull(r->reason);
		if (r->reason != NULL)
			g_assert_cmpuint(strlen(r->reason), <=, 500);
	}
	return 0;
}
