/*
 * Label templates: user-editable JSON files (documented in the README) that place items on a
 * page in millimetres and fill them from shipment data, also JSON. A template is parsed and
 * checked whole when loaded, so a mistake in it is reported with its item before any data
 * comes; filling it reports every missing or bad field by name before anything is drawn.
 *
 *   {"name": "...", "description": "...", "page": "4x6in", "format": "zpl",
 *    "items": [{"type": "text", "x": 5, "y": 5, "w": 90, "h": 10, "size": 4,
 *               "text": "{recipient.name}"}, ...]}
 *
 * Placeholders: {path.to.field} must be in the data; {path?} may be missing (empty);
 * {{ and }} are literal braces; in a "repeat" item, {.field} is a field of the element;
 * {#page} and {#pages} number the pages of a label whose repeat runs over pages ("pages":
 * true: "max" entries a page, the template's other items on every page).
 * Filters after the path change the value, left to right: {recipient.city|ascii|upper},
 * {tracking|right:8}, {recipient.country|country-number} (see filters[] below). A value
 * going into a barcode may not hold control characters, so shipment data cannot add
 * separators (GS, RS) to a structured message such as MaxiCode's.
 */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "station/st-bounded.h"
#include "station/st-error.h"
#include "station/st-label.h"
#include "station/st-module.h"

#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "st-iso3166.h"
#include "st-label-private.h"

typedef struct {
	gdouble width_mm, height_mm;
} PageSize;

struct _StLabelTemplate {
	gchar *name;
	gchar *description;
	gdouble width_mm, height_mm;
	StLabelFormat format;
	JsonNode *root;		  /* the items, validated */
	JsonObject *paged_repeat; /* (nullable): in @root, the repeat with "pages": true */
};

static const struct {
	const gchar *name;
	gdouble w, h;
} page_sizes[] = {
	{"4x6in", 101.6, 152.4}, {"4x4in", 101.6, 101.6}, {"100x150mm", 100, 150},
	{"a6", 105, 148},	 {"a4", 210, 297},	  {"letter", 215.9, 279.4},
};

static const gchar *const item_types[] = {"text", "line", "box", "barcode", "image", "repeat"};

/* filters --------------------------------------------------------------------------- */

static const gchar *const filters[] = {
	"upper",	  /* upper case */
	"ascii",	  /* in Latin letters, then ASCII: ICU's Any-Latin; Latin-ASCII ("Müller"
			   * -> "Muller", "西湖区" -> "xi hu qu", "Москва" -> "Moskva") */
	"digits",	  /* the digits only ("08102-1234" -> "081021234") */
	"alnum",	  /* ASCII letters and digits only ("SW1A 1AA" -> "SW1A1AA") */
	"left:N",	  /* the first N characters */
	"right:N",	  /* the last N characters */
	"skip:N",	  /* all but the first N characters */
	"group:N",	  /* a space after every N characters ("1234 5678") */
	"day-of-year",	  /* a date (YYYY-MM-DD) as its day of the year, 001 to 366 */
	"country-number", /* ISO 3166 alpha-2 or alpha-3 to its three-digit number */
};

/* the N of "left:N" or "right:N", or -1 */
static gint
filter_count(const gchar *filter, const gchar *name)
{
	gsize n = strlen(name);
	guint64 v = 0;
	if (strncmp(filter, name, n) != 0 || filter[n] != ':' ||
	    !g_ascii_string_to_unsigned(filter + n + 1, 10, 1, 1000, &v, NULL))
		return -1;
	return (gint)v;
}

static gboolean
filter_known(const gchar *f)
{
	return g_strcmp0(f, "upper") == 0 || g_strcmp0(f, "ascii") == 0 ||
	       g_strcmp0(f, "digits") == 0 || g_strcmp0(f, "alnum") == 0 ||
	       g_strcmp0(f, "country-number") == 0 || g_strcmp0(f, "day-of-year") == 0 ||
	       filter_count(f, "left") > 0 || filter_count(f, "right") > 0 ||
	       filter_count(f, "skip") > 0 || filter_count(f, "group") > 0;
}

/* ICU's transliterator from any script to Latin, then to ASCII: made once, used under a lock
 * (a UTransliterator is not to be shared between threads unguarded) */
static GMutex translit_lock;

/* ICU's functions, from libicui18n opened at the first text that is not ASCII: the program is
 * not linked with ICU, whose loading (ICU, libstdc++) cost every command 1.9 ms of start-up and
 * 2.4 MiB resident though most never write a letter outside ASCII. Looked up by their names in
 * this ICU's headers (which carry its version: utrans_openU_72). */
static struct {
	__typeof__(&u_uastrcpy) uastrcpy;
	__typeof__(&u_errorName) errorName;
	__typeof__(&u_strFromUTF8) strFromUTF8;
	__typeof__(&u_strToUTF8) strToUTF8;
	__typeof__(&utrans_openU) openU;
	__typeof__(&utrans_transUChars) transUChars;
} icu;

#define ST_ICU_NAME_(f) #f
#define ST_ICU_NAME(f)	ST_ICU_NAME_(f)

/* Returns: TRUE when ICU's functions are in @icu; else FALSE with why in @error */
static gboolean
st_label_icu_open(gchar **error)
{
	const StModuleSymbol fns[] = {
		{ST_ICU_NAME(u_uastrcpy), (gpointer *)&icu.uastrcpy},
		{ST_ICU_NAME(u_errorName), (gpointer *)&icu.errorName},
		{ST_ICU_NAME(u_strFromUTF8), (gpointer *)&icu.strFromUTF8},
		{ST_ICU_NAME(u_strToUTF8), (gpointer *)&icu.strToUTF8},
		{ST_ICU_NAME(utrans_openU), (gpointer *)&icu.openU},
		{ST_ICU_NAME(utrans_transUChars), (gpointer *)&icu.transUChars},
	};
	g_autofree gchar *failed = st_module_open(ST_ICU_I18N_SONAME, fns, G_N_ELEMENTS(fns));

	if (failed != NULL) {
		*error = g_strdup_printf("ICU (%s) cannot be opened: %s", ST_ICU_I18N_SONAME,
					 failed);
		return FALSE;
	}
	return TRUE;
}

/**
 * st_label_transliterate:
 *
 * @utf8 written in printable ASCII, as carriers' sorting systems read it: any script through
 * ICU's "Any-Latin; Latin-ASCII" (西湖区文三路 -> "xi hu qu wen san lu"), control characters
 * dropped.
 *
 * Returns: (transfer full): the ASCII text, or NULL with ST_ERROR_INVALID_DATA when some of it
 *   has no Latin form (the caller names the field)
 */
static gchar *
st_label_transliterate(const gchar *utf8, GError **error)
{
	static UTransliterator *translit = NULL;
	static gchar *translit_error = NULL;
	static gsize made = 0;
	g_autofree UChar *buf = NULL;
	g_autofree gchar *out = NULL;
	UErrorCode status = U_ZERO_ERROR;
	int32_t len = 0, cap, limit, out_len = 0;
	gsize j = 0;
	gboolean ascii = TRUE;

	for (const gchar *p = utf8; *p != '\0' && ascii; p++)
		ascii = (guchar)*p < 0x80;
	if (ascii) {
		/* already ASCII: only the control characters go, and ICU's transliterators (a
		 * third of a label command's time to load) are not needed */
		out = g_new0(gchar, strlen(utf8) + 1);
		for (const gchar *p = utf8; *p != '\0'; p++) {
			if (g_ascii_isprint(*p))
				out[j++] = *p;
			else if (*p == '\n' || *p == '\t')
				out[j++] = ' ';
		}
		return g_steal_pointer(&out);
	}
	if (g_once_init_enter(&made)) {
		if (st_label_icu_open(&translit_error)) {
			UErrorCode st = U_ZERO_ERROR;
			UChar id[64];
			icu.uastrcpy(id, "Any-Latin; Latin-ASCII");
			translit = icu.openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
			if (U_FAILURE(st)) {
				translit = NULL;
				translit_error =
					g_strdup_printf("ICU has no Any-Latin; Latin-ASCII "
							"transliterator here (%s)",
							icu.errorName(st));
			}
		}
		g_once_init_leave(&made, 1);
	}
	if (!g_utf8_validate(utf8, -1, NULL)) {
		g_set_error_literal(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA, "not UTF-8 text");
		return NULL;
	}
	if (translit == NULL) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_FAILED,
			    "text outside ASCII cannot be written in Latin letters: %s; install "
			    "the ICU library this station was built with (Debian: libicu72)",
			    translit_error);
		return NULL;
	}
	icu.strFromUTF8(NULL, 0, &len, utf8, -1, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "the text cannot be read: %s", icu.errorName(status));
		return NULL;
	}
	/* a syllable can become several letters: room for 8 each */
	cap = len * 8 + 16;
	buf = g_new0(UChar, cap);
	status = U_ZERO_ERROR;
	icu.strFromUTF8(buf, cap, &len, utf8, -1, &status);
	limit = len;
	g_mutex_lock(&translit_lock);
	icu.transUChars(translit, buf, &len, cap, 0, &limit, &status);
	g_mutex_unlock(&translit_lock);
	if (U_FAILURE(status)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "the text cannot be written in Latin letters: %s",
			    icu.errorName(status));
		return NULL;
	}
	out = g_new0(gchar, (gsize)len * 4 + 1);
	status = U_ZERO_ERROR;
	icu.strToUTF8(out, len * 4 + 1, &out_len, buf, len, &status);
	for (gsize i = 0; i < (gsize)out_len; i++) {
		guchar c = (guchar)out[i];
		if (c >= 0x80) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "\"%s\" has characters without a Latin form (%s); write it in "
				    "Latin letters in the order's data",
				    utf8, out);
			return NULL;
		}
		if (g_ascii_isprint(c))
			out[j++] = out[i];
		else if (c == '\n' || c == '\t')
			out[j++] = ' ';
	}
	out[j] = '\0';
	return g_steal_pointer(&out);
}

/* @value through @filter (known to be valid); NULL with an error for a country that has no
 * number */
static gchar *
filter_apply(const gchar *f, gchar *value, GError **error)
{
	g_autofree gchar *v = value;
	gint n;
	if (g_strcmp0(f, "upper") == 0)
		return g_utf8_strup(v, -1);
	if (g_strcmp0(f, "ascii") == 0)
		return st_label_transliterate(v, error);
	if (g_strcmp0(f, "digits") == 0 || g_strcmp0(f, "alnum") == 0) {
		gboolean letters = f[0] == 'a';
		gsize j = 0;
		for (gsize i = 0; v[i] != '\0'; i++)
			if (g_ascii_isdigit(v[i]) || (letters && g_ascii_isalpha(v[i])))
				v[j++] = v[i];
		v[j] = '\0';
		return g_steal_pointer(&v);
	}
	if (g_strcmp0(f, "country-number") == 0) {
		g_autofree gchar *code = g_ascii_strup(v, -1);
		const gchar *num = st_iso3166_number(g_strstrip(code));
		if (num == NULL) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "\"%s\" is not an ISO 3166 country code (such as US or DEU)",
				    v);
			return NULL;
		}
		return g_strdup(num);
	}
	if ((n = filter_count(f, "left")) > 0) {
		glong len = g_utf8_strlen(v, -1);
		return len <= n ? g_steal_pointer(&v) : g_utf8_substring(v, 0, n);
	}
	if ((n = filter_count(f, "right")) > 0) {
		glong len = g_utf8_strlen(v, -1);
		return len <= n ? g_steal_pointer(&v) : g_utf8_substring(v, len - n, len);
	}
	if ((n = filter_count(f, "skip")) > 0) {
		glong len = g_utf8_strlen(v, -1);
		return len <= n ? g_strdup("") : g_utf8_substring(v, n, len);
	}
	if ((n = filter_count(f, "group")) > 0) {
		GString *out = g_string_new(NULL);
		glong i = 0;
		for (const gchar *c = v; *c != '\0'; c = g_utf8_next_char(c), i++) {
			if (i > 0 && i % n == 0)
				g_string_append_c(out, ' ');
			g_string_append_len(out, c, g_utf8_next_char(c) - c);
		}
		return g_string_free(out, FALSE);
	}
	if (g_strcmp0(f, "day-of-year") == 0) {
		guint64 y = 0, m = 0, d = 0;
		g_autoptr(GDateTime) dt = NULL;
		g_auto(GStrv) parts = g_strsplit(v, "-", -1);
		if (g_strv_length(parts) == 3 &&
		    g_ascii_string_to_unsigned(parts[0], 10, 1, 9999, &y, NULL) &&
		    g_ascii_string_to_unsigned(parts[1], 10, 1, 12, &m, NULL) &&
		    g_ascii_string_to_unsigned(parts[2], 10, 1, 31, &d, NULL))
			dt = g_date_time_new_utc((gint)y, (gint)m, (gint)d, 0, 0, 0);
		if (dt == NULL) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "\"%s\" is not a date written YYYY-MM-DD", v);
			return NULL;
		}
		return g_strdup_printf("%03d", g_date_time_get_day_of_year(dt));
	}
	return g_steal_pointer(&v);
}

/* checks every placeholder's filters in @text, when the template is loaded */
static gboolean
check_filters(StLabelTemplate *tmpl, guint index, const gchar *text, GError **error)
{
	for (const gchar *p = strchr(text, '{'); p != NULL; p = strchr(p, '{')) {
		const gchar *end = strchr(p, '}');
		g_autofree gchar *inner = NULL;
		g_auto(GStrv) parts = NULL;
		if (p[1] == '{') {
			p += 2;
			continue;
		}
		if (end == NULL)
			return TRUE; /* reported with the data, as before */
		inner = g_strndup(p + 1, end - p - 1);
		parts = g_strsplit(inner, "|", -1);
		/* "{}": no name, no filters (g_strsplit gives an empty list) */
		for (guint i = 1; parts[0] != NULL && parts[i] != NULL; i++) {
			if (!filter_known(parts[i])) {
				g_autofree gchar *list = g_strjoinv(", ", (gchar **)filters);
				g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					    "template %s: item %u: unknown filter \"%s\" in {%s}; "
					    "the filters are %s",
					    tmpl->name, index + 1, parts[i], inner, list);
				return FALSE;
			}
		}
		p = end + 1;
	}
	return TRUE;
}

void
st_label_template_free(StLabelTemplate *tmpl)
{
	if (tmpl == NULL)
		return;
	g_free(tmpl->name);
	g_free(tmpl->description);
	if (tmpl->root != NULL)
		json_node_unref(tmpl->root);
	g_free(tmpl);
}

const gchar *
st_label_template_get_name(StLabelTemplate *tmpl)
{
	return tmpl->name;
}

const gchar *
st_label_template_get_description(StLabelTemplate *tmpl)
{
	return tmpl->description != NULL ? tmpl->description : "";
}

StLabelFormat
st_label_template_get_default_format(StLabelTemplate *tmpl)
{
	return tmpl->format;
}

static gboolean
member_is(JsonObject *o, const gchar *key, JsonNodeType type, GType value_type)
{
	JsonNode *n = json_object_get_member(o, key);
	if (n == NULL)
		return TRUE;
	if (JSON_NODE_TYPE(n) != type)
		return FALSE;
	if (type == JSON_NODE_VALUE && value_type == G_TYPE_DOUBLE)
		return json_node_get_value_type(n) == G_TYPE_DOUBLE ||
		       json_node_get_value_type(n) == G_TYPE_INT64;
	return type != JSON_NODE_VALUE || json_node_get_value_type(n) == value_type;
}

/* cuts @item's text to the longest start that fits its box with "…" after it; Returns: FALSE
 * when nothing fits */
static gboolean
ellipsize(StLabelItem *item, gint dpi)
{
	g_autofree gchar *whole = NULL;
	glong lo = 0, hi;

	if (st_label_text_fit(item, dpi, NULL) >= 0)
		return TRUE;
	whole = g_steal_pointer(&item->text);
	hi = g_utf8_strlen(whole, -1);
	/* the longest start (in characters) that fits with the ellipsis, by bisection */
	while (hi - lo > 1) {
		glong mid = lo + (hi - lo) / 2;
		g_autofree gchar *start = g_utf8_substring(whole, 0, mid);
		item->text = g_strconcat(g_strchomp(start), "…", NULL);
		if (st_label_text_fit(item, dpi, NULL) >= 0)
			lo = mid;
		else
			hi = mid;
		g_clear_pointer(&item->text, g_free);
	}
	{
		g_autofree gchar *start = g_utf8_substring(whole, 0, lo);
		item->text = g_strconcat(g_strchomp(start), "…", NULL);
	}
	return st_label_text_fit(item, dpi, NULL) >= 0;
}

/* entries a page of the paged repeat holds: its "max", or fewer when a row would reach past
 * the next item below the first row (the slip's note) or the page's last 5 mm: the page's
 * real size decides, so no template can draw a line off the page */
static guint
paged_per_page(const StLabelTemplate *tmpl)
{
	JsonObject *r = tmpl->paged_repeat;
	JsonArray *items = json_object_get_array_member(r, "items");
	JsonArray *top =
		JSON_NODE_HOLDS_ARRAY(tmpl->root)
			? json_node_get_array(tmpl->root)
			: json_object_get_array_member(json_node_get_object(tmpl->root), "items");
	gdouble dy = json_object_get_double_member_with_default(r, "dy", 5);
	guint max = (guint)json_object_get_int_member(r, "max");
	gdouble first_y = G_MAXDOUBLE, bottom = 0, limit = tmpl->height_mm - 5;
	guint fit;

	for (guint i = 0; i < json_array_get_length(items); i++) {
		JsonObject *o = json_array_get_object_element(items, i);
		gdouble y = json_object_get_double_member_with_default(o, "y", 0);
		gdouble h = json_object_get_double_member_with_default(
			o, "h", json_object_get_double_member_with_default(o, "size", 3) * 1.3);
		first_y = MIN(first_y, y);
		bottom = MAX(bottom, y + h);
	}
	for (guint i = 0; i < json_array_get_length(top); i++) {
		JsonObject *o = json_array_get_object_element(top, i);
		gdouble y = json_object_get_double_member_with_default(o, "y", 0);
		if (o != r && y > first_y)
			limit = MIN(limit, y);
	}
	if (dy <= 0 || bottom > limit)
		return 1;
	fit = (guint)((limit - bottom) / dy) + 1;
	return MAX(1u, MIN(max, fit));
}

/* checks the items of a template (or of a repeat), naming the first fault */
static gboolean
check_items(StLabelTemplate *tmpl, JsonArray *items, gboolean nested, GError **error)
{
	static const gchar *const numbers[] = {"x",	    "y",	"w",	     "h",
					       "x2",	    "y2",	"size",	     "min_size",
					       "thickness", "rotation", "max_lines", "module",
					       "dy",	    "max",	"max_length"};
	static const gchar *const strings[] = {"type",	   "name",  "text",	 "data",
					       "hri_text", "align", "symbology", "image",
					       "when",	   "check", "over"};
	static const gchar *const bools[] = {"bold", "hri", "reverse", "pages", "ellipsis"};

	for (guint i = 0; i < json_array_get_length(items); i++) {
		JsonNode *n = json_array_get_element(items, i);
		JsonObject *o;
		const gchar *type;
		g_autoptr(GList) members = NULL;
		gboolean known = FALSE;

		if (!JSON_NODE_HOLDS_OBJECT(n)) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "template %s: item %u is not an object", tmpl->name, i + 1);
			return FALSE;
		}
		o = json_node_get_object(n);
		members = json_object_get_members(o);
		for (GList *l = members; l != NULL; l = l->next) {
			const gchar *key = l->data;
			gboolean ok = FALSE;
			for (guint k = 0; k < G_N_ELEMENTS(numbers) && !ok; k++)
				ok = strcmp(key, numbers[k]) == 0;
			for (guint k = 0; k < G_N_ELEMENTS(strings) && !ok; k++)
				ok = strcmp(key, strings[k]) == 0;
			for (guint k = 0; k < G_N_ELEMENTS(bools) && !ok; k++)
				ok = strcmp(key, bools[k]) == 0;
			ok = ok || strcmp(key, "items") == 0;
			if (!ok) {
				g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					    "template %s: item %u has an unknown key \"%s\"",
					    tmpl->name, i + 1, key);
				return FALSE;
			}
		}
		for (guint k = 0; k < G_N_ELEMENTS(numbers); k++) {
			if (!member_is(o, numbers[k], JSON_NODE_VALUE, G_TYPE_DOUBLE)) {
				g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					    "template %s: item %u: \"%s\" must be a number",
					    tmpl->name, i + 1, numbers[k]);
				return FALSE;
			}
		}
		for (guint k = 0; k < G_N_ELEMENTS(strings); k++) {
			if (!member_is(o, strings[k], JSON_NODE_VALUE, G_TYPE_STRING)) {
				g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					    "template %s: item %u: \"%s\" must be a string",
					    tmpl->name, i + 1, strings[k]);
				return FALSE;
			}
			if (json_object_has_member(o, strings[k]) &&
			    !check_filters(tmpl, i, json_object_get_string_member(o, strings[k]),
					   error))
				return FALSE;
		}
		for (guint k = 0; k < G_N_ELEMENTS(bools); k++) {
			if (!member_is(o, bools[k], JSON_NODE_VALUE, G_TYPE_BOOLEAN)) {
				g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					    "template %s: item %u: \"%s\" must be true or false",
					    tmpl->name, i + 1, bools[k]);
				return FALSE;
			}
		}
		type = json_object_get_string_member_with_default(o, "type", NULL);
		for (guint k = 0; type != NULL && k < G_N_ELEMENTS(item_types); k++)
			known = known || strcmp(type, item_types[k]) == 0;
		if (!known) {
			g_set_error(
				error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				"template %s: item %u: \"type\" must be text, line, box, barcode, "
				"image or repeat",
				tmpl->name, i + 1);
			return FALSE;
		}
		if (strcmp(type, "barcode") == 0) {
			StSymbology sym;
			const gchar *name =
				json_object_get_string_member_with_default(o, "symbology", NULL);
			if (!st_symbology_from_string(name, &sym)) {
				g_autoptr(GString) list = g_string_new(NULL);
				for (guint k = 0; k < ST_SYMBOL_COUNT; k++)
					g_string_append_printf(list, "%s%s", k ? ", " : "",
							       st_symbology_to_string(k));
				g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					    "template %s: item %u: \"symbology\" must be one of %s",
					    tmpl->name, i + 1, list->str);
				return FALSE;
			}
		}
		if (json_object_has_member(o, "align")) {
			const gchar *a = json_object_get_string_member(o, "align");
			if (g_strcmp0(a, "left") != 0 && g_strcmp0(a, "center") != 0 &&
			    g_strcmp0(a, "right") != 0) {
				g_set_error(
					error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					"template %s: item %u: \"align\" must be left, center or "
					"right",
					tmpl->name, i + 1);
				return FALSE;
			}
		}
		if (json_object_has_member(o, "rotation")) {
			gint64 r = json_object_get_int_member(o, "rotation");
			if (r != 0 && r != 90 && r != 180 && r != 270) {
				g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					    "template %s: item %u: \"rotation\" must be 0, 90, 180 "
					    "or 270",
					    tmpl->name, i + 1);
				return FALSE;
			}
		}
		if (strcmp(type, "repeat") == 0) {
			JsonNode *inner = json_object_get_member(o, "items");
			if (nested || inner == NULL || !JSON_NODE_HOLDS_ARRAY(inner) ||
			    !json_object_has_member(o, "over")) {
				g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					    "template %s: item %u: a repeat needs \"over\" (the "
					    "data's list) and \"items\", and cannot be nested",
					    tmpl->name, i + 1);
				return FALSE;
			}
			if (!check_items(tmpl, json_node_get_array(inner), TRUE, error))
				return FALSE;
			if (json_object_get_boolean_member_with_default(o, "pages", FALSE) &&
			    json_object_get_int_member_with_default(o, "max", 0) <= 0) {
				g_set_error(
					error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					"template %s: item %u: a repeat over pages needs \"max\", "
					"the entries on one page",
					tmpl->name, i + 1);
				return FALSE;
			}
			if (json_object_get_boolean_member_with_default(o, "pages", FALSE) &&
			    tmpl->paged_repeat != NULL) {
				g_set_error(
					error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					"template %s: item %u: only one repeat can run over pages",
					tmpl->name, i + 1);
				return FALSE;
			}
			if (json_object_get_boolean_member_with_default(o, "pages", FALSE))
				tmpl->paged_repeat = o;
		} else if (json_object_has_member(o, "pages")) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "template %s: item %u: only a repeat has \"pages\"", tmpl->name,
				    i + 1);
			return FALSE;
		} else if (json_object_has_member(o, "items")) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "template %s: item %u: only a repeat has \"items\"", tmpl->name,
				    i + 1);
			return FALSE;
		}
	}
	return TRUE;
}

StLabelTemplate *
st_label_template_new_from_data(const gchar *name, const gchar *json, gssize len, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(StLabelTemplate) tmpl = g_new0(StLabelTemplate, 1);
	g_autoptr(GError) local = NULL;
	JsonObject *o;
	JsonNode *items, *page;
	const gchar *format;

	tmpl->name = g_strdup(name);
	if (len < 0)
		len = (gssize)strlen(json);
	if ((gsize)len > ST_LABEL_MAX_JSON) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "template %s is larger than %d KiB: not a label template", name,
			    ST_LABEL_MAX_JSON / 1024);
		return NULL;
	}
	if (!st_bounded_json_check(json, (gsize)len, ST_BOUNDED_JSON_DEPTH, &local)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA, "template %s is %s", name,
			    local->message);
		return NULL;
	}
	if (!json_parser_load_from_data(parser, json, len, &local)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "template %s is not JSON: %s", name, local->message);
		return NULL;
	}
	tmpl->root = json_parser_steal_root(parser);
	if (tmpl->root == NULL || !JSON_NODE_HOLDS_OBJECT(tmpl->root)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "template %s must be a JSON object", name);
		return NULL;
	}
	o = json_node_get_object(tmpl->root);
	if (member_is(o, "name", JSON_NODE_VALUE, G_TYPE_STRING) &&
	    json_object_has_member(o, "name")) {
		g_free(tmpl->name);
		tmpl->name = g_strdup(json_object_get_string_member(o, "name"));
	}
	if (member_is(o, "description", JSON_NODE_VALUE, G_TYPE_STRING))
		tmpl->description =
			g_strdup(json_object_get_string_member_with_default(o, "description", ""));
	page = json_object_get_member(o, "page");
	if (page != NULL && JSON_NODE_HOLDS_VALUE(page) &&
	    json_node_get_value_type(page) == G_TYPE_STRING) {
		const gchar *p = json_node_get_string(page);
		for (guint i = 0; i < G_N_ELEMENTS(page_sizes); i++) {
			if (g_ascii_strcasecmp(p, page_sizes[i].name) == 0) {
				tmpl->width_mm = page_sizes[i].w;
				tmpl->height_mm = page_sizes[i].h;
			}
		}
	} else if (page != NULL && JSON_NODE_HOLDS_OBJECT(page)) {
		JsonObject *po = json_node_get_object(page);
		if (member_is(po, "width_mm", JSON_NODE_VALUE, G_TYPE_DOUBLE) &&
		    member_is(po, "height_mm", JSON_NODE_VALUE, G_TYPE_DOUBLE)) {
			tmpl->width_mm =
				json_object_get_double_member_with_default(po, "width_mm", 0);
			tmpl->height_mm =
				json_object_get_double_member_with_default(po, "height_mm", 0);
		}
	}
	if (tmpl->width_mm < 10 || tmpl->height_mm < 10 || tmpl->width_mm > 600 ||
	    tmpl->height_mm > 1000) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "template %s: \"page\" must be one of 4x6in, 4x4in, 100x150mm, a6, a4, "
			    "letter, or {\"width_mm\": W, \"height_mm\": H} (10 to 600 by 10 to "
			    "1000 mm)",
			    tmpl->name);
		return NULL;
	}
	format = member_is(o, "format", JSON_NODE_VALUE, G_TYPE_STRING)
			 ? json_object_get_string_member_with_default(o, "format", "zpl")
			 : NULL;
	if (!st_label_format_from_string(format, &tmpl->format)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "template %s: \"format\" must be zpl, pdf or png", tmpl->name);
		return NULL;
	}
	items = json_object_get_member(o, "items");
	if (items == NULL || !JSON_NODE_HOLDS_ARRAY(items)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "template %s has no \"items\" list", tmpl->name);
		return NULL;
	}
	if (!check_items(tmpl, json_node_get_array(items), FALSE, error))
		return NULL;
	return g_steal_pointer(&tmpl);
}

StLabelTemplate *
st_label_template_load(const gchar *path, GError **error)
{
	g_autofree gchar *contents = NULL;
	g_autofree gchar *base = g_path_get_basename(path);
	gsize len = 0;
	g_autoptr(GError) local = NULL;

	if (!st_bounded_read_file(path, ST_LABEL_MAX_JSON, &contents, &len, &local)) {
		g_set_error(error, ST_LABEL_ERROR,
			    g_error_matches(local, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)
				    ? ST_ERROR_INVALID_DATA
				    : ST_ERROR_NOT_FOUND,
			    "cannot read template %s: %s", path, local->message);
		return NULL;
	}
	if (g_str_has_suffix(base, ".json"))
		base[strlen(base) - 5] = '\0';
	return st_label_template_new_from_data(base, contents, (gssize)len, error);
}

/* filling ----------------------------------------------------------------------------- */

typedef struct {
	StLabelTemplate *tmpl;
	JsonNode *data;
	JsonNode *element; /* the repeat's current element, or NULL */
	gint dpi;
	gdouble dy_mm;	   /* the repeat's offset */
	guint page, pages; /* the page being filled (0-based) and how many the label has */
	StLabelCheckFunc check;
	gpointer user_data;
	StLabel *label;
} Fill;

static JsonNode *
lookup(JsonNode *root, const gchar *path)
{
	g_auto(GStrv) parts = g_strsplit(path, ".", -1);
	JsonNode *n = root;
	for (guint i = 0; parts[i] != NULL; i++) {
		if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n))
			return NULL;
		n = json_object_get_member(json_node_get_object(n), parts[i]);
	}
	return n;
}

/* the value at @path as text: strings as they are, integers without a point, other numbers
 * with up to 6 significant digits; NULL when missing, null, or not a scalar */
static gchar *
value_text(JsonNode *n)
{
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
		return NULL;
	switch (json_node_get_value_type(n)) {
	case G_TYPE_STRING:
		return g_strdup(json_node_get_string(n));
	case G_TYPE_INT64:
		return g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(n));
	case G_TYPE_DOUBLE: {
		gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
		return g_strdup(g_ascii_formatd(buf, sizeof(buf), "%.6g", json_node_get_double(n)));
	}
	case G_TYPE_BOOLEAN:
		return g_strdup(json_node_get_boolean(n) ? "yes" : "no");
	default:
		return NULL;
	}
}

/* expands the placeholders of @in, or NULL with an error naming the missing field; a value
 * for a @barcode may not hold control characters */
static gchar *
expand(Fill *f, const gchar *in, const gchar *where, gboolean barcode, GError **error)
{
	g_autoptr(GString) out = g_string_new(NULL);
	/* data that is one field and nothing else is that field's bytes: it has no structure
	 * of the template's for a separator in the value to break */
	const gchar *close = in[0] == '{' && in[1] != '{' ? strchr(in, '}') : NULL;
	gboolean text = !barcode; /* what a person reads, rather than a symbol's data */
	if (close != NULL && close[1] == '\0')
		barcode = FALSE;
	for (const gchar *p = in; *p != '\0';) {
		const gchar *end;
		g_autofree gchar *path = NULL, *value = NULL;
		g_auto(GStrv) pipes = NULL;
		gboolean optional;
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			g_string_append_c(out, p[0]);
			p += 2;
			continue;
		}
		if (*p != '{') {
			g_string_append_c(out, *p++);
			continue;
		}
		end = strchr(p, '}');
		if (end == NULL || end == p + 1) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "template %s: %s: \"%s\" has an unclosed or empty {}; write {{ "
				    "for a brace",
				    f->tmpl->name, where, in);
			return NULL;
		}
		path = g_strndup(p + 1, end - p - 1);
		pipes = g_strsplit(path, "|", -1);
		optional = g_str_has_suffix(pipes[0], "?");
		if (optional)
			pipes[0][strlen(pipes[0]) - 1] = '\0';
		if (pipes[0][0] == '.')
			value = f->element != NULL ? value_text(lookup(f->element, pipes[0] + 1))
						   : NULL;
		else if (g_strcmp0(pipes[0], "#page") == 0)
			value = g_strdup_printf("%u", f->page + 1);
		else if (g_strcmp0(pipes[0], "#pages") == 0)
			value = g_strdup_printf("%u", f->pages);
		else
			value = value_text(lookup(f->data, pipes[0]));
		if (value == NULL && !optional) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "the data has no %s, which template %s needs for %s; add it to "
				    "the shipment data",
				    pipes[0], f->tmpl->name, where);
			return NULL;
		}
		for (guint i = 1; value != NULL && pipes[i] != NULL; i++) {
			value = filter_apply(pipes[i], g_steal_pointer(&value), error);
			if (value == NULL) {
				g_prefix_error(error, "%s, %s: ", where, pipes[0]);
				return NULL;
			}
		}
		if (value != NULL && barcode) {
			for (const gchar *c = value; *c != '\0'; c++) {
				if ((guchar)*c < 0x20 || *c == 0x7f) {
					g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
						    "%s: the data's %s holds a control character "
						    "(0x%02X), which a barcode's data may not take "
						    "from a field",
						    where, pipes[0], (guchar)*c);
					return NULL;
				}
			}
		}
		if (value != NULL && text) {
			/* text: a line break (CR LF, CR or LF) is a line break, a tab a space;
			 * other control characters would print as boxes: dropped */
			gsize j = 0;
			for (gsize i = 0; value[i] != '\0'; i++) {
				guchar c = (guchar)value[i];
				if (c == '\r' && value[i + 1] == '\n')
					continue;
				if (c == '\r' || c == '\n')
					value[j++] = '\n';
				else if (c == '\t')
					value[j++] = ' ';
				else if (c >= 0x20 && c != 0x7f)
					value[j++] = (gchar)c;
			}
			value[j] = '\0';
		}
		if (value != NULL)
			g_string_append(out, value);
		p = end + 1;
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static gint
dots(Fill *f, JsonObject *o, const gchar *key, gdouble offset)
{
	if (!json_object_has_member(o, key))
		return 0;
	return st_label_dots(json_object_get_double_member(o, key) + offset, f->dpi);
}

static gboolean
fill_items(Fill *f, JsonArray *items, GError **error);

static gboolean
fill_item(Fill *f, JsonObject *o, guint index, GError **error)
{
	const gchar *type = json_object_get_string_member(o, "type");
	const gchar *name = json_object_get_string_member_with_default(o, "name", NULL);
	g_autofree gchar *where = name != NULL ? g_strdup_printf("\"%s\"", name)
					       : g_strdup_printf("item %u", index + 1);
	g_autoptr(StLabelItem) item = NULL;
	const gchar *when = json_object_get_string_member_with_default(o, "when", NULL);

	if (when != NULL) {
		g_autofree gchar *v = NULL;
		if (when[0] == '.')
			v = f->element != NULL ? value_text(lookup(f->element, when + 1)) : NULL;
		else
			v = value_text(lookup(f->data, when));
		if (v == NULL || *v == '\0' || g_strcmp0(v, "no") == 0)
			return TRUE;
	}
	if (strcmp(type, "repeat") == 0) {
		const gchar *over = json_object_get_string_member(o, "over");
		JsonNode *list = lookup(f->data, over);
		gdouble dy = json_object_get_double_member_with_default(o, "dy", 5);
		gint64 max = json_object_get_int_member_with_default(o, "max", 0);
		guint first = 0, end;
		JsonArray *arr;
		if (list == NULL || !JSON_NODE_HOLDS_ARRAY(list)) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "the data has no list %s, which template %s repeats over", over,
				    f->tmpl->name);
			return FALSE;
		}
		arr = json_node_get_array(list);
		if (o == f->tmpl->paged_repeat) {
			/* this page's share of the entries */
			guint per_page = paged_per_page(f->tmpl);
			first = per_page * f->page;
			end = MIN(json_array_get_length(arr), first + per_page);
		} else {
			end = json_array_get_length(arr);
			if (max > 0 && end > (guint)max) {
				g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					    "%s has %u entries; template %s has room for "
					    "%" G_GINT64_FORMAT,
					    over, end, f->tmpl->name, max);
				return FALSE;
			}
		}
		for (guint i = first; i < end; i++) {
			f->element = json_array_get_element(arr, i);
			f->dy_mm = dy * (i - first);
			if (!fill_items(f, json_object_get_array_member(o, "items"), error)) {
				f->element = NULL;
				f->dy_mm = 0;
				return FALSE;
			}
		}
		f->element = NULL;
		f->dy_mm = 0;
		return TRUE;
	}

	item = st_label_item_new(strcmp(type, "text") == 0	? ST_LABEL_TEXT
				 : strcmp(type, "line") == 0	? ST_LABEL_LINE
				 : strcmp(type, "box") == 0	? ST_LABEL_BOX
				 : strcmp(type, "barcode") == 0 ? ST_LABEL_BARCODE
								: ST_LABEL_IMAGE);
	item->name = g_strdup(name != NULL ? name : where);
	item->x = dots(f, o, "x", 0);
	item->y = dots(f, o, "y", f->dy_mm);
	item->w = dots(f, o, "w", 0);
	item->h = dots(f, o, "h", 0);
	if (item->kind == ST_LABEL_LINE &&
	    (json_object_has_member(o, "x2") || json_object_has_member(o, "y2"))) {
		gint x2 = json_object_has_member(o, "x2") ? dots(f, o, "x2", 0) : item->x;
		gint y2 = json_object_has_member(o, "y2") ? dots(f, o, "y2", f->dy_mm) : item->y;
		gint t = MAX(1, dots(f, o, "thickness", 0));
		if (x2 != item->x && y2 != item->y) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "template %s: %s: lines are horizontal or vertical",
				    f->tmpl->name, where);
			return FALSE;
		}
		item->w = x2 == item->x ? t : ABS(x2 - item->x);
		item->h = y2 == item->y ? t : ABS(y2 - item->y);
		item->x = MIN(item->x, x2);
		item->y = MIN(item->y, y2);
	}
	item->thickness = MAX(1, dots(f, o, "thickness", 0));
	item->rotation = (gint)json_object_get_int_member_with_default(o, "rotation", 0);
	item->size = MAX(1, dots(f, o, "size", 0));
	if (!json_object_has_member(o, "size"))
		item->size = item->kind == ST_LABEL_BARCODE ? 0 : st_label_dots(3.5, f->dpi);
	item->min_size = dots(f, o, "min_size", 0);
	if (item->size > f->label->height || item->min_size > item->size) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "template %s: %s: \"size\" must be within the page and \"min_size\" "
			    "at most \"size\"",
			    f->tmpl->name, where);
		return FALSE;
	}
	item->bold = json_object_get_boolean_member_with_default(o, "bold", FALSE);
	item->reverse = json_object_get_boolean_member_with_default(o, "reverse", FALSE);
	item->hri = json_object_get_boolean_member_with_default(o, "hri", FALSE);
	item->max_lines = (gint)json_object_get_int_member_with_default(o, "max_lines", 0);
	{
		const gchar *a = json_object_get_string_member_with_default(o, "align", "left");
		item->align = strcmp(a, "center") == 0	? ST_ALIGN_CENTER
			      : strcmp(a, "right") == 0 ? ST_ALIGN_RIGHT
							: ST_ALIGN_LEFT;
	}
	if (item->x < 0 || item->y < 0 || item->w < 0 || item->h < 0 ||
	    item->x >= f->label->width || item->y >= f->label->height ||
	    item->x + item->w > f->label->width || item->y + item->h > f->label->height) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "template %s: %s lies outside the page", f->tmpl->name, where);
		return FALSE;
	}

	if (json_object_has_member(o, "text")) {
		item->text =
			expand(f, json_object_get_string_member(o, "text"), where, FALSE, error);
		if (item->text == NULL)
			return FALSE;
		if (!g_utf8_validate(item->text, -1, NULL)) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "%s: the text is not UTF-8", where);
			return FALSE;
		}
		/* lines left empty by optional fields (an address without a second street
		 * line) are dropped, so the address has no gaps */
		{
			g_auto(GStrv) lines = g_strsplit(item->text, "\n", -1);
			g_autoptr(GString) kept = g_string_new(NULL);
			for (guint i = 0; lines[i] != NULL; i++) {
				if (*g_strstrip(lines[i]) == '\0')
					continue;
				g_string_append_printf(kept, "%s%s", kept->len ? "\n" : "",
						       lines[i]);
			}
			g_free(item->text);
			item->text = g_string_free(g_steal_pointer(&kept), FALSE);
		}
		/* "ellipsis": text too long for its box even at the smallest size is cut with
		 * "…" where it still fits, rather than refusing the label (a packing slip's
		 * description: the slip is printed whatever the order says) */
		if (json_object_get_boolean_member_with_default(o, "ellipsis", FALSE) &&
		    !ellipsize(item, f->dpi)) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "template %s: %s: not even \"…\" fits its box", f->tmpl->name,
				    where);
			return FALSE;
		}
	}
	if (item->kind == ST_LABEL_BARCODE) {
		const gchar *check = json_object_get_string_member_with_default(o, "check", NULL);
		g_autofree gchar *value =
			expand(f, json_object_get_string_member_with_default(o, "data", ""), where,
			       TRUE, error);
		st_symbology_from_string(json_object_get_string_member(o, "symbology"),
					 &item->symbology);
		if (value == NULL)
			return FALSE;
		item->module = MAX(1, st_label_dots(json_object_get_double_member_with_default(
							    o, "module", 0.25),
						    f->dpi));
		if (check != NULL && f->check != NULL &&
		    !f->check(check, value, f->user_data, error)) {
			g_prefix_error(error, "%s: ", where);
			return FALSE;
		}
		if (json_object_has_member(o, "hri_text")) {
			item->hri_text = expand(f, json_object_get_string_member(o, "hri_text"),
						where, FALSE, error);
			if (item->hri_text == NULL)
				return FALSE;
		}
		if (item->symbology == ST_SYMBOL_GS1_128 ||
		    item->symbology == ST_SYMBOL_GS1_DATAMATRIX) {
			item->data = st_label_gs1_from_brackets(value, error);
			if (item->data == NULL) {
				g_prefix_error(error, "%s: ", where);
				return FALSE;
			}
			if (item->hri_text == NULL || item->symbology == ST_SYMBOL_GS1_DATAMATRIX) {
				g_free(item->hri_text);
				item->hri_text = g_strdup(value);
			}
		} else {
			item->data = g_bytes_new(value, strlen(value));
		}
		if (!st_label_check_symbol(item->symbology, item->data, error)) {
			g_prefix_error(error, "%s: ", where);
			return FALSE;
		}
	}
	if (json_object_has_member(o, "max_length")) {
		gint64 max = json_object_get_int_member(o, "max_length");
		const gchar *v = item->text;
		gsize n = 0;
		if (v == NULL && item->data != NULL)
			g_bytes_get_data(item->data, &n);
		else if (v != NULL)
			n = (gsize)g_utf8_strlen(v, -1);
		if ((gint64)n > max) {
			g_set_error(
				error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				"%s is %zu characters long; template %s allows %" G_GINT64_FORMAT,
				where, n, f->tmpl->name, max);
			return FALSE;
		}
	}
	if (item->kind == ST_LABEL_IMAGE) {
		g_autofree gchar *b64 =
			expand(f, json_object_get_string_member_with_default(o, "image", ""), where,
			       FALSE, error);
		gsize n = 0;
		guchar *png;
		if (b64 == NULL)
			return FALSE;
		png = g_base64_decode(b64, &n);
		item->image = g_bytes_new_take(png, n);
	}
	if (item->kind == ST_LABEL_TEXT && (item->text == NULL || *item->text == '\0'))
		return TRUE;
	g_ptr_array_add(f->label->items, g_steal_pointer(&item));
	return TRUE;
}

static gboolean
fill_items(Fill *f, JsonArray *items, GError **error)
{
	for (guint i = 0; i < json_array_get_length(items); i++) {
		if (!fill_item(f, json_array_get_object_element(items, i), i, error))
			return FALSE;
	}
	return TRUE;
}

/**
 * st_label_template_fill:
 * @dpi: the printer's resolution (203, 300, 600)
 * @check: (nullable): runs the template's "check" on barcode data (tracking, sscc, ...)
 *
 * Returns: the label, or NULL with an error naming the field that is missing or bad
 */
StLabel *
st_label_template_fill(StLabelTemplate *tmpl,
		       const gchar *data_json,
		       gssize len,
		       gint dpi,
		       StLabelCheckFunc check,
		       gpointer user_data,
		       GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) local = NULL;
	g_autoptr(StLabel) label = NULL;
	Fill f = {0};

	if (dpi < 100 || dpi > 1200) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "%d dpi is not a printer resolution (100 to 1200)", dpi);
		return NULL;
	}
	if (len < 0)
		len = (gssize)strlen(data_json);
	if ((gsize)len > ST_LABEL_MAX_JSON) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "the shipment data is larger than %d KiB", ST_LABEL_MAX_JSON / 1024);
		return NULL;
	}
	if (!st_bounded_json_check(data_json, (gsize)len, ST_BOUNDED_JSON_DEPTH, &local)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA, "the shipment data is %s",
			    local->message);
		return NULL;
	}
	if (!json_parser_load_from_data(parser, data_json, len, &local)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "the shipment data is not JSON: %s", local->message);
		return NULL;
	}
	if (json_parser_get_root(parser) == NULL ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "the shipment data must be a JSON object");
		return NULL;
	}
	label = st_label_new(st_label_dots(tmpl->width_mm, dpi),
			     st_label_dots(tmpl->height_mm, dpi), dpi);
	/* A3 at 600 dpi is about 70 million dots: more is not a label, and would need gigabytes */
	if ((gint64)label->width * label->height > 80000000) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "template %s at %d dpi would be %d x %d dots: too large; use a lower "
			    "resolution or a smaller page",
			    tmpl->name, dpi, label->width, label->height);
		return NULL;
	}
	label->template_name = g_strdup(tmpl->name);
	f.tmpl = tmpl;
	f.data = json_parser_get_root(parser);
	f.dpi = dpi;
	f.check = check;
	f.user_data = user_data;
	f.pages = 1;
	if (tmpl->paged_repeat != NULL) {
		/* as many pages as the list needs, each with the template's other items */
		JsonNode *list =
			lookup(f.data, json_object_get_string_member(tmpl->paged_repeat, "over"));
		guint per_page = paged_per_page(tmpl);
		guint n = list != NULL && JSON_NODE_HOLDS_ARRAY(list)
				  ? json_array_get_length(json_node_get_array(list))
				  : 0;
		f.pages = MAX(1u, (n + per_page - 1) / per_page);
		if (f.pages > ST_LABEL_MAX_PAGES) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "%u entries would take %u pages of template %s; at most %d", n,
				    f.pages, tmpl->name, ST_LABEL_MAX_PAGES);
			return NULL;
		}
	}
	for (f.page = 0; f.page < f.pages; f.page++) {
		StLabel *page = label;
		if (f.page > 0) {
			page = st_label_new(label->width, label->height, dpi);
			page->template_name = g_strdup(tmpl->name);
			g_ptr_array_add(label->more_pages, page);
		}
		f.label = page;
		if (!fill_items(
			    &f,
			    json_object_get_array_member(json_node_get_object(tmpl->root), "items"),
			    error))
			return NULL;
	}
	return g_steal_pointer(&label);
}
