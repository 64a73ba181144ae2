/*
 * The label model: construction, names, and the checks a barcode's data must pass before
 * anything is drawn, so a bad label is refused with a reason instead of printed unreadable.
 */
#include <math.h>
#include <string.h>

#include "station/st-error.h"
#include "station/st-label.h"

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
	return label;
}

void
st_label_free(StLabel *label)
{
	if (label == NULL)
		return;
	g_free(label->template_name);
	g_ptr_array_unref(label->items);
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
		g_set_error(error, ST_ERROR, ST_ERROR_INVALID_DATA,
			    "%s takes %zu digits, or %zu with the check digit; got \"%.*s\"", what,
			    n, n + 1, (gint)MIN(len, 40), d);
		return FALSE;
	}
	if (len == n + 1 && d[n] - '0' != gs1_check_digit(d, n)) {
		g_set_error(error, ST_ERROR, ST_ERROR_INVALID_DATA,
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
		g_set_error(error, ST_ERROR, ST_ERROR_INVALID_DATA, "no data for the %s barcode",
			    st_symbology_to_string(symbology));
		return FALSE;
	}
	switch (symbology) {
	case ST_SYMBOL_CODE128:
	case ST_SYMBOL_GS1_128:
		for (gsize i = 0; i < len; i++) {
			if ((guchar)d[i] > 127) {
				g_set_error(error, ST_ERROR, ST_ERROR_INVALID_DATA,
					    "Code 128 carries ASCII only: byte 0x%02X at position "
					    "%zu",
					    (guchar)d[i], i);
				return FALSE;
			}
		}
		/* GS1 General Specifications: at most 48 data characters in GS1-128 */
		if ((symbology == ST_SYMBOL_GS1_128 && len > 48) || len > 80) {
			g_set_error(error, ST_ERROR, ST_ERROR_INVALID_DATA,
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
					error, ST_ERROR, ST_ERROR_INVALID_DATA,
					"Code 39 carries 0-9, A-Z, space and - . $ / + %% only: "
					"'%c' at position %zu",
					g_ascii_isprint(d[i]) ? d[i] : '?', i);
				return FALSE;
			}
		}
		if (len > 80) {
			g_set_error(error, ST_ERROR, ST_ERROR_INVALID_DATA,
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
			g_set_error(error, ST_ERROR, ST_ERROR_INVALID_DATA,
				    "Interleaved 2 of 5 takes an even number of digits (up to 80); "
				    "got %zu characters",
				    len);
			return FALSE;
		}
		if (len == 14 && d[13] - '0' != gs1_check_digit(d, 13)) {
			g_set_error(error, ST_ERROR, ST_ERROR_INVALID_DATA,
				    "ITF-14 \"%.14s\": the check digit should be %d, not %c", d,
				    gs1_check_digit(d, 13), d[13]);
			return FALSE;
		}
		return TRUE;
	case ST_SYMBOL_DATAMATRIX:
	case ST_SYMBOL_GS1_DATAMATRIX:
	case ST_SYMBOL_QR:
	case ST_SYMBOL_PDF417:
	case ST_SYMBOL_MAXICODE:
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
		g_set_error(error, ST_ERROR, ST_ERROR_INVALID_DATA,
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
			g_set_error(error, ST_ERROR, ST_ERROR_INVALID_DATA,
				    "GS1 data: \"%.12s\" is not an AI in brackets (2 to 4 digits)",
				    p);
			return NULL;
		}
		value = close + 1;
		end = strchr(value, '(');
		if (end == NULL)
			end = value + strlen(value);
		if (end == value) {
			g_set_error(error, ST_ERROR, ST_ERROR_INVALID_DATA,
				    "GS1 data: AI (%.*s) has no value", (gint)ai_len, p + 1);
			return NULL;
		}
		for (const gchar *c = value; c < end; c++) {
			/* GS1's character set 82 (General Specifications, figure 7.11-1) */
			if ((guchar)*c < 33 || (guchar)*c > 122 ||
			    strchr("#$@[\\]^`)", *c) != NULL) {
				g_set_error(error, ST_ERROR, ST_ERROR_INVALID_DATA,
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
		g_set_error(error, ST_ERROR, ST_ERROR_INVALID_DATA,
			    "GS1 data: unexpected \"%.12s\"", p);
		return NULL;
	}
	return g_bytes_new(out->str, out->len);
}
