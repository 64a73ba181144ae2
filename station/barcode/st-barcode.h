/*
 * Barcode interpretation: what a scan means before any workflow uses it. One result type for
 * every scan: its kind, the normalised key, and when it is not valid, the reason and the
 * position of the fault. It knows product codes (GTIN-8, UPC-A, EAN-13, GTIN-14, UPC-E), the
 * SSCC, carriers' tracking numbers (UPS, USPS, FedEx, DHL Express, UPU S10; see
 * st-tracking.c), GS1 element strings (from AIM-prefixed scans, GS-separated data, bracketed
 * text or Digital Link URIs; see st-gs1.h), and the station's own barcodes (commands, badges,
 * orders, pick lists, totes, locations, box types) by configurable patterns.
 */
#pragma once

#include <glib.h>

#include "st-gs1.h"

G_BEGIN_DECLS

typedef enum {
	ST_BARCODE_KIND_UNKNOWN,  /* not a code this station interprets: the text is kept */
	ST_BARCODE_KIND_GTIN,	  /* a trade item number */
	ST_BARCODE_KIND_SSCC,	  /* a serial shipping container code (a pallet, a parcel) */
	ST_BARCODE_KIND_TRACKING, /* a carrier's tracking number */
	ST_BARCODE_KIND_GS1,	  /* GS1 element strings or a GS1 Digital Link URI */
	/* the station's own barcodes, recognised by the patterns of [barcodes] */
	ST_BARCODE_KIND_COMMAND,   /* an action: cancel, new-box, reprint, ... */
	ST_BARCODE_KIND_BADGE,	   /* an operator's badge */
	ST_BARCODE_KIND_ORDER,	   /* an order number */
	ST_BARCODE_KIND_PICK_LIST, /* a pick list (a batch of orders to pick) */
	ST_BARCODE_KIND_TOTE,	   /* a tote or cart: a location that moves */
	ST_BARCODE_KIND_LOCATION,  /* a place in the warehouse: zone, aisle, bay, level, bin */
	ST_BARCODE_KIND_BOX_TYPE,  /* a kind of box to pack into */
	ST_BARCODE_KIND_LAST,
} StBarcodeKind;

/* The default patterns of the station's own barcodes: letters, digits and '-' only, so that
 * Code 39 prints them, and a prefix no product code or tracking number has. */
#define ST_BARCODE_PATTERN_COMMAND   "^CMD-(?<key>[A-Z][A-Z0-9-]*)$"
#define ST_BARCODE_PATTERN_BADGE     "^OP-(?<key>[A-Z0-9][A-Z0-9-]*)$"
#define ST_BARCODE_PATTERN_ORDER     "^ORD-(?<key>[A-Z0-9][A-Z0-9-]*)$"
#define ST_BARCODE_PATTERN_PICK_LIST "^PL-(?<key>[A-Z0-9][A-Z0-9-]*)$"
#define ST_BARCODE_PATTERN_TOTE	     "^TOTE-(?<key>[A-Z0-9][A-Z0-9-]*)$"
#define ST_BARCODE_PATTERN_LOCATION  "^LOC-(?<key>[A-Z0-9][A-Z0-9-]*)$"
#define ST_BARCODE_PATTERN_BOX_TYPE  "^BOX-(?<key>[A-Z0-9][A-Z0-9-]*)$"

typedef enum {
	ST_BARCODE_INPUT_SCAN,	    /* as a scanner sends it: guess GS1 from the data */
	ST_BARCODE_INPUT_BRACKETED, /* "(01)...(10)..." */
	ST_BARCODE_INPUT_DL,	    /* a GS1 Digital Link URI */
} StBarcodeInput;

typedef struct {
	StBarcodeKind kind;
	gboolean valid;
	gchar *format;	/* "GTIN-8", "UPC-A", "EAN-13", "GTIN-14", "UPC-E" (nullable) */
	gchar *key;	/* GTIN-14 for product codes (nullable) */
	gchar *text;	/* the scan as text, GS shown as <GS> */
	gchar *reason;	/* (nullable): why it is not valid */
	gint position;	/* 0-based character of the fault, or -1 */
	gchar *note;	/* (nullable): ISBN, ISSN, restricted circulation, ... */
	gchar *carrier; /* (nullable): UPS, USPS, FedEx, DHL, or the postal operator of an S10 */
	gchar *service; /* (nullable): the carrier's service, where the number names it */
	gchar *tracking_url; /* (nullable): the carrier's tracking page for the number */
	gchar *key_type;     /* (nullable): for GS1: "gtin", "sscc", "gln", ... of @key */
	StGs1Message *gs1;   /* (nullable): the GS1 elements */
} StBarcode;

/* The patterns that recognise the station's own barcodes, one per station kind */
typedef struct _StBarcodePatterns StBarcodePatterns;

StBarcodePatterns *
st_barcode_patterns_new(void);
StBarcodePatterns *
st_barcode_patterns_ref(StBarcodePatterns *self);
gboolean
st_barcode_patterns_set_couriers(StBarcodePatterns *self, const gchar *list, GError **error);
const gchar *const *
st_barcode_patterns_get_couriers(const StBarcodePatterns *self);
void
st_barcode_patterns_set_dl_alphas(StBarcodePatterns *self, gboolean allowed);
void
st_barcode_patterns_list_all_couriers(StBarcodePatterns *self);
void
st_barcode_patterns_unref(StBarcodePatterns *self);
gboolean
st_barcode_patterns_set(StBarcodePatterns *self,
			StBarcodeKind kind,
			const gchar *pattern,
			GError **error);
const gchar *
st_barcode_patterns_get(const StBarcodePatterns *self, StBarcodeKind kind);

const gchar *
st_barcode_kind_to_string(StBarcodeKind kind);
const gchar *const *
st_barcode_commands(void);

StBarcode *
st_barcode_parse(const guint8 *data, gsize len, const gchar *symbology);
StBarcode *
st_barcode_parse_input(const guint8 *data, gsize len, const gchar *symbology, StBarcodeInput input);
StBarcode *
st_barcode_parse_full(const StBarcodePatterns *patterns,
		      const guint8 *data,
		      gsize len,
		      const gchar *symbology,
		      StBarcodeInput input);
void
st_barcode_free(StBarcode *self);
gchar *
st_barcode_to_json(const StBarcode *self);
void
st_barcode_append_json(const StBarcode *self, GString *out);
GPtrArray *
st_barcode_lookup_forms(const StBarcode *self, const gchar *text);
gchar *
st_barcode_gs1_date(const gchar *yymmdd);
gboolean
st_barcode_upce_expand(const gchar *upce, gchar upca[13]);
gboolean
st_barcode_unescape(const gchar *in, GByteArray *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StBarcode, st_barcode_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StBarcodePatterns, st_barcode_patterns_unref)

G_END_DECLS
