/*
 * Tests of ZPL field data: an address with ^ and ~ (a ZPL injection) stays text, any script
 * passes as UTF-8, and every output reads back as its input when the printer undoes ^FH_.
 */
#include "station/st-error.h"

#include "st-zpl.h"

/* what the printer does with ^FH_: _XX is the byte 0xXX */
static gchar *
unescape(const gchar *field)
{
	GString *out = g_string_new(NULL);
	for (const gchar *p = field; *p != '\0'; p++) {
		if (*p == '_') {
			g_assert_true(g_ascii_isxdigit(p[1]) && g_ascii_isxdigit(p[2]));
			g_string_append_c(out, (gchar)(g_ascii_xdigit_value(p[1]) * 16 +
						       g_ascii_xdigit_value(p[2])));
			p += 2;
		} else {
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

static void
test_injection(void)
{
	g_autoptr(GError) error = NULL;
	/* ^XA starts a new label, ~JR resets the printer: both must stay text */
	g_autofree gchar *a = st_zpl_field_data("Hauptstraße 5 ^FS^XA~JR_x", -1, &error);
	g_autofree gchar *b = st_zpl_field_data("北京市朝阳区\nИван", -1, &error);
	g_autofree gchar *c = NULL;
	g_assert_no_error(error);
	g_assert_cmpstr(a, ==, "Hauptstraße 5 _5EFS_5EXA_7EJR_5Fx");
	g_assert_cmpstr(b, ==, "北京市朝阳区_0AИван");
	c = st_zpl_field_data("bad \xff byte", -1, &error);
	g_assert_null(c);
	g_assert_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "byte 4"));
}

static void
test_round_trip(void)
{
	GRand *rand = g_rand_new_with_seed(28);
	static const gchar *const pieces[] = {"a", "Z",	 "^", "~", "_",	  "\t", "\n",	"ß",
					      "€", "北", "Ж", " ", "_5E", ">",	"\x7f", "\x01"};
	for (guint n = 0; n < 2000; n++) {
		g_autoptr(GString) text = g_string_new(NULL);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *field = NULL;
		g_autofree gchar *back = NULL;
		guint k = (guint)g_rand_int_range(rand, 0, 30);
		for (guint i = 0; i < k; i++)
			g_string_append(text,
					pieces[g_rand_int_range(rand, 0, G_N_ELEMENTS(pieces))]);
		field = st_zpl_field_data(text->str, (gssize)text->len, &error);
		g_assert_no_error(error);
		g_assert_null(strchr(field, '^'));
		g_assert_null(strchr(field, '~'));
		back = unescape(field);
		g_assert_cmpstr(back, ==, text->str);
	}
	g_rand_free(rand);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/zpl/injection", test_injection);
	g_test_add_func("/zpl/round-trip", test_round_trip);
	return g_test_run();
}
