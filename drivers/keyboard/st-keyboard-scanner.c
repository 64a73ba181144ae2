/*
 * StKeyboardScanner: reports in, scans out. The inter-key timeout is one GSource owned by this
 * object, attached once and destroyed with it. A report only moves the scan's deadline (a
 * field); the source is armed (its ready time set) when a scan starts and, when it fires
 * before the deadline because reports kept coming, armed again for the deadline. Moving a
 * source's ready time wakes its main context up (a write to its eventfd), so doing it at every
 * report cost two system calls a report, 56 for a 13-digit scan. Everything runs on the main
 * thread.
 */
#include "station/st-error.h"

#include "st-keyboard-decoder.h"
#include "st-keyboard-scanner.h"

#define ST_KEYBOARD_DEFAULT_TIMEOUT_MS 100

struct _StKeyboardScanner {
	StDevice *device; /* owner, not a reference */
	StKeyboardDecoder *decoder;
	gchar *layout;
	gchar *variant;
	gchar *terminator;
	guint timeout_ms;
	GSource *timer;	 /* the inter-key timeout: ready time -1 while disarmed */
	gboolean armed;	 /* the timer's ready time is set */
	gint64 deadline; /* monotonic time the scan in progress ends at; 0: none */
	guint bad_reports;
};

/* the options a keyboard-wedge scanner takes, for the drivers' option check */
const gchar *const st_keyboard_scanner_options[] = {
	ST_KEYBOARD_OPTION_LAYOUT,
	ST_KEYBOARD_OPTION_VARIANT,
	ST_KEYBOARD_OPTION_TERMINATOR,
	ST_KEYBOARD_OPTION_INTER_KEY_TIMEOUT,
	NULL,
};

void
st_keyboard_scanner_free(StKeyboardScanner *self)
{
	if (self == NULL)
		return;
	if (self->timer != NULL) {
		g_source_destroy(self->timer);
		g_source_unref(self->timer);
	}
	st_keyboard_decoder_free(self->decoder);
	g_free(self->layout);
	g_free(self->variant);
	g_free(self->terminator);
	g_free(self);
}

/**
 * st_keyboard_scanner_new:
 * @device: the device that emits the scans; must outlive the scanner
 *
 * Reads the layout, variant, terminator and inter-key-timeout options of @info.
 *
 * Returns: (transfer full): the scanner, or NULL with ST_ERROR_INVALID_CONFIG naming the
 * option that is wrong
 */
StKeyboardScanner *
st_keyboard_scanner_new(StDevice *device, const StDeviceInfo *info, GError **error)
{
	g_autoptr(StKeyboardScanner) self = g_new0(StKeyboardScanner, 1);
	const gchar *layout = st_device_info_get_option(info, ST_KEYBOARD_OPTION_LAYOUT);
	const gchar *variant = st_device_info_get_option(info, ST_KEYBOARD_OPTION_VARIANT);
	const gchar *terminator = st_device_info_get_option(info, ST_KEYBOARD_OPTION_TERMINATOR);
	const gchar *timeout =
		st_device_info_get_option(info, ST_KEYBOARD_OPTION_INTER_KEY_TIMEOUT);
	StKeyboardTerminator term;

	self->device = device;
	self->layout = g_strdup(layout != NULL ? layout : "us");
	self->variant = g_strdup(variant);
	self->terminator = g_strdup(terminator != NULL ? terminator : "enter,tab");
	self->timeout_ms = ST_KEYBOARD_DEFAULT_TIMEOUT_MS;
	if (timeout != NULL) {
		guint64 v = 0;
		if (!g_ascii_string_to_unsigned(timeout, 10, 0, 60000, &v, NULL)) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
				    "inter-key-timeout '%s' is not a number of milliseconds "
				    "from 0 (off) to 60000",
				    timeout);
			return NULL;
		}
		self->timeout_ms = (guint)v;
	}
	term = st_keyboard_terminator_from_string(self->terminator, error);
	if (term == (StKeyboardTerminator)-1)
		return NULL;
	if (term == ST_KEYBOARD_TERMINATOR_NONE && self->timeout_ms == 0) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
				    "terminator none needs an inter-key-timeout above 0, or no "
				    "scan would ever end");
		return NULL;
	}
	self->decoder = st_keyboard_decoder_new(self->layout, self->variant, error);
	if (self->decoder == NULL)
		return NULL;
	st_keyboard_decoder_set_terminators(self->decoder, term);
	return g_steal_pointer(&self);
}

static void
st_keyboard_scanner_emit(StKeyboardScanner *self, GBytes *data, GBytes *raw)
{
	g_autoptr(StScan) scan = NULL;

	if (g_bytes_get_size(data) == 0) {
		/* a terminator alone: nothing was scanned, but the user pressed something */
		g_debug("%s: empty scan ignored", st_device_get_id(self->device));
		return;
	}
	scan = st_scan_new(st_device_get_id(self->device), data, raw);
	st_device_emit_scan(self->device, scan);
}

/* the timer fires once per arming: disarmed before its callback runs */
static gboolean
st_keyboard_timer_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
	g_source_set_ready_time(source, -1);
	return callback(user_data);
}

static GSourceFuncs st_keyboard_timer_funcs = {.dispatch = st_keyboard_timer_dispatch};

static gboolean
st_keyboard_scanner_timeout_cb(gpointer user_data);

static void
st_keyboard_scanner_arm(StKeyboardScanner *self)
{
	if (self->timer == NULL) {
		self->timer = g_source_new(&st_keyboard_timer_funcs, sizeof(GSource));
		g_source_set_name(self->timer, "inter-key timeout");
		/* below the devices' own sources: after the loop was held up (a slow commit, a
		 * busy machine), reports already waiting are taken before the timer can end the
		 * scan they belong to (at the same priority the older source went first) */
		g_source_set_priority(self->timer, G_PRIORITY_DEFAULT + 10);
		g_source_set_callback(self->timer, st_keyboard_scanner_timeout_cb, self, NULL);
		g_source_set_ready_time(self->timer, -1);
		g_source_attach(self->timer, NULL);
	}
	g_source_set_ready_time(self->timer, self->deadline);
	self->armed = TRUE;
}

/* the timer fired (disarmed): the scan in progress ends if no report came since its
 * deadline was set, else the timer waits for the deadline the last report set */
static gboolean
st_keyboard_scanner_timeout_cb(gpointer user_data)
{
	StKeyboardScanner *self = user_data;
	g_autoptr(GBytes) data = NULL;
	g_autoptr(GBytes) raw = NULL;

	self->armed = FALSE;
	if (self->deadline == 0)
		return G_SOURCE_CONTINUE; /* the scan ended (its terminator) or was dropped */
	if (g_get_monotonic_time() < self->deadline) {
		st_keyboard_scanner_arm(self);
		return G_SOURCE_CONTINUE;
	}
	self->deadline = 0;
	if (st_keyboard_decoder_flush(self->decoder, &data, &raw))
		st_keyboard_scanner_emit(self, data, raw);
	return G_SOURCE_CONTINUE;
}

/* Feeds one report as it arrived from the device. */
void
st_keyboard_scanner_push_report(StKeyboardScanner *self, const guint8 *buf, gsize bufsz)
{
	g_autoptr(GBytes) data = NULL;
	g_autoptr(GBytes) raw = NULL;
	g_autoptr(GError) error = NULL;

	if (!st_keyboard_decoder_feed(self->decoder, buf, bufsz, &data, &raw, &error)) {
		/* the first of them, then one in a hundred: a broken device must not flood */
		if (self->bad_reports++ % 100 == 0)
			g_message("%s: keyboard report refused (%u so far): %s",
				  st_device_get_id(self->device), self->bad_reports,
				  error->message);
		return;
	}
	if (st_keyboard_decoder_take_overflow(self->decoder))
		st_device_emit_scan_lost(
			self->device,
			"partial scan dropped: more than 8192 characters without an "
			"end (a stuck key, or a terminator the configuration does not "
			"name?); scan the barcode again");
	if (data != NULL)
		st_keyboard_scanner_emit(self, data, raw);
	if (st_keyboard_decoder_has_pending(self->decoder) && self->timeout_ms > 0) {
		self->deadline = g_get_monotonic_time() + (gint64)self->timeout_ms * 1000;
		if (!self->armed)
			st_keyboard_scanner_arm(self);
	} else {
		self->deadline = 0; /* an armed timer finds nothing to end */
	}
}

/* Drops a scan in progress (the device went away) and says so on the device. */
void
st_keyboard_scanner_abort(StKeyboardScanner *self, const gchar *why)
{
	gboolean pending = st_keyboard_decoder_has_pending(self->decoder);

	self->deadline = 0;
	st_keyboard_decoder_reset(self->decoder);
	if (pending) {
		g_autofree gchar *reason =
			g_strdup_printf("partial scan dropped: %s; scan the barcode again", why);
		st_device_emit_scan_lost(self->device, reason);
	}
}

void
st_keyboard_scanner_describe(StKeyboardScanner *self, GString *str)
{
	g_string_append_printf(str, "layout %s%s%s, terminator %s, inter-key-timeout %u ms",
			       self->layout, self->variant != NULL ? " variant " : "",
			       self->variant != NULL ? self->variant : "", self->terminator,
			       self->timeout_ms);
}
