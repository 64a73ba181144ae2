/*
 * The label model: one page of a given size and resolution holding text, lines, boxes,
 * images and barcodes, every position and size in whole printer dots. Templates fill it from
 * shipment data; the renderers turn it into ZPL II for thermal printers and into PDF or PNG
 * (printers that take documents, and the screen preview). A label built for 203 dpi is
 * built again for 300 dpi, not scaled, so barcode modules stay whole dots.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	ST_LABEL_TEXT,
	ST_LABEL_LINE, /* horizontal or vertical: a filled rectangle w x h */
	ST_LABEL_BOX,  /* an outline @thickness dots wide */
	ST_LABEL_BARCODE,
	ST_LABEL_IMAGE,
} StLabelKind;

typedef enum {
	ST_SYMBOL_CODE128,
	ST_SYMBOL_GS1_128,
	ST_SYMBOL_CODE39,
	ST_SYMBOL_EAN13,
	ST_SYMBOL_EAN8,
	ST_SYMBOL_UPCA,
	ST_SYMBOL_ITF,
	ST_SYMBOL_DATAMATRIX,
	ST_SYMBOL_GS1_DATAMATRIX,
	ST_SYMBOL_QR,
	ST_SYMBOL_PDF417,
	ST_SYMBOL_MAXICODE,
	ST_SYMBOL_COUNT,
} StSymbology;

typedef enum {
	ST_ALIGN_LEFT,
	ST_ALIGN_CENTER,
	ST_ALIGN_RIGHT,
} StAlign;

typedef struct {
	StLabelKind kind;
	gchar *name;	/* the template's name for the item, for errors; may be NULL */
	gint x, y;	/* top left corner, dots */
	gint w, h;	/* the item's box, dots; 0 where the content decides */
	gint rotation;	/* 0, 90, 180 or 270 degrees clockwise (text and barcodes) */
	gint thickness; /* boxes */
	/* text */
	gchar *text;   /* UTF-8 */
	gint size;     /* text height in dots (the font's em) */
	gint min_size; /* shrink down to this to fit the box; 0 = never shrink */
	gboolean bold;
	StAlign align;
	gint max_lines;	  /* 0 = as many as the box holds */
	gboolean reverse; /* white on black */
	/* barcodes: @data is ASCII for the linear codes; GS (0x1D) separates GS1 elements */
	StSymbology symbology;
	GBytes *data;
	gint module;	 /* narrow bar or matrix cell, whole dots */
	gboolean hri;	 /* human-readable text under linear codes */
	gchar *hri_text; /* what to show, when not the data */
	/* images: PNG bytes */
	GBytes *image;
} StLabelItem;

typedef struct {
	gchar *template_name;
	gint width, height; /* dots */
	gint dpi;
	GPtrArray *items;      /* of StLabelItem */
	GPtrArray *more_pages; /* of StLabel: the pages after this one (a long packing slip) */
} StLabel;

/* pages a template's list may run over */
#define ST_LABEL_MAX_PAGES 50
/* the largest template or shipment data read, in bytes (nested at most ST_BOUNDED_JSON_DEPTH) */
#define ST_LABEL_MAX_JSON (1024 * 1024)

typedef enum {
	ST_LABEL_FORMAT_ZPL,
	ST_LABEL_FORMAT_PDF,
	ST_LABEL_FORMAT_PNG,
} StLabelFormat;

StLabel *
st_label_new(gint width, gint height, gint dpi);
void
st_label_free(StLabel *label);
StLabelItem *
st_label_item_new(StLabelKind kind);
void
st_label_item_free(StLabelItem *item);
gint
st_label_dots(gdouble mm, gint dpi);

const gchar *
st_symbology_to_string(StSymbology symbology);
gboolean
st_symbology_from_string(const gchar *name, StSymbology *symbology);
gboolean
st_symbology_is_linear(StSymbology symbology);
gboolean
st_label_format_from_string(const gchar *name, StLabelFormat *format);

/* checks a barcode's data for its symbology (charset, length, check digits) */
gboolean
st_label_check_symbol(StSymbology symbology, GBytes *data, GError **error);

GBytes *
st_label_render(StLabel *label, StLabelFormat format, GError **error);

/* a check a template field asks for ("tracking", "sscc", "gtin", ...), given by the caller
 * since labels know nothing of barcode interpretation; returns FALSE with an error when
 * @value fails it */
typedef gboolean (*StLabelCheckFunc)(const gchar *check,
				     const gchar *value,
				     gpointer user_data,
				     GError **error);

/* a GS1 element string in brackets, "(01)09501101530003(10)AB1", as the GS1 symbols' data:
 * each AI's digits and value, with GS after every value whose AI does not have a predefined
 * length (GS1 General Specifications, figure 5.10.1-2) unless it is last */
GBytes *
st_label_gs1_from_brackets(const gchar *text, GError **error);

typedef struct _StLabelTemplate StLabelTemplate;

StLabelTemplate *
st_label_template_load(const gchar *path, GError **error);
StLabelTemplate *
st_label_template_new_from_data(const gchar *name, const gchar *json, gssize len, GError **error);
void
st_label_template_free(StLabelTemplate *tmpl);
const gchar *
st_label_template_get_name(StLabelTemplate *tmpl);
const gchar *
st_label_template_get_description(StLabelTemplate *tmpl);
/* the page's default format: "zpl" for labels, "pdf" for documents */
StLabelFormat
st_label_template_get_default_format(StLabelTemplate *tmpl);
StLabel *
st_label_template_fill(StLabelTemplate *tmpl,
		       const gchar *data_json,
		       gssize len,
		       gint dpi,
		       StLabelCheckFunc check,
		       gpointer user_data,
		       GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StLabel, st_label_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StLabelItem, st_label_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StLabelTemplate, st_label_template_free)

G_END_DECLS
