/*
 * What the label renderers share: text fitted to its box, barcodes as module grids, images
 * as dots.
 */
#pragma once

#include <cairo.h>

#include "station/st-label.h"

G_BEGIN_DECLS

/* a barcode's modules: @rows x @cols cells, 1 dark; each row @row_modules modules high
 * (0 for linear symbols, whose height is the item's) */
typedef struct {
	gint rows, cols;
	gint row_modules;
	guint8 *cells;
	/* MaxiCode, drawn as libzint lays it out: hexagons (x, y, diameter) and the bullseye's
	 * circles (x, y, diameter, ring width or 0 for a disc, 1 for the background colour),
	 * in a frame of @vw x @vh */
	GArray *hexagons; /* of gfloat, 3 per hexagon */
	GArray *circles;  /* of gfloat, 5 per circle */
	gfloat vw, vh;
} StModules;

/* a MaxiCode message as the encoders take it (ISO/IEC 16023; ANSI MH10.8.3 for carriers) */
typedef struct {
	gint mode;	   /* 2: numeric postal code, 3: alphanumeric, 4: standard */
	gchar postal[10];  /* mode 2: 9 digits; mode 3: 6 characters, space padded */
	gchar country[4];  /* ISO 3166 numeric */
	gchar service[4];  /* the carrier's class of service */
	GBytes *secondary; /* mode 2 and 3: "[)>" RS "01" GS "vv" and what follows the service
			    * class; mode 4: the whole message */
} StMaxicode;

gboolean
st_label_maxicode_split(GBytes *data, StMaxicode *mc, GError **error);

void
st_maxicode_clear(StMaxicode *mc);
/* MaxiCode's nominal size, ISO/IEC 16023: 28.14 x 26.91 mm */
#define ST_MAXICODE_WIDTH_MM  28.14
#define ST_MAXICODE_HEIGHT_MM 26.91

void
st_modules_free(StModules *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StModules, st_modules_free)

StModules *
st_label_symbol_modules(const StLabelItem *item, GError **error);
/* the symbol's size on the label in dots, without the human-readable text */
void
st_label_symbol_size(const StLabelItem *item, const StModules *m, gint dpi, gint *w, gint *h);
gboolean
st_label_symbol_place(const StLabel *label,
		      const StLabelItem *item,
		      const StModules *m,
		      StLabelItem *placed,
		      gint *w,
		      gint *h,
		      gint *total,
		      GError **error);
void
st_label_hri_item(const StLabelItem *item, gint w, gint h, StLabelItem *text);
gint
st_label_hri_size(const StLabelItem *item);

/* the text size that fits the item's box (shrunk down to min_size), or -1 with an error */
gint
st_label_text_fit(const StLabelItem *item, gint dpi, GError **error);
/* the text's width and height in dots at @size, wrapped to the item's width */
void
st_label_text_extent(const StLabelItem *item, gint size, gint *w, gint *h);
void
st_label_draw_text(cairo_t *cr, const StLabelItem *item, gint size, gint dpi);

/* draws the label's items on @cr (in dots), white page first */
gboolean
st_label_draw(cairo_t *cr, StLabel *label, GError **error);
/* the image item's PNG as a surface, or NULL with an error naming the item */
#define ST_LABEL_IMAGE_MAX 8192
cairo_surface_t *
st_label_image_surface(const StLabelItem *item, GError **error);
cairo_surface_t *
st_label_image_scaled(const StLabelItem *item, GError **error);

GBytes *
st_label_render_zpl(StLabel *label, GError **error);
GBytes *
st_label_render_cairo(StLabel *label, StLabelFormat format, GError **error);

G_END_DECLS
