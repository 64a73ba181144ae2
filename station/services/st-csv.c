/*
 * The CSV reader. One byte at a time from a 64 KiB buffer, with a state machine for quoted
 * fields; the line and column it keeps are those of the file as an editor shows it (a line
 * break inside a quoted field counts as a line).
 */
#include <string.h>

#include "station/st-error.h"

#include "st-i18n.h"

#include "st-csv.h"

#define ST_CSV_BUFFER (64 * 1024)

struct _StCsvReader {
	GInputStream *stream;
	gchar *name;
	guint8 *buf;
	gsize pos, len;
	gboolean eof;
	gint pushed;	 /* a byte given back by st_csv_unget, or -1 */
	gchar *encoding; /* (nullable): the character set given (--encoding), besides UTF-8 */
	guint line;	 /* of the next byte */
	guint col;	 /* of the next byte, 1-based */
	guint row_line;
	guint64 bytes;
	gchar delim;
	gboolean started;
};

void
st_csv_reader_free(StCsvReader *self)
{
	if (self == NULL)
		return;
	g_object_unref(self->stream);
	g_free(self->encoding);
	g_free(self->name);
	g_free(self->buf);
	g_free(self);
}

static gboolean
st_csv_fill(StCsvReader *self, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gssize n;

	if (self->eof)
		return TRUE;
	n = g_input_stream_read(self->stream, self->buf, ST_CSV_BUFFER, NULL, &error_local);
	if (n < 0) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA, _("%s: line %u: %s%s"),
			    self->name, self->line, error_local->message,
			    g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_INVALID_DATA)
				    ? _(" (is the --encoding right?)")
				    : "");
		return FALSE;
	}
	self->pos = 0;
	self->len = (gsize)n;
	self->eof = n == 0;
	return TRUE;
}

/* Returns: the next byte, -1 at the end, -2 on a read error */
static gint
st_csv_getc(StCsvReader *self, GError **error)
{
	gint c;
	if (self->pushed >= 0) {
		c = self->pushed;
		self->pushed = -1;
	} else {
		if (self->pos == self->len) {
			if (!st_csv_fill(self, error))
				return -2;
			if (self->eof)
				return -1;
		}
		c = self->buf[self->pos++];
		self->bytes++;
	}
	return c;
}

static void
st_csv_unget(StCsvReader *self, gint c)
{
	self->pushed = c;
}

/* the delimiter is the one of , ; and tab that the header line has most of, outside quotes */
static gboolean
st_csv_detect_delimiter(StCsvReader *self, GError **error)
{
	guint comma = 0, semicolon = 0, tab = 0;
	gboolean quoted = FALSE;

	if (!st_csv_fill(self, error))
		return FALSE;
	/* a UTF-8 byte order mark, as Excel writes "CSV UTF-8" */
	if (self->len >= 3 && memcmp(self->buf, "\xEF\xBB\xBF", 3) == 0) {
		self->pos = 3;
		self->bytes = 3;
	}
	for (gsize i = self->pos; i < self->len; i++) {
		guint8 c = self->buf[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted)
			comma += c == ',', semicolon += c == ';', tab += c == '\t';
	}
	self->delim = semicolon > comma && semicolon >= tab ? ';' : tab > comma ? '\t' : ',';
	return TRUE;
}

/**
 * st_csv_reader_new:
 * @stream: the file, read from its current position
 * @name: the file's name in messages
 * @encoding: (nullable): the file's character set ("windows-1252", "latin1", ...); NULL or
 *   "utf-8" for UTF-8, which is checked
 *
 * Returns: (transfer full): a reader, or NULL with an error for an unknown @encoding
 */
StCsvReader *
st_csv_reader_new(GInputStream *stream, const gchar *name, const gchar *encoding, GError **error)
{
	StCsvReader *self;

	if (encoding != NULL && g_ascii_strcasecmp(encoding, "utf-8") != 0 &&
	    g_ascii_strcasecmp(encoding, "utf8") != 0) {
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GCharsetConverter) conv =
			g_charset_converter_new("UTF-8", encoding, &error_local);
		if (conv == NULL) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    _("%s: unknown character set '%s' (try windows-1252, latin1, "
				      "utf-16)"),
				    name, encoding);
			return NULL;
		}
		g_charset_converter_set_use_fallback(conv, FALSE);
		stream = g_converter_input_stream_new(stream, G_CONVERTER(conv));
	} else {
		g_object_ref(stream);
	}
	self = g_new0(StCsvReader, 1);
	self->stream = stream;
	self->name = g_strdup(name);
	if (encoding != NULL && g_ascii_strcasecmp(encoding, "utf-8") != 0 &&
	    g_ascii_strcasecmp(encoding, "utf8") != 0)
		self->encoding = g_strdup(encoding);
	self->buf = g_malloc(ST_CSV_BUFFER);
	self->pushed = -1;
	self->line = 1;
	self->col = 1;
	return self;
}

static gboolean
st_csv_end_field(StCsvReader *self, GPtrArray *fields, GString *field, guint col, GError **error)
{
	const gchar *end = NULL;
	if (!g_utf8_validate_len(field->str, field->len, &end)) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    _("%s: line %u, field %u (column %u): not UTF-8 text; save the file as "
			      "\"CSV UTF-8\", or give its character set with --encoding "
			      "(windows-1252, latin1, ...)"),
			    self->name, self->row_line, fields->len + 1, col);
		return FALSE;
	}
	if (fields->len >= ST_CSV_MAX_FIELDS) {
		g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
			    _("%s: line %u: more than %u fields in a row"), self->name,
			    self->row_line, ST_CSV_MAX_FIELDS);
		return FALSE;
	}
	g_ptr_array_add(fields, g_strndup(field->str, field->len));
	g_string_truncate(field, 0);
	return TRUE;
}

/* counts a line end: \n, \r\n or a lone \r */
static gboolean
st_csv_line_end(StCsvReader *self, gint c, GError **error)
{
	if (c == '\r') {
		gint next = st_csv_getc(self, error);
		if (next == -2)
			return FALSE;
		if (next != '\n' && next != -1)
			st_csv_unget(self, next);
	}
	self->line++;
	self->col = 1;
	return TRUE;
}

/**
 * st_csv_reader_next:
 *
 * Returns: (transfer full) (nullable): the fields of the next row, or NULL at the end of the
 *   file (error unset) or on a fault (error set, naming the line and column). Blank lines are
 *   skipped.
 */
GStrv
st_csv_reader_next(StCsvReader *self, GError **error)
{
	g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) field = g_string_new(NULL);
	enum { FIELD_START, UNQUOTED, QUOTED, AFTER_QUOTE } state = FIELD_START;
	guint quote_line = 0, quote_col = 0, field_col = 1;
	gboolean any = FALSE;

	if (!self->started) {
		self->started = TRUE;
		if (!st_csv_detect_delimiter(self, error))
			return NULL;
	}
	self->row_line = self->line;
	for (;;) {
		guint col = self->col;
		gint c = st_csv_getc(self, error);
		if (c == -2)
			return NULL;
		if (c >= 0)
			self->col++;
		if (c == 0) {
			/* the advice depends on what was said already */
			if (self->encoding != NULL)
				g_set_error(
					error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
					_("%s: line %u, column %u: a NUL byte; this is not a text "
					  "file in %s (check --encoding)"),
					self->name, self->line, col, self->encoding);
			else
				g_set_error(
					error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
					_("%s: line %u, column %u: a NUL byte; this is not a text "
					  "file (or give its character set with --encoding "
					  "utf-16)"),
					self->name, self->line, col);
			return NULL;
		}
		if (field->len >= ST_CSV_MAX_FIELD) {
			g_set_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
				    _("%s: line %u, column %u: a field longer than %u bytes (a "
				      "quote that never closes?)"),
				    self->name, self->row_line, field_col, ST_CSV_MAX_FIELD);
			return NULL;
		}
		switch (state) {
		case FIELD_START:
			field_col = col;
			if (c == -1) {
				if (!any)
					return NULL; /* the end, or only blank lines */
				if (!st_csv_end_field(self, fields, field, field_col, error))
					return NULL;
				goto row_done;
			}
			if (c == '\n' || c == '\r') {
				if (!st_csv_line_end(self, c, error))
					return NULL;
				if (!any) { /* a blank line */
					self->row_line = self->line;
					continue;
				}
				if (!st_csv_end_field(self, fields, field, field_col, error))
					return NULL;
				goto row_done;
			}
			any = TRUE;
			if (c == '"') {
				quote_line = self->line;
				quote_col = col;
				state = QUOTED;
			} else if (c == self->delim) {
				if (!st_csv_end_field(self, fields, field, field_col, error))
					return NULL;
			} else {
				g_string_append_c(field, (gchar)c);
				state = UNQUOTED;
			}
			break;
		case UNQUOTED:
			if (c == self->delim) {
				if (!st_csv_end_field(self, fields, field, field_col, error))
					return NULL;
				state = FIELD_START;
			} else if (c == -1 || c == '\n' || c == '\r') {
				if (c != -1 && !st_csv_line_end(self, c, error))
					return NULL;
				if (!st_csv_end_field(self, fields, field, field_col, error))
					return NULL;
				goto row_done;
			} else {
				/* a quote inside an unquoted field (12" pipe) is kept as it is */
				g_string_append_c(field, (gchar)c);
			}
			break;
		case QUOTED:
			if (c == -1) {
				g_set_error(
					error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
					_("%s: line %u, column %u: a quoted field never closes; "
					  "a quote inside a field is written twice (\"\")"),
					self->name, quote_line, quote_col);
				return NULL;
			}
			if (c == '"') {
				gint next = st_csv_getc(self, error);
				if (next == -2)
					return NULL;
				if (next == '"') {
					self->col++;
					g_string_append_c(field, '"');
				} else {
					if (next >= 0)
						st_csv_unget(self, next);
					state = AFTER_QUOTE;
				}
			} else if (c == '\n' || c == '\r') {
				if (!st_csv_line_end(self, c, error))
					return NULL;
				g_string_append_c(field, '\n');
			} else {
				g_string_append_c(field, (gchar)c);
			}
			break;
		case AFTER_QUOTE:
		default:
			if (c == self->delim) {
				if (!st_csv_end_field(self, fields, field, field_col, error))
					return NULL;
				state = FIELD_START;
			} else if (c == -1 || c == '\n' || c == '\r') {
				if (c != -1 && !st_csv_line_end(self, c, error))
					return NULL;
				if (!st_csv_end_field(self, fields, field, field_col, error))
					return NULL;
				goto row_done;
			} else {
				g_set_error(
					error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA,
					_("%s: line %u, column %u: '%c' after the closing quote of "
					  "a field; a quote inside a field is written twice "
					  "(\"\")"),
					self->name, self->line, col,
					g_ascii_isprint((gchar)c) ? (gchar)c : '?');
				return NULL;
			}
			break;
		}
	}
row_done:
	g_ptr_array_add(fields, NULL);
	return (GStrv)g_ptr_array_free(g_steal_pointer(&fields), FALSE);
}

/* Returns: the line the last row returned starts on */
guint
st_csv_reader_get_line(StCsvReader *self)
{
	return self->row_line;
}

/* Returns: bytes read from the file (after any character set conversion) */
guint64
st_csv_reader_get_bytes_read(StCsvReader *self)
{
	return self->bytes;
}

/* Returns: the delimiter found from the header line, or 0 before the first row */
gchar
st_csv_reader_get_delimiter(StCsvReader *self)
{
	return self->delim;
}

/**
 * st_csv_append_row:
 * @fields: (array zero-terminated=1): the fields of one row
 *
 * Appends one row to @out as RFC 4180 says, with ',' and CRLF: a field with a comma, a quote, a
 * line break or surrounding spaces is quoted, its quotes doubled. The reader reads it back
 * exactly.
 */
void
st_csv_append_row(GString *out, const gchar *const *fields)
{
	for (guint i = 0; fields[i] != NULL; i++) {
		const gchar *f = fields[i];
		gsize len = strlen(f);
		gboolean quote = strpbrk(f, ",\";\t\r\n") != NULL ||
				 (len > 0 && (f[0] == ' ' || f[len - 1] == ' '));
		if (i > 0)
			g_string_append_c(out, ',');
		if (!quote) {
			g_string_append_len(out, f, (gssize)len);
			continue;
		}
		g_string_append_c(out, '"');
		for (const gchar *p = f; *p != '\0'; p++) {
			if (*p == '"')
				g_string_append_c(out, '"');
			g_string_append_c(out, *p);
		}
		g_string_append_c(out, '"');
	}
	g_string_append(out, "\r\n");
}
