/*
 * A page of orders from the central system (GET /v1/orders, station/sync/central-v1.yaml),
 * read defensively: the page is measured before it is parsed, and each order is checked
 * field by field. An order that is not the contract's is kept aside with the reason, never
 * half-read; the others are applied.
 */
#pragma once

#include <glib.h>

#include "station/st-store.h"

G_BEGIN_DECLS

#define ST_CENTRAL_MAX_LINES 1000
#define ST_CENTRAL_MAX_LABEL (2 * 1024 * 1024)

typedef struct {
	gchar *number;	     /* (nullable) when unreadable */
	gchar *unreadable;   /* (nullable): why it cannot be applied */
	StOrderSpec spec;    /* its strings and lines belong to this struct */
	StAddress ship_to;   /* spec.ship_to points here */
	GArray *lines;	     /* StOrderLineSpec; spec.lines points into it */
	GBytes *label;	     /* (nullable): the carrier's label, decoded */
	gchar *label_format; /* zpl or pdf */
	GPtrArray *strings;  /* every string the spec points to */
} StCentralOrder;

void
st_central_order_free(StCentralOrder *self);

GPtrArray *
st_central_orders_parse(const gchar *body, gsize len, gchar **next, gboolean *more, GError **error);

gchar *
st_central_claim_holder(const gchar *body, gsize len);

G_END_DECLS
