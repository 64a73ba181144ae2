/* Fuzz target: scale reports, through the test scale descriptor (first byte even) or the
 * common layout (odd), then converted to milligrams. */
#include "scale/st-scale-decoder.h"
#include "st-test-hid.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	static StScaleDecoder *decoders[2] = {NULL};
	StWeight w;
	gint64 mg;

	if (decoders[0] == NULL) {
		g_autoptr(GBytes) desc = g_bytes_new_static(st_test_scale_descriptor,
							    sizeof(st_test_scale_descriptor));
		decoders[0] = st_scale_decoder_new(desc, NULL);
		decoders[1] = st_scale_decoder_new(NULL, NULL);
	}
	if (size < 1)
		return 0;
	if (st_scale_decoder_decode(decoders[data[0] & 1], data + 1, size - 1, &w, NULL))
		st_weight_to_milligrams(&w, &mg, NULL);
	return 0;
}
