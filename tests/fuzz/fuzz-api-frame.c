/* Fuzz target: a camera frame decoded on the station (station/api/st-api-decode.c). The first
 * three bytes give the frame's width (16 + a 16-bit number modulo 305) and height (16 + a
 * byte modulo 64); the rest is its grey pixels. A frame whose size does not match is refused
 * with a reason; one that does is read by zbar, never past its end; what zbar finds is text
 * of the length it says. */
#include <string.h>

#include "st-api-decode.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) codes = NULL;
	g_autofree guint8 *pixels = NULL;
	guint64 width, height;

	if (size < 3)
		return 0;
	width = 16 + (data[0] | (guint)data[1] << 8) % 305;
	height = 16 + data[2] % 64;
	/* a copy of exactly the pixels given: a read past them is caught by ASan */
	pixels = g_memdup2(data + 3, size - 3);
	codes = st_api_decode_frame(pixels, size - 3, width, height, &error);
	if (codes == NULL) {
		g_assert_nonnull(error);
		g_assert_cmpuint(size - 3, !=, width * height);
		return 0;
	}
	g_assert_cmpuint(size - 3, ==, width * height);
	for (guint i = 0; i < codes->len; i++) {
		const StApiCode *c = g_ptr_array_index(codes, i);
		g_assert_nonnull(c->symbology);
		g_assert_cmpuint(strlen(c->text), <=, c->len);
	}
	return 0;
}
