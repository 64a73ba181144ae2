/*
 * The GS1 conformance suite in ../shared/fixtures/gs1/ (vectors from GS1's Barcode Syntax
 * Engine and its syntax tests): every vector is run, and the deliberate differences are
 * listed below with their reasons. The AI table is also compared with GS1's Barcode Syntax
 * Dictionary there, AI by AI. Skipped, saying so, when the fixtures are absent.
 *
 * Notation of the vectors: '^' is FNC1 (a GS byte between elements); a value's fault is
 * marked *...*; symbologies are named as the engine names them.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "st-gs1-lint.h"
#include "st-gs1.h"

static gchar *fixtures_dir = NULL;

typedef struct {
	const gchar *group;
	const gchar *input;
	const gchar *why;
} Difference;

/* vectors where the station deliberately answers differently */
static const Difference differences[] = {
	/* the engine's unit test turned on its convenience-alpha mode without an API; the
	 * extracted vector lost that setting. The station accepts the alphas only when asked
	 * (permit_convenience_alphas), and does so for this URI: checked below. */
	{"digital_link_uri_parse", "https://a/gtin/12312312312333/ser/ABC123",
	 "needs permit_convenience_alphas"},
	/* these two need a GS1 Company Prefix registry (the engine's test plugs a fake one in);
	 * the registry is GS1's online service, which a station does not query per scan */
	{"gs1_lint_gcppos1", "1234567", "needs GS1's company prefix registry"},
	{"gs1_lint_gcppos2", "I1234567", "needs GS1's company prefix registry"},
};

static const gchar *
difference(const gchar *group, const gchar *input)
{
	for (guint i = 0; i < G_N_ELEMENTS(differences); i++) {
		if (strcmp(differences[i].group, group) == 0 &&
		    strcmp(differences[i].input, input) == 0)
			return differences[i].why;
	}
	return NULL;
}

static JsonObject *
load(const gchar *name, JsonParser **parser_out)
{
	g_autofree gchar *path = g_build_filename(fixtures_dir, name, NULL);
	g_autoptr(GError) error = NULL;
	JsonParser *parser = json_parser_new();
	if (!json_parser_load_from_file(parser, path, &error))
		g_error("%s: %s", path, error->message);
	*parser_out = parser;
	return json_node_get_object(json_parser_get_root(parser));
}

/* a JSON string of code points up to U+00FF as the bytes the engine's C tests used */
static gchar *
latin1_bytes(const gchar *utf8, gsize *len)
{
	GString *s = g_string_new(NULL);
	for (const gchar *p = utf8; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		g_assert_cmpuint(c, <=, 0xff);
		g_string_append_c(s, (gchar)c);
	}
	*len = s->len;
	return g_string_free(s, FALSE);
}

static void
options_from(StGs1Options *opts, JsonObject *vec)
{
	JsonObject *set;
	st_gs1_options_init(opts);
	if (!json_object_has_member(vec, "settings"))
		return;
	set = json_object_get_object_member(vec, "settings");
	if (json_object_has_member(set, "PermitUnknownAIs"))
		opts->permit_unknown_ais = json_object_get_boolean_member(set, "PermitUnknownAIs");
	if (json_object_has_member(set, "PermitZeroSuppressedGTINinDLuris"))
		opts->permit_zero_suppressed_gtin =
			json_object_get_boolean_member(set, "PermitZeroSuppressedGTINinDLuris");
	if (json_object_has_member(set, "validation:UNKNOWN_AI_NOT_DL_ATTR"))
		opts->unknown_ai_not_dl_attr =
			json_object_get_boolean_member(set, "validation:UNKNOWN_AI_NOT_DL_ATTR");
	if (json_object_has_member(set, "validation:REQUISITE_AIS"))
		opts->validate_requisites =
			json_object_get_boolean_member(set, "validation:REQUISITE_AIS");
}

static gchar *
caret_string(const StGs1Message *msg)
{
	g_autofree gchar *es = st_gs1_message_to_element_string(msg, '^');
	return g_strconcat("^", es, NULL);
}

static gboolean
skip_without_fixtures(void)
{
	if (fixtures_dir == NULL) {
		g_test_skip("../shared/fixtures/gs1/ is absent: the GS1 conformance suite is not "
			    "run");
		return TRUE;
	}
	return FALSE;
}

static guint
count_failures(GPtrArray *failures, const gchar *group, guint total)
{
	for (guint i = 0; i < failures->len; i++)
		g_test_message("%s: %s", group, (const gchar *)g_ptr_array_index(failures, i));
	g_test_message("%s: %u vectors, %u failed", group, total, failures->len);
	return failures->len;
}

/* "^..." with ^ for FNC1: the data after the leading FNC1 with GS separators */
static StGs1Message *
parse_caret(const gchar *in, const StGs1Options *opts, StGs1Error *err)
{
	g_autofree gchar *data = NULL;
	if (in[0] != '^') {
		st_gs1_error_clear(err);
		err->message = g_strdup("no FNC1 in first position");
		return NULL;
	}
	data = g_strdup(in + 1);
	g_strdelimit(data, "^", ST_GS1_GS);
	return st_gs1_parse_element_string((const guint8 *)data, strlen(data), opts, err);
}

static StGs1Message *
parse_bracketed(const gchar *in, const StGs1Options *opts, StGs1Error *err)
{
	return st_gs1_parse_bracketed(in, opts, err);
}

/*
 * One group of vectors that say whether an input is valid, and for some what it reads as:
 * each input through @reader with the vector's settings; @requisites FALSE for the groups
 * where the engine's test checked values only, not the pairings of AIs.
 */
static void
run_validity_group(const gchar *group,
		   StGs1Message *(*reader)(const gchar *, const StGs1Options *, StGs1Error *),
		   gboolean requisites)
{
	g_autoptr(JsonParser) parser = NULL;
	JsonArray *arr;
	g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func(g_free);
	if (skip_without_fixtures())
		return;
	arr = json_object_get_array_member(load("gs1_syntax_engine_vectors.public.json", &parser),
					   group);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *v = json_array_get_object_element(arr, i);
		const gchar *in = json_object_get_string_member(v, "input");
		gboolean want = json_object_get_boolean_member(v, "valid");
		const gchar *expect = json_object_has_member(v, "expect")
					      ? json_object_get_string_member(v, "expect")
					      : NULL;
		StGs1Options opts;
		StGs1Error err = {0};
		g_autoptr(StGs1Message) msg = NULL;
		options_from(&opts, v);
		if (!requisites)
			opts.validate_requisites = FALSE;
		msg = reader(in, &opts, &err);
		if ((msg != NULL) != want) {
			g_ptr_array_add(failures,
					g_strdup_printf("%s: valid=%d, expected %d (%s)", in,
							msg != NULL, want, err.message));
		} else if (msg != NULL && expect != NULL) {
			g_autofree gchar *got = caret_string(msg);
			if (strcmp(got, expect) != 0)
				g_ptr_array_add(failures, g_strdup_printf("%s: got %s", in, got));
		}
		st_gs1_error_clear(&err);
	}
	g_assert_cmpuint(count_failures(failures, group, json_array_get_length(arr)), ==, 0);
}

static void
test_bracketed(void)
{
	run_validity_group("bracketed_to_element_string", parse_bracketed, FALSE);
}

static void
test_element_strings(void)
{
	run_validity_group("element_string_process", parse_caret, FALSE);
}

static void
test_associations(void)
{
	run_validity_group("ai_association_validation", parse_bracketed, TRUE);
}

static gchar *
linter_code(const gchar *gs1_name)
{
	gchar *s = g_ascii_strdown(gs1_name + strlen("GS1_LINTER_"), -1);
	return g_strdelimit(s, "_", '-');
}

static void
test_linter_errors(void)
{
	g_autoptr(JsonParser) parser = NULL;
	JsonObject *root;
	JsonArray *arr;
	g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func(g_free);
	if (skip_without_fixtures())
		return;
	root = load("gs1_syntax_engine_vectors.public.json", &parser);
	arr = json_object_get_array_member(root, "ai_linter_errors");
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *v = json_array_get_object_element(arr, i);
		const gchar *in = json_object_get_string_member(v, "input");
		const gchar *want = json_object_get_string_member(v, "expect_linter_err");
		g_autofree gchar *code = linter_code(want);
		StGs1Options opts;
		StGs1Error err = {0};
		g_autoptr(StGs1Message) msg = NULL;
		st_gs1_options_init(&opts);
		opts.validate_requisites = FALSE;
		msg = st_gs1_parse_bracketed(in, &opts, &err);
		if (strcmp(code, "ok") == 0 ? msg == NULL : g_strcmp0(err.code, code) != 0)
			g_ptr_array_add(failures,
					g_strdup_printf("%s: got %s, expected %s", in,
							msg != NULL ? "ok" : err.code, code));
		st_gs1_error_clear(&err);
	}
	/* the error markup: the AI and the component, the fault between bars */
	arr = json_object_get_array_member(root, "error_markup");
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *v = json_array_get_object_element(arr, i);
		const gchar *in = json_object_get_string_member(v, "input");
		StGs1Options opts;
		StGs1Error err = {0};
		g_autoptr(StGs1Message) msg = NULL;
		options_from(&opts, v);
		msg = st_gs1_parse_bracketed(in, &opts, &err);
		if (msg != NULL ||
		    g_strcmp0(err.markup, json_object_get_string_member(v, "expect_markup")) != 0)
			g_ptr_array_add(failures, g_strdup_printf("%s: markup %s", in, err.markup));
		st_gs1_error_clear(&err);
	}
	g_assert_cmpuint(count_failures(failures, "linter errors", json_array_get_length(arr)), ==,
			 0);
}

static void
test_component_linters(void)
{
	g_autoptr(JsonParser) parser = NULL;
	JsonArray *arr;
	g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func(g_free);
	guint differing = 0;
	if (skip_without_fixtures())
		return;
	arr = json_object_get_array_member(
		load("gs1_component_linter_vectors.public.json", &parser), "component_linters");
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *v = json_array_get_object_element(arr, i);
		const gchar *linter = json_object_get_string_member(v, "linter");
		const gchar *name = linter + strlen("gs1_lint_");
		gsize n = 0, pos = 0, len = 0;
		g_autofree gchar *in = latin1_bytes(json_object_get_string_member(v, "input"), &n);
		gboolean want = json_object_get_boolean_member(v, "valid");
		const gchar *got = st_gs1_lint(name, in, n, &pos, &len);
		const gchar *why = difference(linter, in);
		if (!want && strcmp(json_object_get_string_member(v, "expect_err"),
				    "GS1_LINTER_GCP_DATASOURCE_OFFLINE") == 0)
			why = "needs GS1's company prefix registry (its test made it offline)";
		g_autofree gchar *shown = g_strescape(in, NULL);

		if (why != NULL) {
			g_test_message("%s %s: deliberate difference: %s", name, shown, why);
			differing++;
			continue;
		}
		if ((got == NULL) != want) {
			g_ptr_array_add(failures, g_strdup_printf("%s \"%s\": got %s, expected %s",
								  name, shown, got ? got : "ok",
								  want ? "ok" : "an error"));
			continue;
		}
		if (got != NULL) {
			g_autofree gchar *code =
				linter_code(json_object_get_string_member(v, "expect_err"));
			g_autofree gchar *hl = NULL;
			gsize hn = 0;
			if (strcmp(got, code) != 0) {
				g_ptr_array_add(failures,
						g_strdup_printf("%s \"%s\": got %s, expected %s",
								name, shown, got, code));
				continue;
			}
			/* the fault's position, except for the coupon codes: there GS1's
			 * engine marks sometimes the field and sometimes all the data, the
			 * station always the field (same fault, same code) */
			if (g_str_has_prefix(name, "coupon"))
				continue;
			hl = latin1_bytes(json_object_get_string_member(v, "expect_highlight"),
					  &hn);
			{
				g_autofree gchar *mine =
					g_strdup_printf("%.*s*%.*s*%s", (gint)pos, in, (gint)len,
							in + pos, in + pos + len);
				if (hn != strlen(mine) || memcmp(hl, mine, hn) != 0)
					g_ptr_array_add(failures,
							g_strdup_printf("%s \"%s\": %s marks %s",
									name, shown, code, mine));
			}
		}
	}
	g_assert_cmpuint(differing, ==, 6);
	g_assert_cmpuint(count_failures(failures, "component checks", json_array_get_length(arr)),
			 ==, 0);
}

static void
test_digital_link(void)
{
	g_autoptr(JsonParser) parser = NULL;
	JsonObject *root;
	JsonArray *arr;
	g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func(g_free);
	if (skip_without_fixtures())
		return;
	root = load("gs1_syntax_engine_vectors.public.json", &parser);
	arr = json_object_get_array_member(root, "digital_link_uri_parse");
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *v = json_array_get_object_element(arr, i);
		const gchar *in = json_object_get_string_member(v, "input");
		gboolean want = json_object_get_boolean_member(v, "valid");
		StGs1Options opts;
		StGs1Error err = {0};
		g_autoptr(StGs1Message) msg = NULL;
		options_from(&opts, v);
		if (difference("digital_link_uri_parse", in) != NULL) {
			/* invalid by default, valid with the convenience alphas */
			msg = st_gs1_parse_digital_link(in, strlen(in), &opts, &err);
			g_assert_null(msg);
			opts.permit_convenience_alphas = TRUE;
		}
		g_clear_pointer(&msg, st_gs1_message_free);
		msg = st_gs1_parse_digital_link(in, strlen(in), &opts, &err);
		if ((msg != NULL) != want) {
			g_ptr_array_add(failures,
					g_strdup_printf("%s: valid=%d, expected %d (%s)", in,
							msg != NULL, want, err.message));
		} else if (msg != NULL) {
			g_autofree gchar *got = caret_string(msg);
			if (g_strcmp0(got, json_object_get_string_member(v, "expect")) != 0)
				g_ptr_array_add(failures, g_strdup_printf("%s: got %s", in, got));
		}
		st_gs1_error_clear(&err);
	}
	arr = json_object_get_array_member(root, "digital_link_uri_generate");
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *v = json_array_get_object_element(arr, i);
		const gchar *in = json_object_get_string_member(v, "input");
		const gchar *stem = json_object_get_string_member(v, "stem");
		gboolean want = json_object_get_boolean_member(v, "valid");
		StGs1Options opts;
		StGs1Error err = {0};
		g_autoptr(StGs1Message) msg = NULL;
		g_autofree gchar *uri = NULL;
		options_from(&opts, v);
		opts.validate_requisites = FALSE;
		msg = st_gs1_parse_bracketed(in, &opts, &err);
		if (msg != NULL)
			uri = st_gs1_message_to_digital_link(msg, stem, &opts, &err);
		if ((uri != NULL) != want)
			g_ptr_array_add(failures, g_strdup_printf("make %s: %s, expected %d (%s)",
								  in, uri, want, err.message));
		else if (uri != NULL &&
			 g_strcmp0(uri, json_object_get_string_member(v, "expect")) != 0)
			g_ptr_array_add(failures, g_strdup_printf("make %s: got %s", in, uri));
		st_gs1_error_clear(&err);
	}
	for (guint g = 0; g < 2; g++) {
		arr = json_object_get_array_member(root, g == 0 ? "uri_unescape" : "uri_escape");
		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonObject *v = json_array_get_object_element(arr, i);
			gsize n = 0;
			g_autofree gchar *in =
				latin1_bytes(json_object_get_string_member(v, "input"), &n);
			for (guint q = 0; q < 2; q++) {
				gsize wn = 0;
				g_autofree gchar *want =
					latin1_bytes(json_object_get_string_member(
							     v, q ? "expect_query" : "expect_path"),
						     &wn);
				g_autoptr(GString) got = g_string_new(NULL);
				if (g == 0)
					st_gs1_uri_unescape(in, n, q, got);
				else {
					g_autofree gchar *e = st_gs1_uri_escape(in, n, q);
					g_string_append(got, e);
				}
				if (got->len != wn || memcmp(got->str, want, wn) != 0)
					g_ptr_array_add(
						failures,
						g_strdup_printf("%s \"%s\" (%s): got \"%s\"",
								g == 0 ? "unescape" : "escape", in,
								q ? "query" : "path", got->str));
			}
		}
	}
	g_assert_cmpuint(count_failures(failures, "digital link", 0), ==, 0);
}

static const struct {
	const gchar *name;
	const gchar *plain, *gs1; /* AIM identifiers */
} symbologies[] = {
	{"QR", "]Q1", "]Q3"},	      {"DM", "]d1", "]d2"},
	{"DotCode", "]J0", "]J1"},    {"GS1_128_CCA", NULL, "]C1"},
	{"GS1_128_CCC", NULL, "]C1"}, {"DataBarExpanded", NULL, "]e0"},
	{"DataBarOmni", NULL, "]e0"}, {"DataBarLimited", NULL, "]e0"},
	{"EAN13", "]E0", NULL},	      {"UPCA", "]E0", NULL},
	{"UPCE", "]E0", NULL},	      {"EAN8", "]E4", NULL},
};

/* the engine's notation for plain (non-GS1) data: a leading run of backslashes before a
 * caret gets one more backslash, so that it is not read as FNC1 */
static gchar *
plain_notation(const gchar *data, gsize len)
{
	gsize k = 0;
	while (k < len && data[k] == '\\')
		k++;
	if (k < len && data[k] == '^')
		return g_strdup_printf("\\%.*s", (gint)len, data);
	return g_strndup(data, len);
}

static gchar *
plain_from_notation(const gchar *s)
{
	gsize k = 0;
	while (s[k] == '\\')
		k++;
	if (k > 0 && s[k] == '^')
		return g_strdup(s + 1);
	return g_strdup(s);
}

/* the engine's scan-data generator, from its notation ("linear|composite", ^ for FNC1) to
 * the station's st_gs1_scan_data_make() */
static gchar *
generate(const gchar *symbology, const gchar *input, gboolean add_check)
{
	const gchar *bar = strchr(input, '|');
	g_autofree gchar *linear =
		bar != NULL ? g_strndup(input, (gsize)(bar - input)) : g_strdup(input);
	g_autoptr(StGs1Message) comp = NULL;
	g_autoptr(StGs1Message) msg = NULL;
	g_autofree gchar *primary = NULL;
	g_autofree gchar *out = NULL;
	const gchar *aim;
	StGs1Options opts;
	StGs1Error err = {0};
	guint s;

	st_gs1_options_init(&opts);
	opts.validate_requisites = FALSE;
	for (s = 0; s < G_N_ELEMENTS(symbologies); s++) {
		if (strcmp(symbologies[s].name, symbology) == 0)
			break;
	}
	if (s == G_N_ELEMENTS(symbologies) || input[0] == '\0')
		return NULL;
	if (bar != NULL && bar[1] == '^') {
		comp = parse_caret(bar + 1, &opts, &err);
		st_gs1_error_clear(&err);
		if (comp == NULL)
			return NULL;
	}
	if (symbologies[s].gs1 == NULL) { /* EAN/UPC, the composite after "|]e0" */
		g_autoptr(GString) digits = g_string_new(linear);
		if (add_check) {
			guint sum = 0;
			if (digits->len != (strcmp(symbology, "EAN8") == 0 ? 7u : 12u))
				return NULL;
			for (gsize i = 0; i < digits->len; i++) {
				if (!g_ascii_isdigit(digits->str[digits->len - 1 - i]))
					return NULL;
				sum += (guint)(digits->str[digits->len - 1 - i] - '0') *
				       (i % 2 ? 1 : 3);
			}
			g_string_append_c(digits, (gchar)('0' + (10 - sum % 10) % 10));
		}
		return st_gs1_scan_data_make(symbologies[s].plain, digits->str, comp, NULL);
	}
	if (linear[0] != '^') {
		if (symbologies[s].plain != NULL) {
			g_autofree gchar *plain = plain_from_notation(input);
			return g_strconcat(symbologies[s].plain, plain, NULL);
		}
		/* DataBar Omnidirectional and Limited carry a bare GTIN-14 */
		if (strcmp(symbology, "DataBarExpanded") == 0)
			return NULL;
		primary = g_strdup(linear);
		aim = "]e0";
		msg = g_steal_pointer(&comp);
	} else {
		msg = parse_caret(linear, &opts, &err);
		st_gs1_error_clear(&err);
		if (msg == NULL)
			return NULL;
		aim = symbologies[s].gs1;
		if (comp != NULL) {
			/* a composite goes in the same transmission, as GS1 DataBar's ]e0 */
			while (comp->elements->len > 0)
				g_ptr_array_add(msg->elements,
						g_ptr_array_steal_index(comp->elements, 0));
			aim = "]e0";
		}
	}
	out = st_gs1_scan_data_make(aim, primary, msg, NULL);
	/* the engine keeps a trailing FNC1 of its input as a trailing GS */
	if (out != NULL && bar == NULL && g_str_has_suffix(linear, "^"))
		return g_strdup_printf("%s%c", out, ST_GS1_GS);
	return g_steal_pointer(&out);
}

static void
test_scan_data(void)
{
	g_autoptr(JsonParser) parser = NULL;
	JsonObject *root;
	JsonArray *arr;
	g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func(g_free);
	if (skip_without_fixtures())
		return;
	root = load("gs1_syntax_engine_vectors.public.json", &parser);
	arr = json_object_get_array_member(root, "scan_data_process");
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *v = json_array_get_object_element(arr, i);
		const gchar *in = json_object_get_string_member(v, "scan_data");
		gboolean want = json_object_get_boolean_member(v, "valid");
		StGs1Options opts;
		StGs1Error err = {0};
		StGs1Scan scan = {0};
		gboolean ok;
		st_gs1_options_init(&opts);
		opts.validate_requisites = FALSE;
		ok = st_gs1_parse_scan_data((const guint8 *)in, strlen(in), &opts, &scan, &err);
		/* the engine refuses an AIM-flagged GS1 symbol with nothing in it; so do we */
		if (ok != want) {
			g_ptr_array_add(failures, g_strdup_printf("%s: valid=%d, expected %d (%s)",
								  in, ok, want, err.message));
		} else if (ok) {
			const gchar *expect = json_object_get_string_member(v, "expect");
			const gchar *sym = json_object_get_string_member(v, "expect_symbology");
			g_autofree gchar *got = NULL;
			gboolean sym_ok = FALSE;
			for (guint s = 0; s < G_N_ELEMENTS(symbologies); s++) {
				if (strcmp(symbologies[s].name, sym) == 0 &&
				    (g_strcmp0(symbologies[s].plain, scan.aim) == 0 ||
				     g_strcmp0(symbologies[s].gs1, scan.aim) == 0))
					sym_ok = TRUE;
			}
			if (scan.primary != NULL && scan.message != NULL) {
				g_autofree gchar *c = caret_string(scan.message);
				got = g_strdup_printf("%s|%s", scan.primary, c);
			} else if (scan.primary != NULL)
				got = g_strdup(scan.primary);
			else if (scan.gs1)
				got = caret_string(scan.message);
			else
				got = plain_notation(scan.text, scan.text_len);
			if (!sym_ok || g_strcmp0(got, expect) != 0)
				g_ptr_array_add(failures,
						g_strdup_printf("%s: %s %s", in, scan.aim, got));
			if (json_object_has_member(v, "expect_dl_extracted_ai_data")) {
				const gchar *dl = json_object_get_string_member(
					v, "expect_dl_extracted_ai_data");
				g_autofree gchar *mine = !scan.gs1 && scan.message != NULL
								 ? caret_string(scan.message)
								 : g_strdup("");
				if (strcmp(dl, mine) != 0)
					g_ptr_array_add(failures, g_strdup_printf("%s: DL data %s",
										  in, mine));
			}
		}
		st_gs1_scan_clear(&scan);
		st_gs1_error_clear(&err);
	}
	arr = json_object_get_array_member(root, "scan_data_generate");
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *v = json_array_get_object_element(arr, i);
		const gchar *in = json_object_get_string_member(v, "input");
		const gchar *sym = json_object_get_string_member(v, "symbology");
		const gchar *want = json_object_get_string_member(v, "expect");
		gboolean add_check = FALSE;
		g_autofree gchar *got = NULL;
		if (json_object_has_member(v, "settings")) {
			JsonObject *set = json_object_get_object_member(v, "settings");
			if (json_object_has_member(set, "AddCheckDigit"))
				add_check = json_object_get_boolean_member(set, "AddCheckDigit");
		}
		got = generate(sym, in, add_check);
		if (g_strcmp0(got, want) != 0)
			g_ptr_array_add(failures,
					g_strdup_printf("make %s %s: got %s", sym, in, got));
	}
	arr = json_object_get_array_member(root, "check_digit_parity");
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *v = json_array_get_object_element(arr, i);
		const gchar *in = json_object_get_string_member(v, "input");
		gsize pos, len;
		gboolean ok = st_gs1_lint("csum", in, strlen(in), &pos, &len) == NULL;
		if (ok != json_object_get_boolean_member(v, "valid"))
			g_ptr_array_add(failures, g_strdup_printf("check digit %s", in));
	}
	g_assert_cmpuint(count_failures(failures, "scan data", 0), ==, 0);
}

/* GS1's dictionary line "AI[-AI] [flags] spec... [attrs...] # title" against our row */
static void
test_dictionary(void)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *text = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	guint rows = 0;
	if (skip_without_fixtures())
		return;
	path = g_build_filename(fixtures_dir, "gs1-syntax-dictionary.txt", NULL);
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (guint l = 0; lines[l] != NULL; l++) {
		g_autofree gchar *body = NULL;
		g_autofree gchar *title = NULL;
		g_auto(GStrv) tok = NULL;
		g_autoptr(GString) spec = g_string_new(NULL);
		g_autoptr(GString) req = g_string_new(NULL);
		const gchar *hash, *ex = NULL, *dl = NULL;
		gboolean fixed = FALSE, attr = FALSE;
		guint t = 1, first, last;
		if (lines[l][0] == '#' || g_strstrip(lines[l])[0] == '\0')
			continue;
		hash = strchr(lines[l], '#');
		body = hash != NULL ? g_strndup(lines[l], (gsize)(hash - lines[l]))
				    : g_strdup(lines[l]);
		title = hash != NULL ? g_strstrip(g_strdup(hash + 1)) : g_strdup("-");
		tok = g_strsplit_set(g_strstrip(body), " \t", -1);
		{
			/* drop the empty tokens of repeated spaces */
			guint w = 0;
			for (guint r = 0; tok[r] != NULL; r++) {
				if (tok[r][0] != '\0')
					tok[w++] = tok[r];
				else
					g_free(tok[r]);
			}
			tok[w] = NULL;
		}
		if (tok[t] != NULL && strspn(tok[t], "*?") == strlen(tok[t])) {
			fixed = strchr(tok[t], '*') != NULL;
			attr = strchr(tok[t], '?') != NULL;
			t++;
		}
		for (; tok[t] != NULL; t++) {
			if (g_str_has_prefix(tok[t], "req=")) {
				if (req->len > 0)
					g_string_append_c(req, ' ');
				g_string_append(req, tok[t] + 4);
			} else if (g_str_has_prefix(tok[t], "ex="))
				ex = tok[t] + 3;
			else if (g_str_has_prefix(tok[t], "dlpkey"))
				dl = tok[t][6] == '=' ? tok[t] + 7 : "";
			else {
				/* "N14,csum,gcppos2" -> "N14:csum,gcppos2"; "[N6],yymmdd" ->
				 * "[N6:yymmdd]" */
				gchar *comma = strchr(tok[t], ',');
				gboolean opt = tok[t][0] == '[';
				g_autofree gchar *base =
					comma != NULL ? g_strndup(tok[t], (gsize)(comma - tok[t]))
						      : g_strdup(tok[t]);
				if (spec->len > 0)
					g_string_append_c(spec, ' ');
				if (opt) {
					base[strlen(base) - 1] = '\0';
					g_string_append(spec, base);
				} else
					g_string_append(spec, base);
				if (comma != NULL)
					g_string_append_printf(spec, ":%s", comma + 1);
				if (opt)
					g_string_append_c(spec, ']');
			}
		}
		first = (guint)atoi(tok[0]);
		last = strchr(tok[0], '-') ? (guint)atoi(strchr(tok[0], '-') + 1) : first;
		for (guint n = first; n <= last; n++) {
			g_autofree gchar *ai =
				g_strdup_printf("%0*u", (gint)strcspn(tok[0], "-"), n);
			const StGs1Ai *def = st_gs1_ai_lookup(ai, strlen(ai));
			const StGs1AiEntry *e;
			rows++;
			g_hash_table_add(seen, g_strdup(ai));
			if (def == NULL) {
				g_ptr_array_add(failures, g_strdup_printf("(%s) is missing", ai));
				continue;
			}
			e = st_gs1_ai_get_entry(def);
			if (!!(e->flags & ST_GS1_AI_FIXED_LENGTH) != fixed ||
			    !!(e->flags & ST_GS1_AI_DL_ATTRIBUTE) != attr)
				g_ptr_array_add(failures, g_strdup_printf("(%s) flags differ", ai));
			if (strcmp(e->format, spec->str) != 0)
				g_ptr_array_add(failures,
						g_strdup_printf("(%s) format %s, GS1 says %s", ai,
								e->format, spec->str));
			if (g_strcmp0(e->requires, req->len > 0 ? req->str : NULL) != 0)
				g_ptr_array_add(failures,
						g_strdup_printf("(%s) requires %s, GS1 says %s", ai,
								e->requires, req->str));
			if (g_strcmp0(e->excludes, ex) != 0)
				g_ptr_array_add(failures,
						g_strdup_printf("(%s) excludes %s, GS1 says %s", ai,
								e->excludes, ex));
			if (g_strcmp0(e->dl_key, dl) != 0)
				g_ptr_array_add(failures,
						g_strdup_printf("(%s) DL key %s, GS1 says %s", ai,
								e->dl_key, dl));
			if (strcmp(st_gs1_ai_get_title(def), title) != 0)
				g_ptr_array_add(failures,
						g_strdup_printf("(%s) title %s, GS1 says %s", ai,
								st_gs1_ai_get_title(def), title));
		}
	}
	/* and nothing in our table that GS1 does not define */
	for (gsize i = 0; i < st_gs1_ai_table_len; i++) {
		const gchar *ai = st_gs1_ai_table[i].ai;
		if (!g_hash_table_contains(seen, ai))
			g_ptr_array_add(failures,
					g_strdup_printf("(%s) is not in GS1's dictionary", ai));
	}
	g_assert_cmpuint(rows, >, 400);
	g_assert_cmpuint(count_failures(failures, "AI table", rows), ==, 0);
}

int
main(int argc, char **argv)
{
	g_autofree gchar *dir =
		g_build_filename(ST_TEST_SRCDIR, "..", "..", "shared", "fixtures", "gs1", NULL);
	g_test_init(&argc, &argv, NULL);
	if (g_file_test(dir, G_FILE_TEST_IS_DIR))
		fixtures_dir = g_steal_pointer(&dir);
	g_test_add_func("/gs1-conformance/ai-table", test_dictionary);
	g_test_add_func("/gs1-conformance/bracketed", test_bracketed);
	g_test_add_func("/gs1-conformance/element-strings", test_element_strings);
	g_test_add_func("/gs1-conformance/associations", test_associations);
	g_test_add_func("/gs1-conformance/linter-errors", test_linter_errors);
	g_test_add_func("/gs1-conformance/component-checks", test_component_linters);
	g_test_add_func("/gs1-conformance/digital-link", test_digital_link);
	g_test_add_func("/gs1-conformance/scan-data", test_scan_data);
	return g_test_run();
}
