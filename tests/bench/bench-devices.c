/*
 * Benchmarks of the device layer, each against a baseline measured in the same run:
 * - decode throughput (reports per second) of the keyboard-wedge, HID POS scanner and scale
 *   decoders, against a bare copy-and-scan loop over the same bytes;
 * - latency from a report's arrival on the (umockdev-emulated) USB bus to the scan or weight
 *   event on the main loop, median and p99, through the real libusb/GUsb path;
 * - CPU used per second while devices are attached and nothing happens.
 * Prints figures; asserts no time.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "keyboard/st-keyboard-decoder.h"
#include "keyboard/st-keyboard-encoder.h"
#include "posscanner/st-pos-scanner-decoder.h"
#include "scale/st-scale-decoder.h"
#include "station/st-device-set.h"
#include "st-config.h"
#include "st-log.h"
#include "st-test-hid.h"
#include "st-bench.h"
#include "st-test-usb.h"

static gint
cmp_gint64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
	return x < y ? -1 : x > y;
}

static gdouble
median_of(GArray *a)
{
	g_array_sort(a, cmp_gint64);
	return (gdouble)g_array_index(a, gint64, a->len / 2);
}

static gdouble
p99_of(GArray *a)
{
	g_array_sort(a, cmp_gint64);
	return (gdouble)g_array_index(a, gint64, MIN(a->len - 1, a->len * 99 / 100));
}

/* the baseline: copy each report and look at every byte, as any reader must */
static guint64
baseline_pass(const guint8 *buf, gsize len, gsize report_size)
{
	guint8 tmp[64];
	guint64 sum = 0;
	for (gsize i = 0; i + report_size <= len; i += report_size) {
		memcpy(tmp, buf + i, report_size);
		for (gsize j = 0; j < report_size; j++)
			sum += tmp[j];
	}
	return sum;
}

typedef gsize (*PassFunc)(gpointer decoder, const guint8 *buf, gsize len);

static gsize
keyboard_pass(gpointer decoder, const guint8 *buf, gsize len)
{
	gsize scans = 0;
	for (gsize i = 0; i + 8 <= len; i += 8) {
		g_autoptr(GBytes) data = NULL;
		st_keyboard_decoder_feed(decoder, buf + i, 8, &data, NULL, NULL);
		scans += data != NULL;
	}
	return scans;
}

static gsize
pos_pass(gpointer decoder, const guint8 *buf, gsize len)
{
	gsize scans = 0;
	for (gsize i = 0; i + 62 <= len; i += 62) {
		g_autoptr(GBytes) data = NULL;
		g_autofree gchar *aim = NULL;
		st_pos_scanner_decoder_feed(decoder, buf + i, 62, &data, &aim, NULL);
		scans += data != NULL;
	}
	return scans;
}

static gsize
scale_pass(gpointer decoder, const guint8 *buf, gsize len)
{
	gsize n = 0;
	for (gsize i = 0; i + 6 <= len; i += 6) {
		StWeight w;
		n += st_scale_decoder_decode(decoder, buf + i, 6, &w, NULL);
	}
	return n;
}

/* runs @pass and the baseline alternately, 9 rounds; prints medians in reports/s */
static void
throughput(const gchar *name,
	   gpointer decoder,
	   PassFunc pass,
	   GByteArray *stream,
	   gsize report_size)
{
	g_autoptr(GArray) t_dec = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GArray) t_base = g_array_new(FALSE, FALSE, sizeof(gint64));
	gsize reports = stream->len / report_size;
	volatile guint64 sink = 0;
	gdouble dec, base;

	for (guint round = 0; round < 9; round++) {
		gint64 t0 = g_get_monotonic_time();
		sink += pass(decoder, stream->data, stream->len);
		g_array_append_val(t_dec, (gint64){g_get_monotonic_time() - t0});
		t0 = g_get_monotonic_time();
		sink += baseline_pass(stream->data, stream->len, report_size);
		g_array_append_val(t_base, (gint64){g_get_monotonic_time() - t0});
	}
	dec = reports / (median_of(t_dec) / 1e6);
	base = reports / (MAX(median_of(t_base), 1) / 1e6);
	printf("  %-22s %12.0f reports/s   baseline copy loop %14.0f reports/s   ratio %.4f\n",
	       name, dec, base, dec / base);
	(void)sink;
}

static void
bench_throughput(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardEncoder) enc = st_keyboard_encoder_new("us", NULL, &error);
	g_autoptr(StKeyboardDecoder) kbd = st_keyboard_decoder_new("us", NULL, &error);
	g_autoptr(GBytes) pos_desc = g_bytes_new_static(st_test_pos_scanner_descriptor,
							sizeof(st_test_pos_scanner_descriptor));
	g_autoptr(GBytes) scale_desc =
		g_bytes_new_static(st_test_scale_descriptor, sizeof(st_test_scale_descriptor));
	g_autoptr(StPosScannerDecoder) pos = st_pos_scanner_decoder_new(pos_desc, &error);
	g_autoptr(StScaleDecoder) scale = st_scale_decoder_new(scale_desc, &error);
	g_autoptr(GByteArray) kstream = g_byte_array_new();
	g_autoptr(GByteArray) pstream = g_byte_array_new();
	g_autoptr(GByteArray) sstream = g_byte_array_new();

	for (guint i = 0; i < 2000; i++)
		st_keyboard_encoder_type(enc,
					 "(01)09501101530003\x1d"
					 "10LOT-7\n",
					 -1, ST_KEYBOARD_GS_CTRL, kstream, NULL);
	for (guint i = 0; i < 50000; i++) {
		guint8 r[62];
		st_test_pos_scanner_report(r, "]C1",
					   (const guint8 *)"0109501101530003\x1d"
							   "10AB",
					   22, FALSE);
		g_byte_array_append(pstream, r, sizeof(r));
	}
	for (guint i = 0; i < 200000; i++) {
		guint8 r[6] = {3, 4, 2, 0, (guint8)i, (guint8)(i >> 8)};
		g_byte_array_append(sstream, r, sizeof(r));
	}
	printf("decode throughput (median of 9 rounds)\n");
	throughput("keyboard wedge (us)", kbd, keyboard_pass, kstream, 8);
	throughput("HID POS scanner", pos, pos_pass, pstream, 62);
	throughput("HID POS scale", scale, scale_pass, sstream, 6);
}

typedef struct {
	gint64 at;
	guint events;
} Seen;

static void
on_scan(StDeviceSet *set, StDevice *device, StScan *scan, gpointer data)
{
	Seen *seen = data;
	seen->at = g_get_monotonic_time();
	seen->events++;
}

static void
on_weight(StDeviceSet *set, StDevice *device, StWeight *w, gpointer data)
{
	Seen *seen = data;
	seen->at = g_get_monotonic_time();
	seen->events++;
}

static void
on_added(StDeviceSet *set, StDevice *device, gpointer data)
{
	(*(guint *)data)++;
}

static gdouble
cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static gdouble
idle_cpu(guint seconds)
{
	gdouble c0 = cpu_seconds();
	gint64 end = g_get_monotonic_time() + seconds * G_USEC_PER_SEC;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	guint id = g_timeout_add_seconds(seconds, (GSourceFunc)g_main_loop_quit, loop);
	g_main_loop_run(loop);
	(void)id;
	(void)end;
	return (cpu_seconds() - c0) / seconds;
}

static void
bench_latency(guint n)
{
	g_autoptr(StTestUsb) bus = st_test_usb_new();
	g_autoptr(StConfig) config = st_config_new_default();
	g_autoptr(StDeviceSet) set = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardEncoder) enc = st_keyboard_encoder_new("us", NULL, &error);
	g_autoptr(GByteArray) scan = g_byte_array_new();
	g_autoptr(GArray) kbd_lat = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GArray) scale_lat = g_array_new(FALSE, FALSE, sizeof(gint64));
	StTestUsbSpec scanner = {.port = 2,
				 .vid = 0x05e0,
				 .pid = 0x1200,
				 .manufacturer = "X",
				 .product = "Y",
				 .subclass = 1,
				 .protocol = 1,
				 .packet_size = 8,
				 .report_descriptor = st_test_keyboard_descriptor,
				 .report_descriptor_len = sizeof(st_test_keyboard_descriptor)};
	StTestUsbSpec scale = {.port = 3,
			       .vid = 0x0922,
			       .pid = 0x8003,
			       .manufacturer = "X",
			       .product = "Y",
			       .packet_size = 6,
			       .report_descriptor = st_test_scale_descriptor,
			       .report_descriptor_len = sizeof(st_test_scale_descriptor)};
	StTestUsbDevice *sd, *wd;
	Seen seen = {0};
	guint added = 0;
	gdouble idle_with, idle_without;

	idle_without = idle_cpu(2);
	/* nodes that poll ready only when a URB is done, as usbfs: the idle figure is then the
	 * daemon's, not the emulation's */
	st_test_usb_set_gated(bus, TRUE);
	set = st_config_new_device_set(config);
	g_signal_connect(set, "scan", G_CALLBACK(on_scan), &seen);
	g_signal_connect(set, "weight", G_CALLBACK(on_weight), &seen);
	g_signal_connect(set, "device-added", G_CALLBACK(on_added), &added);
	if (!st_device_set_start(set, &error))
		g_error("%s", error->message);
	sd = st_test_usb_add(bus, &scanner);
	wd = st_test_usb_add(bus, &scale);
	while (added < 2)
		g_main_context_iteration(NULL, TRUE);

	st_keyboard_encoder_type(enc, "4006381333931\n", -1, ST_KEYBOARD_GS_CTRL, scan, NULL);

	for (guint k = 0; k < n; k++) {
		guint before = seen.events;
		gint64 t0;
		/* every report up to the Enter press that ends the scan, then time that one;
		 * the Enter release follows, untimed */
		for (guint i = 0; i + 24 <= scan->len; i += 8)
			st_test_usb_push_report(sd, scan->data + i, 8);
		while (!st_test_usb_idle(sd))
			g_main_context_iteration(NULL, TRUE);
		t0 = g_get_monotonic_time();
		st_test_usb_push_report(sd, scan->data + scan->len - 16, 8);
		while (seen.events == before)
			g_main_context_iteration(NULL, TRUE);
		g_array_append_val(kbd_lat, (gint64){seen.at - t0});
		st_test_usb_push_report(sd, scan->data + scan->len - 8, 8);
		while (!st_test_usb_idle(sd))
			g_main_context_iteration(NULL, TRUE);
	}
	{
		/* the M10 sends an old reading first, which the driver skips (a quirk) */
		guint8 stale[6] = {3, 4, 2, 0, 0xFF, 0xFF};
		st_test_usb_push_report(wd, stale, sizeof(stale));
		while (!st_test_usb_idle(wd))
			g_main_context_iteration(NULL, TRUE);
	}
	for (guint k = 0; k < n; k++) {
		guint before = seen.events;
		guint8 r[6] = {3, 4, 2, 0, (guint8)(k + 1), (guint8)((k + 1) >> 8)};
		gint64 t0 = g_get_monotonic_time();
		st_test_usb_push_report(wd, r, sizeof(r));
		while (seen.events == before)
			g_main_context_iteration(NULL, TRUE);
		g_array_append_val(scale_lat, (gint64){seen.at - t0});
	}
	printf("report on the bus -> event on the main loop (umockdev + libusb + GUsb, %u each)\n",
	       n);
	printf("  keyboard wedge, last report of a scan -> scan    median %7.0f us  p99 %7.0f us\n",
	       median_of(kbd_lat), p99_of(kbd_lat));
	printf("  HID POS scale, report -> weight                  median %7.0f us  p99 %7.0f us\n",
	       median_of(scale_lat), p99_of(scale_lat));
	st_bench_row("bench-devices",
		     "keyboard-wedge scanner over emulated USB, last report to the scan, us",
		     median_of(kbd_lat), p99_of(kbd_lat), NULL, NAN, NAN, NAN, NAN, "", n);
	st_bench_row("bench-devices", "HID POS scale over emulated USB, report to the weight, us",
		     median_of(scale_lat), p99_of(scale_lat), NULL, NAN, NAN, NAN, NAN, "", n);
	idle_with = idle_cpu(2);
	printf("idle CPU: %.3f CPU-s/s with a scanner and a scale attached, %.3f before they were "
	       "(baseline, same process)\n",
	       idle_with, idle_without);
	printf("  (device nodes gated as usbfs: they poll ready only while a URB waits to be "
	       "reaped)\n");
	st_device_set_stop(set);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	st_log_setup(G_LOG_LEVEL_WARNING);
	bench_throughput();
	if (st_test_usb_available())
		bench_latency(argc > 1 ? (guint)g_ascii_strtoull(argv[1], NULL, 10) : 300);
	else
		printf("latency and idle CPU: skipped, needs LD_PRELOAD=libumockdev-preload.so.0 "
		       "(make bench sets it)\n");
	return 0;
}
