/*
 * Fuzz target: a file handed to `station print` (a carrier's label from the central system):
 * st_label_sniff_format either names it ZPL or PDF, for the reason it says, or refuses it
 * with a message; it never reads past the bytes it was given. A ZPL file's resolution (its
 * ^PW against a printer's dpi) is read the same way: accepted, or refused with a message.
 */
#include <string.h>

#include "station/st-error.h"

#include "st-printing.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	/* a copy of exactly @size bytes, so ASan sees any read past the end */
	g_autofree guint8 *copy = g_memdup2(data, size);
	g_autoptr(GBytes) bytes = g_bytes_new_static(copy, size);
	g_autoptr(GError) error = NULL;
	const gchar *format = NULL;

	if (st_label_sniff_format(bytes, &format, &error)) {
		g_assert_no_error(error);
		if (g_strcmp0(format, "pdf") == 0) {
			g_assert_true(size >= 5 && memcmp(data, "%PDF-", 5) == 0);
		} else {
			gboolean start = FALSE;
			g_assert_cmpstr(format, ==, "zpl");
			for (gsize i = 0; i + 3 <= MIN(size, 4096) && !start; i++)
				start = data[i] == '^' && g_ascii_toupper(data[i + 1]) == 'X' &&
					g_ascii_toupper(data[i + 2]) == 'A';
			g_assert_true(start);
			for (guint r = 0; r < 3; r++) {
				static const guint dpis[] = {203, 300, 600};
				StPrinterConfig cfg = {.name = (gchar *)"label", .dpi = dpis[r]};
				g_autoptr(GError) error_dpi = NULL;
				if (!st_printing_check_zpl_dpi(bytes, &cfg, &error_dpi))
					g_assert_error(error_dpi, ST_SERVICE_ERROR,
						       ST_ERROR_INVALID_DATA);
			}
		}
	} else {
		g_assert_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA);
		g_assert_null(format);
	}
	return 0;
}
