/*
 * Code 128 and GS1-128 encoding (ISO/IEC 15417): the shortest sequence of symbol characters
 * for some data, choosing code sets A, B and C (and SHIFT) as the data goes, and the same
 * choice written as ZPL II ^BC field data with its invocation codes, so that the printer
 * prints exactly the symbol chosen here rather than its own guess.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ST_CODE128_FNC1	   102
#define ST_CODE128_START_A 103
#define ST_CODE128_START_B 104
#define ST_CODE128_START_C 105
#define ST_CODE128_STOP	   106

GArray *
st_code128_encode(const guint8 *data, gsize len, gboolean gs1, GError **error);
GArray *
st_code128_modules(GArray *codes);
gchar *
st_code128_to_zpl(const guint8 *data, gsize len, gboolean gs1, GArray **codes_out, GError **error);

G_END_DECLS
