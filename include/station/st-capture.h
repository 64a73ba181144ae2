/*
 * USB captures as users record them to report a device that misbehaves: a usbmon capture
 * (pcap, as Wireshark or tcpdump save it from usbmonN; link types 189 and 220) or umockdev's
 * .ioctl record. What the station takes from them: the interrupt-IN reports, in order, with
 * the bus, device and endpoint they came from, and a HID report descriptor when the capture
 * holds the host asking for it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	guint16 bus;
	guint8 device;
	guint8 endpoint; /* with 0x80 for IN */
	GBytes *data;
} StCaptureReport;

typedef struct {
	const gchar *format;	   /* "pcap" or "ioctl" */
	GPtrArray *reports;	   /* of StCaptureReport */
	GBytes *report_descriptor; /* (nullable): the last one the capture shows */
} StCapture;

/* captures larger than this are refused before they are read */
#define ST_CAPTURE_MAX_SIZE (64 * 1024 * 1024)

StCapture *
st_capture_parse(const guint8 *buf, gsize len, GError **error);
void
st_capture_free(StCapture *self);
gboolean
st_capture_select(StCapture *capture,
		  const gchar *filter,
		  GPtrArray *inputs,
		  GArray *lines,
		  GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StCapture, st_capture_free)

G_END_DECLS
