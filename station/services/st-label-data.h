/* Label data for templates: the template folders, shipment data from orders, the command
 * sheet, and the barcode checks templates ask for. */
#pragma once

#include "station/st-label.h"
#include "station/st-store.h"

#include "st-config.h"

G_BEGIN_DECLS

GPtrArray *
st_label_template_dirs(void);
StLabelTemplate *
st_label_find_template(const gchar *name, GError **error);
gboolean
st_label_check_value(const gchar *check, const gchar *value, gpointer user_data, GError **error);
gchar *
st_label_shipment_data(StStore *store,
		       const StConfig *config,
		       const gchar *order,
		       const gchar *data,
		       gsize len,
		       const gchar *const *sets,
		       gsize *out_len,
		       GError **error);
void
st_label_data_add_sender(JsonObject *o, const StConfig *config);
gchar *
st_label_customs_data(StStore *store,
		      const StConfig *config,
		      const gchar *order,
		      gsize *out_len,
		      GError **error);
gchar *
st_label_parcel_data(StStore *store,
		     const StConfig *config,
		     const gchar *order,
		     guint parcel,
		     gsize *out_len,
		     GError **error);
gchar *
st_label_command_sheet_data(const StConfig *config, gsize *len, GError **error);

GBytes *
st_label_parcel_preview(StStore *store,
			const StConfig *config,
			const gchar *order,
			guint parcel,
			GError **error);

G_END_DECLS
