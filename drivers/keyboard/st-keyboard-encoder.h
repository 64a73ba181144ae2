/*
 * Text to the boot-keyboard reports a keyboard-wedge scanner set to a given layout would
 * send: the inverse of StKeyboardDecoder, for the emulated device, tests and fuzz seeds.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	ST_KEYBOARD_GS_CTRL,	   /* GS (0x1D) as Ctrl+] */
	ST_KEYBOARD_GS_ALT_NUMPAD, /* GS as Alt held + keypad 0 0 2 9 */
} StKeyboardGsMode;

typedef struct _StKeyboardEncoder StKeyboardEncoder;

StKeyboardEncoder *
st_keyboard_encoder_new(const gchar *layout, const gchar *variant, GError **error);
void
st_keyboard_encoder_free(StKeyboardEncoder *self);
gboolean
st_keyboard_encoder_type(StKeyboardEncoder *self,
			 const gchar *text,
			 gssize len,
			 StKeyboardGsMode gs_mode,
			 GByteArray *reports,
			 GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StKeyboardEncoder, st_keyboard_encoder_free)

G_END_DECLS
