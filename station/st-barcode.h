/*
 * Barcode interpretation: what a scan means before any workflow uses it. One result type for
 * every scan: its kind, the normalised key, and when it is not valid, the reason and the
 * position of the fault. It knows product codes (GTIN-8, UPC-A, EAN-13, GTIN-14, UPC-E), the
 * SSCC, carriers' tracking numbers (UPS 1Z, USPS IMpb, FedEx Express, UPU S10), and GS1
 * element strings (from AIM-prefixed scans, GS-separated data, bracketed text or Digital Link
 * URIs; see st-gs1.h).
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
} StBarcodeKind;

typedef enum {
	ST_BARCODE_INPUT_SCAN,	    /* as a scanner sends it: guess GS1 from the data */
	ST_BARCODE_INPUT_BRACKETED, /* "(01)...(10)..." */
	ST_BARCODE_INPUT_DL,	    /* a GS1 Digital Link URI */
} StBarcodeInput;

typedef struct {
	StBarcodeKind kind;
	gboolean valid;
	gchar *format;	   /* "GTIN-8", "UPC-A", "EAN-13", "GTIN-14", "UPC-E" (nullable) */
	gchar *key;	   /* GTIN-14 for product codes (nullable) */
	gchar *text;	   /* the scan as text, GS shown as <GS> */
	gchar *reason;	   /* (nullable): why it is not valid */
	gint position;	   /* 0-based character of the fault, or -1 */
	gchar *note;	   /* (nullable): ISBN, ISSN, restricted circulation, ... */
	gchar *carrier;	   /* (nullable): UPS, USPS, FedEx, or the postal operator of an S10 */
	gchar *key_type;   /* (nullable): for GS1: "gtin", "sscc", "gln", ... of @key */
	StGs1Message *gs1; /* (nullable): the GS1 elements */
} StBarcode;

StBarcode *
st_barcode_parse(const guint8 *data, gsize len, const gchar *symbology);
StBarcode *
st_barcode_parse_input(const guint8 *data, gsize len, const gchar *symbology, StBarcodeInput input);
void
st_barcode_free(StBarcode *self);
gchar *
st_barcode_to_json(const StBarcode *self);
guint
st_barcode_gtin_check_digit(const gchar *digits, gsize len);
gboolean
st_barcode_upce_expand(const gchar *upce, gchar upca[13]);
gboolean
st_barcode_unescape(const gchar *in, GByteArray *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StBarcode, st_barcode_free)

G_END_DECLS
