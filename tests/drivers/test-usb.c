/*
 * The USB device layer with real libusb and GUsb, devices emulated underneath by umockdev:
 * a configured keyboard-wedge scanner claimed (kernel driver detached) and read, layouts,
 * an ordinary keyboard left alone, a known model taken without configuration, unplug with a
 * read pending and replug, and the kernel driver given back at shutdown.
 */
#include "keyboard/st-keyboard-encoder.h"
#include "st-daemon.h"
#include "station/st-device-set.h"
#include "st-test-hid.h"
#include "st-test-usb.h"
#include "st-test-util.h"

typedef struct {
	gchar *dir;
	StTestUsb *bus;
	StDaemon *daemon;
	GPtrArray *results; /* of gchar*: "ok" or the refusal reason, then ": " and the text */
	GPtrArray *lost;
	GPtrArray *added; /* of gchar*: device ids */
} Fixture;

static void
on_result(StScanRouter *router, StVerdict *result, gpointer user_data)
{
	Fixture *fx = user_data;
	g_ptr_array_add(fx->results, g_strdup_printf("%s: %s", result->ok ? "ok" : result->reason,
						     result->display));
}

static void
on_lost(StDaemon *daemon, const gchar *device_id, const gchar *reason, gpointer user_data)
{
	Fixture *fx = user_data;
	g_ptr_array_add(fx->lost, g_strdup_printf("%s: %s", device_id, reason));
}

static void
on_added(StDaemon *daemon, StDevice *device, gpointer user_data)
{
	Fixture *fx = user_data;
	g_ptr_array_add(fx->added, g_strdup(st_device_get_id(device)));
}

static gboolean
timeout_cb(gpointer data)
{
	gboolean *expired = data;
	*expired = TRUE;
	return G_SOURCE_REMOVE;
}

/* runs the main loop until *@counter reaches @n; a generous safety limit turns a hang into
 * a failure (it is not a timing assertion) */
static void
wait_for(GPtrArray *array, guint n)
{
	gboolean expired = FALSE;
	guint id = g_timeout_add_seconds(20, timeout_cb, &expired);
	while (array->len < n && !expired)
		g_main_context_iteration(NULL, TRUE);
	if (!expired)
		g_source_remove(id);
	g_assert_cmpuint(array->len, >=, n);
}

/* runs the main loop until the device has no report waiting and its reads are re-armed */
static void
wait_idle(StTestUsbDevice *device)
{
	while (!st_test_usb_idle(device))
		g_main_context_iteration(NULL, TRUE);
}

static void
fixture_set_up(Fixture *fx, gconstpointer data)
{
	const gchar *config_text = data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *conf = NULL;
	g_autofree gchar *text = NULL;
	StConfig *config;

	if (!st_test_usb_available()) {
		g_test_skip("needs LD_PRELOAD=libumockdev-preload.so.0 (run through meson test)");
		return;
	}
	fx->dir = st_test_tmpdir_new();
	fx->bus = st_test_usb_new();
	fx->results = g_ptr_array_new_with_free_func(g_free);
	fx->lost = g_ptr_array_new_with_free_func(g_free);
	fx->added = g_ptr_array_new_with_free_func(g_free);
	/* no API: a test running beside it may hold 127.0.0.1:8080, and the daemon's warning
	 * about a taken port would end this test */
	text = g_strdup_printf("[store]\npath = %s/station.db\n[http]\nlisten = none\n%s", fx->dir,
			       config_text != NULL ? config_text : "");
	config = st_config_load_data(text, strlen(text), "test.conf", &error);
	g_assert_no_error(error);
	fx->daemon = st_daemon_new(config);
	g_signal_connect(st_daemon_get_router(fx->daemon), "verdict", G_CALLBACK(on_result), fx);
	g_signal_connect(fx->daemon, "scan-lost", G_CALLBACK(on_lost), fx);
	g_signal_connect(fx->daemon, "device-added", G_CALLBACK(on_added), fx);
	st_daemon_start(fx->daemon, &error);
	g_assert_no_error(error);
}

static void
fixture_tear_down(Fixture *fx, gconstpointer data)
{
	if (fx->daemon == NULL)
		return;
	st_daemon_stop(fx->daemon);
	g_object_unref(fx->daemon);
	st_test_usb_free(fx->bus);
	g_ptr_array_unref(fx->results);
	g_ptr_array_unref(fx->lost);
	g_ptr_array_unref(fx->added);
	st_test_tmpdir_free(fx->dir);
}

static const StTestUsbSpec scanner_spec = {
	.port = 2,
	.vid = 0x05e0,
	.pid = 0x1200,
	.manufacturer = "Example Scanners",
	.product = "Wedge Barcode Scanner",
	.serial = "SCN0001",
	.subclass = 1,
	.protocol = 1,
	.packet_size = 8,
	.report_descriptor = st_test_keyboard_descriptor,
	.report_descriptor_len = sizeof(st_test_keyboard_descriptor),
};

static const StTestUsbSpec keyboard_spec = {
	.port = 3,
	.vid = 0x046d,
	.pid = 0xc31c,
	.manufacturer = "Office Keyboards",
	.product = "USB Keyboard",
	.serial = NULL,
	.subclass = 1,
	.protocol = 1,
	.packet_size = 8,
	.report_descriptor = st_test_keyboard_descriptor,
	.report_descriptor_len = sizeof(st_test_keyboard_descriptor),
};

static void
type_on(StTestUsbDevice *device, const gchar *layout, const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardEncoder) encoder = st_keyboard_encoder_new(layout, NULL, &error);
	g_autoptr(GByteArray) reports = g_byte_array_new();
	g_assert_true(
		st_keyboard_encoder_type(encoder, text, -1, ST_KEYBOARD_GS_CTRL, reports, &error));
	for (guint i = 0; i + 8 <= reports->len; i += 8)
		st_test_usb_push_report(device, reports->data + i, 8);
}

static gboolean
quit_cb(gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
	return G_SOURCE_REMOVE;
}

static void
test_configured_scanner(Fixture *fx, gconstpointer data)
{
	StTestUsbDevice *scanner;

	if (fx->daemon == NULL)
		return;
	scanner = st_test_usb_add(fx->bus, &scanner_spec);
	wait_for(fx->added, 1);
	g_assert_cmpstr(fx->added->pdata[0], ==, "front");
	/* the station holds the interface, the kernel's usbhid does not: nothing leaks */
	g_assert_true(st_test_usb_is_claimed(scanner));
	g_assert_false(st_test_usb_kernel_attached(scanner));

	type_on(scanner, "de", "ORD-1\n");
	type_on(scanner, "de",
		"0109501101530003\x1d"
		"10LOT7\n");
	wait_for(fx->results, 2);
	/* no order ORD-1 in an empty database: refused as an order (the [barcodes] order pattern
	 * knows it), decoded as the de scanner typed */
	g_assert_cmpstr(fx->results->pdata[0], ==, "unknown-order: ORD-1");
	g_assert_cmpstr(fx->results->pdata[1], ==, "unknown-barcode: 0109501101530003<GS>10LOT7");

	/* at shutdown the interface is released and usbhid gets the device back */
	st_daemon_stop(fx->daemon);
	g_assert_false(st_test_usb_is_claimed(scanner));
	g_assert_true(st_test_usb_kernel_attached(scanner));
}

static void
test_keyboard_left_alone(Fixture *fx, gconstpointer data)
{
	StTestUsbDevice *keyboard;
	StTestUsbDevice *scanner;

	if (fx->daemon == NULL)
		return;
	keyboard = st_test_usb_add(fx->bus, &keyboard_spec);
	/* the known scanner model is taken without configuration, after the keyboard */
	scanner = st_test_usb_add(fx->bus, &scanner_spec);
	wait_for(fx->added, 1);
	g_assert_cmpstr(fx->added->pdata[0], ==, "usb-1-2-if0");
	g_assert_true(st_test_usb_is_claimed(scanner));
	g_assert_false(st_test_usb_is_claimed(keyboard));
	g_assert_true(st_test_usb_kernel_attached(keyboard));
	g_assert_cmpuint(st_daemon_get_devices(fx->daemon)->len, ==, 1);
}

static const StTestUsbSpec ids_scanner_spec = {
	.port = 6,
	.vid = 0x1eab,
	.pid = 0x0d22,
	.manufacturer = "Example Imagers",
	.product = "Keyboard-mode scanner with consumer keys",
	.subclass = 0, /* not a boot interface */
	.protocol = 0,
	.packet_size = 9,
	.report_descriptor = st_test_keyboard_ids_descriptor,
	.report_descriptor_len = sizeof(st_test_keyboard_ids_descriptor),
};

/* a keyboard-wedge scanner that is not a boot keyboard, its keys behind report id 1 and
 * consumer keys as report 2: taken when configured, its reports read through the descriptor,
 * the consumer report left out; the same device unconfigured is left to the system */
static void
test_report_id_scanner(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardEncoder) encoder = st_keyboard_encoder_new("us", NULL, &error);
	g_autoptr(GByteArray) reports = g_byte_array_new();
	const guint8 consumer[] = {0x02, 0xE9, 0x00};
	StTestUsbDevice *scanner;

	if (fx->daemon == NULL)
		return;
	scanner = st_test_usb_add(fx->bus, &ids_scanner_spec);
	wait_for(fx->added, 1);
	g_assert_cmpstr(fx->added->pdata[0], ==, "ids");
	g_assert_true(st_test_usb_is_claimed(scanner));
	g_assert_true(st_keyboard_encoder_type(encoder, "ORD-7\n", -1, ST_KEYBOARD_GS_CTRL, reports,
					       &error));
	for (guint i = 0; i + 8 <= reports->len; i += 8) {
		guint8 r[9] = {0x01};
		memcpy(r + 1, reports->data + i, 8);
		st_test_usb_push_report(scanner, r, sizeof(r));
		if (i == 8)
			st_test_usb_push_report(scanner, consumer, sizeof(consumer));
	}
	wait_for(fx->results, 1);
	g_assert_cmpstr(fx->results->pdata[0], ==, "unknown-order: ORD-7");
}

static void
test_report_id_keyboard_left_alone(Fixture *fx, gconstpointer data)
{
	StTestUsbDevice *device;

	if (fx->daemon == NULL)
		return;
	device = st_test_usb_add(fx->bus, &ids_scanner_spec);
	/* a known scanner plugged in after it is taken: the first was looked at and left */
	st_test_usb_add(fx->bus, &scanner_spec);
	wait_for(fx->added, 1);
	g_assert_cmpstr(fx->added->pdata[0], ==, "usb-1-2-if0");
	g_assert_false(st_test_usb_is_claimed(device));
	g_assert_true(st_test_usb_kernel_attached(device));
	g_assert_cmpuint(st_daemon_get_devices(fx->daemon)->len, ==, 1);
}

static void
test_unplug_replug(Fixture *fx, gconstpointer data)
{
	StTestUsbDevice *scanner;

	if (fx->daemon == NULL)
		return;
	scanner = st_test_usb_add(fx->bus, &scanner_spec);
	wait_for(fx->added, 1);
	/* reads are waiting on the device when it goes */
	g_assert_cmpuint(st_test_usb_in_flight(scanner), >, 0);
	type_on(scanner, "us", "ORD");
	/* every report read and the reads re-armed: the partial scan is in the decoder */
	wait_idle(scanner);
	g_assert_cmpuint(fx->results->len, ==, 0);
	st_test_usb_unplug(fx->bus, scanner);
	wait_for(fx->lost, 1);
	g_assert_cmpstr(fx->lost->pdata[0], ==,
			"front: partial scan dropped: device unplugged; scan the barcode again");
	while (st_daemon_get_devices(fx->daemon)->len > 0)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpuint(fx->results->len, ==, 0);

	/* plugged back in: taken again under the same name, and it scans */
	scanner = st_test_usb_add(fx->bus, &scanner_spec);
	wait_for(fx->added, 2);
	g_assert_cmpstr(fx->added->pdata[1], ==, "front");
	type_on(scanner, "us", "ORD-2\n");
	wait_for(fx->results, 1);
	g_assert_cmpstr(fx->results->pdata[0], ==, "unknown-order: ORD-2");
}

static const StTestUsbSpec scale_spec = {
	.port = 4,
	.vid = 0x0922,
	.pid = 0x8003,
	.manufacturer = "DYMO",
	.product = "M10 10 kg Digital Postal Scale",
	.serial = NULL,
	.subclass = 0,
	.protocol = 0,
	.packet_size = 6,
	.report_descriptor = st_test_scale_descriptor,
	.report_descriptor_len = sizeof(st_test_scale_descriptor),
};

static void
on_weight(StDaemon *daemon, StDevice *device, StWeight *weight, gpointer user_data)
{
	GPtrArray *weights = user_data;
	gint64 mg = 0;
	st_weight_to_milligrams(weight, &mg, NULL);
	g_ptr_array_add(weights,
			g_strdup_printf("%s %s %" G_GINT64_FORMAT, st_device_get_id(device),
					st_weight_status_to_string(weight->status), mg));
}

static StDevice *
find_device(Fixture *fx, const gchar *id)
{
	GPtrArray *devices = st_daemon_get_devices(fx->daemon);
	for (guint i = 0; i < devices->len; i++) {
		if (g_strcmp0(st_device_get_id(g_ptr_array_index(devices, i)), id) == 0)
			return g_ptr_array_index(devices, i);
	}
	return NULL;
}

static void
test_scanner_and_scale(Fixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) weights = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) output = NULL;
	StTestUsbDevice *scanner, *scale;
	StDevice *scale_device;
	StWeight w;
	/* a stale reading first (the M10 quirk), an impossible status, then the fixture's */
	const guint8 reports[][6] = {
		{3, 4, 2, 0, 0x0F, 0x27},     {3, 9, 2, 0, 0, 0},	{3, 2, 2, 0, 0, 0},
		{3, 3, 2, 0, 0xF4, 0x01},     {3, 3, 2, 0, 0xF4, 0x01}, {3, 4, 2, 0, 0xE8, 0x03},
		{3, 4, 11, 0xFF, 0x5F, 0x01},
	};

	if (fx->daemon == NULL)
		return;
	g_signal_connect(fx->daemon, "weight", G_CALLBACK(on_weight), weights);
	scanner = st_test_usb_add(fx->bus, &scanner_spec);
	scale = st_test_usb_add(fx->bus, &scale_spec);
	wait_for(fx->added, 2);
	scale_device = find_device(fx, "scale");
	g_assert_nonnull(scale_device);
	g_assert_cmpint(st_device_get_role(scale_device), ==, ST_DEVICE_ROLE_SCALE);
	g_assert_true(st_test_usb_is_claimed(scale));
	/* both devices have reads in flight at once, and both are served */
	g_assert_cmpuint(st_test_usb_in_flight(scanner), >, 0);
	g_assert_cmpuint(st_test_usb_in_flight(scale), >, 0);
	for (guint i = 0; i < G_N_ELEMENTS(reports); i++) {
		st_test_usb_push_report(scale, reports[i], sizeof(reports[i]));
		if (i == 3)
			type_on(scanner, "us", "ORD-9\n");
	}
	wait_for(weights, 4);
	wait_for(fx->results, 1);
	g_assert_cmpstr(fx->results->pdata[0], ==, "unknown-order: ORD-9");
	/* the stale 9999 g and the status 9 never became events; the repeat neither */
	g_assert_cmpuint(weights->len, ==, 4);
	g_assert_cmpstr(weights->pdata[0], ==, "scale stable-zero 0");
	g_assert_cmpstr(weights->pdata[1], ==, "scale in-motion 500000");
	g_assert_cmpstr(weights->pdata[2], ==, "scale stable 1000000");
	g_assert_cmpstr(weights->pdata[3], ==, "scale stable 995068");
	g_assert_true(st_device_get_stable_weight(scale_device, &w));
	g_assert_cmpint(w.unit, ==, ST_WEIGHT_UNIT_OUNCE);
	g_assert_cmpint(w.value, ==, 351);

	/* zero: the Zero Scale output report goes to the device */
	g_assert_true(st_device_zero(scale_device, &error));
	g_assert_no_error(error);
	output = st_test_usb_get_output(scale);
	g_assert_nonnull(output);
	g_assert_cmpmem(g_bytes_get_data(output, NULL), g_bytes_get_size(output), "\x05\x01", 2);
}

/* nothing happening: the station waits on its reads in flight and makes no call at all on
 * the devices (no polling, no timer asking the scale), as the nodes poll ready only when a
 * URB is done (the rig's gated nodes, like usbfs) */
static void
test_idle_no_polling(Fixture *fx, gconstpointer data)
{
	StTestUsbDevice *scanner, *scale;
	guint scanner_calls, scale_calls;
	gboolean done = FALSE;
	const guint8 reading[6] = {3, 4, 2, 0, 0xE8, 0x03};

	if (fx->daemon == NULL)
		return;
	scanner = st_test_usb_add(fx->bus, &scanner_spec);
	scale = st_test_usb_add(fx->bus, &scale_spec);
	wait_for(fx->added, 2);
	/* one reading (the first is skipped as stale), then quiet */
	st_test_usb_push_report(scale, reading, sizeof(reading));
	wait_idle(scale);
	wait_idle(scanner);
	scanner_calls = st_test_usb_ioctl_count(scanner);
	scale_calls = st_test_usb_ioctl_count(scale);
	g_timeout_add(500, quit_cb, &done);
	while (!done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpuint(st_test_usb_ioctl_count(scanner), ==, scanner_calls);
	g_assert_cmpuint(st_test_usb_ioctl_count(scale), ==, scale_calls);
	/* and both still answer at once */
	type_on(scanner, "us", "ORD-7\n");
	wait_for(fx->results, 1);
	g_assert_cmpstr(fx->results->pdata[0], ==, "unknown-order: ORD-7");
}

static const StTestUsbSpec pos_scanner_spec = {
	.port = 5,
	.vid = 0x1234,
	.pid = 0x5678,
	.manufacturer = "Example POS",
	.product = "HID POS Imager",
	.serial = "POS42",
	.subclass = 0,
	.protocol = 0,
	.packet_size = 64,
	.report_descriptor = st_test_pos_scanner_descriptor,
	.report_descriptor_len = sizeof(st_test_pos_scanner_descriptor),
};

static void
test_pos_scanner(Fixture *fx, gconstpointer data)
{
	g_autoptr(GBytes) output = NULL;
	StTestUsbDevice *scanner;
	StTestUsbSpec spec = pos_scanner_spec;
	guint8 report[62];
	const gchar part1[] = "0109501101530003\x1d";
	const gchar part2[] = "10AB";

	if (fx->daemon == NULL)
		return;
	/* as on real hardware: usbhid holds the interface, so the descriptor is read from
	 * sysfs, and only that identifies a HID POS scanner */
	spec.kernel_holds_descriptor = TRUE;
	scanner = st_test_usb_add(fx->bus, &spec);
	wait_for(fx->added, 1);
	g_assert_cmpstr(fx->added->pdata[0], ==, "usb-1-5-if0");
	/* one GS1 scan over two reports */
	st_test_pos_scanner_report(report, "]C1", (const guint8 *)part1, sizeof(part1) - 1, TRUE);
	st_test_usb_push_report(scanner, report, sizeof(report));
	st_test_pos_scanner_report(report, "]C1", (const guint8 *)part2, sizeof(part2) - 1, FALSE);
	st_test_usb_push_report(scanner, report, sizeof(report));
	wait_for(fx->results, 1);
	g_assert_cmpstr(fx->results->pdata[0], ==, "unknown-barcode: 0109501101530003<GS>10AB");
	/* the refusal made the scanner sound its error beep */
	output = st_test_usb_get_output(scanner);
	g_assert_nonnull(output);
	g_assert_cmpmem(g_bytes_get_data(output, NULL), g_bytes_get_size(output), "\x04\x02", 2);
}

static void
test_stalls(Fixture *fx, gconstpointer data)
{
	StTestUsbDevice *scanner;
	StTestUsbDevice *scale;
	g_autoptr(GPtrArray) weights = g_ptr_array_new_with_free_func(g_free);

	if (fx->daemon == NULL)
		return;
	g_signal_connect(fx->daemon, "weight", G_CALLBACK(on_weight), weights);
	scanner = st_test_usb_add(fx->bus, &scanner_spec);
	scale = st_test_usb_add(fx->bus, &scale_spec);
	wait_for(fx->added, 2);

	/* one stalled read is retried: the scanner goes on */
	st_test_usb_stall(scanner);
	wait_idle(scanner);
	type_on(scanner, "us", "ORD-5\n");
	wait_for(fx->results, 1);
	g_assert_cmpstr(fx->results->pdata[0], ==, "unknown-order: ORD-5");

	/* a device that only stalls is given up, with a message, and the other one goes on */
	for (guint i = 0; i < 5; i++) {
		while (st_test_usb_in_flight(scanner) == 0 &&
		       st_daemon_get_devices(fx->daemon)->len == 2)
			g_main_context_iteration(NULL, TRUE);
		st_test_usb_stall(scanner);
	}
	while (st_daemon_get_devices(fx->daemon)->len == 2)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpstr(st_device_get_id(g_ptr_array_index(st_daemon_get_devices(fx->daemon), 0)),
			==, "scale");
	{
		const guint8 stale[] = {3, 4, 2, 0, 0x0F, 0x27};
		const guint8 kilo[] = {3, 4, 2, 0, 0xE8, 0x03};
		st_test_usb_push_report(scale, stale, sizeof(stale));
		st_test_usb_push_report(scale, kilo, sizeof(kilo));
	}
	wait_for(weights, 1);
	g_assert_cmpstr(weights->pdata[0], ==, "scale stable 1000000");
}

static void
test_describe_only(void)
{
	g_autoptr(StTestUsb) bus = NULL;
	g_autoptr(StConfig) config = st_config_new_default();
	g_autoptr(StDeviceSet) set = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	StTestUsbDevice *scanner, *keyboard;

	if (!st_test_usb_available()) {
		g_test_skip("needs LD_PRELOAD=libumockdev-preload.so.0 (run through meson test)");
		return;
	}
	bus = st_test_usb_new();
	set = st_config_new_device_set(config);
	g_assert_true(st_device_set_start_looking(set, &error));
	g_assert_no_error(error);
	scanner = st_test_usb_add(bus, &scanner_spec);
	keyboard = st_test_usb_add(bus, &keyboard_spec);
	for (;;) {
		g_clear_pointer(&lines, g_ptr_array_unref);
		lines = st_device_set_describe_usb(set);
		if (lines->len >= 2)
			break;
		g_main_context_iteration(NULL, TRUE);
	}
	g_assert_nonnull(strstr(lines->pdata[0], "usb 1-2 if0 05e0:1200"));
	g_assert_nonnull(strstr(lines->pdata[0], "scanner as usb-1-2-if0 by driver keyboard"));
	g_assert_nonnull(strstr(lines->pdata[0], "serial SCN0001"));
	g_assert_nonnull(strstr(lines->pdata[1], "usb 1-3 if0 046d:c31c: not used"));
	g_assert_nonnull(strstr(lines->pdata[1], "left to the system"));
	/* looking claims nothing */
	g_assert_false(st_test_usb_is_claimed(scanner));
	g_assert_false(st_test_usb_is_claimed(keyboard));
	g_assert_true(st_test_usb_kernel_attached(scanner));
	st_device_set_stop(set);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/drivers/usb/configured-scanner", Fixture,
		   "[device front]\ndriver = keyboard\nvid-pid = 05e0:1200\nlayout = de\n",
		   fixture_set_up, test_configured_scanner, fixture_tear_down);
	g_test_add("/drivers/usb/keyboard-left-alone", Fixture, NULL, fixture_set_up,
		   test_keyboard_left_alone, fixture_tear_down);
	g_test_add("/drivers/usb/report-id-scanner", Fixture,
		   "[device ids]\ndriver = keyboard\nvid-pid = 1eab:0d22\n", fixture_set_up,
		   test_report_id_scanner, fixture_tear_down);
	g_test_add("/drivers/usb/report-id-keyboard-left-alone", Fixture, NULL, fixture_set_up,
		   test_report_id_keyboard_left_alone, fixture_tear_down);
	g_test_add(
		"/drivers/usb/unplug-replug", Fixture,
		"[device front]\ndriver = keyboard\nserial = SCN0001\ninter-key-timeout = 60000\n",
		fixture_set_up, test_unplug_replug, fixture_tear_down);
	g_test_add("/drivers/usb/scanner-and-scale", Fixture,
		   "[device scale]\ndriver = scale\nvid-pid = 0922:8003\nrole = scale\n",
		   fixture_set_up, test_scanner_and_scale, fixture_tear_down);
	g_test_add("/drivers/usb/idle-no-polling", Fixture,
		   "[device scale]\ndriver = scale\nvid-pid = 0922:8003\nrole = scale\n",
		   fixture_set_up, test_idle_no_polling, fixture_tear_down);
	g_test_add("/drivers/usb/pos-scanner", Fixture, NULL, fixture_set_up, test_pos_scanner,
		   fixture_tear_down);
	g_test_add("/drivers/usb/stalls", Fixture,
		   "[device scale]\ndriver = scale\nvid-pid = 0922:8003\nrole = scale\n",
		   fixture_set_up, test_stalls, fixture_tear_down);
	g_test_add_func("/drivers/usb/describe-only", test_describe_only);
	return g_test_run();
}
