/*
 * GS1 component checks ("linters" in the GS1 Barcode Syntax Tests): each looks at one
 * component of an AI's value and either accepts it or names the fault with its position.
 * The names of the checks and of the faults are GS1's, lower-cased with hyphens, so a
 * message can be looked up in GS1's documentation.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Returns: NULL when @data is acceptable, else the fault's name (static), with the faulty
 * bytes at @pos for @len bytes (len may be 0 for "something is missing here").
 */
typedef const gchar *(*StGs1LintFunc)(const gchar *data, gsize data_len, gsize *pos, gsize *len);

/* for the checks' own files: report the fault at @p for @l bytes */
#define ST_GS1_LINT_FAIL(code, p, l)                                                               \
	do {                                                                                       \
		*pos = (p);                                                                        \
		*len = (l);                                                                        \
		return code;                                                                       \
	} while (0)

StGs1LintFunc
st_gs1_lint_lookup(const gchar *name);
const gchar *
st_gs1_lint_cset(gchar type, const gchar *data, gsize data_len, gsize *pos, gsize *len);
gboolean
st_gs1_cset82_valid(guchar c);
gboolean
st_gs1_cset39_valid(guchar c);
gboolean
st_gs1_cset64_valid(guchar c);
gint
st_gs1_year_from_yy(guint yy);

/* code lists (station/st-gs1-codes.c, generated from Debian's iso-codes, and the hand-kept
 * package type list); each is sorted for bsearch */
gboolean
st_gs1_is_iso3166_numeric(const gchar *code3);
gboolean
st_gs1_is_iso3166_alpha2(const gchar *code2);
gboolean
st_gs1_is_iso4217_numeric(const gchar *code3);
gboolean
st_gs1_is_package_type(const gchar *code, gsize len);

G_END_DECLS
