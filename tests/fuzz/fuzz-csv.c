/* Fuzz target: the CSV reader over any bytes, UTF-8 or (first byte odd) Windows-1252. Every
 * row it returns is UTF-8 with at most ST_CSV_MAX_FIELDS fields, lines only go forward, and
 * a fault ends the file with an error naming it. */
#include "st-csv.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(GInputStream) in = NULL;
	g_autoptr(StCsvReader) r = NULL;
	guint last_line = 0;

	if (size < 1)
		return 0;
	in = g_memory_input_stream_new_from_data(data + 1, (gssize)(size - 1), NULL);
	r = st_csv_reader_new(in, "fuzz.csv", (data[0] & 1) ? "windows-1252" : NULL, NULL);
	g_assert(r != NULL);
	for (;;) {
		g_autoptr(GError) error = NULL;
		g_auto(GStrv) row = st_csv_reader_next(r, &error);
		if (row == NULL) {
			g_assert(error == NULL ||
				 g_str_has_prefix(error->message, "fuzz.csv: line "));
			break;
		}
		g_assert(g_strv_length(row) >= 1 && g_strv_length(row) <= ST_CSV_MAX_FIELDS);
		for (guint i = 0; row[i] != NULL; i++)
			g_assert(g_utf8_validate(row[i], -1, NULL));
		g_assert(st_csv_reader_get_line(r) > last_line);
		last_line = st_csv_reader_get_line(r);
	}
	return 0;
}
