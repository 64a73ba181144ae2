/*
 * The label model: construction, names, and the checks a barcode's data must pass before
 * anything is drawn, so a bad label is refused with a reason instead of printed unreadable.
 */
#include <math.h>
#include <string.h>
#include <zint.h>

#include "station/st-error.h"
#include "station/st-label.h"

#include "st-label-private.h"

GQuark
st_label_error_quark(void)
{
	return g_quark_from_static_string("st-label-error-quark");
}

static const gchar *const symbology_names[ST_SYMBOL_COUNT] = {
	[ST_SYMBOL_CODE128] = "code128",
	[ST_SYMBOL_GS1_128] = "gs1-128",
	[ST_SYMBOL_CODE39] = "code39",
	[ST_SYMBOL_EAN13] = "ean13",
	[ST_SYMBOL_EAN8] = "ean8",
	[ST_SYMBOL_UPCA] = "upca",
	[ST_SYMBOL_ITF] = "itf",
	[ST_SYMBOL_DATAMATRIX] = "datamatrix",
	[ST_SYMBOL_GS1_DATAMATRIX] = "gs1-datamatrix",
	[ST_SYMBOL_QR] = "qr",
	[ST_SYMBOL_PDF417] = "pdf417",
	[ST_SYMBOL_MAXICODE] = "maxicode",
};

StLabel *
st_label_new(gint width, gint height, gint dpi)
{
	StLabel *label = g_new0(StLabel, 1);
	label->width = width;
	label->height = height;
	label->dpi = dpi;
	label->items = g_ptr_array_new_with_free_func((GDestroyNotify)st_label_item_free);
	label->more_pages = g_ptr_array_new_with_free_func((GDestroyNotify)st_label_free);
	return label;
}

void
st_label_free(StLabel *label)
{
	if (label == NULL)
		return;
	g_free(label->template_name);
	g_ptr_array_unref(label->items);
	g_ptr_array_unref(label->more_pages);
	g_free(label);
}

StLabelItem *
st_label_item_new(StLabelKind kind)
{
	StLabelItem *item = g_new0(StLabelItem, 1);
	item->kind = kind;
	item->thickness = 1;
	item->module = 2;
	return item;
}

void
st_label_item_free(StLabelItem *item)
{
	if (item == NULL)
		return;
	g_free(item->name);
	g_free(item->text);
	g_free(item->hri_text);
	if (item->data != NULL)
		g_bytes_unref(item->data);
	if (item->image != NULL)
		g_bytes_unref(item->image);
	g_free(item);
}

/* millimetres to whole dots at @dpi */
gint
st_label_dots(gdouble mm, gint dpi)
{
	return (gint)lround(mm * dpi / 25.4);
}

const gchar *
st_symbology_to_string(StSymbology symbology)
{
	if ((guint)symbology >= ST_SYMBOL_COUNT)
		return "unknown";
	return symbology_names[symbology];
}

gboolean
st_symbology_from_string(const gchar *name, StSymbology *symbology)
{
	for (guint i = 0; i < ST_SYMBOL_COUNT; i++) {
		if (g_strcmp0(name, symbology_names[i]) == 0) {
			*symbology = (StSymbology)i;
			return TRUE;
		}
	}
	return FALSE;
}

gboolean
st_symbology_is_linear(StSymbology symbology)
{
	return symbology <= ST_SYMBOL_ITF;
}

gboolean
st_label_format_from_string(const gchar *name, StLabelFormat *format)
{
	if (g_strcmp0(name, "zpl") == 0)
		*format = ST_LABEL_FORMAT_ZPL;
	else if (g_strcmp0(name, "pdf") == 0)
		*format = ST_LABEL_FORMAT_PDF;
	else if (g_strcmp0(name, "png") == 0)
		*format = ST_LABEL_FORMAT_PNG;
	else
		return FALSE;
	return TRUE;
}

/* the GS1 mod-10 check digit of @n digits (the same for EAN, UPC, ITF-14 and SSCC) */
static gint
gs1_check_digit(const gchar *d, gsize n)
{
	guint sum = 0;
	for (gsize i = 0; i < n; i++)
		sum += (guint)(d[n - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);
	return (gint)((10 - sum % 10) % 10);
}

static gboolean
all_digits(const gchar *d, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isdigit(d[i]))
			return FALSE;
	return TRUE;
}

/* an EAN/UPC: @n digits without the check digit, or n + 1 with a check digit that holds */
static gboolean
check_gtin(const gchar *what, const gchar *d, gsize len, gsize n, GError **error)
{
	if ((len != n && len != n + 1) || !all_digits(d, len)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "%s takes %zu digits, or %zu with the check digit; got \"%.*s\"", what,
			    n, n + 1, (gint)MIN(len, 40), d);
		return FALSE;
	}
	if (len == n + 1 && d[n] - '0' != gs1_check_digit(d, n)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "%s \"%.*s\": the check digit should be %d, not %c; check the number",
			    what, (gint)len, d, gs1_check_digit(d, n), d[n]);
		return FALSE;
	}
	return TRUE;
}

/**
 * st_label_check_symbol:
 *
 * Checks @data against what @symbology can carry: the character set, the length, and the
 * check digit where the data includes one. The 2D symbols' capacity is checked when they are
 * encoded.
 */
gboolean
st_label_check_symbol(StSymbology symbology, GBytes *data, GError **error)
{
	gsize len = 0;
	const gchar *d = data != NULL ? g_bytes_get_data(data, &len) : NULL;

	if (len == 0) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "no data for the %s barcode", st_symbology_to_string(symbology));
		return FALSE;
	}
	switch (symbology) {
	case ST_SYMBOL_CODE128:
	case ST_SYMBOL_GS1_128:
		for (gsize i = 0; i < len; i++) {
			if ((guchar)d[i] > 127) {
				g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					    "Code 128 carries ASCII only: byte 0x%02X at position "
					    "%zu",
					    (guchar)d[i], i);
				return FALSE;
			}
		}
		/* GS1 General Specifications: at most 48 data characters in GS1-128 */
		if ((symbology == ST_SYMBOL_GS1_128 && len > 48) || len > 80) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "%zu characters are too many for %s (at most %d)", len,
				    symbology == ST_SYMBOL_GS1_128 ? "GS1-128" : "Code 128",
				    symbology == ST_SYMBOL_GS1_128 ? 48 : 80);
			return FALSE;
		}
		return TRUE;
	case ST_SYMBOL_CODE39:
		for (gsize i = 0; i < len; i++) {
			if (!g_ascii_isdigit(d[i]) && !g_ascii_isupper(d[i]) &&
			    strchr(" -.$/+%", d[i]) == NULL) {
				g_set_error(
					error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					"Code 39 carries 0-9, A-Z, space and - . $ / + %% only: "
					"'%c' at position %zu",
					g_ascii_isprint(d[i]) ? d[i] : '?', i);
				return FALSE;
			}
		}
		if (len > 80) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "%zu characters are too many for Code 39 (at most 80)", len);
			return FALSE;
		}
		return TRUE;
	case ST_SYMBOL_EAN13:
		return check_gtin("EAN-13", d, len, 12, error);
	case ST_SYMBOL_EAN8:
		return check_gtin("EAN-8", d, len, 7, error);
	case ST_SYMBOL_UPCA:
		return check_gtin("UPC-A", d, len, 11, error);
	case ST_SYMBOL_ITF:
		if (!all_digits(d, len) || len % 2 != 0 || len > 80) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "Interleaved 2 of 5 takes an even number of digits (up to 80); "
				    "got %zu characters",
				    len);
			return FALSE;
		}
		if (len == 14 && d[13] - '0' != gs1_check_digit(d, 13)) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "ITF-14 \"%.14s\": the check digit should be %d, not %c", d,
				    gs1_check_digit(d, 13), d[13]);
			return FALSE;
		}
		return TRUE;
	case ST_SYMBOL_MAXICODE: {
		StMaxicode mc = {0};
		gboolean ok = st_label_maxicode_split(data, &mc, error);
		st_maxicode_clear(&mc);
		return ok;
	}
	case ST_SYMBOL_DATAMATRIX:
	case ST_SYMBOL_GS1_DATAMATRIX:
	case ST_SYMBOL_QR:
	case ST_SYMBOL_PDF417:
	case ST_SYMBOL_COUNT:
	default:
		return TRUE;
	}
}

/* AIs whose first two digits give a predefined length: no FNC1 follows them */
static gboolean
gs1_ai_predefined(const gchar *ai)
{
	static const gchar *const fixed[] = {"00", "01", "02", "03", "04", "11", "12", "13",
					     "14", "15", "16", "17", "18", "19", "20", "31",
					     "32", "33", "34", "35", "36", "41"};
	for (guint i = 0; i < G_N_ELEMENTS(fixed); i++)
		if (strncmp(ai, fixed[i], 2) == 0)
			return TRUE;
	return FALSE;
}

GBytes *
st_label_gs1_from_brackets(const gchar *text, GError **error)
{
	g_autoptr(GString) out = g_string_new(NULL);
	const gchar *p = text;
	gboolean need_gs = FALSE;

	if (p == NULL || *p != '(') {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "GS1 data is written with its AIs in brackets, as "
			    "\"(01)09501101530003(10)AB1\"; got \"%s\"",
			    p != NULL ? p : "");
		return NULL;
	}
	while (*p == '(') {
		const gchar *close = strchr(p, ')');
		const gchar *value, *end;
		gsize ai_len = close != NULL ? (gsize)(close - p - 1) : 0;
		if (close == NULL || ai_len < 2 || ai_len > 4 || !all_digits(p + 1, ai_len)) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "GS1 data: \"%.12s\" is not an AI in brackets (2 to 4 digits)",
				    p);
			return NULL;
		}
		value = close + 1;
		end = strchr(value, '(');
		if (end == NULL)
			end = value + strlen(value);
		if (end == value) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "GS1 data: AI (%.*s) has no value", (gint)ai_len, p + 1);
			return NULL;
		}
		for (const gchar *c = value; c < end; c++) {
			/* GS1's character set 82 (General Specifications, figure 7.11-1) */
			if ((guchar)*c < 33 || (guchar)*c > 122 ||
			    strchr("#$@[\\]^`)", *c) != NULL) {
				g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					    "GS1 data: AI (%.*s) holds a character GS1 does not "
					    "allow at position %zu",
					    (gint)ai_len, p + 1, (gsize)(c - text));
				return NULL;
			}
		}
		if (need_gs)
			g_string_append_c(out, 0x1d);
		g_string_append_len(out, p + 1, (gssize)ai_len);
		g_string_append_len(out, value, end - value);
		need_gs = !gs1_ai_predefined(p + 1);
		p = end;
	}
	if (*p != '\0') {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "GS1 data: unexpected \"%.12s\"", p);
		return NULL;
	}
	return g_bytes_new(out->str, out->len);
}

void
st_maxicode_clear(StMaxicode *mc)
{
	if (mc->secondary != NULL)
		g_bytes_unref(mc->secondary);
	mc->secondary = NULL;
}

/* the next field of a structured carrier message, up to GS; FALSE when there is no GS */
static gboolean
maxicode_field(const gchar **p, const gchar *end, const gchar **field, gsize *len)
{
	const gchar *gs = memchr(*p, 0x1d, (gsize)(end - *p));
	if (gs == NULL)
		return FALSE;
	*field = *p;
	*len = (gsize)(gs - *p);
	*p = gs + 1;
	return TRUE;
}

/* whether libzint encodes @mc in one symbol (the capacity depends on the characters) */
static gboolean
st_maxicode_fits(const StMaxicode *mc, const gchar *secondary, gsize len)
{
	struct zint_symbol *sym = ZBarcode_Create();
	gint ret;
	sym->symbology = BARCODE_MAXICODE;
	sym->option_1 = mc->mode;
	g_snprintf(sym->primary, sizeof(sym->primary), "%s%s%s", mc->postal, mc->country,
		   mc->service);
	ret = ZBarcode_Encode(sym, (const guchar *)secondary, (gint)len);
	ZBarcode_Delete(sym);
	return ret < ZINT_ERROR;
}

/* the fields of a UPS message after the class of service (UPS's guide to labelling, the
 * MaxiCode secondary message), for a refusal that names one */
static const gchar *const ups_fields[] = {
	"the tracking number", "the carrier (SCAC)", "the shipper number",
	"the day of the year", "the shipment id",    "the package number of the count",
	"the weight",	       "address validation", "the ship-to street",
	"the ship-to city",    "the ship-to region",
};

/* the street (8) and the city (9) of a UPS message are what may be shortened: the primary
 * message carries the postal code, country and service that sorting uses */
#define ST_MAXICODE_STREET 8
#define ST_MAXICODE_CITY   9

/*
 * A carrier's message too long for the symbol is fitted to it by the carrier's priorities:
 * the ship-to street is shortened first (to 10 characters), then the city (to 5), then the
 * street and the city to nothing. What still does not fit is refused, naming the longest
 * field.
 */
static gboolean
st_maxicode_fit(StMaxicode *mc, GError **error)
{
	gsize len = 0;
	const gchar *d = g_bytes_get_data(mc->secondary, &len);
	g_auto(GStrv) fields = NULL;
	g_autofree gchar *body = NULL;
	gsize tail_len, n;
	const gchar *tail;
	static const struct {
		guint field;
		gsize keep;
	} steps[] = {{ST_MAXICODE_STREET, 10},
		     {ST_MAXICODE_CITY, 5},
		     {ST_MAXICODE_STREET, 0},
		     {ST_MAXICODE_CITY, 0}};

	if (st_maxicode_fits(mc, d, len))
		return TRUE;
	/* the header (9 bytes), then the fields separated by GS, then RS and EOT */
	tail = len >= 2 && d[len - 2] == '\x1e' && d[len - 1] == '\x04' ? d + len - 2 : d + len;
	tail_len = (gsize)(d + len - tail);
	body = g_strndup(d + 9, (gsize)(tail - d) - 9);
	fields = g_strsplit(body, "\x1d", -1);
	n = g_strv_length(fields);
	for (guint s = 0; n > ST_MAXICODE_CITY && s < G_N_ELEMENTS(steps); s++) {
		gchar *f = fields[steps[s].field];
		for (gsize keep = strlen(f); keep > steps[s].keep; keep--) {
			g_autofree gchar *joined = NULL;
			g_autoptr(GString) msg = g_string_new_len(d, 9);
			f[keep - 1] = '\0';
			/* a word cut leaves no space at the end */
			g_strchomp(f);
			joined = g_strjoinv("\x1d", fields);
			g_string_append(msg, joined);
			g_string_append_len(msg, tail, (gssize)tail_len);
			if (st_maxicode_fits(mc, msg->str, msg->len)) {
				g_bytes_unref(mc->secondary);
				mc->secondary = g_bytes_new(msg->str, msg->len);
				return TRUE;
			}
			keep = MIN(keep, strlen(f) + 1);
		}
	}
	{
		/* still too long: the longest field is named */
		guint longest = 0;
		for (guint i = 1; i < n; i++) {
			if (strlen(fields[i]) > strlen(fields[longest]))
				longest = i;
		}
		g_set_error(
			error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			"MaxiCode: the carrier's message does not fit the symbol, even with the "
			"street and city cut; the longest field is %s (\"%.40s\"): shorten it",
			longest < G_N_ELEMENTS(ups_fields) && n > ST_MAXICODE_CITY
				? ups_fields[longest]
				: "a field of the message",
			fields[longest]);
		return FALSE;
	}
}

/**
 * st_label_maxicode_split:
 *
 * Splits a MaxiCode message into what the encoders take. A message that begins with the
 * ISO/IEC 15434 header "[)>" RS "01" GS and a two-digit version is a structured carrier
 * message (UPS, ANSI MH10.8.3): the ship-to postal code, the ISO 3166 numeric country and
 * the class of service follow, each ended by GS, and go into the symbol's primary message
 * (mode 2 for a United States ZIP code, the only numeric postal code of that mode; mode 3
 * for every other country's, digits or letters, of which the symbol holds the first 6
 * characters). A 5-digit US ZIP code is
 * written as 9 digits with "0000", as ZPL's ^BD requires and printers do by themselves, so
 * that every renderer encodes the same. Any other message is a mode 4 symbol.
 *
 * The characters are printable ASCII and the separators GS, RS and EOT: carriers' sorting
 * systems read nothing else, so an address must be transliterated before it gets here.
 */
gboolean
st_label_maxicode_split(GBytes *data, StMaxicode *mc, GError **error)
{
	static const gchar header[] = "[)>\x1e"
				      "01\x1d";
	gsize len = 0;
	const gchar *d = data != NULL ? g_bytes_get_data(data, &len) : NULL;
	const gchar *p, *end, *postal, *country, *service;
	gsize postal_len, country_len, service_len;

	memset(mc, 0, sizeof(*mc));
	if (len == 0) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "no data for the MaxiCode");
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)d[i];
		if ((c < 0x20 || c > 0x7e) && c != 0x1d && c != 0x1e && c != 0x04) {
			g_set_error(
				error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				"MaxiCode carries printable ASCII and the GS, RS and EOT "
				"separators only: byte 0x%02X at position %zu; write the address "
				"in ASCII (upper case for UPS)",
				c, i);
			return FALSE;
		}
	}
	/* ISO/IEC 16023: 93 characters in mode 4, fewer in modes 2 and 3; the encoder checks
	 * the exact capacity, this keeps absurd data away from it */
	if (len > 138) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "%zu characters are too many for a MaxiCode (at most 138 digits or 93 "
			    "other characters)",
			    len);
		return FALSE;
	}
	if (len < sizeof(header) - 1 + 2 || memcmp(d, header, sizeof(header) - 1) != 0 ||
	    !g_ascii_isdigit(d[7]) || !g_ascii_isdigit(d[8])) {
		mc->mode = 4;
		mc->secondary = g_bytes_ref(data);
		return TRUE;
	}
	p = d + 9;
	end = d + len;
	if (!maxicode_field(&p, end, &postal, &postal_len) ||
	    !maxicode_field(&p, end, &country, &country_len) ||
	    !maxicode_field(&p, end, &service, &service_len)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "MaxiCode: a structured carrier message has the postal code, the "
			    "country and the class of service after its header, each ended by GS");
		return FALSE;
	}
	if (country_len != 3 || !all_digits(country, 3)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "MaxiCode: the country is ISO 3166's three-digit number (840 for the "
			    "United States), not \"%.*s\"",
			    (gint)MIN(country_len, 20), country);
		return FALSE;
	}
	if (service_len != 3 || !all_digits(service, 3)) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "MaxiCode: the class of service is three digits, not \"%.*s\"",
			    (gint)MIN(service_len, 20), service);
		return FALSE;
	}
	/* ISO/IEC 16023: mode 2 is a numeric postal code, which only the United States
	 * (country 840) has in this form; every other country's code, digits or not, is mode
	 * 3's 6 characters (DE 10115 is "10115 ", not a ZIP of 101150000) */
	if (memcmp(country, "840", 3) == 0 &&
	    !((postal_len == 5 || postal_len == 9) && all_digits(postal, postal_len))) {
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
			    "MaxiCode: a United States postal code is a ZIP code of 5 or 9 digits, "
			    "not \"%.*s\"",
			    (gint)MIN(postal_len, 20), postal);
		return FALSE;
	}
	if (memcmp(country, "840", 3) == 0) {
		mc->mode = 2;
		memcpy(mc->postal, postal, postal_len);
		if (postal_len == 5)
			memcpy(mc->postal + 5, "0000", 4);
	} else {
		if (postal_len == 0 || postal_len > 20) {
			g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
				    "MaxiCode: the postal code \"%.*s\" is not 1 to 20 letters and "
				    "digits (the symbol holds the first 6)",
				    (gint)MIN(postal_len, 20), postal);
			return FALSE;
		}
		for (gsize i = 0; i < postal_len; i++) {
			if (!g_ascii_isdigit(postal[i]) && !g_ascii_isupper(postal[i]) &&
			    postal[i] != ' ') {
				g_set_error(error, ST_LABEL_ERROR, ST_ERROR_INVALID_DATA,
					    "MaxiCode: the postal code \"%.*s\" may hold only "
					    "digits, upper-case letters and spaces",
					    (gint)postal_len, postal);
				return FALSE;
			}
		}
		/* mode 3 has room for 6: carriers read the first 6 of a longer postal code */
		mc->mode = 3;
		memset(mc->postal, ' ', 6);
		memcpy(mc->postal, postal, MIN(postal_len, 6));
	}
	memcpy(mc->country, country, 3);
	memcpy(mc->service, service, 3);
	{
		GByteArray *sec = g_byte_array_sized_new((guint)len);
		g_byte_array_append(sec, (const guint8 *)d, 9);
		g_byte_array_append(sec, (const guint8 *)p, (guint)(end - p));
		mc->secondary = g_byte_array_free_to_bytes(sec);
	}
	return st_maxicode_fit(mc, error);
}

/* the renderer of each format: ZPL for thermal printers, cairo for PDF and PNG */
GBytes *
st_label_render(StLabel *label, StLabelFormat format, GError **error)
{
	if (format == ST_LABEL_FORMAT_ZPL)
		return st_label_render_zpl(label, error);
	return st_label_render_cairo(label, format, error);
}
