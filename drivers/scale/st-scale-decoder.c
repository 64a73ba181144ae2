/*
 * StScaleDecoder. With a descriptor, the four fields of the scale data report are found by
 * usage: Scale Status (an array selecting 0x71..0x78), Weight Unit (an array selecting
 * 0x51..0x5C), Data Scaling (the signed decimal exponent) and Data Weight. Without one, the
 * layout of nearly every USB postal scale is used: report id 3, status, unit, exponent,
 * weight as a 16-bit little-endian number. Codes outside the tables are refused, never
 * guessed.
 */
#include "station/st-error.h"

#include "../hid/st-hid-descriptor.h"
#include "st-scale-decoder.h"

#define ST_SCALE_PAGE 0x8D

struct _StScaleDecoder {
	StHidDescriptor *desc; /* (nullable) */
	const StHidField *status;
	const StHidField *unit;
	const StHidField *scaling; /* (nullable): no exponent field means 10^0 */
	const StHidField *weight;
	guint weight_index;
	const StHidField *zero; /* (nullable): output usage Zero Scale */
	guint zero_index;
};

void
st_scale_decoder_free(StScaleDecoder *self)
{
	if (self == NULL)
		return;
	st_hid_descriptor_free(self->desc);
	g_free(self);
}

gboolean
st_scale_decoder_uses_descriptor(StScaleDecoder *self)
{
	return self->desc != NULL;
}

/**
 * st_scale_decoder_new:
 * @descriptor: (nullable): the device's HID report descriptor
 *
 * Returns: (transfer full): a decoder, or NULL with ST_ERROR_INVALID_DATA if @descriptor
 * is malformed or describes no scale data report
 */
StScaleDecoder *
st_scale_decoder_new(GBytes *descriptor, GError **error)
{
	g_autoptr(StScaleDecoder) self = g_new0(StScaleDecoder, 1);
	gsize len = 0;
	const guint8 *buf;

	if (descriptor == NULL)
		return g_steal_pointer(&self);
	buf = g_bytes_get_data(descriptor, &len);
	self->desc = st_hid_descriptor_parse(buf, len, error);
	if (self->desc == NULL)
		return NULL;
	self->status = st_hid_descriptor_find(self->desc, ST_HID_REPORT_INPUT,
					      ST_HID_USAGE(ST_SCALE_PAGE, 0x71), NULL);
	self->unit = st_hid_descriptor_find(self->desc, ST_HID_REPORT_INPUT,
					    ST_HID_USAGE(ST_SCALE_PAGE, 0x52), NULL);
	self->scaling = st_hid_descriptor_find(self->desc, ST_HID_REPORT_INPUT,
					       ST_HID_USAGE(ST_SCALE_PAGE, 0x41), NULL);
	self->weight =
		st_hid_descriptor_find(self->desc, ST_HID_REPORT_INPUT,
				       ST_HID_USAGE(ST_SCALE_PAGE, 0x40), &self->weight_index);
	self->zero = st_hid_descriptor_find(self->desc, ST_HID_REPORT_OUTPUT,
					    ST_HID_USAGE(ST_SCALE_PAGE, 0x80), &self->zero_index);
	if (self->status == NULL || self->unit == NULL || self->weight == NULL) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "the report descriptor has no scale data report (status, unit and "
			    "weight fields of usage page 0x8D)");
		return NULL;
	}
	return g_steal_pointer(&self);
}

/* an array field's value to the usage it selects */
static gboolean
st_scale_decoder_selected(const StHidField *field,
			  gint64 value,
			  guint16 first,
			  guint16 last,
			  guint *code,
			  const gchar *what,
			  GError **error)
{
	guint32 usage;
	if (field->flags & ST_HID_FLAG_VARIABLE) {
		/* a variable field that holds the code itself */
		usage = ST_HID_USAGE(ST_SCALE_PAGE, first - 1 + (guint32)MAX(value, 0));
	} else {
		if (value < field->logical_min || value > field->logical_max) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "%s %" G_GINT64_FORMAT " is outside %d..%d", what, value,
				    field->logical_min, field->logical_max);
			return FALSE;
		}
		usage = field->usages->len > 0
				? st_hid_field_get_usage(field, (guint)(value - field->logical_min))
				: field->usage_min + (guint32)(value - field->logical_min);
	}
	if (usage < ST_HID_USAGE(ST_SCALE_PAGE, first) ||
	    usage > ST_HID_USAGE(ST_SCALE_PAGE, last)) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "impossible %s code %" G_GINT64_FORMAT, what, value);
		return FALSE;
	}
	*code = (usage & 0xffff) - (first - 1);
	return TRUE;
}

static gboolean
st_scale_decoder_decode_fixed(const guint8 *report, gsize len, StWeight *weight, GError **error)
{
	if (len < 6) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "scale report of %" G_GSIZE_FORMAT " bytes, expected 6", len);
		return FALSE;
	}
	if (report[0] != 3) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "report id %u is not the scale data report (3)", report[0]);
		return FALSE;
	}
	if (report[1] < 1 || report[1] > 8) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "impossible status code %u", report[1]);
		return FALSE;
	}
	if (report[2] < 1 || report[2] > 12) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "impossible unit code %u", report[2]);
		return FALSE;
	}
	weight->status = report[1];
	weight->unit = report[2];
	weight->exponent = (gint8)report[3];
	weight->value = report[4] | (report[5] << 8);
	return TRUE;
}

/**
 * st_scale_decoder_decode:
 * @report: one input report as received, with its report id byte if the device uses them
 * @weight: (out caller-allocates): the reading; its time is not set
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA for a report that is too short, of another
 * report id, or with a status, unit or exponent outside the tables
 */
gboolean
st_scale_decoder_decode(StScaleDecoder *self,
			const guint8 *report,
			gsize len,
			StWeight *weight,
			GError **error)
{
	gint64 status = 0, unit = 0, exponent = 0, value = 0;
	guint code = 0;

	memset(weight, 0, sizeof(*weight));
	if (report == NULL || len == 0) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "empty scale report");
		return FALSE;
	}
	if (self->desc == NULL)
		return st_scale_decoder_decode_fixed(report, len, weight, error);

	if (self->desc->has_report_ids && report[0] != self->weight->report_id) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "report id %u is not the scale data report (%u)", report[0],
			    self->weight->report_id);
		return FALSE;
	}
	if (!st_hid_field_read(self->status, self->desc->has_report_ids, 0, report, len, &status,
			       error) ||
	    !st_hid_field_read(self->unit, self->desc->has_report_ids, 0, report, len, &unit,
			       error) ||
	    !st_hid_field_read(self->weight, self->desc->has_report_ids, self->weight_index, report,
			       len, &value, error) ||
	    (self->scaling != NULL && !st_hid_field_read(self->scaling, self->desc->has_report_ids,
							 0, report, len, &exponent, error)))
		return FALSE;
	if (!st_scale_decoder_selected(self->status, status, 0x71, 0x78, &code, "status", error))
		return FALSE;
	weight->status = code;
	if (!st_scale_decoder_selected(self->unit, unit, 0x51, 0x5C, &code, "unit", error))
		return FALSE;
	weight->unit = code;
	if (self->scaling == NULL)
		exponent = self->weight->unit_exponent;
	if (exponent < -8 || exponent > 7) {
		/* a 4-bit field would sign-extend; an 8-bit one can say anything */
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "impossible exponent %" G_GINT64_FORMAT, exponent);
		return FALSE;
	}
	weight->exponent = (gint8)exponent;
	weight->value = value;
	return TRUE;
}

/**
 * st_scale_decoder_make_zero_report:
 * @report_id: (out): the output report's id
 * @report: (out caller-allocates): its bytes, without the id
 *
 * Returns: FALSE with ST_ERROR_NOT_SUPPORTED if the scale has no Zero Scale output
 */
gboolean
st_scale_decoder_make_zero_report(StScaleDecoder *self,
				  guint8 *report_id,
				  GByteArray *report,
				  GError **error)
{
	guint bytes;
	guint bit;

	if (self->zero == NULL) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_NOT_SUPPORTED,
				    "this scale has no zero output report; zero it with its own "
				    "button");
		return FALSE;
	}
	bytes = st_hid_descriptor_report_bytes(self->desc, ST_HID_REPORT_OUTPUT,
					       self->zero->report_id);
	g_byte_array_set_size(report, bytes);
	memset(report->data, 0, bytes);
	bit = self->zero->bit_offset + self->zero_index * self->zero->bit_size;
	if (bit / 8 >= bytes) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "zero output field lies outside its report");
		return FALSE;
	}
	report->data[bit / 8] |= (guint8)(1u << (bit % 8));
	*report_id = self->zero->report_id;
	return TRUE;
}
