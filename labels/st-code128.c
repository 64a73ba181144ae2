/*
 * Code 128 (ISO/IEC 15417). Code set A holds ASCII 0-95 (control characters, capitals,
 * digits, punctuation), B holds ASCII 32-127, C holds digit pairs 00-99; FNC1 exists in all
 * three. A symbol starts in one set and changes with CODE A/B/C (for good) or SHIFT (A <-> B,
 * one character). The shortest symbol is found by dynamic programming over (position, set):
 * the cost of the rest of the data from each position in each set, each step encoding in
 * place, with a SHIFT, or after a change of set.
 *
 * Symbol character values: in A, a control character c is c + 64 and a printable one c - 32;
 * in B, c - 32; in C, the pair's value; SHIFT 98, CODE C 99, CODE B 100, CODE A 101,
 * FNC1 102, START A/B/C 103/104/105, STOP 106. The check character is the start's value plus
 * each following value times its position, mod 103.
 *
 * ZPL II's ^BC mode N takes the choice spelled out in its field data. The invocation codes
 * (ZPL II manual, ^BC): >9 >: >; start A, B, C; >5 CODE C; >6 CODE B; >7 CODE A; >4 SHIFT;
 * >8 FNC1; >0 '>' (value 30), >< '^' (62), >= '~' (94), >1 DEL (95). In set A the field data
 * gives each character as its two-digit value ("33" is 'A'), in C as its digit pair, in B as
 * itself. So the field needs no ^FH: '^', '~' and '>' are invocation codes, and control
 * characters are set A values.
 *
 * The ZPL choice is the shortest without SHIFT and without changing to C after the start:
 * zebrash (the renderer behind zpl-renderer-js, which the tests and many previews use) does
 * not implement >4 and reads >5 as a CODE B, so a symbol using them would preview wrong. It
 * costs a few characters on data such as "1Z999AA10123456784" (B then C); PDF and PNG keep
 * the shortest symbol.
 */
#include <string.h>

#include "station/st-error.h"

#include "st-code128.h"

enum { SET_A, SET_B, SET_C, N_SETS };

typedef enum {
	STEP_HERE,  /* encode in the current set */
	STEP_SHIFT, /* SHIFT, then the character in the other of A and B */
} StStep;

#define TOKEN_FNC1 (-1)
#define INF	   G_MAXUINT

typedef struct {
	guint cost;
	gint next_set; /* the set to change to before this step, or -1 */
	StStep step;
} StCell;

static gboolean
in_a(gint t)
{
	return t == TOKEN_FNC1 || (t >= 0 && t <= 95);
}

static gboolean
in_b(gint t)
{
	return t == TOKEN_FNC1 || (t >= 32 && t <= 127);
}

/* the cost of encoding from @i in @set without changing set first */
#define CELL(i, s) cells[(i)*N_SETS + (s)]

static guint
st_code128_here(const gint *tok,
		gsize n,
		const StCell *cells,
		gsize i,
		gint set,
		gboolean zpl,
		StStep *step)
{
	gint t = tok[i];
	/* in ZPL costs count double, so that half a character can break ties (see below) */
	guint unit = zpl ? 2 : 1;
	*step = STEP_HERE;
	switch (set) {
	case SET_C:
		if (t == TOKEN_FNC1)
			return CELL(i + 1, SET_C).cost == INF ? INF
							      : unit + CELL(i + 1, SET_C).cost;
		if (i + 1 < n && t >= '0' && t <= '9' && tok[i + 1] >= '0' && tok[i + 1] <= '9')
			return CELL(i + 2, SET_C).cost == INF ? INF
							      : unit + CELL(i + 2, SET_C).cost;
		return INF;
	case SET_A:
		if (in_a(t))
			return unit + CELL(i + 1, SET_A).cost;
		if (zpl || CELL(i + 1, SET_A).cost == INF)
			return INF;
		*step = STEP_SHIFT;
		return 2 + CELL(i + 1, SET_A).cost;
	case SET_B:
	default:
		if (in_b(t))
			return unit + CELL(i + 1, SET_B).cost;
		if (zpl || CELL(i + 1, SET_B).cost == INF)
			return INF;
		*step = STEP_SHIFT;
		return 2 + CELL(i + 1, SET_B).cost;
	}
}

/* the data as tokens (bytes, and FNC1), with the GS1-128 FNC1 in first position */
static gint *
st_code128_tokens(const guint8 *data, gsize len, gboolean gs1, gsize *n, GError **error)
{
	g_autofree gint *tok = g_new(gint, len + 1);
	gsize k = 0;

	if (gs1)
		tok[k++] = TOKEN_FNC1;
	for (gsize i = 0; i < len; i++) {
		if (data[i] > 127) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "Code 128 carries ASCII only: byte 0x%02X at position %zu; put "
				    "other text in a 2D code or as text",
				    data[i], i);
			return NULL;
		}
		tok[k++] = gs1 && data[i] == 0x1d ? TOKEN_FNC1 : data[i];
	}
	if (k == 0 || (gs1 && k == 1)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "no data to encode in Code 128");
		return NULL;
	}
	*n = k;
	return g_steal_pointer(&tok);
}

static guint8
st_code128_value(gint t, gint set)
{
	if (t == TOKEN_FNC1)
		return ST_CODE128_FNC1;
	if (set == SET_A && t < 32)
		return (guint8)(t + 64);
	return (guint8)(t - 32);
}

/* one character in ^BC mode N field data: in set A its two-digit value, in B itself, with
 * '>' '^' '~' and DEL as their invocation codes, so that nothing in it is read as a command */
static void
st_code128_zpl_char(GString *zpl, gint t, gint set)
{
	if (set == SET_A)
		g_string_append_printf(zpl, "%02u", (guint)st_code128_value(t, SET_A));
	else if (t == '>')
		g_string_append(zpl, ">0");
	else if (t == '^')
		g_string_append(zpl, "><");
	else if (t == '~')
		g_string_append(zpl, ">=");
	else if (t == 127)
		g_string_append(zpl, ">1");
	else
		g_string_append_c(zpl, (gchar)t);
}

/* the walk through the cheapest path, calling @emit for each symbol character; @zpl gets
 * the ZPL spelling when not NULL */
static GArray *
st_code128_walk(const guint8 *data, gsize len, gboolean gs1, GString *zpl, GError **error)
{
	static const guint8 change_to[N_SETS] = {101, 100, 99};
	static const gchar *const zpl_start[N_SETS] = {">9", ">:", ">;"};
	static const gchar *const zpl_change[N_SETS] = {">7", ">6", ">5"};
	gsize n = 0;
	g_autofree gint *tok = st_code128_tokens(data, len, gs1, &n, error);
	g_autofree StCell *cells = NULL;
	g_autoptr(GArray) out = NULL;
	static const gint preference[] = {SET_B, SET_C, SET_A};
	guint here0[N_SETS] = {INF, INF, INF};
	gint set = SET_B;
	guint best = INF;
	guint32 check;

	if (tok == NULL)
		return NULL;
	cells = g_new0(StCell, (n + 1) * N_SETS);
	for (gint s = 0; s < N_SETS; s++)
		CELL(n, s) = (StCell){0, -1, STEP_HERE};
	for (gsize i = n; i-- > 0;) {
		guint here[N_SETS];
		StStep steps[N_SETS];
		for (gint s = 0; s < N_SETS; s++)
			here[s] = st_code128_here(tok, n, cells, i, s, zpl != NULL, &steps[s]);
		for (gint s = 0; s < N_SETS; s++) {
			StCell c = {here[s], -1, steps[s]};
			for (guint k = 0; k < G_N_ELEMENTS(preference); k++) {
				gint t = preference[k];
				if (zpl != NULL && t == SET_C)
					continue; /* no >5 in ZPL: see the top of the file */
				/* zebrash drops a last character that follows an invocation code,
				 * so in ZPL a change to B right before the last character costs
				 * half a character more: on a tie, that character goes in set A as
				 * a two-digit value */
				guint change = zpl == NULL ? 1 : t == SET_B && i == n - 1 ? 3 : 2;
				if (t != s && here[t] != INF && change + here[t] < c.cost)
					c = (StCell){change + here[t], t, steps[t]};
			}
			CELL(i, s) = c;
		}
		if (i == 0)
			memcpy(here0, here, sizeof(here0));
	}
	/* the start set: the cheapest to go on in (a start costs 1 whichever); on a tie B, then
	 * C, then A, as most encoders do */
	if (zpl != NULL && n == 1 && here0[SET_B] != INF)
		here0[SET_B]++; /* the same for one character after the start code */
	for (guint k = 0; k < G_N_ELEMENTS(preference); k++) {
		if (here0[preference[k]] < best) {
			best = here0[preference[k]];
			set = preference[k];
		}
	}
	out = g_array_new(FALSE, FALSE, sizeof(guint8));
	{
		guint8 start = (guint8)(ST_CODE128_START_A + set);
		g_array_append_val(out, start);
		if (zpl != NULL)
			g_string_append(zpl, zpl_start[set]);
	}
	for (gsize i = 0; i < n;) {
		const StCell *c = &CELL(i, set);
		guint8 v;
		if (c->next_set >= 0) {
			g_array_append_val(out, change_to[c->next_set]);
			if (zpl != NULL)
				g_string_append(zpl, zpl_change[c->next_set]);
			set = c->next_set;
		}
		if (c->step == STEP_SHIFT) {
			gint other = set == SET_A ? SET_B : SET_A;
			guint8 shift = 98;
			g_array_append_val(out, shift);
			v = st_code128_value(tok[i], other);
			g_array_append_val(out, v);
			g_assert(zpl == NULL); /* no SHIFT in ZPL */
			i++;
			continue;
		}
		if (set == SET_C && tok[i] != TOKEN_FNC1) {
			v = (guint8)((tok[i] - '0') * 10 + (tok[i + 1] - '0'));
			g_array_append_val(out, v);
			if (zpl != NULL)
				g_string_append_printf(zpl, "%c%c", tok[i], tok[i + 1]);
			i += 2;
			continue;
		}
		v = st_code128_value(tok[i], set);
		g_array_append_val(out, v);
		if (zpl != NULL) {
			if (tok[i] == TOKEN_FNC1)
				g_string_append(zpl, ">8");
			else
				st_code128_zpl_char(zpl, tok[i], set);
		}
		i++;
	}
	check = g_array_index(out, guint8, 0);
	for (guint k = 1; k < out->len; k++)
		check += k * g_array_index(out, guint8, k);
	{
		guint8 c = (guint8)(check % 103), stop = ST_CODE128_STOP;
		g_array_append_val(out, c);
		g_array_append_val(out, stop);
	}
	return g_steal_pointer(&out);
}

/* ISO/IEC 15417 table 1: each symbol character's bar and space widths in modules (bar first),
 * value 0 to 105; the stop character 106 has a seventh element, its final bar */
static const gchar *const patterns[107] = {
	"212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312",	 "132212",
	"221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122",	 "123221",
	"223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122",	 "321221",
	"312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123",	 "131321",
	"112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331",	 "132131",
	"113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311",	 "213131",
	"311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411",	 "431111",
	"111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412",	 "122114",
	"122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",	 "111242",
	"121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211",	 "212141",
	"214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113",	 "411311",
	"113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
};

/**
 * st_code128_modules:
 * @codes: symbol characters from st_code128_encode()
 *
 * Returns: (transfer full) (element-type guint8): the symbol's modules left to right, 1 for
 *   bar and 0 for space, without quiet zones (11 per character, 13 for the stop)
 */
GArray *
st_code128_modules(GArray *codes)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(guint8));
	for (guint i = 0; i < codes->len; i++) {
		const gchar *p = patterns[MIN(g_array_index(codes, guint8, i), 106)];
		for (guint e = 0; p[e] != '\0'; e++) {
			guint8 bar = e % 2 == 0;
			for (gint w = 0; w < p[e] - '0'; w++)
				g_array_append_val(out, bar);
		}
	}
	return out;
}

/**
 * st_code128_encode:
 * @gs1: GS1-128: FNC1 in first position, and each GS (0x1D) in @data is an FNC1
 *
 * Returns: (transfer full) (element-type guint8): the symbol characters' values, start to
 *   stop with the check character, as few as the data allows; NULL with
 *   ST_ERROR_INVALID_DATA for bytes above 127 or no data
 */
GArray *
st_code128_encode(const guint8 *data, gsize len, gboolean gs1, GError **error)
{
	return st_code128_walk(data, len, gs1, NULL, error);
}

/**
 * st_code128_to_zpl:
 *
 * @codes_out: (out) (optional): the symbol characters of that choice, for its width
 *
 * Returns: (transfer full): ^FD data for ^BC (mode N; no ^FH needed), spelling out the start
 *   set, every change of set and every FNC1 of the shortest symbol without SHIFT or a change
 *   to set C (see the top of this file)
 */
gchar *
st_code128_to_zpl(const guint8 *data, gsize len, gboolean gs1, GArray **codes_out, GError **error)
{
	g_autoptr(GString) zpl = g_string_new(NULL);
	g_autoptr(GArray) codes = st_code128_walk(data, len, gs1, zpl, error);
	if (codes == NULL)
		return NULL;
	if (codes_out != NULL)
		*codes_out = g_steal_pointer(&codes);
	return g_string_free(g_steal_pointer(&zpl), FALSE);
}
