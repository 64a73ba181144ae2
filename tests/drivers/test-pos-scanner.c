/*
 * Tests of the HID POS scanner decoder: symbology and data, a scan over several reports,
 * binary data with zeros and GS kept exactly, refusals, reports of other ids, and the beep
 * output reports.
 */
#include "posscanner/st-pos-scanner-decoder.h"
#include "st-test-hid.h"
#include "station/st-error.h"

static StPosScannerDecoder *
decoder_new(void)
{
	g_autoptr(GBytes) desc = g_bytes_new_static(st_test_pos_scanner_descriptor,
						    sizeof(st_test_pos_scanner_descriptor));
	g_autoptr(GError) error = NULL;
	StPosScannerDecoder *decoder = st_pos_scanner_decoder_new(desc, &error);
	g_assert_no_error(error);
	return decoder;
}

static void
test_single(void)
{
	g_autoptr(StPosScannerDecoder) decoder = decoder_new();
	g_autoptr(GBytes) data = NULL;
	g_autofree gchar *aim = NULL;
	g_autoptr(GError) error = NULL;
	const gchar gs1[] = "0109501101530003\x1d"
			    "10AB";
	guint8 report[62];

	st_test_pos_scanner_report(report, "]C1", (const guint8 *)gs1, sizeof(gs1) - 1, FALSE);
	g_assert_true(
		st_pos_scanner_decoder_feed(decoder, report, sizeof(report), &data, &aim, &error));
	g_assert_no_error(error);
	g_assert_nonnull(data);
	g_assert_cmpstr(aim, ==, "]C1");
	g_assert_cmpmem(g_bytes_get_data(data, NULL), g_bytes_get_size(data), gs1, sizeof(gs1) - 1);
}

static void
test_continued_binary(void)
{
	g_autoptr(StPosScannerDecoder) decoder = decoder_new();
	g_autoptr(GBytes) data = NULL;
	g_autofree gchar *aim = NULL;
	g_autoptr(GError) error = NULL;
	guint8 payload[100];
	guint8 report[62];

	/* 100 bytes of a DataMatrix with zeros in it, over two reports */
	for (guint i = 0; i < sizeof(payload); i++)
		payload[i] = (guint8)(i % 7 == 0 ? 0 : i);
	st_test_pos_scanner_report(report, "]d2", payload, 56, TRUE);
	g_assert_true(
		st_pos_scanner_decoder_feed(decoder, report, sizeof(report), &data, &aim, &error));
	g_assert_null(data);
	g_assert_true(st_pos_scanner_decoder_has_pending(decoder));
	st_test_pos_scanner_report(report, "]d2", payload + 56, 44, FALSE);
	g_assert_true(
		st_pos_scanner_decoder_feed(decoder, report, sizeof(report), &data, &aim, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(aim, ==, "]d2");
	g_assert_cmpmem(g_bytes_get_data(data, NULL), g_bytes_get_size(data), payload,
			sizeof(payload));
}

static void
test_refusals(void)
{
	g_autoptr(StPosScannerDecoder) decoder = decoder_new();
	g_autoptr(GBytes) data = NULL;
	g_autoptr(GError) error = NULL;
	guint8 report[62];
	const guint8 status[] = {7, 1, 2, 3};

	/* a length larger than the report holds */
	st_test_pos_scanner_report(report, "]C0", (const guint8 *)"x", 1, FALSE);
	report[1] = 57;
	g_assert_false(
		st_pos_scanner_decoder_feed(decoder, report, sizeof(report), &data, NULL, &error));
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
	g_clear_error(&error);
	/* cut short */
	st_test_pos_scanner_report(report, "]C0", (const guint8 *)"abc", 3, FALSE);
	g_assert_false(st_pos_scanner_decoder_feed(decoder, report, 20, &data, NULL, &error));
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_false(st_pos_scanner_decoder_has_pending(decoder));
	/* another report id: not a scan, not an error */
	g_assert_true(
		st_pos_scanner_decoder_feed(decoder, status, sizeof(status), &data, NULL, &error));
	g_assert_no_error(error);
	g_assert_null(data);
}

static void
test_beeps(void)
{
	g_autoptr(StPosScannerDecoder) decoder = decoder_new();
	g_autoptr(GByteArray) report = g_byte_array_new();
	g_autoptr(GError) error = NULL;
	guint8 id = 0;

	g_assert_true(st_pos_scanner_decoder_make_beep(decoder, TRUE, &id, report, &error));
	g_assert_cmpuint(id, ==, 4);
	g_assert_cmpuint(report->len, ==, 1);
	g_assert_cmpuint(report->data[0], ==, 0x01);
	g_assert_true(st_pos_scanner_decoder_make_beep(decoder, FALSE, &id, report, &error));
	g_assert_cmpuint(report->data[0], ==, 0x02);
}

static void
test_no_data_field(void)
{
	g_autoptr(GBytes) desc =
		g_bytes_new_static(st_test_scale_descriptor, sizeof(st_test_scale_descriptor));
	g_autoptr(GError) error = NULL;
	g_autoptr(StPosScannerDecoder) decoder = st_pos_scanner_decoder_new(desc, &error);
	g_assert_null(decoder);
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/drivers/pos-scanner/single", test_single);
	g_test_add_func("/drivers/pos-scanner/continued-binary", test_continued_binary);
	g_test_add_func("/drivers/pos-scanner/refusals", test_refusals);
	g_test_add_func("/drivers/pos-scanner/beeps", test_beeps);
	g_test_add_func("/drivers/pos-scanner/no-data-field", test_no_data_field);
	return g_test_run();
}
