/* The device commands of the station program: devices, listen, hid decode. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint
st_cmd_devices(gint argc, gchar **argv);
gint
st_cmd_listen(gint argc, gchar **argv);
gint
st_cmd_hid(gint argc, gchar **argv);

G_END_DECLS
