/*
 * Tests of the CSV reader: what spreadsheets write (quotes, line breaks in fields, CRLF, a
 * byte order mark, ';' in European locales, Windows-1252) and every fault, with its line.
 */
#include "station/st-error.h"

#include "st-csv.h"

static StCsvReader *
reader(const gchar *data, gsize len, const gchar *encoding)
{
	g_autoptr(GInputStream) in =
		g_memory_input_stream_new_from_data(g_memdup2(data, len), len, g_free);
	g_autoptr(GError) error = NULL;
	StCsvReader *r = st_csv_reader_new(in, "t.csv", encoding, &error);
	g_assert_no_error(error);
	return r;
}

/* all rows joined as "a|b|c" per row, rows separated by "/"; each row's line after '@' */
static gchar *
read_all(const gchar *data, gsize len, const gchar *encoding, GError **error)
{
	g_autoptr(StCsvReader) r = reader(data, len, encoding);
	g_autoptr(GString) out = g_string_new(NULL);
	for (;;) {
		g_auto(GStrv) row = st_csv_reader_next(r, error);
		g_autofree gchar *joined = NULL;
		if (row == NULL)
			break;
		joined = g_strjoinv("|", row);
		g_string_append_printf(out, "%s%s@%u", out->len > 0 ? "/" : "", joined,
				       st_csv_reader_get_line(r));
	}
	if (error != NULL && *error != NULL)
		return NULL;
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
expect(const gchar *data, const gchar *want)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *got = read_all(data, strlen(data), NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(got, ==, want);
}

static void
expect_error(const gchar *data, gsize len, const gchar *encoding, const gchar *part)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *got = read_all(data, len, encoding, &error);
	g_assert_null(got);
	g_assert_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA);
	if (strstr(error->message, part) == NULL)
		g_error("'%s' lacks '%s'", error->message, part);
}

static void
test_rows(void)
{
	expect("sku,name\nA1,Pen\n", "sku|name@1/A1|Pen@2");
	expect("sku,name\nA1,Pen", "sku|name@1/A1|Pen@2"); /* no final line break */
	expect("a,b\r\n1,2\r\n", "a|b@1/1|2@2");
	expect("a,b\r1,2\r", "a|b@1/1|2@2"); /* old Mac line ends */
	expect("a,,c\n,,\n", "a||c@1/||@2");
	expect("a\n\n\nb\n\n", "a@1/b@4"); /* blank lines are skipped, lines still counted */
	expect("\xEF\xBB\xBFsku,name\nA1,Pen\n", "sku|name@1/A1|Pen@2");
	expect("", "");
}

static void
test_quotes(void)
{
	expect("name,note\n\"Smith, John\",\"said \"\"hi\"\"\"\n",
	       "name|note@1/Smith, John|said \"hi\"@2");
	/* a line break inside a quoted field: the next row starts two lines on */
	expect("a,b\n\"line one\r\nline two\",x\nc,d\n", "a|b@1/line one\nline two|x@2/c|d@4");
	expect("a\n\"\"\n", "a@1/@2");
	/* a quote inside an unquoted field is kept: 12" pipe */
	expect("a,b\n12\" pipe,x\n", "a|b@1/12\" pipe|x@2");
}

static void
test_delimiters(void)
{
	g_autoptr(StCsvReader) r = NULL;
	expect("sku;name;note\nA1;Pen, blue;x\n", "sku|name|note@1/A1|Pen, blue|x@2");
	expect("sku\tname\nA1\tPen\n", "sku|name@1/A1|Pen@2");
	/* a ; inside the quoted header does not count */
	expect("\"a;b;c\",d\n1,2\n", "a;b;c|d@1/1|2@2");
	r = reader("a;b\n", 4, NULL);
	g_strfreev(st_csv_reader_next(r, NULL));
	g_assert_cmpint(st_csv_reader_get_delimiter(r), ==, ';');
}

static void
test_faults(void)
{
	static const gchar nul[] = "a,b\n1,\0\n";
	expect_error("a,b\n1,\"open\n2,3\n", strlen("a,b\n1,\"open\n2,3\n"), NULL,
		     "line 2, column 3: a quoted field never closes");
	expect_error("a,b\n\"x\"y,1\n", strlen("a,b\n\"x\"y,1\n"), NULL,
		     "line 2, column 4: 'y' after the closing quote");
	expect_error(nul, sizeof(nul) - 1, NULL,
		     "line 2, column 3: a NUL byte; this is not a text file (or give its character "
		     "set with --encoding utf-16)");
	/* with a character set given already, the advice is to check it, not to give one */
	expect_error(nul, sizeof(nul) - 1, "latin1",
		     "a NUL byte; this is not a text file in latin1 (check --encoding)");
	expect_error("a,b\nM\xFCller,1\n", strlen("a,b\nM\xFCller,1\n"), NULL,
		     "line 2, field 1 (column 1): not UTF-8");
	{
		g_autoptr(GString) wide = g_string_new("a\n");
		for (guint i = 0; i <= ST_CSV_MAX_FIELDS; i++)
			g_string_append(wide, "x,");
		g_string_append_c(wide, '\n');
		expect_error(wide->str, wide->len, NULL, "line 2: more than 1024 fields");
	}
	{
		g_autoptr(GString) long_field = g_string_new("a\n\"");
		for (guint i = 0; i <= ST_CSV_MAX_FIELD; i++)
			g_string_append_c(long_field, 'x');
		expect_error(long_field->str, long_field->len, NULL,
			     "line 2, column 1: a field longer than");
	}
}

static void
test_encoding(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *got =
		read_all("sku,name\nA1,M\xFCller \x80\n", 20, "windows-1252", &error);
	g_autoptr(GInputStream) in = g_memory_input_stream_new();
	g_assert_no_error(error);
	g_assert_cmpstr(got, ==, "sku|name@1/A1|Müller €@2");
	g_assert_null(st_csv_reader_new(in, "t.csv", "klingon-7", &error));
	g_assert_error(error, ST_SERVICE_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "unknown character set 'klingon-7'"));
}

/* a row is handed out as soon as it is complete: a file of any size streams through */
static void
test_streaming(void)
{
	g_autoptr(GString) big = g_string_new("sku,name,weight\n");
	g_autoptr(StCsvReader) r = NULL;
	guint rows = 0;
	for (guint i = 0; i < 50000; i++)
		g_string_append_printf(big, "SKU-%u,\"Item %u, \"\"boxed\"\"\",%u\r\n", i, i,
				       i % 997);
	r = reader(big->str, big->len, NULL);
	for (;;) {
		g_autoptr(GError) error = NULL;
		g_auto(GStrv) row = st_csv_reader_next(r, &error);
		g_assert_no_error(error);
		if (row == NULL)
			break;
		g_assert_cmpuint(g_strv_length(row), ==, 3);
		if (rows > 0) {
			g_autofree gchar *name = g_strdup_printf("Item %u, \"boxed\"", rows - 1);
			g_assert_cmpstr(row[1], ==, name);
			g_assert_cmpuint(st_csv_reader_get_line(r), ==, rows + 1);
		}
		rows++;
	}
	g_assert_cmpuint(rows, ==, 50001);
	g_assert_cmpuint(st_csv_reader_get_bytes_read(r), ==, big->len);
}

/* what the writer writes, the reader reads back exactly */
static void
test_write_read(void)
{
	const gchar *const rows[][5] = {
		{"sku", "name", "note", "empty", NULL},
		{"A,1", "say \"hi\"", "two\nlines", "", NULL},
		{" padded ", "semi;colon", "tab\there", "=1+2", NULL},
	};
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(StCsvReader) r = NULL;
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++)
		st_csv_append_row(out, rows[i]);
	r = reader(out->str, out->len, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GError) error = NULL;
		g_auto(GStrv) row = st_csv_reader_next(r, &error);
		g_assert_no_error(error);
		g_assert_nonnull(row);
		g_assert_cmpuint(g_strv_length(row), ==, 4);
		for (guint f = 0; f < 4; f++)
			g_assert_cmpstr(row[f], ==, rows[i][f]);
	}
	g_assert_cmpint(st_csv_reader_get_delimiter(r), ==, ',');
	g_assert_null(st_csv_reader_next(r, NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/csv/rows", test_rows);
	g_test_add_func("/csv/quotes", test_quotes);
	g_test_add_func("/csv/delimiters", test_delimiters);
	g_test_add_func("/csv/faults", test_faults);
	g_test_add_func("/csv/encoding", test_encoding);
	g_test_add_func("/csv/streaming", test_streaming);
	g_test_add_func("/csv/write-read", test_write_read);
	return g_test_run();
}
