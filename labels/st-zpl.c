/*
 * ZPL II field data. A field is ^FH_^FD...^FS under ^CI28 (UTF-8): the printer reads "_XX" as
 * the byte 0xXX, and ends the field or starts a command at '^' or '~' (the default format and
 * control prefixes). So those two, the escape character '_' itself and the control characters
 * are written as _XX, and everything else is left as it is: UTF-8 sequences never contain a
 * byte below 0x80 after their first, so no part of a multi-byte character can be mistaken
 * for '^' or '~'.
 */
#include <string.h>

#include "station/st-error.h"

#include "st-zpl.h"

/**
 * st_zpl_field_data:
 * @text: UTF-8 text, such as an address line
 * @len: its length in bytes, or -1 if NUL-terminated
 *
 * Returns: (transfer full): the text as ^FD data for ^FH_ and ^CI28, or NULL with
 *   ST_ERROR_INVALID_DATA when @text is not UTF-8
 */
gchar *
st_zpl_field_data(const gchar *text, gssize len, GError **error)
{
	const gchar *end = NULL;
	gsize n = len < 0 ? strlen(text) : (gsize)len;
	GString *out;

	if (!g_utf8_validate_len(text, n, &end)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "label text is not UTF-8 (byte %zu); fix the data it came from",
			    (gsize)(end - text));
		return NULL;
	}
	out = g_string_sized_new(n + 8);
	for (gsize i = 0; i < n; i++) {
		guchar c = (guchar)text[i];
		if (c < 0x20 || c == 0x7f || c == '^' || c == '~' || c == '_')
			g_string_append_printf(out, "_%02X", c);
		else
			g_string_append_c(out, (gchar)c);
	}
	return g_string_free(out, FALSE);
}
