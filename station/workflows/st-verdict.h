/*
 * StVerdict: the answer to one scan, given to the operator (screen, sound, the scanner's
 * beep) and stored. A verdict exists only once the scan and its consequences are committed:
 * an "ok" that is given out is already durable.
 */
#pragma once

#include <glib-object.h>

#include "station/st-scan.h"

G_BEGIN_DECLS

/* what a verdict asks the bench to print (the daemon does it, with the configured
 * templates and printers) */
typedef enum {
	ST_VERDICT_PRINT_NONE,
	ST_VERDICT_PRINT_ORDER,	   /* @order_number is packed: its parcels' labels and its slip */
	ST_VERDICT_PRINT_REPRINT,  /* the label of the parcel @print_reference, again */
	ST_VERDICT_PRINT_MANIFEST, /* the document of manifest number @print_reference */
} StVerdictPrint;

typedef struct {
	gint64 scan_id;	     /* the scan's row in the store */
	gchar *device_id;    /* the device it came from */
	gchar *display;	     /* the scan's data, printable */
	gboolean ok;	     /* accepted, or refused */
	gchar *reason;	     /* (nullable): the code of a refusal, such as "not-in-order" */
	gchar *message;	     /* one sentence for the operator */
	gchar *order_number; /* (nullable): the order it concerns */
	gchar *sku;	     /* (nullable): the product it concerns */
	StVerdictPrint print;
	gchar *print_reference; /* (nullable): for a reprint, the parcel's SSCC */
} StVerdict;

#define ST_TYPE_VERDICT (st_verdict_get_type())
GType
st_verdict_get_type(void);
StVerdict *
st_verdict_new(const gchar *device_id, const gchar *display);
StVerdict *
st_verdict_new_for_scan(StScan *scan);
StVerdict *
st_verdict_copy(const StVerdict *self);
void
st_verdict_free(StVerdict *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StVerdict, st_verdict_free)

G_END_DECLS
