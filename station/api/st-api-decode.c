/*
 * A camera frame decoded with zbar (libzbar, Debian's zbar): the page of a handheld without
 * BarcodeDetector sends what its camera sees, in grey, and gets back the barcodes in it; the
 * page then submits a new one as a scan, as it does with BarcodeDetector's. The frame's size
 * is checked against its dimensions before zbar sees a byte.
 */
#define G_LOG_DOMAIN "station-api"

#include <zbar.h>

#include "station/st-error.h"

#include "st-api-decode.h"

void
st_api_code_free(StApiCode *self)
{
	g_free(self->text);
	g_free(self);
}

/**
 * st_api_decode_frame:
 * @grey: the frame, one byte a pixel (0 black, 255 white), @width pixels a row
 *
 * Returns: (transfer full) (element-type StApiCode): the barcodes zbar finds (none: an empty
 *   array), or NULL with ST_ERROR_INVALID_DATA when the frame is not @width x @height bytes
 *   or its sides are out of bounds
 */
GPtrArray *
st_api_decode_frame(const guint8 *grey, gsize len, guint64 width, guint64 height, GError **error)
{
	g_autoptr(GPtrArray) codes =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_api_code_free);
	zbar_image_scanner_t *scanner;
	zbar_image_t *image;

	if (width < ST_API_FRAME_MIN_SIDE || width > ST_API_FRAME_MAX_SIDE ||
	    height < ST_API_FRAME_MIN_SIDE || height > ST_API_FRAME_MAX_SIDE) {
		g_set_error(error, ST_API_ERROR, ST_ERROR_INVALID_DATA,
			    "a frame is %d to %d pixels a side", ST_API_FRAME_MIN_SIDE,
			    ST_API_FRAME_MAX_SIDE);
		return NULL;
	}
	if (width * height > ST_API_MAX_FRAME) {
		g_set_error(error, ST_API_ERROR, ST_ERROR_INVALID_DATA,
			    "a frame is at most %d pixels (640 x 480)", ST_API_MAX_FRAME);
		return NULL;
	}
	if (grey == NULL || len != width * height) {
		g_set_error(error, ST_API_ERROR, ST_ERROR_INVALID_DATA,
			    "the frame has %" G_GSIZE_FORMAT
			    " bytes, not width x height (%" G_GUINT64_FORMAT ")",
			    len, width * height);
		return NULL;
	}
	scanner = zbar_image_scanner_create();
	zbar_image_scanner_set_config(scanner, 0, ZBAR_CFG_ENABLE, 1);
	/* no SQ Code (nothing in a warehouse carries it): its decoder leaks memory on some
	 * frames (found by the bounded fuzzing; zbar's open pull request 294) */
	zbar_image_scanner_set_config(scanner, ZBAR_SQCODE, ZBAR_CFG_ENABLE, 0);
	image = zbar_image_create();
	zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(image, (unsigned)width, (unsigned)height);
	/* zbar only reads the data: no copy, and no cleanup handler */
	zbar_image_set_data(image, grey, len, NULL);
	if (zbar_scan_image(scanner, image) > 0) {
		for (const zbar_symbol_t *sym = zbar_image_first_symbol(image); sym != NULL;
		     sym = zbar_symbol_next(sym)) {
			StApiCode *code = g_new0(StApiCode, 1);
			code->len = zbar_symbol_get_data_length(sym);
			code->text = g_strndup(zbar_symbol_get_data(sym), code->len);
			code->symbology = zbar_get_symbol_name(zbar_symbol_get_type(sym));
			g_ptr_array_add(codes, code);
		}
	}
	zbar_image_destroy(image);
	zbar_image_scanner_destroy(scanner);
	return g_steal_pointer(&codes);
}
