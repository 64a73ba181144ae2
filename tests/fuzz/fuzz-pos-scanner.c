/* Fuzz target: HID POS scanner reports through the test scanner descriptor, several reports
 * a run (each prefixed by its length byte), so continuation is exercised. */
#include "posscanner/st-pos-scanner-decoder.h"
#include "st-test-hid.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	static StPosScannerDecoder *decoder = NULL;
	gsize pos = 0;

	if (decoder == NULL) {
		g_autoptr(GBytes) desc = g_bytes_new_static(st_test_pos_scanner_descriptor,
							    sizeof(st_test_pos_scanner_descriptor));
		decoder = st_pos_scanner_decoder_new(desc, NULL);
	}
	st_pos_scanner_decoder_reset(decoder);
	while (pos < size) {
		gsize len = MIN((gsize)data[pos], size - pos - 1);
		g_autoptr(GBytes) out = NULL;
		g_autofree gchar *aim = NULL;
		pos++;
		if (len > 0)
			st_pos_scanner_decoder_feed(decoder, data + pos, len, &out, &aim, NULL);
		pos += len;
	}
	return 0;
}
