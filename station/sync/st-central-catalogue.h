/*
 * The catalogue the central system keeps (GET /v1/products, /v1/locations, /v1/operators,
 * station/sync/central-v1.yaml), read defensively like its orders: a page measured before it
 * is parsed, each item checked field by field, an unusable item kept aside with why.
 */
#pragma once

#include <glib.h>

#include "station/st-store.h"

G_BEGIN_DECLS

typedef enum {
	ST_CATALOGUE_PRODUCTS,
	ST_CATALOGUE_LOCATIONS,
	ST_CATALOGUE_OPERATORS,
} StCatalogueKind;

typedef struct {
	StCatalogueKind kind;
	gchar *key;	   /* (nullable): its SKU, code or badge */
	gchar *unreadable; /* (nullable): why it cannot be applied */
	StProductSpec product;
	StLocationSpec location;
	StOperatorSpec op;
	GPtrArray *strings;  /* every string the specs point to */
	GPtrArray *barcodes; /* the product's unit barcodes, NULL-terminated */
} StCatalogueItem;

void
st_catalogue_item_free(StCatalogueItem *self);
const gchar *
st_catalogue_kind_to_string(StCatalogueKind kind);
GPtrArray *
st_central_catalogue_parse(StCatalogueKind kind,
			   const gchar *body,
			   gsize len,
			   gchar **next,
			   gboolean *more,
			   GError **error);

G_END_DECLS
