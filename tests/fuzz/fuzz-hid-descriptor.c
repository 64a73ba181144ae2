/* Fuzz target: HID report descriptors, and reading every field of the parsed result from
 * the bytes that follow the descriptor (first byte: descriptor length); the same bytes as a
 * keyboard's report read through the descriptor into a boot report. */
#include "hid/st-hid-descriptor.h"
#include "keyboard/st-keyboard-report.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(StHidDescriptor) desc = NULL;
	gsize dlen;

	if (size < 1)
		return 0;
	/* the same bytes as the descriptors after an interface descriptor */
	st_hid_class_descriptor_report_length(data, size);
	dlen = MIN((gsize)data[0] * 4, size - 1);
	desc = st_hid_descriptor_parse(data + 1, dlen, NULL);
	if (desc == NULL)
		return 0;
	for (guint i = 0; i < desc->fields->len; i++) {
		const StHidField *f = g_ptr_array_index(desc->fields, i);
		for (guint e = 0; e < MIN(f->count, 64); e++) {
			gint64 v;
			st_hid_field_read(f, desc->has_report_ids, e, data + 1 + dlen,
					  size - 1 - dlen, &v, NULL);
			st_hid_field_get_usage(f, e);
		}
	}
	g_free(st_hid_descriptor_to_string(desc));
	{
		g_autoptr(StKeyboardReport) kbd = st_keyboard_report_new(data + 1, dlen, NULL);
		guint8 boot[8];
		gboolean is_keyboard;
		if (kbd != NULL)
			st_keyboard_report_to_boot(kbd, data + 1 + dlen, size - 1 - dlen, boot,
						   &is_keyboard, NULL);
	}
	return 0;
}
