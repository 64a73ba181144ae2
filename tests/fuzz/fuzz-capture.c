/*
 * Fuzz target: a USB capture handed to `station hid decode --capture` (a usbmon pcap or an
 * umockdev .ioctl record from a user): st_capture_parse either refuses it with a message or
 * gives reports whose bytes lie within the capture; it never reads past the bytes it got.
 */
#include "station/st-error.h"

#include "station/st-capture.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	/* a copy of exactly @size bytes, so ASan sees any read past the end */
	g_autofree guint8 *copy = g_memdup2(data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(StCapture) capture = st_capture_parse(copy, size, &error);

	if (capture == NULL) {
		g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
		return 0;
	}
	g_assert_no_error(error);
	for (guint i = 0; i < capture->reports->len; i++) {
		StCaptureReport *r = g_ptr_array_index(capture->reports, i);
		g_assert_cmpuint(g_bytes_get_size(r->data), <=, size);
		g_assert_true(r->endpoint & 0x80);
	}
	if (capture->report_descriptor != NULL)
		g_assert_cmpuint(g_bytes_get_size(capture->report_descriptor), <=, size);
	return 0;
}
