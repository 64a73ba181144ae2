/*
 * The store: the station's SQLite database behind domain verbs, by aggregate (catalogue,
 * orders, scans, stock and ledger, labels and prints, the outbox). Nothing outside
 * station/store/ sees SQL. Every verb that changes something is one transaction, committed
 * durably (WAL, synchronous=FULL) before it returns TRUE; a caller that records several things
 * as one opens an StStoreTransaction around them. So a scan the caller then answers "ok"
 * survives a power cut, and a status change is in the outbox together with the change.
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

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
	guint quantity;	       /* units one scan of the barcode it was found by counts for */
	gboolean track_serial; /* each unit has a serial number, recorded when it is packed */
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
	guint weight_g;		  /* of one unit of the product */
	guint weight_tolerance_g; /* how much one unit may vary, 0: the bench's tolerance */
	guint length_mm, width_mm, height_mm;
	guint parcelled; /* units of it in the order's parcels closed so far (multi-box) */
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
	gchar *reason;	       /* (nullable): machine-readable code of a refusal */
	gchar *message;	       /* what the operator was told */
	gchar *order_number;   /* (nullable) */
	gchar *sku;	       /* (nullable) */
	gchar *operator_badge; /* (nullable): who was logged in */
} StScanRecord;

typedef enum {
	ST_OPERATOR_ROLE_PACKER,
	ST_OPERATOR_ROLE_PICKER,
	ST_OPERATOR_ROLE_LEAD, /* a shift lead: may override a refusal */
	ST_OPERATOR_ROLE_LAST,
} StOperatorRole;

const gchar *
st_operator_role_to_string(StOperatorRole role);
gboolean
st_operator_role_from_string(const gchar *str, StOperatorRole *role);

/* a device token of the API (schema 9): its SHA-256 is stored, never the token */
typedef struct {
	gint64 id;
	gchar *name;
	StOperatorRole role;
	gchar *created_at;
	gchar *revoked_at; /* (nullable) */
} StApiToken;

void
st_api_token_free(StApiToken *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StApiToken, st_api_token_free)

/* an operator as imported (`station import operators`) */
typedef struct {
	const gchar *badge; /* what their badge barcode carries after its prefix: "0042" */
	const gchar *name;
	StOperatorRole role;
	const gchar *language; /* (nullable): "en" (the default) or "zh-CN" */
} StOperatorSpec;

typedef struct {
	gint64 id;
	gchar *badge;
	gchar *name;
	StOperatorRole role;
	gchar *language;
} StOperator;

void
st_operator_free(StOperator *self);
StOperator *
st_operator_copy(const StOperator *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StOperator, st_operator_free)

typedef struct {
	gint64 id;
	gchar *idempotency_key;
	gchar *kind;
	gchar *order_number; /* (nullable) */
	gchar *payload;	     /* JSON */
	guint order_seq;     /* 1, 2, 3 ... among its order's events; 0 without an order */
	guint attempts;	     /* deliveries tried and failed so far */
	gchar *last_error;   /* (nullable): why the last one failed */
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
st_store_check_writable(const gchar *path, GError **error);
gboolean
st_store_quick_check(StStore *self, GError **error);
gchar *
st_store_describe_lock_holder(const gchar *path);
gboolean
st_store_open(StStore *self, const gchar *path, guint busy_timeout_ms, GError **error);
gboolean
st_store_open_read_only(StStore *self, const gchar *path, guint busy_timeout_ms, GError **error);
void
st_store_close(StStore *self);
guint
st_store_get_schema_version(StStore *self);
GHashTable *
st_store_take_full_scans(StStore *self);
guint
st_store_get_latest_schema_version(void);
const gchar *
st_store_get_path(StStore *self);

/* finding products and orders (they are written with st_store_put_product and
 * st_store_put_order, below) */
StProduct *
st_store_find_product_by_barcode(StStore *self, const gchar *barcode, GError **error);
StOrder *
st_store_find_order(StStore *self, const gchar *number, GError **error);
GPtrArray *
st_store_get_order_lines(StStore *self, gint64 order_id, GError **error);

/*
 * Transactions. Every verb is one durable transaction by itself; a caller that must record
 * several things as one (a scan and what it did: the packed count, the order's new status)
 * opens a transaction around them, and the verbs inside become savepoints of it. Freeing a
 * transaction that was not committed undoes everything done in it.
 */
typedef struct _StStoreTransaction StStoreTransaction;

StStoreTransaction *
st_store_transaction_begin(StStore *self, GError **error);
gboolean
st_store_transaction_commit(StStoreTransaction *self, GError **error);
void
st_store_transaction_free(StStoreTransaction *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StStoreTransaction, st_store_transaction_free)

/* operators */
gboolean
st_store_put_operator(StStore *self, const StOperatorSpec *spec, GError **error);
StOperator *
st_store_find_operator(StStore *self, const gchar *badge, GError **error);
GPtrArray *
st_store_get_operators(StStore *self, GError **error);
gint
st_store_has_operators(StStore *self, GError **error);
gint64
st_store_add_api_token(StStore *self,
		       const gchar *name,
		       StOperatorRole role,
		       const gchar *sha256,
		       GError **error);
StApiToken *
st_store_find_api_token(StStore *self, const gchar *sha256, GError **error);
GPtrArray *
st_store_get_api_tokens(StStore *self, GError **error);
gboolean
st_store_revoke_api_token(StStore *self, gint64 id, GError **error);

/* seats: who is logged in at each (NULL: nobody), and the last order scanned there */
gboolean
st_store_set_seat_operator(StStore *self,
			   const gchar *seat,
			   const gchar *operator_badge,
			   GError **error);
GHashTable *
st_store_get_seats(StStore *self, GError **error);
StOrder *
st_store_get_seat_order(StStore *self, const gchar *seat, GError **error);
gchar *
st_store_get_seat_last_text(StStore *self, const gchar *seat, GError **error);
gchar *
st_store_get_order_seat(StStore *self, gint64 order_id, GError **error);

/* the operator the verbs inside a transaction act for (events name them) */
void
st_store_transaction_set_operator(StStoreTransaction *self, const gchar *badge);

/* where a scan was made, and who was logged in there */
typedef struct {
	const gchar *seat;	     /* (nullable): "bench", or a device with its own workflow */
	const gchar *operator_badge; /* (nullable): NULL at a bench without operators */
} StScanOrigin;

/* scans, with the verdict they were given */
gboolean
st_store_record_scan(StStore *self,
		     StScan *scan,
		     const StScanOrigin *origin,
		     const gchar *reason,
		     const gchar *message,
		     gint64 order_id,
		     gint64 product_id,
		     gint64 *scan_id,
		     GError **error);
gboolean
st_store_record_weighing(StStore *self,
			 const gchar *device_id,
			 gint64 grams,
			 const gchar *status,
			 const gchar *reason,
			 const gchar *message,
			 gint64 order_id,
			 const gchar *operator_badge,
			 GError **error);
gint64
st_store_count_weighings(StStore *self, gint64 order_id, GError **error);
gboolean
st_store_set_scan_message(StStore *self, gint64 scan_id, const gchar *message, GError **error);

/* orders: a status change (with its history row and its outbox event), items packed */
gboolean
st_store_set_order_status(StStore *self,
			  const StOrder *order,
			  StOrderStatus from,
			  StOrderStatus to,
			  gint64 scan_id,
			  GError **error);
gboolean
st_store_add_packed(StStore *self,
		    const StOrder *order,
		    const StOrderLine *line,
		    guint quantity,
		    const gchar *serial,
		    gint64 scan_id,
		    GError **error);

/* inventory (schema 2): the catalogue, locations, stock and its ledger */

typedef struct {
	const gchar *sku;
	const gchar *name;
	guint weight_g; /* of one unit */
	guint length_mm, width_mm, height_mm;
	gboolean track_lot, track_serial, track_expiry;
	gboolean hazmat, fragile;
	const gchar *uom;	      /* (nullable): unit of measure, "each" by default */
	guint weight_tolerance_g;     /* 0, or how much one unit may vary on the scale (goods sold
				       * by weight): it widens its parcel's tolerance */
	const gchar *const *barcodes; /* (nullable): unit barcodes saved with the product; one
				       * that names another product refuses the product whole */
	const gchar *hs_code;	      /* (nullable): its customs tariff number (HS, 6 to 10
				       * digits) */
	const gchar *origin_country;  /* (nullable): ISO 3166 alpha-2 where it was made */
	guint64 customs_value_cents;  /* one unit's value for customs, in [customs] currency */
} StProductSpec;

typedef enum {
	ST_PACK_UNIT,
	ST_PACK_INNER,
	ST_PACK_CASE,
	ST_PACK_PALLET,
} StPackLevel;

const gchar *
st_pack_level_to_string(StPackLevel level);
gboolean
st_pack_level_from_string(const gchar *str, StPackLevel *level);

typedef struct {
	const gchar *code; /* unique: "A-01-02-03", "TOTE-17" */
	const gchar *barcode;
	const gchar *kind; /* bin, tote, cart, bench, dock */
	const gchar *warehouse, *zone, *aisle, *bay, *level, *bin; /* (nullable) */
	guint pick_sequence;
	gboolean allow_negative; /* stock here may go below zero */
} StLocationSpec;

typedef struct {
	const gchar *code;
	const gchar *name;
	const gchar *barcode; /* (nullable) */
	guint tare_g, length_mm, width_mm, height_mm, max_weight_g;
} StBoxTypeSpec;

/* a box type as stored */
typedef struct {
	gchar *code;
	gchar *name;
	guint tare_g, length_mm, width_mm, height_mm, max_weight_g;
} StBoxType;

void
st_box_type_free(StBoxType *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StBoxType, st_box_type_free)

/* a parcel closed on the scale: its box, what it weighed and should have weighed */
typedef struct {
	const gchar *box_code; /* (nullable): no box known */
	guint expected_g;
	guint tolerance_g;
	gint64 weight_g;	     /* -1: not weighed (no scale) */
	const gchar *override_badge; /* (nullable): the lead who let a weight outside it pass */
	const gchar *sscc_prefix;    /* (nullable): extension digit and GS1 company prefix: the
				      * parcel gets an SSCC with its id as serial reference */
} StParcelSpec;

/* a parcel of an order, as stored */
typedef struct {
	gint64 id;
	guint number; /* 1, 2, ... among its order's parcels */
	gchar *order_number;
	gchar *reference; /* (nullable): its SSCC (or tracking number) */
	gchar *box_code;  /* (nullable) */
	gint64 weight_g;  /* -1: not weighed */
	guint expected_g;
	gboolean confirmed; /* its label was scanned on it */
} StParcel;

void
st_parcel_free(StParcel *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StParcel, st_parcel_free)
gchar *
st_sscc_make(const gchar *prefix, gint64 serial, GError **error);

/* what an undo took back */
typedef struct {
	gchar *sku;
	guint quantity;
	guint line_no;
	gint64 scan_id;	    /* the scan it took back */
	gboolean parcelled; /* it is in a parcel closed already */
} StUndone;

void
st_undone_clear(StUndone *self);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(StUndone, st_undone_clear)
gboolean
st_store_last_packed(StStore *self, const StOrder *order, StUndone *undone, GError **error);
gboolean
st_store_undo_packed(StStore *self,
		     const StOrder *order,
		     gint64 undo_scan_id,
		     StUndone *undone,
		     GError **error);
gboolean
st_store_add_parcel(StStore *self,
		    const StOrder *order,
		    const StParcelSpec *spec,
		    gint64 scan_id,
		    guint *number,
		    GError **error);
guint
st_store_count_parcels(StStore *self, const StOrder *order, GError **error);
gboolean
st_store_add_exception(StStore *self,
		       gint64 order_id,
		       const gchar *order_number,
		       const gchar *kind,
		       const gchar *detail,
		       gint64 scan_id,
		       GError **error);
gboolean
st_store_set_order_box(StStore *self, const StOrder *order, const gchar *box_code, GError **error);
StBoxType *
st_store_get_order_box(StStore *self, gint64 order_id, GError **error);
GPtrArray *
st_store_get_order_parcels(StStore *self, gint64 order_id, GError **error);
StParcel *
st_store_find_parcel(StStore *self, const gchar *reference, GError **error);
gboolean
st_store_confirm_parcel(StStore *self, const StParcel *parcel, gint64 scan_id, GError **error);
JsonNode *
st_store_get_customs(StStore *self, const gchar *number, GError **error);
JsonNode *
st_store_get_parcel_shipment(StStore *self, const gchar *number, guint parcel, GError **error);
gboolean
st_store_void_parcels(StStore *self, const StOrder *order, gint64 scan_id, GError **error);
/* dispatch (schema 5): a parcel found by the tracking number or SSCC its label carries */
typedef struct {
	gint64 order_id;
	gchar *order_number;
	StOrderStatus status;
	gchar *carrier; /* "" when the order names none */
	gint64 label_id;
	gchar *reference;
	gint64 manifest_id;	   /* 0: on no manifest yet */
	gboolean manifest_closed;  /* on a manifest closed already */
	gchar *manifest_closed_at; /* (nullable) */
} StShipment;

/* a carrier's manifest: the parcels handed to it at the dock */
typedef struct {
	gint64 id;
	gchar *carrier; /* "" for orders without a carrier */
	gboolean closed;
	guint parcels;
	guint orders;
	gchar *opened_at;
	gchar *closed_at; /* (nullable) */
} StManifest;

void
st_shipment_free(StShipment *self);
void
st_manifest_free(StManifest *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StShipment, st_shipment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StManifest, st_manifest_free)

StShipment *
st_store_find_shipment(StStore *self, const gchar *reference, GError **error);
StManifest *
st_store_add_to_manifest(StStore *self,
			 const StShipment *shipment,
			 gint64 scan_id,
			 gboolean *order_shipped,
			 GError **error);
StManifest *
st_store_get_manifest(StStore *self, gint64 id, GError **error);
gboolean
st_store_close_manifest(StStore *self, gint64 id, gint64 scan_id, GError **error);
StManifest *
st_store_get_seat_manifest(StStore *self, const gchar *seat, GError **error);
JsonNode *
st_store_get_manifest_document(StStore *self, gint64 id, GError **error);

/* a parcel on a manifest */
typedef struct {
	gchar *order_number;
	gchar *reference;
	gchar *added_at;
} StManifestParcel;

void
st_manifest_parcel_free(StManifestParcel *self);
GPtrArray *
st_store_get_manifests(StStore *self, guint limit, GError **error);
GPtrArray *
st_store_get_manifest_parcels(StStore *self, gint64 id, GError **error);
gboolean
st_store_unload_last(StStore *self,
		     gint64 id,
		     gint64 scan_id,
		     gchar **reference,
		     gchar **order_number,
		     GError **error);
/* picking (schema 6) */
typedef enum {
	ST_PICK_MODE_ORDER,   /* one order, one tote */
	ST_PICK_MODE_BATCH,   /* several orders picked together into one tote, sorted at packing */
	ST_PICK_MODE_CLUSTER, /* several orders at once, each into its own tote */
	ST_PICK_MODE_LAST,
} StPickMode;

const gchar *
st_pick_mode_to_string(StPickMode mode);

/* a pick list and how far it is */
typedef struct {
	gint64 id;
	gchar *code; /* the key of its barcode: "000007" for PL-000007 */
	StPickMode mode;
	gchar *status;	  /* open, done, cancelled */
	gchar *seat;	  /* (nullable): where it is being picked */
	guint orders;	  /* orders on it */
	guint totes_set;  /* orders whose tote is known */
	guint picks;	  /* picks (one per order line and location) */
	guint picks_done; /* confirmed into their tote, or short */
	guint units, units_picked, units_short;
	gchar *created_at;
} StPickList;

/* one pick: an order line's units at one location, in the route's order */
typedef struct {
	gint64 id;
	guint seq;
	gchar *order_number;
	guint slot; /* the order's place on the list: 1, 2, ... (its tote in a cluster) */
	guint line_no;
	gint64 product_id;
	gchar *sku;
	gchar *name;
	gchar *location;	 /* its code */
	gchar *location_barcode; /* "" when it has none */
	gchar *lot, *expiry;	 /* "" when none: the lot suggested, first expiring first */
	gboolean track_lot, track_expiry, track_serial;
	guint quantity, picked, short_qty;
	gchar *tote; /* (nullable): the code of its order's tote */
	gboolean done;
} StPickTask;

/* an order on a pick list */
typedef struct {
	gint64 order_id;
	gchar *order_number;
	guint slot;
	gchar *tote; /* (nullable) */
} StPickListOrder;

void
st_pick_list_free(StPickList *self);
void
st_pick_task_free(StPickTask *self);
void
st_pick_list_order_free(StPickListOrder *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StPickList, st_pick_list_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StPickTask, st_pick_task_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StPickListOrder, st_pick_list_order_free)

StPickList *
st_store_create_pick_list(StStore *self,
			  StPickMode mode,
			  const gchar *const *orders,
			  guint batch,
			  GPtrArray **notes,
			  GError **error);
StPickList *
st_store_find_pick_list(StStore *self, const gchar *code, GError **error);
StPickList *
st_store_get_pick_list(StStore *self, gint64 id, GError **error);
GPtrArray *
st_store_get_pick_lists(StStore *self, gboolean open_only, guint limit, GError **error);
GPtrArray *
st_store_get_pick_tasks(StStore *self, gint64 list_id, GError **error);
GPtrArray *
st_store_get_pick_list_orders(StStore *self, gint64 list_id, GError **error);
StPickList *
st_store_get_seat_pick_list(StStore *self, const gchar *seat, GError **error);
gboolean
st_store_claim_pick_list(StStore *self, gint64 list_id, const gchar *seat, GError **error);
gboolean
st_store_leave_pick_list(StStore *self, gint64 list_id, GError **error);
gchar *
st_store_set_pick_tote(StStore *self,
		       gint64 list_id,
		       guint slot,
		       const gchar *text,
		       const gchar *key,
		       GError **error);
gboolean
st_store_pick(StStore *self,
	      const StPickTask *task,
	      guint quantity,
	      const gchar *lot,
	      const gchar *expiry,
	      const gchar *serial,
	      gint64 scan_id,
	      const gchar *operator_name,
	      GError **error);
gboolean
st_store_pick_into_tote(StStore *self,
			const StPickTask *task,
			gint64 scan_id,
			gboolean *order_picked,
			gboolean *list_done,
			GError **error);
gboolean
st_store_short_pick(StStore *self,
		    const StPickTask *task,
		    const gchar *reason,
		    gint64 scan_id,
		    gboolean *order_picked,
		    gboolean *list_done,
		    GError **error);
gboolean
st_store_skip_pick(StStore *self, const StPickTask *task, GError **error);
gboolean
st_store_undo_pick(StStore *self, gint64 list_id, gint64 scan_id, StUndone *undone, GError **error);
JsonNode *
st_store_get_pick_list_document(StStore *self, gint64 id, GError **error);
gchar *
st_store_find_location_code(StStore *self, const gchar *text, const gchar *key, GError **error);
gchar *
st_store_get_order_tote(StStore *self, gint64 order_id, gboolean *still_picking, GError **error);
StOrder *
st_store_next_order_to_pack(StStore *self,
			    const gchar *tote_text,
			    const gchar *tote_key,
			    const gchar *list_code,
			    GError **error);

StBoxType *
st_store_find_box_type(StStore *self, const gchar *code_or_barcode, GError **error);
GPtrArray *
st_store_get_box_types(StStore *self, GError **error);

typedef enum {
	ST_LEDGER_RECEIVE, /* into a location from outside: goods in */
	ST_LEDGER_PICK,	   /* from a location to a tote or bench, for an order line */
	ST_LEDGER_PACK,	   /* out of stock into a shipment, for an order line */
	ST_LEDGER_ADJUST,  /* a correction: into a location (found) or out of one (lost) */
	ST_LEDGER_MOVE,	   /* from one location to another */
	ST_LEDGER_CANCEL,  /* picked goods of a cancelled order back to a location */
	ST_LEDGER_RETURN,  /* back in from a customer */
	ST_LEDGER_LAST,
} StLedgerKind;

const gchar *
st_ledger_kind_to_string(StLedgerKind kind);
gboolean
st_ledger_kind_from_string(const gchar *str, StLedgerKind *kind);

/* One change of stock: what the ledger row will say. */
typedef struct {
	StLedgerKind kind;
	const gchar *sku;
	gint64 quantity;	    /* > 0 */
	const gchar *from;	    /* (nullable): location code the goods leave */
	const gchar *to;	    /* (nullable): location code the goods reach */
	const gchar *lot;	    /* (nullable) */
	const gchar *expiry;	    /* (nullable): YYYY-MM-DD */
	const gchar *serial;	    /* (nullable) */
	const gchar *order_number;  /* (nullable): pick, pack and cancel need it */
	guint line_no;		    /* the order line, with @order_number */
	gint64 scan_id;		    /* the scan that caused it, or 0 */
	const gchar *operator_name; /* (nullable) */
	const gchar *note;	    /* (nullable): why, for an adjustment */
	gboolean no_event;	    /* TRUE: the central system is not told (an import of its
				       own data) */
	const gchar *request_key;   /* (nullable): the caller's key for this change: the same
				     * key again changes nothing (ST_ERROR_EXISTS, naming the
				     * ledger row it made), so a retry never books twice */
} StStockChange;

typedef struct {
	gchar *location;
	gchar *lot;
	gchar *expiry;
	gchar *serial;
	gint64 quantity;
} StStockRow;

typedef struct {
	gint64 product_id;
	gchar *sku;
	gchar *name;
	gint64 on_hand;
	gint64 reserved;
	gint64 available; /* on hand minus reserved */
	GPtrArray *rows;  /* (element-type StStockRow) by pick sequence */
} StStockReport;

typedef struct {
	gint64 id;
	gchar *kind;
	gchar *sku;
	gint64 quantity;
	gchar *from;	     /* (nullable) */
	gchar *to;	     /* (nullable) */
	gchar *lot;	     /* "" when none */
	gchar *expiry;	     /* "" when none */
	gchar *serial;	     /* "" when none */
	gchar *order_number; /* (nullable) */
	gint64 scan_id;	     /* 0 when none */
	gchar *operator_name;
	gchar *station;
	gchar *at;
	gchar *note;
	gint64 balance; /* at the location asked about (or in total) after this row */
} StLedgerRow;

typedef struct {
	const gchar *name, *company, *street1, *street2, *city, *region, *postal_code, *country,
		*phone, *email; /* (nullable) each */
} StAddress;

typedef struct {
	const gchar *number;
	StOrderStatus status;
	const StAddress *ship_to;	      /* (nullable) */
	const gchar *service_level, *carrier; /* (nullable) */
	const StOrderLineSpec *lines;
	guint n_lines;
	const gchar *tracking; /* (nullable): the carrier's number for the order's first parcel,
				* when it gave one */
} StOrderSpec;

void
st_stock_report_free(StStockReport *self);
void
st_ledger_row_free(StLedgerRow *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StStockReport, st_stock_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StLedgerRow, st_ledger_row_free)

void
st_store_set_negative_locations(StStore *self, const gchar *const *codes);
gboolean
st_store_put_product(StStore *self, const StProductSpec *spec, gint64 *id, GError **error);
gboolean
st_store_put_barcode(StStore *self,
		     const gchar *sku,
		     const gchar *barcode,
		     StPackLevel pack,
		     guint quantity,
		     GError **error);
gboolean
st_store_put_product_barcode(StStore *self,
			     gint64 product_id,
			     const gchar *sku,
			     const gchar *barcode,
			     StPackLevel pack,
			     guint quantity,
			     GError **error);
gboolean
st_store_put_location(StStore *self, const StLocationSpec *spec, GError **error);
gboolean
st_store_put_box_type(StStore *self, const StBoxTypeSpec *spec, GError **error);
gboolean
st_store_put_order(StStore *self, const StOrderSpec *spec, gint64 *id, GError **error);
gboolean
st_store_change_stock(StStore *self,
		      const StStockChange *change,
		      gint64 *ledger_id,
		      GError **error);
gboolean
st_store_count_stock(StStore *self, const StStockChange *count, gint64 *ledger_id, GError **error);
gboolean
st_store_reserve_order(StStore *self, const gchar *number, GPtrArray **shortages, GError **error);
StStockReport *
st_store_get_stock(StStore *self, const gchar *sku_or_barcode, GError **error);
GPtrArray *
st_store_get_ledger(StStore *self, const gchar *sku, const gchar *location, GError **error);
gboolean
st_store_check(StStore *self, GPtrArray **problems, GError **error);

/* exports: @func gets the header, then each row, as NULL-terminated fields; it returns FALSE
 * (with an error) to stop */
typedef gboolean (*StStoreRowFunc)(const gchar *const *fields, gpointer user_data, GError **error);

gboolean
st_store_export(StStore *self,
		const gchar *what,
		StStoreRowFunc func,
		gpointer user_data,
		GError **error);

/* requests an outside caller may retry (an import's --id): checked and kept in the
 * transaction of the work they guard */
gint
st_store_request_done(StStore *self, const gchar *key, gchar **at, gchar **verb, GError **error);
gboolean
st_store_request_keep(StStore *self, const gchar *key, const gchar *verb, GError **error);

/* a dry run works on a private copy (st_store_open_scratch), so it never takes the
 * database's write lock */
StStore *
st_store_open_scratch(StStore *source, GError **error);

/* an import's staging table: the file's rows, read before the write lock is taken */
gboolean
st_store_stage_begin(StStore *self, GError **error);
gboolean
st_store_stage_add(StStore *self, guint line, const gchar *const *fields, GError **error);
gboolean
st_store_stage_rewind(StStore *self, GError **error);
gchar **
st_store_stage_next(StStore *self, guint *line, GError **error);
void
st_store_stage_end(StStore *self);

/* imports: every verb between begin and end is one transaction */
gboolean
st_store_bulk_begin(StStore *self, GError **error);
gboolean
st_store_bulk_end(StStore *self, gboolean commit, GError **error);
gboolean
st_store_bulk_row_begin(StStore *self, GError **error);
gboolean
st_store_bulk_row_end(StStore *self, gboolean keep, GError **error);

/* labels (schema 3): stored before printing, so any label can be printed again */

typedef struct {
	const gchar *kind;	   /* carrier, logistic, packing-slip, document, file, ... */
	const gchar *source;	   /* the template, "central", or the file it was read from */
	const gchar *format;	   /* zpl or pdf */
	guint dpi;		   /* the printer resolution it was made for; 0 when unknown */
	const gchar *page;	   /* (nullable): its page as a PWG media name */
	GBytes *content;	   /* the bytes sent to the printer */
	const gchar *order_number; /* (nullable) */
	const gchar *reference;	   /* (nullable): the tracking number or SSCC it carries */
} StLabelSpec;

typedef struct {
	gint64 id;
	gchar *kind;
	gchar *source;
	gchar *format;
	guint dpi;
	gchar *page; /* "" when unknown */
	GBytes *content;
	gchar *sha256;
	gchar *order_number; /* (nullable) */
	gchar *reference;    /* "" when none */
	gchar *created_at;
} StLabelRecord;

/* the states of a print job as stored: CUPS's job states, plus submitting (not yet taken
 * by CUPS), failed (never reached CUPS) and unknown (CUPS forgot the job) */
typedef struct {
	gint64 id;
	gint64 label_id;
	gchar *printer; /* the role or queue asked for */
	gchar *queue;
	gint cups_job_id; /* 0 until CUPS took it */
	gchar *state;
	gboolean reprint;
	gchar *message;
	gchar *operator_name; /* (nullable) */
	gchar *requested_at;
	gchar *updated_at;
	gchar *finished_at; /* (nullable) */
} StPrintRecord;

void
st_label_record_free(StLabelRecord *self);
void
st_print_record_free(StPrintRecord *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StLabelRecord, st_label_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StPrintRecord, st_print_record_free)

gboolean
st_store_put_label(StStore *self,
		   const StLabelSpec *spec,
		   gint64 *id,
		   gboolean *existed,
		   GError **error);
StLabelRecord *
st_store_get_label(StStore *self, gint64 id, GError **error);
gboolean
st_store_begin_print(StStore *self,
		     gint64 label_id,
		     const gchar *printer,
		     const gchar *queue,
		     gboolean reprint,
		     const gchar *operator_name,
		     gint64 *print_id,
		     GError **error);
gboolean
st_store_print_submitted(StStore *self, gint64 print_id, gint cups_job_id, GError **error);
gboolean
st_store_print_update(StStore *self,
		      gint64 print_id,
		      const gchar *state,
		      const gchar *message,
		      GError **error);
GPtrArray *
st_store_get_prints(StStore *self,
		    gint64 label_id,
		    gboolean open_only,
		    guint limit,
		    GError **error);
gboolean
st_print_state_is_final(const gchar *state);
GPtrArray *
st_store_get_order_prints(StStore *self, const gchar *number, GError **error);
/* an order as shipment data for label templates (a JSON object; see st-store-labels.c) */
JsonNode *
st_store_get_shipment(StStore *self, const gchar *number, GError **error);

/* reading back */
GPtrArray *
st_store_get_scans(StStore *self, GError **error);
GPtrArray *
st_store_get_outbox(StStore *self, GError **error);
/* the outbox's delivery, for the sync with the central system */
GPtrArray *
st_store_outbox_next(StStore *self, gint64 now_us, guint max, GError **error);
gboolean
st_store_outbox_delivered(StStore *self, gint64 event_id, GError **error);
gboolean
st_store_outbox_failed(StStore *self,
		       gint64 event_id,
		       const gchar *message,
		       gint64 retry_at_us,
		       GError **error);
gint
st_store_drop_picks_of_cancelled(StStore *self, const gchar *number, GError **error);

/* an order pulled from the central system (st_store_apply_central_order) */
typedef enum {
	ST_CENTRAL_ORDER_ADDED,
	ST_CENTRAL_ORDER_UPDATED,
	ST_CENTRAL_ORDER_UNCHANGED,
	ST_CENTRAL_ORDER_CANCELLED,
	ST_CENTRAL_ORDER_REFUSED,
} StCentralOrderOutcome;

gboolean
st_store_apply_central_order(StStore *self,
			     const StOrderSpec *spec,
			     const StLabelSpec *label,
			     StCentralOrderOutcome *outcome,
			     gchar **detail,
			     GError **error);

/* a bench's claim on the order it opened (schema 8), for the central system */
typedef struct {
	gint64 order_id;
	gchar *number;
} StOrderClaim;

void
st_order_claim_free(StOrderClaim *self);
GPtrArray *
st_store_get_pending_claims(StStore *self, guint max, GError **error);
gboolean
st_store_settle_claim(StStore *self,
		      const StOrderClaim *claim,
		      const gchar *state,
		      const gchar *holder,
		      GError **error);
gchar *
st_store_get_claim_conflict(StStore *self, gint64 order_id, GError **error);

/* what became of an event sent to the central system */
typedef enum {
	ST_OUTBOX_DELIVERED, /* accepted, or a duplicate of one accepted before */
	ST_OUTBOX_FAILED,    /* not delivered: tried again at retry_at_us */
	ST_OUTBOX_PARKED,    /* rejected: kept with the reason until a person retries it */
} StOutboxOutcomeKind;

typedef struct {
	gint64 event_id;
	StOutboxOutcomeKind kind;
	const gchar *message; /* FAILED, PARKED: why */
	gint64 retry_at_us;   /* FAILED: when to try again (g_get_real_time()) */
} StOutboxOutcome;

gboolean
st_store_outbox_record(StStore *self, const StOutboxOutcome *outcomes, guint n, GError **error);
gint
st_store_outbox_unpark(StStore *self, gint64 event_id, GError **error);
gint
st_store_outbox_prune(StStore *self, guint keep_days, GError **error);
gint
st_store_outbox_due_now(StStore *self, GError **error);
gboolean
st_store_sync_state_set(StStore *self, const gchar *key, const gchar *value, GError **error);
gchar *
st_store_sync_state_get(StStore *self, const gchar *key, GError **error);

typedef struct {
	guint pending;		/* undelivered events, parked ones included */
	guint n_parked;		/* of which parked */
	guint delivered;	/* delivered events still kept for audit */
	gchar *oldest_at;	/* (nullable): when the oldest undelivered event was made */
	gchar *next_attempt_at; /* (nullable): the earliest retry time set */
	gchar *last_success;	/* (nullable): the last delivery the central system took */
	gchar *last_error;	/* (nullable): "TIME why" of the last failed delivery */
	GPtrArray *parked;	/* (element-type StOutboxEvent): the first 100, last_error is the
				 * central system's reason */
} StOutboxStatus;

void
st_outbox_status_clear(StOutboxStatus *self);
gboolean
st_store_outbox_status(StStore *self, StOutboxStatus *status, GError **error);

gboolean
st_store_get_summary(StStore *self, StStoreSummary *summary, GError **error);

G_END_DECLS
