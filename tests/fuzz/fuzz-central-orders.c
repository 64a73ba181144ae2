/* Fuzz target: a page of orders from the central system (station/sync/st-central-orders.c),
 * any bytes. Either the page is refused with a reason, or every order in it is either
 * readable (a number, released or cancelled, lines of a SKU and 1 to 1000000 units, a label
 * that is what it says) or kept aside with why; never a crash, whatever the bytes. */
#include <string.h>

#include "st-central-orders.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *next = NULL;
	gboolean more = FALSE;
	g_autoptr(GPtrArray) orders =
		st_central_orders_parse((const gchar *)data, size, &next, &more, &error);

	if (orders == NULL) {
		g_assert_nonnull(error);
		g_assert_null(next);
		return 0;
	}
	g_assert_nonnull(next);
	g_assert_cmpuint(strlen(next), <=, 1024);
	for (guint i = 0; i < orders->len; i++) {
		const StCentralOrder *o = g_ptr_array_index(orders, i);
		if (o->unreadable != NULL)
			continue;
		g_assert_nonnull(o->number);
		g_assert_cmpuint(strlen(o->number), <=, 64);
		g_assert_true(o->spec.status == ST_ORDER_STATUS_RELEASED ||
			      o->spec.status == ST_ORDER_STATUS_CANCELLED);
		g_assert_cmpuint(o->spec.n_lines, <=, ST_CENTRAL_MAX_LINES);
		if (o->spec.status == ST_ORDER_STATUS_RELEASED)
			g_assert_cmpuint(o->spec.n_lines, >, 0);
		for (guint l = 0; l < o->spec.n_lines; l++) {
			g_assert_nonnull(o->spec.lines[l].sku);
			g_assert_cmpuint(o->spec.lines[l].quantity, >=, 1);
			g_assert_cmpuint(o->spec.lines[l].quantity, <=, 1000000);
		}
		if (o->label != NULL) {
			g_assert_cmpuint(g_bytes_get_size(o->label), <=, ST_CENTRAL_MAX_LABEL);
			g_assert_nonnull(o->spec.tracking);
		}
	}
	return 0;
}
