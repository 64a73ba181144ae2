/*
 * StEmulatedDevice and its script. A script is text, one step a line:
 *
 *   # comment
 *   type TEXT       type TEXT, then Enter, on the device's layout (escapes: \\ \n \t \r \xNN)
 *   type-raw TEXT   the same without the Enter
 *   type-alt TEXT   the same as type, but GS (\x1d) sent as Alt + keypad 0029
 *   report HEX      one raw report, 8 bytes in hex ("00 00 1e 00 00 00 00 00")
 *   wait MS         pause MS milliseconds (0 to 600000)
 *   unplug          the device goes away
 *
 * Playback is a chain of one-shot timeouts owned by the device: each report is followed by
 * the key interval (option key-interval, 1 ms by default), as a real scanner types. When the
 * script has run out the device emits "finished".
 *
 * A script that is a named pipe (mkfifo) is read as it comes instead: each line written to it
 * is played at once, a wrong line is said in the log and left out, and the device never
 * finishes. A shift lead or a test drives the device from outside that way:
 * `echo 'type ORD-1001' > /run/station/scanner.fifo`.
 */
#define G_LOG_DOMAIN "station-emulated"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "station/st-bounded.h"
#include "station/st-error.h"

#include "../keyboard/st-keyboard-encoder.h"
#include "../keyboard/st-keyboard-scanner.h"
#include "../scale/st-scale-decoder.h"
#include "st-emulated-device.h"

#define ST_EMULATED_MAX_SCRIPT (4 * 1024 * 1024)

typedef enum {
	ST_STEP_REPORT,
	ST_STEP_WAIT,
	ST_STEP_UNPLUG,
} StStepKind;

typedef struct {
	StStepKind kind;
	guint8 report[64];
	guint8 report_len;
	guint wait_ms;
	guint line; /* script line, for logs */
} StStep;

struct _StEmulatedScript {
	GArray *steps; /* of StStep */
};

struct _StEmulatedDevice {
	StDevice parent_instance;
	StKeyboardScanner *scanner; /* (nullable): kind keyboard */
	StScaleDecoder *scale;	    /* (nullable): kind scale */
	gboolean have_weight;
	StWeight last_weight;
	StEmulatedScript *script;
	gchar *script_path;
	guint key_interval_ms;
	guint position;
	guint playback_id;
	gboolean unplugged;
	/* a script read from a named pipe as it comes */
	gint fifo_fd; /* -1: none */
	guint fifo_id;
	guint fifo_line;
	GString *fifo_pending;
	StKeyboardEncoder *encoder; /* (nullable): a scanner's, to parse the lines */
	/* a file's script, checked whole at start, parsed a few lines at a time as it plays */
	gchar *text;
	gsize text_len, text_pos;
	guint text_line;
};

G_DEFINE_TYPE(StEmulatedDevice, st_emulated_device, ST_TYPE_DEVICE)

enum { SIGNAL_FINISHED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

void
st_emulated_script_free(StEmulatedScript *self)
{
	if (self == NULL)
		return;
	g_array_unref(self->steps);
	g_free(self);
}

guint
st_emulated_script_get_length(StEmulatedScript *self)
{
	return self->steps->len;
}

static gint
st_hex_value(gchar c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* unescapes \\ \n \t \r \xNN into @out; FALSE on a bad escape */
static gboolean
st_emulated_unescape(const gchar *s, GString *out, GError **error)
{
	for (const gchar *p = s; *p != '\0'; p++) {
		if (*p != '\\') {
			g_string_append_c(out, *p);
			continue;
		}
		p++;
		switch (*p) {
		case '\\':
			g_string_append_c(out, '\\');
			break;
		case 'n':
			g_string_append_c(out, '\n');
			break;
		case 't':
			g_string_append_c(out, '\t');
			break;
		case 'r':
			g_string_append_c(out, '\r');
			break;
		case 'x': {
			gint hi = p[1] != '\0' ? st_hex_value(p[1]) : -1;
			gint lo = hi >= 0 && p[2] != '\0' ? st_hex_value(p[2]) : -1;
			if (hi < 0 || lo < 0) {
				g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
						    "\\x needs two hex digits");
				return FALSE;
			}
			g_string_append_c(out, (gchar)(hi * 16 + lo));
			p += 2;
			break;
		}
		default:
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "unknown escape \\%c (use \\\\ \\n \\t \\r or \\xNN)",
				    *p != '\0' ? *p : ' ');
			return FALSE;
		}
	}
	return TRUE;
}

/* "stable 35.1 oz" -> the common 6-byte scale report */
static gboolean
st_emulated_weight_report(const gchar *arg, StStep *step, GError **error)
{
	g_auto(GStrv) f = g_strsplit_set(arg, " \t", -1);
	g_autoptr(GPtrArray) words = g_ptr_array_new();
	guint status = 0, unit = 0;
	guint64 value = 0;
	gint exponent = 0;
	const gchar *dot;

	for (guint i = 0; f[i] != NULL; i++) {
		if (f[i][0] != '\0')
			g_ptr_array_add(words, f[i]);
	}
	if (words->len != 3) {
		g_set_error_literal(
			error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			"weight needs STATUS VALUE UNIT, such as: weight stable 35.1 oz");
		return FALSE;
	}
	for (guint i = 1; i <= 8; i++) {
		if (g_strcmp0(words->pdata[0], st_weight_status_to_string(i)) == 0)
			status = i;
	}
	for (guint i = 1; i <= 12; i++) {
		if (g_strcmp0(words->pdata[2], st_weight_unit_to_string(i)) == 0)
			unit = i;
	}
	if (status == 0 || unit == 0) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "weight: '%s %s' is not a status (stable, in-motion, stable-zero, ...) "
			    "and a unit (g, kg, oz, lb, ...)",
			    (const gchar *)words->pdata[0], (const gchar *)words->pdata[2]);
		return FALSE;
	}
	dot = strchr(words->pdata[1], '.');
	{
		g_autofree gchar *digits = g_strdup(words->pdata[1]);
		if (dot != NULL) {
			gsize ipart = (gsize)(dot - (const gchar *)words->pdata[1]);
			exponent = -(gint)strlen(dot + 1);
			memmove(digits + ipart, digits + ipart + 1, strlen(digits + ipart + 1) + 1);
		}
		if (exponent < -8 ||
		    !g_ascii_string_to_unsigned(digits, 10, 0, 65535, &value, NULL)) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "weight: '%s' is not a number from 0 to 65535 with at most 8 "
				    "decimals",
				    (const gchar *)words->pdata[1]);
			return FALSE;
		}
	}
	step->report[0] = 3;
	step->report[1] = (guint8)status;
	step->report[2] = (guint8)unit;
	step->report[3] = (guint8)(gint8)exponent;
	step->report[4] = (guint8)(value & 0xff);
	step->report[5] = (guint8)(value >> 8);
	step->report_len = 6;
	return TRUE;
}

static gboolean
st_emulated_script_parse_line(StEmulatedScript *self,
			      StKeyboardEncoder *encoder,
			      gchar *line,
			      guint lineno,
			      GError **error)
{
	gchar *arg = line;
	gchar *cmd = line;
	StStep step = {.line = lineno};

	while (*arg != '\0' && *arg != ' ' && *arg != '\t')
		arg++;
	if (*arg != '\0')
		*arg++ = '\0';
	while (*arg == ' ' || *arg == '\t')
		arg++;

	if (g_strcmp0(cmd, "type") == 0 || g_strcmp0(cmd, "type-raw") == 0 ||
	    g_strcmp0(cmd, "type-alt") == 0) {
		g_autoptr(GString) text = g_string_new(NULL);
		if (encoder == NULL) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "%s is for keyboard scanners; a scale's script uses weight and "
				    "report",
				    cmd);
			return FALSE;
		}
		g_autoptr(GByteArray) reports = g_byte_array_new();
		if (!st_emulated_unescape(arg, text, error))
			return FALSE;
		if (g_strcmp0(cmd, "type-raw") != 0)
			g_string_append_c(text, '\n');
		if (!st_keyboard_encoder_type(encoder, text->str, (gssize)text->len,
					      g_strcmp0(cmd, "type-alt") == 0
						      ? ST_KEYBOARD_GS_ALT_NUMPAD
						      : ST_KEYBOARD_GS_CTRL,
					      reports, error))
			return FALSE;
		step.kind = ST_STEP_REPORT;
		step.report_len = 8;
		for (guint i = 0; i + 8 <= reports->len; i += 8) {
			memcpy(step.report, reports->data + i, 8);
			g_array_append_val(self->steps, step);
		}
		return TRUE;
	}
	if (g_strcmp0(cmd, "report") == 0) {
		guint n = 0;
		for (const gchar *p = arg; *p != '\0';) {
			gint hi, lo;
			if (*p == ' ' || *p == '\t' || *p == ':') {
				p++;
				continue;
			}
			hi = st_hex_value(p[0]);
			lo = hi >= 0 && p[1] != '\0' ? st_hex_value(p[1]) : -1;
			if (hi < 0 || lo < 0 || n >= sizeof(step.report)) {
				g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
						    "report needs bytes in hex, at most 64");
				return FALSE;
			}
			step.report[n++] = (guint8)(hi * 16 + lo);
			p += 2;
		}
		if (n == 0 || (encoder != NULL && n != 8)) {
			g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
					    encoder != NULL ? "report needs exactly 8 bytes in hex"
							    : "report needs bytes in hex");
			return FALSE;
		}
		step.report_len = (guint8)n;
		step.kind = ST_STEP_REPORT;
		g_array_append_val(self->steps, step);
		return TRUE;
	}
	if (g_strcmp0(cmd, "weight") == 0 && encoder == NULL) {
		if (!st_emulated_weight_report(arg, &step, error))
			return FALSE;
		step.kind = ST_STEP_REPORT;
		g_array_append_val(self->steps, step);
		return TRUE;
	}
	if (g_strcmp0(cmd, "wait") == 0) {
		guint64 ms = 0;
		if (!g_ascii_string_to_unsigned(arg, 10, 0, 600000, &ms, NULL)) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "wait needs milliseconds from 0 to 600000, not '%s'", arg);
			return FALSE;
		}
		step.kind = ST_STEP_WAIT;
		step.wait_ms = (guint)ms;
		g_array_append_val(self->steps, step);
		return TRUE;
	}
	if (g_strcmp0(cmd, "unplug") == 0 && *arg == '\0') {
		step.kind = ST_STEP_UNPLUG;
		g_array_append_val(self->steps, step);
		return TRUE;
	}
	g_set_error(
		error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
		encoder != NULL
			? "unknown step '%s' (use type, type-raw, type-alt, report, wait or unplug)"
			: "unknown step '%s' (a scale's script uses weight, report, wait or "
			  "unplug)",
		cmd);
	return FALSE;
}

/**
 * st_emulated_script_parse:
 * @text: the script; need not be NUL-terminated
 * @kind: "keyboard" or "scale" (NULL: keyboard)
 * @layout: the keyboard layout `type` steps are encoded with
 *
 * Returns: (transfer full): the parsed script, or NULL with ST_ERROR_INVALID_DATA naming the
 * line that is wrong
 */
static StEmulatedScript *
st_emulated_script_read(const gchar *text,
			gsize len,
			const gchar *kind,
			const gchar *layout,
			const gchar *variant,
			gboolean keep,
			GError **error);

StEmulatedScript *
st_emulated_script_parse(const gchar *text,
			 gsize len,
			 const gchar *kind,
			 const gchar *layout,
			 const gchar *variant,
			 GError **error)
{
	return st_emulated_script_read(text, len, kind, layout, variant, TRUE, error);
}

/* @keep: FALSE to check every line without keeping its steps (a device plays a file's steps
 * as it reads them: a script of 12,000 scans is not 12,000 scans' reports in memory) */
static StEmulatedScript *
st_emulated_script_read(const gchar *text,
			gsize len,
			const gchar *kind,
			const gchar *layout,
			const gchar *variant,
			gboolean keep,
			GError **error)
{
	g_autoptr(StEmulatedScript) self = g_new0(StEmulatedScript, 1);
	g_autoptr(StKeyboardEncoder) encoder = NULL;
	g_autofree gchar *copy = NULL;
	g_auto(GStrv) lines = NULL;

	self->steps = g_array_new(FALSE, FALSE, sizeof(StStep));
	if (len > ST_EMULATED_MAX_SCRIPT) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "script of %" G_GSIZE_FORMAT " bytes is larger than the %d allowed",
			    len, ST_EMULATED_MAX_SCRIPT);
		return NULL;
	}
	if (memchr(text, '\0', len) != NULL || !g_utf8_validate_len(text, len, NULL)) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "script is not UTF-8 text");
		return NULL;
	}
	if (g_strcmp0(kind, "scale") != 0) {
		encoder = st_keyboard_encoder_new(layout, variant, error);
		if (encoder == NULL)
			return NULL;
	}
	copy = g_strndup(text, len);
	lines = g_strsplit(copy, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		gchar *line = g_strstrip(lines[i]);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (!st_emulated_script_parse_line(self, encoder, line, i + 1, error)) {
			g_prefix_error(error, "line %u: ", i + 1);
			return NULL;
		}
		if (!keep)
			g_array_set_size(self->steps, 0);
	}
	return g_steal_pointer(&self);
}

static gboolean
st_emulated_device_step_cb(gpointer user_data);

static void
st_emulated_device_schedule(StEmulatedDevice *self, guint ms)
{
	g_clear_handle_id(&self->playback_id, g_source_remove);
	self->playback_id = g_timeout_add(ms, st_emulated_device_step_cb, self);
}

/* the next lines of a file's script, up to a few hundred steps, in place of those played */
static void
st_emulated_device_refill(StEmulatedDevice *self)
{
	g_array_set_size(self->script->steps, 0);
	self->position = 0;
	while (self->text_pos < self->text_len && self->script->steps->len < 256) {
		const gchar *start = self->text + self->text_pos;
		const gchar *nl = memchr(start, '\n', self->text_len - self->text_pos);
		gsize n = nl != NULL ? (gsize)(nl - start) : self->text_len - self->text_pos;
		g_autofree gchar *line = g_strndup(start, n);
		g_autoptr(GError) error = NULL;
		gchar *stripped = g_strstrip(line);
		self->text_pos += n + (nl != NULL ? 1 : 0);
		self->text_line++;
		if (stripped[0] == '\0' || stripped[0] == '#')
			continue;
		/* checked at start: a fault here would be the parser's own */
		if (!st_emulated_script_parse_line(self->script, self->encoder, stripped,
						   self->text_line, &error))
			g_warning("%s: script %s line %u: %s", st_device_get_id(ST_DEVICE(self)),
				  self->script_path, self->text_line, error->message);
	}
}

static gboolean
st_emulated_device_step_cb(gpointer user_data)
{
	StEmulatedDevice *self = ST_EMULATED_DEVICE(user_data);
	const StStep *step;

	self->playback_id = 0;
	if (self->text != NULL && self->position >= self->script->steps->len)
		st_emulated_device_refill(self);
	if (self->script != NULL && self->fifo_fd >= 0 &&
	    self->position >= self->script->steps->len) {
		/* a pipe's steps played: dropped, and the next line written plays */
		g_array_set_size(self->script->steps, 0);
		self->position = 0;
		return G_SOURCE_REMOVE;
	}
	if (self->script == NULL || self->position >= self->script->steps->len) {
		g_signal_emit(self, signals[SIGNAL_FINISHED], 0);
		return G_SOURCE_REMOVE;
	}
	step = &g_array_index(self->script->steps, StStep, self->position++);
	switch (step->kind) {
	case ST_STEP_REPORT:
		st_emulated_device_push_report(self, step->report, step->report_len);
		st_emulated_device_schedule(self, self->key_interval_ms);
		break;
	case ST_STEP_WAIT:
		st_emulated_device_schedule(self, step->wait_ms);
		break;
	case ST_STEP_UNPLUG:
	default:
		st_emulated_device_unplug(self);
		break;
	}
	return G_SOURCE_REMOVE;
}

/* Feeds one report as if the device had sent it now. */
void
st_emulated_device_push_report(StEmulatedDevice *self, const guint8 *buf, gsize bufsz)
{
	g_return_if_fail(ST_IS_EMULATED_DEVICE(self));
	g_return_if_fail(st_device_is_open(ST_DEVICE(self)));
	if (self->scale != NULL) {
		g_autoptr(GError) error = NULL;
		StWeight w;
		if (!st_scale_decoder_decode(self->scale, buf, bufsz, &w, &error)) {
			g_message("%s: scale report refused: %s", st_device_get_id(ST_DEVICE(self)),
				  error->message);
			return;
		}
		w.realtime_us = g_get_real_time();
		if (self->have_weight && self->last_weight.status == w.status &&
		    self->last_weight.unit == w.unit && self->last_weight.value == w.value &&
		    self->last_weight.exponent == w.exponent)
			return;
		self->last_weight = w;
		self->have_weight = TRUE;
		st_device_emit_weight(ST_DEVICE(self), &w);
		return;
	}
	st_keyboard_scanner_push_report(self->scanner, buf, bufsz);
}

/* The device goes away: a scan in progress is lost, then "removed" is emitted. */
void
st_emulated_device_unplug(StEmulatedDevice *self)
{
	g_return_if_fail(ST_IS_EMULATED_DEVICE(self));
	if (self->unplugged)
		return;
	self->unplugged = TRUE;
	g_clear_handle_id(&self->playback_id, g_source_remove);
	if (self->scanner != NULL)
		st_keyboard_scanner_abort(self->scanner, "device unplugged");
	st_device_emit_removed(ST_DEVICE(self));
}

/* lines written to the script's pipe: parsed, then played after what is playing */
static gboolean
st_emulated_device_fifo_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	StEmulatedDevice *self = ST_EMULATED_DEVICE(user_data);
	gchar buf[4096];
	gssize n = read(fd, buf, sizeof(buf));
	const gchar *id = st_device_get_id(ST_DEVICE(self));
	gchar *nl;

	if (n <= 0)
		return G_SOURCE_CONTINUE; /* EAGAIN; the device holds the write end: no EOF */
	g_string_append_len(self->fifo_pending, buf, n);
	while ((nl = memchr(self->fifo_pending->str, '\n', self->fifo_pending->len)) != NULL) {
		g_autofree gchar *line =
			g_strndup(self->fifo_pending->str, (gsize)(nl - self->fifo_pending->str));
		g_autoptr(GError) error = NULL;
		gchar *stripped;
		g_string_erase(self->fifo_pending, 0, (nl - self->fifo_pending->str) + 1);
		self->fifo_line++;
		stripped = g_strstrip(line);
		if (stripped[0] == '\0' || stripped[0] == '#')
			continue;
		if (!g_utf8_validate(stripped, -1, NULL)) {
			g_warning("%s: script %s line %u is not UTF-8 text: left out", id,
				  self->script_path, self->fifo_line);
			continue;
		}
		if (!st_emulated_script_parse_line(self->script, self->encoder, stripped,
						   self->fifo_line, &error))
			g_warning("%s: script %s line %u: %s: left out", id, self->script_path,
				  self->fifo_line, error->message);
	}
	if (self->fifo_pending->len > 64 * 1024) {
		g_warning("%s: script %s line %u is longer than 64 KiB: left out", id,
			  self->script_path, self->fifo_line + 1);
		g_string_truncate(self->fifo_pending, 0);
	}
	if (self->playback_id == 0 && !self->unplugged && self->position < self->script->steps->len)
		st_emulated_device_schedule(self, 0);
	return G_SOURCE_CONTINUE;
}

static gboolean
st_emulated_device_open(StDevice *device, GError **error)
{
	StEmulatedDevice *self = ST_EMULATED_DEVICE(device);
	if (self->unplugged) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_NO_DEVICE,
				    "device was unplugged");
		return FALSE;
	}
	self->position = 0;
	self->have_weight = FALSE;
	if (self->text != NULL) {
		self->text_pos = 0;
		self->text_line = 0;
		g_array_set_size(self->script->steps, 0);
	}
	if (self->fifo_fd >= 0 && self->fifo_id == 0)
		self->fifo_id =
			g_unix_fd_add(self->fifo_fd, G_IO_IN, st_emulated_device_fifo_cb, self);
	else if (self->script != NULL)
		st_emulated_device_schedule(self, 0);
	return TRUE;
}

static gboolean
st_emulated_device_close(StDevice *device, GError **error)
{
	StEmulatedDevice *self = ST_EMULATED_DEVICE(device);
	g_clear_handle_id(&self->playback_id, g_source_remove);
	g_clear_handle_id(&self->fifo_id, g_source_remove);
	if (!self->unplugged && self->scanner != NULL)
		st_keyboard_scanner_abort(self->scanner, "device closed");
	return TRUE;
}

static void
st_emulated_device_describe(StDevice *device, GString *str)
{
	StEmulatedDevice *self = ST_EMULATED_DEVICE(device);
	if (self->scanner != NULL)
		st_keyboard_scanner_describe(self->scanner, str);
	else
		g_string_append(str, "a scale reporting in the common 6-byte layout");
	if (self->fifo_fd >= 0)
		g_string_append_printf(str, ", script %s (a pipe: played as written)",
				       self->script_path);
	else if (self->script_path != NULL)
		g_string_append_printf(str, ", script %s (%" G_GSIZE_FORMAT " bytes)",
				       self->script_path, self->text_len);
}

static void
st_emulated_device_finalize(GObject *object)
{
	StEmulatedDevice *self = ST_EMULATED_DEVICE(object);
	g_clear_handle_id(&self->playback_id, g_source_remove);
	g_clear_handle_id(&self->fifo_id, g_source_remove);
	if (self->fifo_fd >= 0)
		close(self->fifo_fd);
	if (self->fifo_pending != NULL)
		g_string_free(self->fifo_pending, TRUE);
	g_clear_pointer(&self->encoder, st_keyboard_encoder_free);
	g_free(self->text);
	st_keyboard_scanner_free(self->scanner);
	st_scale_decoder_free(self->scale);
	st_emulated_script_free(self->script);
	g_free(self->script_path);
	G_OBJECT_CLASS(st_emulated_device_parent_class)->finalize(object);
}

static void
st_emulated_device_init(StEmulatedDevice *self)
{
	self->key_interval_ms = 1;
	self->fifo_fd = -1;
}

static void
st_emulated_device_class_init(StEmulatedDeviceClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	StDeviceClass *device_class = ST_DEVICE_CLASS(klass);

	object_class->finalize = st_emulated_device_finalize;
	device_class->open = st_emulated_device_open;
	device_class->close = st_emulated_device_close;
	device_class->describe = st_emulated_device_describe;

	/* StEmulatedDevice::finished: the script has played to its end */
	signals[SIGNAL_FINISHED] =
		g_signal_new("finished", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			     NULL, G_TYPE_NONE, 0);
}

static guint
st_emulated_driver_probe(const StDeviceInfo *info, gchar **reason)
{
	if (g_strcmp0(info->bus, "emulated") != 0) {
		*reason = g_strdup("not an emulated device");
		return 0;
	}
	*reason = g_strdup("emulated device from the configuration");
	return 100;
}

static gboolean
st_emulated_is_fifo(const gchar *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISFIFO(st.st_mode);
}

static StDevice *
st_emulated_driver_create(const StDeviceInfo *info, GError **error)
{
	g_autoptr(StEmulatedDevice) self = NULL;
	static const gchar *const emulated_options[] = {"kind", "script", "key-interval", NULL};
	const gchar *kind = st_device_info_get_option(info, "kind");
	const gchar *script = st_device_info_get_option(info, "script");
	const gchar *interval = st_device_info_get_option(info, "key-interval");

	if (!st_device_info_check_options(
		    info, st_emulated_driver.name, emulated_options,
		    g_strcmp0(kind, "scale") != 0 ? st_keyboard_scanner_options : NULL, error))
		return NULL;
	if (kind != NULL && g_strcmp0(kind, "keyboard") != 0 && g_strcmp0(kind, "scale") != 0) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
			    "kind '%s' is not one of keyboard or scale", kind);
		return NULL;
	}
	self = g_object_new(ST_TYPE_EMULATED_DEVICE, "info", info, "driver-name",
			    st_emulated_driver.name, NULL);
	if (interval != NULL) {
		guint64 v = 0;
		if (!g_ascii_string_to_unsigned(interval, 10, 0, 10000, &v, NULL)) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
				    "key-interval '%s' is not milliseconds from 0 to 10000",
				    interval);
			return NULL;
		}
		self->key_interval_ms = (guint)v;
	}
	if (g_strcmp0(kind, "scale") == 0) {
		self->scale = st_scale_decoder_new(NULL, error);
		if (self->scale == NULL)
			return NULL;
	} else {
		self->scanner = st_keyboard_scanner_new(ST_DEVICE(self), info, error);
		if (self->scanner == NULL)
			return NULL;
	}
	if (script != NULL && st_emulated_is_fifo(script)) {
		const gchar *layout = st_device_info_get_option(info, ST_KEYBOARD_OPTION_LAYOUT);
		/* read and write: the device holds a writer itself, so a writer that comes and
		 * goes is never an end of file */
		self->fifo_fd = open(script, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (self->fifo_fd < 0) {
			gint saved = errno;
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
				    "script %s: %s", script, g_strerror(saved));
			return NULL;
		}
		if (g_strcmp0(kind, "scale") != 0) {
			self->encoder = st_keyboard_encoder_new(
				layout != NULL ? layout : "us",
				st_device_info_get_option(info, "variant"), error);
			if (self->encoder == NULL)
				return NULL;
		}
		self->script = g_new0(StEmulatedScript, 1);
		self->script->steps = g_array_new(FALSE, FALSE, sizeof(StStep));
		self->fifo_pending = g_string_new(NULL);
		self->script_path = g_strdup(script);
	} else if (script != NULL) {
		g_autofree gchar *text = NULL;
		gsize len = 0;
		const gchar *layout = st_device_info_get_option(info, ST_KEYBOARD_OPTION_LAYOUT);
		g_autoptr(StEmulatedScript) checked = NULL;
		if (!st_bounded_read_file(script, 4 * 1024 * 1024, &text, &len, error)) {
			g_prefix_error(error, "script: ");
			return NULL;
		}
		/* every line checked now (a mistake refuses the device, naming its line); the
		 * steps are made as the script plays */
		checked = st_emulated_script_read(text, len, kind, layout != NULL ? layout : "us",
						  st_device_info_get_option(info, "variant"), FALSE,
						  error);
		if (checked == NULL) {
			g_prefix_error(error, "script %s: ", script);
			return NULL;
		}
		if (g_strcmp0(kind, "scale") != 0) {
			self->encoder = st_keyboard_encoder_new(
				layout != NULL ? layout : "us",
				st_device_info_get_option(info, "variant"), error);
			if (self->encoder == NULL)
				return NULL;
		}
		self->script = g_new0(StEmulatedScript, 1);
		self->script->steps = g_array_new(FALSE, FALSE, sizeof(StStep));
		self->text = g_steal_pointer(&text);
		self->text_len = len;
		self->script_path = g_strdup(script);
	}
	return ST_DEVICE(g_steal_pointer(&self));
}

const StDriver st_emulated_driver = {
	.name = "emulated",
	.description = "a keyboard-wedge scanner without hardware, fed by a script of reports",
	.probe = st_emulated_driver_probe,
	.create = st_emulated_driver_create,
};
