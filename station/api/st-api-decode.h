/*
 * Barcodes in a camera's frame, for a handheld whose browser has no BarcodeDetector: the page
 * sends the frame in grey (one byte a pixel, row by row) and the station reads it with zbar.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ST_API_FRAME_MIN_SIDE 16
#define ST_API_FRAME_MAX_SIDE 1280
#define ST_API_MAX_FRAME      (640 * 480) /* bytes: a VGA frame in grey */

/* one barcode found in a frame */
typedef struct {
	gchar *text;		/* what it carries (any bytes; NUL-terminated) */
	gsize len;		/* its length in bytes */
	const gchar *symbology; /* zbar's name: EAN-13, CODE-128, QR-Code, ... */
} StApiCode;

void
st_api_code_free(StApiCode *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StApiCode, st_api_code_free)

GPtrArray *
st_api_decode_frame(const guint8 *grey, gsize len, guint64 width, guint64 height, GError **error);

G_END_DECLS
