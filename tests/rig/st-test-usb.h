/*
 * A USB bus for tests: devices emulated below libusb with umockdev and an in-test usbdevfs
 * ioctl handler, so the station's real USB code runs against them. The test pushes reports
 * when it wants, unplugs and replugs, and checks the claim and kernel-driver state.
 * Needs LD_PRELOAD=libumockdev-preload.so.0 (set by meson for these tests).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _StTestUsb StTestUsb;
typedef struct _StTestUsbDevice StTestUsbDevice;

typedef struct {
	guint port; /* 1..9: the root hub port, sysfs 1-<port> */
	guint16 vid;
	guint16 pid;
	const gchar *manufacturer;
	const gchar *product;
	const gchar *serial; /* (nullable) */
	guint8 subclass;     /* 1 = boot interface */
	guint8 protocol;     /* 1 = keyboard */
	guint16 packet_size; /* of the interrupt-IN endpoint 0x81 */
	const guint8 *report_descriptor;
	gsize report_descriptor_len;
	gboolean kernel_holds_descriptor; /* GET_DESCRIPTOR fails with EBUSY, as usbfs does
					     while usbhid holds the interface; the descriptor
					     is then only in sysfs */
} StTestUsbSpec;

gboolean
st_test_usb_available(void);
StTestUsb *
st_test_usb_new(void);
void
st_test_usb_free(StTestUsb *self);
void
st_test_usb_set_gated(StTestUsb *self, gboolean gated);
StTestUsbDevice *
st_test_usb_add(StTestUsb *self, const StTestUsbSpec *spec);
void
st_test_usb_unplug(StTestUsb *self, StTestUsbDevice *device);
void
st_test_usb_push_report(StTestUsbDevice *device, const guint8 *buf, gsize len);
void
st_test_usb_stall(StTestUsbDevice *device);
gboolean
st_test_usb_is_claimed(StTestUsbDevice *device);
gboolean
st_test_usb_kernel_attached(StTestUsbDevice *device);
guint
st_test_usb_in_flight(StTestUsbDevice *device);
gboolean
st_test_usb_idle(StTestUsbDevice *device);
guint
st_test_usb_ioctl_count(StTestUsbDevice *device);
GBytes *
st_test_usb_get_output(StTestUsbDevice *device);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StTestUsb, st_test_usb_free)

G_END_DECLS
