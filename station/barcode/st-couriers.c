/*
 * The couriers' rules applied: a scan is tried against every rule's pattern (anchored at both
 * ends; spaces inside are the printed groups'), and for each it fits, its check digit and its
 * lookups. Each algorithm the data names is here once; each is described with a worked
 * example in tests/station/barcode/test-couriers.c.
 */
#include <string.h>

#include "st-check-digit.h"
#include "st-couriers.h"

void
st_courier_match_free(StCourierMatch *self)
{
	g_free(self->number);
	g_free(self->service);
	g_free(self->operator_name);
	g_free(self->country);
	g_free(self);
}

gboolean
st_courier_rule_has_check(const StCourierRule *rule)
{
	return rule->check != ST_COURIER_CHECK_NONE;
}

/**
 * st_courier_check_ok:
 * @serial: the digits (or characters) the check covers, @len of them, without spaces
 * @check: the check character the number carries
 * @expected: (out): the check digit due (for MOD 37,36: its value, an index in the alphabet)
 *
 * Each algorithm is st-check-digit.c's, with the rule's parameters.
 *
 * Returns: whether @check is the one @rule's algorithm gives for @serial
 */
gboolean
st_courier_check_ok(const StCourierRule *rule,
		    const gchar *serial,
		    gsize len,
		    gchar check,
		    guint *expected)
{
	guint due = 0;

	*expected = 0;
	switch (rule->check) {
	case ST_COURIER_CHECK_MOD10:
		due = st_check_digit_mod10_weighted(serial, len, rule->evens, rule->odds,
						    rule->modulo, rule->reverse);
		break;
	case ST_COURIER_CHECK_MOD7:
		due = st_check_digit_mod7(serial, len);
		break;
	case ST_COURIER_CHECK_LUHN:
		due = st_check_digit_luhn(serial, len);
		break;
	case ST_COURIER_CHECK_S10:
		if (len != 8)
			return FALSE;
		due = st_check_digit_s10(serial);
		break;
	case ST_COURIER_CHECK_MOD_37_36: {
		gint v = st_check_digit_iso7064_hybrid(serial, len, rule->alphabet,
						       rule->modulo > 0 ? rule->modulo : 36);
		if (v < 0)
			return FALSE;
		*expected = (guint)v;
		return rule->alphabet[v] == check;
	}
	case ST_COURIER_CHECK_SUM_PRODUCT:
		due = st_check_digit_weighted_sum(serial, MIN(len, rule->n_weights), rule->weights,
						  rule->n_weights) %
		      rule->modulo % rule->modulo2;
		break;
	case ST_COURIER_CHECK_NONE:
	default:
		return FALSE;
	}
	*expected = due;
	return g_ascii_isdigit(check) && (guint)(check - '0') == due;
}

/* @regex with its groups' names taken out ((?<Name>... becomes (?:...), so that several
 * rules' patterns can be alternatives of one expression */
static gchar *
st_couriers_unnamed(const gchar *regex)
{
	GString *out = g_string_new(NULL);
	for (const gchar *p = regex; *p != '\0';) {
		if (p[0] == '\\' && p[1] != '\0') {
			g_string_append_len(out, p, 2);
			p += 2;
		} else if (g_str_has_prefix(p, "(?<") && p[3] != '=' && p[3] != '!') {
			const gchar *close = strchr(p, '>');
			g_string_append(out, "(?:");
			p = close != NULL ? close + 1 : p + 3;
		} else {
			g_string_append_c(out, *p++);
		}
	}
	return g_string_free(out, FALSE);
}

/* every rule's pattern as one alternative: a scan that fits none (most text that reaches the
 * couriers) costs one match instead of one a rule */
static GRegex *
st_couriers_any(void)
{
	static GRegex *any = NULL;
	static gsize done = 0;

	if (g_once_init_enter(&done)) {
		g_autoptr(GString) all = g_string_new("\\A(?:");
		g_autoptr(GError) error = NULL;
		for (guint i = 0; i < st_n_courier_rules; i++) {
			g_autofree gchar *unnamed = st_couriers_unnamed(st_courier_rules[i].regex);
			g_string_append_printf(all, "%s(?:%s)", i > 0 ? "|" : "", unnamed);
		}
		g_string_append(all, ")\\z");
		any = g_regex_new(all->str, G_REGEX_OPTIMIZE, 0, &error);
		if (any == NULL)
			g_error("the couriers' patterns together: %s", error->message);
		g_once_init_leave(&done, 1);
	}
	return any;
}

/* the rules' patterns, anchored, compiled once */
static GRegex **
st_couriers_patterns(void)
{
	static GRegex **patterns = NULL;
	static gsize done = 0;

	if (g_once_init_enter(&done)) {
		patterns = g_new0(GRegex *, st_n_courier_rules);
		for (guint i = 0; i < st_n_courier_rules; i++) {
			g_autofree gchar *anchored =
				g_strdup_printf("\\A(?:%s)\\z", st_courier_rules[i].regex);
			g_autoptr(GError) error = NULL;
			patterns[i] = g_regex_new(anchored, G_REGEX_OPTIMIZE, 0, &error);
			if (patterns[i] == NULL)
				g_error("courier rule %s: %s", st_courier_rules[i].id,
					error->message);
		}
		g_once_init_leave(&done, 1);
	}
	return patterns;
}

/* @s without its spaces */
static gchar *
st_couriers_squeeze(const gchar *s, gsize len)
{
	GString *out = g_string_sized_new(len);
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isspace(s[i]))
			g_string_append_c(out, s[i]);
	}
	return g_string_free(out, FALSE);
}

/* a named group's value without spaces; NULL when the group took nothing */
static gchar *
st_couriers_group(GMatchInfo *m, const gchar *name)
{
	g_autofree gchar *raw = g_match_info_fetch_named(m, name);
	if (raw == NULL || raw[0] == '\0')
		return NULL;
	return st_couriers_squeeze(raw, strlen(raw));
}

/* the lookup of @rule named @name, applied to its group's value in @m */
static const StCourierLookupEntry *
st_couriers_lookup(const StCourierRule *rule, GMatchInfo *m, const gchar *name)
{
	for (guint i = 0; i < rule->n_lookups; i++) {
		const StCourierLookup *l = &rule->lookups[i];
		g_autofree gchar *value = NULL;
		if (g_strcmp0(l->name, name) != 0)
			continue;
		value = st_couriers_group(m, l->group);
		if (value == NULL)
			return NULL;
		for (guint j = 0; j < l->n_entries; j++) {
			const StCourierLookupEntry *e = &l->entries[j];
			if (e->matches != NULL && strcmp(e->matches, value) == 0)
				return e;
			if (e->matches_regex != NULL) {
				g_autofree gchar *anchored =
					g_strdup_printf("\\A(?:%s)\\z", e->matches_regex);
				if (g_regex_match_simple(anchored, value, 0, 0))
					return e;
			}
		}
		return NULL;
	}
	return NULL;
}

/**
 * st_couriers_match:
 * @text: the scan, @len bytes of UTF-8
 *
 * Returns: (transfer full) (element-type StCourierMatch): the rules whose pattern @text fits,
 *   in the data's order, each with whether its check digit holds
 */
GPtrArray *
st_couriers_match(const gchar *text, gsize len)
{
	GRegex **patterns = st_couriers_patterns();
	GPtrArray *found = g_ptr_array_new_with_free_func((GDestroyNotify)st_courier_match_free);

	if (!g_regex_match_full(st_couriers_any(), text, (gssize)len, 0, 0, NULL, NULL))
		return found;

	for (guint i = 0; i < st_n_courier_rules; i++) {
		const StCourierRule *rule = &st_courier_rules[i];
		g_autoptr(GMatchInfo) m = NULL;
		StCourierMatch *match;
		g_autofree gchar *serial = NULL;
		g_autofree gchar *check = NULL;
		const StCourierLookupEntry *e;
		gint start = -1, end = -1;

		if (!g_regex_match_full(patterns[i], text, (gssize)len, 0, 0, &m, NULL))
			continue;
		match = g_new0(StCourierMatch, 1);
		match->rule = rule;
		match->number = st_couriers_squeeze(text, len);
		match->check_position = -1;
		match->lookup_ok = TRUE;
		serial = st_couriers_group(m, "SerialNumber");
		check = st_couriers_group(m, "CheckDigit");
		if (st_courier_rule_has_check(rule) && serial != NULL && check != NULL) {
			match->check_ok = st_courier_check_ok(rule, serial, strlen(serial),
							      check[0], &match->expected);
			match->found = check[0];
			if (g_match_info_fetch_named_pos(m, "CheckDigit", &start, &end) &&
			    start >= 0) {
				g_autofree gchar *before = st_couriers_squeeze(text, (gsize)start);
				match->check_position = (gint)strlen(before);
			}
		}
		e = st_couriers_lookup(rule, m, "Service Type");
		if (e != NULL && e->value[0] != '\0')
			match->service = g_strdup(e->value);
		e = st_couriers_lookup(rule, m, "Courier");
		if (e != NULL)
			match->operator_name = g_strdup(e->value);
		match->country = st_couriers_group(m, "CountryCode");
		if (rule->exists != NULL)
			match->lookup_ok = st_couriers_lookup(rule, m, rule->exists) != NULL;
		g_ptr_array_add(found, match);
	}
	return found;
}

/* Returns: (transfer full) (nullable): @rule's tracking page for @number */
gchar *
st_courier_tracking_url(const StCourierRule *rule, const gchar *number)
{
	const gchar *at;
	if (rule->url == NULL || (at = strstr(rule->url, "%s")) == NULL)
		return NULL;
	return g_strdup_printf("%.*s%s%s", (gint)(at - rule->url), rule->url, number, at + 2);
}

/* Returns: the check-digit algorithm of @rule, in words */
gchar *
st_courier_rule_describe_check(const StCourierRule *rule)
{
	switch (rule->check) {
	case ST_COURIER_CHECK_MOD10:
		return g_strdup_printf("mod 10, weights %u and %u%s", rule->evens, rule->odds,
				       rule->reverse ? " from the right" : "");
	case ST_COURIER_CHECK_MOD7:
		return g_strdup("mod 7");
	case ST_COURIER_CHECK_LUHN:
		return g_strdup("Luhn");
	case ST_COURIER_CHECK_S10:
		return g_strdup("UPU S10, mod 11");
	case ST_COURIER_CHECK_MOD_37_36:
		return g_strdup("ISO 7064 MOD 37,36");
	case ST_COURIER_CHECK_SUM_PRODUCT:
		return g_strdup_printf("weighted sum mod %u mod %u", rule->modulo, rule->modulo2);
	case ST_COURIER_CHECK_NONE:
	default:
		return g_strdup("none");
	}
}

/* Returns: @rule's pattern as a person reads it: without the spaces it allows between
 * characters, its groups' names and the parentheses that only name: 1Z[A-Z0-9]{6}... */
gchar *
st_courier_rule_describe_shape(const StCourierRule *rule)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GArray) open = g_array_new(FALSE, FALSE, sizeof(gsize)); /* '(' in @out */
	g_autoptr(GArray) alt = g_array_new(FALSE, FALSE, sizeof(gboolean));
	const gchar *p = rule->regex;
	gboolean in_class = FALSE;

	while (*p != '\0') {
		if (*p == '\\' && p[1] == 's' && p[2] == '*') {
			p += 3;
			continue;
		}
		if (*p == '\\' && p[1] != '\0') {
			g_string_append_len(out, p, 2);
			p += 2;
			continue;
		}
		if (in_class) {
			in_class = *p != ']';
			g_string_append_c(out, *p++);
			continue;
		}
		if (*p == '[') {
			in_class = TRUE;
			g_string_append_c(out, *p++);
			continue;
		}
		if (*p == '(') {
			gsize at = out->len;
			/* a lookahead is kept whole */
			gboolean keep = g_str_has_prefix(p, "(?=") || g_str_has_prefix(p, "(?!");
			if (g_str_has_prefix(p, "(?<") && !keep) {
				const gchar *close = strchr(p, '>');
				p = close != NULL ? close + 1 : p + 3;
			} else if (g_str_has_prefix(p, "(?:")) {
				p += 3;
			} else {
				p += keep ? 3 : 1;
			}
			g_string_append(out, keep ? "(?=" : "(");
			if (keep)
				out->str[out->len - 1] = p[-1];
			g_array_append_val(open, at);
			g_array_append_val(alt, keep);
			continue;
		}
		if (*p == '|' && alt->len > 0)
			g_array_index(alt, gboolean, alt->len - 1) = TRUE;
		if (*p == ')' && open->len > 0) {
			gsize at = g_array_index(open, gsize, open->len - 1);
			gboolean keep = g_array_index(alt, gboolean, alt->len - 1);
			g_array_set_size(open, open->len - 1);
			g_array_set_size(alt, alt->len - 1);
			p++;
			if (keep)
				g_string_append_c(out, ')');
			else
				g_string_erase(out, (gssize)at, 1);
			continue;
		}
		g_string_append_c(out, *p++);
	}
	return g_string_free(out, FALSE);
}

/**
 * st_couriers_number_fits:
 * @courier: a courier's code or name ("yodel", "Yodel")
 *
 * Returns: whether @number is of one of @courier's forms, with its check digit holding where
 *   the form has one: a number two couriers share (Yodel's and DHL's JD...) is either's
 */
gboolean
st_couriers_number_fits(const gchar *courier, const gchar *number)
{
	g_autoptr(GPtrArray) found = st_couriers_match(number, strlen(number));
	for (guint i = 0; i < found->len; i++) {
		const StCourierMatch *m = g_ptr_array_index(found, i);
		if (g_ascii_strcasecmp(m->rule->courier_code, courier) != 0 &&
		    g_ascii_strcasecmp(m->rule->courier, courier) != 0)
			continue;
		if (!st_courier_rule_has_check(m->rule) || (m->check_ok && m->lookup_ok))
			return TRUE;
	}
	return FALSE;
}
