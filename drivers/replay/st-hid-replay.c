/*
 * StHidReplay: one report after another through the decoder of a device kind (keyboard
 * wedge, HID POS scanner, scale), as the drivers read them from a device. Errors at set-up
 * are ST_ERROR_INVALID_CONFIG when the caller asked for something that cannot be (a kind,
 * layout or terminator that does not exist, a HID POS scanner without its descriptor) and
 * ST_ERROR_INVALID_DATA when the descriptor given cannot be read.
 */
#include <string.h>

#include "station/st-error.h"
#include "station/st-hid-replay.h"

#include "keyboard/st-keyboard-decoder.h"
#include "keyboard/st-keyboard-report.h"
#include "posscanner/st-pos-scanner-decoder.h"
#include "scale/st-scale-decoder.h"

struct _StHidReplay {
	GObject parent_instance;
	StKeyboardDecoder *keyboard;	   /* (nullable) */
	StKeyboardReport *keyboard_report; /* (nullable): a keyboard that is not a boot one */
	StScaleDecoder *scale;		   /* (nullable) */
	StPosScannerDecoder *pos;	   /* (nullable) */
};

G_DEFINE_TYPE(StHidReplay, st_hid_replay, G_TYPE_OBJECT)

void
st_hid_replay_result_clear(StHidReplayResult *self)
{
	g_clear_pointer(&self->data, g_bytes_unref);
	g_clear_pointer(&self->raw, g_bytes_unref);
	g_clear_pointer(&self->how, g_free);
	memset(self, 0, sizeof(*self));
}

static gboolean
st_hid_replay_setup_keyboard(StHidReplay *self,
			     const gchar *layout,
			     const gchar *variant,
			     const gchar *terminators,
			     GBytes *descriptor,
			     GError **error)
{
	StKeyboardTerminator t = ST_KEYBOARD_TERMINATOR_ENTER | ST_KEYBOARD_TERMINATOR_TAB;
	g_autoptr(GError) error_local = NULL;

	self->keyboard =
		st_keyboard_decoder_new(layout != NULL ? layout : "us", variant, &error_local);
	if (self->keyboard == NULL) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
				    error_local->message);
		return FALSE;
	}
	if (terminators != NULL) {
		t = st_keyboard_terminator_from_string(terminators, &error_local);
		if (t == (StKeyboardTerminator)-1) {
			g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
					    error_local->message);
			return FALSE;
		}
	}
	st_keyboard_decoder_set_terminators(self->keyboard, t);
	if (descriptor != NULL) {
		self->keyboard_report =
			st_keyboard_report_new(g_bytes_get_data(descriptor, NULL),
					       g_bytes_get_size(descriptor), &error_local);
		if (self->keyboard_report == NULL) {
			g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
					    error_local->message);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * st_hid_replay_new:
 * @kind: keyboard, pos-scanner or scale
 * @layout: (nullable): keyboard: the layout the scanner is set to (default: us)
 * @variant: (nullable): keyboard: the layout's variant
 * @terminators: (nullable): keyboard: the keys that end a scan (default: enter,tab)
 * @descriptor: (nullable): the device's HID report descriptor (keyboard: one that is not a
 *   boot keyboard; scale: default the common 6-byte layout; pos-scanner: needed)
 */
StHidReplay *
st_hid_replay_new(const gchar *kind,
		  const gchar *layout,
		  const gchar *variant,
		  const gchar *terminators,
		  GBytes *descriptor,
		  GError **error)
{
	g_autoptr(StHidReplay) self = g_object_new(ST_TYPE_HID_REPLAY, NULL);
	g_autoptr(GError) error_local = NULL;

	if (g_strcmp0(kind, "keyboard") == 0) {
		if (!st_hid_replay_setup_keyboard(self, layout, variant, terminators, descriptor,
						  error))
			return NULL;
	} else if (g_strcmp0(kind, "scale") == 0) {
		self->scale = st_scale_decoder_new(descriptor, &error_local);
		if (self->scale == NULL) {
			g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
					    error_local->message);
			return NULL;
		}
	} else if (g_strcmp0(kind, "pos-scanner") == 0) {
		if (descriptor == NULL) {
			g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
					    "a HID POS scanner's reports are read through its "
					    "report descriptor: give it with --descriptor FILE");
			return NULL;
		}
		self->pos = st_pos_scanner_decoder_new(descriptor, &error_local);
		if (self->pos == NULL) {
			g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
					    error_local->message);
			return NULL;
		}
	} else {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
				    "--kind must be keyboard, pos-scanner or scale (try station "
				    "hid --help)");
		return NULL;
	}
	return g_steal_pointer(&self);
}

/**
 * st_hid_replay_feed:
 * @result: (out caller-allocates): what the report made; cleared first
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA when the report is malformed; the replay goes
 * on with the next
 */
gboolean
st_hid_replay_feed(StHidReplay *self,
		   const guint8 *report,
		   gsize len,
		   StHidReplayResult *result,
		   GError **error)
{
	g_return_val_if_fail(ST_IS_HID_REPLAY(self), FALSE);
	memset(result, 0, sizeof(*result));
	if (self->keyboard != NULL) {
		guint8 boot[8];
		if (self->keyboard_report != NULL) {
			/* through the descriptor: another report of the device is left out */
			gboolean is_keyboard = FALSE;
			if (!st_keyboard_report_to_boot(self->keyboard_report, report, len, boot,
							&is_keyboard, error))
				return FALSE;
			if (!is_keyboard)
				return TRUE;
			report = boot;
			len = sizeof(boot);
		}
		if (!st_keyboard_decoder_feed(self->keyboard, report, len, &result->data,
					      &result->raw, error))
			return FALSE;
		if (result->data != NULL) {
			result->event = ST_HID_REPLAY_SCAN;
			result->how = g_strdup("terminator");
		}
		return TRUE;
	}
	if (self->pos != NULL) {
		if (!st_pos_scanner_decoder_feed(self->pos, report, len, &result->data,
						 &result->how, error))
			return FALSE;
		if (result->data != NULL)
			result->event = ST_HID_REPLAY_SCAN;
		return TRUE;
	}
	if (!st_scale_decoder_decode(self->scale, report, len, &result->weight, error))
		return FALSE;
	result->event = ST_HID_REPLAY_WEIGHT;
	return TRUE;
}

/**
 * st_hid_replay_flush:
 * @result: (out caller-allocates): a keyboard scan left without its terminator at the end
 *   of the input, ended by "end of input"
 *
 * Returns: TRUE when there was one
 */
gboolean
st_hid_replay_flush(StHidReplay *self, StHidReplayResult *result)
{
	g_return_val_if_fail(ST_IS_HID_REPLAY(self), FALSE);
	memset(result, 0, sizeof(*result));
	if (self->keyboard == NULL ||
	    !st_keyboard_decoder_flush(self->keyboard, &result->data, &result->raw))
		return FALSE;
	result->event = ST_HID_REPLAY_SCAN;
	result->how = g_strdup("end of input");
	return TRUE;
}

static void
st_hid_replay_finalize(GObject *object)
{
	StHidReplay *self = ST_HID_REPLAY(object);
	g_clear_pointer(&self->keyboard, st_keyboard_decoder_free);
	g_clear_pointer(&self->keyboard_report, st_keyboard_report_free);
	g_clear_pointer(&self->scale, st_scale_decoder_free);
	g_clear_pointer(&self->pos, st_pos_scanner_decoder_free);
	G_OBJECT_CLASS(st_hid_replay_parent_class)->finalize(object);
}

static void
st_hid_replay_init(StHidReplay *self)
{
}

static void
st_hid_replay_class_init(StHidReplayClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = st_hid_replay_finalize;
}
