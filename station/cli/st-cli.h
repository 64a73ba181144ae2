/* What every command of the station program shares: parsing its options the same way. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ST_EXIT_OK    0
#define ST_EXIT_FAIL  1
#define ST_EXIT_USAGE 2

gint
st_cli_parse_options(GOptionContext *context,
		     const gchar *name,
		     gint *argc,
		     gchar ***argv,
		     gint max_args);

gboolean
st_cli_parse_hex(const gchar *line, GByteArray *out, GError **error);

G_END_DECLS
