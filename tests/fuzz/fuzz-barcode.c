/* Fuzz target: barcode interpretation of any bytes, with and without an AIM identifier
 * (first byte odd: "]E0"), and its JSON form. */
#include "st-barcode.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(StBarcode) b = NULL;
	g_autofree gchar *json = NULL;
	if (size < 1)
		return 0;
	b = st_barcode_parse(data + 1, size - 1, (data[0] & 1) ? "]E0" : NULL);
	json = st_barcode_to_json(b);
	return 0;
}
