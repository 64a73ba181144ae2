/*
 * `station devices` (what is attached and which driver took it, or why not), `station
 * listen` (scans and weights from the attached devices as JSON lines) and `station hid
 * decode` (a capture pasted as hex reports, decoded as a device's driver would, as JSON
 * lines), so a shift lead can check a bench and a user can send a failing device's capture.
 */
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "station/st-bounded.h"
#include "station/st-error.h"

#include "station/st-capture.h"
#include "station/st-device-set.h"
#include "station/st-drivers.h"
#include "station/st-hid-replay.h"

#include "st-cli.h"
#include "st-config.h"
#include "st-device-commands.h"
#include "st-log.h"

static void
st_print_json(JsonBuilder *builder)
{
	g_autoptr(JsonNode) root = json_builder_get_root(builder);
	g_autofree gchar *text = json_to_string(root, FALSE);
	st_cli_print_json_line(text);
}

static gchar *
st_hex(GBytes *bytes)
{
	gsize len = 0;
	const guint8 *buf = g_bytes_get_data(bytes, &len);
	GString *str = g_string_sized_new(len * 2);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(str, "%02x", buf[i]);
	return g_string_free(str, FALSE);
}

static void
st_add_weight(JsonBuilder *b, const StWeight *w)
{
	gint64 mg = 0;
	g_autoptr(GError) error = NULL;

	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, st_weight_status_to_string(w->status));
	json_builder_set_member_name(b, "stable");
	json_builder_add_boolean_value(b, st_weight_is_stable(w));
	json_builder_set_member_name(b, "unit");
	json_builder_add_string_value(b, st_weight_unit_to_string(w->unit));
	json_builder_set_member_name(b, "value");
	json_builder_add_int_value(b, w->value);
	json_builder_set_member_name(b, "exponent");
	json_builder_add_int_value(b, w->exponent);
	if (st_weight_to_milligrams(w, &mg, &error)) {
		json_builder_set_member_name(b, "milligrams");
		json_builder_add_int_value(b, mg);
	} else {
		json_builder_set_member_name(b, "error");
		json_builder_add_string_value(b, error->message);
	}
}

/* the members every scan event has: text (or null for binary), display, hex, symbology */
static void
st_add_scan(JsonBuilder *b, StScan *scan)
{
	g_autofree gchar *display = st_scan_to_display(scan);
	g_autofree gchar *hex = st_hex(st_scan_get_data(scan));

	json_builder_set_member_name(b, "event");
	json_builder_add_string_value(b, "scan");
	json_builder_set_member_name(b, "text");
	if (st_scan_get_text(scan) != NULL)
		json_builder_add_string_value(b, st_scan_get_text(scan));
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "display");
	json_builder_add_string_value(b, display);
	json_builder_set_member_name(b, "hex");
	json_builder_add_string_value(b, hex);
	if (st_scan_get_symbology(scan) != NULL) {
		json_builder_set_member_name(b, "symbology");
		json_builder_add_string_value(b, st_scan_get_symbology(scan));
	}
}

/* ---- station devices ---- */

gint
st_cmd_devices(gint argc, gchar **argv)
{
	g_autofree gchar *config_path = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(StDeviceSet) set = NULL;
	g_autoptr(GPtrArray) usb = NULL;
	g_autofree gchar *group = NULL;
	gboolean udev_rules = FALSE;
	gint rc;
	GOptionEntry entries[] = {
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("Configuration file (default: $STATION_CONFIG, then "
		    "/etc/station/station.conf)"),
		 N_("FILE")},
		{"udev-rules", 0, 0, G_OPTION_ARG_NONE, &udev_rules,
		 N_("Print the udev rules that give station serve's group the "
		    "configured devices and the known models, for "
		    "/etc/udev/rules.d/70-station.rules"),
		 NULL},
		{"group", 0, 0, G_OPTION_ARG_STRING, &group,
		 N_("With --udev-rules: the group to give the devices to (default: "
		    "station, the systemd unit's)"),
		 N_("GROUP")},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("List the drivers, the configured devices, and every USB HID device attached:\n"
		   "which driver took it and why, or why none did. The devices are only looked\n"
		   "at, not used: a running `station serve` is not disturbed.\n"
		   "With --udev-rules, print instead the rules that let station serve, running as\n"
		   "its own user, open the configured scanners and scales:\n"
		   "  station devices --udev-rules | sudo tee /etc/udev/rules.d/70-station.rules"));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "devices", &argc, &argv, 0)) >= 0)
		return rc;
	config = st_cli_load_config("devices", config_path);
	if (config == NULL)
		return 1;
	if (udev_rules) {
		g_autofree gchar *rules = NULL;
		if (group != NULL && (group[0] == '\0' || strpbrk(group, "\"\\ \t\n") != NULL)) {
			g_printerr(_("station devices: --group '%s' is not a group name\n"), group);
			return 2;
		}
		rules = st_config_udev_rules(config, group != NULL ? group : "station");
		fputs(rules, stdout);
		return 0;
	}
	g_print(_("drivers:\n"));
	for (const StDriver *const *d = st_drivers_get_all(); *d != NULL; d++)
		g_print("  %-9s %s\n", (*d)->name, (*d)->description);
	g_print(_("configured devices:\n"));
	if (config->devices->len == 0)
		g_print(_("  none (known models are used without configuration)\n"));
	for (guint i = 0; i < config->devices->len; i++) {
		StDeviceInfo *info = g_ptr_array_index(config->devices, i);
		const gchar *keys[] = {"vid-pid", "serial", "port-path", "script", NULL};
		g_print(_("  %s: %s, driver %s"), info->id, st_device_role_to_string(info->role),
			st_device_info_get_option(info, "driver"));
		for (guint k = 0; keys[k] != NULL; k++) {
			const gchar *v = st_device_info_get_option(info, keys[k]);
			if (v != NULL)
				g_print(", %s %s", keys[k], v);
		}
		g_print("\n");
	}
	/* look at USB without claiming anything: no configured device is opened here */
	{
		g_autoptr(StConfig) look = st_config_new_default();
		look->usb_enabled = config->usb_enabled;
		for (guint i = 0; i < config->devices->len; i++) {
			StDeviceInfo *info = g_ptr_array_index(config->devices, i);
			if (g_strcmp0(st_device_info_get_option(info, "driver"), "emulated") != 0)
				g_ptr_array_add(look->devices, st_device_info_copy(info));
		}
		set = st_config_new_device_set(look);
		if (!st_device_set_start_looking(set, &error)) {
			g_printerr(_("station devices: %s\n"), error->message);
			return 1;
		}
		usb = st_device_set_describe_usb(set);
		g_print(_("usb:\n"));
		if (usb->len == 0)
			g_print(_("  no HID device attached\n"));
		for (guint i = 0; i < usb->len; i++)
			g_print("  %s\n", (const gchar *)g_ptr_array_index(usb, i));
		st_device_set_stop(set);
		g_clear_object(&set);
	}
	return 0;
}

/* ---- station listen ---- */

typedef struct {
	GMainLoop *loop;
	guint remaining; /* events to print before exiting; 0 = until a signal */
} StListen;

static void
st_listen_count(StListen *listen)
{
	if (listen->remaining > 0 && --listen->remaining == 0)
		g_main_loop_quit(listen->loop);
}

static void
st_listen_scan_cb(StDeviceSet *set, StDevice *device, StScan *scan, gpointer user_data)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "device");
	json_builder_add_string_value(b, st_device_get_id(device));
	st_add_scan(b, scan);
	json_builder_end_object(b);
	st_print_json(b);
	st_listen_count(user_data);
}

static void
st_listen_weight_cb(StDeviceSet *set, StDevice *device, StWeight *weight, gpointer user_data)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "device");
	json_builder_add_string_value(b, st_device_get_id(device));
	json_builder_set_member_name(b, "event");
	json_builder_add_string_value(b, "weight");
	st_add_weight(b, weight);
	json_builder_end_object(b);
	st_print_json(b);
	st_listen_count(user_data);
}

static void
st_listen_device_cb(StDeviceSet *set, StDevice *device, const gchar *event, const gchar *reason)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "device");
	json_builder_add_string_value(b, st_device_get_id(device));
	json_builder_set_member_name(b, "event");
	json_builder_add_string_value(b, event);
	if (reason != NULL) {
		json_builder_set_member_name(b, "reason");
		json_builder_add_string_value(b, reason);
	}
	json_builder_end_object(b);
	st_print_json(b);
}

static void
st_listen_added_cb(StDeviceSet *set, StDevice *device, gpointer user_data)
{
	g_autofree gchar *desc = st_device_describe(device);
	st_listen_device_cb(set, device, "added", desc);
}

static void
st_listen_removed_cb(StDeviceSet *set, StDevice *device, gpointer user_data)
{
	st_listen_device_cb(set, device, "removed", NULL);
}

static void
st_listen_lost_cb(StDeviceSet *set, StDevice *device, const gchar *reason, gpointer user_data)
{
	st_listen_device_cb(set, device, "scan-lost", reason);
}

static gboolean
st_listen_signal_cb(gpointer user_data)
{
	StListen *listen = user_data;
	g_main_loop_quit(listen->loop);
	return G_SOURCE_CONTINUE;
}

gint
st_cmd_listen(gint argc, gchar **argv)
{
	g_autofree gchar *config_path = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(StDeviceSet) set = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	gint count = 0;
	gint rc;
	guint sigint_id, sigterm_id;
	StListen listen = {0};
	GOptionEntry entries[] = {{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
				   N_("Configuration file (default: $STATION_CONFIG, then "
				      "/etc/station/station.conf)"),
				   N_("FILE")},
				  {"count", 'n', 0, G_OPTION_ARG_INT, &count,
				   N_("Exit after N scans and weights (default: run until Ctrl+C)"),
				   N_("N")},
				  {NULL}};

	g_option_context_set_summary(
		context,
		N_("Open the configured and known devices and print every scan, weight, device\n"
		   "added or removed and dropped scan as one JSON object a line, without\n"
		   "recording anything. Stop `station serve` first: a device has one owner."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "listen", &argc, &argv, 0)) >= 0)
		return rc;
	if (count < 0) {
		g_printerr(_("station listen: --count must be 0 or more\n"));
		return 2;
	}
	config = st_cli_load_config("listen", config_path);
	if (config == NULL)
		return 1;
	listen.loop = loop;
	listen.remaining = (guint)count;
	set = st_config_new_device_set(config);
	g_signal_connect(set, "scan", G_CALLBACK(st_listen_scan_cb), &listen);
	g_signal_connect(set, "weight", G_CALLBACK(st_listen_weight_cb), &listen);
	g_signal_connect(set, "device-added", G_CALLBACK(st_listen_added_cb), &listen);
	g_signal_connect(set, "device-removed", G_CALLBACK(st_listen_removed_cb), &listen);
	g_signal_connect(set, "scan-lost", G_CALLBACK(st_listen_lost_cb), &listen);
	if (!st_device_set_start(set, &error)) {
		g_printerr(_("station listen: %s\n"), error->message);
		return 1;
	}
	sigint_id = g_unix_signal_add(SIGINT, st_listen_signal_cb, &listen);
	sigterm_id = g_unix_signal_add(SIGTERM, st_listen_signal_cb, &listen);
	g_main_loop_run(loop);
	g_source_remove(sigint_id);
	g_source_remove(sigterm_id);
	g_signal_handlers_disconnect_by_data(set, &listen);
	st_device_set_stop(set);
	return 0;
}

/* ---- station hid decode ---- */

/* Returns: (transfer full): the bytes of a file of hex text ('#' starts a comment line) */
static GBytes *
st_read_hex_file(const gchar *path, GError **error)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	g_auto(GStrv) lines = NULL;

	/* a descriptor is at most a few KiB of hex, whatever the file is */
	if (!st_bounded_read_file(path, 256 * 1024, &text, NULL, error)) {
		g_prefix_error(error, "%s: ", path);
		return NULL;
	}
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] == '#')
			continue;
		if (!st_cli_parse_hex(lines[i], bytes, error)) {
			g_prefix_error(error, "%s line %u: ", path, i + 1);
			return NULL;
		}
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&bytes));
}

static void
st_hid_print_error(guint line, const gchar *message)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "line");
	json_builder_add_int_value(b, line);
	json_builder_set_member_name(b, "error");
	json_builder_add_string_value(b, message);
	json_builder_end_object(b);
	st_print_json(b);
}

static void
st_hid_print_scan(guint line, GBytes *data, GBytes *raw, const gchar *how)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(GBytes) copy = g_bytes_ref(data);
	g_autoptr(StScan) scan = st_scan_new("stdin", copy, raw);

	if (raw == NULL && how != NULL)
		st_scan_set_symbology(scan, how);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "line");
	json_builder_add_int_value(b, line);
	st_add_scan(b, scan);
	if (raw != NULL) {
		/* a keyboard wedge: how many reports, and what ended the scan */
		json_builder_set_member_name(b, "reports");
		json_builder_add_int_value(b, (gint64)g_bytes_get_size(raw) / 8);
		json_builder_set_member_name(b, "ended_by");
		json_builder_add_string_value(b, how);
	}
	json_builder_end_object(b);
	st_print_json(b);
}

/* a line of hex holding a report: a HID report is at most a few KiB (a full-speed interrupt
 * endpoint carries 64 bytes a transfer, a high-speed one 1024), written three characters a
 * byte at most */
#define ST_HID_LINE_MAX (64 * 1024)

/* one report through the driver's decoding: a scan or a weight printed, or why not */
static void
st_hid_feed(StHidReplay *replay, guint lineno, const guint8 *data, gsize len, guint *bad)
{
	g_auto(StHidReplayResult) result = {0};
	g_autoptr(GError) error_line = NULL;

	if (!st_hid_replay_feed(replay, data, len, &result, &error_line)) {
		st_hid_print_error(lineno, error_line->message);
		(*bad)++;
	} else if (result.event == ST_HID_REPLAY_SCAN) {
		st_hid_print_scan(lineno, result.data, result.raw, result.how);
	} else if (result.event == ST_HID_REPLAY_WEIGHT) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "line");
		json_builder_add_int_value(b, lineno);
		json_builder_set_member_name(b, "event");
		json_builder_add_string_value(b, "weight");
		st_add_weight(b, &result.weight);
		json_builder_end_object(b);
		st_print_json(b);
	}
}

gint
st_cmd_hid(gint argc, gchar **argv)
{
	g_autofree gchar *kind = NULL;
	g_autofree gchar *layout = NULL;
	g_autofree gchar *variant = NULL;
	g_autofree gchar *terminator = NULL;
	g_autofree gchar *descriptor_path = NULL;
	g_autofree gchar *capture_path = NULL, *device_filter = NULL;
	g_autoptr(StCapture) capture = NULL;
	g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	g_autoptr(GArray) input_lines = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autoptr(GOptionContext) context = g_option_context_new(N_("decode"));
	g_autoptr(GError) error = NULL;
	g_autoptr(StHidReplay) replay = NULL;
	g_autoptr(GBytes) descriptor = NULL;
	guint lineno = 0;
	guint bad = 0;
	gint rc;
	GOptionEntry entries[] = {
		{"kind", 'k', 0, G_OPTION_ARG_STRING, &kind,
		 N_("What sent the reports: keyboard (a keyboard-wedge scanner), pos-scanner (a "
		    "HID "
		    "POS "
		    "scanner) or scale"),
		 N_("KIND")},
		{"layout", 'l', 0, G_OPTION_ARG_STRING, &layout,
		 N_("keyboard: the layout the scanner is set to (default: us)"), N_("LAYOUT")},
		{"variant", 0, 0, G_OPTION_ARG_STRING, &variant,
		 N_("keyboard: the layout's variant"), N_("VARIANT")},
		{"terminator", 't', 0, G_OPTION_ARG_STRING, &terminator,
		 N_("keyboard: the keys that end a scan (default: enter,tab)"), N_("KEYS")},
		{"descriptor", 'd', 0, G_OPTION_ARG_FILENAME, &descriptor_path,
		 N_("a file with the device's HID report descriptor in hex (keyboard: for one "
		    "that is not a boot keyboard, default: boot reports; scale: default: the "
		    "common 6-byte layout; pos-scanner: needed; default with --capture: the one "
		    "the capture shows, if any)"),
		 N_("FILE")},
		{"capture", 'c', 0, G_OPTION_ARG_FILENAME, &capture_path,
		 N_("read the reports from a USB capture instead of hex lines: a usbmon capture "
		    "(pcap, from Wireshark or tcpdump on usbmonN) or an umockdev .ioctl record"),
		 N_("FILE")},
		{"device", 0, 0, G_OPTION_ARG_STRING, &device_filter,
		 N_("with --capture: the device, as BUS.DEVICE (lsusb's numbers), when the capture "
		    "holds more than one"),
		 N_("BUS.DEV")},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("Read HID reports from standard input, one per line in hex (as usbmon,\n"
		   "Wireshark or `station listen` show them; '#' starts a comment), and print\n"
		   "what the station's driver makes of them as JSON lines: scans for a\n"
		   "keyboard-wedge scanner, weights for a scale, and for each line it cannot\n"
		   "use, the line number and why. Exit status 1 if any line was refused.\n\n"
		   "With --capture, the reports come from a USB capture instead, and \"line\" is\n"
		   "the report's number in it.\n\n"
		   "Examples:\n"
		   "  printf '00 00 1e 00 00 00 00 00\\n00 00 28 00 00 00 00 00\\n' |\n"
		   "    station hid decode --kind keyboard --layout fr\n"
		   "  station hid decode --kind scale --capture scale.pcap"));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "hid", &argc, &argv, 1)) >= 0)
		return rc;
	if (argc != 2 || g_strcmp0(argv[1], "decode") != 0) {
		g_printerr(
			_("station hid: the only subcommand is decode (try station hid --help)\n"));
		return 2;
	}
	if (descriptor_path != NULL) {
		descriptor = st_read_hex_file(descriptor_path, &error);
		if (descriptor == NULL) {
			g_printerr(_("station hid decode: %s\n"), error->message);
			return 1;
		}
	}
	if (capture_path != NULL) {
		g_autofree gchar *bytes = NULL;
		gsize n = 0;
		if (!st_bounded_read_file(capture_path, ST_CAPTURE_MAX_SIZE, &bytes, &n, &error) &&
		    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)) {
			g_printerr(_("station hid decode: %s is over %d MiB; capture only the "
				     "device's "
				     "traffic\n"),
				   capture_path, ST_CAPTURE_MAX_SIZE / 1024 / 1024);
			return 1;
		}
		if (bytes == NULL ||
		    (capture = st_capture_parse((const guint8 *)bytes, n, &error)) == NULL) {
			g_printerr(_("station hid decode: %s: %s\n"), capture_path, error->message);
			return 1;
		}
		if (!st_capture_select(capture, device_filter, inputs, input_lines, &error)) {
			g_printerr(_("station hid decode: %s: %s\n"), capture_path, error->message);
			return 1;
		}
		if (descriptor == NULL && capture->report_descriptor != NULL)
			descriptor = g_bytes_ref(capture->report_descriptor);
	} else if (device_filter != NULL) {
		g_printerr(_("station hid decode: --device chooses a device of a --capture\n"));
		return 2;
	}
	replay = st_hid_replay_new(kind, layout, variant, terminator, descriptor, &error);
	if (replay == NULL) {
		if (g_error_matches(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG)) {
			g_printerr(_("station hid decode: %s\n"), error->message);
			return 2;
		}
		g_printerr(_("station hid decode: %s: %s\n"),
			   descriptor_path != NULL ? descriptor_path : capture_path,
			   error->message);
		return 1;
	}

	/* the reports of a capture, with each one's number in it; or the lines of standard
	 * input, each decoded as it comes (a person typing reports is answered line by line, and
	 * nothing but the line being read is held) */
	if (capture != NULL) {
		for (guint k = 0; k < inputs->len; k++) {
			GBytes *input = g_ptr_array_index(inputs, k);
			lineno = g_array_index(input_lines, guint, k);
			st_hid_feed(replay, lineno, g_bytes_get_data(input, NULL),
				    g_bytes_get_size(input), &bad);
		}
	} else {
		g_autoptr(GInputStream) fd = g_unix_input_stream_new(0, FALSE);
		g_autoptr(GBufferedInputStream) in = G_BUFFERED_INPUT_STREAM(
			g_buffered_input_stream_new_sized(fd, ST_HID_LINE_MAX + 1));
		for (;;) {
			g_autofree gchar *line = NULL;
			g_autoptr(GByteArray) report = g_byte_array_new();
			g_autoptr(GError) error_line = NULL;
			line = st_bounded_read_line(in, ST_HID_LINE_MAX, &error_line);
			if (line == NULL && error_line == NULL)
				break;
			lineno++;
			if (g_error_matches(error_line, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)) {
				g_autofree gchar *said = g_strdup_printf(
					_("a line longer than %d characters is not a HID report"),
					ST_HID_LINE_MAX);
				st_hid_print_error(lineno, said);
				bad++;
				if (!st_bounded_skip_line(in, &error))
					break;
				continue;
			}
			if (line == NULL) {
				g_printerr(_("station hid decode: reading standard input: %s\n"),
					   error_line->message);
				return 1;
			}
			g_strstrip(line);
			if (line[0] == '\0' || line[0] == '#')
				continue;
			if (!st_cli_parse_hex(line, report, &error_line)) {
				st_hid_print_error(lineno, error_line->message);
				bad++;
				continue;
			}
			st_hid_feed(replay, lineno, report->data, report->len, &bad);
		}
		if (error != NULL) {
			g_printerr(_("station hid decode: reading standard input: %s\n"),
				   error->message);
			return 1;
		}
	}
	{
		g_auto(StHidReplayResult) result = {0};
		if (st_hid_replay_flush(replay, &result))
			st_hid_print_scan(lineno, result.data, result.raw, result.how);
	}
	return bad > 0 ? 1 : 0;
}
