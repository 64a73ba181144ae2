/* `station print`, `station reprint`, `station cancel` and `station printers` */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint
st_cmd_print(gint argc, gchar **argv);
gint
st_cmd_reprint(gint argc, gchar **argv);
gint
st_cmd_cancel(gint argc, gchar **argv);
gint
st_cmd_printers(gint argc, gchar **argv);

G_END_DECLS
