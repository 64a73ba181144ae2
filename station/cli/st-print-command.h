/* `station print`, `station reprint`, `station cancel` and `station printers` */
#pragma once

#include <glib.h>

#include "st-config.h"
#include "station/st-store.h"

G_BEGIN_DECLS

gint
st_cmd_print(gint argc, gchar **argv);
gint
st_cmd_reprint(gint argc, gchar **argv);
gint
st_cmd_cancel(gint argc, gchar **argv);
gint
st_cmd_printers(gint argc, gchar **argv);
gint
st_print_command_follow(StStore *store,
			const StConfig *config,
			gint64 label_id,
			const gchar *printer,
			gboolean wait);

G_END_DECLS
