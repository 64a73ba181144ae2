/*
 * The part of a keyboard-wedge scanner that is the same whatever carries its reports (USB
 * today, the emulated device in the demo): it decodes reports with the scanner's layout, ends
 * a scan on its terminator or after its inter-key timeout, and emits the result on the
 * device. Both the USB driver and the emulated driver own one.
 */
#pragma once

#include "station/st-device.h"

G_BEGIN_DECLS

typedef struct _StKeyboardScanner StKeyboardScanner;

/* option names the scanner reads from StDeviceInfo */
#define ST_KEYBOARD_OPTION_LAYOUT	     "layout"
#define ST_KEYBOARD_OPTION_VARIANT	     "variant"
#define ST_KEYBOARD_OPTION_TERMINATOR	     "terminator"
#define ST_KEYBOARD_OPTION_INTER_KEY_TIMEOUT "inter-key-timeout"

extern const gchar *const st_keyboard_scanner_options[];
StKeyboardScanner *
st_keyboard_scanner_new(StDevice *device, const StDeviceInfo *info, GError **error);
void
st_keyboard_scanner_free(StKeyboardScanner *self);
void
st_keyboard_scanner_push_report(StKeyboardScanner *self, const guint8 *buf, gsize bufsz);
void
st_keyboard_scanner_abort(StKeyboardScanner *self, const gchar *why);
void
st_keyboard_scanner_describe(StKeyboardScanner *self, GString *str);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StKeyboardScanner, st_keyboard_scanner_free)

G_END_DECLS
