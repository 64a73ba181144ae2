/*
 * The station's printing: stored labels sent to the configured printers through CUPS, each
 * print recorded in the store before it is sent and its job followed to the end.
 */
#pragma once

#include "station/st-label.h"
#include "station/st-print.h"
#include "station/st-store.h"

#include "st-config.h"

G_BEGIN_DECLS

/* the queue recorded for a print to a [printer NAME] spool folder: this, then the folder */
#define ST_PRINTING_SPOOL_PREFIX "spool:"

#define ST_TYPE_PRINTING (st_printing_get_type())
G_DECLARE_FINAL_TYPE(StPrinting, st_printing, ST, PRINTING, GObject)

/* one print of a label as it goes: the store's row and the job's latest state */
typedef struct {
	gint64 print_id;
	gint64 label_id;
	gchar *state; /* as stored: pending, processing, completed, ... */
	gchar *message;
	StPrintJobStatus *status; /* (nullable): CUPS's view */
} StPrintProgress;

void
st_print_progress_free(StPrintProgress *self);
GType
st_print_progress_get_type(void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StPrintProgress, st_print_progress_free)

StPrinting *
st_printing_new(StStore *store, const StConfig *config);
StPrinterConfig *
st_printing_resolve(StPrinting *self, const gchar *printer, const gchar *format, GError **error);
gchar *
st_label_pwg_media(const StLabel *label);
gboolean
st_label_sniff_format(GBytes *data, const gchar **format, GError **error);
gboolean
st_printing_check_zpl_dpi(GBytes *zpl, const StPrinterConfig *cfg, GError **error);
void
st_printing_print_async(StPrinting *self,
			gint64 label_id,
			const gchar *printer,
			gboolean reprint,
			const gchar *operator_name,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data);
StPrintProgress *
st_printing_print_finish(StPrinting *self, GAsyncResult *result, GError **error);
guint
st_printing_recover(StPrinting *self, GError **error);
gboolean
st_printing_settle_submissions(StPrinting *self, gint64 label_id, GPtrArray *said, GError **error);
gint64
st_printing_put_template(StPrinting *self,
			 const gchar *template_name,
			 const gchar *printer,
			 const gchar *data,
			 gsize len,
			 const gchar *order,
			 const gchar *kind,
			 gboolean *existed,
			 GError **error);
gboolean
st_printing_cancel(StPrinting *self,
		   gint64 label_id,
		   const gchar *operator_name,
		   guint *cancelled,
		   GError **error);
guint
st_printing_get_n_followed(StPrinting *self);
guint
st_printing_refresh(StPrinting *self, GError **error);
/* one thing the bench prints for a packed order */
typedef struct {
	gint64 label_id;
	gchar *printer; /* label, document */
	gchar *what;	/* for the log: "label of parcel 1 (SSCC)", "packing slip" */
} StOrderPrint;

void
st_order_print_free(StOrderPrint *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StOrderPrint, st_order_print_free)
StStore *
st_printing_get_store(StPrinting *self);
gint64
st_printing_put_pick_list(StPrinting *self,
			  const StConfig *config,
			  gint64 id,
			  const gchar *printer,
			  GError **error);
gint64
st_printing_put_manifest(StPrinting *self, const StConfig *config, gint64 id, GError **error);
GPtrArray *
st_printing_put_order(StPrinting *self,
		      const StConfig *config,
		      const gchar *order,
		      gboolean labels,
		      gboolean slip,
		      gchar **trouble,
		      GError **error);
gboolean
st_printing_check_queues(const StConfig *config, GPtrArray **missing, GError **error);

G_END_DECLS
