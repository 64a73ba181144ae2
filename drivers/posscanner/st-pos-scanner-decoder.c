/*
 * StPosScannerDecoder. Fields are found by usage in the report descriptor: Symbology
 * Identifier 1, 2, 3 (0xFB-0xFD, the three AIM characters such as ']', 'C', '1'), Decoded
 * Data (0xFE, the bytes) and Decode Data Continued (0xFF, more follows in the next report).
 * Scanners (Honeywell's and Zebra's HID POS modes among them) put the data length in an
 * 8-bit field that opens the report without a scanner usage; when there is one it says how
 * many data bytes count, so binary data with zeros survives; without one, trailing zeros are
 * padding. Output usages Sound Good Read Beep (0x86) and Sound Error Beep (0x85) drive the
 * beeper where the scanner has them.
 */
#include <string.h>

#include "station/st-error.h"

#include "../hid/st-hid-descriptor.h"
#include "st-pos-scanner-decoder.h"

#define ST_POS_PAGE	0x8C
#define ST_POS_MAX_SCAN 8192

struct _StPosScannerDecoder {
	StHidDescriptor *desc;
	const StHidField *aim[3];
	guint aim_index[3];
	const StHidField *data;
	const StHidField *more; /* (nullable) */
	guint more_index;
	const StHidField *length; /* (nullable) */
	const StHidField *beep_good;
	guint beep_good_index;
	const StHidField *beep_bad;
	guint beep_bad_index;
	GByteArray *pending;
	gchar *pending_aim;
};

void
st_pos_scanner_decoder_free(StPosScannerDecoder *self)
{
	if (self == NULL)
		return;
	st_hid_descriptor_free(self->desc);
	if (self->pending != NULL)
		g_byte_array_unref(self->pending);
	g_free(self->pending_aim);
	g_free(self);
}

/**
 * st_pos_scanner_decoder_new:
 * @descriptor: the scanner's HID report descriptor
 *
 * Returns: (transfer full): a decoder, or NULL with ST_ERROR_INVALID_DATA if the descriptor
 * is malformed or has no scanned data report
 */
StPosScannerDecoder *
st_pos_scanner_decoder_new(GBytes *descriptor, GError **error)
{
	g_autoptr(StPosScannerDecoder) self = g_new0(StPosScannerDecoder, 1);
	gsize len = 0;
	const guint8 *buf;

	self->pending = g_byte_array_new();
	if (descriptor == NULL) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "a HID POS scanner needs its report descriptor");
		return NULL;
	}
	buf = g_bytes_get_data(descriptor, &len);
	self->desc = st_hid_descriptor_parse(buf, len, error);
	if (self->desc == NULL)
		return NULL;
	for (guint i = 0; i < 3; i++)
		self->aim[i] = st_hid_descriptor_find(self->desc, ST_HID_REPORT_INPUT,
						      ST_HID_USAGE(ST_POS_PAGE, 0xFB + i),
						      &self->aim_index[i]);
	self->data = st_hid_descriptor_find(self->desc, ST_HID_REPORT_INPUT,
					    ST_HID_USAGE(ST_POS_PAGE, 0xFE), NULL);
	self->more = st_hid_descriptor_find(self->desc, ST_HID_REPORT_INPUT,
					    ST_HID_USAGE(ST_POS_PAGE, 0xFF), &self->more_index);
	self->beep_good =
		st_hid_descriptor_find(self->desc, ST_HID_REPORT_OUTPUT,
				       ST_HID_USAGE(ST_POS_PAGE, 0x86), &self->beep_good_index);
	self->beep_bad =
		st_hid_descriptor_find(self->desc, ST_HID_REPORT_OUTPUT,
				       ST_HID_USAGE(ST_POS_PAGE, 0x85), &self->beep_bad_index);
	if (self->data == NULL || self->data->bit_size != 8) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "the report descriptor has no Decoded Data field of bytes "
				    "(usage page 0x8C, usage 0xFE)");
		return NULL;
	}
	/* the length byte: an 8-bit input field opening the data report, not a scanner usage */
	for (guint i = 0; i < self->desc->fields->len; i++) {
		const StHidField *f = g_ptr_array_index(self->desc->fields, i);
		if (f->type == ST_HID_REPORT_INPUT && f->report_id == self->data->report_id &&
		    f->bit_offset == 0 && f->bit_size == 8 && f != self->data &&
		    ST_HID_USAGE_PAGE(st_hid_field_get_usage(f, 0)) != ST_POS_PAGE) {
			self->length = f;
			break;
		}
	}
	return g_steal_pointer(&self);
}

gboolean
st_pos_scanner_decoder_has_pending(StPosScannerDecoder *self)
{
	return self->pending->len > 0 || self->pending_aim != NULL;
}

void
st_pos_scanner_decoder_reset(StPosScannerDecoder *self)
{
	g_byte_array_set_size(self->pending, 0);
	g_clear_pointer(&self->pending_aim, g_free);
}

/**
 * st_pos_scanner_decoder_feed:
 * @data: (out) (transfer full): set to the scan's bytes when this report completed it
 * @symbology: (out) (transfer full) (optional): its AIM identifier, or NULL if none was sent
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA for a report that is too short or too long a
 * scan; a scan in progress is dropped then. A report of another id is ignored (TRUE).
 */
gboolean
st_pos_scanner_decoder_feed(StPosScannerDecoder *self,
			    const guint8 *report,
			    gsize len,
			    GBytes **data,
			    gchar **symbology,
			    GError **error)
{
	gboolean ids = self->desc->has_report_ids;
	gint64 v = 0;
	guint n = self->data->count;
	gboolean more = FALSE;

	*data = NULL;
	if (symbology != NULL)
		*symbology = NULL;
	if (len == 0 || report == NULL) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA, "empty report");
		return FALSE;
	}
	if (ids && report[0] != self->data->report_id)
		return TRUE; /* a status or settings report: not a scan */
	if (self->length != NULL) {
		if (!st_hid_field_read(self->length, ids, 0, report, len, &v, error))
			goto bad;
		if (v < 0 || (guint64)v > n) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "data length %" G_GINT64_FORMAT
				    " is more than the %u bytes the "
				    "report holds",
				    v, n);
			goto bad;
		}
		n = (guint)v;
	}
	if (self->pending_aim == NULL) {
		GString *aim = g_string_new(NULL);
		for (guint i = 0; i < 3; i++) {
			if (self->aim[i] == NULL)
				continue;
			if (!st_hid_field_read(self->aim[i], ids, self->aim_index[i], report, len,
					       &v, error)) {
				g_string_free(aim, TRUE);
				goto bad;
			}
			if (v > 0x20 && v < 0x7F)
				g_string_append_c(aim, (gchar)v);
		}
		self->pending_aim = g_string_free(aim, FALSE);
	}
	{
		guint start = self->pending->len;
		for (guint i = 0; i < n; i++) {
			guint8 b;
			if (!st_hid_field_read(self->data, ids, i, report, len, &v, error))
				goto bad;
			b = (guint8)v;
			g_byte_array_append(self->pending, &b, 1);
		}
		if (self->length == NULL) {
			/* no length: what is zero at the end is padding */
			guint end = self->pending->len;
			while (end > start && self->pending->data[end - 1] == 0)
				end--;
			g_byte_array_set_size(self->pending, end);
		}
	}
	if (self->pending->len > ST_POS_MAX_SCAN) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "scan longer than %d bytes: dropped", ST_POS_MAX_SCAN);
		goto bad;
	}
	if (self->more != NULL) {
		if (!st_hid_field_read(self->more, ids, self->more_index, report, len, &v, error))
			goto bad;
		more = v != 0;
	}
	if (more)
		return TRUE;
	*data = g_bytes_new(self->pending->data, self->pending->len);
	if (symbology != NULL && self->pending_aim[0] != '\0')
		*symbology = g_steal_pointer(&self->pending_aim);
	st_pos_scanner_decoder_reset(self);
	return TRUE;
bad:
	st_pos_scanner_decoder_reset(self);
	return FALSE;
}

/**
 * st_pos_scanner_decoder_make_beep:
 * @good: the good-read beep, or else the error beep
 *
 * Returns: FALSE with ST_ERROR_NOT_SUPPORTED if the scanner has no such output usage
 */
gboolean
st_pos_scanner_decoder_make_beep(StPosScannerDecoder *self,
				 gboolean good,
				 guint8 *report_id,
				 GByteArray *report,
				 GError **error)
{
	const StHidField *f = good ? self->beep_good : self->beep_bad;
	guint index = good ? self->beep_good_index : self->beep_bad_index;
	guint bytes, bit;

	if (f == NULL) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_NOT_SUPPORTED,
			    "the scanner has no %s beep output", good ? "good-read" : "error");
		return FALSE;
	}
	bytes = st_hid_descriptor_report_bytes(self->desc, ST_HID_REPORT_OUTPUT, f->report_id);
	bit = f->bit_offset + index * f->bit_size;
	if (bit / 8 >= bytes) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "beep output field lies outside its report");
		return FALSE;
	}
	g_byte_array_set_size(report, bytes);
	memset(report->data, 0, bytes);
	report->data[bit / 8] |= (guint8)(1u << (bit % 8));
	*report_id = f->report_id;
	return TRUE;
}
