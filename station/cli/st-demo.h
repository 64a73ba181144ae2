/* `station demo`: the walking skeleton, end to end, on a temporary database. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint
st_demo_run(gint argc, gchar **argv);

G_END_DECLS
