#pragma once

#include <glib.h>

G_BEGIN_DECLS

const gchar *const *
st_api_ui_strings(void);
const gchar *
st_api_ui_translate(const gchar *language, const gchar *msgid);

const gchar *
st_api_ui_language_name(const gchar *language);

G_END_DECLS
