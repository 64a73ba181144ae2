/*
 * PDF and PNG labels with cairo, pango and libzint. Every position is in printer dots: the
 * PNG is drawn one pixel per dot, the PDF is scaled by 72/dpi so that at the printer's
 * resolution each module of a barcode is a whole number of dots and scans as it should.
 * Text goes through pango, so any script prints (CJK through fontconfig's fallback, with
 * fonts-wqy-microhei or fonts-noto-cjk installed).
 *
 * Code 128 and GS1-128 come from our own encoder (the shortest symbol, as in ZPL); the other
 * symbologies from libzint's module grid (encoded_data), drawn here cell by cell.
 */
#include <cairo-pdf.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <zint.h>

#include "station/st-error.h"

#include "st-code128.h"
#include "st-label-private.h"

/* dots between two pages in a PNG preview */
#define ST_LABEL_PAGE_GAP 16

void
st_modules_free(StModules *m)
{
	if (m == NULL)
		return;
	g_free(m->cells);
	if (m->hexagons != NULL)
		g_array_unref(m->hexagons);
	if (m->circles != NULL)
		g_array_unref(m->circles);
	g_free(m);
}

static StModules *
modules_from_zint(const StLabelItem *item, GError **error)
{
	struct zint_symbol *sym = ZBarcode_Create();
	gsize len = 0;
	const guint8 *d = g_bytes_get_data(item->data, &len);
	g_autofree gchar *digits = NULL;
	StMaxicode mc = {0};
	StModules *m;
	gint ret;

	sym->input_mode = DATA_MODE;
	switch (item->symbology) {
	case ST_SYMBOL_CODE39:
		sym->symbology = BARCODE_CODE39;
		break;
	case ST_SYMBOL_EAN13:
	case ST_SYMBOL_EAN8:
	case ST_SYMBOL_UPCA:
		/* zint adds the check digit itself: give it the digits without one (the data
		 * was checked by st_label_check_symbol) */
		sym->symbology = item->symbology == ST_SYMBOL_UPCA ? BARCODE_UPCA : BARCODE_EANX;
		len = MIN(len, item->symbology == ST_SYMBOL_EAN13  ? 12u
			       : item->symbology == ST_SYMBOL_EAN8 ? 7u
								   : 11u);
		break;
	case ST_SYMBOL_ITF:
		sym->symbology = BARCODE_C25INTER;
		break;
	case ST_SYMBOL_DATAMATRIX:
		sym->symbology = BARCODE_DATAMATRIX;
		sym->option_3 = DM_SQUARE;
		break;
	case ST_SYMBOL_GS1_DATAMATRIX:
		/* zint wants the bracketed form, which the template kept as hri_text */
		sym->symbology = BARCODE_DATAMATRIX;
		sym->option_3 = DM_SQUARE;
		sym->input_mode = GS1_MODE | GS1PARENS_MODE;
		if (item->hri_text == NULL) {
			ZBarcode_Delete(sym);
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "GS1 DataMatrix needs its data in bracketed form");
			return NULL;
		}
		d = (const guint8 *)item->hri_text;
		len = strlen(item->hri_text);
		break;
	case ST_SYMBOL_QR:
		sym->symbology = BARCODE_QRCODE;
		sym->option_1 = 2; /* error correction M */
		break;
	case ST_SYMBOL_PDF417:
		sym->symbology = BARCODE_PDF417;
		sym->option_1 = 5; /* security level */
		break;
	case ST_SYMBOL_MAXICODE:
		if (!st_label_maxicode_split(item->data, &mc, error)) {
			ZBarcode_Delete(sym);
			return NULL;
		}
		sym->symbology = BARCODE_MAXICODE;
		sym->option_1 = mc.mode;
		if (mc.mode != 4)
			g_snprintf(sym->primary, sizeof(sym->primary), "%s%s%s", mc.postal,
				   mc.country, mc.service);
		d = g_bytes_get_data(mc.secondary, &len);
		break;
	case ST_SYMBOL_CODE128:
	case ST_SYMBOL_GS1_128:
	case ST_SYMBOL_COUNT:
	default:
		ZBarcode_Delete(sym);
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_NOT_SUPPORTED,
			    "%s barcodes are not drawn by this build yet",
			    st_symbology_to_string(item->symbology));
		return NULL;
	}
	ret = ZBarcode_Encode(sym, d, (gint)len);
	if (ret < ZINT_ERROR && item->symbology == ST_SYMBOL_MAXICODE)
		ret = ZBarcode_Buffer_Vector(sym, 0);
	st_maxicode_clear(&mc);
	if (ret >= ZINT_ERROR) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA, "%s barcode%s%s: %s",
			    st_symbology_to_string(item->symbology), item->name ? " " : "",
			    item->name ? item->name : "", sym->errtxt);
		ZBarcode_Delete(sym);
		return NULL;
	}
	m = g_new0(StModules, 1);
	if (item->symbology == ST_SYMBOL_MAXICODE) {
		m->hexagons = g_array_new(FALSE, FALSE, sizeof(gfloat));
		m->circles = g_array_new(FALSE, FALSE, sizeof(gfloat));
		m->vw = sym->vector->width;
		m->vh = sym->vector->height;
		for (struct zint_vector_hexagon *x = sym->vector->hexagons; x; x = x->next) {
			gfloat v[] = {x->x, x->y, x->diameter};
			g_array_append_vals(m->hexagons, v, G_N_ELEMENTS(v));
		}
		for (struct zint_vector_circle *c = sym->vector->circles; c; c = c->next) {
			gfloat v[] = {c->x, c->y, c->diameter, c->width, c->colour ? 1.f : 0.f};
			g_array_append_vals(m->circles, v, G_N_ELEMENTS(v));
		}
	}
	m->rows = sym->rows;
	m->cols = sym->width;
	m->cells = g_new0(guint8, (gsize)m->rows * m->cols);
	for (gint r = 0; r < m->rows; r++)
		for (gint c = 0; c < m->cols; c++)
			m->cells[r * m->cols + c] = (sym->encoded_data[r][c >> 3] >> (c & 7)) & 1;
	/* ISO/IEC 15438: a PDF417 row at least 3 modules high (libzint gives each row 1 when
	 * asked for the least height), which the ZPL and the drawing both follow */
	if (item->symbology == ST_SYMBOL_PDF417)
		m->row_modules = MAX(3, (gint)lroundf(sym->row_height[0]));
	else if (!st_symbology_is_linear(item->symbology))
		m->row_modules = 1;
	ZBarcode_Delete(sym);
	return m;
}

/**
 * st_label_symbol_modules:
 *
 * Returns: the barcode of @item as a grid of modules, or NULL with an error saying why the
 *   data cannot be encoded
 */
StModules *
st_label_symbol_modules(const StLabelItem *item, GError **error)
{
	if (!st_label_check_symbol(item->symbology, item->data, error))
		return NULL;
	if (item->symbology == ST_SYMBOL_CODE128 || item->symbology == ST_SYMBOL_GS1_128) {
		gsize len = 0;
		const guint8 *d = g_bytes_get_data(item->data, &len);
		g_autoptr(GArray) codes =
			st_code128_encode(d, len, item->symbology == ST_SYMBOL_GS1_128, error);
		g_autoptr(GArray) bars = NULL;
		StModules *m;
		if (codes == NULL)
			return NULL;
		bars = st_code128_modules(codes);
		m = g_new0(StModules, 1);
		m->rows = 1;
		m->cols = (gint)bars->len;
		m->cells = g_memdup2(bars->data, bars->len);
		return m;
	}
	return modules_from_zint(item, error);
}

gint
st_label_hri_size(const StLabelItem *item)
{
	return item->size > 0 ? item->size : MAX(16, item->module * 9);
}

void
st_label_symbol_size(const StLabelItem *item, const StModules *m, gint dpi, gint *w, gint *h)
{
	if (m->hexagons != NULL) {
		/* MaxiCode has one size, whatever the printer's resolution */
		*w = st_label_dots(ST_MAXICODE_WIDTH_MM, dpi);
		*h = st_label_dots(ST_MAXICODE_HEIGHT_MM, dpi);
		return;
	}
	*w = m->cols * item->module;
	if (m->row_modules == 0)
		*h = item->h > 0 ? item->h : item->module * 50;
	else
		*h = m->rows * m->row_modules * item->module;
}

static PangoLayout *
text_layout(PangoContext *ctx, const StLabelItem *item, gint size)
{
	PangoLayout *layout = pango_layout_new(ctx);
	g_autoptr(PangoFontDescription) font = pango_font_description_from_string("Sans");
	static const PangoAlignment aligns[] = {PANGO_ALIGN_LEFT, PANGO_ALIGN_CENTER,
						PANGO_ALIGN_RIGHT};

	pango_font_description_set_absolute_size(font, (gdouble)size * PANGO_SCALE);
	if (item->bold)
		pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(layout, font);
	if (item->w > 0) {
		pango_layout_set_width(layout, item->w * PANGO_SCALE);
		pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(layout, aligns[CLAMP(item->align, 0, 2)]);
	pango_layout_set_text(layout, item->text != NULL ? item->text : "", -1);
	return layout;
}

static PangoContext *
measure_context(void)
{
	PangoFontMap *map = pango_cairo_font_map_get_default();
	PangoContext *ctx = pango_font_map_create_context(map);
	cairo_font_options_t *opts = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(ctx, opts);
	cairo_font_options_destroy(opts);
	return ctx;
}

void
st_label_text_extent(const StLabelItem *item, gint size, gint *w, gint *h)
{
	PangoContext *ctx = measure_context();
	PangoLayout *layout = text_layout(ctx, item, size);
	pango_layout_get_pixel_size(layout, w, h);
	g_object_unref(layout);
	g_object_unref(ctx);
}

static gboolean
text_fits(const StLabelItem *item, gint size)
{
	PangoContext *ctx = measure_context();
	PangoLayout *layout = text_layout(ctx, item, size);
	gint w, h, lines;
	pango_layout_get_pixel_size(layout, &w, &h);
	lines = pango_layout_get_line_count(layout);
	g_object_unref(layout);
	g_object_unref(ctx);
	if (item->max_lines > 0 && lines > item->max_lines)
		return FALSE;
	if (item->h > 0 && h > item->h)
		return FALSE;
	/* a single word longer than the box is broken by pango; that is fine only when
	 * wrapping is allowed, which w > 0 means */
	return TRUE;
}

/**
 * st_label_text_fit:
 *
 * Returns: the largest size from the item's size down to its min_size at which its text fits
 *   its box (width, height, max_lines), or -1 with an error naming the item and the text
 */
gint
st_label_text_fit(const StLabelItem *item, gint dpi, GError **error)
{
	gint floor_size = item->min_size > 0 ? MIN(item->min_size, item->size) : item->size;
	(void)dpi;
	gint lo = MAX(floor_size, 1), hi = item->size;
	if (hi > 0 && text_fits(item, hi))
		return hi;
	/* the largest size that fits, by bisection: a smaller size never fits worse */
	if (hi > lo && text_fits(item, lo)) {
		while (hi - lo > 1) {
			gint mid = lo + (hi - lo) / 2;
			if (text_fits(item, mid))
				lo = mid;
			else
				hi = mid;
		}
		return lo;
	}
	g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
		    "the text of %s does not fit its box (%d x %d dots%s) even at the smallest "
		    "size allowed: shorten \"%.60s%s\"",
		    item->name != NULL ? item->name : "a text field", item->w, item->h,
		    item->max_lines > 0 ? ", limited lines" : "",
		    item->text != NULL ? item->text : "",
		    item->text != NULL && strlen(item->text) > 60 ? "..." : "");
	return -1;
}

/* moves @cr so that drawing a w x h box at (0, 0) puts it rotated at the item's place */
static void
place(cairo_t *cr, const StLabelItem *item, gint w, gint h)
{
	cairo_translate(cr, item->x, item->y);
	switch (item->rotation) {
	case 90:
		cairo_translate(cr, h, 0);
		cairo_rotate(cr, G_PI / 2);
		break;
	case 180:
		cairo_translate(cr, w, h);
		cairo_rotate(cr, G_PI);
		break;
	case 270:
		cairo_translate(cr, 0, w);
		cairo_rotate(cr, -G_PI / 2);
		break;
	default:
		break;
	}
}

void
st_label_draw_text(cairo_t *cr, const StLabelItem *item, gint size, gint dpi)
{
	PangoContext *ctx = pango_cairo_create_context(cr);
	cairo_font_options_t *opts = cairo_font_options_create();
	g_autoptr(PangoLayout) layout = NULL;
	gint w, h, text_h;

	(void)dpi;
	cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(ctx, opts);
	cairo_font_options_destroy(opts);
	layout = text_layout(ctx, item, size);
	pango_layout_get_pixel_size(layout, &w, &h);
	text_h = h;
	if (item->w > 0)
		w = item->w;
	if (item->h > 0)
		h = item->h;
	cairo_save(cr);
	place(cr, item, w, h);
	if (item->reverse) {
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_rectangle(cr, 0, 0, w, h);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 1, 1, 1);
	} else {
		cairo_set_source_rgb(cr, 0, 0, 0);
	}
	/* a banner (white on black) has its text in the middle of its bar, as in the ZPL */
	cairo_move_to(cr, 0, item->reverse ? MAX(0, (h - text_h) / 2) : 0);
	pango_cairo_show_layout(cr, layout);
	cairo_restore(cr);
	g_object_unref(ctx);
}

/**
 * st_label_symbol_place:
 * @placed: (out): @item with its x moved when it is centred in its box
 * @total: (out): the height with the human-readable line under a linear code
 *
 * Sizes a barcode's symbol and checks that it fits the label where the template puts it;
 * both renderers place symbols through here, so they refuse the same labels.
 */
gboolean
st_label_symbol_place(const StLabel *label,
		      const StLabelItem *item,
		      const StModules *m,
		      StLabelItem *placed,
		      gint *w,
		      gint *h,
		      gint *total,
		      GError **error)
{
	if (item->symbology == ST_SYMBOL_MAXICODE && item->rotation != 0) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "the MaxiCode %s is read in any orientation and ZPL cannot turn it: "
			    "give it no rotation",
			    item->name != NULL ? item->name : "");
		return FALSE;
	}
	st_label_symbol_size(item, m, label->dpi, w, h);
	*total = *h + (item->hri && st_symbology_is_linear(item->symbology)
			       ? st_label_hri_size(item) + item->module * 2
			       : 0);
	*placed = *item;
	if (item->w > 0 && item->rotation == 0 && item->align == ST_ALIGN_CENTER && *w < item->w)
		placed->x += (item->w - *w) / 2;
	if ((item->rotation % 180 == 0 &&
	     (placed->x + *w > label->width || placed->y + *total > label->height)) ||
	    (item->rotation % 180 != 0 &&
	     (placed->x + *total > label->width || placed->y + *w > label->height))) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "the %s barcode %s is %d x %d dots and does not fit the label at "
			    "(%d, %d): its data is too long for the place the template gives it",
			    st_symbology_to_string(item->symbology),
			    item->name != NULL ? item->name : "", *w, *total, placed->x, placed->y);
		return FALSE;
	}
	return TRUE;
}

/**
 * st_label_hri_item:
 * @text: (out): the text item under a @w x @h symbol, in the symbol's unrotated frame (at
 *   (0, h + 2 modules)); its text is allocated: free it with g_free()
 */
void
st_label_hri_item(const StLabelItem *item, gint w, gint h, StLabelItem *text)
{
	gsize len = 0;
	const gchar *d = g_bytes_get_data(item->data, &len);
	gchar *shown = item->hri_text != NULL ? g_strdup(item->hri_text) : g_strndup(d, len);

	*text = *item;
	text->kind = ST_LABEL_TEXT;
	text->x = 0;
	text->y = h + item->module * 2;
	text->w = w;
	text->h = 0;
	text->rotation = 0;
	text->align = ST_ALIGN_CENTER;
	text->text = g_strdelimit(shown, "\x1d", ' ');
	text->bold = FALSE;
	text->reverse = FALSE;
	text->size = st_label_hri_size(item);
	text->min_size = MAX(8, text->size / 2);
	text->max_lines = 1;
}

/* MaxiCode's hexagons (a vertex up, one down) and bullseye, libzint's layout scaled to
 * @w x @h dots; antialiased, since no cell edge falls on a whole dot anyway */
static void
draw_maxicode(cairo_t *cr, const StModules *m, gint w, gint h)
{
	const gfloat *hex = (const gfloat *)m->hexagons->data;
	const gfloat *circ = (const gfloat *)m->circles->data;

	cairo_save(cr);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
	cairo_scale(cr, w / m->vw, h / m->vh);
	for (guint i = 0; i + 2 < m->hexagons->len; i += 3) {
		gdouble r = hex[i + 2] / 2.0;
		for (gint k = 0; k < 6; k++) {
			gdouble a = G_PI / 2 + k * G_PI / 3;
			if (k == 0)
				cairo_move_to(cr, hex[i] + r * cos(a), hex[i + 1] + r * sin(a));
			else
				cairo_line_to(cr, hex[i] + r * cos(a), hex[i + 1] + r * sin(a));
		}
		cairo_close_path(cr);
	}
	cairo_fill(cr);
	for (guint i = 0; i + 4 < m->circles->len; i += 5) {
		gdouble r = circ[i + 2] / 2.0;
		if (circ[i + 4] != 0)
			cairo_set_source_rgb(cr, 1, 1, 1);
		else
			cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_new_sub_path(cr);
		cairo_arc(cr, circ[i], circ[i + 1], r, 0, 2 * G_PI);
		if (circ[i + 3] > 0) {
			cairo_set_line_width(cr, circ[i + 3]);
			cairo_stroke(cr);
		} else {
			cairo_fill(cr);
		}
	}
	cairo_restore(cr);
}

static gboolean
draw_barcode(cairo_t *cr, StLabel *label, const StLabelItem *item, GError **error)
{
	g_autoptr(StModules) m = st_label_symbol_modules(item, error);
	StLabelItem placed;
	gint w, h, total_h;

	if (m == NULL || !st_label_symbol_place(label, item, m, &placed, &w, &h, &total_h, error))
		return FALSE;
	item = &placed;
	cairo_save(cr);
	place(cr, item, w, total_h);
	cairo_set_source_rgb(cr, 0, 0, 0);
	if (m->hexagons != NULL) {
		draw_maxicode(cr, m, w, h);
		cairo_restore(cr);
		return TRUE;
	}
	for (gint r = 0; r < m->rows; r++) {
		gint y0 = m->row_modules == 0 ? 0 : r * m->row_modules * item->module;
		gint rh = m->row_modules == 0 ? h : m->row_modules * item->module;
		for (gint c = 0; c < m->cols;) {
			gint run = 0;
			if (!m->cells[r * m->cols + c]) {
				c++;
				continue;
			}
			while (c + run < m->cols && m->cells[r * m->cols + c + run])
				run++;
			cairo_rectangle(cr, c * item->module, y0, run * item->module, rh);
			c += run;
		}
	}
	cairo_fill(cr);
	if (item->hri && st_symbology_is_linear(item->symbology)) {
		StLabelItem text;
		g_autofree gchar *shown = NULL;
		gint size;
		st_label_hri_item(item, w, h, &text);
		shown = text.text;
		size = st_label_text_fit(&text, label->dpi, error);
		if (size < 0) {
			cairo_restore(cr);
			return FALSE;
		}
		st_label_draw_text(cr, &text, size, label->dpi);
	}
	cairo_restore(cr);
	return TRUE;
}

typedef struct {
	const guint8 *data;
	gsize len, pos;
} PngReader;

static cairo_status_t
png_read(void *closure, unsigned char *out, unsigned int length)
{
	PngReader *r = closure;
	if (r->len - r->pos < length)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(out, r->data + r->pos, length);
	r->pos += length;
	return CAIRO_STATUS_SUCCESS;
}

cairo_surface_t *
st_label_image_surface(const StLabelItem *item, GError **error)
{
	PngReader r = {NULL, 0, 0};
	cairo_surface_t *s;
	if (item->image != NULL)
		r.data = g_bytes_get_data(item->image, &r.len);
	if (r.len < 8 || memcmp(r.data, "\x89PNG\r\n\x1a\n", 8) != 0) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "the image %s is not a PNG file; give a PNG",
			    item->name != NULL ? item->name : "");
		return NULL;
	}
	/* the IHDR chunk follows the signature: width and height, big-endian; refuse a size
	 * that would take gigabytes to decode before libpng is asked to */
	if (r.len < 24 || memcmp(r.data + 12, "IHDR", 4) != 0) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "the image %s is a truncated PNG file",
			    item->name != NULL ? item->name : "");
		return NULL;
	} else {
		guint32 iw = GUINT32_FROM_BE(*(const guint32 *)(const void *)(r.data + 16));
		guint32 ih = GUINT32_FROM_BE(*(const guint32 *)(const void *)(r.data + 20));
		if (iw == 0 || ih == 0 || iw > ST_LABEL_IMAGE_MAX || ih > ST_LABEL_IMAGE_MAX) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "the image %s is %u x %u pixels; at most %d x %d is taken: "
				    "scale it down",
				    item->name != NULL ? item->name : "", iw, ih,
				    ST_LABEL_IMAGE_MAX, ST_LABEL_IMAGE_MAX);
			return NULL;
		}
	}
	s = cairo_image_surface_create_from_png_stream(png_read, &r);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "the image %s cannot be read as PNG: %s",
			    item->name != NULL ? item->name : "",
			    cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return NULL;
	}
	return s;
}

/**
 * st_label_image_scaled:
 *
 * Returns: the image item's PNG scaled (nearest dot) to its w x h (or its own size) on
 *   white, as RGB24, or NULL with an error naming the item
 */
cairo_surface_t *
st_label_image_scaled(const StLabelItem *item, GError **error)
{
	cairo_surface_t *img = st_label_image_surface(item, error);
	cairo_surface_t *s;
	cairo_t *cr;
	gint iw, ih, w, h;
	if (img == NULL)
		return NULL;
	iw = cairo_image_surface_get_width(img);
	ih = cairo_image_surface_get_height(img);
	w = item->w > 0 ? item->w : iw;
	h = item->h > 0 ? item->h : ih;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, (gdouble)w / iw, (gdouble)h / ih);
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
	cairo_paint(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(img);
	return s;
}

static gboolean
draw_image(cairo_t *cr, const StLabelItem *item, GError **error)
{
	cairo_surface_t *s = st_label_image_scaled(item, error);
	if (s == NULL)
		return FALSE;
	cairo_set_source_surface(cr, s, item->x, item->y);
	cairo_paint(cr);
	cairo_surface_destroy(s);
	return TRUE;
}

gboolean
st_label_draw(cairo_t *cr, StLabel *label, GError **error)
{
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, 0, 0, label->width, label->height);
	cairo_fill(cr);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	for (guint i = 0; i < label->items->len; i++) {
		const StLabelItem *item = g_ptr_array_index(label->items, i);
		gint size;
		switch (item->kind) {
		case ST_LABEL_TEXT:
			size = st_label_text_fit(item, label->dpi, error);
			if (size < 0)
				return FALSE;
			st_label_draw_text(cr, item, size, label->dpi);
			break;
		case ST_LABEL_LINE:
			cairo_set_source_rgb(cr, 0, 0, 0);
			cairo_rectangle(cr, item->x, item->y, MAX(item->w, 1), MAX(item->h, 1));
			cairo_fill(cr);
			break;
		case ST_LABEL_BOX: {
			gint t = MAX(item->thickness, 1);
			cairo_set_source_rgb(cr, 0, 0, 0);
			cairo_rectangle(cr, item->x, item->y, item->w, item->h);
			cairo_rectangle(cr, item->x + t, item->y + item->h - t, item->w - 2 * t,
					-(item->h - 2 * t));
			cairo_fill(cr);
			break;
		}
		case ST_LABEL_BARCODE:
			if (!draw_barcode(cr, label, item, error))
				return FALSE;
			break;
		case ST_LABEL_IMAGE:
			if (!draw_image(cr, item, error))
				return FALSE;
			break;
		default:
			break;
		}
	}
	return TRUE;
}

static cairo_status_t
write_bytes(void *closure, const unsigned char *data, unsigned int length)
{
	g_byte_array_append(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

GBytes *
st_label_render_cairo(StLabel *label, StLabelFormat format, GError **error)
{
	GByteArray *out = g_byte_array_new();
	cairo_surface_t *surface;
	cairo_t *cr;
	gboolean ok;
	cairo_status_t status, png_status = CAIRO_STATUS_SUCCESS;

	if (format == ST_LABEL_FORMAT_PDF) {
		/* one PDF page a page */
		gdouble pt = 72.0 / label->dpi;
		surface = cairo_pdf_surface_create_for_stream(write_bytes, out, label->width * pt,
							      label->height * pt);
		cr = cairo_create(surface);
		cairo_scale(cr, pt, pt);
		ok = st_label_draw(cr, label, error);
		for (guint i = 0; ok && i < label->more_pages->len; i++) {
			cairo_show_page(cr);
			ok = st_label_draw(cr, g_ptr_array_index(label->more_pages, i), error);
		}
	} else {
		/* the preview: the pages one under another, a grey band between them */
		gint64 height = label->height;
		for (guint i = 0; i < label->more_pages->len; i++)
			height += ST_LABEL_PAGE_GAP + label->height;
		if (height * label->width > 80000000 || height > 32767) {
			g_byte_array_unref(out);
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "a preview of %u pages of %d x %d dots is too large an image; "
				    "render it as PDF",
				    label->more_pages->len + 1, label->width, label->height);
			return NULL;
		}
		surface =
			cairo_image_surface_create(CAIRO_FORMAT_RGB24, label->width, (gint)height);
		cr = cairo_create(surface);
		cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
		cairo_paint(cr);
		ok = st_label_draw(cr, label, error);
		for (guint i = 0; ok && i < label->more_pages->len; i++) {
			cairo_translate(cr, 0, label->height + ST_LABEL_PAGE_GAP);
			ok = st_label_draw(cr, g_ptr_array_index(label->more_pages, i), error);
		}
	}
	cairo_destroy(cr);
	cairo_surface_flush(surface);
	if (ok && format == ST_LABEL_FORMAT_PNG) {
		/* a label is black and white (and the preview's grey band): written as 8-bit
		 * grey, a third of the bytes for libpng and zlib to compress than the colour
		 * surface it was drawn on. An A8 surface is written with its alpha as the grey */
		gint w = cairo_image_surface_get_width(surface);
		gint h = cairo_image_surface_get_height(surface);
		cairo_surface_t *grey = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
		const guint8 *src = cairo_image_surface_get_data(surface);
		gint src_stride = cairo_image_surface_get_stride(surface);
		guint8 *dst = cairo_image_surface_get_data(grey);
		gint dst_stride = cairo_image_surface_get_stride(grey);
		for (gint y = 0; y < h; y++) {
			const guint32 *row = (const guint32 *)(src + (gsize)y * src_stride);
			guint8 *g = dst + (gsize)y * dst_stride;
			for (gint x = 0; x < w; x++) {
				guint32 p = row[x];
				g[x] = (guint8)((((p >> 16) & 0xff) * 77 + ((p >> 8) & 0xff) * 150 +
						 (p & 0xff) * 29) >>
						8);
			}
		}
		cairo_surface_mark_dirty(grey);
		png_status = cairo_surface_write_to_png_stream(grey, write_bytes, out);
		cairo_surface_destroy(grey);
	}
	cairo_surface_finish(surface);
	status = cairo_surface_status(surface);
	if (status == CAIRO_STATUS_SUCCESS)
		status = png_status;
	cairo_surface_destroy(surface);
	if (!ok) {
		g_byte_array_unref(out);
		return NULL;
	}
	if (status != CAIRO_STATUS_SUCCESS) {
		g_byte_array_unref(out);
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_FAILED,
			    "cairo could not draw the label: %s", cairo_status_to_string(status));
		return NULL;
	}
	return g_byte_array_free_to_bytes(out);
}
