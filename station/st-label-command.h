/* `station label`: templates filled from shipment data, rendered to ZPL, PDF or PNG */
#pragma once

#include "station/st-label.h"
#include "station/st-store.h"

#include "st-config.h"

G_BEGIN_DECLS

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
gchar *
st_label_command_sheet_data(const StConfig *config, gsize *len, GError **error);
gint
st_cmd_label(gint argc, gchar **argv);

G_END_DECLS
