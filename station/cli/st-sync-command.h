#pragma once

#include <glib.h>

gint
st_cmd_sync(gint argc, gchar **argv);
