/*
 * A keyboard's input report read through its HID report descriptor, as the boot report the
 * decoder takes (modifier byte, reserved byte, six key usages). For keyboard-wedge scanners
 * whose interface is not a boot keyboard, or whose descriptor puts the keyboard behind a
 * report id beside other reports (consumer keys, a vendor report): the keyboard's report is
 * found by its usages (Keyboard/Keypad page 0x07: the modifiers 0xE0-0xE7, and the keys as
 * an array or as one bit a key), other reports are left out.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _StKeyboardReport StKeyboardReport;

StKeyboardReport *
st_keyboard_report_new(const guint8 *descriptor, gsize len, GError **error);
void
st_keyboard_report_free(StKeyboardReport *self);
guint8
st_keyboard_report_get_id(const StKeyboardReport *self);
gboolean
st_keyboard_report_to_boot(const StKeyboardReport *self,
			   const guint8 *buf,
			   gsize len,
			   guint8 boot[8],
			   gboolean *is_keyboard,
			   GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StKeyboardReport, st_keyboard_report_free)

G_END_DECLS
