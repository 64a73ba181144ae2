/*
 * Outside bytes read within bounds, whatever they come from. A file's size from stat() says
 * nothing of a pipe, a FIFO or /dev/zero, so every outside file and stream is read through
 * st_bounded_read_file() or st_bounded_read_stream(), which stop at the limit and refuse what
 * goes past it; and every JSON document is measured by st_bounded_json_check() before a
 * parser (json-glib recurses, and a document nested deep enough overflows the stack) sees
 * it. Header only, so that every room may use it: the errors are GIO's
 * (G_IO_ERROR_MESSAGE_TOO_LARGE, G_IO_ERROR_INVALID_DATA), which the caller prefixes with
 * what it was reading.
 */
#pragma once

#include <gio/gio.h>
#include <string.h>

G_BEGIN_DECLS

/* how deep a JSON document may nest objects and arrays: far past any shipment data, template
 * or API request, and far below what a parser's recursion can take */
#define ST_BOUNDED_JSON_DEPTH 64

/**
 * st_bounded_read_stream:
 * @max: the most bytes taken; one more is an error
 * @contents: (out): the bytes, with a NUL after them
 * @len: (out) (optional): how many
 *
 * Returns: FALSE with G_IO_ERROR_MESSAGE_TOO_LARGE past @max, or the stream's error
 */
static inline gboolean
st_bounded_read_stream(GInputStream *in, gsize max, gchar **contents, gsize *len, GError **error)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	guint8 chunk[65536];

	for (;;) {
		gssize n = g_input_stream_read(in, chunk, sizeof(chunk), NULL, error);
		if (n < 0)
			return FALSE;
		if (n == 0)
			break;
		if (buf->len + (gsize)n > max) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
				    "more than %" G_GSIZE_FORMAT " bytes (%" G_GSIZE_FORMAT
				    " KiB), the most it takes",
				    max, max / 1024);
			return FALSE;
		}
		g_byte_array_append(buf, chunk, (guint)n);
	}
	if (len != NULL)
		*len = buf->len;
	g_byte_array_append(buf, (const guint8 *)"", 1);
	*contents = (gchar *)g_byte_array_free(g_steal_pointer(&buf), FALSE);
	return TRUE;
}

/**
 * st_bounded_read_line:
 * @in: a buffered stream (a GDataInputStream is one)
 * @max: the most bytes a line may have, its newline left out
 *
 * Reads one line, without its newline, never holding more than @max bytes of it.
 *
 * Returns: (transfer full) (nullable): the line; NULL at the end of the stream (no error),
 *   or with G_IO_ERROR_MESSAGE_TOO_LARGE past @max, or the stream's error
 */
static inline gchar *
st_bounded_read_line(GBufferedInputStream *in, gsize max, GError **error)
{
	g_autoptr(GString) line = g_string_new(NULL);
	gboolean any = FALSE;

	for (;;) {
		gsize avail = 0, take;
		const gchar *buf = (const gchar *)g_buffered_input_stream_peek_buffer(in, &avail);
		const gchar *nl;
		if (avail == 0) {
			gssize n = g_buffered_input_stream_fill(in, -1, NULL, error);
			if (n < 0)
				return NULL;
			if (n == 0) /* the end: the last line may have no newline */
				return any ? g_string_free(g_steal_pointer(&line), FALSE) : NULL;
			continue;
		}
		any = TRUE;
		nl = memchr(buf, '\n', avail);
		take = nl != NULL ? (gsize)(nl - buf) : avail;
		if (line->len + take > max) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
				    "a line of more than %" G_GSIZE_FORMAT
				    " bytes, the most it takes",
				    max);
			return NULL;
		}
		g_string_append_len(line, buf, (gssize)take);
		if (!g_input_stream_skip(G_INPUT_STREAM(in), take + (nl != NULL ? 1 : 0), NULL,
					 error))
			return NULL;
		if (nl != NULL)
			return g_string_free(g_steal_pointer(&line), FALSE);
	}
}

/**
 * st_bounded_skip_line:
 * @in: the stream st_bounded_read_line() refused a line of
 *
 * Drops the rest of the current line, its newline included, holding no more of it than the
 * stream's buffer: after a line too long to read, the next read starts at the next line.
 *
 * Returns: FALSE with the stream's error; TRUE at the next line or the end of the stream
 */
static inline gboolean
st_bounded_skip_line(GBufferedInputStream *in, GError **error)
{
	for (;;) {
		gsize avail = 0;
		const gchar *buf = (const gchar *)g_buffered_input_stream_peek_buffer(in, &avail);
		const gchar *nl;
		if (avail == 0) {
			gssize n = g_buffered_input_stream_fill(in, -1, NULL, error);
			if (n <= 0)
				return n == 0;
			continue;
		}
		nl = memchr(buf, '\n', avail);
		if (!g_input_stream_skip(G_INPUT_STREAM(in),
					 nl != NULL ? (gsize)(nl - buf) + 1 : avail, NULL, error))
			return FALSE;
		if (nl != NULL)
			return TRUE;
	}
}

/**
 * st_bounded_read_file:
 * @path: a file, or any path that can be read: a pipe, a FIFO, a device
 *
 * Reads @path whole, at most @max bytes, without trusting its size.
 *
 * Returns: FALSE with G_IO_ERROR_MESSAGE_TOO_LARGE past @max, or GIO's error
 */
static inline gboolean
st_bounded_read_file(const gchar *path, gsize max, gchar **contents, gsize *len, GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileInputStream) in = g_file_read(file, NULL, error);
	if (in == NULL)
		return FALSE;
	return st_bounded_read_stream(G_INPUT_STREAM(in), max, contents, len, error);
}

/**
 * st_bounded_json_check:
 * @max_depth: how deep objects and arrays may nest (ST_BOUNDED_JSON_DEPTH)
 *
 * Measures a JSON document's nesting without parsing it: brackets outside strings, strings
 * skipped with their escapes.
 *
 * Returns: FALSE with G_IO_ERROR_INVALID_DATA when it nests deeper than @max_depth
 */
static inline gboolean
st_bounded_json_check(const gchar *data, gsize len, guint max_depth, GError **error)
{
	guint depth = 0;
	gboolean in_string = FALSE;

	for (gsize i = 0; i < len; i++) {
		gchar c = data[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = FALSE;
			continue;
		}
		if (c == '"') {
			in_string = TRUE;
		} else if (c == '[' || c == '{') {
			if (++depth > max_depth) {
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
					    "nested deeper than %u levels at byte %" G_GSIZE_FORMAT
					    ", the most it takes",
					    max_depth, i);
				return FALSE;
			}
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return TRUE;
}

G_END_DECLS
