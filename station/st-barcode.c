/*
 * Product codes, from the GS1 General Specifications: a GTIN is 8, 12, 13 or 14 digits whose
 * last is a check digit (weights 3 and 1 alternating from the right, sum to a multiple of 10);
 * every GTIN is normalised to 14 digits by leading zeros for lookup. UPC-E is a zero-
 * suppressed UPC-A: 8 digits (number system 0 or 1, six digits, check digit) that expand by
 * the rule of the sixth digit, the check digit being the expanded UPC-A's. An 8-digit scan
 * is UPC-E when the scanner says so (AIM ]E0 with 8 digits; EAN-8 is ]E4), else EAN-8 when
 * its check digit holds, else UPC-E when that holds.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "st-barcode.h"

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
	g_free(self);
}

/* Returns: the check digit for @len digits (the code without its check digit) */
guint
st_barcode_gtin_check_digit(const gchar *digits, gsize len)
{
	guint sum = 0;
	for (gsize i = 0; i < len; i++) {
		guint d = (guint)(digits[len - 1 - i] - '0');
		sum += (i % 2 == 0) ? d * 3 : d;
	}
	return (10 - sum % 10) % 10;
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
	upca[11] = (gchar)('0' + st_barcode_gtin_check_digit(body, 11));
	upca[12] = '\0';
	return TRUE;
}

static gchar *
st_barcode_display(const guint8 *data, gsize len)
{
	GString *str = g_string_new(NULL);
	for (gsize i = 0; i < len; i++) {
		if (data[i] == 0x1d)
			g_string_append(str, "<GS>");
		else if (data[i] < 0x20 || data[i] == 0x7f)
			g_string_append_printf(str, "\\x%02X", data[i]);
		else
			g_string_append_c(str, (gchar)data[i]);
	}
	return g_string_free(str, FALSE);
}

static void
st_barcode_gtin(StBarcode *self, const gchar *digits, gsize len, const gchar *format)
{
	guint check = st_barcode_gtin_check_digit(digits, len - 1);
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
StBarcode *
st_barcode_parse(const guint8 *data, gsize len, const gchar *symbology)
{
	StBarcode *self = g_new0(StBarcode, 1);
	gboolean all_digits = len > 0;
	g_autofree gchar *digits = NULL;

	self->position = -1;
	self->text = st_barcode_display(data, len);
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
	if (!all_digits) {
		self->valid = TRUE; /* text this part does not interpret; nothing wrong with it */
		return self;
	}
	digits = g_strndup((const gchar *)data, len);
	switch (len) {
	case 8: {
		gchar upca[13];
		gboolean says_upce = g_strcmp0(symbology, "]E0") == 0;
		gboolean ean8_ok =
			st_barcode_gtin_check_digit(digits, 7) == (guint)(digits[7] - '0');
		gboolean upce_ok = st_barcode_upce_expand(digits, upca) && upca[11] == digits[7];
		if (says_upce || (!ean8_ok && upce_ok)) {
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
		return self;
	}
	case 12:
		st_barcode_gtin(self, digits, 12, "UPC-A");
		return self;
	case 13:
		st_barcode_gtin(self, digits, 13, "EAN-13");
		return self;
	case 14:
		st_barcode_gtin(self, digits, 14, "GTIN-14");
		return self;
	default:
		self->valid = TRUE; /* digits of another length: not a product code */
		return self;
	}
}

/* Returns: (transfer full): the result as one JSON object */
gchar *
st_barcode_to_json(const StBarcode *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "text");
	json_builder_add_string_value(b, self->text);
	json_builder_set_member_name(b, "kind");
	json_builder_add_string_value(b, self->kind == ST_BARCODE_KIND_GTIN ? "gtin" : "unknown");
	json_builder_set_member_name(b, "valid");
	json_builder_add_boolean_value(b, self->valid);
	if (self->format != NULL) {
		json_builder_set_member_name(b, "format");
		json_builder_add_string_value(b, self->format);
	}
	if (self->key != NULL) {
		json_builder_set_member_name(b, "gtin14");
		json_builder_add_string_value(b, self->key);
	}
	if (self->note != NULL) {
		json_builder_set_member_name(b, "note");
		json_builder_add_string_value(b, self->note);
	}
	if (self->reason != NULL) {
		json_builder_set_member_name(b, "reason");
		json_builder_add_string_value(b, self->reason);
		json_builder_set_member_name(b, "position");
		json_builder_add_int_value(b, self->position);
	}
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	return json_to_string(root, FALSE);
}
