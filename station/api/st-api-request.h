/*
 * What a client sends the API, read defensively: a body measured before it is parsed (size and
 * depth), an object of known members only, each of its type. Shared by the server and its fuzz
 * target.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ST_API_MAX_BODY	 (64 * 1024)
#define ST_API_MAX_DEPTH 16

/* POST /api/v1/sessions */
typedef struct {
	gchar *badge; /* (nullable): none at a station without operators */
	gchar *seat;
} StApiLogin;

/* POST /api/v1/seats/{seat}/scans */
typedef struct {
	gchar *text;
} StApiScan;

/* POST /api/v1/seats/{seat}/language */
typedef struct {
	gchar *language;
} StApiLanguage;

void
st_api_login_clear(StApiLogin *self);
void
st_api_scan_clear(StApiScan *self);
gboolean
st_api_parse_login(const gchar *body, gsize len, StApiLogin *login, GError **error);
gboolean
st_api_parse_scan(const gchar *body, gsize len, StApiScan *scan, GError **error);
gboolean
st_api_parse_language(const gchar *body, gsize len, gchar **language, GError **error);
gboolean
st_api_parse_reprint(const gchar *body, gsize len, guint *parcel, GError **error);

G_END_DECLS
