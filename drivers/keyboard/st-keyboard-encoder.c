/*
 * The keyboard-wedge encoder: for every key of the layout and every shift level it finds the
 * character typed and the modifiers needed, keeping the simplest way to type each character
 * (main keys before the keypad, fewer modifiers first). Typing then looks each character up.
 */
#include <linux/input-event-codes.h>
#include <string.h>
#include <xkbcommon/xkbcommon.h>

#include "station/st-error.h"

#include "st-hid-keyboard.h"
#include "st-keyboard-encoder.h"

typedef struct {
	guint8 usage;
	guint8 modifiers; /* boot report modifier byte */
} StKeyStroke;

struct _StKeyboardEncoder {
	struct xkb_context *context;
	struct xkb_keymap *keymap;
	GHashTable *strokes; /* gunichar -> StKeyStroke packed in a pointer */
};

void
st_keyboard_encoder_free(StKeyboardEncoder *self)
{
	if (self == NULL)
		return;
	if (self->strokes != NULL)
		g_hash_table_unref(self->strokes);
	if (self->keymap != NULL)
		xkb_keymap_unref(self->keymap);
	if (self->context != NULL)
		xkb_context_unref(self->context);
	g_free(self);
}

static gboolean
st_keyboard_encoder_mods_to_report(StKeyboardEncoder *self, xkb_mod_mask_t mask, guint8 *out)
{
	xkb_mod_index_t shift = xkb_keymap_mod_get_index(self->keymap, XKB_MOD_NAME_SHIFT);
	xkb_mod_index_t level3 = xkb_keymap_mod_get_index(self->keymap, "Mod5");
	guint8 mods = 0;

	if (shift != XKB_MOD_INVALID && (mask & (1u << shift))) {
		mods |= ST_HID_MOD_LSHIFT;
		mask &= ~(1u << shift);
	}
	if (level3 != XKB_MOD_INVALID && (mask & (1u << level3))) {
		mods |= ST_HID_MOD_RALT; /* AltGr */
		mask &= ~(1u << level3);
	}
	if (mask != 0)
		return FALSE; /* needs Lock, NumLock or another state a scanner does not use */
	*out = mods;
	return TRUE;
}

static void
st_keyboard_encoder_add_key(StKeyboardEncoder *self, xkb_keycode_t keycode)
{
	guint8 usage = st_hid_keyboard_evdev_to_usage(keycode - 8);
	xkb_level_index_t levels;

	if (usage == 0)
		return;
	levels = xkb_keymap_num_levels_for_key(self->keymap, keycode, 0);
	for (xkb_level_index_t level = 0; level < levels; level++) {
		const xkb_keysym_t *syms = NULL;
		xkb_mod_mask_t masks[8];
		gsize nmasks;
		gunichar c;

		if (xkb_keymap_key_get_syms_by_level(self->keymap, keycode, 0, level, &syms) != 1)
			continue;
		c = xkb_keysym_to_utf32(syms[0]);
		if (c == 0 || g_hash_table_contains(self->strokes, GUINT_TO_POINTER(c)))
			continue;
		nmasks = xkb_keymap_key_get_mods_for_level(self->keymap, keycode, 0, level, masks,
							   G_N_ELEMENTS(masks));
		for (gsize i = 0; i < nmasks; i++) {
			guint8 mods;
			if (!st_keyboard_encoder_mods_to_report(self, masks[i], &mods))
				continue;
			g_hash_table_insert(self->strokes, GUINT_TO_POINTER(c),
					    GUINT_TO_POINTER((guint)usage << 8 | mods));
			break;
		}
	}
}

StKeyboardEncoder *
st_keyboard_encoder_new(const gchar *layout, const gchar *variant, GError **error)
{
	g_autoptr(StKeyboardEncoder) self = g_new0(StKeyboardEncoder, 1);
	struct xkb_rule_names names = {.rules = "evdev",
				       .model = "pc105",
				       .layout = layout,
				       .variant = variant};

	self->context = xkb_context_new(XKB_CONTEXT_NO_ENVIRONMENT_NAMES);
	if (self->context == NULL) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_FAILED,
				    "cannot create an xkbcommon context");
		return NULL;
	}
	xkb_context_set_log_level(self->context, XKB_LOG_LEVEL_CRITICAL);
	self->keymap =
		xkb_keymap_new_from_names(self->context, &names, XKB_KEYMAP_COMPILE_NO_FLAGS);
	if (self->keymap == NULL) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
			    "unknown keyboard layout '%s'", layout);
		return NULL;
	}
	self->strokes = g_hash_table_new(g_direct_hash, g_direct_equal);
	/* main block first, so digits come from the number row, not the keypad */
	for (xkb_keycode_t kc = KEY_ESC + 8; kc < KEY_KP7 + 8; kc++)
		st_keyboard_encoder_add_key(self, kc);
	for (xkb_keycode_t kc = KEY_KP7 + 8; kc <= xkb_keymap_max_keycode(self->keymap); kc++)
		st_keyboard_encoder_add_key(self, kc);
	return g_steal_pointer(&self);
}

static void
st_keyboard_encoder_stroke(GByteArray *reports, guint8 mods, const guint8 *usages, guint n)
{
	guint8 report[ST_HID_BOOT_REPORT_SIZE] = {mods, 0};
	guint8 release[ST_HID_BOOT_REPORT_SIZE] = {0};

	for (guint i = 0; i < n && i < 6; i++)
		report[2 + i] = usages[i];
	g_byte_array_append(reports, report, sizeof(report));
	release[0] = mods & (ST_HID_MOD_LALT); /* Alt stays held through an Alt code */
	g_byte_array_append(reports, release, sizeof(release));
}

/**
 * st_keyboard_encoder_type:
 * @text: UTF-8 text; "\n" is typed as Enter, "\t" as Tab, 0x1D per @gs_mode
 * @reports: (out caller-allocates): receives the reports, 8 bytes each, press and release
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA if a character cannot be typed on the layout
 */
gboolean
st_keyboard_encoder_type(StKeyboardEncoder *self,
			 const gchar *text,
			 gssize len,
			 StKeyboardGsMode gs_mode,
			 GByteArray *reports,
			 GError **error)
{
	const gchar *end;
	const gchar *p;

	if (len < 0)
		len = (gssize)strlen(text);
	if (!g_utf8_validate_len(text, (gsize)len, NULL)) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "text to type is not valid UTF-8");
		return FALSE;
	}
	end = text + len;
	for (p = text; p < end; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		gpointer packed;
		guint8 usage;

		if (c == '\n' || c == '\r') {
			usage = ST_HID_USAGE_ENTER;
			st_keyboard_encoder_stroke(reports, 0, &usage, 1);
			continue;
		}
		if (c == '\t') {
			usage = ST_HID_USAGE_TAB;
			st_keyboard_encoder_stroke(reports, 0, &usage, 1);
			continue;
		}
		if (c == 0x1d && gs_mode == ST_KEYBOARD_GS_ALT_NUMPAD) {
			/* Alt + keypad 0 0 2 9, then Alt released */
			static const guint8 kp[] = {0x62, 0x62, 0x5A, 0x61};
			guint8 none[ST_HID_BOOT_REPORT_SIZE] = {0};
			for (guint i = 0; i < G_N_ELEMENTS(kp); i++)
				st_keyboard_encoder_stroke(reports, ST_HID_MOD_LALT, &kp[i], 1);
			g_byte_array_append(reports, none, sizeof(none));
			continue;
		}
		if (c < 0x20) {
			/* a control character: Ctrl + the key of the character 0x40 above it */
			gunichar base = c + 0x40;
			if (!g_hash_table_lookup_extended(self->strokes, GUINT_TO_POINTER(base),
							  NULL, &packed) &&
			    !g_hash_table_lookup_extended(self->strokes,
							  GUINT_TO_POINTER(g_unichar_tolower(base)),
							  NULL, &packed)) {
				g_set_error(
					error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
					"control character 0x%02X cannot be typed on this layout",
					c);
				return FALSE;
			}
			usage = (guint8)(GPOINTER_TO_UINT(packed) >> 8);
			st_keyboard_encoder_stroke(reports,
						   (guint8)(GPOINTER_TO_UINT(packed) & 0xff) |
							   ST_HID_MOD_LCTRL,
						   &usage, 1);
			continue;
		}
		if (!g_hash_table_lookup_extended(self->strokes, GUINT_TO_POINTER(c), NULL,
						  &packed)) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "character U+%04X cannot be typed on this layout", c);
			return FALSE;
		}
		usage = (guint8)(GPOINTER_TO_UINT(packed) >> 8);
		st_keyboard_encoder_stroke(reports, (guint8)(GPOINTER_TO_UINT(packed) & 0xff),
					   &usage, 1);
	}
	return TRUE;
}
