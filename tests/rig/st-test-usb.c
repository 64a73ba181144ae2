/*
 * The test USB bus. umockdev calls the ioctl handler on its own thread, so every device's
 * state is under one mutex; the test thread pushes reports and reads state under it too.
 *
 * URBs: an interrupt-IN URB waits in `in_flight` until the test pushes a report (or a report
 * pushed earlier waits for the URB); it then moves to `completed`, where REAPURBNDELAY finds
 * it. Control URBs are answered at once. A discarded URB is reaped with -ENOENT, and once
 * the device is unplugged every call fails with ENODEV, as the kernel does.
 *
 * Gated nodes (the default; st_test_usb_set_gated): umockdev's device node is a plain file,
 * which always polls ready, so libusb's event thread spins while a read waits. A gated
 * device's node is a FIFO instead, kept full, so it does not poll writable (usbfs signals completed
 * URBs with POLLOUT); the rig frees one page of it while a URB waits to be reaped or the device is
 * gone, and fills it again when nothing is left, as a real usbfs node behaves.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <string.h>
#include <umockdev.h>

#include "st-test-usb.h"

struct _StTestUsbDevice {
	StTestUsb *bus;
	StTestUsbSpec spec;
	guint8 *report_descriptor;
	gchar *sysfs_path;
	gchar *devnode;
	guint devnum; /* a new address on every plug, as the host controller gives */
	GBytes *descriptors;
	GQueue pending;	  /* of GBytes: reports pushed before a URB was there */
	GQueue in_flight; /* of UMockdevIoctlData: interrupt URBs */
	GQueue completed; /* of UMockdevIoctlData */
	gboolean claimed;
	gboolean kernel_attached;
	gboolean unplugged;
	gboolean removed; /* its sysfs node is gone too */
	GBytes *output;
	guint ioctls;	    /* calls the station made on the node */
	gint gate_fd;	    /* the FIFO that stands for the node, or -1 */
	gboolean gate_open; /* a page of it is free: libusb sees POLLOUT */
};

struct _StTestUsb {
	UMockdevTestbed *testbed;
	UMockdevIoctlBase *handler;
	GMutex mutex;
	GPtrArray *devices; /* of StTestUsbDevice, owned */
	guint next_devnum;
	gboolean gated;
};

#define ST_TEST_USB_GATE_PAGE 4096

/* under the mutex: POLLOUT on the node exactly while a URB waits to be reaped, or the
 * device is gone (so its URBs and ENODEV are reaped) */
static void
st_test_usb_gate(StTestUsbDevice *d)
{
	static guint8 page[ST_TEST_USB_GATE_PAGE];
	gboolean want = d->completed.length > 0 || d->unplugged;
	if (d->gate_fd < 0 || want == d->gate_open)
		return;
	if (want) {
		if (read(d->gate_fd, page, sizeof(page)) == (gssize)sizeof(page))
			d->gate_open = TRUE;
	} else {
		if (write(d->gate_fd, page, sizeof(page)) == (gssize)sizeof(page))
			d->gate_open = FALSE;
	}
}

/* TRUE when umockdev's preload library is really loaded in this process (LD_PRELOAD can
 * name it and still fail to load it) */
gboolean
st_test_usb_available(void)
{
	void *handle = dlopen("libumockdev-preload.so.0", RTLD_NOW | RTLD_NOLOAD);
	if (handle == NULL)
		return FALSE;
	dlclose(handle);
	return TRUE;
}

static void
st_test_usb_device_free(StTestUsbDevice *d)
{
	GBytes *b;
	if (d->gate_fd >= 0)
		close(d->gate_fd);
	UMockdevIoctlData *u;
	while ((b = g_queue_pop_head(&d->pending)) != NULL)
		g_bytes_unref(b);
	while ((u = g_queue_pop_head(&d->in_flight)) != NULL)
		umockdev_ioctl_data_unref(u);
	while ((u = g_queue_pop_head(&d->completed)) != NULL)
		umockdev_ioctl_data_unref(u);
	g_free(d->report_descriptor);
	g_free(d->sysfs_path);
	g_free(d->devnode);
	g_bytes_unref(d->descriptors);
	if (d->output != NULL)
		g_bytes_unref(d->output);
	g_free(d);
}

static void
st_test_usb_remove_node(StTestUsb *self, StTestUsbDevice *device);

static StTestUsbDevice *
st_test_usb_find(StTestUsb *self, const gchar *devnode)
{
	for (guint i = self->devices->len; i > 0; i--) {
		StTestUsbDevice *d = g_ptr_array_index(self->devices, i - 1);
		if (g_strcmp0(d->devnode, devnode) == 0)
			return d;
	}
	return NULL;
}

/* the client's URB: same address space (umockdev's preload runs in this process) */
static struct usbdevfs_urb *
urb_of(UMockdevIoctlData *data)
{
	return (struct usbdevfs_urb *)data->data;
}

static void
st_test_usb_fill(UMockdevIoctlData *urb_data, GBytes *report)
{
	struct usbdevfs_urb *urb = urb_of(urb_data);
	gsize n = MIN(g_bytes_get_size(report), (gsize)urb->buffer_length);
	memcpy(urb->buffer, g_bytes_get_data(report, NULL), n);
	urb->actual_length = (int)n;
	urb->status = 0;
}

static gsize
st_test_usb_string(const gchar *s, guint8 *out, gsize max)
{
	gsize n = 2;
	for (const gchar *p = s; *p != '\0' && n + 2 <= max && n + 2 <= 255; p++) {
		out[n++] = (guint8)*p;
		out[n++] = 0;
	}
	out[0] = (guint8)n;
	out[1] = 0x03;
	return n;
}

/* answers a control URB in place; returns the URB status */
static gint
st_test_usb_control(StTestUsbDevice *d, struct usbdevfs_urb *urb)
{
	guint8 *buf = urb->buffer;
	guint8 type = buf[0], request = buf[1];
	guint16 value = (guint16)(buf[2] | buf[3] << 8);
	guint16 length = (guint16)(buf[6] | buf[7] << 8);
	guint8 *data = buf + 8;
	gsize max = MIN((gsize)length, (gsize)MAX(urb->buffer_length - 8, 0));
	gsize n = 0;

	urb->actual_length = 0;
	if (type == 0x80 && request == 0x06 && (value >> 8) == 0x03) {
		guint8 tmp[256];
		guint8 index = value & 0xff;
		if (index == 0) {
			const guint8 langid[] = {4, 3, 0x09, 0x04};
			memcpy(tmp, langid, sizeof(langid));
			n = sizeof(langid);
		} else if (index == 1) {
			n = st_test_usb_string(d->spec.manufacturer, tmp, sizeof(tmp));
		} else if (index == 2) {
			n = st_test_usb_string(d->spec.product, tmp, sizeof(tmp));
		} else if (index == 3 && d->spec.serial != NULL) {
			n = st_test_usb_string(d->spec.serial, tmp, sizeof(tmp));
		} else {
			return -EPIPE;
		}
		n = MIN(n, max);
		memcpy(data, tmp, n);
	} else if (type == 0x80 && request == 0x06) {
		/* device or configuration descriptor */
		gsize len = 0;
		const guint8 *desc = g_bytes_get_data(d->descriptors, &len);
		gsize off = (value >> 8) == 0x02 ? 18 : 0;
		n = MIN(len - off, max);
		memcpy(data, desc + off, n);
	} else if (type == 0x81 && request == 0x06 && value == 0x2200) {
		if (d->spec.kernel_holds_descriptor && d->kernel_attached)
			return -EBUSY;
		n = MIN(d->spec.report_descriptor_len, max);
		memcpy(data, d->report_descriptor, n);
	} else if (type == 0x21 && (request == 0x0A || request == 0x0B)) {
		n = 0; /* SET_IDLE, SET_PROTOCOL */
	} else if (type == 0x21 && request == 0x09) {
		if (d->output != NULL)
			g_bytes_unref(d->output);
		d->output = g_bytes_new(data, max);
		n = max;
	} else {
		return -EPIPE;
	}
	urb->actual_length = (int)n;
	return 0;
}

static gboolean
st_test_usb_ioctl(StTestUsb *self, StTestUsbDevice *d, UMockdevIoctlClient *client);

static gboolean
st_test_usb_ioctl_cb(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer user_data)
{
	StTestUsb *self = user_data;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	StTestUsbDevice *d = st_test_usb_find(self, umockdev_ioctl_client_get_devnode(client));
	gboolean handled;

	if (d == NULL)
		return FALSE;
	d->ioctls++;
	handled = st_test_usb_ioctl(self, d, client);
	st_test_usb_gate(d);
	return handled;
}

static gboolean
st_test_usb_ioctl(StTestUsb *self, StTestUsbDevice *d, UMockdevIoctlClient *client)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	gulong request = umockdev_ioctl_client_get_request(client);

	/* after a disconnect the kernel still lets killed URBs be reaped, then says ENODEV */
	if (d->unplugged && !((request == USBDEVFS_REAPURBNDELAY || request == USBDEVFS_REAPURB) &&
			      d->completed.length > 0)) {
		umockdev_ioctl_client_complete(client, -1, ENODEV);
		return TRUE;
	}
	switch (request) {
	case USBDEVFS_GET_CAPABILITIES: {
		g_autoptr(UMockdevIoctlData) caps = umockdev_ioctl_data_resolve(arg, 0, 4, NULL);
		*(guint32 *)caps->data = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION |
					 USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
					 USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	}
	case USBDEVFS_CONNECTINFO: {
		g_autoptr(UMockdevIoctlData) info = umockdev_ioctl_data_resolve(
			arg, 0, sizeof(struct usbdevfs_connectinfo), NULL);
		((struct usbdevfs_connectinfo *)info->data)->devnum = d->devnum;
		((struct usbdevfs_connectinfo *)info->data)->slow = 0;
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	}
	case USBDEVFS_GETDRIVER: {
		g_autoptr(UMockdevIoctlData) gd = umockdev_ioctl_data_resolve(
			arg, 0, sizeof(struct usbdevfs_getdriver), NULL);
		if (!d->kernel_attached) {
			umockdev_ioctl_client_complete(client, -1, ENODATA);
			return TRUE;
		}
		g_strlcpy(((struct usbdevfs_getdriver *)gd->data)->driver, "usbhid",
			  USBDEVFS_MAXDRIVERNAME + 1);
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	}
	case USBDEVFS_IOCTL: {
		g_autoptr(UMockdevIoctlData) io =
			umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_ioctl), NULL);
		gint code = ((struct usbdevfs_ioctl *)io->data)->ioctl_code;
		if (code == (gint)USBDEVFS_DISCONNECT) {
			if (!d->kernel_attached) {
				umockdev_ioctl_client_complete(client, -1, ENODATA);
				return TRUE;
			}
			d->kernel_attached = FALSE;
		} else if (code == (gint)USBDEVFS_CONNECT) {
			d->kernel_attached = TRUE;
		}
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	}
	case USBDEVFS_DISCONNECT_CLAIM:
		d->kernel_attached = FALSE;
		d->claimed = TRUE;
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	case USBDEVFS_CLAIMINTERFACE:
		if (d->kernel_attached) {
			/* as the kernel: the interface belongs to usbhid until detached */
			umockdev_ioctl_client_complete(client, -1, EBUSY);
			return TRUE;
		}
		d->claimed = TRUE;
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	case USBDEVFS_RELEASEINTERFACE:
		d->claimed = FALSE;
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	case USBDEVFS_SETINTERFACE:
	case USBDEVFS_SETCONFIGURATION:
	case USBDEVFS_CLEAR_HALT:
	case USBDEVFS_RESET:
	case USBDEVFS_RESETEP:
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	case USBDEVFS_SUBMITURB: {
		UMockdevIoctlData *urb_data =
			umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
		struct usbdevfs_urb *urb = urb_of(urb_data);
		if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
			urb->status = st_test_usb_control(d, urb);
			g_queue_push_tail(&d->completed, urb_data);
		} else if (urb->type == USBDEVFS_URB_TYPE_INTERRUPT && (urb->endpoint & 0x80)) {
			GBytes *report = g_queue_pop_head(&d->pending);
			if (report != NULL) {
				st_test_usb_fill(urb_data, report);
				g_bytes_unref(report);
				g_queue_push_tail(&d->completed, urb_data);
			} else {
				g_queue_push_tail(&d->in_flight, urb_data);
			}
		} else {
			umockdev_ioctl_data_unref(urb_data);
			umockdev_ioctl_client_complete(client, -1, EINVAL);
			return TRUE;
		}
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	}
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY: {
		UMockdevIoctlData *urb_data = g_queue_pop_head(&d->completed);
		g_autoptr(UMockdevIoctlData) ptr = NULL;
		if (urb_data == NULL) {
			umockdev_ioctl_client_complete(client, -1, EAGAIN);
			return TRUE;
		}
		ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), NULL);
		umockdev_ioctl_data_set_ptr(ptr, 0, urb_data);
		umockdev_ioctl_data_unref(urb_data);
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	}
	case USBDEVFS_DISCARDURB: {
		gulong addr = (gulong) * (gpointer *)arg->data;
		for (GList *l = d->in_flight.head; l != NULL; l = l->next) {
			UMockdevIoctlData *urb_data = l->data;
			if (urb_data->client_addr != addr)
				continue;
			g_queue_delete_link(&d->in_flight, l);
			urb_of(urb_data)->status = -ENOENT;
			urb_of(urb_data)->actual_length = 0;
			g_queue_push_tail(&d->completed, urb_data);
			umockdev_ioctl_client_complete(client, 0, 0);
			return TRUE;
		}
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return TRUE;
	}
	default:
		return FALSE;
	}
}

StTestUsb *
st_test_usb_new(void)
{
	StTestUsb *self = g_new0(StTestUsb, 1);
	g_mutex_init(&self->mutex);
	self->testbed = umockdev_testbed_new();
	self->handler = umockdev_ioctl_base_new();
	self->next_devnum = 2;
	self->gated = TRUE; /* nodes poll as usbfs does; FALSE gives umockdev's plain files */
	self->devices = g_ptr_array_new_with_free_func((GDestroyNotify)st_test_usb_device_free);
	g_signal_connect(self->handler, "handle-ioctl", G_CALLBACK(st_test_usb_ioctl_cb), self);
	return self;
}

/* Devices added from now on have gated nodes (see the top of this file). */
void
st_test_usb_set_gated(StTestUsb *self, gboolean gated)
{
	self->gated = gated;
}

/* replaces the device's node with a full FIFO */
static void
st_test_usb_make_gate(StTestUsb *self, StTestUsbDevice *d)
{
	g_autofree gchar *root = umockdev_testbed_get_root_dir(self->testbed);
	g_autofree gchar *node = g_build_filename(root, d->devnode, NULL);
	static const guint8 page[ST_TEST_USB_GATE_PAGE];

	if (unlink(node) != 0 || mkfifo(node, 0666) != 0)
		g_error("making %s a FIFO: %s", node, g_strerror(errno));
	d->gate_fd = open(node, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (d->gate_fd < 0)
		g_error("opening %s: %s", node, g_strerror(errno));
	/* full, page by page: a pipe with no free page does not poll writable */
	while (write(d->gate_fd, page, sizeof(page)) == (gssize)sizeof(page))
		;
	d->gate_open = FALSE;
}

void
st_test_usb_free(StTestUsb *self)
{
	if (self == NULL)
		return;
	g_object_unref(self->testbed);
	g_object_unref(self->handler);
	g_ptr_array_unref(self->devices);
	g_mutex_clear(&self->mutex);
	g_free(self);
}

static GBytes *
st_test_usb_build_descriptors(const StTestUsbSpec *s)
{
	guint8 d[18 + 9 + 9 + 9 + 7];
	guint8 *p = d;
	const guint8 device[] = {18,
				 1,
				 0x00,
				 0x02,
				 0,
				 0,
				 0,
				 64,
				 s->vid & 0xff,
				 s->vid >> 8,
				 s->pid & 0xff,
				 s->pid >> 8,
				 0x00,
				 0x01,
				 1,
				 2,
				 s->serial != NULL ? 3 : 0,
				 1};
	const guint8 config[] = {9, 2, sizeof(d) - 18, 0, 1, 1, 0, 0xA0, 50};
	const guint8 intf[] = {9, 4, 0, 0, 1, 3, s->subclass, s->protocol, 0};
	const guint8 hid[] = {9,
			      0x21,
			      0x11,
			      0x01,
			      0,
			      1,
			      0x22,
			      (guint8)(s->report_descriptor_len & 0xff),
			      (guint8)(s->report_descriptor_len >> 8)};
	const guint8 ep[] = {7, 5, 0x81, 0x03, s->packet_size & 0xff, s->packet_size >> 8, 10};
	memcpy(p, device, sizeof(device));
	p += sizeof(device);
	memcpy(p, config, sizeof(config));
	p += sizeof(config);
	memcpy(p, intf, sizeof(intf));
	p += sizeof(intf);
	memcpy(p, hid, sizeof(hid));
	p += sizeof(hid);
	memcpy(p, ep, sizeof(ep));
	return g_bytes_new(d, sizeof(d));
}

/**
 * st_test_usb_add:
 *
 * Plugs in a HID device; libusb sees it at once and GUsb reports it on the main loop.
 */
StTestUsbDevice *
st_test_usb_add(StTestUsb *self, const StTestUsbSpec *spec)
{
	StTestUsbDevice *d = g_new0(StTestUsbDevice, 1);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *hex = NULL;
	g_autofree gchar *text = NULL;
	gsize len = 0;
	const guint8 *desc;
	GString *h = g_string_new(NULL);

	d->bus = self;
	d->spec = *spec;
	d->gate_fd = -1;
	d->report_descriptor = g_memdup2(spec->report_descriptor, spec->report_descriptor_len);
	d->kernel_attached = TRUE;
	d->descriptors = st_test_usb_build_descriptors(spec);
	/* the device that was on this port before is gone from sysfs now */
	for (guint i = 0; i < self->devices->len; i++) {
		StTestUsbDevice *old = g_ptr_array_index(self->devices, i);
		if (old->spec.port == spec->port && old->unplugged)
			st_test_usb_remove_node(self, old);
	}
	d->devnum = self->next_devnum++;
	d->devnode = g_strdup_printf("/dev/bus/usb/001/%03u", d->devnum);
	desc = g_bytes_get_data(d->descriptors, &len);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(h, "%02X", desc[i]);
	hex = g_string_free(h, FALSE);
	text = g_strdup_printf("P: /devices/pci0000:00/0000:00:14.0/usb1/1-%u\n"
			       "N: bus/usb/001/%03u=%s\n"
			       "E: DEVNAME=/dev/bus/usb/001/%03u\n"
			       "E: DEVTYPE=usb_device\n"
			       "E: DRIVER=usb\n"
			       "E: PRODUCT=%x/%x/100\n"
			       "E: TYPE=0/0/0\n"
			       "E: BUSNUM=001\n"
			       "E: DEVNUM=%03u\n"
			       "E: MAJOR=189\n"
			       "E: MINOR=%u\n"
			       "E: SUBSYSTEM=usb\n"
			       "E: ID_VENDOR_ID=%04x\n"
			       "E: ID_MODEL_ID=%04x\n"
			       "E: ID_BUS=usb\n"
			       "A: bConfigurationValue=1\\n\n"
			       "A: bDeviceClass=00\n"
			       "A: bNumConfigurations=1\n"
			       "A: bNumInterfaces= 1\n"
			       "A: busnum=1\\n\n"
			       "A: devnum=%u\\n\n"
			       "A: dev=189:%u\\n\n"
			       "A: devpath=%u\n"
			       "A: idVendor=%04x\\n\n"
			       "A: idProduct=%04x\\n\n"
			       "A: speed=12\\n\n"
			       "H: descriptors=%s\n",
			       spec->port, d->devnum, hex, d->devnum, spec->vid, spec->pid,
			       d->devnum, d->devnum - 1, spec->vid, spec->pid, d->devnum,
			       d->devnum - 1, spec->port, spec->vid, spec->pid, hex);
	d->sysfs_path =
		g_strdup_printf("/sys/devices/pci0000:00/0000:00:14.0/usb1/1-%u", spec->port);
	g_mutex_lock(&self->mutex);
	g_ptr_array_add(self->devices, d);
	g_mutex_unlock(&self->mutex);
	if (!umockdev_testbed_attach_ioctl(self->testbed, d->devnode, self->handler, &error))
		g_error("attach_ioctl %s: %s", d->devnode, error->message);
	if (spec->kernel_holds_descriptor) {
		/* what the HID core publishes for the interface usbhid holds */
		g_autofree gchar *sys = umockdev_testbed_get_sys_dir(self->testbed);
		g_autofree gchar *dir =
			g_strdup_printf("%s/bus/usb/devices/1-%u:1.0/0003:%04X:%04X.%04X", sys,
					spec->port, spec->vid, spec->pid, d->devnum);
		g_autofree gchar *file = g_build_filename(dir, "report_descriptor", NULL);
		if (g_mkdir_with_parents(dir, 0755) != 0 ||
		    !g_file_set_contents(file, (const gchar *)spec->report_descriptor,
					 (gssize)spec->report_descriptor_len, &error))
			g_error("writing %s: %s", file, error != NULL ? error->message : "mkdir");
	}
	if (!umockdev_testbed_add_from_string(self->testbed, text, &error))
		g_error("add_from_string: %s", error->message);
	if (self->gated) {
		g_mutex_lock(&self->mutex);
		st_test_usb_make_gate(self, d);
		g_mutex_unlock(&self->mutex);
	}
	return d;
}

/* The device goes away: its calls fail with ENODEV and a remove uevent is sent. */
void
st_test_usb_unplug(StTestUsb *self, StTestUsbDevice *device)
{
	UMockdevIoctlData *urb_data;

	g_mutex_lock(&self->mutex);
	device->unplugged = TRUE;
	/* as the host controller does: URBs in flight end with -ESHUTDOWN */
	while ((urb_data = g_queue_pop_head(&device->in_flight)) != NULL) {
		urb_of(urb_data)->status = -ESHUTDOWN;
		urb_of(urb_data)->actual_length = 0;
		g_queue_push_tail(&device->completed, urb_data);
	}
	st_test_usb_gate(device);
	g_mutex_unlock(&self->mutex);
	umockdev_testbed_uevent(self->testbed, device->sysfs_path, "remove");
	/* the sysfs node goes when the port is used again or the bus is freed, so libusb can
	 * still reap on the old file descriptor meanwhile */
}

static void
st_test_usb_remove_node(StTestUsb *self, StTestUsbDevice *device)
{
	if (device->removed)
		return;
	device->removed = TRUE;
	umockdev_testbed_remove_device(self->testbed, device->sysfs_path);
}

/* Sends one interrupt-IN report: to a waiting URB, or kept for the next one. */
void
st_test_usb_push_report(StTestUsbDevice *device, const guint8 *buf, gsize len)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&device->bus->mutex);
	g_autoptr(GBytes) report = g_bytes_new(buf, len);
	UMockdevIoctlData *urb_data = g_queue_pop_head(&device->in_flight);
	if (urb_data != NULL) {
		st_test_usb_fill(urb_data, report);
		g_queue_push_tail(&device->completed, urb_data);
	} else {
		g_queue_push_tail(&device->pending, g_bytes_ref(report));
	}
	st_test_usb_gate(device);
}

gboolean
st_test_usb_is_claimed(StTestUsbDevice *device)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&device->bus->mutex);
	return device->claimed;
}

gboolean
st_test_usb_kernel_attached(StTestUsbDevice *device)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&device->bus->mutex);
	return device->kernel_attached;
}

guint
st_test_usb_in_flight(StTestUsbDevice *device)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&device->bus->mutex);
	return device->in_flight.length;
}

/* Returns: (transfer full) (nullable): the data of the last SET_REPORT */
GBytes *
st_test_usb_get_output(StTestUsbDevice *device)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&device->bus->mutex);
	return device->output != NULL ? g_bytes_ref(device->output) : NULL;
}

/* TRUE when no report waits for a URB or for reaping and two reads are in flight again */
gboolean
st_test_usb_idle(StTestUsbDevice *device)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&device->bus->mutex);
	return device->pending.length == 0 && device->completed.length == 0 &&
	       device->in_flight.length >= 2;
}

/* how many usbdevfs calls the station has made on the device's node */
guint
st_test_usb_ioctl_count(StTestUsbDevice *device)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&device->bus->mutex);
	return device->ioctls;
}

/* The device answers the next read with a stall (-EPIPE), as a confused device does. */
void
st_test_usb_stall(StTestUsbDevice *device)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&device->bus->mutex);
	UMockdevIoctlData *urb_data = g_queue_pop_head(&device->in_flight);
	if (urb_data == NULL)
		return;
	urb_of(urb_data)->status = -EPIPE;
	urb_of(urb_data)->actual_length = 0;
	g_queue_push_tail(&device->completed, urb_data);
	st_test_usb_gate(device);
}
