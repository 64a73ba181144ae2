/* `station simulate`: a shift from a script, through the real workflows, without hardware */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint
st_cmd_simulate(gint argc, gchar **argv);

G_END_DECLS
