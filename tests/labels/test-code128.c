/*
 * Tests of the Code 128 encoder: symbols worked out by hand from ISO/IEC 15417's tables
 * (values, start and change characters, the check character's formula), a decoder written
 * here from the same tables that must read every encoding back (random data, every set), and
 * the ZPL spelling of the choice, escapes included.
 */
#include "station/st-error.h"

#include "st-code128.h"

static GArray *
encode(const gchar *data, gboolean gs1)
{
	g_autoptr(GError) error = NULL;
	GArray *codes = st_code128_encode((const guint8 *)data, strlen(data), gs1, &error);
	g_assert_no_error(error);
	return codes;
}

static void
assert_codes(GArray *codes, const guint8 *want, gsize n)
{
	g_autoptr(GString) got = g_string_new(NULL);
	for (guint i = 0; i < codes->len; i++)
		g_string_append_printf(got, "%u ", g_array_index(codes, guint8, i));
	g_test_message("codes: %s", got->str);
	g_assert_cmpuint(codes->len, ==, n);
	for (gsize i = 0; i < n; i++)
		g_assert_cmpuint(g_array_index(codes, guint8, i), ==, want[i]);
}

/* reads symbol characters back to data (GS for FNC1 after the first), checking the check
 * character; written from the tables, not from the encoder */
static gchar *
decode(GArray *codes, gboolean *first_fnc1)
{
	GString *out = g_string_new(NULL);
	guint8 *v = (guint8 *)codes->data;
	guint n = codes->len;
	gint set = v[0] - 103; /* 0 A, 1 B, 2 C */
	guint32 sum = v[0];

	g_assert_cmpuint(n, >=, 3);
	g_assert_cmpuint(v[0], >=, 103);
	g_assert_cmpuint(v[0], <=, 105);
	g_assert_cmpuint(v[n - 1], ==, 106);
	for (guint i = 1; i < n - 2; i++)
		sum += i * v[i];
	g_assert_cmpuint(sum % 103, ==, v[n - 2]);
	*first_fnc1 = n > 3 && v[1] == 102;
	for (guint i = *first_fnc1 ? 2 : 1; i < n - 2; i++) {
		guint c = v[i];
		if (c == 102) {
			g_string_append_c(out, 0x1d);
		} else if (set == 2 && c < 100) {
			g_string_append_printf(out, "%02u", c);
		} else if (c == 99 || c == 100 || c == 101) {
			/* CODE C in A and B; CODE B in A and C; CODE A in B and C (the other
			 * values are FNC4, which the encoder does not use) */
			g_assert_false((set == 0 && c == 101) || (set == 1 && c == 100));
			set = c == 99 ? 2 : c == 100 ? 1 : 0;
		} else if (c == 98) {
			guint next = v[++i];
			g_assert_cmpint(set, !=, 2);
			if (set == 0) /* shift to B */
				g_string_append_c(out, (gchar)(next + 32));
			else
				g_string_append_c(out, (gchar)(next < 64 ? next + 32 : next - 64));
		} else if (set == 0) {
			g_string_append_c(out, (gchar)(c < 64 ? c + 32 : c - 64));
		} else {
			g_string_append_c(out, (gchar)(c + 32));
		}
	}
	return g_string_free(out, FALSE);
}

static void
test_by_hand(void)
{
	/* B throughout: 3 digits do not pay for two changes of set */
	static const guint8 pjj[] = {104, 48, 42, 42, 17, 18, 19, 35, 55, 106};
	/* GS1-128 (01)09501101530003(10)AB-123: C with FNC1, nine pairs, then B */
	static const guint8 gs1[] = {105, 102, 1,  9,  50, 11, 1,  53, 0,  3,
				     10,  100, 33, 34, 13, 17, 18, 19, 67, 106};
	/* a control character: A, where B would need a SHIFT */
	static const guint8 tab[] = {103, 33, 73, 34, 75, 106};
	/* digits only, even: all C */
	static const guint8 digits[] = {105, 12, 34, 56, 78, 47, 106};
	g_autoptr(GArray) a = encode("PJJ123C", FALSE);
	g_autoptr(GArray) b = encode("0109501101530003"
				     "10AB-123",
				     TRUE);
	g_autoptr(GArray) c = encode("A\tB", FALSE);
	g_autoptr(GArray) d = encode("12345678", FALSE);

	assert_codes(a, pjj, G_N_ELEMENTS(pjj));
	assert_codes(b, gs1, G_N_ELEMENTS(gs1));
	assert_codes(c, tab, G_N_ELEMENTS(tab));
	assert_codes(d, digits, G_N_ELEMENTS(digits));
}

/* lengths the best choice gives, counted by hand: start + data + check + stop */
static void
test_shortest(void)
{
	static const struct {
		const gchar *data;
		gboolean gs1;
		guint len;
	} cases[] = {
		{"1234", FALSE, 5},	 /* C 12 34 */
		{"123", FALSE, 6},	 /* B 1 2 3, or C 12 CODE-B 3: the same */
		{"12345", FALSE, 7},	 /* C 12 34 CODE-B 5 (B throughout: 8) */
		{"AB1234CD", FALSE, 11}, /* B throughout, or with C for 1234: the same */
		{"ab\tc", FALSE, 8},	 /* B a b SHIFT tab c */
		{"\t\ta", FALSE, 7},	 /* A tab tab SHIFT a */
		{"0012345678", TRUE, 9}, /* C FNC1 00 12 34 56 78 */
		{"10ABC\x1d"
		 "21X",
		 TRUE, 13}, /* C FNC1 10 CODE-B A B C FNC1 2 1 X */
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GArray) codes = encode(cases[i].data, cases[i].gs1);
		g_test_message("%s: %u", cases[i].data, codes->len);
		g_assert_cmpuint(codes->len, ==, cases[i].len);
	}
}

/* random data of every kind encodes and decodes back exactly */
static void
test_round_trip(void)
{
	GRand *rand = g_rand_new_with_seed(128);
	static const gchar alphabet[] =
		"0123456789012345678901234567890123456789ABCabc-./ \t\r>^~_";
	for (guint n = 0; n < 5000; n++) {
		gsize len = (gsize)g_rand_int_range(rand, 1, 24);
		gboolean gs1 = g_rand_boolean(rand);
		g_autofree gchar *data = g_new0(gchar, len + 1);
		g_autofree gchar *back = NULL;
		g_autoptr(GArray) codes = NULL;
		gboolean first_fnc1;
		for (gsize i = 0; i < len; i++)
			data[i] = alphabet[g_rand_int_range(rand, 0, sizeof(alphabet) - 1)];
		if (gs1 && len > 3)
			data[g_rand_int_range(rand, 1, (gint32)len)] = 0x1d;
		codes = encode(data, gs1);
		back = decode(codes, &first_fnc1);
		g_assert_cmpint(first_fnc1, ==, gs1);
		g_assert_cmpstr(back, ==, data); /* GS1-128: each GS came back from its FNC1 */
	}
	g_rand_free(rand);
}

/* reads ^BC mode N field data the way the ZPL II manual describes it: invocation codes,
 * two-digit values in set A, digit pairs in C, characters in B; written from the manual's
 * table, not from the encoder. Returns the data (GS for FNC1 after the first). */
static gchar *
read_zpl(const gchar *f, gboolean *first_fnc1)
{
	GString *out = g_string_new(NULL);
	gint set;
	gboolean first = TRUE;

	g_assert_true(f[0] == '>' && (f[1] == '9' || f[1] == ':' || f[1] == ';'));
	set = f[1] == '9' ? 0 : f[1] == ':' ? 1 : 2;
	*first_fnc1 = FALSE;
	for (f += 2; *f != '\0'; first = FALSE) {
		if (f[0] == '>') {
			g_assert_nonnull(strchr("0<=1678", f[1]));
			switch (f[1]) {
			case '0':
				g_assert_cmpint(set, ==, 1);
				g_string_append_c(out, '>');
				break;
			case '<':
				g_assert_cmpint(set, ==, 1);
				g_string_append_c(out, '^');
				break;
			case '=':
				g_assert_cmpint(set, ==, 1);
				g_string_append_c(out, '~');
				break;
			case '1':
				g_assert_cmpint(set, ==, 1);
				g_string_append_c(out, 127);
				break;
			case '6':
				g_assert_cmpint(set, !=, 1); /* in B it would be FNC4 */
				set = 1;
				break;
			case '7':
				g_assert_cmpint(set, !=, 0);
				set = 0;
				break;
			case '8':
				if (first)
					*first_fnc1 = TRUE;
				else
					g_string_append_c(out, 0x1d);
				break;
			default:
				g_assert_not_reached();
			}
			f += 2;
			continue;
		}
		if (set == 1) {
			g_assert_cmpint(*f, !=, '^');
			g_assert_cmpint(*f, !=, '~');
			g_string_append_c(out, *f++);
			continue;
		}
		g_assert_true(g_ascii_isdigit(f[0]) && g_ascii_isdigit(f[1]));
		if (set == 2) {
			g_string_append_len(out, f, 2);
		} else {
			guint v = (f[0] - '0') * 10 + (f[1] - '0');
			g_assert_cmpuint(v, <, 96);
			g_string_append_c(out, (gchar)(v < 64 ? v + 32 : v - 64));
		}
		f += 2;
	}
	return g_string_free(out, FALSE);
}

static void
test_zpl_round_trip(void)
{
	GRand *rand = g_rand_new_with_seed(128);
	for (guint round = 0; round < 5000; round++) {
		gchar data[24];
		guint len = g_rand_int_range(rand, 1, sizeof(data) - 1);
		gboolean gs1 = g_rand_boolean(rand), first = FALSE;
		g_autoptr(GError) error = NULL;
		g_autofree gchar *zpl = NULL, *back = NULL;

		for (guint i = 0; i < len; i++) {
			guint kind = g_rand_int_range(rand, 0, 10);
			data[i] = kind < 5   ? (gchar)g_rand_int_range(rand, '0', '9' + 1)
				  : kind < 9 ? (gchar)g_rand_int_range(rand, 32, 128)
					     : (gchar)g_rand_int_range(rand, 0, 32);
		}
		data[len] = '\0';
		zpl = st_code128_to_zpl((const guint8 *)data, len, gs1, NULL, &error);
		g_assert_no_error(error);
		back = read_zpl(zpl, &first);
		g_assert_cmpint(first, ==, gs1);
		g_assert_cmpstr(back, ==, data);
		/* what zebrash cannot read is not used (see st-code128.c) */
		g_assert_null(strstr(zpl, ">4"));
		g_assert_null(strstr(zpl, ">5"));
	}
	g_rand_free(rand);
}

static void
test_zpl(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *gs1 = st_code128_to_zpl((const guint8 *)"0109501101530003"
								  "10AB-123",
						  24, TRUE, NULL, &error);
	g_autofree gchar *esc =
		st_code128_to_zpl((const guint8 *)"A^B~C_D>E", 9, FALSE, NULL, &error);
	g_autofree gchar *shift =
		st_code128_to_zpl((const guint8 *)"ab\tc", 4, FALSE, NULL, &error);
	g_autofree gchar *bad = NULL;

	g_assert_no_error(error);
	g_assert_cmpstr(gs1, ==, ">;>8010950110153000310>6AB-123");
	/* ^ ~ and > as the invocation codes >< >= >0, so nothing in the data can be read as a
	 * command; '_' is plain, since the field is not under ^FH */
	g_assert_cmpstr(esc, ==, ">:A><B>=C_D>0E");
	/* a control character goes through set A, written as its two-digit value (TAB is 73) */
	g_assert_cmpstr(shift, ==, ">:ab>773>6c");
	bad = st_code128_to_zpl((const guint8 *)"caf\xc3\xa9", 5, FALSE, NULL, &error);
	g_assert_null(bad);
	g_assert_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "byte 0xC3 at position 3"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/code128/by-hand", test_by_hand);
	g_test_add_func("/code128/shortest", test_shortest);
	g_test_add_func("/code128/round-trip", test_round_trip);
	g_test_add_func("/code128/zpl", test_zpl);
	g_test_add_func("/code128/zpl-round-trip", test_zpl_round_trip);
	return g_test_run();
}
