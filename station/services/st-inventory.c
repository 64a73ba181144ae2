/*
 * Inventory questions asked by a code: a SKU, or any barcode of the product under any of its
 * forms (a UPC-A scanned for an EAN-13 in the catalogue, a GS1 scan for its GTIN). `station
 * stock` asks them; the API will too.
 */
#include <string.h>

#include "station/st-error.h"

#include "st-barcode.h"
#include "st-inventory.h"

/**
 * st_inventory_stock_by_code:
 * @code: a SKU or a barcode, as scanned or typed
 *
 * Returns: (transfer full): where the product is and how many, or NULL with
 * ST_ERROR_NOT_FOUND when no product has that SKU or barcode (or another error of the store)
 */
StStockReport *
st_inventory_stock_by_code(StStore *store, const gchar *code, GError **error)
{
	g_autoptr(StBarcode) barcode = st_barcode_parse((const guint8 *)code, strlen(code), NULL);
	g_autoptr(GPtrArray) forms = st_barcode_lookup_forms(barcode, code);

	for (guint i = 0; i < forms->len; i++) {
		g_autoptr(GError) error_local = NULL;
		StStockReport *report =
			st_store_get_stock(store, g_ptr_array_index(forms, i), &error_local);
		if (report != NULL)
			return report;
		if (!g_error_matches(error_local, ST_STORE_ERROR, ST_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
	}
	g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_NOT_FOUND, "no product has SKU or barcode %s",
		    code);
	return NULL;
}
