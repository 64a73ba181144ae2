/*
 * GS1 element strings, from the GS1 General Specifications (sections 3 and 7.8: AIs,
 * element strings, FNC1 and the predefined-length AIs) and the GS1 Digital Link URI syntax
 * standard. The AI table is data (st-gs1-ai-table.c), compiled once into StGs1Ai records.
 */
#include <stdlib.h>
#include <string.h>

#include "st-gs1-lint.h"
#include "st-gs1.h"

#define ST_GS1_MAX_COMPONENTS 6
#define ST_GS1_MAX_LINTERS    4
#define ST_GS1_MAX_ELEMENTS   64 /* far above what a symbol can carry */

typedef struct {
	gchar cset; /* N, X, Y or Z */
	guint8 min, max;
	gboolean optional;
	StGs1LintFunc lint[ST_GS1_MAX_LINTERS];
	guint n_lint;
} StGs1Component;

struct _StGs1Ai {
	gchar ai[5];
	const StGs1AiEntry *entry;
	gchar *title;
	StGs1Component comp[ST_GS1_MAX_COMPONENTS];
	guint n_comp;
	gsize min_len, max_len;
	GStrv *dl_alts; /* a Digital Link key's qualifier sequences (dl_key split once), each
			 * NULL-terminated, the list too; NULL when the AI is not a key */
};

static GHashTable *ai_index = NULL; /* AI string -> StGs1Ai */

static void
st_gs1_compile_format(StGs1Ai *ai, const gchar *format)
{
	g_auto(GStrv) tokens = g_strsplit(format, " ", -1);
	for (guint t = 0; tokens[t] != NULL; t++) {
		StGs1Component *c = &ai->comp[ai->n_comp++];
		gchar *tok = tokens[t];
		gchar *colon;
		g_assert(ai->n_comp <= ST_GS1_MAX_COMPONENTS);
		if (tok[0] == '[') {
			c->optional = TRUE;
			tok++;
			g_assert(tok[strlen(tok) - 1] == ']');
			tok[strlen(tok) - 1] = '\0';
		}
		colon = strchr(tok, ':');
		if (colon != NULL) {
			g_auto(GStrv) names = g_strsplit(colon + 1, ",", -1);
			*colon = '\0';
			for (guint i = 0; names[i] != NULL; i++) {
				StGs1LintFunc f = st_gs1_lint_lookup(names[i]);
				if (f == NULL)
					g_error("AI %s: unknown check %s", ai->ai, names[i]);
				g_assert(c->n_lint < ST_GS1_MAX_LINTERS);
				c->lint[c->n_lint++] = f;
			}
		}
		c->cset = tok[0];
		g_assert(strchr("NXYZ", c->cset) != NULL);
		if (g_str_has_prefix(tok + 1, "..")) {
			c->min = 1;
			c->max = (guint8)atoi(tok + 3);
		} else {
			c->min = c->max = (guint8)atoi(tok + 1);
		}
		g_assert(c->max > 0);
		if (!c->optional)
			ai->min_len += c->min;
		ai->max_len += c->max;
	}
}

static gchar *
st_gs1_expand_title(const gchar *title, const gchar *ai)
{
	gchar last = ai[strlen(ai) - 1];
	if (g_str_has_suffix(title, "{d}"))
		return g_strdup_printf("%.*s%c", (gint)(strlen(title) - 3), title, last);
	if (g_str_has_suffix(title, "{d+1}"))
		return g_strdup_printf("%.*s%d", (gint)(strlen(title) - 5), title, last - '0' + 1);
	return g_strdup(title);
}

static gpointer
st_gs1_build_index(gpointer data)
{
	GHashTable *index = g_hash_table_new(g_str_hash, g_str_equal);
	for (gsize i = 0; i < st_gs1_ai_table_len; i++) {
		const StGs1AiEntry *e = &st_gs1_ai_table[i];
		guint first = (guint)atoi(e->ai);
		guint last = e->last != NULL ? (guint)atoi(e->last) : first;
		for (guint n = first; n <= last; n++) {
			StGs1Ai *ai = g_new0(StGs1Ai, 1);
			g_snprintf(ai->ai, sizeof(ai->ai), "%0*u", (gint)strlen(e->ai), n);
			ai->entry = e;
			ai->title = st_gs1_expand_title(e->title, ai->ai);
			st_gs1_compile_format(ai, e->format);
			if (e->dl_key != NULL) {
				g_auto(GStrv) alts = g_strsplit(e->dl_key, "|", -1);
				ai->dl_alts = g_new0(GStrv, g_strv_length(alts) + 1);
				for (guint a = 0; alts[a] != NULL; a++)
					ai->dl_alts[a] = g_strsplit(alts[a], ",", -1);
			}
			if (g_hash_table_contains(index, ai->ai))
				g_error("AI %s is twice in the table", ai->ai);
			g_hash_table_insert(index, ai->ai, ai);
		}
	}
	ai_index = index;
	return index;
}

const StGs1Ai *
st_gs1_ai_lookup(const gchar *ai, gsize len)
{
	static GOnce once = G_ONCE_INIT;
	gchar key[5];
	g_once(&once, st_gs1_build_index, NULL);
	if (len < 2 || len > 4)
		return NULL;
	memcpy(key, ai, len);
	key[len] = '\0';
	return g_hash_table_lookup(ai_index, key);
}

const gchar *
st_gs1_ai_get_ai(const StGs1Ai *ai)
{
	return ai->ai;
}

const gchar *
st_gs1_ai_get_title(const StGs1Ai *ai)
{
	return ai->title;
}

const gchar *
st_gs1_ai_get_meaning(const StGs1Ai *ai)
{
	return ai->entry->meaning;
}

const gchar *
st_gs1_ai_get_format(const StGs1Ai *ai)
{
	return ai->entry->format;
}

guint
st_gs1_ai_get_flags(const StGs1Ai *ai)
{
	return ai->entry->flags;
}

const StGs1AiEntry *
st_gs1_ai_get_entry(const StGs1Ai *ai)
{
	return ai->entry;
}

gint
st_gs1_ai_decimals(const StGs1Ai *ai)
{
	if (strlen(ai->ai) == 4 && (ai->ai[0] == '3') &&
	    ((ai->ai[1] >= '1' && ai->ai[1] <= '6') || ai->ai[1] == '9'))
		return ai->ai[3] - '0';
	return -1;
}

void
st_gs1_options_init(StGs1Options *self)
{
	memset(self, 0, sizeof(*self));
	self->validate_requisites = TRUE;
	self->unknown_ai_not_dl_attr = TRUE;
}

void
st_gs1_error_clear(StGs1Error *self)
{
	if (self == NULL)
		return;
	g_free(self->code);
	g_free(self->message);
	g_free(self->markup);
	memset(self, 0, sizeof(*self));
	self->position = -1;
}

G_GNUC_PRINTF(6, 7)
static void
st_gs1_fail(StGs1Error *error,
	    const gchar *code,
	    const gchar *ai,
	    gint position,
	    gint length,
	    const gchar *format,
	    ...)
{
	va_list args;
	if (error == NULL)
		return;
	st_gs1_error_clear(error);
	error->code = g_strdup(code);
	va_start(args, format);
	error->message = g_strdup_vprintf(format, args);
	va_end(args);
	g_strlcpy(error->ai, ai != NULL ? ai : "", sizeof(error->ai));
	error->position = position;
	error->length = length;
}

static void
st_gs1_element_free(gpointer data)
{
	g_free(data); /* the value is in the same block */
}

static StGs1Message *
st_gs1_message_new(void)
{
	StGs1Message *self = g_new0(StGs1Message, 1);
	self->elements = g_ptr_array_new_full(8, st_gs1_element_free);
	return self;
}

void
st_gs1_message_free(StGs1Message *self)
{
	if (self == NULL)
		return;
	g_ptr_array_unref(self->elements);
	g_free(self);
}

const StGs1Element *
st_gs1_message_find(const StGs1Message *self, const gchar *ai)
{
	for (guint i = 0; i < self->elements->len; i++) {
		const StGs1Element *el = g_ptr_array_index(self->elements, i);
		if (strcmp(el->ai, ai) == 0)
			return el;
	}
	return NULL;
}

static StGs1Element *
st_gs1_message_add(StGs1Message *self,
		   const gchar *ai,
		   gsize ai_len,
		   const StGs1Ai *def,
		   const gchar *value,
		   gsize value_len,
		   gint position)
{
	/* the element and its value in one block: a scan's elements are many small strings */
	StGs1Element *el = g_malloc0(sizeof(StGs1Element) + value_len + 1);
	memcpy(el->ai, ai, ai_len);
	el->def = def;
	el->value = (gchar *)(el + 1);
	memcpy(el->value, value, value_len);
	el->value_len = value_len;
	el->position = position;
	el->dl_path_order = -1;
	g_ptr_array_add(self->elements, el);
	return el;
}

static const gchar *
st_gs1_fault_words(const gchar *code)
{
	static const struct {
		const gchar *code, *words;
	} words[] = {
		{"non-digit-character", "a digit is expected here"},
		{"invalid-cset82-character", "this character is not allowed in GS1 data"},
		{"invalid-cset39-character", "only digits, capitals, #, - and / are allowed here"},
		{"invalid-cset64-character", "only letters, digits, - and _ are allowed here"},
		{"invalid-cset64-padding", "misplaced = padding"},
		{"incorrect-check-digit", "wrong check digit"},
		{"incorrect-check-pair", "wrong check character pair"},
		{"illegal-month", "no such month"},
		{"illegal-day", "no such day in that month"},
		{"illegal-hour", "no such hour"},
		{"illegal-minute", "no such minute"},
		{"illegal-second", "no such second"},
		{"not-iso3166", "not an ISO 3166 country code"},
		{"not-iso4217", "not an ISO 4217 currency code"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(words); i++) {
		if (strcmp(words[i].code, code) == 0)
			return words[i].words;
	}
	return NULL;
}

/*
 * Checks @value against @def's components: lengths, character set, each component's checks.
 * @position is where the value starts in the input (for the error), or -1.
 */
static gboolean
st_gs1_validate_value(const StGs1Ai *def,
		      const gchar *value,
		      gsize len,
		      gint position,
		      StGs1Error *error)
{
	gsize at = 0;
	for (guint i = 0; i < def->n_comp; i++) {
		const StGs1Component *c = &def->comp[i];
		gsize remaining = len - at;
		gsize take, epos = 0, elen = 0;
		const gchar *fault;

		if (remaining == 0 && c->optional)
			break;
		if (c->min == c->max) {
			if (remaining < c->max) {
				st_gs1_fail(
					error, "value-too-short", def->ai,
					position >= 0 ? position + (gint)len : -1, 0,
					"(%s) %s: the value \"%.*s\" is too short: %" G_GSIZE_FORMAT
					" to %" G_GSIZE_FORMAT " characters expected",
					def->ai, def->title, (gint)len, value, def->min_len,
					def->max_len);
				return FALSE;
			}
			take = c->max;
		} else {
			take = remaining;
			if (take > c->max) {
				st_gs1_fail(
					error, "value-too-long", def->ai,
					position >= 0 ? position + (gint)(at + c->max) : -1,
					(gint)(take - c->max),
					"(%s) %s: the value is too long: at most %" G_GSIZE_FORMAT
					" characters",
					def->ai, def->title, def->max_len);
				return FALSE;
			}
			if (take == 0) {
				st_gs1_fail(error, "value-too-short", def->ai, position, 0,
					    "(%s) %s: the value is empty", def->ai, def->title);
				return FALSE;
			}
		}
		fault = st_gs1_lint_cset(c->cset, value + at, take, &epos, &elen);
		for (guint k = 0; fault == NULL && k < c->n_lint; k++)
			fault = c->lint[k](value + at, take, &epos, &elen);
		if (fault != NULL) {
			const gchar *words = st_gs1_fault_words(fault);
			g_autofree gchar *shown = g_strndup(value + at, take);
			g_autofree gchar *plain = g_strdelimit(g_strdup(fault), "-", ' ');
			st_gs1_fail(error, fault, def->ai,
				    position >= 0 ? position + (gint)(at + epos) : -1, (gint)elen,
				    "(%s) %s: %s at character %" G_GSIZE_FORMAT " of \"%.*s\"",
				    def->ai, def->title, words != NULL ? words : plain,
				    at + epos + 1, (gint)len, value);
			if (error != NULL) {
				error->markup = g_strdup_printf("(%s)%.*s|%.*s|%s", def->ai,
								(gint)epos, shown, (gint)elen,
								shown + epos, shown + epos + elen);
			}
			return FALSE;
		}
		at += take;
	}
	if (at < len) {
		st_gs1_fail(error, "value-too-long", def->ai,
			    position >= 0 ? position + (gint)at : -1, (gint)(len - at),
			    "(%s) %s: the value is too long: at most %" G_GSIZE_FORMAT
			    " characters",
			    def->ai, def->title, def->max_len);
		return FALSE;
	}
	return TRUE;
}

/* an AI that is not in the table: what GS1 allows of any value (CSET 82, up to 90) */
static gboolean
st_gs1_validate_unknown(const gchar *ai,
			const gchar *value,
			gsize len,
			gint position,
			StGs1Error *error)
{
	gsize epos = 0, elen = 0;
	if (len == 0 || len > 90) {
		st_gs1_fail(error, len == 0 ? "value-too-short" : "value-too-long", ai, position, 0,
			    "(%s): the value must be 1 to 90 characters", ai);
		return FALSE;
	}
	if (st_gs1_lint_cset('X', value, len, &epos, &elen) != NULL) {
		st_gs1_fail(error, "invalid-cset82-character", ai,
			    position >= 0 ? position + (gint)epos : -1, 1,
			    "(%s): character %" G_GSIZE_FORMAT " is not allowed in GS1 data", ai,
			    epos + 1);
		return FALSE;
	}
	return TRUE;
}

static gboolean
st_gs1_all_digits(const gchar *s, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
	}
	return len > 0;
}

/* the length of AIs beginning with these two digits, from the table (GS1 keeps AIs with the
 * same first two digits the same length); 0 when no AI begins so */
static guint
st_gs1_ai_length_for_prefix(const gchar *two)
{
	for (gsize i = 0; i < st_gs1_ai_table_len; i++) {
		if (strncmp(st_gs1_ai_table[i].ai, two, 2) == 0)
			return (guint)strlen(st_gs1_ai_table[i].ai);
	}
	return 0;
}

/* an AI not in the table must still have the length GS1 gives AIs with its first two
 * digits, or it could never be told apart from its neighbours in a barcode */
static gboolean
st_gs1_unknown_ai_shape_ok(const gchar *ai, gsize len, gint position, StGs1Error *error)
{
	guint want = st_gs1_ai_length_for_prefix(ai);
	if (want != 0 && want != len) {
		st_gs1_fail(error, "malformed-ai", NULL, position, (gint)len,
			    "(%.*s) is not an AI: AIs starting %.2s have %u digits", (gint)len, ai,
			    ai, want);
		return FALSE;
	}
	return TRUE;
}

StGs1Message *
st_gs1_parse_element_string(const guint8 *data,
			    gsize len,
			    const StGs1Options *options,
			    StGs1Error *error)
{
	g_autoptr(StGs1Message) msg = st_gs1_message_new();
	const gchar *s = (const gchar *)data;
	gsize i = 0;

	if (len == 0) {
		st_gs1_fail(error, "no-ai-data", NULL, 0, 0, "there is no GS1 data after FNC1");
		return NULL;
	}
	while (i < len) {
		const StGs1Ai *def = NULL;
		gsize ai_len = 0, vstart, vend;
		if (msg->elements->len >= ST_GS1_MAX_ELEMENTS) {
			st_gs1_fail(error, "too-many-ais", NULL, (gint)i, 0,
				    "more than %d elements", ST_GS1_MAX_ELEMENTS);
			return NULL;
		}
		for (gsize k = 2; k <= 4 && i + k <= len && def == NULL; k++) {
			if (!st_gs1_all_digits(s + i, k))
				break;
			def = st_gs1_ai_lookup(s + i, k);
			ai_len = k;
		}
		if (def == NULL) {
			guint guess = i + 2 <= len && st_gs1_all_digits(s + i, 2)
					      ? st_gs1_ai_length_for_prefix(s + i)
					      : 0;
			if (!options->permit_unknown_ais || guess == 0 || i + guess > len ||
			    !st_gs1_all_digits(s + i, guess)) {
				g_autofree gchar *shown = g_strndup(s + i, MIN(len - i, 4));
				st_gs1_fail(error, "unknown-ai", NULL, (gint)i,
					    (gint)MIN(len - i, 4),
					    "no GS1 Application Identifier starts \"%s\" at "
					    "character %" G_GSIZE_FORMAT
					    " (a missing separator after a variable-length value?)",
					    shown, i + 1);
				return NULL;
			}
			ai_len = guess;
		}
		vstart = i + ai_len;
		if (def != NULL && (def->entry->flags & ST_GS1_AI_FIXED_LENGTH)) {
			vend = vstart + def->max_len;
			if (vend > len || memchr(s + vstart, ST_GS1_GS, def->max_len) != NULL) {
				st_gs1_fail(error, "value-too-short", def->ai, (gint)vstart, 0,
					    "(%s) %s: the value is too short: %" G_GSIZE_FORMAT
					    " characters expected",
					    def->ai, def->title, def->max_len);
				return NULL;
			}
		} else {
			const gchar *gs = memchr(s + vstart, ST_GS1_GS, len - vstart);
			vend = gs != NULL ? (gsize)(gs - s) : len;
		}
		if (def != NULL) {
			if (!st_gs1_validate_value(def, s + vstart, vend - vstart, (gint)vstart,
						   error))
				return NULL;
		} else {
			g_autofree gchar *ai = g_strndup(s + i, ai_len);
			if (!st_gs1_validate_unknown(ai, s + vstart, vend - vstart, (gint)vstart,
						     error))
				return NULL;
		}
		st_gs1_message_add(msg, s + i, ai_len, def, s + vstart, vend - vstart, (gint)i);
		i = vend;
		if (i < len && s[i] == ST_GS1_GS) {
			i++;
			if (i < len && s[i] == ST_GS1_GS) {
				st_gs1_fail(error, "empty-element", NULL, (gint)i, 1,
					    "two separators in a row at character %" G_GSIZE_FORMAT,
					    i + 1);
				return NULL;
			}
		}
	}
	if (!st_gs1_message_validate(msg, options, error))
		return NULL;
	return g_steal_pointer(&msg);
}

StGs1Message *
st_gs1_parse_bracketed(const gchar *text, const StGs1Options *options, StGs1Error *error)
{
	g_autoptr(StGs1Message) msg = st_gs1_message_new();
	gsize len = strlen(text);
	gsize i = 0;

	if (len == 0 || text[0] != '(') {
		st_gs1_fail(error, "expected-bracketed-ai", NULL, 0, 1,
			    "bracketed GS1 data starts with an AI in brackets, like (01)");
		return NULL;
	}
	while (i < len) {
		const gchar *close;
		gsize ai_start = i + 1, ai_len, vstart;
		const StGs1Ai *def;
		g_autoptr(GString) value = g_string_new(NULL);

		if (msg->elements->len >= ST_GS1_MAX_ELEMENTS) {
			st_gs1_fail(error, "too-many-ais", NULL, (gint)i, 0,
				    "more than %d elements", ST_GS1_MAX_ELEMENTS);
			return NULL;
		}
		close = memchr(text + ai_start, ')', len - ai_start);
		if (close == NULL) {
			st_gs1_fail(error, "unterminated-ai", NULL, (gint)i, (gint)(len - i),
				    "the AI at character %" G_GSIZE_FORMAT
				    " has no closing bracket",
				    i + 1);
			return NULL;
		}
		ai_len = (gsize)(close - (text + ai_start));
		if (ai_len < 2 || ai_len > 4 || !st_gs1_all_digits(text + ai_start, ai_len)) {
			st_gs1_fail(error, "malformed-ai", NULL, (gint)ai_start, (gint)ai_len,
				    "\"(%.*s)\" is not an AI: an AI is 2 to 4 digits", (gint)ai_len,
				    text + ai_start);
			return NULL;
		}
		def = st_gs1_ai_lookup(text + ai_start, ai_len);
		if (def == NULL &&
		    !st_gs1_unknown_ai_shape_ok(text + ai_start, ai_len, (gint)ai_start, error))
			return NULL;
		if (def == NULL && !options->permit_unknown_ais) {
			st_gs1_fail(error, "unknown-ai", NULL, (gint)ai_start, (gint)ai_len,
				    "(%.*s) is not a GS1 Application Identifier", (gint)ai_len,
				    text + ai_start);
			return NULL;
		}
		vstart = ai_start + ai_len + 1;
		for (i = vstart; i < len && text[i] != '('; i++) {
			if (text[i] == '\\' && i + 1 < len && text[i + 1] == '(')
				i++;
			g_string_append_c(value, text[i]);
		}
		if (def != NULL) {
			if (!st_gs1_validate_value(def, value->str, value->len, (gint)vstart,
						   error))
				return NULL;
		} else {
			g_autofree gchar *ai = g_strndup(text + ai_start, ai_len);
			if (!st_gs1_validate_unknown(ai, value->str, value->len, (gint)vstart,
						     error))
				return NULL;
		}
		st_gs1_message_add(msg, text + ai_start, ai_len, def, value->str, value->len,
				   (gint)ai_start - 1);
	}
	if (!st_gs1_message_validate(msg, options, error))
		return NULL;
	return g_steal_pointer(&msg);
}

/* "310n" matches 3100 to 3109; "31nn" any 31xx */
static gboolean
st_gs1_ai_matches(const gchar *pattern, gsize plen, const gchar *ai)
{
	if (strlen(ai) != plen)
		return FALSE;
	for (gsize i = 0; i < plen; i++) {
		if (pattern[i] != 'n' && pattern[i] != ai[i])
			return FALSE;
	}
	return TRUE;
}

static const StGs1Element *
st_gs1_message_match(const StGs1Message *self, const gchar *pattern, gsize plen, const gchar * not )
{
	for (guint i = 0; i < self->elements->len; i++) {
		const StGs1Element *el = g_ptr_array_index(self->elements, i);
		if (not != NULL && strcmp(el->ai, not ) == 0)
			continue;
		if (st_gs1_ai_matches(pattern, plen, el->ai))
			return el;
	}
	return NULL;
}

/* one alternative: AIs joined by '+', all present */
static gboolean
st_gs1_alternative_met(const StGs1Message *self, const gchar *alt, gsize alen)
{
	const gchar *p = alt, *end = alt + alen;
	while (p < end) {
		const gchar *plus = memchr(p, '+', (gsize)(end - p));
		const gchar *stop = plus != NULL ? plus : end;
		if (st_gs1_message_match(self, p, (gsize)(stop - p), NULL) == NULL)
			return FALSE;
		p = stop + 1;
	}
	return TRUE;
}

static gboolean
st_gs1_condition_met(const StGs1Message *self, const gchar *cond, gsize clen)
{
	const gchar *p = cond, *end = cond + clen;
	while (p < end) {
		const gchar *comma = memchr(p, ',', (gsize)(end - p));
		const gchar *stop = comma != NULL ? comma : end;
		if (st_gs1_alternative_met(self, p, (gsize)(stop - p)))
			return TRUE;
		p = stop + 1;
	}
	return FALSE;
}

static gchar *
st_gs1_condition_words(const gchar *cond, gsize clen)
{
	g_autoptr(GString) s = g_string_new(NULL);
	for (gsize i = 0; i < clen; i++) {
		if (cond[i] == ',')
			g_string_append(s, " or ");
		else if (cond[i] == '+')
			g_string_append(s, " with ");
		else {
			gsize j = i;
			while (j < clen && cond[j] != ',' && cond[j] != '+')
				j++;
			g_string_append_printf(s, "(%.*s)", (gint)(j - i), cond + i);
			i = j - 1;
		}
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* the next token of a list separated by @sep, without allocating: moves *@p past it (and its
 * separator). Returns: the token's length (it ends at *@p - length), 0 at the end */
static gsize
st_gs1_next_token(const gchar **p, gchar sep)
{
	const gchar *start = *p, *stop;
	while (*start == sep)
		start++;
	if (*start == '\0') {
		*p = start;
		return 0;
	}
	stop = strchr(start, sep);
	if (stop == NULL)
		stop = start + strlen(start);
	*p = stop;
	return (gsize)(stop - start);
}

gboolean
st_gs1_message_validate(const StGs1Message *self, const StGs1Options *options, StGs1Error *error)
{
	const StGs1Element *digsig = st_gs1_message_find(self, "8030");

	for (guint i = 0; i < self->elements->len; i++) {
		const StGs1Element *el = g_ptr_array_index(self->elements, i);
		const StGs1AiEntry *e = el->def != NULL ? el->def->entry : NULL;

		/* the same AI twice must carry the same value */
		for (guint j = 0; j < i; j++) {
			const StGs1Element *prev = g_ptr_array_index(self->elements, j);
			if (strcmp(prev->ai, el->ai) == 0 && strcmp(prev->value, el->value) != 0) {
				st_gs1_fail(error, "ai-repeated-with-different-values", el->ai,
					    el->position, 0,
					    "(%s) appears twice with different values: \"%s\" and "
					    "\"%s\"",
					    el->ai, prev->value, el->value);
				return FALSE;
			}
		}
		if (e == NULL)
			continue;
		if (e->excludes != NULL) {
			const gchar *pat = e->excludes;
			gsize plen;
			while ((plen = st_gs1_next_token(&pat, ',')) > 0) {
				const StGs1Element *other =
					st_gs1_message_match(self, pat - plen, plen, el->ai);
				if (other != NULL) {
					st_gs1_fail(error, "invalid-ai-pairing", el->ai,
						    other->position, 0,
						    "(%s) %s and (%s) may not appear together",
						    el->ai, el->def->title, other->ai);
					return FALSE;
				}
			}
		}
		if (options->validate_requisites && e->requires != NULL) {
			const gchar *cond = e->requires;
			gsize clen;
			while ((clen = st_gs1_next_token(&cond, ' ')) > 0) {
				if (!st_gs1_condition_met(self, cond - clen, clen)) {
					g_autofree gchar *w =
						st_gs1_condition_words(cond - clen, clen);
					st_gs1_fail(error, "required-ais-not-satisfied", el->ai,
						    el->position, 0, "(%s) %s needs %s as well",
						    el->ai, el->def->title, w);
					return FALSE;
				}
			}
		}
		/* a digital signature signs a serialised key: a GDTI, GCN or GRAI with its
		 * serial component */
		if (digsig != NULL && el->def->n_comp > 1 &&
		    el->def->comp[el->def->n_comp - 1].optional &&
		    (strcmp(el->ai, "253") == 0 || strcmp(el->ai, "255") == 0 ||
		     strcmp(el->ai, "8003") == 0) &&
		    el->value_len <= el->def->min_len) {
			st_gs1_fail(error, "digsig-requires-serialised-key", el->ai, el->position,
				    0,
				    "a digital signature (8030) needs (%s) %s with its serial "
				    "component",
				    el->ai, el->def->title);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
st_gs1_element_fixed(const StGs1Element *el)
{
	return el->def != NULL && (el->def->entry->flags & ST_GS1_AI_FIXED_LENGTH);
}

gchar *
st_gs1_message_to_element_string(const StGs1Message *self, gchar separator)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < self->elements->len; i++) {
		const StGs1Element *el = g_ptr_array_index(self->elements, i);
		g_string_append(s, el->ai);
		g_string_append_len(s, el->value, (gssize)el->value_len);
		if (i + 1 < self->elements->len && !st_gs1_element_fixed(el))
			g_string_append_c(s, separator);
	}
	return g_string_free(s, FALSE);
}

gchar *
st_gs1_message_to_bracketed(const StGs1Message *self)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < self->elements->len; i++) {
		const StGs1Element *el = g_ptr_array_index(self->elements, i);
		g_string_append_printf(s, "(%s)", el->ai);
		for (gsize k = 0; k < el->value_len; k++) {
			if (el->value[k] == '(')
				g_string_append_c(s, '\\');
			g_string_append_c(s, el->value[k]);
		}
	}
	return g_string_free(s, FALSE);
}

/* ---- GS1 Digital Link ---- */

static gboolean
st_gs1_uri_unreserved(guchar c)
{
	return g_ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

gchar *
st_gs1_uri_escape(const gchar *data, gsize len, gboolean query)
{
	GString *s = g_string_sized_new(len);
	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)data[i];
		if (st_gs1_uri_unreserved(c))
			g_string_append_c(s, (gchar)c);
		else if (c == ' ' && query)
			g_string_append_c(s, '+');
		else
			g_string_append_printf(s, "%%%02X", c);
	}
	return g_string_free(s, FALSE);
}

gsize
st_gs1_uri_unescape(const gchar *data, gsize len, gboolean query, GString *out)
{
	gsize start = out->len;
	for (gsize i = 0; i < len; i++) {
		if (data[i] == '%' && i + 2 < len && g_ascii_isxdigit(data[i + 1]) &&
		    g_ascii_isxdigit(data[i + 2])) {
			g_string_append_c(out, (gchar)(g_ascii_xdigit_value(data[i + 1]) * 16 +
						       g_ascii_xdigit_value(data[i + 2])));
			i += 2;
		} else if (data[i] == '+' && query) {
			g_string_append_c(out, ' ');
		} else {
			g_string_append_c(out, data[i]);
		}
	}
	return out->len - start;
}

/**
 * st_gs1_dl_scheme:
 * @scheme: "https://" or "http://", in small letters
 *
 * Returns: whether @uri starts with @scheme, in small or in capital letters
 */
gboolean
st_gs1_dl_scheme(const gchar *uri, const gchar *scheme)
{
	gsize n = strlen(scheme);
	gboolean upper = TRUE;
	if (strncmp(uri, scheme, n) == 0)
		return TRUE;
	for (gsize i = 0; i < n && upper; i++)
		upper = uri[i] == g_ascii_toupper(scheme[i]);
	return upper;
}

/* the retired GS1 Digital Link "convenience alphas" for the AIs that had one */
static const struct {
	const gchar *alpha, *ai;
} dl_alphas[] = {
	{"cpv", "22"},	   {"gcn", "255"},   {"gdti", "253"},  {"giai", "8004"}, {"ginc", "401"},
	{"gln", "414"},	   {"glnx", "254"},  {"grai", "8003"}, {"gsin", "402"},	 {"gsrn", "8018"},
	{"gsrnp", "8017"}, {"gtin", "01"},   {"lot", "10"},    {"cpid", "8010"}, {"cpsn", "8011"},
	{"gmn", "8013"},   {"itip", "8006"}, {"party", "417"}, {"payto", "415"}, {"refno", "8020"},
	{"ser", "21"},	   {"srin", "8019"}, {"sscc", "00"},   {"tpx", "235"},	 {"upui", "235"},
};

static const StGs1Ai *
st_gs1_dl_segment_ai(const gchar *seg, gsize len, const StGs1Options *options)
{
	if (len > 0 && g_ascii_isdigit(seg[0]))
		return st_gs1_all_digits(seg, len) ? st_gs1_ai_lookup(seg, len) : NULL;
	if (!options->permit_convenience_alphas)
		return NULL;
	for (guint i = 0; i < G_N_ELEMENTS(dl_alphas); i++) {
		if (strlen(dl_alphas[i].alpha) == len && memcmp(dl_alphas[i].alpha, seg, len) == 0)
			return st_gs1_ai_lookup(dl_alphas[i].ai, strlen(dl_alphas[i].ai));
	}
	return NULL;
}

/* does @ai appear among the qualifiers of primary key @key (any alternative)? */
static gboolean
st_gs1_dl_is_qualifier(const StGs1Ai *key, const gchar *ai)
{
	for (guint a = 0; key->dl_alts[a] != NULL; a++) {
		for (guint i = 0; key->dl_alts[a][i] != NULL; i++) {
			if (strcmp(key->dl_alts[a][i], ai) == 0)
				return TRUE;
		}
	}
	return FALSE;
}

/* are @quals (in order) an ordered selection from one alternative of @key's qualifiers? */
static gboolean
st_gs1_dl_qualifiers_ok(const StGs1Ai *key, GPtrArray *quals)
{
	if (quals->len == 0)
		return TRUE;
	for (guint a = 0; key->dl_alts[a] != NULL; a++) {
		GStrv seq = key->dl_alts[a];
		guint q = 0;
		for (guint s = 0; seq[s] != NULL && q < quals->len; s++) {
			if (strcmp(seq[s], g_ptr_array_index(quals, q)) == 0)
				q++;
		}
		if (q == quals->len)
			return TRUE;
	}
	return FALSE;
}

static gboolean
st_gs1_dl_uri_char_ok(guchar c)
{
	if (c <= 0x20 || c >= 0x7f)
		return FALSE;
	return strchr("\"<>\\^`{|}", c) == NULL;
}

static gboolean
st_gs1_dl_add(StGs1Message *msg,
	      const StGs1Ai *def,
	      const gchar *ai,
	      const gchar *raw,
	      gsize raw_len,
	      gboolean query,
	      gint position,
	      gint path_order,
	      const StGs1Options *options,
	      StGs1Error *error)
{
	g_autoptr(GString) value = g_string_new(NULL);
	StGs1Element *el;

	st_gs1_uri_unescape(raw, raw_len, query, value);
	if (value->len == 0) {
		st_gs1_fail(error, "empty-value", ai, position, 0, "(%s) has an empty value", ai);
		return FALSE;
	}
	if (memchr(value->str, '\0', value->len) != NULL) {
		st_gs1_fail(error, "value-contains-nul", ai, position, (gint)raw_len,
			    "(%s) decodes to a NUL byte", ai);
		return FALSE;
	}
	if (options->permit_zero_suppressed_gtin && strcmp(ai, "01") == 0 &&
	    (value->len == 8 || value->len == 12 || value->len == 13)) {
		while (value->len < 14)
			g_string_prepend_c(value, '0');
	}
	if (st_gs1_message_find(msg, ai) != NULL) {
		st_gs1_fail(error, "duplicate-ai", ai, position, 0,
			    "(%s) appears twice in the Digital Link URI", ai);
		return FALSE;
	}
	if (msg->elements->len >= ST_GS1_MAX_ELEMENTS) {
		st_gs1_fail(error, "too-many-ais", ai, position, 0, "more than %d elements",
			    ST_GS1_MAX_ELEMENTS);
		return FALSE;
	}
	if (def != NULL) {
		if (!st_gs1_validate_value(def, value->str, value->len, -1, error)) {
			if (error != NULL)
				error->position = position;
			return FALSE;
		}
	} else if (!st_gs1_validate_unknown(ai, value->str, value->len, -1, error)) {
		return FALSE;
	}
	el = st_gs1_message_add(msg, ai, strlen(ai), def, value->str, value->len, position);
	el->dl_path_order = path_order;
	return TRUE;
}

StGs1Message *
st_gs1_parse_digital_link(const gchar *uri,
			  gsize len,
			  const StGs1Options *options,
			  StGs1Error *error)
{
	g_autoptr(StGs1Message) msg = st_gs1_message_new();
	g_autoptr(GPtrArray) segs = g_ptr_array_new(); /* start pointers */
	g_autoptr(GArray) seglens = g_array_new(FALSE, FALSE, sizeof(gsize));
	g_autoptr(GPtrArray) quals = g_ptr_array_new();
	gsize host, path, end, qstart = 0;
	gboolean has_query = FALSE;
	const StGs1Ai *key = NULL;
	guint root = 0;
	g_autofree gchar *copy = NULL;

	/* work on a NUL-terminated copy: @uri may be a scan's bytes */
	if (memchr(uri, '\0', len) != NULL) {
		st_gs1_fail(error, "invalid-uri-character", NULL,
			    (gint)((const gchar *)memchr(uri, '\0', len) - uri), 1,
			    "the URI holds a NUL byte");
		return NULL;
	}
	copy = g_strndup(uri, len);
	uri = copy;
	/* the scheme in small or in capital letters (a QR code's alphanumeric mode has only
	 * capitals: HTTPS://ID.GS1.ORG/...), as GS1's Syntax Engine reads it; not mixed */
	if (len >= 8 && st_gs1_dl_scheme(uri, "https://"))
		host = 8;
	else if (len >= 7 && st_gs1_dl_scheme(uri, "http://"))
		host = 7;
	else {
		st_gs1_fail(error, "not-a-digital-link", NULL, 0, 0,
			    "a GS1 Digital Link URI starts with https:// or http://");
		return NULL;
	}
	end = len;
	for (gsize i = 0; i < len; i++) {
		if (uri[i] == '#') {
			end = i;
			break;
		}
		if (!st_gs1_dl_uri_char_ok((guchar)uri[i])) {
			st_gs1_fail(error, "invalid-uri-character", NULL, (gint)i, 1,
				    "character %" G_GSIZE_FORMAT " is not allowed in a URI", i + 1);
			return NULL;
		}
	}
	for (gsize i = host; i < end; i++) {
		if (uri[i] == '?') {
			has_query = TRUE;
			qstart = i + 1;
			end = i;
			break;
		}
	}
	/* the host: a name, an IPv4 address or an IPv6 address in brackets, maybe a port */
	path = host;
	if (path < end && uri[path] == '[') {
		while (path < end && uri[path] != ']') {
			if (!g_ascii_isxdigit(uri[path]) && uri[path] != ':' && uri[path] != '.' &&
			    uri[path] != '[')
				break;
			path++;
		}
		if (path < end && uri[path] == ']')
			path++;
	} else {
		while (path < end &&
		       (g_ascii_isalnum(uri[path]) || uri[path] == '-' || uri[path] == '.'))
			path++;
	}
	if (path < end && uri[path] == ':') {
		path++;
		while (path < end && g_ascii_isdigit(uri[path]))
			path++;
	}
	if (path == host || (path < end && uri[path] != '/')) {
		st_gs1_fail(error, "invalid-host", NULL, (gint)path, 1,
			    "the URI's host name is not valid at character %" G_GSIZE_FORMAT,
			    path + 1);
		return NULL;
	}
	if (path >= end || end - path < 2) {
		st_gs1_fail(error, "no-path", NULL, (gint)end, 0,
			    "the URI has no path with GS1 keys, like /01/<GTIN>");
		return NULL;
	}
	if (uri[end - 1] == '/') {
		st_gs1_fail(error, "path-ends-with-slash", NULL, (gint)end - 1, 1,
			    "the URI's path may not end with /");
		return NULL;
	}
	for (gsize i = path; i < end;) {
		gsize j = i + 1;
		while (j < end && uri[j] != '/')
			j++;
		g_ptr_array_add(segs, (gpointer)(uri + i + 1));
		g_array_append_val(seglens, (gsize){j - i - 1});
		i = j;
	}
	/* find the primary key: walk back over /AI/value pairs to the rightmost key */
	for (guint k = segs->len; k >= 2; k -= 2) {
		const StGs1Ai *ai =
			st_gs1_dl_segment_ai(g_ptr_array_index(segs, k - 2),
					     g_array_index(seglens, gsize, k - 2), options);
		if (ai == NULL)
			break;
		if (ai->entry->dl_key != NULL) {
			key = ai;
			root = k - 2;
			break;
		}
	}
	if (key == NULL) {
		st_gs1_fail(error, "no-primary-key", NULL, (gint)path, (gint)(end - path),
			    "the URI's path has no GS1 primary key, like /01/<GTIN> or /00/<SSCC>");
		return NULL;
	}
	for (guint k = root; k + 1 < segs->len; k += 2) {
		const gchar *seg = g_ptr_array_index(segs, k);
		const StGs1Ai *ai =
			st_gs1_dl_segment_ai(seg, g_array_index(seglens, gsize, k), options);
		const gchar *val = g_ptr_array_index(segs, k + 1);
		gint position = (gint)(seg - uri);
		if (ai == NULL) {
			st_gs1_fail(error, "unknown-ai", NULL, position, 0,
				    "the path segment at character %d is not an AI", position + 1);
			return NULL;
		}
		if (k > root) {
			if (!st_gs1_dl_is_qualifier(key, ai->ai)) {
				st_gs1_fail(error, "invalid-key-qualifier", ai->ai, position, 0,
					    "(%s) cannot qualify (%s) in a Digital Link path",
					    ai->ai, key->ai);
				return NULL;
			}
			g_ptr_array_add(quals, (gpointer)ai->ai);
		}
		if (!st_gs1_dl_add(msg, ai, ai->ai, val, g_array_index(seglens, gsize, k + 1),
				   FALSE, position, (gint)(k - root) / 2, options, error))
			return NULL;
	}
	if (!st_gs1_dl_qualifiers_ok(key, quals)) {
		st_gs1_fail(error, "key-qualifiers-out-of-order", key->ai, (gint)path, 0,
			    "the qualifiers of (%s) are not in the order the standard sets (%s)",
			    key->ai, key->entry->dl_key);
		return NULL;
	}
	/* data attributes in the query: numeric keys are AIs, anything else is not ours */
	if (has_query) {
		gsize qend = qstart;
		while (qend < len && uri[qend] != '#')
			qend++;
		for (gsize i = qstart; i < qend;) {
			gsize j = i, eq;
			while (j < qend && uri[j] != '&')
				j++;
			for (eq = i; eq < j && uri[eq] != '='; eq++)
				;
			if (eq < j && st_gs1_all_digits(uri + i, eq - i)) {
				g_autofree gchar *ai = g_strndup(uri + i, eq - i);
				const StGs1Ai *def = st_gs1_ai_lookup(uri + i, eq - i);
				if (def == NULL &&
				    (eq - i < 2 || eq - i > 4 || !options->permit_unknown_ais ||
				     options->unknown_ai_not_dl_attr ||
				     !st_gs1_unknown_ai_shape_ok(uri + i, eq - i, (gint)i, NULL))) {
					st_gs1_fail(error, "unknown-ai", ai, (gint)i,
						    (gint)(eq - i),
						    "(%s) in the query is not a GS1 Application "
						    "Identifier "
						    "that can be a data attribute",
						    ai);
					return NULL;
				}
				if (def != NULL && (!(def->entry->flags & ST_GS1_AI_DL_ATTRIBUTE) ||
						    strcmp(def->ai, key->ai) == 0 ||
						    st_gs1_dl_is_qualifier(key, def->ai))) {
					st_gs1_fail(error, "invalid-data-attribute", def->ai,
						    (gint)i, (gint)(eq - i),
						    "(%s) %s cannot be a data attribute here%s",
						    def->ai, def->title,
						    st_gs1_dl_is_qualifier(key, def->ai)
							    ? ": it is a key qualifier and belongs "
							      "in the path"
							    : "");
					return NULL;
				}
				if (!st_gs1_dl_add(msg, def, ai, uri + eq + 1, j - eq - 1, TRUE,
						   (gint)i, -1, options, error))
					return NULL;
			}
			i = j + 1;
		}
	}
	if (!st_gs1_message_validate(msg, options, error))
		return NULL;
	return g_steal_pointer(&msg);
}

gchar *
st_gs1_message_to_digital_link(const StGs1Message *self,
			       const gchar *stem,
			       const StGs1Options *options,
			       StGs1Error *error)
{
	const StGs1Element *key = NULL;
	GStrv *alts;
	g_autoptr(GPtrArray) path = g_ptr_array_new();
	g_autoptr(GPtrArray) attrs = g_ptr_array_new();
	g_autoptr(GString) uri = NULL;
	guint best = 0, best_count = 0;
	gboolean first_param = TRUE;

	for (guint i = 0; i < self->elements->len && key == NULL; i++) {
		const StGs1Element *el = g_ptr_array_index(self->elements, i);
		if (el->def != NULL && el->def->entry->dl_key != NULL)
			key = el;
	}
	if (key == NULL) {
		st_gs1_fail(error, "no-primary-key", NULL, -1, 0,
			    "a Digital Link URI needs a primary key: GTIN (01), SSCC (00), GLN "
			    "(414), ...");
		return NULL;
	}
	/* the qualifier sequence that takes the most of the data; the first on a tie */
	alts = key->def->dl_alts;
	for (guint a = 0; alts[a] != NULL; a++) {
		GStrv seq = alts[a];
		guint count = 0;
		for (guint s = 0; seq[s] != NULL; s++) {
			if (seq[s][0] != '\0' && st_gs1_message_find(self, seq[s]) != NULL)
				count++;
		}
		if (count > best_count) {
			best_count = count;
			best = a;
		}
	}
	g_ptr_array_add(path, (gpointer)key);
	if (alts[0] != NULL) {
		GStrv seq = alts[best];
		for (guint s = 0; seq[s] != NULL; s++) {
			const StGs1Element *q =
				seq[s][0] != '\0' ? st_gs1_message_find(self, seq[s]) : NULL;
			if (q != NULL)
				g_ptr_array_add(path, (gpointer)q);
		}
	}
	/* everything else is a data attribute: predefined-length AIs first, then the others,
	 * each in the order given, each AI once */
	for (guint pass = 0; pass < 2; pass++) {
		for (guint i = 0; i < self->elements->len; i++) {
			const StGs1Element *el = g_ptr_array_index(self->elements, i);
			gboolean seen = FALSE;
			if (st_gs1_element_fixed(el) != (pass == 0))
				continue;
			for (guint k = 0; k < path->len && !seen; k++)
				seen = strcmp(((StGs1Element *)g_ptr_array_index(path, k))->ai,
					      el->ai) == 0;
			for (guint k = 0; k < attrs->len && !seen; k++)
				seen = strcmp(((StGs1Element *)g_ptr_array_index(attrs, k))->ai,
					      el->ai) == 0;
			if (seen)
				continue;
			if (el->def == NULL ? options->unknown_ai_not_dl_attr
					    : !(el->def->entry->flags & ST_GS1_AI_DL_ATTRIBUTE)) {
				st_gs1_fail(error, "invalid-data-attribute", el->ai, el->position,
					    0,
					    "(%s) cannot be a Digital Link data attribute, and is "
					    "not a "
					    "qualifier of (%s) in the path chosen",
					    el->ai, key->ai);
				return NULL;
			}
			g_ptr_array_add(attrs, (gpointer)el);
		}
	}
	uri = g_string_new(stem != NULL ? stem : "https://id.gs1.org");
	while (uri->len > 0 && uri->str[uri->len - 1] == '/')
		g_string_truncate(uri, uri->len - 1);
	for (guint k = 0; k < path->len; k++) {
		const StGs1Element *el = g_ptr_array_index(path, k);
		g_autofree gchar *v = st_gs1_uri_escape(el->value, el->value_len, FALSE);
		g_string_append_printf(uri, "/%s/%s", el->ai, v);
	}
	for (guint k = 0; k < attrs->len; k++) {
		const StGs1Element *el = g_ptr_array_index(attrs, k);
		g_autofree gchar *v = st_gs1_uri_escape(el->value, el->value_len, TRUE);
		g_string_append_printf(uri, "%c%s=%s", first_param ? '?' : '&', el->ai, v);
		first_param = FALSE;
	}
	return g_string_free(g_steal_pointer(&uri), FALSE);
}

/* ---- scan data with AIM symbology identifiers (ISO/IEC 15424) ---- */

gboolean
st_gs1_aim_is_gs1(const gchar *aim)
{
	static const gchar *const gs1_aims[] = {"]C1", "]e0", "]d2", "]Q3", "]J1"};
	for (guint i = 0; i < G_N_ELEMENTS(gs1_aims); i++) {
		if (strncmp(aim, gs1_aims[i], 3) == 0)
			return TRUE;
	}
	return FALSE;
}

void
st_gs1_scan_clear(StGs1Scan *scan)
{
	g_free(scan->primary);
	g_free(scan->text);
	st_gs1_message_free(scan->message);
	memset(scan, 0, sizeof(*scan));
}

static gboolean
st_gs1_ean_ok(const gchar *d, gsize n)
{
	gsize pos, len;
	if (!st_gs1_all_digits(d, n))
		return FALSE;
	return st_gs1_lint("csum", d, n, &pos, &len) == NULL;
}

gboolean
st_gs1_parse_scan_data(const guint8 *data,
		       gsize len,
		       const StGs1Options *options,
		       StGs1Scan *scan,
		       StGs1Error *error)
{
	const gchar *s = (const gchar *)data;
	const gchar *rest;
	gsize rest_len;

	memset(scan, 0, sizeof(*scan));
	if (len < 3 || s[0] != ']' || !g_ascii_isalpha(s[1]) ||
	    !(g_ascii_isdigit(s[2]) || (s[2] >= 'A' && s[2] <= 'F'))) {
		st_gs1_fail(error, "no-symbology-identifier", NULL, 0, (gint)MIN(len, 3),
			    "the scan does not start with an AIM symbology identifier like ]C1");
		return FALSE;
	}
	memcpy(scan->aim, s, 3);
	rest = s + 3;
	rest_len = len - 3;
	if (st_gs1_aim_is_gs1(scan->aim)) {
		scan->gs1 = TRUE;
		scan->message = st_gs1_parse_element_string(data + 3, rest_len, options, error);
		if (scan->message == NULL) {
			if (error != NULL && error->position >= 0)
				error->position += 3;
			return FALSE;
		}
		return TRUE;
	}
	if (strncmp(scan->aim, "]E0", 3) == 0 || strncmp(scan->aim, "]E4", 3) == 0) {
		gsize want = scan->aim[2] == '0' ? 13 : 8;
		if (rest_len < want || !st_gs1_ean_ok(rest, want) ||
		    (rest_len > want && (rest_len < want + 4 || rest[want] != '|' ||
					 strncmp(rest + want + 1, "]e0", 3) != 0))) {
			st_gs1_fail(error, "invalid-ean-upc", NULL, 3, (gint)rest_len,
				    "%s data must be %" G_GSIZE_FORMAT " digits with a good check "
				    "digit, maybe followed by a composite |]e0...",
				    scan->aim, want);
			return FALSE;
		}
		scan->primary = g_strndup(rest, want);
		if (rest_len > want) {
			scan->gs1 = TRUE;
			scan->message = st_gs1_parse_element_string(
				data + 3 + want + 4, rest_len - want - 4, options, error);
			if (scan->message == NULL) {
				st_gs1_scan_clear(scan); /* nothing left for the caller to free */
				return FALSE;
			}
		}
		return TRUE;
	}
	scan->text = g_strndup(rest, rest_len);
	scan->text_len = rest_len;
	if (st_gs1_dl_scheme(scan->text, "https://") || st_gs1_dl_scheme(scan->text, "http://"))
		scan->message = st_gs1_parse_digital_link(scan->text, rest_len, options, NULL);
	return TRUE;
}

gchar *
st_gs1_scan_data_make(const gchar *aim,
		      const gchar *primary,
		      const StGs1Message *msg,
		      StGs1Error *error)
{
	g_autoptr(GString) out = g_string_new(aim);
	gboolean ean = g_strcmp0(aim, "]E0") == 0 || g_strcmp0(aim, "]E4") == 0;
	gsize pos, len;

	if (aim == NULL || (!ean && !st_gs1_aim_is_gs1(aim))) {
		st_gs1_fail(error, "unknown-symbology", NULL, -1, 0,
			    "scan data is made for ]C1, ]e0, ]d2, ]Q3, ]J1 (GS1) or ]E0, ]E4 "
			    "(EAN/UPC), not %s",
			    aim != NULL ? aim : "no symbology");
		return NULL;
	}
	if (ean) {
		gsize want = aim[2] == '0' ? 13 : 8;
		gsize plen = primary != NULL ? strlen(primary) : 0;
		if (want == 13 && plen == 12)
			g_string_append_c(out, '0'); /* UPC-A is sent as 13 digits */
		g_string_append(out, primary != NULL ? primary : "");
		if (out->len - 3 != want || !st_gs1_all_digits(out->str + 3, want) ||
		    st_gs1_lint("csum", out->str + 3, want, &pos, &len) != NULL) {
			st_gs1_fail(error, "invalid-ean-upc", NULL, -1, 0,
				    "%s needs %" G_GSIZE_FORMAT " digits with a good check digit",
				    aim, want);
			return NULL;
		}
		if (msg != NULL) {
			g_autofree gchar *es = st_gs1_message_to_element_string(msg, ST_GS1_GS);
			g_string_append_printf(out, "|]e0%s", es);
		}
		return g_string_free(g_steal_pointer(&out), FALSE);
	}
	if (primary != NULL) {
		/* GS1 DataBar Omnidirectional, Limited: a GTIN-14 that scanners send as (01) */
		if (strlen(primary) != 14 || !st_gs1_all_digits(primary, 14) ||
		    st_gs1_lint("csum", primary, 14, &pos, &len) != NULL) {
			st_gs1_fail(
				error, "invalid-gtin", "01", -1, 0,
				"the GTIN of a GS1 DataBar symbol is 14 digits with a good check "
				"digit");
			return NULL;
		}
		g_string_append_printf(out, "01%s", primary);
	}
	if (msg != NULL && msg->elements->len > 0) {
		g_autofree gchar *es = st_gs1_message_to_element_string(msg, ST_GS1_GS);
		g_string_append(out, es); /* (01) is of predefined length: no separator */
	} else if (primary == NULL) {
		st_gs1_fail(error, "no-ai-data", NULL, -1, 0, "there is no GS1 data to send");
		return NULL;
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

const gchar *
st_gs1_lint(const gchar *linter, const gchar *data, gsize len, gsize *pos, gsize *err_len)
{
	StGs1LintFunc f = st_gs1_lint_lookup(linter);
	g_return_val_if_fail(f != NULL, NULL);
	return f(data, len, pos, err_len);
}
