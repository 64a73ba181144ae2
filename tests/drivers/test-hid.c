/*
 * Tests of the HID report descriptor parser: the boot keyboard of the HID specification, a
 * POS scale read against the report bytes of ../shared/fixtures/usb/scale.ioctl, and
 * descriptors that are truncated, unbalanced or nested without end.
 */
#include "hid/st-hid-descriptor.h"
#include "st-test-hid.h"
#include "station/st-error.h"

static void
test_keyboard(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StHidDescriptor) desc = st_hid_descriptor_parse(
		st_test_keyboard_descriptor, sizeof(st_test_keyboard_descriptor), &error);
	const StHidField *keys;
	const StHidField *shift;
	guint index = 0;
	gint64 v = 0;
	const guint8 report[] = {0x02, 0x00, 0x04, 0x05, 0, 0, 0, 0};

	g_assert_no_error(error);
	g_assert_false(desc->has_report_ids);
	g_assert_true(st_hid_descriptor_has_application(desc, ST_HID_USAGE(0x01, 0x06)));
	g_assert_cmpuint(st_hid_descriptor_report_bytes(desc, ST_HID_REPORT_INPUT, 0), ==, 8);
	g_assert_cmpuint(st_hid_descriptor_report_bytes(desc, ST_HID_REPORT_OUTPUT, 0), ==, 1);

	/* Left Shift is bit 1 of byte 0 */
	shift = st_hid_descriptor_find(desc, ST_HID_REPORT_INPUT, ST_HID_USAGE(0x07, 0xE1), &index);
	g_assert_nonnull(shift);
	g_assert_cmpuint(index, ==, 1);
	g_assert_true(st_hid_field_read(shift, FALSE, index, report, sizeof(report), &v, &error));
	g_assert_cmpint(v, ==, 1);

	/* the key array: 6 x 8 bits from byte 2 */
	keys = st_hid_descriptor_find(desc, ST_HID_REPORT_INPUT, ST_HID_USAGE(0x07, 0x04), &index);
	g_assert_nonnull(keys);
	g_assert_cmpuint(keys->count, ==, 6);
	g_assert_cmpuint(keys->bit_offset, ==, 16);
	g_assert_false(keys->flags & ST_HID_FLAG_VARIABLE);
	g_assert_true(st_hid_field_read(keys, FALSE, 1, report, sizeof(report), &v, &error));
	g_assert_cmpint(v, ==, 0x05);
}

static void
test_scale(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StHidDescriptor) desc = st_hid_descriptor_parse(
		st_test_scale_descriptor, sizeof(st_test_scale_descriptor), &error);
	const StHidField *status, *unit, *scaling, *weight, *zero;
	/* the last report of fixtures/usb/scale.ioctl: stable, ounces, 10^-1, 351 */
	const guint8 report[] = {0x03, 0x04, 0x0B, 0xFF, 0x5F, 0x01};
	gint64 v = 0;

	g_assert_no_error(error);
	g_assert_true(desc->has_report_ids);
	g_assert_true(st_hid_descriptor_has_usage_page(desc, 0x8D));
	g_assert_cmpuint(st_hid_descriptor_report_bytes(desc, ST_HID_REPORT_INPUT, 3), ==, 5);
	status = st_hid_descriptor_find(desc, ST_HID_REPORT_INPUT, ST_HID_USAGE(0x8D, 0x74), NULL);
	unit = st_hid_descriptor_find(desc, ST_HID_REPORT_INPUT, ST_HID_USAGE(0x8D, 0x5B), NULL);
	scaling = st_hid_descriptor_find(desc, ST_HID_REPORT_INPUT, ST_HID_USAGE(0x8D, 0x41), NULL);
	weight = st_hid_descriptor_find(desc, ST_HID_REPORT_INPUT, ST_HID_USAGE(0x8D, 0x40), NULL);
	zero = st_hid_descriptor_find(desc, ST_HID_REPORT_OUTPUT, ST_HID_USAGE(0x8D, 0x80), NULL);
	g_assert_nonnull(status);
	g_assert_nonnull(unit);
	g_assert_nonnull(scaling);
	g_assert_nonnull(weight);
	g_assert_nonnull(zero);
	g_assert_cmpuint(zero->report_id, ==, 5);

	g_assert_true(st_hid_field_read(status, TRUE, 0, report, sizeof(report), &v, &error));
	g_assert_cmpint(v, ==, 4);
	g_assert_true(st_hid_field_read(unit, TRUE, 0, report, sizeof(report), &v, &error));
	g_assert_cmpint(v, ==, 11);
	g_assert_true(st_hid_field_read(scaling, TRUE, 0, report, sizeof(report), &v, &error));
	g_assert_cmpint(v, ==, -1);
	g_assert_true(st_hid_field_read(weight, TRUE, 0, report, sizeof(report), &v, &error));
	g_assert_cmpint(v, ==, 351);

	/* a report cut short is refused, not read past its end */
	g_assert_false(st_hid_field_read(weight, TRUE, 0, report, 5, &v, &error));
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
}

typedef struct {
	const gchar *name;
	const guint8 *data;
	gsize len;
	const gchar *expect;
} BadDescriptor;

static const guint8 truncated[] = {0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x26, 0xFF};
static const guint8 unclosed[] = {0x05, 0x01, 0x09, 0x06, 0xA1, 0x01};
static const guint8 unbalanced[] = {0xC0};
static const guint8 pop_without_push[] = {0xB4};
static const guint8 bad_report_id[] = {0x85, 0x00};
static const guint8 long_item_cut[] = {0xFE, 0x10, 0x00, 0x01};
static guint8 deep[2 * 40];
static guint8 huge_report[] = {0x75, 0x20, 0x96, 0xFF, 0xFF, 0x81, 0x02};

static const BadDescriptor bad[] = {
	{"truncated", truncated, sizeof(truncated), "truncated"},
	{"unclosed", unclosed, sizeof(unclosed), "open collection"},
	{"unbalanced", unbalanced, sizeof(unbalanced), "without a Collection"},
	{"pop-without-push", pop_without_push, sizeof(pop_without_push), "Pop without Push"},
	{"bad-report-id", bad_report_id, sizeof(bad_report_id), "report id 0"},
	{"long-item-cut", long_item_cut, sizeof(long_item_cut), "truncated"},
	{"nested-without-end", deep, sizeof(deep), "nested deeper"},
	{"huge-report", huge_report, sizeof(huge_report), "too large"},
	{"empty", truncated, 0, "0 bytes"},
};

static void
test_bad(gconstpointer user_data)
{
	const BadDescriptor *c = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(StHidDescriptor) desc = st_hid_descriptor_parse(c->data, c->len, &error);
	g_assert_null(desc);
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
	if (strstr(error->message, c->expect) == NULL)
		g_error("%s: '%s' lacks '%s'", c->name, error->message, c->expect);
}

static void
test_class_descriptor(void)
{
	/* an unknown class descriptor first, then the HID descriptor announcing 63 bytes */
	const guint8 extra[] = {4, 0x24, 1, 2, 9, 0x21, 0x11, 0x01, 0, 1, 0x22, 63, 0};
	const guint8 liar[] = {9, 0x21, 0x11, 0x01, 0, 1, 0x22, 63}; /* bLength past the end */
	const guint8 zero[] = {0, 0, 9, 0x21, 0x11, 0x01, 0, 1, 0x22, 63, 0};
	g_assert_cmpuint(st_hid_class_descriptor_report_length(extra, sizeof(extra)), ==, 63);
	g_assert_cmpuint(st_hid_class_descriptor_report_length(liar, sizeof(liar)), ==, 0);
	g_assert_cmpuint(st_hid_class_descriptor_report_length(zero, sizeof(zero)), ==, 0);
	g_assert_cmpuint(st_hid_class_descriptor_report_length(extra, 0), ==, 0);
}

int
main(int argc, char **argv)
{
	for (guint i = 0; i + 1 < sizeof(deep); i += 2) {
		deep[i] = 0xA1;
		deep[i + 1] = 0x02;
	}
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/drivers/hid/keyboard", test_keyboard);
	g_test_add_func("/drivers/hid/scale", test_scale);
	g_test_add_func("/drivers/hid/class-descriptor", test_class_descriptor);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree gchar *name = g_strdup_printf("/drivers/hid/bad/%s", bad[i].name);
		g_test_add_data_func(name, &bad[i], test_bad);
	}
	return g_test_run();
}
