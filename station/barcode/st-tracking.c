/*
 * Carriers' tracking numbers, each with its check digit, as the carriers' label specifications
 * publish them. Which carrier, and the service where the number names it.
 *
 * - UPS "1Z": 6 characters of shipper account, 2 of service, 7 of package, a check digit.
 *   Letters count as (code - 3) mod 10; odd positions once, even positions twice; the check
 *   is the complement to 10.
 * - USPS IMpb (Publication 199): 22 or 26 digits starting 91-95 (the channel application
 *   identifier), mod 10 with weights 3 and 1 from the right, optionally behind the routing
 *   application identifier 420 and the ZIP code (5 or 9 digits). The 20-digit form leaves out
 *   the leading 91, its check digit still computed with it. Another 20-digit form (2 digits of
 *   service, 9 of mailer id, 8 of serial, check) is checked as it is.
 * - FedEx Express: 12 digits, weights 3 1 7 from the left, sum mod 11 (10 counts as 0). The
 *   34-digit Express barcode (100...) and the Ground GSN barcode (96...) end with such a
 *   number. FedEx Ground: 15 digits, mod 10 with weights 3 and 1; its "96" barcode is 22
 *   digits: 96, 2 digits of SCNC, 3 of service, the 15-digit Ground number. FedEx Ground
 *   Economy (SmartPost): 20 digits, an IMpb without its 92.
 * - DHL Express waybill: 10 or 11 digits, the last being the number of the others mod 7. DHL
 *   Express piece ids (ISO 15459 licence plates): JJD or JD and digits, with no check digit.
 * - UPU S10 (international post): 2 letters of service, 8 digits, a check digit and the ISO
 *   3166 country of the postal operator; weights 8 6 4 2 3 5 9 7, 11 minus the sum mod 11,
 *   with 10 -> 0 and 11 -> 5.
 *
 * Lengths that other codes share (10, 11, 15 and 20 digits) are taken as tracking numbers only
 * when the check digit holds; a failed check there leaves the scan unknown, not invalid.
 */
#include <string.h>

#include "st-check-digit.h"
#include "st-couriers.h"
#include "st-tracking.h"
#include "st-gs1-lint.h"

static const gchar *
st_tracking_ups_service(const gchar *code)
{
	static const struct {
		const gchar code[3];
		const gchar *name;
	} services[] = {
		{"01", "Next Day Air"},
		{"02", "2nd Day Air"},
		{"03", "Ground"},
		{"12", "3 Day Select"},
		{"13", "Next Day Air Saver"},
		{"15", "Next Day Air Early"},
		{"22", "Ground, Returns Plus, three pickup attempts"},
		{"32", "Next Day Air Early, COD"},
		{"33", "Next Day Air Early, Saturday delivery, COD"},
		{"41", "Next Day Air Early, Saturday delivery"},
		{"42", "Ground, signature required"},
		{"44", "Next Day Air, Saturday delivery"},
		{"66", "Worldwide Express"},
		{"72", "Ground, COD"},
		{"78", "Ground, Returns Plus, one pickup attempt"},
		{"90", "Ground, return label printed and mailed by UPS"},
		{"A0", "Next Day Air Early, adult signature required"},
		{"A1", "Next Day Air Early, Saturday delivery, adult signature required"},
		{"A2", "Next Day Air, adult signature required"},
		{"A8", "Ground, adult signature required"},
		{"A9", "Next Day Air Early, adult signature required, COD"},
		{"AA", "Next Day Air Early, Saturday delivery, adult signature required, COD"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(services); i++) {
		if (strncmp(services[i].code, code, 2) == 0)
			return services[i].name;
	}
	return NULL;
}

/* UPS 1Z: @s is 18 characters starting 1Z */
static void
st_tracking_ups(StBarcode *self, const gchar *s)
{
	guint check;
	const gchar *service;

	self->kind = ST_BARCODE_KIND_TRACKING;
	self->carrier = g_strdup("UPS");
	self->format = g_strdup("UPS 1Z");
	for (guint i = 2; i < 18; i++) {
		if (!g_ascii_isdigit(s[i]) && !g_ascii_isupper(s[i])) {
			self->reason =
				g_strdup("a UPS 1Z number has only digits and capital letters");
			self->position = (gint)i;
			return;
		}
	}
	if (!g_ascii_isdigit(s[17])) {
		self->reason = g_strdup("the last character of a UPS 1Z number is a digit");
		self->position = 17;
		return;
	}
	check = st_check_digit_mod10_weighted(s + 2, 15, 1, 2, 10, FALSE);
	if ((guint)(s[17] - '0') != check) {
		st_check_digit_mismatch(self, "UPS", check, s[17], 17);
		return;
	}
	self->valid = TRUE;
	self->key = g_strndup(s, 18);
	service = st_tracking_ups_service(s + 8);
	if (service != NULL)
		self->service = g_strdup(service);
	self->note = g_strdup_printf("shipper account %.6s, service code %.2s", s + 2, s + 8);
}

/* USPS IMpb: @len (22 or 26) digits starting 91-95, at @offset in the scan */
static void
st_tracking_impb(StBarcode *self, const gchar *digits, gsize len, gint offset, const gchar *zip)
{
	guint check = st_check_digit_gs1(digits, len - 1);
	self->kind = ST_BARCODE_KIND_TRACKING;
	self->carrier = g_strdup("USPS");
	self->format = g_strdup("USPS IMpb");
	if (zip != NULL)
		self->note = g_strdup_printf("routed to ZIP %s", zip);
	if ((guint)(digits[len - 1] - '0') != check) {
		st_check_digit_mismatch(self, "USPS", check, digits[len - 1],
					offset + (gint)len - 1);
		return;
	}
	self->valid = TRUE;
	self->key = g_strndup(digits, len);
}

static gboolean
st_tracking_is_impb(const gchar *digits, gsize len)
{
	return (len == 22 || len == 26) && digits[0] == '9' && digits[1] >= '1' && digits[1] <= '5';
}

/* 420 + ZIP (5 or 9 digits) + IMpb (22 or 26 digits): 34 digits can be split two ways, and
 * the split whose check digit holds wins */
static gboolean
st_tracking_impb_routed(StBarcode *self, const gchar *digits, gsize len)
{
	static const guint zips[] = {9, 5};
	gsize best_zip = 0;

	for (guint i = 0; i < G_N_ELEMENTS(zips); i++) {
		gsize zip = zips[i];
		const gchar *rest = digits + 3 + zip;
		gsize n = len - 3 - zip;
		if (len <= 3 + zip || !st_tracking_is_impb(rest, n))
			continue;
		if (best_zip == 0)
			best_zip = zip;
		if (st_check_digit_gs1(rest, n - 1) == (guint)(rest[n - 1] - '0')) {
			best_zip = zip;
			break;
		}
	}
	if (best_zip == 0)
		return FALSE;
	{
		g_autofree gchar *zip = g_strndup(digits + 3, best_zip);
		st_tracking_impb(self, digits + 3 + best_zip, len - 3 - best_zip,
				 (gint)(3 + best_zip), zip);
	}
	return TRUE;
}

static guint
st_tracking_fedex12_check(const gchar *digits)
{
	static const guint weights[] = {3, 1, 7};
	return (st_check_digit_weighted_sum(digits, 11, weights, G_N_ELEMENTS(weights)) % 11) % 10;
}

gboolean
st_tracking_fedex12_ok(const gchar *digits)
{
	return st_tracking_fedex12_check(digits) == (guint)(digits[11] - '0');
}

/* a valid 12-digit FedEx Express number */
void
st_tracking_fedex12(StBarcode *self, const gchar *digits)
{
	self->kind = ST_BARCODE_KIND_TRACKING;
	self->valid = TRUE;
	self->carrier = g_strdup("FedEx");
	self->format = g_strdup("FedEx Express");
	self->key = g_strndup(digits, 12);
}

/* the 34-digit FedEx barcodes: Express (100...) and Ground GSN (96...) */
static void
st_tracking_fedex34(StBarcode *self, const gchar *digits)
{
	const gchar *number = digits + 22;
	guint check = st_tracking_fedex12_check(number);
	gboolean express = digits[0] == '1';

	self->kind = ST_BARCODE_KIND_TRACKING;
	self->carrier = g_strdup("FedEx");
	self->format = g_strdup(express ? "FedEx Express 34-digit barcode"
					: "FedEx Ground 34-digit barcode (GSN)");
	if ((guint)(number[11] - '0') != check) {
		st_check_digit_mismatch(self, "FedEx", check, number[11], 33);
		return;
	}
	self->valid = TRUE;
	self->key = g_strndup(number, 12);
	if (express)
		self->note = g_strdup_printf("tracking number %s, destination ZIP %.5s", self->key,
					     digits + 15);
	else
		self->note = g_strdup_printf("tracking number %s", self->key);
}

/* FedEx Ground "96" barcode: 96, SCNC (2), service (3), the 15-digit Ground number */
static void
st_tracking_fedex96(StBarcode *self, const gchar *digits)
{
	const gchar *number = digits + 7;
	guint check = st_check_digit_gs1(number, 14);

	self->kind = ST_BARCODE_KIND_TRACKING;
	self->carrier = g_strdup("FedEx");
	self->format = g_strdup("FedEx Ground 96 barcode");
	if ((guint)(number[14] - '0') != check) {
		st_check_digit_mismatch(self, "FedEx Ground", check, number[14], 21);
		return;
	}
	self->valid = TRUE;
	self->key = g_strndup(number, 15);
	self->note =
		g_strdup_printf("tracking number %s, service code %.3s", self->key, digits + 4);
}

static gboolean
st_tracking_fedex15(StBarcode *self, const gchar *digits)
{
	if (st_check_digit_gs1(digits, 14) != (guint)(digits[14] - '0')) {
		if (st_check_digit_luhn_ok(digits, 15))
			self->note = g_strdup("15 digits with a Luhn check digit, like an IMEI (a "
					      "phone's serial number)");
		return FALSE;
	}
	self->kind = ST_BARCODE_KIND_TRACKING;
	self->valid = TRUE;
	self->carrier = g_strdup("FedEx");
	self->format = g_strdup("FedEx Ground");
	self->key = g_strndup(digits, 15);
	return TRUE;
}

/* 20 digits: USPS with its own check, USPS IMpb without 91, FedEx SmartPost without 92 */
static gboolean
st_tracking_twenty(StBarcode *self, const gchar *digits)
{
	static const struct {
		const gchar code[3];
		const gchar *name;
	} usps_services[] = {
		{"71", "Certified Mail"},
		{"73", "Insured Mail"},
		{"77", "Registered Mail"},
		{"81", "Return Receipt for Merchandise"},
	};
	gchar with_prefix[23];
	guint have = (guint)(digits[19] - '0');

	memcpy(with_prefix + 2, digits, 20);
	with_prefix[22] = '\0';
	if (st_check_digit_gs1(digits, 19) == have) {
		self->carrier = g_strdup("USPS");
		self->format = g_strdup("USPS 20-digit");
		for (guint i = 0; i < G_N_ELEMENTS(usps_services); i++) {
			if (strncmp(usps_services[i].code, digits, 2) == 0)
				self->service = g_strdup(usps_services[i].name);
		}
	} else if (memcpy(with_prefix, "91", 2), st_check_digit_gs1(with_prefix, 21) == have) {
		self->carrier = g_strdup("USPS");
		self->format = g_strdup("USPS IMpb without its 91");
	} else if (memcpy(with_prefix, "92", 2), st_check_digit_gs1(with_prefix, 21) == have) {
		self->carrier = g_strdup("FedEx");
		self->format = g_strdup("FedEx SmartPost");
		self->service = g_strdup("Ground Economy (delivered by USPS)");
	} else {
		return FALSE;
	}
	self->kind = ST_BARCODE_KIND_TRACKING;
	self->valid = TRUE;
	self->key = g_strndup(digits, 20);
	return TRUE;
}

/* DHL Express waybill: the last digit is the others, as a number, mod 7 */
static gboolean
st_tracking_dhl(StBarcode *self, const gchar *digits, gsize len)
{
	if (st_check_digit_mod7(digits, len - 1) != (guint)(digits[len - 1] - '0'))
		return FALSE;
	self->kind = ST_BARCODE_KIND_TRACKING;
	self->valid = TRUE;
	self->carrier = g_strdup("DHL");
	self->format = g_strdup("DHL Express waybill");
	self->service = g_strdup("Express");
	self->key = g_strndup(digits, len);
	self->note = g_strdup_printf("%zu digits with DHL's check digit; other numbers of this "
				     "length pass it one time in seven",
				     len);
	return TRUE;
}

/**
 * st_tracking_parse_digits:
 * @digits: @len ASCII digits
 *
 * Returns: TRUE if @self now holds a tracking number (valid or not)
 */
gboolean
st_tracking_parse_digits(StBarcode *self,
			 const gchar *digits,
			 gsize len,
			 const gchar *const *listed)
{
	if (st_tracking_is_impb(digits, len)) {
		st_tracking_impb(self, digits, len, 0, NULL);
		return TRUE;
	}
	if (len > 3 + 5 + 22 - 1 && strncmp(digits, "420", 3) == 0 &&
	    st_tracking_impb_routed(self, digits, len))
		return TRUE;
	if (len == 22 && strncmp(digits, "96", 2) == 0) {
		st_tracking_fedex96(self, digits);
		return TRUE;
	}
	if (len == 34 && (strncmp(digits, "100", 3) == 0 || strncmp(digits, "96", 2) == 0)) {
		st_tracking_fedex34(self, digits);
		return TRUE;
	}
	switch (len) {
	case 10:
	case 11:
		return st_tracking_dhl(self, digits, len);
	case 15:
		return st_tracking_fedex15(self, digits);
	case 20:
		return st_tracking_twenty(self, digits);
	default:
		return FALSE;
	}
}

static const gchar *
st_tracking_s10_service(gchar first, gchar second)
{
	switch (first) {
	case 'E':
		return "EMS (express mail service)";
	case 'L':
		return "letter post, express";
	case 'M':
		return "M bag (printed matter to one addressee)";
	case 'Q':
		return second <= 'M' ? "international business reply" : "domestic or bilateral use";
	case 'R':
		return "registered letter";
	case 'U':
		return "letter post";
	case 'V':
		return "insured letter";
	case 'C':
		return "parcel";
	case 'H':
		return "e-commerce parcel";
	default:
		return "domestic or bilateral use";
	}
}

/* UPU S10: AA 12345678 9 CC */
static gboolean
st_tracking_s10(StBarcode *self, const gchar *s, gsize len)
{
	guint check;
	gchar country[3] = {0};

	if (len != 13 || !g_ascii_isupper(s[0]) || !g_ascii_isupper(s[1]) ||
	    !g_ascii_isupper(s[11]) || !g_ascii_isupper(s[12]))
		return FALSE;
	for (guint i = 2; i < 11; i++) {
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
	}
	check = st_check_digit_s10(s + 2);
	memcpy(country, s + 11, 2);
	self->kind = ST_BARCODE_KIND_TRACKING;
	self->format = g_strdup("UPU S10");
	self->carrier = g_strdup_printf("postal operator of %s", country);
	self->service = g_strdup(st_tracking_s10_service(s[0], s[1]));
	if (!st_gs1_is_iso3166_alpha2(country)) {
		self->reason =
			g_strdup_printf("%s is not a country code (ISO 3166): the last two "
					"letters of an S10 number name the postal operator's "
					"country",
					country);
		self->position = 11;
		return TRUE;
	}
	if ((guint)(s[10] - '0') != check) {
		st_check_digit_mismatch(self, "S10", check, s[10], 10);
		return TRUE;
	}
	self->valid = TRUE;
	self->key = g_strndup(s, 13);
	return TRUE;
}

/* DHL Express piece id: an ISO 15459 licence plate, JJD (or JD without the data identifier)
 * followed by digits; it has no check digit */
static gboolean
st_tracking_dhl_piece(StBarcode *self, const gchar *s, gsize len, const gchar *const *listed)
{
	gsize start = strncmp(s, "JJD", 3) == 0 ? 3 : strncmp(s, "JD", 2) == 0 ? 2 : 0;
	if (start == 0 || len < start + 10 || len > start + 21)
		return FALSE;
	for (gsize i = start; i < len; i++) {
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
	}
	if (listed == NULL || !g_strv_contains(listed, "dhl")) {
		self->note = g_strdup("DHL Express (Piece ID) (DHL) has numbers of this form: list "
				      "dhl in [barcodes] couriers if DHL collects here");
		return FALSE;
	}
	self->kind = ST_BARCODE_KIND_TRACKING;
	self->valid = TRUE;
	self->carrier = g_strdup("DHL");
	self->format = g_strdup("DHL Express piece id");
	self->key = g_strndup(s, len);
	self->note = g_strdup("a licence plate with no check digit: a misread cannot be told");
	return TRUE;
}

/**
 * st_tracking_parse_text:
 * @text: @len characters, not all digits
 *
 * Returns: TRUE if @self now holds a tracking number (valid or not)
 */
gboolean
st_tracking_parse_text(StBarcode *self, const gchar *text, gsize len, const gchar *const *listed)
{
	if (len == 18 && text[0] == '1' && text[1] == 'Z') {
		st_tracking_ups(self, text);
		return TRUE;
	}
	return st_tracking_s10(self, text, len) || st_tracking_dhl_piece(self, text, len, listed);
}

/* the first rule of @carrier's with a tracking page, for the numbers this file reads */
static const StCourierRule *
st_tracking_rule_of(const gchar *carrier)
{
	for (guint i = 0; carrier != NULL && i < st_n_courier_rules; i++) {
		if (g_ascii_strcasecmp(st_courier_rules[i].courier, carrier) == 0 &&
		    st_courier_rules[i].url != NULL)
			return &st_courier_rules[i];
	}
	return NULL;
}

/**
 * st_tracking_set_url:
 *
 * Gives a valid tracking number read by this file's own rules its carrier's tracking page.
 */
void
st_tracking_set_url(StBarcode *self)
{
	const StCourierRule *rule;
	if (self->kind != ST_BARCODE_KIND_TRACKING || !self->valid || self->key == NULL ||
	    self->tracking_url != NULL)
		return;
	rule = st_tracking_rule_of(self->carrier);
	if (rule != NULL)
		self->tracking_url = st_courier_tracking_url(rule, self->key);
}

static void
st_tracking_append_note(StBarcode *self, const gchar *note)
{
	gchar *joined;
	if (self->note != NULL && strstr(self->note, note) != NULL)
		return;
	joined = self->note != NULL ? g_strdup_printf("%s; %s", self->note, note) : g_strdup(note);
	g_free(self->note);
	self->note = joined;
}

/* @self becomes @m's tracking number: valid, or with the check digit that failed */
static void
st_tracking_take(StBarcode *self, const StCourierMatch *m)
{
	const StCourierRule *rule = m->rule;

	g_clear_pointer(&self->format, g_free);
	g_clear_pointer(&self->key, g_free);
	g_clear_pointer(&self->reason, g_free);
	g_clear_pointer(&self->carrier, g_free);
	g_clear_pointer(&self->service, g_free);
	g_clear_pointer(&self->tracking_url, g_free);
	self->position = -1;
	self->kind = ST_BARCODE_KIND_TRACKING;
	self->format = g_strdup(rule->name);
	self->carrier = g_strdup(m->operator_name != NULL ? m->operator_name : rule->courier);
	self->service = g_strdup(m->service);
	if (st_courier_rule_has_check(rule) && !m->check_ok) {
		self->valid = FALSE;
		if (rule->check == ST_COURIER_CHECK_MOD_37_36)
			self->reason = g_strdup_printf(
				"%s check character is %c, the number has %c: a character was "
				"misread or mistyped",
				rule->name, rule->alphabet[m->expected], m->found);
		else
			self->reason = g_strdup_printf("%s check digit is %u, the number has %c: "
						       "a digit was misread or mistyped",
						       rule->name, m->expected, m->found);
		self->position = m->check_position;
		return;
	}
	if (!m->lookup_ok) {
		self->valid = FALSE;
		self->reason = g_strdup_printf("%s: %s is not a country with a postal operator "
					       "that issues such numbers (ISO 3166)",
					       rule->name, m->country != NULL ? m->country : "?");
		return;
	}
	self->valid = TRUE;
	self->key = g_strdup(m->number);
	self->tracking_url = st_courier_tracking_url(rule, m->number);
	if (!st_courier_rule_has_check(rule))
		st_tracking_append_note(self, "no check digit: a misread cannot be told");
}

static gboolean
st_tracking_listed(const gchar *const *listed, const StCourierRule *rule)
{
	return listed != NULL && g_strv_contains(listed, rule->courier_code);
}

/**
 * st_tracking_parse_couriers:
 * @listed: (nullable): the couriers whose numbers without a check digit are taken
 * @mode: ST_TRACKING_ANY: a number whose check digit fails is an invalid tracking number;
 *   ST_TRACKING_CHECKED: only a check that holds (or a listed courier) takes the scan, the
 *   rest is said in the note (digits that other codes share)
 *
 * The couriers' rules (st-couriers.c) applied to a scan no earlier rule took. Precedence: a
 * check digit that holds beats none; among several, the data's order, the others noted; a
 * courier without a check digit only when listed, otherwise noted as possible.
 *
 * Returns: TRUE if @self now holds a tracking number (valid or not)
 */
gboolean
st_tracking_parse_couriers(StBarcode *self,
			   const gchar *text,
			   gsize len,
			   const gchar *const *listed,
			   StTrackingMode mode)
{
	g_autoptr(GPtrArray) found = st_couriers_match(text, len);
	const StCourierMatch *take = NULL;
	const StCourierMatch *failed = NULL;

	/* a check that holds (and the lookup the rule needs) */
	for (guint i = 0; i < found->len; i++) {
		const StCourierMatch *m = g_ptr_array_index(found, i);
		if (st_courier_rule_has_check(m->rule) && m->check_ok && m->lookup_ok) {
			if (take == NULL) {
				take = m;
			} else {
				g_autofree gchar *also =
					g_strdup_printf("also a valid %s number", m->rule->name);
				st_tracking_append_note(self, also);
			}
		} else if (st_courier_rule_has_check(m->rule) && failed == NULL) {
			failed = m;
		}
	}
	/* else a courier without a check digit that collects here */
	for (guint i = 0; take == NULL && i < found->len; i++) {
		const StCourierMatch *m = g_ptr_array_index(found, i);
		if (!st_courier_rule_has_check(m->rule) && st_tracking_listed(listed, m->rule))
			take = m;
	}
	if (take != NULL) {
		g_autofree gchar *note = g_steal_pointer(&self->note);
		st_tracking_take(self, take);
		if (note != NULL)
			st_tracking_append_note(self, note);
		return TRUE;
	}
	/* a check that fails makes an invalid number only when nothing else fits the text:
	 * "A1234567890" fails UPS's waybill check yet may be Amazon's */
	for (guint i = 0; failed != NULL && i < found->len; i++) {
		const StCourierMatch *m = g_ptr_array_index(found, i);
		if (!st_courier_rule_has_check(m->rule))
			failed = NULL;
	}
	if (failed != NULL && mode == ST_TRACKING_ANY) {
		st_tracking_take(self, failed);
		return TRUE;
	}
	/* what it could be: said, not taken */
	for (guint i = 0; i < found->len; i++) {
		const StCourierMatch *m = g_ptr_array_index(found, i);
		g_autofree gchar *note = NULL;
		if (!st_courier_rule_has_check(m->rule))
			note = g_strcmp0(m->rule->name, m->rule->courier) == 0
				       ? g_strdup_printf("%s has numbers of this form: list %s in "
							 "[barcodes] couriers if %s collects here",
							 m->rule->name, m->rule->courier_code,
							 m->rule->courier)
				       : g_strdup_printf(
						 "%s (%s) has numbers of this form: list %s "
						 "in [barcodes] couriers if %s collects "
						 "here",
						 m->rule->name, m->rule->courier,
						 m->rule->courier_code, m->rule->courier);
		else
			note = g_strdup_printf("not a %s number: its check digit would be %u",
					       m->rule->name, m->expected);
		st_tracking_append_note(self, note);
	}
	return FALSE;
}
