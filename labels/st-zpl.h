/*
 * ZPL II building blocks shared by the ZPL renderer: field data that cannot be read as a
 * command, whatever text it carries.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gchar *
st_zpl_field_data(const gchar *text, gssize len, GError **error);

G_END_DECLS
