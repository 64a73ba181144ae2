/*
 * StIntent: a scan as the router read it, once, before any workflow sees it: what kind of
 * barcode it is (one of the station's own, a product code, something else), its parse, and
 * the forms under which a product may be filed. Workflows decide on intents; they never
 * parse a scan again.
 */
#pragma once

#include "station/st-scan.h"
#include "station/st-store.h"

#include "st-barcode.h"

G_BEGIN_DECLS

typedef enum {
	ST_INTENT_UNREADABLE,	   /* binary data: not a barcode the station knows */
	ST_INTENT_ORDER,	   /* the station's order barcode */
	ST_INTENT_COMMAND,	   /* the station's command barcode (valid or not) */
	ST_INTENT_STATION_OTHER,   /* a badge, pick list, tote, location or box type barcode */
	ST_INTENT_INVALID_PRODUCT, /* a GTIN or GS1 code that does not check: a misread */
	ST_INTENT_ITEM,		   /* anything else: looked up as a product */
	ST_INTENT_LAST,
} StIntentKind;

typedef struct {
	StIntentKind kind;
	StScan *scan;		     /* the scan, referenced */
	const gchar *text;	     /* (nullable): the scan's text; NULL when UNREADABLE */
	StBarcode *barcode;	     /* (nullable): its parse; NULL when UNREADABLE */
	GPtrArray *forms;	     /* (nullable) (element-type utf8): for ITEM, the keys to look a
				      * product up by (every form of a GTIN, the text) */
	StScanOrigin origin;	     /* the seat and operator the scan is recorded with, set by the
				      * router (borrowed from the seat and @who) */
	gchar *lot;		     /* (nullable): from GS1 AI 10 */
	gchar *expiry;		     /* (nullable): from GS1 AI 17, as YYYY-MM-DD */
	gchar *serial;		     /* (nullable): from GS1 AI 21 */
	StOperator *badge;	     /* (nullable): a badge handed to the workflow: whose it is */
	StOperator *who;	     /* (nullable): who is logged in where it was scanned, set by
				      * the router; NULL at a bench without operators */
	const gchar *bench_language; /* (nullable): [bench] language, for nobody logged in
				      * (borrowed from the router) */
} StIntent;

const gchar *
st_intent_kind_to_string(StIntentKind kind);
StIntent *
st_intent_new(StScan *scan, const StBarcodePatterns *patterns);
const gchar *
st_intent_get_operator_badge(const StIntent *self);
const gchar *
st_intent_get_language(const StIntent *self);
const StScanOrigin *
st_intent_get_origin(const StIntent *self);
void
st_intent_free(StIntent *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StIntent, st_intent_free)

G_END_DECLS
