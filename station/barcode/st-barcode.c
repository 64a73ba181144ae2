/*
 * Product codes, from the GS1 General Specifications: a GTIN is 8, 12, 13 or 14 digits whose
 * last is a check digit (weights 3 and 1 alternating from the right, sum to a multiple of 10);
 * every GTIN is normalised to 14 digits by leading zeros for lookup. UPC-E is a zero-
 * suppressed UPC-A: 8 digits (number system 0 or 1, six digits, check digit) that expand by
 * the rule of the sixth digit, the check digit being the expanded UPC-A's. An 8-digit scan
 * is UPC-E when the scanner says so (AIM ]E0 with 8 digits; EAN-8 is ]E4), else EAN-8 when
 * its check digit holds, else UPC-E when that holds.
 *
 * Shipping: an SSCC is 18 digits with the GTIN check digit, scanned bare or behind its AI 00.
 * Carriers' tracking numbers are in st-tracking.c. A 12-digit scan is a FedEx Express number
 * only when it is not a valid UPC-A (a valid UPC-A that also passes FedEx's check says so in
 * its note).
 *
 * The station's own barcodes (commands, badges, orders, pick lists, totes, locations, box
 * types) are recognised by patterns, regular expressions that must match the whole scan and
 * whose group named "key" (if any) is the key; they are tried first, in that order, except on
 * scans that a GS1 symbology identifier marks as GS1.
 */
#include <string.h>

#include "station/st-error.h"

#include "st-barcode.h"
#include "st-check-digit.h"
#include "st-couriers.h"
#include "st-tracking.h"
#include "st-gs1-lint.h"

GQuark
st_barcode_error_quark(void)
{
	return g_quark_from_static_string("st-barcode-error-quark");
}

void
st_barcode_free(StBarcode *self)
{
	if (self == NULL)
		return;
	g_free(self->format);
	g_free(self->key);
	g_free(self->text);
	g_free(self->reason);
	g_free(self->note);
	g_free(self->carrier);
	g_free(self->service);
	g_free(self->tracking_url);
	g_free(self->key_type);
	st_gs1_message_free(self->gs1);
	g_free(self);
}

static const gchar *const kind_names[ST_BARCODE_KIND_LAST] = {
	[ST_BARCODE_KIND_UNKNOWN] = "unknown",
	[ST_BARCODE_KIND_GTIN] = "gtin",
	[ST_BARCODE_KIND_SSCC] = "sscc",
	[ST_BARCODE_KIND_TRACKING] = "tracking",
	[ST_BARCODE_KIND_GS1] = "gs1",
	[ST_BARCODE_KIND_COMMAND] = "command",
	[ST_BARCODE_KIND_BADGE] = "badge",
	[ST_BARCODE_KIND_ORDER] = "order",
	[ST_BARCODE_KIND_PICK_LIST] = "pick-list",
	[ST_BARCODE_KIND_TOTE] = "tote",
	[ST_BARCODE_KIND_LOCATION] = "location",
	[ST_BARCODE_KIND_BOX_TYPE] = "box-type",
};

/* Returns: the kind's name in JSON, config keys and logs: "gtin", "pick-list", ... */
const gchar *
st_barcode_kind_to_string(StBarcodeKind kind)
{
	if ((guint)kind >= ST_BARCODE_KIND_LAST)
		return "unknown";
	return kind_names[kind];
}

/**
 * st_barcode_commands:
 *
 * Returns: the names of the actions a command barcode can ask for, NULL-terminated
 */
const gchar *const *
st_barcode_commands(void)
{
	static const gchar *const commands[] = {
		"cancel",     /* give up the current order or pick; nothing is shipped */
		"new-box",    /* close the box being packed and start another for the same order */
		"short-pick", /* the location holds fewer than asked: record what was found */
		"short-damaged", /* what the location holds is damaged: short, for that reason */
		"reprint",	 /* print the last label again (asked for, so never a surprise) */
		"logout",	 /* the operator leaves the bench */
		"done",		 /* the current step is finished */
		"undo",		 /* take back the last accepted scan */
		"skip",		 /* leave this line for later */
		NULL,
	};
	return commands;
}

#define ST_BARCODE_IS_STATION_KIND(k) ((k) >= ST_BARCODE_KIND_COMMAND && (k) < ST_BARCODE_KIND_LAST)

struct _StBarcodePatterns {
	gchar *source[ST_BARCODE_KIND_LAST]; /* only the station kinds are set */
	/* every pattern in one expression, one scan matched once: \A(?:(?<st_kind_5>...)|...)\z,
	 * the earlier kind winning as alternatives do */
	GRegex *combined;
	gchar **couriers;   /* the couriers whose numbers without a check digit are taken */
	gboolean dl_alphas; /* Digital Link URIs may use the convenience alphas (/gtin/...) */
};

static void
st_barcode_patterns_clear(StBarcodePatterns *self)
{
	for (guint k = 0; k < ST_BARCODE_KIND_LAST; k++)
		g_clear_pointer(&self->source[k], g_free);
	g_clear_pointer(&self->combined, g_regex_unref);
	g_clear_pointer(&self->couriers, g_strfreev);
}

/* Returns: (transfer full) (nullable): the patterns of @sources joined, or NULL when none is
 * set */
static GRegex *
st_barcode_patterns_combine(gchar *const *sources, GError **error)
{
	g_autoptr(GString) str = g_string_new("\\A(?:");
	gboolean any = FALSE;

	for (guint k = ST_BARCODE_KIND_COMMAND; k < ST_BARCODE_KIND_LAST; k++) {
		if (sources[k] == NULL)
			continue;
		g_string_append_printf(str, "%s(?<st_kind_%u>%s)", any ? "|" : "", k, sources[k]);
		any = TRUE;
	}
	if (!any)
		return NULL;
	g_string_append(str, ")\\z");
	/* each pattern may have its own group "key" */
	return g_regex_new(str->str, G_REGEX_OPTIMIZE | G_REGEX_DUPNAMES, 0, error);
}

/* a group referred to by number would mean another group once the patterns are joined */
static gboolean
st_barcode_pattern_numbers_groups(const gchar *pattern)
{
	for (const gchar *p = pattern; *p != '\0'; p++) {
		if (p[0] == '\\' && p[1] != '\0') {
			if ((p[1] >= '1' && p[1] <= '9') || p[1] == 'g')
				return TRUE;
			p++;
		} else if (p[0] == '(' && p[1] == '?' &&
			   (g_ascii_isdigit(p[2]) || p[2] == '+' || p[2] == '-' || p[2] == 'R')) {
			return TRUE;
		}
	}
	return FALSE;
}

/* Returns: (transfer full): the default patterns (ST_BARCODE_PATTERN_*) */
StBarcodePatterns *
st_barcode_patterns_new(void)
{
	static const gchar *const defaults[ST_BARCODE_KIND_LAST] = {
		[ST_BARCODE_KIND_COMMAND] = ST_BARCODE_PATTERN_COMMAND,
		[ST_BARCODE_KIND_BADGE] = ST_BARCODE_PATTERN_BADGE,
		[ST_BARCODE_KIND_ORDER] = ST_BARCODE_PATTERN_ORDER,
		[ST_BARCODE_KIND_PICK_LIST] = ST_BARCODE_PATTERN_PICK_LIST,
		[ST_BARCODE_KIND_TOTE] = ST_BARCODE_PATTERN_TOTE,
		[ST_BARCODE_KIND_LOCATION] = ST_BARCODE_PATTERN_LOCATION,
		[ST_BARCODE_KIND_BOX_TYPE] = ST_BARCODE_PATTERN_BOX_TYPE,
	};
	StBarcodePatterns *self = g_rc_box_new0(StBarcodePatterns);
	for (guint k = ST_BARCODE_KIND_COMMAND; k < ST_BARCODE_KIND_LAST; k++) {
		gboolean ok = st_barcode_patterns_set(self, (StBarcodeKind)k, defaults[k], NULL);
		g_assert(ok);
	}
	return self;
}

StBarcodePatterns *
st_barcode_patterns_ref(StBarcodePatterns *self)
{
	return g_rc_box_acquire(self);
}

void
st_barcode_patterns_unref(StBarcodePatterns *self)
{
	if (self != NULL)
		g_rc_box_release_full(self, (GDestroyNotify)st_barcode_patterns_clear);
}

/**
 * st_barcode_patterns_set:
 * @kind: a station kind, from ST_BARCODE_KIND_COMMAND on
 * @pattern: (nullable): a Perl-compatible regular expression that must match the whole scan;
 *   its group "key", if it has one, is the key. NULL or "" stops recognising @kind.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA if @pattern does not compile or refers to a
 *   group by number; nothing changes then
 */
gboolean
st_barcode_patterns_set(StBarcodePatterns *self,
			StBarcodeKind kind,
			const gchar *pattern,
			GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GRegex) alone = NULL;
	GRegex *combined;
	gchar *sources[ST_BARCODE_KIND_LAST];

	g_return_val_if_fail(ST_BARCODE_IS_STATION_KIND(kind), FALSE);
	if (pattern != NULL && pattern[0] == '\0')
		pattern = NULL;
	if (pattern != NULL) {
		/* compiled alone first, so that a fault is told in the user's own pattern */
		alone = g_regex_new(pattern, 0, 0, &error_local);
		if (alone == NULL) {
			g_set_error(error, ST_BARCODE_ERROR, ST_ERROR_INVALID_DATA,
				    "the %s pattern '%s' is not a regular expression: %s",
				    st_barcode_kind_to_string(kind), pattern, error_local->message);
			return FALSE;
		}
		if (st_barcode_pattern_numbers_groups(pattern)) {
			g_set_error(error, ST_BARCODE_ERROR, ST_ERROR_INVALID_DATA,
				    "the %s pattern '%s' refers to a group by number (\\1, \\g, "
				    "(?1)); name the group, (?<n>...), and refer to it as \\k<n>",
				    st_barcode_kind_to_string(kind), pattern);
			return FALSE;
		}
	}
	memcpy(sources, self->source, sizeof(sources));
	sources[kind] = (gchar *)pattern;
	combined = st_barcode_patterns_combine(sources, &error_local);
	if (combined == NULL && error_local != NULL) {
		g_set_error(error, ST_BARCODE_ERROR, ST_ERROR_INVALID_DATA,
			    "the %s pattern '%s' does not fit with the others: %s",
			    st_barcode_kind_to_string(kind), pattern, error_local->message);
		return FALSE;
	}
	g_free(self->source[kind]);
	self->source[kind] = g_strdup(pattern);
	if (self->combined != NULL)
		g_regex_unref(self->combined);
	self->combined = combined;
	return TRUE;
}

/* Returns: (nullable): the pattern of @kind, or NULL when @kind is not recognised */
const gchar *
st_barcode_patterns_get(const StBarcodePatterns *self, StBarcodeKind kind)
{
	g_return_val_if_fail(ST_BARCODE_IS_STATION_KIND(kind), NULL);
	return self->source[kind];
}

/**
 * st_barcode_patterns_set_couriers:
 * @list: (nullable): courier codes separated by commas ("dhl, amazon"), as `station barcode
 *   couriers` names them; NULL or "": none
 *
 * The couriers that collect from this bench: their numbers without a check digit are taken
 * as theirs; others' are only noted as possible.
 *
 * Returns: FALSE with ST_ERROR_INVALID_CONFIG naming a code no courier has
 */
gboolean
st_barcode_patterns_set_couriers(StBarcodePatterns *self, const gchar *list, GError **error)
{
	g_auto(GStrv) codes = g_strsplit(list != NULL ? list : "", ",", -1);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; codes[i] != NULL; i++) {
		gchar *code = g_strstrip(codes[i]);
		gboolean known = FALSE;
		if (code[0] == '\0')
			continue;
		for (guint r = 0; r < st_n_courier_rules && !known; r++)
			known = g_ascii_strcasecmp(st_courier_rules[r].courier_code, code) == 0;
		if (!known) {
			g_set_error(error, ST_BARCODE_ERROR, ST_ERROR_INVALID_CONFIG,
				    "'%s' is not a courier the station knows (station barcode "
				    "couriers lists them)",
				    code);
			return FALSE;
		}
		g_ptr_array_add(out, g_ascii_strdown(code, -1));
	}
	g_ptr_array_add(out, NULL);
	g_strfreev(self->couriers);
	self->couriers = (gchar **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
	return TRUE;
}

/**
 * st_barcode_patterns_set_dl_alphas:
 *
 * Whether GS1 Digital Link URIs may name keys by their convenience alphas (/gtin/, /sscc/,
 * /lot/ ...), retired from the standard yet still printed: [barcodes] digital-link-alphas.
 */
void
st_barcode_patterns_set_dl_alphas(StBarcodePatterns *self, gboolean allowed)
{
	self->dl_alphas = allowed;
}

/**
 * st_barcode_patterns_list_all_couriers:
 *
 * Takes every courier's numbers, those without a check digit too: for numbers that come
 * from a carrier's data rather than from a scanner (a label's tracking number), where a
 * misread is not the risk.
 */
void
st_barcode_patterns_list_all_couriers(StBarcodePatterns *self)
{
	g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < st_n_courier_rules; i++) {
		if (!g_ptr_array_find_with_equal_func(codes, st_courier_rules[i].courier_code,
						      g_str_equal, NULL))
			g_ptr_array_add(codes, g_strdup(st_courier_rules[i].courier_code));
	}
	g_ptr_array_add(codes, NULL);
	g_strfreev(self->couriers);
	self->couriers = (gchar **)g_ptr_array_free(g_steal_pointer(&codes), FALSE);
}

/* Returns: (transfer none) (nullable): the couriers set by st_barcode_patterns_set_couriers() */
const gchar *const *
st_barcode_patterns_get_couriers(const StBarcodePatterns *self)
{
	return self != NULL ? (const gchar *const *)self->couriers : NULL;
}

static gboolean
st_barcode_match_station(StBarcode *self, const StBarcodePatterns *patterns, const gchar *text)
{
	g_autoptr(GMatchInfo) info = NULL;
	g_autofree gchar *key = NULL;
	StBarcodeKind kind = ST_BARCODE_KIND_UNKNOWN;

	if (patterns->combined == NULL || !g_regex_match(patterns->combined, text, 0, &info))
		return FALSE;
	for (guint k = ST_BARCODE_KIND_COMMAND; k < ST_BARCODE_KIND_LAST; k++) {
		gchar name[16];
		gint start = -1, end = -1;
		if (patterns->source[k] == NULL)
			continue;
		g_snprintf(name, sizeof(name), "st_kind_%u", k);
		if (g_match_info_fetch_named_pos(info, name, &start, &end) && start >= 0) {
			kind = (StBarcodeKind)k;
			break;
		}
	}
	g_return_val_if_fail(kind != ST_BARCODE_KIND_UNKNOWN, FALSE);
	key = g_match_info_fetch_named(info, "key");
	if (key == NULL || key[0] == '\0') {
		g_free(key);
		key = g_strdup(text);
	}
	self->kind = kind;
	self->format = g_strdup_printf("%s barcode", st_barcode_kind_to_string(kind));
	if (kind == ST_BARCODE_KIND_COMMAND) {
		g_autofree gchar *name = g_ascii_strdown(key, -1);
		g_strdelimit(name, "_ ", '-');
		if (!g_strv_contains(st_barcode_commands(), name)) {
			g_autofree gchar *known = g_strjoinv(", ", (gchar **)st_barcode_commands());
			self->reason = g_strdup_printf("a command barcode, but the station has no "
						       "command '%s'; the commands are %s",
						       name, known);
			return TRUE;
		}
		g_free(key);
		key = g_steal_pointer(&name);
	}
	self->valid = TRUE;
	self->key = g_steal_pointer(&key);
	return TRUE;
}

/**
 * st_barcode_upce_expand:
 * @upce: 8 digits: number system (0 or 1), six digits, check digit
 * @upca: (out caller-allocates): the 12-digit UPC-A, NUL-terminated
 *
 * Returns: FALSE if @upce is not 8 digits with number system 0 or 1
 */
gboolean
st_barcode_upce_expand(const gchar *upce, gchar upca[13])
{
	const gchar *d = upce + 1; /* d[0..5] */
	gchar body[12] = {0};

	for (guint i = 0; i < 8; i++) {
		if (!g_ascii_isdigit(upce[i]))
			return FALSE;
	}
	if (upce[0] != '0' && upce[0] != '1')
		return FALSE;
	switch (d[5]) {
	case '0':
	case '1':
	case '2':
		g_snprintf(body, sizeof(body), "%c%c%c%c0000%c%c%c", upce[0], d[0], d[1], d[5],
			   d[2], d[3], d[4]);
		break;
	case '3':
		g_snprintf(body, sizeof(body), "%c%c%c%c00000%c%c", upce[0], d[0], d[1], d[2], d[3],
			   d[4]);
		break;
	case '4':
		g_snprintf(body, sizeof(body), "%c%c%c%c%c00000%c", upce[0], d[0], d[1], d[2], d[3],
			   d[4]);
		break;
	default:
		g_snprintf(body, sizeof(body), "%c%c%c%c%c%c0000%c", upce[0], d[0], d[1], d[2],
			   d[3], d[4], d[5]);
		break;
	}
	memcpy(upca, body, 11);
	upca[11] = (gchar)('0' + st_check_digit_gs1(body, 11));
	upca[12] = '\0';
	return TRUE;
}

static void
st_barcode_sscc(StBarcode *self, const gchar *digits)
{
	guint check = st_check_digit_gs1(digits, 17);
	self->kind = ST_BARCODE_KIND_SSCC;
	self->format = g_strdup("SSCC-18");
	if ((guint)(digits[17] - '0') != check) {
		st_check_digit_mismatch(self, "SSCC", check, digits[17], 17);
		return;
	}
	self->valid = TRUE;
	self->key = g_strndup(digits, 18);
}

static gchar *
st_barcode_display(const guint8 *data, gsize len)
{
	GString *str = g_string_sized_new(len + 8);
	for (gsize i = 0; i < len; i++) {
		gsize run = i;
		while (run < len && data[run] >= 0x20 && data[run] != 0x7f)
			run++;
		if (run > i) { /* printable bytes go in one append */
			g_string_append_len(str, (const gchar *)data + i, (gssize)(run - i));
			i = run - 1;
		} else if (data[i] == 0x1d)
			g_string_append(str, "<GS>");
		else /* a control character */
			g_string_append_printf(str, "\\x%02X", data[i]);
	}
	return g_string_free(str, FALSE);
}

static void
st_barcode_gtin(StBarcode *self, const gchar *digits, gsize len, const gchar *format)
{
	guint check = st_check_digit_gs1(digits, len - 1);
	gchar key[15];

	self->kind = ST_BARCODE_KIND_GTIN;
	self->format = g_strdup(format);
	if ((guint)(digits[len - 1] - '0') != check) {
		self->valid = FALSE;
		self->position = (gint)len - 1;
		self->reason = g_strdup_printf("%s check digit is %u, the barcode has %c: a digit "
					       "was misread or mistyped",
					       format, check, digits[len - 1]);
		return;
	}
	memset(key, '0', 14);
	memcpy(key + 14 - len, digits, len);
	key[14] = '\0';
	self->valid = TRUE;
	self->key = g_strdup(key);
	/* what the GS1 prefix of the GTIN-13 form says about the number */
	if (len <= 13) {
		const gchar *g13 = key + 1;
		if (g_str_has_prefix(g13, "978") || g_str_has_prefix(g13, "979"))
			self->note = g_strdup("ISBN (a book)");
		else if (g_str_has_prefix(g13, "977"))
			self->note = g_strdup("ISSN (a serial publication)");
		else if (g_str_has_prefix(g13, "02") || g_str_has_prefix(g13, "2"))
			self->note = g_strdup("restricted circulation number (variable measure or "
					      "in-store use): not unique outside its company");
		else if (g_str_has_prefix(g13, "04"))
			self->note = g_strdup("restricted circulation number (in-store use): not "
					      "unique outside its company");
		else if (g_str_has_prefix(g13, "05"))
			self->note = g_strdup("coupon");
	}
}

/**
 * st_barcode_parse:
 * @data: the scan's bytes
 * @symbology: (nullable): the AIM identifier the scanner sent, such as "]E0"
 *
 * Returns: (transfer full): what the scan is; never NULL
 */
static gboolean
st_barcode_try_unprefixed_gs1(StBarcode *self, const guint8 *data, gsize len);

/* a GS1 code (GTIN, SSCC) whose check digit failed is not a misread when a courier's number
 * with a check that holds (or of a listed courier) takes the same digits; otherwise what it
 * could be is noted */
static void
st_barcode_courier_instead(StBarcode *self,
			   const gchar *digits,
			   gsize len,
			   const gchar *const *couriers)
{
	if (self->valid)
		return;
	st_tracking_parse_couriers(self, digits, len, couriers, ST_TRACKING_CHECKED);
	st_tracking_set_url(self);
}

static void
st_barcode_set_gs1(StBarcode *self, StGs1Message *msg, const gchar *format);
static void
st_barcode_set_gs1_error(StBarcode *self, StGs1Error *error, const gchar *format, gint offset);
static StBarcode *
st_barcode_parse_composite(StBarcode *self,
			   const StBarcodePatterns *patterns,
			   const guint8 *data,
			   gsize len,
			   const gchar *symbology,
			   const guint8 *e0,
			   const StGs1Options *opts);

static StBarcode *
st_barcode_parse_codes(StBarcode *self,
		       const StBarcodePatterns *patterns,
		       const guint8 *data,
		       gsize len,
		       const gchar *symbology)
{
	const gchar *const *couriers = st_barcode_patterns_get_couriers(patterns);
	gboolean all_digits = len > 0;
	g_autofree gchar *digits = NULL;

	for (gsize i = 0; i < len; i++) {
		if (data[i] == 0) {
			self->reason = g_strdup("the scan holds a NUL byte");
			self->position = (gint)i;
			return self;
		}
		all_digits &= g_ascii_isdigit(data[i]);
	}
	if (!g_utf8_validate_len((const gchar *)data, len, NULL)) {
		const gchar *end = NULL;
		g_utf8_validate_len((const gchar *)data, len, &end);
		self->reason = g_strdup("the scan is not UTF-8 text");
		self->position = (gint)(end - (const gchar *)data);
		return self;
	}
	if (symbology != NULL &&
	    (strncmp(symbology, "]E0", 3) == 0 || strncmp(symbology, "]E4", 3) == 0)) {
		/* AIM (ISO/IEC 15424): ]E0 carries 13 digits (an EAN-13, a UPC-A with a leading
		 * 0, a UPC-E expanded), ]E4 the 8 of an EAN-8 */
		gsize want = symbology[2] == '0' ? 13 : 8;
		if (!all_digits || len != want) {
			self->kind = ST_BARCODE_KIND_GTIN;
			self->format = g_strdup(want == 13 ? "EAN-13" : "EAN-8");
			self->reason = g_strdup_printf(
				"the scanner marked it %.3s, whose data is %" G_GSIZE_FORMAT
				" digits (%s), but the scan has %" G_GSIZE_FORMAT
				" characters: check the scanner's settings",
				symbology, want,
				want == 13 ? "EAN-13; UPC-A and UPC-E as 13 with a leading 0"
					   : "EAN-8",
				len);
			self->position = (gint)MIN(len, want);
			return self;
		}
	}
	if ((!all_digits || len > 18) && st_barcode_try_unprefixed_gs1(self, data, len))
		return self;
	if (!all_digits) {
		g_autofree gchar *text = g_strndup((const gchar *)data, len);
		if (!st_tracking_parse_text(self, text, len, couriers) &&
		    !st_tracking_parse_couriers(self, text, len, couriers, ST_TRACKING_ANY))
			self->valid = TRUE; /* text this part does not interpret */
		st_tracking_set_url(self);
		return self;
	}
	digits = g_strndup((const gchar *)data, len);
	if (len == 18) {
		st_barcode_sscc(self, digits);
		st_barcode_courier_instead(self, digits, len, couriers);
		return self;
	}
	if (len == 20 && g_str_has_prefix(digits, "00")) {
		/* AI 00 without its symbology identifier, unless its check fails where a
		 * courier's (USPS's 20 digits) holds */
		st_barcode_sscc(self, digits + 2);
		if (self->position >= 0)
			self->position += 2;
		st_barcode_courier_instead(self, digits, len, couriers);
		return self;
	}
	switch (len) {
	case 8: {
		gchar upca[13];
		/* ]E4 says EAN-8; without a symbology, a UPC-E is told by its check */
		gboolean says_ean8 = g_strcmp0(symbology, "]E4") == 0;
		gboolean ean8_ok = st_check_digit_gs1(digits, 7) == (guint)(digits[7] - '0');
		gboolean upce_ok = st_barcode_upce_expand(digits, upca) && upca[11] == digits[7];
		if (!says_ean8 && !ean8_ok && upce_ok) {
			if (!st_barcode_upce_expand(digits, upca)) {
				self->kind = ST_BARCODE_KIND_GTIN;
				self->format = g_strdup("UPC-E");
				self->reason =
					g_strdup("UPC-E must start with number system 0 or 1");
				self->position = 0;
				return self;
			}
			st_barcode_gtin(self, upca, 12, "UPC-E");
			if (!upce_ok) {
				g_free(self->reason);
				self->reason =
					g_strdup_printf("UPC-E check digit is %c, the barcode "
							"has %c",
							upca[11], digits[7]);
				self->position = 7;
				self->valid = FALSE;
				g_clear_pointer(&self->key, g_free);
			} else {
				g_free(self->note);
				self->note = g_strdup_printf("expands to UPC-A %s", upca);
			}
			return self;
		}
		st_barcode_gtin(self, digits, 8, "GTIN-8");
		st_barcode_courier_instead(self, digits, len, couriers);
		return self;
	}
	case 12:
		if (st_check_digit_gs1(digits, 11) != (guint)(digits[11] - '0') &&
		    st_tracking_fedex12_ok(digits)) {
			st_tracking_fedex12(self, digits);
			return self;
		}
		st_barcode_gtin(self, digits, 12, "UPC-A");
		if (self->valid && st_tracking_fedex12_ok(digits)) {
			g_autofree gchar *note = self->note;
			self->note =
				g_strdup_printf("%s%salso a valid FedEx Express tracking number",
						note != NULL ? note : "", note != NULL ? "; " : "");
		}
		st_barcode_courier_instead(self, digits, len, couriers);
		return self;
	case 13:
		st_barcode_gtin(self, digits, 13, "EAN-13");
		st_barcode_courier_instead(self, digits, len, couriers);
		return self;
	case 14:
		st_barcode_gtin(self, digits, 14, "GTIN-14");
		st_barcode_courier_instead(self, digits, len, couriers);
		return self;
	default:
		if (!st_tracking_parse_digits(self, digits, len, couriers) &&
		    !st_tracking_parse_couriers(self, digits, len, couriers, ST_TRACKING_CHECKED))
			self->valid = TRUE; /* digits of another length: not a code we know */
		st_tracking_set_url(self);
		return self;
	}
}

/* the kind of key a GS1 primary key AI carries, for people and for lookups */
static const gchar *
st_barcode_gs1_key_type(const gchar *ai)
{
	static const struct {
		const gchar *ai, *type;
	} types[] = {
		{"00", "sscc"},	  {"01", "gtin"},   {"253", "gdti"},  {"255", "gcn"},
		{"401", "ginc"},  {"402", "gsin"},  {"414", "gln"},   {"415", "gln"},
		{"417", "gln"},	  {"8003", "grai"}, {"8004", "giai"}, {"8006", "itip"},
		{"8010", "cpid"}, {"8013", "gmn"},  {"8017", "gsrn"}, {"8018", "gsrn"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		if (strcmp(types[i].ai, ai) == 0)
			return types[i].type;
	}
	return NULL;
}

static const gchar *
st_barcode_gs1_format(const gchar *symbology, StBarcodeInput input)
{
	if (input == ST_BARCODE_INPUT_DL)
		return "GS1 Digital Link";
	if (input == ST_BARCODE_INPUT_BRACKETED)
		return "GS1 element string (bracketed)";
	if (symbology == NULL)
		return "GS1 element string";
	if (strncmp(symbology, "]C1", 3) == 0)
		return "GS1-128";
	if (strncmp(symbology, "]e0", 3) == 0)
		return "GS1 DataBar";
	if (strncmp(symbology, "]d2", 3) == 0)
		return "GS1 DataMatrix";
	if (strncmp(symbology, "]Q3", 3) == 0)
		return "GS1 QR Code";
	if (strncmp(symbology, "]J1", 3) == 0)
		return "GS1 DotCode";
	return "GS1 element string";
}

/* takes @msg: a valid GS1 message; its primary key (the first key AI) becomes the key */
static void
st_barcode_set_gs1(StBarcode *self, StGs1Message *msg, const gchar *format)
{
	self->kind = ST_BARCODE_KIND_GS1;
	self->valid = TRUE;
	self->format = g_strdup(format);
	self->gs1 = msg;
	for (guint i = 0; i < msg->elements->len; i++) {
		const StGs1Element *el = g_ptr_array_index(msg->elements, i);
		const gchar *type = st_barcode_gs1_key_type(el->ai);
		if (type != NULL) {
			self->key_type = g_strdup(type);
			self->key = g_strdup(el->value);
			break;
		}
	}
}

static void
st_barcode_set_gs1_error(StBarcode *self, StGs1Error *error, const gchar *format, gint offset)
{
	self->kind = ST_BARCODE_KIND_GS1;
	self->valid = FALSE;
	self->format = g_strdup(format);
	self->reason = g_strdup(error->message);
	self->position = error->position >= 0 ? error->position + offset : -1;
	if (error->markup != NULL)
		self->note = g_strdup_printf("fault: %s", error->markup);
}

/* data a keyboard-wedge scanner typed without an AIM identifier: GS1 when it has a GS, or
 * when it is a long run of digits that parses as element strings led by a key */
static gboolean
st_barcode_try_unprefixed_gs1(StBarcode *self, const guint8 *data, gsize len)
{
	StGs1Options opts;
	StGs1Error error = {.position = -1};
	g_autoptr(StGs1Message) msg = NULL;
	gboolean has_gs = memchr(data, ST_GS1_GS, len) != NULL;
	gboolean digits_led = len > 16 && data[0] == '0' && (data[1] == '1' || data[1] == '2');

	if (!has_gs && !digits_led)
		return FALSE;
	st_gs1_options_init(&opts);
	/* a leading GS is how some scanners send FNC1 in first position */
	if (len > 0 && data[0] == ST_GS1_GS) {
		data++;
		len--;
	}
	msg = st_gs1_parse_element_string(data, len, &opts, &error);
	if (msg == NULL) {
		if (has_gs)
			st_barcode_set_gs1_error(self, &error, "GS1 element string", 0);
		st_gs1_error_clear(&error);
		return has_gs;
	}
	st_barcode_set_gs1(self, g_steal_pointer(&msg), "GS1 element string");
	return TRUE;
}

/* an EAN/UPC whose scan carries a composite component after ]e0: the linear part read as a
 * GTIN, then the whole as GS1 data, (01) and the GTIN first, so that the composite's
 * elements are checked with the key they describe */
static StBarcode *
st_barcode_parse_composite(StBarcode *self,
			   const StBarcodePatterns *patterns,
			   const guint8 *data,
			   gsize len,
			   const gchar *symbology,
			   const guint8 *e0,
			   const StGs1Options *opts)
{
	gsize linear_len = (gsize)(e0 - data);
	gsize rest = (gsize)(e0 + 3 - data);
	g_autoptr(StBarcode) linear = NULL;
	g_autoptr(GString) es = NULL;
	StGs1Error error = {.position = -1};
	StGs1Message *msg;

	if (linear_len > 0 && data[linear_len - 1] == '|')
		linear_len--;
	linear =
		st_barcode_parse_full(patterns, data, linear_len, symbology, ST_BARCODE_INPUT_SCAN);
	if (linear->kind != ST_BARCODE_KIND_GTIN || !linear->valid) {
		self->kind = ST_BARCODE_KIND_GTIN;
		self->format = g_strdup("EAN/UPC with a composite component");
		self->reason = g_strdup_printf("the linear part: %s",
					       linear->reason != NULL ? linear->reason
								      : "not an EAN/UPC code");
		self->position = linear->position;
		return self;
	}
	es = g_string_new("01");
	g_string_append(es, linear->key);
	g_string_append_len(es, (const gchar *)data + rest, (gssize)(len - rest));
	msg = st_gs1_parse_element_string((const guint8 *)es->str, es->len, opts, &error);
	if (msg == NULL) {
		/* where the fault is in the scan: past the 16 characters put before it */
		gint offset = (gint)rest - 16;
		st_barcode_set_gs1_error(self, &error, "EAN/UPC with a composite component",
					 offset);
		if (self->position >= 0 && self->position < (gint)rest)
			self->position = (gint)rest;
		st_gs1_error_clear(&error);
		return self;
	}
	st_barcode_set_gs1(self, msg, "EAN/UPC with a composite component");
	return self;
}

/**
 * st_barcode_parse_input:
 * @data: the scan's bytes (after any AIM identifier)
 * @symbology: (nullable): the AIM identifier the scanner sent, such as "]d2"
 * @input: how to read @data
 *
 * Returns: (transfer full): what the scan is; never NULL
 */
StBarcode *
st_barcode_parse_input(const guint8 *data, gsize len, const gchar *symbology, StBarcodeInput input)
{
	return st_barcode_parse_full(NULL, data, len, symbology, input);
}

/**
 * st_barcode_parse_full:
 * @patterns: (nullable): the station's own barcodes; NULL recognises none
 * @data: the scan's bytes (after any AIM identifier)
 * @symbology: (nullable): the AIM identifier the scanner sent, such as "]d2"
 * @input: how to read @data
 *
 * Returns: (transfer full): what the scan is; never NULL
 */
StBarcode *
st_barcode_parse_full(const StBarcodePatterns *patterns,
		      const guint8 *data,
		      gsize len,
		      const gchar *symbology,
		      StBarcodeInput input)
{
	StBarcode *self = g_new0(StBarcode, 1);
	StGs1Options opts;
	StGs1Error error = {.position = -1};
	StGs1Message *msg = NULL;
	const gchar *format = st_barcode_gs1_format(symbology, input);

	if (data == NULL || len == 0) /* an empty scan may come as NULL */
		data = (const guint8 *)"";
	self->position = -1;
	self->text = st_barcode_display(data, len);
	st_gs1_options_init(&opts);
	opts.permit_convenience_alphas = patterns != NULL && patterns->dl_alphas;
	if (memchr(data, '\0', len) != NULL) {
		self->reason = g_strdup("the scan holds a NUL byte");
		self->position = (gint)((const guint8 *)memchr(data, '\0', len) - data);
		return self;
	}
	if (input == ST_BARCODE_INPUT_SCAN && symbology != NULL &&
	    (strncmp(symbology, "]E0", 3) == 0 || strncmp(symbology, "]E4", 3) == 0)) {
		/* an EAN/UPC with a composite component: ]E0...|]e0... or ]E0...]e0... */
		const guint8 *e0 = len > 3 ? memmem(data, len, "]e0", 3) : NULL;
		if (e0 != NULL)
			return st_barcode_parse_composite(self, patterns, data, len, symbology, e0,
							  &opts);
	}
	switch (input) {
	case ST_BARCODE_INPUT_BRACKETED: {
		g_autofree gchar *text = g_strndup((const gchar *)data, len);
		msg = st_gs1_parse_bracketed(text, &opts, &error);
		break;
	}
	case ST_BARCODE_INPUT_DL:
		msg = st_gs1_parse_digital_link((const gchar *)data, len, &opts, &error);
		break;
	case ST_BARCODE_INPUT_SCAN:
	default:
		if (symbology != NULL && st_gs1_aim_is_gs1(symbology)) {
			msg = st_gs1_parse_element_string(data, len, &opts, &error);
			break;
		}
		if (patterns != NULL && g_utf8_validate_len((const gchar *)data, len, NULL)) {
			g_autofree gchar *text = g_strndup((const gchar *)data, len);
			if (st_barcode_match_station(self, patterns, text))
				return self;
		}
		if (len > 7 && ((len > 8 && st_gs1_dl_scheme((const gchar *)data, "https://")) ||
				st_gs1_dl_scheme((const gchar *)data, "http://"))) {
			msg = st_gs1_parse_digital_link((const gchar *)data, len, &opts, &error);
			if (msg == NULL && g_strcmp0(error.code, "no-primary-key") != 0 &&
			    g_strcmp0(error.code, "no-path") != 0) {
				st_barcode_set_gs1_error(self, &error, "GS1 Digital Link", 0);
				st_gs1_error_clear(&error);
				return self;
			}
			st_gs1_error_clear(&error);
			if (msg == NULL) {
				self->valid = TRUE; /* a web address, not a GS1 one */
				self->note = g_strdup("a web address without GS1 keys");
				return self;
			}
			format = "GS1 Digital Link";
			break;
		}
		return st_barcode_parse_codes(self, patterns, data, len, symbology);
	}
	if (msg == NULL) {
		st_barcode_set_gs1_error(self, &error, format, 0);
		st_gs1_error_clear(&error);
		return self;
	}
	st_barcode_set_gs1(self, msg, format);
	return self;
}

/**
 * st_barcode_parse:
 * @symbology: (nullable): the AIM identifier the scanner sent, such as "]E0"
 *
 * Returns: (transfer full): what the scan is; never NULL
 */
StBarcode *
st_barcode_parse(const guint8 *data, gsize len, const gchar *symbology)
{
	return st_barcode_parse_input(data, len, symbology, ST_BARCODE_INPUT_SCAN);
}

/* "YYMMDD" as an ISO date; DD 00 means the last day of the month (GS1 7.12) */
gchar *
st_barcode_gs1_date(const gchar *v)
{
	gint year = st_gs1_year_from_yy((guint)((v[0] - '0') * 10 + (v[1] - '0')));
	guint month = (guint)((v[2] - '0') * 10 + (v[3] - '0'));
	guint day = (guint)((v[4] - '0') * 10 + (v[5] - '0'));
	if (day == 0)
		day = g_date_get_days_in_month((GDateMonth)month, (GDateYear)year);
	return g_strdup_printf("%04d-%02u-%02u", year, month, day);
}

/* Returns: (transfer full): the value of an AI with @decimals implied decimal places (the last
 * digit of 31nn-36nn and 39nn) as a decimal: 3103 000195 is 0.195; amounts with a currency
 * keep their 3-digit code out */
static gchar *
st_barcode_gs1_decimal(const StGs1Element *el, gint decimals)
{
	const gchar *digits = el->value;
	gsize n;

	if (el->def != NULL && g_str_has_prefix(st_gs1_ai_get_format(el->def), "N3:iso4217"))
		digits += 3;
	n = strlen(digits);
	while (n > (gsize)decimals + 1 && digits[0] == '0') {
		digits++; /* leading zeros of the whole part */
		n--;
	}
	if (decimals == 0)
		return g_strdup(digits);
	if ((gsize)decimals >= n)
		return g_strdup_printf("0.%0*d%s", (gint)((gsize)decimals - n), 0, digits);
	return g_strdup_printf("%.*s.%s", (gint)(n - (gsize)decimals), digits,
			       digits + n - (gsize)decimals);
}

/*
 * The result's JSON is written straight into a string: `station barcode parse` writes one
 * object a scan, and a JsonBuilder's tree of nodes and its generator were two thirds of its
 * time. The output is what json-glib's generator writes (RFC 8259 escapes, no spaces); the
 * tests read it back with json-glib.
 */
static void
st_json_string(GString *out, const gchar *s)
{
	/* the escapes JSON names; other control characters as \u00XX */
	static const gchar *const named[] = {
		['"'] = "\\\"", ['\\'] = "\\\\", ['\b'] = "\\b", ['\f'] = "\\f",
		['\n'] = "\\n", ['\r'] = "\\r",	 ['\t'] = "\\t"};

	g_string_append_c(out, '"');
	for (const gchar *p = s; *p != '\0'; p++) {
		const gchar *run = p;
		while (*p != '\0' && *p != '"' && *p != '\\' && (guchar)*p >= 0x20)
			p++;
		if (p > run)
			g_string_append_len(out, run, p - run);
		if (*p == '\0')
			break;
		if ((guchar)*p < G_N_ELEMENTS(named) && named[(guchar)*p] != NULL)
			g_string_append(out, named[(guchar)*p]);
		else /* another control character */
			g_string_append_printf(out, "\\u%04x", (guint)(guchar)*p);
	}
	g_string_append_c(out, '"');
}

/* "name": after a comma unless it is the first member of its object */
static void
st_json_member(GString *out, const gchar *name)
{
	if (out->len > 0 && out->str[out->len - 1] != '{')
		g_string_append_c(out, ',');
	st_json_string(out, name);
	g_string_append_c(out, ':');
}

static void
st_json_member_string(GString *out, const gchar *name, const gchar *value)
{
	st_json_member(out, name);
	st_json_string(out, value);
}

static void
st_barcode_gs1_to_json(const StBarcode *self, GString *b)
{
	static const struct {
		const gchar *ai, *name;
		gboolean date;
	} summary[] = {
		{"01", "gtin14", FALSE},
		{"00", "sscc", FALSE},
		{"10", "lot", FALSE},
		{"21", "serial", FALSE},
		{"17", "expiry", TRUE},
		{"15", "best_before", TRUE},
		{"11", "production_date", TRUE},
		{"37", "count", FALSE},
		{"30", "variable_count", FALSE},
		{"420", "ship_to_postal_code", FALSE},
	};
	static const struct {
		const gchar *prefix, *name, *unit;
	} weights[] = {
		{"310", "net_weight", "kg"},
		{"320", "net_weight", "lb"},
		{"330", "gross_weight", "kg"},
		{"340", "gross_weight", "lb"},
	};
	StGs1Options opts;
	g_autofree gchar *es = st_gs1_message_to_element_string(self->gs1, ST_GS1_GS);
	g_autofree gchar *bracketed = st_gs1_message_to_bracketed(self->gs1);
	g_autofree gchar *dl = NULL;
	g_autofree gchar *es_shown = st_barcode_display((const guint8 *)es, strlen(es));

	st_gs1_options_init(&opts);
	dl = st_gs1_message_to_digital_link(self->gs1, NULL, &opts, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(summary); i++) {
		const StGs1Element *el = st_gs1_message_find(self->gs1, summary[i].ai);
		if (el == NULL)
			continue;
		if (summary[i].date) {
			g_autofree gchar *d = st_barcode_gs1_date(el->value);
			st_json_member_string(b, summary[i].name, d);
		} else {
			st_json_member_string(b, summary[i].name, el->value);
		}
	}
	/* weights, as a decimal with its unit: 3103 001250 is 1.250 kg */
	for (guint i = 0; i < G_N_ELEMENTS(weights); i++) {
		for (guint e = 0; e < self->gs1->elements->len; e++) {
			const StGs1Element *el = g_ptr_array_index(self->gs1->elements, e);
			g_autofree gchar *dec = NULL;
			if (el->def == NULL || strlen(el->ai) != 4 ||
			    strncmp(el->ai, weights[i].prefix, 3) != 0)
				continue;
			dec = st_barcode_gs1_decimal(el, st_gs1_ai_decimals(el->def));
			st_json_member(b, weights[i].name);
			g_string_append_c(b, '{');
			st_json_member_string(b, "value", dec);
			st_json_member_string(b, "unit", weights[i].unit);
			g_string_append_c(b, '}');
			break;
		}
	}
	st_json_member(b, "elements");
	g_string_append_c(b, '[');
	for (guint i = 0; i < self->gs1->elements->len; i++) {
		const StGs1Element *el = g_ptr_array_index(self->gs1->elements, i);
		gint decimals = el->def != NULL ? st_gs1_ai_decimals(el->def) : -1;

		if (i > 0)
			g_string_append_c(b, ',');
		g_string_append_c(b, '{');
		st_json_member_string(b, "ai", el->ai);
		st_json_member_string(
			b, "title", el->def != NULL ? st_gs1_ai_get_title(el->def) : "unknown AI");
		if (el->def != NULL)
			st_json_member_string(b, "meaning", st_gs1_ai_get_meaning(el->def));
		st_json_member_string(b, "value", el->value);
		if (decimals >= 0) {
			g_autofree gchar *dec = st_barcode_gs1_decimal(el, decimals);
			st_json_member_string(b, "decimal", dec);
		}
		g_string_append_c(b, '}');
	}
	g_string_append_c(b, ']');
	st_json_member_string(b, "element_string", es_shown);
	st_json_member_string(b, "bracketed", bracketed);
	if (dl != NULL)
		st_json_member_string(b, "digital_link", dl);
}

/**
 * st_barcode_lookup_forms:
 * @text: the scan as text
 *
 * Returns: (transfer container) (element-type utf8): the keys a catalogue may hold the scan
 *   under: @text, and for a GTIN (or a GS1 scan with one) its GTIN-14, -13, -12 and -8
 *   forms, so that a UPC-A scan finds the EAN-13 stored for it
 */
GPtrArray *
st_barcode_lookup_forms(const StBarcode *self, const gchar *text)
{
	GPtrArray *forms = g_ptr_array_new_with_free_func(g_free);
	const guint lengths[] = {14, 13, 12, 8};
	const gchar *key = self->key;

	g_ptr_array_add(forms, g_strdup(text));
	if ((self->kind != ST_BARCODE_KIND_GTIN &&
	     !(self->kind == ST_BARCODE_KIND_GS1 && g_strcmp0(self->key_type, "gtin") == 0)) ||
	    key == NULL || strlen(key) != 14)
		return forms;
	for (guint i = 0; i < G_N_ELEMENTS(lengths); i++) {
		guint drop = 14 - lengths[i];
		gboolean zeros = TRUE;
		for (guint j = 0; j < drop; j++)
			zeros &= key[j] == '0';
		if (zeros && g_strcmp0(key + drop, text) != 0)
			g_ptr_array_add(forms, g_strdup(key + drop));
	}
	return forms;
}

/**
 * st_barcode_append_json:
 * @out: where the object goes, after what it holds
 *
 * Appends the result as one JSON object, without a line break.
 */
void
st_barcode_append_json(const StBarcode *self, GString *out)
{
	/* the object's first member sees '{' before it, whatever @out held */
	g_string_append_c(out, '{');
	st_json_member_string(out, "text", self->text);
	st_json_member_string(out, "kind", st_barcode_kind_to_string(self->kind));
	st_json_member(out, "valid");
	g_string_append(out, self->valid ? "true" : "false");
	if (self->format != NULL)
		st_json_member_string(out, "format", self->format);
	if (self->carrier != NULL)
		st_json_member_string(out, "carrier", self->carrier);
	if (self->service != NULL)
		st_json_member_string(out, "service", self->service);
	if (self->tracking_url != NULL)
		st_json_member_string(out, "tracking_url", self->tracking_url);
	if (self->key != NULL)
		st_json_member_string(out, self->kind == ST_BARCODE_KIND_GTIN ? "gtin14" : "key",
				      self->key);
	if (self->key_type != NULL)
		st_json_member_string(out, "key_type", self->key_type);
	if (self->gs1 != NULL)
		st_barcode_gs1_to_json(self, out);
	if (self->note != NULL)
		st_json_member_string(out, "note", self->note);
	if (self->reason != NULL) {
		st_json_member_string(out, "reason", self->reason);
		st_json_member(out, "position");
		g_string_append_printf(out, "%d", self->position);
	}
	g_string_append_c(out, '}');
}

/* Returns: (transfer full): the result as one JSON object */
gchar *
st_barcode_to_json(const StBarcode *self)
{
	GString *out = g_string_sized_new(256);
	st_barcode_append_json(self, out);
	return g_string_free(out, FALSE);
}

/* unescapes \xNN, \u00NN and \\; FALSE on a malformed escape */
gboolean
st_barcode_unescape(const gchar *in, GByteArray *out)
{
	for (const gchar *p = in; *p != '\0'; p++) {
		const gchar *run = p;
		guint8 b;
		while (*p != '\0' && *p != '\\')
			p++;
		if (p > run) /* the bytes up to an escape, in one go */
			g_byte_array_append(out, (const guint8 *)run, (guint)(p - run));
		if (*p == '\0')
			break;
		if (p[1] == '\\') {
			b = '\\';
			g_byte_array_append(out, &b, 1);
			p++;
		} else if (p[1] == 'x' && g_ascii_isxdigit(p[2]) && g_ascii_isxdigit(p[3])) {
			b = (guint8)(g_ascii_xdigit_value(p[2]) * 16 + g_ascii_xdigit_value(p[3]));
			g_byte_array_append(out, &b, 1);
			p += 3;
		} else if (p[1] == 'u' && p[2] == '0' && p[3] == '0' && g_ascii_isxdigit(p[4]) &&
			   g_ascii_isxdigit(p[5])) {
			b = (guint8)(g_ascii_xdigit_value(p[4]) * 16 + g_ascii_xdigit_value(p[5]));
			g_byte_array_append(out, &b, 1);
			p += 5;
		} else {
			return FALSE;
		}
	}
	return TRUE;
}
