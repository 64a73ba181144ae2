/*
 * The keyboard-wedge decoder. It replays each boot-keyboard report (modifier byte, reserved
 * byte, six key usages) into an xkb_state as key releases, modifier changes and key presses,
 * in that order, so a report that swaps Shift and a key decodes as a person would expect.
 *
 * GS (0x1D), which GS1 data depends on, survives in both ways scanners send it: Ctrl+] (the
 * Control transformation of xkbcommon turns it into 0x1D) and Alt held while 0, 0, 2, 9 are
 * typed on the keypad (emitted when Alt is released; codes with a leading zero are
 * Windows-1252, others code page 437, as Windows does).
 *
 * On a layout where ']' is not a plain key (de: AltGr+9), a scanner set to that layout may
 * still send Ctrl + the key where a US keyboard has ']', and Ctrl + that key gives no control
 * character in the layout (on de it is '+'). Ctrl, without Alt, on the US positions of [ \ ]
 * and of ^ _ (Shift 6, Shift -) is therefore read as ESC, FS, GS, RS and US whenever the
 * layout's own Control transformation gives no control character: a scanner sends nothing
 * else with Ctrl held, and GS1 data would otherwise lose its separators.
 */
#include <linux/input-event-codes.h>
#include <string.h>
#include <xkbcommon/xkbcommon.h>

#include "station/st-error.h"

#include "st-hid-keyboard.h"
#include "st-keyboard-decoder.h"

#define ST_KEYBOARD_MAX_SCAN 8192 /* bytes; longer input is a stuck key, not a barcode */

struct _StKeyboardDecoder {
	struct xkb_context *context;
	struct xkb_keymap *keymap;
	struct xkb_state *state;
	/* the keymap's indices of Control, Alt and Shift, looked up once: by name, xkbcommon
	 * would look each up again at every key */
	xkb_mod_index_t mod_ctrl;
	xkb_mod_index_t mod_alt;
	xkb_mod_index_t mod_shift;
	StKeyboardTerminator terminators;
	guint8 modifiers;    /* modifier byte of the last report */
	guint8 keys[6];	     /* usages held in the last report */
	gboolean overflowed; /* a scan in progress was dropped for length */
	GByteArray *data;    /* decoded bytes of the scan in progress */
	GByteArray *raw;     /* reports of the scan in progress */
	gboolean alt_code;   /* Alt+keypad digits being typed */
	guint alt_value;
	guint alt_digits;
	gboolean alt_leading_zero;
};

static void
st_keyboard_decoder_log_cb(struct xkb_context *context,
			   enum xkb_log_level level,
			   const char *format,
			   va_list args)
{
	g_autofree gchar *msg = g_strdup_vprintf(format, args);
	g_debug("xkbcommon: %s", g_strchomp(msg));
}

/**
 * st_keyboard_decoder_new:
 * @layout: an xkb layout name such as "us", "de", "fr"
 * @variant: (nullable): an xkb variant such as "nodeadkeys"
 *
 * Returns: (transfer full): a decoder, or NULL with ST_ERROR_INVALID_CONFIG if xkb-data has
 * no such layout.
 */
StKeyboardDecoder *
st_keyboard_decoder_new(const gchar *layout, const gchar *variant, GError **error)
{
	g_autoptr(StKeyboardDecoder) self = g_new0(StKeyboardDecoder, 1);
	struct xkb_rule_names names = {
		.rules = "evdev",
		.model = "pc105",
		.layout = layout,
		.variant = variant,
		.options = NULL,
	};

	self->terminators = ST_KEYBOARD_TERMINATOR_ENTER | ST_KEYBOARD_TERMINATOR_TAB;
	self->data = g_byte_array_new();
	self->raw = g_byte_array_new();
	if (layout == NULL || layout[0] == '\0' || strchr(layout, ',') != NULL) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
			    "keyboard layout must be one xkb layout name such as us, de or fr");
		return NULL;
	}
	/* no environment: the host's XKB_DEFAULT_* must not change how a scanner decodes */
	self->context = xkb_context_new(XKB_CONTEXT_NO_ENVIRONMENT_NAMES);
	if (self->context == NULL) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_FAILED,
				    "cannot create an xkbcommon context; is xkb-data installed?");
		return NULL;
	}
	xkb_context_set_log_fn(self->context, st_keyboard_decoder_log_cb);
	self->keymap =
		xkb_keymap_new_from_names(self->context, &names, XKB_KEYMAP_COMPILE_NO_FLAGS);
	if (self->keymap == NULL) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
			    "unknown keyboard layout '%s'%s%s%s: use a layout name listed in "
			    "/usr/share/X11/xkb/rules/evdev.lst (us, de, fr, gb, ...)",
			    layout, variant != NULL ? " variant '" : "",
			    variant != NULL ? variant : "", variant != NULL ? "'" : "");
		return NULL;
	}
	self->state = xkb_state_new(self->keymap);
	self->mod_ctrl = xkb_keymap_mod_get_index(self->keymap, XKB_MOD_NAME_CTRL);
	self->mod_alt = xkb_keymap_mod_get_index(self->keymap, XKB_MOD_NAME_ALT);
	self->mod_shift = xkb_keymap_mod_get_index(self->keymap, XKB_MOD_NAME_SHIFT);
	return g_steal_pointer(&self);
}

void
st_keyboard_decoder_free(StKeyboardDecoder *self)
{
	if (self == NULL)
		return;
	if (self->state != NULL)
		xkb_state_unref(self->state);
	if (self->keymap != NULL)
		xkb_keymap_unref(self->keymap);
	if (self->context != NULL)
		xkb_context_unref(self->context);
	g_byte_array_unref(self->data);
	g_byte_array_unref(self->raw);
	g_free(self);
}

void
st_keyboard_decoder_set_terminators(StKeyboardDecoder *self, StKeyboardTerminator terminators)
{
	self->terminators = terminators;
}

/**
 * st_keyboard_terminator_from_string:
 * @str: "enter", "tab", "enter,tab" or "none"
 */
StKeyboardTerminator
st_keyboard_terminator_from_string(const gchar *str, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(str, ",", -1);
	StKeyboardTerminator t = ST_KEYBOARD_TERMINATOR_NONE;

	for (guint i = 0; parts[i] != NULL; i++) {
		const gchar *p = g_strstrip(parts[i]);
		if (g_strcmp0(p, "enter") == 0)
			t |= ST_KEYBOARD_TERMINATOR_ENTER;
		else if (g_strcmp0(p, "tab") == 0)
			t |= ST_KEYBOARD_TERMINATOR_TAB;
		else if (g_strcmp0(p, "none") == 0 && parts[1] == NULL)
			continue;
		else {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
				    "terminator '%s' is not one of enter, tab, enter,tab or none",
				    str);
			return (StKeyboardTerminator)-1;
		}
	}
	return t;
}

static void
st_keyboard_decoder_take(StKeyboardDecoder *self, GBytes **data, GBytes **raw)
{
	*data = g_bytes_new(self->data->data, self->data->len);
	if (raw != NULL)
		*raw = g_bytes_new(self->raw->data, self->raw->len);
	g_byte_array_set_size(self->data, 0);
	g_byte_array_set_size(self->raw, 0);
}

static void
st_keyboard_decoder_append_alt_code(StKeyboardDecoder *self)
{
	guint8 code = (guint8)(self->alt_value % 256);

	if (code < 0x80) {
		g_byte_array_append(self->data, &code, 1);
	} else {
		/* Windows: Alt+0nnn is the ANSI code page, Alt+nnn the OEM one */
		const gchar *charset = self->alt_leading_zero ? "WINDOWS-1252" : "IBM437";
		g_autofree gchar *utf8 =
			g_convert((const gchar *)&code, 1, "UTF-8", charset, NULL, NULL, NULL);
		if (utf8 != NULL)
			g_byte_array_append(self->data, (const guint8 *)utf8, strlen(utf8));
	}
	self->alt_code = FALSE;
	self->alt_value = 0;
	self->alt_digits = 0;
	self->alt_leading_zero = FALSE;
}

static gint
st_keyboard_decoder_keypad_digit(guint evdev)
{
	static const guint digits[] = {KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4,
				       KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9};
	for (guint i = 0; i < G_N_ELEMENTS(digits); i++) {
		if (digits[i] == evdev)
			return (gint)i;
	}
	return -1;
}

/* the control character of Ctrl + @usage at its US position ([ \ ] and Shift 6, Shift -),
 * or 0 */
static guint8
st_keyboard_decoder_us_control(guint8 usage, gboolean shift)
{
	if (!shift && usage == 0x2F)
		return 0x1B; /* [ */
	if (!shift && usage == 0x31)
		return 0x1C; /* \ */
	if (!shift && usage == 0x30)
		return 0x1D; /* ] */
	if (shift && usage == 0x23)
		return 0x1E; /* ^ */
	if (shift && usage == 0x2D)
		return 0x1F; /* _ */
	return 0;
}

/* TRUE if the modifier at @index (XKB_MOD_INVALID if the keymap has none) is in effect */
static gboolean
st_keyboard_decoder_mod_active(StKeyboardDecoder *self, xkb_mod_index_t index)
{
	return index != XKB_MOD_INVALID &&
	       xkb_state_mod_index_is_active(self->state, index, XKB_STATE_MODS_EFFECTIVE) > 0;
}

/* Returns: TRUE if this key press ended the scan */
static gboolean
st_keyboard_decoder_press(StKeyboardDecoder *self, guint8 usage)
{
	guint evdev = st_hid_keyboard_usage_to_evdev(usage);
	xkb_keycode_t keycode;
	xkb_keysym_t sym;
	gchar buf[16];
	gint n;
	gint digit;

	if (evdev == 0)
		return FALSE;
	keycode = evdev + 8;
	sym = xkb_state_key_get_one_sym(self->state, keycode);

	/* Alt + keypad digits: an Alt code, whatever NumLock says */
	digit = st_keyboard_decoder_keypad_digit(evdev);
	if (digit >= 0 && st_keyboard_decoder_mod_active(self, self->mod_alt) &&
	    !st_keyboard_decoder_mod_active(self, self->mod_ctrl)) {
		if (self->alt_digits == 0 && digit == 0)
			self->alt_leading_zero = TRUE;
		if (self->alt_digits < 4)
			self->alt_value = self->alt_value * 10 + (guint)digit;
		self->alt_digits++;
		self->alt_code = TRUE;
		xkb_state_update_key(self->state, keycode, XKB_KEY_DOWN);
		return FALSE;
	}

	if ((sym == XKB_KEY_Return || sym == XKB_KEY_KP_Enter) &&
	    (self->terminators & ST_KEYBOARD_TERMINATOR_ENTER)) {
		xkb_state_update_key(self->state, keycode, XKB_KEY_DOWN);
		return TRUE;
	}
	if ((sym == XKB_KEY_Tab || sym == XKB_KEY_ISO_Left_Tab) &&
	    (self->terminators & ST_KEYBOARD_TERMINATOR_TAB)) {
		xkb_state_update_key(self->state, keycode, XKB_KEY_DOWN);
		return TRUE;
	}
	if (sym == XKB_KEY_Return || sym == XKB_KEY_KP_Enter) {
		/* not a terminator for this scanner: keep it as data */
		g_byte_array_append(self->data, (const guint8 *)"\r", 1);
	} else {
		/* the text this key types in the current state, Control transformation included */
		gboolean ctrl = st_keyboard_decoder_mod_active(self, self->mod_ctrl);
		gboolean alt = st_keyboard_decoder_mod_active(self, self->mod_alt);
		gboolean shift = st_keyboard_decoder_mod_active(self, self->mod_shift);
		guint8 us_control = ctrl && !alt ? st_keyboard_decoder_us_control(usage, shift) : 0;
		n = xkb_state_key_get_utf8(self->state, keycode, buf, sizeof(buf));
		if (us_control != 0 && (n != 1 || (guchar)buf[0] >= 0x20)) {
			/* the layout has no control character here: the US position's */
			g_byte_array_append(self->data, &us_control, 1);
		} else if (n > 0 && (gsize)n < sizeof(buf)) {
			g_byte_array_append(self->data, (const guint8 *)buf, (guint)n);
		}
	}
	xkb_state_update_key(self->state, keycode, XKB_KEY_DOWN);
	return FALSE;
}

static void
st_keyboard_decoder_release(StKeyboardDecoder *self, guint8 usage)
{
	guint evdev = st_hid_keyboard_usage_to_evdev(usage);
	if (evdev != 0)
		xkb_state_update_key(self->state, evdev + 8, XKB_KEY_UP);
}

static gboolean
st_keyboard_decoder_holds(const guint8 *keys, guint8 usage)
{
	for (guint i = 0; i < 6; i++) {
		if (keys[i] == usage)
			return TRUE;
	}
	return FALSE;
}

/* TRUE if @keys holds a key that the last report did not */
static gboolean
st_keyboard_decoder_presses(StKeyboardDecoder *self, const guint8 *keys)
{
	for (guint i = 0; i < 6; i++) {
		if (keys[i] > ST_HID_USAGE_ERROR_ROLLOVER &&
		    !st_keyboard_decoder_holds(self->keys, keys[i]))
			return TRUE;
	}
	return FALSE;
}

/**
 * st_keyboard_decoder_feed:
 * @buf: one boot-keyboard report, 8 bytes
 * @data: (out) (transfer full): set to the scan's decoded bytes when this report ended it
 * @raw: (out) (transfer full) (optional): the reports that made up that scan, from the first
 *   that pressed a key to the one that ended it
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA if the report is not a boot-keyboard report;
 * the decoder state is then unchanged. TRUE otherwise, with *@data set or NULL.
 */
gboolean
st_keyboard_decoder_feed(StKeyboardDecoder *self,
			 const guint8 *buf,
			 gsize bufsz,
			 GBytes **data,
			 GBytes **raw,
			 GError **error)
{
	guint8 mods;
	const guint8 *keys;
	gboolean ended = FALSE;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(data != NULL, FALSE);
	*data = NULL;
	if (raw != NULL)
		*raw = NULL;

	if (buf == NULL || bufsz != ST_HID_BOOT_REPORT_SIZE) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "keyboard report of %" G_GSIZE_FORMAT " bytes, expected %d", bufsz,
			    ST_HID_BOOT_REPORT_SIZE);
		return FALSE;
	}
	mods = buf[0];
	keys = buf + 2;

	/* phantom state: too many keys held; the report says nothing about which */
	if (st_keyboard_decoder_holds(keys, ST_HID_USAGE_ERROR_ROLLOVER))
		return TRUE;

	/* up to four reports a character (modifier, press, release, modifier release) */
	if (self->raw->len + bufsz > ST_KEYBOARD_MAX_SCAN * 4 * ST_HID_BOOT_REPORT_SIZE ||
	    self->data->len > ST_KEYBOARD_MAX_SCAN) {
		/* a stuck key or an endless stream: start again rather than grow forever, and
		 * let the owner say so (st_keyboard_decoder_take_overflow) */
		g_byte_array_set_size(self->data, 0);
		g_byte_array_set_size(self->raw, 0);
		self->overflowed = TRUE;
	}
	/* raw holds a scan's reports from the first that presses something to the one that
	 * ends it; the releases after a scan ended belong to no scan */
	if (self->raw->len > 0 || (mods & ~self->modifiers) != 0 ||
	    st_keyboard_decoder_presses(self, keys))
		g_byte_array_append(self->raw, buf, (guint)bufsz);

	/* 1. keys released */
	for (guint i = 0; i < 6; i++) {
		if (self->keys[i] > ST_HID_USAGE_ERROR_ROLLOVER &&
		    !st_keyboard_decoder_holds(keys, self->keys[i]))
			st_keyboard_decoder_release(self, self->keys[i]);
	}
	/* 2. modifiers pressed and released */
	for (guint bit = 0; bit < 8; bit++) {
		guint8 mask = (guint8)(1u << bit);
		if ((mods & mask) == (self->modifiers & mask))
			continue;
		xkb_state_update_key(self->state, st_hid_keyboard_modifier_to_evdev(bit) + 8,
				     (mods & mask) ? XKB_KEY_DOWN : XKB_KEY_UP);
	}
	if (self->alt_code && !st_keyboard_decoder_mod_active(self, self->mod_alt))
		st_keyboard_decoder_append_alt_code(self);
	/* 3. keys pressed, in report order */
	for (guint i = 0; i < 6; i++) {
		if (keys[i] <= ST_HID_USAGE_ERROR_ROLLOVER || keys[i] == 0x02 || keys[i] == 0x03)
			continue;
		if (st_keyboard_decoder_holds(self->keys, keys[i]))
			continue;
		if (st_keyboard_decoder_press(self, keys[i]))
			ended = TRUE;
	}
	self->modifiers = mods;
	memcpy(self->keys, keys, sizeof(self->keys));

	if (ended)
		st_keyboard_decoder_take(self, data, raw);
	return TRUE;
}

/**
 * st_keyboard_decoder_take_overflow:
 *
 * Returns: TRUE once after a scan in progress was dropped because it grew longer than any
 * barcode (a stuck key, or a scanner whose terminator is not configured)
 */
gboolean
st_keyboard_decoder_take_overflow(StKeyboardDecoder *self)
{
	gboolean overflowed = self->overflowed;
	self->overflowed = FALSE;
	return overflowed;
}

/* Returns: TRUE if bytes of an unfinished scan are held */
gboolean
st_keyboard_decoder_has_pending(StKeyboardDecoder *self)
{
	return self->data->len > 0 || self->alt_code;
}

/**
 * st_keyboard_decoder_flush:
 *
 * Ends the scan in progress without a terminator (the inter-key timeout expired).
 *
 * Returns: TRUE with *@data set if there was anything to end
 */
gboolean
st_keyboard_decoder_flush(StKeyboardDecoder *self, GBytes **data, GBytes **raw)
{
	if (self->alt_code)
		st_keyboard_decoder_append_alt_code(self);
	if (self->data->len == 0) {
		g_byte_array_set_size(self->raw, 0);
		return FALSE;
	}
	st_keyboard_decoder_take(self, data, raw);
	return TRUE;
}

/* Drops the scan in progress and every held key, as after an unplug. */
void
st_keyboard_decoder_reset(StKeyboardDecoder *self)
{
	xkb_state_unref(self->state);
	self->state = xkb_state_new(self->keymap);
	self->modifiers = 0;
	memset(self->keys, 0, sizeof(self->keys));
	g_byte_array_set_size(self->data, 0);
	g_byte_array_set_size(self->raw, 0);
	self->overflowed = FALSE;
	self->alt_code = FALSE;
	self->alt_value = 0;
	self->alt_digits = 0;
	self->alt_leading_zero = FALSE;
}
