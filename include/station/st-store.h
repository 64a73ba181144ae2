/*
 * The store: the station's SQLite database behind domain verbs. Nothing outside
 * station/st-store.c sees SQL. Every verb that changes something is one transaction, committed
 * durably (WAL, synchronous=FULL) before it returns TRUE, so a scan the caller then answers
 * "ok" survives a power cut, and a status change is in the outbox together with the change.
 */
#pragma once

#include <glib-object.h>

#include "st-scan.h"

G_BEGIN_DECLS

typedef enum {
	ST_ORDER_STATUS_RELEASED,
	ST_ORDER_STATUS_PACKING,
	ST_ORDER_STATUS_PACKED,
	ST_ORDER_STATUS_SHIPPED,
	ST_ORDER_STATUS_CANCELLED,
} StOrderStatus;

const gchar *
st_order_status_to_string(StOrderStatus status);

typedef struct {
	gint64 id;
	gchar *sku;
	gchar *name;
	guint weight_g;
	guint quantity; /* units one scan of the barcode it was found by counts for */
} StProduct;

typedef struct {
	gint64 id;
	gchar *number;
	StOrderStatus status;
} StOrder;

typedef struct {
	gint64 id;
	guint line_no;
	gint64 product_id;
	gchar *sku;
	gchar *name;
	guint quantity;
	guint packed;
} StOrderLine;

typedef struct {
	const gchar *sku;
	guint quantity;
} StOrderLineSpec;

typedef struct {
	gint64 id;
	gchar *device_id;
	GBytes *raw;
	GBytes *data;
	gchar *text; /* (nullable) */
	gchar *scanned_at;
	gboolean ok;
	gchar *reason;	     /* (nullable): machine-readable code of a refusal */
	gchar *message;	     /* what the operator was told */
	gchar *order_number; /* (nullable) */
	gchar *sku;	     /* (nullable) */
} StScanRecord;

typedef struct {
	gint64 id;
	gchar *idempotency_key;
	gchar *kind;
	gchar *order_number; /* (nullable) */
	gchar *payload;	     /* JSON */
} StOutboxEvent;

typedef struct {
	guint scans;
	guint scans_ok;
	guint scans_refused;
	guint orders_packed;
	guint outbox_pending;
} StStoreSummary;

void
st_product_free(StProduct *self);
void
st_order_free(StOrder *self);
void
st_order_line_free(StOrderLine *self);
void
st_scan_record_free(StScanRecord *self);
void
st_outbox_event_free(StOutboxEvent *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StProduct, st_product_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StOrder, st_order_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StOrderLine, st_order_line_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StScanRecord, st_scan_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StOutboxEvent, st_outbox_event_free)

#define ST_TYPE_STORE (st_store_get_type())
G_DECLARE_FINAL_TYPE(StStore, st_store, ST, STORE, GObject)

StStore *
st_store_new(const gchar *station_id);
gboolean
st_store_open(StStore *self, const gchar *path, guint busy_timeout_ms, GError **error);
void
st_store_close(StStore *self);
guint
st_store_get_schema_version(StStore *self);
guint
st_store_get_latest_schema_version(void);
const gchar *
st_store_get_path(StStore *self);

/* catalogue and orders */
gboolean
st_store_add_product(StStore *self,
		     const gchar *sku,
		     const gchar *name,
		     guint weight_g,
		     const gchar *const *barcodes,
		     gint64 *id,
		     GError **error);
gboolean
st_store_add_order(StStore *self,
		   const gchar *number,
		   StOrderStatus status,
		   const StOrderLineSpec *lines,
		   guint n_lines,
		   gint64 *id,
		   GError **error);
StProduct *
st_store_find_product_by_barcode(StStore *self, const gchar *barcode, GError **error);
StOrder *
st_store_find_order(StStore *self, const gchar *number, GError **error);
GPtrArray *
st_store_get_order_lines(StStore *self, gint64 order_id, GError **error);

/* scans: each verb records the scan and its consequences in one durable transaction */
gboolean
st_store_refuse_scan(StStore *self,
		     StScan *scan,
		     const gchar *reason,
		     const gchar *message,
		     gint64 order_id,
		     gint64 product_id,
		     gint64 *scan_id,
		     GError **error);
gboolean
st_store_start_packing(StStore *self,
		       StScan *scan,
		       const StOrder *order,
		       const gchar *message,
		       gint64 *scan_id,
		       GError **error);
gboolean
st_store_pack_item(StStore *self,
		   StScan *scan,
		   const StOrder *order,
		   const StOrderLine *line,
		   guint quantity,
		   const gchar *message,
		   gint64 *scan_id,
		   GError **error);
gboolean
st_store_finish_packing(StStore *self, const StOrder *order, gint64 scan_id, GError **error);

/* reading back */
GPtrArray *
st_store_get_scans(StStore *self, GError **error);
GPtrArray *
st_store_get_outbox(StStore *self, GError **error);
gboolean
st_store_get_summary(StStore *self, StStoreSummary *summary, GError **error);

G_END_DECLS
