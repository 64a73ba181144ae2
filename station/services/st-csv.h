/*
 * A streaming CSV reader (RFC 4180, and what spreadsheets write): quoted fields with "" for a
 * quote and line breaks inside, LF, CRLF or CR line ends, a UTF-8 byte order mark, and the
 * delimiter (',', ';' or tab) found from the header line. Every row comes with the line it
 * starts on; every fault is an error naming the line and column, never a guess.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ST_CSV_MAX_FIELD  (64 * 1024) /* bytes in one field */
#define ST_CSV_MAX_FIELDS 1024	      /* fields in one row */

typedef struct _StCsvReader StCsvReader;

StCsvReader *
st_csv_reader_new(GInputStream *stream, const gchar *name, const gchar *encoding, GError **error);
void
st_csv_reader_free(StCsvReader *self);
GStrv
st_csv_reader_next(StCsvReader *self, GError **error);
guint
st_csv_reader_get_line(StCsvReader *self);
guint64
st_csv_reader_get_bytes_read(StCsvReader *self);
gchar
st_csv_reader_get_delimiter(StCsvReader *self);

void
st_csv_append_row(GString *out, const gchar *const *fields);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StCsvReader, st_csv_reader_free)

G_END_DECLS
