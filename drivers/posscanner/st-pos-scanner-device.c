/*
 * StPosScannerDevice: a scanner in HID POS mode. Unlike a keyboard wedge it sends the
 * symbology and the exact bytes, so binary data and GS arrive intact whatever the layout;
 * a scan split over several reports is joined, and one cut off by an unplug is reported as
 * lost. Good and bad answers beep the scanner where its descriptor has the beep outputs.
 */
#define G_LOG_DOMAIN "station-posscanner"

#include "station/st-error.h"

#include "../hid/st-hid-descriptor.h"
#include "../usb/st-usb-hid-device.h"
#include "st-pos-scanner-decoder.h"
#include "st-pos-scanner-device.h"

struct _StPosScannerDevice {
	StUsbHidDevice parent_instance;
	StPosScannerDecoder *decoder;
	GByteArray *raw; /* reports of the scan in progress */
	guint bad_reports;
};

G_DEFINE_TYPE(StPosScannerDevice, st_pos_scanner_device, ST_TYPE_USB_HID_DEVICE)

static void
st_pos_scanner_device_report(StUsbHidDevice *device, const guint8 *buf, gsize len)
{
	StPosScannerDevice *self = ST_POS_SCANNER_DEVICE(device);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = NULL;
	g_autofree gchar *aim = NULL;

	if (self->raw->len + len <= 65536)
		g_byte_array_append(self->raw, buf, (guint)len);
	if (!st_pos_scanner_decoder_feed(self->decoder, buf, len, &data, &aim, &error)) {
		if (self->bad_reports++ % 100 == 0)
			g_message("%s: scanner report refused (%u so far): %s",
				  st_device_get_id(ST_DEVICE(self)), self->bad_reports,
				  error->message);
		g_byte_array_set_size(self->raw, 0);
		return;
	}
	if (data != NULL) {
		g_autoptr(GBytes) raw = g_bytes_new(self->raw->data, self->raw->len);
		g_autoptr(StScan) scan = st_scan_new(st_device_get_id(ST_DEVICE(self)), data, raw);
		g_byte_array_set_size(self->raw, 0);
		st_scan_set_symbology(scan, aim);
		st_device_emit_scan(ST_DEVICE(self), scan);
	} else if (!st_pos_scanner_decoder_has_pending(self->decoder)) {
		g_byte_array_set_size(self->raw, 0);
	}
}

static void
st_pos_scanner_device_abort(StUsbHidDevice *device, const gchar *why)
{
	StPosScannerDevice *self = ST_POS_SCANNER_DEVICE(device);
	gboolean pending = st_pos_scanner_decoder_has_pending(self->decoder);
	st_pos_scanner_decoder_reset(self->decoder);
	g_byte_array_set_size(self->raw, 0);
	if (pending) {
		g_autofree gchar *reason =
			g_strdup_printf("partial scan dropped: %s; scan the barcode again", why);
		st_device_emit_scan_lost(ST_DEVICE(self), reason);
	}
}

static gboolean
st_pos_scanner_device_feedback(StDevice *device, StFeedback feedback, GError **error)
{
	StPosScannerDevice *self = ST_POS_SCANNER_DEVICE(device);
	g_autoptr(GByteArray) report = g_byte_array_new();
	guint8 id = 0;

	if (!st_pos_scanner_decoder_make_beep(self->decoder, feedback == ST_FEEDBACK_GOOD, &id,
					      report, error))
		return FALSE;
	return st_usb_hid_set_report(st_usb_hid_device_get_hid(ST_USB_HID_DEVICE(self)),
				     ST_USB_HID_REPORT_OUTPUT, id, report->data, report->len,
				     error);
}

static void
st_pos_scanner_device_describe(StDevice *device, GString *str)
{
	st_usb_hid_device_describe_bus(ST_USB_HID_DEVICE(device), str);
	g_string_append(str, "HID POS");
}

static void
st_pos_scanner_device_finalize(GObject *object)
{
	StPosScannerDevice *self = ST_POS_SCANNER_DEVICE(object);
	st_pos_scanner_decoder_free(self->decoder);
	g_byte_array_unref(self->raw);
	G_OBJECT_CLASS(st_pos_scanner_device_parent_class)->finalize(object);
}

static void
st_pos_scanner_device_init(StPosScannerDevice *self)
{
	self->raw = g_byte_array_new();
}

static void
st_pos_scanner_device_class_init(StPosScannerDeviceClass *klass)
{
	StDeviceClass *device_class = ST_DEVICE_CLASS(klass);
	StUsbHidDeviceClass *hid_class = ST_USB_HID_DEVICE_CLASS(klass);
	G_OBJECT_CLASS(klass)->finalize = st_pos_scanner_device_finalize;
	device_class->feedback = st_pos_scanner_device_feedback;
	device_class->describe = st_pos_scanner_device_describe;
	hid_class->report = st_pos_scanner_device_report;
	hid_class->abort = st_pos_scanner_device_abort;
}

static guint
st_pos_scanner_driver_probe(const StDeviceInfo *info, gchar **reason)
{
	g_autoptr(StHidDescriptor) desc = NULL;
	gsize len = 0;
	const guint8 *buf;

	if (g_strcmp0(info->bus, "usb") != 0 || info->interface_class != 0x03 ||
	    info->report_descriptor == NULL) {
		*reason = g_strdup("not a USB HID interface with a report descriptor");
		return 0;
	}
	buf = g_bytes_get_data(info->report_descriptor, &len);
	desc = st_hid_descriptor_parse(buf, len, NULL);
	if (desc == NULL || !st_hid_descriptor_has_usage_page(desc, 0x8C)) {
		*reason = g_strdup("no barcode scanner usage page (0x8C) in its report descriptor");
		return 0;
	}
	*reason = g_strdup("HID POS barcode scanner (usage page 0x8C)");
	return 90;
}

static StDevice *
st_pos_scanner_driver_create(const StDeviceInfo *info, GError **error)
{
	g_autoptr(StPosScannerDevice) self = NULL;

	if (!st_device_info_check_options(info, st_pos_scanner_driver.name, NULL, NULL, error))
		return NULL;
	self = ST_POS_SCANNER_DEVICE(st_usb_hid_device_new(ST_TYPE_POS_SCANNER_DEVICE,
							   &st_pos_scanner_driver, info, error));
	if (self == NULL)
		return NULL;
	self->decoder = st_pos_scanner_decoder_new(info->report_descriptor, error);
	if (self->decoder == NULL)
		return NULL;
	return ST_DEVICE(g_steal_pointer(&self));
}

const StDriver st_pos_scanner_driver = {
	.name = "pos-scanner",
	.description =
		"HID POS barcode scanners on USB (usage page 0x8C): symbology and exact bytes",
	.role = ST_DEVICE_ROLE_SCANNER,
	.probe = st_pos_scanner_driver_probe,
	.create = st_pos_scanner_driver_create,
};
