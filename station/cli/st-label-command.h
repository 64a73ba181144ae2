/* `station label`: templates filled from shipment data, rendered to ZPL, PDF or PNG */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint
st_cmd_label(gint argc, gchar **argv);

G_END_DECLS
