/*
 * Fuzz target: boot-keyboard reports into the decoder. The first byte picks the layout and
 * terminators; the rest is cut into reports, mostly 8 bytes, sometimes of another length
 * (which must be refused cleanly).
 */
#include "keyboard/st-keyboard-decoder.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	static StKeyboardDecoder *decoders[3] = {NULL};
	static const gchar *layouts[3] = {"us", "de", "fr"};
	StKeyboardDecoder *decoder;
	gsize pos = 1;

	if (size < 1)
		return 0;
	if (decoders[0] == NULL) {
		for (guint i = 0; i < G_N_ELEMENTS(decoders); i++)
			decoders[i] = st_keyboard_decoder_new(layouts[i], NULL, NULL);
	}
	decoder = decoders[data[0] % 3];
	st_keyboard_decoder_reset(decoder);
	st_keyboard_decoder_set_terminators(decoder, (data[0] >> 2) & 3);
	while (pos < size) {
		g_autoptr(GBytes) out = NULL;
		g_autoptr(GBytes) raw = NULL;
		gsize len = MIN(size - pos, 8);
		/* a report header byte 0xFE means: next chunk has the odd length in the byte after
		 */
		if (data[pos] == 0xFE && pos + 1 < size) {
			len = MIN(size - pos - 2, data[pos + 1] % 16);
			pos += 2;
		}
		st_keyboard_decoder_feed(decoder, data + pos, len, &out, &raw, NULL);
		pos += len;
		if (len == 0)
			break;
	}
	{
		g_autoptr(GBytes) out = NULL;
		g_autoptr(GBytes) raw = NULL;
		st_keyboard_decoder_flush(decoder, &out, &raw);
	}
	return 0;
}
