/* Fuzz target: a page of the central system's catalogue (station/sync/
 * st-central-catalogue.c), any bytes; the first byte picks the feed (p products, l locations,
 * else operators). Either the page is refused with a reason, or each item is readable (with
 * its key and what its kind needs) or kept aside with why; never a crash. */
#include <string.h>

#include "st-central-catalogue.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *next = NULL;
	g_autoptr(GPtrArray) items = NULL;
	StCatalogueKind kind;
	gboolean more = FALSE;

	if (size == 0)
		return 0;
	kind = data[0] == 'p'	? ST_CATALOGUE_PRODUCTS
	       : data[0] == 'l' ? ST_CATALOGUE_LOCATIONS
				: ST_CATALOGUE_OPERATORS;
	items = st_central_catalogue_parse(kind, (const gchar *)data + 1, size - 1, &next, &more,
					   &error);
	if (items == NULL) {
		g_assert_nonnull(error);
		return 0;
	}
	g_assert_nonnull(next);
	for (guint i = 0; i < items->len; i++) {
		const StCatalogueItem *it = g_ptr_array_index(items, i);
		if (it->unreadable != NULL)
			continue;
		g_assert_nonnull(it->key);
		if (kind == ST_CATALOGUE_PRODUCTS) {
			g_assert_nonnull(it->product.sku);
			g_assert_nonnull(it->product.name);
			for (guint b = 0; it->product.barcodes[b] != NULL; b++)
				g_assert_cmpuint(strlen(it->product.barcodes[b]), <=, 64);
		} else if (kind == ST_CATALOGUE_LOCATIONS) {
			g_assert_nonnull(it->location.code);
		} else {
			g_assert_nonnull(it->op.badge);
			g_assert_nonnull(it->op.name);
		}
	}
	return 0;
}
