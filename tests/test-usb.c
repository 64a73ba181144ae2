/*
 * The USB device layer with real libusb and GUsb, devices emulated underneath by umockdev:
 * a configured keyboard-wedge scanner claimed (kernel driver detached) and read, layouts,
 * an ordinary keyboard left alone, a known model taken without configuration, unplug with a
 * read pending and replug, and the kernel driver given back at shutdown.
 */
#include "keyboard/st-keyboard-encoder.h"
#include "st-daemon.h"
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
on_result(StPackWorkflow *workflow, StScanResult *result, gpointer user_data)
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
	text = g_strdup_printf("[store]\npath = %s/station.db\n%s", fx->dir,
			       config_text != NULL ? config_text : "");
	config = st_config_load_data(text, strlen(text), "test.conf", &error);
	g_assert_no_error(error);
	fx->daemon = st_daemon_new(config);
	g_signal_connect(st_daemon_get_workflow(fx->daemon), "scan-result", G_CALLBACK(on_result),
			 fx);
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
	/* no order ORD-1 in an empty database: refused, but decoded as the de scanner typed */
	g_assert_cmpstr(fx->results->pdata[0], ==, "unknown-barcode: ORD-1");
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
	g_assert_cmpstr(fx->results->pdata[0], ==, "unknown-barcode: ORD-2");
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
	g_test_add(
		"/drivers/usb/unplug-replug", Fixture,
		"[device front]\ndriver = keyboard\nserial = SCN0001\ninter-key-timeout = 60000\n",
		fixture_set_up, test_unplug_replug, fixture_tear_down);
	return g_test_run();
}
