/*
 * CSV imports into the store: products (with their barcodes per pack level), locations, box
 * types, stock (the quantity counted at a location) and orders. Rows stream through; the
 * whole file is one transaction, so a file with a bad row imports nothing unless skip_bad
 * says to leave the bad rows out. Every bad row is reported with its line and reason.
 */
#pragma once

#include <gio/gio.h>

#include "station/st-store.h"

G_BEGIN_DECLS

typedef enum {
	ST_IMPORT_PRODUCTS,
	ST_IMPORT_LOCATIONS,
	ST_IMPORT_BOX_TYPES,
	ST_IMPORT_STOCK,
	ST_IMPORT_ORDERS,
	ST_IMPORT_OPERATORS,
	ST_IMPORT_LAST,
} StImportKind;

const gchar *
st_import_kind_to_string(StImportKind kind);
gboolean
st_import_kind_from_string(const gchar *str, StImportKind *kind);
const gchar *
st_import_kind_columns(StImportKind kind);

/* what an import is doing: reading the file into the staging table (outside the database's
 * write lock), then applying its rows (holding it) */
typedef enum {
	ST_IMPORT_READING,  /* done: bytes read; total: 0 (the caller knows the file's size) */
	ST_IMPORT_APPLYING, /* done: rows applied; total: rows read */
} StImportStage;

typedef void (*StImportProgress)(StImportStage stage,
				 guint64 done,
				 guint64 total,
				 guint rows,
				 gpointer user_data);

typedef struct {
	gboolean dry_run;	    /* check everything on a private copy, keep nothing */
	gboolean skip_bad;	    /* keep the good rows of a file that has bad ones */
	const gchar *encoding;	    /* (nullable): the file's character set; UTF-8 */
	const gchar *operator_name; /* (nullable): who, for the ledger */
	const gchar *request_key;   /* (nullable): the caller's key for this import: an import
				     * with a key done before applies nothing (a retried count) */
	StImportProgress progress;  /* (nullable): called every few thousand rows */
	gpointer progress_data;
} StImportOptions;

#define ST_IMPORT_MAX_FAULTS 1000 /* faults kept for the report; all are counted */

typedef struct {
	guint rows;	/* data rows read */
	guint imported; /* rows stored (0 when nothing was kept) */
	guint bad;	/* rows refused */
	gboolean kept;	/* whether anything was committed */
	GPtrArray
		*faults; /* (element-type utf8): "line N: reason", the first ST_IMPORT_MAX_FAULTS */
	guint faults_left_out; /* faults after the first ST_IMPORT_MAX_FAULTS */
	gchar *done_before;    /* (nullable): when the request key was done already, its time:
				* nothing was read or applied */
} StImportResult;

void
st_import_result_clear(StImportResult *self);

gboolean
st_import_csv(StStore *store,
	      StImportKind kind,
	      GInputStream *stream,
	      const gchar *name,
	      const StImportOptions *options,
	      StImportResult *result,
	      GError **error);

G_END_DECLS
