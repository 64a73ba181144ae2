/*
 * StUsbHidDevice. Open sets the StUsbHid callbacks to the class's report and stop handlers
 * and claims the interface; a stop other than an unplug is told to the operator (an unplug
 * is said by the daemon); close drops a partial scan, clears the callbacks and gives the
 * interface back to the kernel.
 */
#include "station/st-error.h"

#include "st-usb-hid-device.h"

typedef struct {
	StUsbHid *hid;
} StUsbHidDevicePrivate;

G_DEFINE_TYPE_WITH_PRIVATE(StUsbHidDevice, st_usb_hid_device, ST_TYPE_DEVICE)

#define GET_PRIVATE(o) (st_usb_hid_device_get_instance_private(o))

static void
st_usb_hid_device_report_cb(const guint8 *buf, gsize len, gpointer user_data)
{
	StUsbHidDevice *self = ST_USB_HID_DEVICE(user_data);
	ST_USB_HID_DEVICE_GET_CLASS(self)->report(self, buf, len);
}

static void
st_usb_hid_device_abort(StUsbHidDevice *self, const gchar *why)
{
	StUsbHidDeviceClass *klass = ST_USB_HID_DEVICE_GET_CLASS(self);
	if (klass->abort != NULL)
		klass->abort(self, why);
}

static void
st_usb_hid_device_stopped_cb(const GError *error, gpointer user_data)
{
	StUsbHidDevice *self = ST_USB_HID_DEVICE(user_data);
	gboolean unplugged = g_error_matches(error, ST_DEVICE_ERROR, ST_ERROR_NO_DEVICE);

	/* an unplug is said by the daemon; anything else the operator must hear about */
	if (!unplugged)
		g_message("%s", error->message);
	st_usb_hid_device_abort(self, unplugged ? "device unplugged" : error->message);
	st_device_emit_removed(ST_DEVICE(self));
}

static gboolean
st_usb_hid_device_open(StDevice *device, GError **error)
{
	StUsbHidDevice *self = ST_USB_HID_DEVICE(device);
	StUsbHidDevicePrivate *priv = GET_PRIVATE(self);
	StUsbHidDeviceClass *klass = ST_USB_HID_DEVICE_GET_CLASS(self);

	if (klass->opening != NULL)
		klass->opening(self);
	st_usb_hid_set_callbacks(priv->hid, st_usb_hid_device_report_cb,
				 st_usb_hid_device_stopped_cb, self);
	return st_usb_hid_open(priv->hid, error);
}

static gboolean
st_usb_hid_device_close(StDevice *device, GError **error)
{
	StUsbHidDevice *self = ST_USB_HID_DEVICE(device);
	StUsbHidDevicePrivate *priv = GET_PRIVATE(self);

	st_usb_hid_device_abort(self, st_device_is_removed(device) ? "device unplugged"
								   : "device closed");
	st_usb_hid_set_callbacks(priv->hid, NULL, NULL, NULL);
	return st_usb_hid_close(priv->hid, error);
}

/* Returns: (transfer none): the device's USB HID interface, for output reports */
StUsbHid *
st_usb_hid_device_get_hid(StUsbHidDevice *self)
{
	g_return_val_if_fail(ST_IS_USB_HID_DEVICE(self), NULL);
	StUsbHidDevicePrivate *priv = GET_PRIVATE(self);
	return priv->hid;
}

/* appends where the device is: "usb 1-2 05e0:1200, " */
void
st_usb_hid_device_describe_bus(StUsbHidDevice *self, GString *str)
{
	const StDeviceInfo *info = st_device_get_info(ST_DEVICE(self));
	g_string_append_printf(str, "usb %s %04x:%04x, ", info->port_path, info->vid, info->pid);
}

static void
st_usb_hid_device_finalize(GObject *object)
{
	StUsbHidDevicePrivate *priv = GET_PRIVATE(ST_USB_HID_DEVICE(object));
	if (priv->hid != NULL)
		st_usb_hid_set_callbacks(priv->hid, NULL, NULL, NULL);
	g_clear_object(&priv->hid);
	G_OBJECT_CLASS(st_usb_hid_device_parent_class)->finalize(object);
}

static void
st_usb_hid_device_init(StUsbHidDevice *self)
{
}

static void
st_usb_hid_device_class_init(StUsbHidDeviceClass *klass)
{
	StDeviceClass *device_class = ST_DEVICE_CLASS(klass);
	G_OBJECT_CLASS(klass)->finalize = st_usb_hid_device_finalize;
	device_class->open = st_usb_hid_device_open;
	device_class->close = st_usb_hid_device_close;
}

/**
 * st_usb_hid_device_new:
 * @type: the driver's device type, derived from StUsbHidDevice
 * @info: the device, whose handle is a GUsbDevice
 *
 * Returns: (transfer full): the device on @info's interface, not yet open; or NULL with
 * ST_ERROR_NOT_SUPPORTED when @info is not a USB device
 */
StDevice *
st_usb_hid_device_new(GType type, const StDriver *driver, const StDeviceInfo *info, GError **error)
{
	StUsbHidDevice *self;
	StUsbHidDevicePrivate *priv;

	g_return_val_if_fail(g_type_is_a(type, ST_TYPE_USB_HID_DEVICE), NULL);
	if (!G_USB_IS_DEVICE(info->handle)) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_NOT_SUPPORTED,
			    "the %s driver needs a USB device", driver->name);
		return NULL;
	}
	self = g_object_new(type, "info", info, "driver-name", driver->name, NULL);
	priv = GET_PRIVATE(self);
	priv->hid = st_usb_hid_new(G_USB_DEVICE(info->handle), info->interface_number, info->id);
	return ST_DEVICE(self);
}
