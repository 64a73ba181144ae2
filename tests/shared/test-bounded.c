/*
 * The bounded readers of include/station/st-bounded.h that the change added a line reader to:
 * lines split at their newline wherever the stream's reads end, the last one without a
 * newline, an empty line, a line exactly at the limit and one byte past it, and the rest of a
 * refused line skipped.
 */
#include "station/st-bounded.h"

/* a stream that gives @text @step bytes a read, so lines cross the reads' ends */
static GBufferedInputStream *
stream(const gchar *text, gsize step)
{
	g_autoptr(GInputStream) mem = g_memory_input_stream_new();
	for (gsize i = 0; i < strlen(text); i += step)
		g_memory_input_stream_add_data(G_MEMORY_INPUT_STREAM(mem),
					       g_strndup(text + i, MIN(step, strlen(text) - i)), -1,
					       g_free);
	return G_BUFFERED_INPUT_STREAM(g_buffered_input_stream_new_sized(mem, 4));
}

static void
test_lines(void)
{
	for (gsize step = 1; step <= 7; step++) {
		g_autoptr(GBufferedInputStream) in = stream("one\n\nthree lines\nlast", step);
		g_autoptr(GError) error = NULL;
		const gchar *expect[] = {"one", "", "three lines", "last"};
		for (guint i = 0; i < G_N_ELEMENTS(expect); i++) {
			g_autofree gchar *line = st_bounded_read_line(in, 11, &error);
			g_assert_no_error(error);
			g_assert_cmpstr(line, ==, expect[i]);
		}
		g_assert_null(st_bounded_read_line(in, 11, &error));
		g_assert_no_error(error);
	}
}

static void
test_too_long(void)
{
	g_autoptr(GBufferedInputStream) in = stream("0123456789\n01234567890\n", 3);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *first = st_bounded_read_line(in, 10, &error);

	/* exactly the limit: taken; one byte more: refused */
	g_assert_no_error(error);
	g_assert_cmpstr(first, ==, "0123456789");
	g_assert_null(st_bounded_read_line(in, 10, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
}

/* a refused line dropped to its end, wherever the reads end: the next read is the next line,
 * and a refused last line without a newline leaves the end of the stream */
static void
test_skip(void)
{
	for (gsize step = 1; step <= 7; step++) {
		g_autoptr(GBufferedInputStream) in =
			stream("short\nmuch too long a line\nnext\nanother too long one", step);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *first = st_bounded_read_line(in, 8, &error);
		g_autofree gchar *next = NULL;

		g_assert_cmpstr(first, ==, "short");
		g_assert_null(st_bounded_read_line(in, 8, &error));
		g_assert_error(error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
		g_clear_error(&error);
		g_assert_true(st_bounded_skip_line(in, &error));
		next = st_bounded_read_line(in, 8, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(next, ==, "next");
		g_assert_null(st_bounded_read_line(in, 8, &error));
		g_clear_error(&error);
		g_assert_true(st_bounded_skip_line(in, &error));
		g_assert_null(st_bounded_read_line(in, 8, &error));
		g_assert_no_error(error);
	}
}

static void
test_empty(void)
{
	g_autoptr(GBufferedInputStream) in = stream("", 1);
	g_autoptr(GError) error = NULL;
	g_assert_null(st_bounded_read_line(in, 10, &error));
	g_assert_no_error(error);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/bounded/read-line/lines", test_lines);
	g_test_add_func("/bounded/read-line/too-long", test_too_long);
	g_test_add_func("/bounded/read-line/empty", test_empty);
	g_test_add_func("/bounded/read-line/skip", test_skip);
	return g_test_run();
}
