/*
 * Boot-keyboard reports to the bytes a keyboard-wedge scanner typed, decoded with the
 * keyboard layout the scanner is set to (not the host's), through xkbcommon.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	ST_KEYBOARD_TERMINATOR_NONE = 0,
	ST_KEYBOARD_TERMINATOR_ENTER = 1 << 0,
	ST_KEYBOARD_TERMINATOR_TAB = 1 << 1,
} StKeyboardTerminator;

typedef struct _StKeyboardDecoder StKeyboardDecoder;

StKeyboardDecoder *
st_keyboard_decoder_new(const gchar *layout, const gchar *variant, GError **error);
void
st_keyboard_decoder_free(StKeyboardDecoder *self);
void
st_keyboard_decoder_set_terminators(StKeyboardDecoder *self, StKeyboardTerminator terminators);
gboolean
st_keyboard_decoder_feed(StKeyboardDecoder *self,
			 const guint8 *buf,
			 gsize bufsz,
			 GBytes **data,
			 GBytes **raw,
			 GError **error);
gboolean
st_keyboard_decoder_has_pending(StKeyboardDecoder *self);
gboolean
st_keyboard_decoder_take_overflow(StKeyboardDecoder *self);
gboolean
st_keyboard_decoder_flush(StKeyboardDecoder *self, GBytes **data, GBytes **raw);
void
st_keyboard_decoder_reset(StKeyboardDecoder *self);

StKeyboardTerminator
st_keyboard_terminator_from_string(const gchar *str, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StKeyboardDecoder, st_keyboard_decoder_free)

G_END_DECLS
