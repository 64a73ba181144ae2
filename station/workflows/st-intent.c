/*
 * StIntent: the one place a scan is parsed on its way to a workflow (the barcode room does
 * the reading; this file sorts its answer into what the workflows act on).
 */
#include "st-intent.h"

static const gchar *kind_names[ST_INTENT_LAST] = {
	[ST_INTENT_UNREADABLE] = "unreadable",
	[ST_INTENT_ORDER] = "order",
	[ST_INTENT_COMMAND] = "command",
	[ST_INTENT_STATION_OTHER] = "station-other",
	[ST_INTENT_INVALID_PRODUCT] = "invalid-product",
	[ST_INTENT_ITEM] = "item",
};

const gchar *
st_intent_kind_to_string(StIntentKind kind)
{
	if ((guint)kind >= ST_INTENT_LAST)
		return "unknown";
	return kind_names[kind];
}

/**
 * st_intent_new:
 * @patterns: the station's own barcodes ([barcodes])
 *
 * Returns: (transfer full): what @scan is
 */
StIntent *
st_intent_new(StScan *scan, const StBarcodePatterns *patterns)
{
	StIntent *self = g_new0(StIntent, 1);
	GBytes *data = st_scan_get_data(scan);

	self->scan = st_scan_ref(scan);
	self->text = st_scan_get_text(scan);
	if (self->text == NULL) {
		self->kind = ST_INTENT_UNREADABLE;
		return self;
	}
	self->barcode = st_barcode_parse_full(patterns, g_bytes_get_data(data, NULL),
					      g_bytes_get_size(data), st_scan_get_symbology(scan),
					      ST_BARCODE_INPUT_SCAN);
	switch (self->barcode->kind) {
	case ST_BARCODE_KIND_ORDER:
		/* one that matches the pattern but not its rules is none of the workflows' */
		self->kind = self->barcode->valid ? ST_INTENT_ORDER : ST_INTENT_STATION_OTHER;
		break;
	case ST_BARCODE_KIND_COMMAND:
		self->kind = ST_INTENT_COMMAND;
		break;
	case ST_BARCODE_KIND_BADGE:
	case ST_BARCODE_KIND_PICK_LIST:
	case ST_BARCODE_KIND_TOTE:
	case ST_BARCODE_KIND_LOCATION:
	case ST_BARCODE_KIND_BOX_TYPE:
		self->kind = ST_INTENT_STATION_OTHER;
		break;
	case ST_BARCODE_KIND_GTIN:
	case ST_BARCODE_KIND_GS1:
		self->kind = self->barcode->valid ? ST_INTENT_ITEM : ST_INTENT_INVALID_PRODUCT;
		break;
	case ST_BARCODE_KIND_UNKNOWN:
	case ST_BARCODE_KIND_SSCC:
	case ST_BARCODE_KIND_TRACKING:
	case ST_BARCODE_KIND_LAST:
	default:
		self->kind = ST_INTENT_ITEM;
		break;
	}
	if (self->kind == ST_INTENT_ITEM)
		self->forms = st_barcode_lookup_forms(self->barcode, self->text);
	if (self->barcode->gs1 != NULL) {
		/* what a carton's GS1 barcode says of the goods, for the stock they leave */
		const StGs1Element *lot = st_gs1_message_find(self->barcode->gs1, "10");
		const StGs1Element *expiry = st_gs1_message_find(self->barcode->gs1, "17");
		const StGs1Element *serial = st_gs1_message_find(self->barcode->gs1, "21");
		self->lot = lot != NULL ? g_strdup(lot->value) : NULL;
		self->expiry = expiry != NULL && expiry->value_len == 6
				       ? st_barcode_gs1_date(expiry->value)
				       : NULL;
		self->serial = serial != NULL ? g_strdup(serial->value) : NULL;
	}
	return self;
}

/* Returns: (nullable): the badge of the operator logged in, for the records */
const gchar *
st_intent_get_operator_badge(const StIntent *self)
{
	return self->who != NULL ? self->who->badge : NULL;
}

/* Returns: where the scan was made and who was logged in, for the store */
const StScanOrigin *
st_intent_get_origin(const StIntent *self)
{
	return &self->origin;
}

/* Returns: (nullable): the language of the operator logged in ("en", "zh-CN"), or with
 * nobody logged in the bench's ([bench] language), for the sentences they are told; NULL
 * for the English source */
const gchar *
st_intent_get_language(const StIntent *self)
{
	return self->who != NULL ? self->who->language : self->bench_language;
}

void
st_intent_free(StIntent *self)
{
	if (self == NULL)
		return;
	st_operator_free(self->who);
	st_operator_free(self->badge);
	g_free(self->lot);
	g_free(self->expiry);
	g_free(self->serial);
	st_scan_unref(self->scan);
	st_barcode_free(self->barcode);
	if (self->forms != NULL)
		g_ptr_array_unref(self->forms);
	g_free(self);
}
