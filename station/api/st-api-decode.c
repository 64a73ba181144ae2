/*
 * A camera frame decoded with zbar (libzbar, Debian's zbar): the page of a handheld without
 * BarcodeDetector sends what its camera sees, in grey, and gets back the barcodes in it; the
 * page then submits a new one as a scan, as it does with BarcodeDetector's. The frame's size
 * is checked against its dimensions before zbar sees a byte.
 */
#define G_LOG_DOMAIN "station-api"

#include <zbar.h>

#include "station/st-error.h"
#include "station/st-module.h"

#include "st-api-decode.h"

void
st_api_code_free(StApiCode *self)
{
	g_free(self->text);
	g_free(self);
}

/* libzbar, opened at the first frame: the program is not linked with it, whose loading
 * (zbar, libv4l, libjpeg, D-Bus) cost every command 0.5 ms of start-up though only a
 * handheld's camera page ever sends a frame */
static struct {
	__typeof__(&zbar_get_symbol_name) zbar_get_symbol_name;
	__typeof__(&zbar_image_create) zbar_image_create;
	__typeof__(&zbar_image_destroy) zbar_image_destroy;
	__typeof__(&zbar_image_first_symbol) zbar_image_first_symbol;
	__typeof__(&zbar_image_scanner_create) zbar_image_scanner_create;
	__typeof__(&zbar_image_scanner_destroy) zbar_image_scanner_destroy;
	__typeof__(&zbar_image_scanner_set_config) zbar_image_scanner_set_config;
	__typeof__(&zbar_image_set_data) zbar_image_set_data;
	__typeof__(&zbar_image_set_format) zbar_image_set_format;
	__typeof__(&zbar_image_set_size) zbar_image_set_size;
	__typeof__(&zbar_scan_image) zbar_scan_image;
	__typeof__(&zbar_symbol_get_data) zbar_symbol_get_data;
	__typeof__(&zbar_symbol_get_data_length) zbar_symbol_get_data_length;
	__typeof__(&zbar_symbol_get_type) zbar_symbol_get_type;
	__typeof__(&zbar_symbol_next) zbar_symbol_next;
} st_zbar;

/* Returns: TRUE once libzbar's functions are in st_zbar (opened once per process); else FALSE
 * with ST_ERROR_NOT_SUPPORTED */
static gboolean
st_api_zbar_open(GError **error)
{
	static StModule module;
	const StModuleSymbol fns[] = {
		{"zbar_get_symbol_name", (gpointer *)&st_zbar.zbar_get_symbol_name},
		{"zbar_image_create", (gpointer *)&st_zbar.zbar_image_create},
		{"zbar_image_destroy", (gpointer *)&st_zbar.zbar_image_destroy},
		{"zbar_image_first_symbol", (gpointer *)&st_zbar.zbar_image_first_symbol},
		{"zbar_image_scanner_create", (gpointer *)&st_zbar.zbar_image_scanner_create},
		{"zbar_image_scanner_destroy", (gpointer *)&st_zbar.zbar_image_scanner_destroy},
		{"zbar_image_scanner_set_config",
		 (gpointer *)&st_zbar.zbar_image_scanner_set_config},
		{"zbar_image_set_data", (gpointer *)&st_zbar.zbar_image_set_data},
		{"zbar_image_set_format", (gpointer *)&st_zbar.zbar_image_set_format},
		{"zbar_image_set_size", (gpointer *)&st_zbar.zbar_image_set_size},
		{"zbar_scan_image", (gpointer *)&st_zbar.zbar_scan_image},
		{"zbar_symbol_get_data", (gpointer *)&st_zbar.zbar_symbol_get_data},
		{"zbar_symbol_get_data_length", (gpointer *)&st_zbar.zbar_symbol_get_data_length},
		{"zbar_symbol_get_type", (gpointer *)&st_zbar.zbar_symbol_get_type},
		{"zbar_symbol_next", (gpointer *)&st_zbar.zbar_symbol_next},
	};
	const gchar *failed = st_module_load(&module, ST_ZBAR_SONAME, fns, G_N_ELEMENTS(fns));

	if (failed != NULL) {
		g_set_error(error, ST_API_ERROR, ST_ERROR_NOT_SUPPORTED,
			    "the barcode decoder (%s) cannot be opened: %s; install it on the "
			    "station (Debian: libzbar0), or use a browser with BarcodeDetector",
			    ST_ZBAR_SONAME, failed);
		return FALSE;
	}
	return TRUE;
}

/**
 * st_api_decode_frame:
 * @grey: the frame, one byte a pixel (0 black, 255 white), @width pixels a row
 *
 * Returns: (transfer full) (element-type StApiCode): the barcodes zbar finds (none: an empty
 *   array), or NULL with ST_ERROR_INVALID_DATA when the frame is not @width x @height bytes
 *   or its sides are out of bounds, ST_ERROR_NOT_SUPPORTED when libzbar cannot be opened
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
	if (!st_api_zbar_open(error))
		return NULL;
	scanner = st_zbar.zbar_image_scanner_create();
	st_zbar.zbar_image_scanner_set_config(scanner, 0, ZBAR_CFG_ENABLE, 1);
	/* no SQ Code (nothing in a warehouse carries it): its decoder leaks memory on some
	 * frames (found by the bounded fuzzing; zbar's open pull request 294) */
	st_zbar.zbar_image_scanner_set_config(scanner, ZBAR_SQCODE, ZBAR_CFG_ENABLE, 0);
	image = st_zbar.zbar_image_create();
	st_zbar.zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
	st_zbar.zbar_image_set_size(image, (unsigned)width, (unsigned)height);
	/* zbar only reads the data: no copy, and no cleanup handler */
	st_zbar.zbar_image_set_data(image, grey, len, NULL);
	if (st_zbar.zbar_scan_image(scanner, image) > 0) {
		for (const zbar_symbol_t *sym = st_zbar.zbar_image_first_symbol(image); sym != NULL;
		     sym = st_zbar.zbar_symbol_next(sym)) {
			StApiCode *code = g_new0(StApiCode, 1);
			code->len = st_zbar.zbar_symbol_get_data_length(sym);
			code->text = g_strndup(st_zbar.zbar_symbol_get_data(sym), code->len);
			code->symbology =
				st_zbar.zbar_get_symbol_name(st_zbar.zbar_symbol_get_type(sym));
			g_ptr_array_add(codes, code);
		}
	}
	st_zbar.zbar_image_destroy(image);
	st_zbar.zbar_image_scanner_destroy(scanner);
	return g_steal_pointer(&codes);
}
