/*
 * StScaleDevice: a USB scale. Every report is decoded; a reading that differs from the last
 * one (status, unit, exponent or value) is emitted as a weight event, so consumers never
 * poll; the base class keeps the current and the current stable weight. Models known to send
 * an old reading first after open (a quirk in the known-device table) have that report
 * skipped. A report the decoder refuses is logged with the device's name: the first of a kind
 * at once, then one in a hundred, so a broken scale cannot flood the log.
 */
#define G_LOG_DOMAIN "station-scale"

#include "station/st-error.h"

#include "../hid/st-hid-descriptor.h"
#include "../usb/st-usb-hid-device.h"
#include "../usb/st-usb-known.h"
#include "st-scale-decoder.h"
#include "st-scale-device.h"

struct _StScaleDevice {
	StUsbHidDevice parent_instance;
	StScaleDecoder *decoder;
	gboolean skip_next; /* the stale first report is still to come */
	gboolean stale_quirk;
	gboolean have_last;
	StWeight last;
	guint bad_reports;
};

G_DEFINE_TYPE(StScaleDevice, st_scale_device, ST_TYPE_USB_HID_DEVICE)

static void
st_scale_device_report(StUsbHidDevice *device, const guint8 *buf, gsize len)
{
	StScaleDevice *self = ST_SCALE_DEVICE(device);
	g_autoptr(GError) error = NULL;
	StWeight weight;

	if (self->skip_next) {
		self->skip_next = FALSE;
		g_debug("%s: first report after open skipped (stale on this model)",
			st_device_get_id(ST_DEVICE(self)));
		return;
	}
	if (!st_scale_decoder_decode(self->decoder, buf, len, &weight, &error)) {
		if (self->bad_reports++ % 100 == 0)
			g_message("%s: scale report refused (%u so far): %s",
				  st_device_get_id(ST_DEVICE(self)), self->bad_reports,
				  error->message);
		return;
	}
	weight.realtime_us = g_get_real_time();
	if (self->have_last && self->last.status == weight.status &&
	    self->last.unit == weight.unit && self->last.exponent == weight.exponent &&
	    self->last.value == weight.value)
		return;
	self->last = weight;
	self->have_last = TRUE;
	st_device_emit_weight(ST_DEVICE(self), &weight);
}

/* a new session: the stale first report (on models that send one) is to come again */
static void
st_scale_device_opening(StUsbHidDevice *device)
{
	StScaleDevice *self = ST_SCALE_DEVICE(device);
	self->skip_next = self->stale_quirk;
	self->have_last = FALSE;
}

static gboolean
st_scale_device_zero(StDevice *device, GError **error)
{
	StScaleDevice *self = ST_SCALE_DEVICE(device);
	g_autoptr(GByteArray) report = g_byte_array_new();
	guint8 id = 0;

	if (!st_scale_decoder_make_zero_report(self->decoder, &id, report, error))
		return FALSE;
	return st_usb_hid_set_report(st_usb_hid_device_get_hid(ST_USB_HID_DEVICE(self)),
				     ST_USB_HID_REPORT_OUTPUT, id, report->data, report->len,
				     error);
}

static void
st_scale_device_describe(StDevice *device, GString *str)
{
	StScaleDevice *self = ST_SCALE_DEVICE(device);
	st_usb_hid_device_describe_bus(ST_USB_HID_DEVICE(device), str);
	g_string_append_printf(str, "%s%s",
			       st_scale_decoder_uses_descriptor(self->decoder)
				       ? "fields from its report descriptor"
				       : "the common 6-byte report layout",
			       self->stale_quirk ? ", first report skipped" : "");
}

static void
st_scale_device_finalize(GObject *object)
{
	StScaleDevice *self = ST_SCALE_DEVICE(object);
	st_scale_decoder_free(self->decoder);
	G_OBJECT_CLASS(st_scale_device_parent_class)->finalize(object);
}

static void
st_scale_device_init(StScaleDevice *self)
{
}

static void
st_scale_device_class_init(StScaleDeviceClass *klass)
{
	StDeviceClass *device_class = ST_DEVICE_CLASS(klass);
	StUsbHidDeviceClass *hid_class = ST_USB_HID_DEVICE_CLASS(klass);
	G_OBJECT_CLASS(klass)->finalize = st_scale_device_finalize;
	device_class->zero = st_scale_device_zero;
	device_class->describe = st_scale_device_describe;
	hid_class->report = st_scale_device_report;
	hid_class->opening = st_scale_device_opening;
}

static gboolean
st_scale_driver_has_scale_descriptor(const StDeviceInfo *info)
{
	g_autoptr(StHidDescriptor) desc = NULL;
	gsize len = 0;
	const guint8 *buf;

	if (info->report_descriptor == NULL)
		return FALSE;
	buf = g_bytes_get_data(info->report_descriptor, &len);
	desc = st_hid_descriptor_parse(buf, len, NULL);
	return desc != NULL && st_hid_descriptor_has_usage_page(desc, 0x8D);
}

static guint
st_scale_driver_probe(const StDeviceInfo *info, gchar **reason)
{
	const StUsbKnownDevice *known;

	if (g_strcmp0(info->bus, "usb") != 0 || info->interface_class != 0x03) {
		*reason = g_strdup("not a USB HID interface");
		return 0;
	}
	known = st_usb_known_lookup(info->vid, info->pid);
	if (known != NULL && g_strcmp0(known->driver, "scale") == 0 && known->pid != 0) {
		*reason = g_strdup_printf("known scale: %s", known->model);
		return 100;
	}
	if (st_scale_driver_has_scale_descriptor(info)) {
		*reason = g_strdup_printf("HID POS scale (usage page 0x8D)%s%s",
					  known != NULL ? ", " : "",
					  known != NULL ? known->model : "");
		return 80;
	}
	if (info->configured && info->role == ST_DEVICE_ROLE_SCALE) {
		*reason = g_strdup("configured as a scale; read with the common report layout");
		return 60;
	}
	*reason = g_strdup("no scale usage page (0x8D) in its report descriptor");
	return 0;
}

static StDevice *
st_scale_driver_create(const StDeviceInfo *info, GError **error)
{
	g_autoptr(StScaleDevice) self = NULL;
	const StUsbKnownDevice *known = st_usb_known_lookup(info->vid, info->pid);
	GBytes *descriptor = info->report_descriptor;

	if (!st_device_info_check_options(info, st_scale_driver.name, NULL, NULL, error))
		return NULL;
	self = ST_SCALE_DEVICE(
		st_usb_hid_device_new(ST_TYPE_SCALE_DEVICE, &st_scale_driver, info, error));
	if (self == NULL)
		return NULL;
	if (known != NULL && (known->quirks & ST_USB_QUIRK_NO_DESCRIPTOR))
		descriptor = NULL;
	self->stale_quirk = known != NULL && (known->quirks & ST_USB_QUIRK_STALE_FIRST_REPORT);
	self->decoder = st_scale_decoder_new(descriptor, error);
	if (self->decoder == NULL && descriptor != NULL) {
		/* a descriptor we cannot use: fall back to the common layout, and say so */
		g_message("%s: %s; using the common scale report layout", info->id,
			  (*error)->message);
		g_clear_error(error);
		self->decoder = st_scale_decoder_new(NULL, error);
	}
	if (self->decoder == NULL)
		return NULL;
	return ST_DEVICE(g_steal_pointer(&self));
}

const StDriver st_scale_driver = {
	.name = "scale",
	.description =
		"HID POS scales on USB (usage page 0x8D): DYMO, Stamps.com, Mettler Toledo, ...",
	.role = ST_DEVICE_ROLE_SCALE,
	.probe = st_scale_driver_probe,
	.create = st_scale_driver_create,
};
