#pragma once

#include <glib.h>

gint
st_cmd_token(gint argc, gchar **argv);
