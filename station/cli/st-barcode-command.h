/* `station barcode parse`. */
#pragma once

#include <glib.h>

gint
st_cmd_barcode(gint argc, gchar **argv);
