/*
 * StPosScannerDevice: a scanner in HID POS mode. Unlike a keyboard wedge it sends the
 * symbology and the exact bytes, so binary data and GS arrive intact whatever the layout;
 * a scan split over several reports is joined, and one cut off by an unplug is reported as
 * lost. Good and bad answers beep the scanner where its descriptor has the beep outputs.
 */
#define G_LOG_DOMAIN "station-posscanner"

#include "station/st-error.h"

#include "../hid/st-hid-descriptor.h"
#include "../usb/st-usb-hid.h"
#include "st-pos-scanner-decoder.h"
#include "st-pos-scanner-device.h"

struct _StPosScannerDevice {
	StDevice parent_instance;
	StUsbHid *hid;
	StPosScannerDecoder *decoder;
	GByteArray *raw; /* reports of the scan in progress */
	guint bad_reports;
};

G_DEFINE_TYPE(StPosScannerDevice, st_pos_scanner_device, ST_TYPE_DEVICE)

static void
st_pos_scanner_device_report_cb(const guint8 *buf, gsize len, gpointer user_data)
{
	StPosScannerDevice *self = ST_POS_SCANNER_DEVICE(user_data);
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
st_pos_scanner_device_abort(StPosScannerDevice *self, const gchar *why)
{
	gboolean pending = st_pos_scanner_decoder_has_pending(self->decoder);
	st_pos_scanner_decoder_reset(self->decoder);
	g_byte_array_set_size(self->raw, 0);
	if (pending) {
		g_autofree gchar *reason =
			g_strdup_printf("partial scan dropped: %s; scan the barcode again", why);
		st_device_emit_scan_lost(ST_DEVICE(self), reason);
	}
}

static void
st_pos_scanner_device_stopped_cb(const GError *error, gpointer user_data)
{
	StPosScannerDevice *self = ST_POS_SCANNER_DEVICE(user_data);
	/* an unplug is said by the daemon; anything else the operator must hear about */
	if (!g_error_matches(error, ST_DEVICE_ERROR, ST_ERROR_NO_DEVICE))
		g_message("%s", error->message);
	st_pos_scanner_device_abort(self,
				    g_error_matches(error, ST_DEVICE_ERROR, ST_ERROR_NO_DEVICE)
					    ? "device unplugged"
					    : error->message);
	st_device_emit_removed(ST_DEVICE(self));
}

static gboolean
st_pos_scanner_device_open(StDevice *device, GError **error)
{
	StPosScannerDevice *self = ST_POS_SCANNER_DEVICE(device);
	st_usb_hid_set_callbacks(self->hid, st_pos_scanner_device_report_cb,
				 st_pos_scanner_device_stopped_cb, self);
	return st_usb_hid_open(self->hid, error);
}

static gboolean
st_pos_scanner_device_close(StDevice *device, GError **error)
{
	StPosScannerDevice *self = ST_POS_SCANNER_DEVICE(device);
	st_pos_scanner_device_abort(self, st_device_is_removed(device) ? "device unplugged"
								       : "device closed");
	st_usb_hid_set_callbacks(self->hid, NULL, NULL, NULL);
	return st_usb_hid_close(self->hid, error);
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
	return st_usb_hid_set_report(self->hid, ST_USB_HID_REPORT_OUTPUT, id, report->data,
				     report->len, error);
}

static void
st_pos_scanner_device_describe(StDevice *device, GString *str)
{
	const StDeviceInfo *info = st_device_get_info(device);
	g_string_append_printf(str, "usb %s %04x:%04x, HID POS", info->port_path, info->vid,
			       info->pid);
}

static void
st_pos_scanner_device_finalize(GObject *object)
{
	StPosScannerDevice *self = ST_POS_SCANNER_DEVICE(object);
	if (self->hid != NULL)
		st_usb_hid_set_callbacks(self->hid, NULL, NULL, NULL);
	g_clear_object(&self->hid);
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
	G_OBJECT_CLASS(klass)->finalize = st_pos_scanner_device_finalize;
	device_class->open = st_pos_scanner_device_open;
	device_class->close = st_pos_scanner_device_close;
	device_class->feedback = st_pos_scanner_device_feedback;
	device_class->describe = st_pos_scanner_device_describe;
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

	if (!G_USB_IS_DEVICE(info->handle)) {
		g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_NOT_SUPPORTED,
				    "the pos-scanner driver needs a USB device");
		return NULL;
	}
	if (!st_device_info_check_options(info, st_pos_scanner_driver.name, NULL, NULL, error))
		return NULL;
	self = g_object_new(ST_TYPE_POS_SCANNER_DEVICE, "info", info, "driver-name",
			    st_pos_scanner_driver.name, NULL);
	self->decoder = st_pos_scanner_decoder_new(info->report_descriptor, error);
	if (self->decoder == NULL)
		return NULL;
	self->hid = st_usb_hid_new(G_USB_DEVICE(info->handle), info->interface_number, info->id);
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
