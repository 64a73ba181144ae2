/*
 * ISO 3166-1 country codes, from Debian's iso-codes at build time (station/gen-iso-codes.py
 * --countries writes st-iso3166.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* the three-digit number of an upper-case alpha-2 or alpha-3 code ("US", "DEU"), or NULL */
const gchar *
st_iso3166_number(const gchar *alpha);

G_END_DECLS
