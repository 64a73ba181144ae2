/*
 * StUsbHid. GUsb runs libusb's event loop on its own thread and delivers every async
 * transfer result on the main context; so all callbacks here run on the main thread.
 *
 * Two interrupt-IN transfers stay in flight (as the kernel's usbhid double-buffers), each
 * resubmitted when it completes. Each transfer holds a reference on the object, so a
 * completion that arrives after close (with G_USB_DEVICE_ERROR_CANCELLED) is harmless.
 */
#define G_LOG_DOMAIN "station-usb"

#include "station/st-error.h"

#include "st-usb-hid.h"

#define ST_USB_HID_IN_FLIGHT	 2
#define ST_USB_HID_MAX_REPORT	 4096
#define ST_USB_HID_MAX_IO_ERRORS 5

struct _StUsbHid {
	GObject parent_instance;
	GUsbDevice *usb_device;
	guint8 interface_number;
	gchar *device_id;
	guint8 endpoint;
	guint16 packet_size;
	gboolean opened; /* the GUsbDevice is open */
	gboolean claimed;
	gboolean reading;
	guint io_errors;
	guint in_flight;
	gboolean close_pending; /* release and close when the last transfer is back */
	GCancellable *cancellable;
	StUsbHidReportFunc report_cb;
	StUsbHidStoppedFunc stopped_cb;
	gpointer user_data;
};

G_DEFINE_TYPE(StUsbHid, st_usb_hid, G_TYPE_OBJECT)

typedef struct {
	StUsbHid *self; /* referenced */
	guint8 *buf;
} StUsbHidTransfer;

static void
st_usb_hid_submit(StUsbHid *self);
static void
st_usb_hid_release(StUsbHid *self);

/* transfers in flight in the whole process: shutdown waits for them to come back */
static guint st_usb_hid_in_flight_total = 0;

/**
 * st_usb_hid_get_in_flight:
 *
 * Returns: how many transfers of every StUsbHid are still to come back; after closing
 * devices, the main loop must run until this is 0 so interfaces are released and kernel
 * drivers re-attached before the process exits
 */
guint
st_usb_hid_get_in_flight(void)
{
	return st_usb_hid_in_flight_total;
}

/* maps a GUsb error to ours, keeping the message */
static void
st_usb_hid_convert_error(GError **error)
{
	GError *e = error != NULL ? *error : NULL;
	gint code = ST_ERROR_IO;

	if (e == NULL || e->domain == ST_DEVICE_ERROR)
		return;
	if (e->domain == G_USB_DEVICE_ERROR) {
		switch (e->code) {
		case G_USB_DEVICE_ERROR_NO_DEVICE:
			code = ST_ERROR_NO_DEVICE;
			break;
		case G_USB_DEVICE_ERROR_TIMED_OUT:
			code = ST_ERROR_TIMED_OUT;
			break;
		case G_USB_DEVICE_ERROR_NOT_SUPPORTED:
			code = ST_ERROR_NOT_SUPPORTED;
			break;
		case G_USB_DEVICE_ERROR_PERMISSION_DENIED:
		case G_USB_DEVICE_ERROR_ALREADY_OPEN:
			code = ST_ERROR_BUSY;
			break;
		default:
			break;
		}
	}
	e->domain = ST_DEVICE_ERROR;
	e->code = code;
}

static void
st_usb_hid_stop(StUsbHid *self, GError *error)
{
	if (!self->reading)
		return;
	self->reading = FALSE;
	g_cancellable_cancel(self->cancellable);
	if (self->stopped_cb != NULL)
		self->stopped_cb(error, self->user_data);
}

static void
st_usb_hid_transfer_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	StUsbHidTransfer *t = user_data;
	StUsbHid *self = t->self;
	g_autoptr(GError) error = NULL;
	gssize n = g_usb_device_interrupt_transfer_finish(G_USB_DEVICE(source), res, &error);

	if (n >= 0) {
		self->io_errors = 0;
		if (self->reading && n > 0 && self->report_cb != NULL)
			self->report_cb(t->buf, (gsize)n, self->user_data);
		if (self->reading)
			st_usb_hid_submit(self);
	} else if (g_error_matches(error, G_USB_DEVICE_ERROR, G_USB_DEVICE_ERROR_CANCELLED) ||
		   g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		/* closing */
	} else if (g_error_matches(error, G_USB_DEVICE_ERROR, G_USB_DEVICE_ERROR_NO_DEVICE)) {
		st_usb_hid_convert_error(&error);
		g_prefix_error(&error, "%s: device gone: ", self->device_id);
		st_usb_hid_stop(self, error);
	} else if (self->reading) {
		/* a stall or a transfer error: try again a few times, then give up loudly */
		self->io_errors++;
		g_debug("%s: read failed (%u): %s", self->device_id, self->io_errors,
			error->message);
		if (self->io_errors >= ST_USB_HID_MAX_IO_ERRORS) {
			st_usb_hid_convert_error(&error);
			g_prefix_error(&error,
				       "%s stopped answering after %u failed reads; unplug it and "
				       "plug it in again: ",
				       self->device_id, self->io_errors);
			st_usb_hid_stop(self, error);
		} else {
			st_usb_hid_submit(self);
		}
	}
	self->in_flight--;
	st_usb_hid_in_flight_total--;
	if (self->in_flight == 0 && self->close_pending)
		st_usb_hid_release(self);
	g_free(t->buf);
	g_object_unref(t->self);
	g_free(t);
}

static void
st_usb_hid_submit(StUsbHid *self)
{
	StUsbHidTransfer *t = g_new0(StUsbHidTransfer, 1);
	t->self = g_object_ref(self);
	t->buf = g_malloc0(self->packet_size);
	self->in_flight++;
	st_usb_hid_in_flight_total++;
	g_usb_device_interrupt_transfer_async(self->usb_device, self->endpoint, t->buf,
					      self->packet_size, 0, self->cancellable,
					      st_usb_hid_transfer_cb, t);
}

/* Returns: the interrupt-IN endpoint of the interface, or 0 */
static guint8
st_usb_hid_find_endpoint(StUsbHid *self, guint16 *packet_size, GError **error)
{
	g_autoptr(GPtrArray) interfaces = g_usb_device_get_interfaces(self->usb_device, error);
	if (interfaces == NULL)
		return 0;
	for (guint i = 0; i < interfaces->len; i++) {
		GUsbInterface *intf = g_ptr_array_index(interfaces, i);
		g_autoptr(GPtrArray) endpoints = NULL;
		if (g_usb_interface_get_number(intf) != self->interface_number)
			continue;
		endpoints = g_usb_interface_get_endpoints(intf);
		for (guint j = 0; endpoints != NULL && j < endpoints->len; j++) {
			GUsbEndpoint *ep = g_ptr_array_index(endpoints, j);
			/* a HID interface has only interrupt endpoints (HID 1.11, 4.4) */
			if (g_usb_endpoint_get_direction(ep) ==
			    G_USB_DEVICE_DIRECTION_DEVICE_TO_HOST) {
				*packet_size = g_usb_endpoint_get_maximum_packet_size(ep);
				return g_usb_endpoint_get_address(ep);
			}
		}
	}
	g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_NOT_SUPPORTED,
		    "interface %u has no interrupt-IN endpoint", self->interface_number);
	return 0;
}

/**
 * st_usb_hid_open:
 *
 * Opens the device, claims the interface (the kernel driver is detached and will be
 * re-attached on close) and starts reading.
 *
 * Returns: FALSE with ST_ERROR_BUSY (permission, or held by another program),
 * ST_ERROR_NO_DEVICE or ST_ERROR_NOT_SUPPORTED; nothing is left claimed then
 */
gboolean
st_usb_hid_open(StUsbHid *self, GError **error)
{
	g_return_val_if_fail(ST_IS_USB_HID(self), FALSE);
	g_return_val_if_fail(!self->opened, FALSE);

	if (!g_usb_device_open(self->usb_device, error)) {
		st_usb_hid_convert_error(error);
		g_prefix_error(error, "cannot open the USB device (a udev rule granting access, "
				      "or run as root): ");
		return FALSE;
	}
	self->opened = TRUE;
	self->endpoint = st_usb_hid_find_endpoint(self, &self->packet_size, error);
	if (self->endpoint == 0) {
		st_usb_hid_close(self, NULL);
		return FALSE;
	}
	if (self->packet_size == 0 || self->packet_size > ST_USB_HID_MAX_REPORT)
		self->packet_size = 64;
	if (!g_usb_device_claim_interface(self->usb_device, self->interface_number,
					  G_USB_DEVICE_CLAIM_INTERFACE_BIND_KERNEL_DRIVER, error)) {
		st_usb_hid_convert_error(error);
		g_prefix_error(error,
			       "cannot claim interface %u (is another program using the "
			       "device?): ",
			       self->interface_number);
		st_usb_hid_close(self, NULL);
		return FALSE;
	}
	self->claimed = TRUE;
	/* SET_IDLE 0: report only on change; devices without it stall, which is fine */
	if (!g_usb_device_control_transfer(self->usb_device, G_USB_DEVICE_DIRECTION_HOST_TO_DEVICE,
					   G_USB_DEVICE_REQUEST_TYPE_CLASS,
					   G_USB_DEVICE_RECIPIENT_INTERFACE, 0x0A, 0x0000,
					   self->interface_number, NULL, 0, NULL, 1000, NULL, NULL))
		g_debug("%s: SET_IDLE not supported", self->device_id);
	g_clear_object(&self->cancellable);
	self->cancellable = g_cancellable_new();
	self->reading = TRUE;
	self->io_errors = 0;
	for (guint i = 0; i < ST_USB_HID_IN_FLIGHT; i++)
		st_usb_hid_submit(self);
	return TRUE;
}

/* releases the interface (re-attaching the kernel driver) and closes the device */
static void
st_usb_hid_release(StUsbHid *self)
{
	g_autoptr(GError) error = NULL;

	self->close_pending = FALSE;
	if (self->claimed) {
		self->claimed = FALSE;
		if (!g_usb_device_release_interface(self->usb_device, self->interface_number,
						    G_USB_DEVICE_CLAIM_INTERFACE_BIND_KERNEL_DRIVER,
						    &error) &&
		    !g_error_matches(error, G_USB_DEVICE_ERROR, G_USB_DEVICE_ERROR_NO_DEVICE))
			g_message("%s: releasing interface %u: %s", self->device_id,
				  self->interface_number, error->message);
		g_clear_error(&error);
	}
	if (self->opened) {
		self->opened = FALSE;
		if (!g_usb_device_close(self->usb_device, &error))
			g_debug("%s: close: %s", self->device_id, error->message);
	}
}

/**
 * st_usb_hid_close:
 *
 * Stops reading. The interface is released (re-attaching the kernel driver) and the device
 * closed at once if no transfer is in flight, else when the last cancelled one comes back on
 * the main loop (see st_usb_hid_get_in_flight()). Safe when the device is already gone.
 */
gboolean
st_usb_hid_close(StUsbHid *self, GError **error)
{
	self->reading = FALSE;
	if (self->cancellable != NULL)
		g_cancellable_cancel(self->cancellable);
	if (self->in_flight > 0) {
		self->close_pending = TRUE;
		return TRUE;
	}
	st_usb_hid_release(self);
	return TRUE;
}

/**
 * st_usb_hid_set_report:
 * @report_type: ST_USB_HID_REPORT_OUTPUT or _FEATURE
 * @data: the report without its id
 *
 * Sends an output or feature report with SET_REPORT on the control endpoint.
 */
gboolean
st_usb_hid_set_report(StUsbHid *self,
		      guint8 report_type,
		      guint8 report_id,
		      const guint8 *data,
		      gsize len,
		      GError **error)
{
	g_autofree guint8 *buf = g_malloc0(len + 1);
	gsize n = 0;

	if (!self->opened) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_NO_DEVICE, "%s is not open",
			    self->device_id);
		return FALSE;
	}
	if (report_id != 0)
		buf[n++] = report_id;
	memcpy(buf + n, data, len);
	n += len;
	if (!g_usb_device_control_transfer(
		    self->usb_device, G_USB_DEVICE_DIRECTION_HOST_TO_DEVICE,
		    G_USB_DEVICE_REQUEST_TYPE_CLASS, G_USB_DEVICE_RECIPIENT_INTERFACE, 0x09,
		    (guint16)((report_type << 8) | report_id), self->interface_number, buf, n, NULL,
		    1000, NULL, error)) {
		st_usb_hid_convert_error(error);
		g_prefix_error(error, "%s: SET_REPORT: ", self->device_id);
		return FALSE;
	}
	return TRUE;
}

/**
 * st_usb_hid_read_report_descriptor:
 * @usb_device: an open device
 * @length: the length the HID class descriptor announces, or 0 if unknown
 *
 * Returns: (transfer full): the report descriptor bytes
 */
GBytes *
st_usb_hid_read_report_descriptor(GUsbDevice *usb_device,
				  guint8 interface_number,
				  guint16 length,
				  GError **error)
{
	gsize want = length > 0 ? length : 4096;
	g_autofree guint8 *buf = g_malloc0(want);
	gsize actual = 0;

	if (!g_usb_device_control_transfer(
		    usb_device, G_USB_DEVICE_DIRECTION_DEVICE_TO_HOST,
		    G_USB_DEVICE_REQUEST_TYPE_STANDARD, G_USB_DEVICE_RECIPIENT_INTERFACE, 0x06,
		    0x2200, interface_number, buf, want, &actual, 1000, NULL, error)) {
		st_usb_hid_convert_error(error);
		g_prefix_error(error, "reading the HID report descriptor: ");
		return NULL;
	}
	return g_bytes_new(buf, actual);
}

void
st_usb_hid_set_callbacks(StUsbHid *self,
			 StUsbHidReportFunc report_cb,
			 StUsbHidStoppedFunc stopped_cb,
			 gpointer user_data)
{
	self->report_cb = report_cb;
	self->stopped_cb = stopped_cb;
	self->user_data = user_data;
}

static void
st_usb_hid_finalize(GObject *object)
{
	StUsbHid *self = ST_USB_HID(object);
	g_clear_object(&self->cancellable);
	g_object_unref(self->usb_device);
	g_free(self->device_id);
	G_OBJECT_CLASS(st_usb_hid_parent_class)->finalize(object);
}

static void
st_usb_hid_init(StUsbHid *self)
{
}

static void
st_usb_hid_class_init(StUsbHidClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = st_usb_hid_finalize;
}

StUsbHid *
st_usb_hid_new(GUsbDevice *usb_device, guint8 interface_number, const gchar *device_id)
{
	StUsbHid *self = g_object_new(ST_TYPE_USB_HID, NULL);
	self->usb_device = g_object_ref(usb_device);
	self->interface_number = interface_number;
	self->device_id = g_strdup(device_id);
	return self;
}
