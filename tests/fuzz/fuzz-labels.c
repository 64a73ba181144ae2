/* Fuzz target: label data of any bytes through the ZPL building blocks. Code 128 (first byte
 * odd: GS1-128) either refuses with an error or gives a symbol whose check character holds
 * and whose ZPL spelling has no bare ^ or ~; ZPL field data either refuses non-UTF-8 or
 * gives text with no bare ^ or ~. */
#include <string.h>

#include "station/st-error.h"

#include "st-code128.h"
#include "st-zpl.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(GArray) codes = NULL;
	g_autofree gchar *zpl = NULL;
	g_autofree gchar *field = NULL;
	gboolean gs1;

	if (size < 1)
		return 0;
	gs1 = (data[0] & 1) != 0;
	codes = st_code128_encode(data + 1, size - 1, gs1, NULL);
	zpl = st_code128_to_zpl(data + 1, size - 1, gs1, NULL, NULL);
	g_assert((codes == NULL) == (zpl == NULL));
	if (codes != NULL) {
		guint32 sum = g_array_index(codes, guint8, 0);
		g_assert(codes->len >= 4);
		for (guint i = 1; i + 2 < codes->len; i++)
			sum += i * g_array_index(codes, guint8, i);
		g_assert(sum % 103 == g_array_index(codes, guint8, codes->len - 2));
		g_assert(strchr(zpl, '^') == NULL && strchr(zpl, '~') == NULL);
	}
	field = st_zpl_field_data((const gchar *)data + 1, (gssize)(size - 1), NULL);
	if (field != NULL)
		g_assert(strchr(field, '^') == NULL && strchr(field, '~') == NULL);
	return 0;
}
