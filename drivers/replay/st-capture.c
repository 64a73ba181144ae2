/*
 * Reading USB captures (see st-capture.h). Every length in them is checked against the bytes
 * there before it is used; a capture that is cut short ends where its last whole record
 * ends, and anything that is not a capture is refused with the reason.
 *
 * pcap: the 24-byte file header (magic a1b2c3d4, or d4c3b2a1 for the other byte order;
 * a1b23c4d/4d3cb2a1 with nanoseconds), then records of a 16-byte header and the packet. A
 * usbmon packet (Linux Documentation/usb/usbmon.rst, "binary API") starts with a 48-byte
 * header (link type 189), or 64 bytes with the isochronous fields (link type 220), in the
 * capturing machine's byte order: id (8), type 'S'/'C'/'E' (1), transfer type (1: 0 iso,
 * 1 interrupt, 2 control, 3 bulk), endpoint (1), device (1), bus (2), setup flag (1), data
 * flag (1), seconds (8), microseconds (4), status (4), length (4), captured length (4),
 * setup packet (8); the captured data follows the header.
 */
#include <stdio.h>
#include <string.h>

#include "station/st-error.h"

#include "station/st-capture.h"

static void
st_capture_report_free(StCaptureReport *r)
{
	if (r->data != NULL)
		g_bytes_unref(r->data);
	g_free(r);
}

void
st_capture_free(StCapture *self)
{
	if (self == NULL)
		return;
	g_ptr_array_unref(self->reports);
	if (self->report_descriptor != NULL)
		g_bytes_unref(self->report_descriptor);
	g_free(self);
}

static guint32
rd32(const guint8 *p, gboolean swap)
{
	guint32 v;
	memcpy(&v, p, 4);
	return swap ? GUINT32_SWAP_LE_BE(v) : v;
}

static guint16
rd16(const guint8 *p, gboolean swap)
{
	guint16 v;
	memcpy(&v, p, 2);
	return swap ? GUINT16_SWAP_LE_BE(v) : v;
}

static void
st_capture_add(StCapture *self, guint16 bus, guint8 device, guint8 ep, const guint8 *d, gsize n)
{
	StCaptureReport *r = g_new0(StCaptureReport, 1);
	r->bus = bus;
	r->device = device;
	r->endpoint = ep;
	r->data = g_bytes_new(d, n);
	g_ptr_array_add(self->reports, r);
}

static gboolean
st_capture_parse_pcap(StCapture *self, const guint8 *buf, gsize len, GError **error)
{
	guint32 magic = rd32(buf, FALSE);
	gboolean swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	guint32 linktype = rd32(buf + 20, swap);
	gsize hdr = linktype == 220 ? 64 : 48;
	/* the ids of control requests for a HID report descriptor, until their completion */
	g_autoptr(GArray) asked = g_array_new(FALSE, FALSE, sizeof(guint64));
	gsize p = 24;

	if (linktype != 189 && linktype != 220) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "a pcap capture of link type %u, not USB (usbmon captures are 189 or "
			    "220): capture on a usbmonN interface",
			    linktype);
		return FALSE;
	}
	while (p + 16 <= len) {
		guint32 incl = rd32(buf + p + 8, swap);
		const guint8 *rec = buf + p + 16;
		guint64 id;
		guint8 type, xfer, ep, dev;
		guint16 bus;
		gint32 status;
		guint32 len_cap;

		if (incl > len - p - 16)
			break; /* cut short: the records before it count */
		p += 16 + incl;
		if (incl < hdr)
			continue;
		memcpy(&id, rec, 8);
		type = rec[8];
		xfer = rec[9];
		ep = rec[10];
		dev = rec[11];
		bus = rd16(rec + 12, swap);
		status = (gint32)rd32(rec + 28, swap);
		len_cap = rd32(rec + 36, swap);
		if (len_cap > incl - hdr)
			len_cap = (guint32)(incl - hdr);
		if (type == 'S' && xfer == 2 && rec[14] == 0 && rec[40] == 0x81 &&
		    rec[41] == 0x06 && rec[43] == 0x22) {
			g_array_append_val(asked, id);
			continue;
		}
		if (type != 'C' || status != 0 || len_cap == 0)
			continue;
		if (xfer == 1 && (ep & 0x80)) {
			st_capture_add(self, bus, dev, ep, rec + hdr, len_cap);
		} else if (xfer == 2) {
			for (guint i = 0; i < asked->len; i++) {
				if (g_array_index(asked, guint64, i) != id)
					continue;
				g_array_remove_index(asked, i);
				if (self->report_descriptor != NULL)
					g_bytes_unref(self->report_descriptor);
				self->report_descriptor = g_bytes_new(rec + hdr, len_cap);
				break;
			}
		}
	}
	return TRUE;
}

/* umockdev's .ioctl record: "USBDEVFS_REAPURBNDELAY ret type endpoint status flags
 * buffer_length actual_length error_count HEX" lines after "@DEV /dev/bus/usb/BBB/DDD" */
static gboolean
st_capture_parse_ioctl(StCapture *self, const guint8 *buf, gsize len, GError **error)
{
	g_autofree gchar *text = g_strndup((const gchar *)buf, len);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint bus = 0, dev = 0;

	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) f = NULL;
		guint64 type = 0, ep = 0, actual = 0;
		gint64 status = 1;
		g_autoptr(GByteArray) data = NULL;
		gsize hex_len;

		if (sscanf(lines[i], "@DEV /dev/bus/usb/%u/%u", &bus, &dev) == 2)
			continue;
		if (!g_str_has_prefix(lines[i], "USBDEVFS_REAPURB"))
			continue;
		f = g_strsplit_set(g_strstrip(lines[i]), " \t", -1);
		if (g_strv_length(f) < 10 ||
		    !g_ascii_string_to_unsigned(f[2], 10, 0, 3, &type, NULL) ||
		    !g_ascii_string_to_unsigned(f[3], 10, 0, 255, &ep, NULL) ||
		    !g_ascii_string_to_signed(f[4], 10, G_MININT32, G_MAXINT32, &status, NULL) ||
		    !g_ascii_string_to_unsigned(f[7], 10, 0, G_MAXINT32, &actual, NULL)) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    ".ioctl record, line %u: not a REAPURB line umockdev writes",
				    i + 1);
			return FALSE;
		}
		if (type != 1 || !(ep & 0x80) || status != 0)
			continue;
		hex_len = strlen(f[9]);
		if (hex_len % 2 != 0 || hex_len / 2 < actual) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    ".ioctl record, line %u: %" G_GUINT64_FORMAT
				    " bytes said, fewer written",
				    i + 1, actual);
			return FALSE;
		}
		data = g_byte_array_sized_new((guint)actual);
		for (gsize k = 0; k < actual; k++) {
			gint hi = g_ascii_xdigit_value(f[9][2 * k]);
			gint lo = g_ascii_xdigit_value(f[9][2 * k + 1]);
			guint8 b;
			if (hi < 0 || lo < 0) {
				g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
					    ".ioctl record, line %u: not hex", i + 1);
				return FALSE;
			}
			b = (guint8)(hi << 4 | lo);
			g_byte_array_append(data, &b, 1);
		}
		st_capture_add(self, (guint16)bus, (guint8)dev, (guint8)ep, data->data, data->len);
	}
	return TRUE;
}

/**
 * st_capture_parse:
 *
 * Returns: (transfer full): the capture's reports, or NULL with ST_ERROR_INVALID_DATA when
 *   the bytes are neither a pcap usbmon capture nor an umockdev .ioctl record
 */
StCapture *
st_capture_parse(const guint8 *buf, gsize len, GError **error)
{
	g_autoptr(StCapture) self = g_new0(StCapture, 1);
	guint32 magic = len >= 4 ? rd32(buf, FALSE) : 0;

	self->reports = g_ptr_array_new_with_free_func((GDestroyNotify)st_capture_report_free);
	if (len > ST_CAPTURE_MAX_SIZE) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "the capture is over %d MiB; capture only the device's traffic",
			    ST_CAPTURE_MAX_SIZE / 1024 / 1024);
		return NULL;
	}
	if (len >= 24 && (magic == 0xa1b2c3d4 || magic == 0xd4c3b2a1 || magic == 0xa1b23c4d ||
			  magic == 0x4d3cb2a1)) {
		self->format = "pcap";
		if (!st_capture_parse_pcap(self, buf, len, error))
			return NULL;
	} else if (len >= 5 && memcmp(buf, "@DEV ", 5) == 0) {
		self->format = "ioctl";
		if (!st_capture_parse_ioctl(self, buf, len, error))
			return NULL;
	} else if (len >= 4 && memcmp(buf, "\x0a\x0d\x0d\x0a", 4) == 0) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "a pcapng capture: save it as pcap (Wireshark: File, Save As, "
			    "pcap; or editcap -F pcap IN OUT)");
		return NULL;
	} else {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "neither a pcap usbmon capture nor an umockdev .ioctl record");
		return NULL;
	}
	return g_steal_pointer(&self);
}

/**
 * st_capture_select:
 * @filter: (nullable): "BUS.DEV" (lsusb's numbers), needed when the capture holds several
 * @inputs: (element-type GBytes): the reports of one device and endpoint are added here
 * @lines: (element-type guint): and their numbers in the capture, from 1
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA when there is no report, or reports of more
 * than one device or endpoint and no filter (the message lists them)
 */
gboolean
st_capture_select(StCapture *capture,
		  const gchar *filter,
		  GPtrArray *inputs,
		  GArray *lines,
		  GError **error)
{
	g_autoptr(GHashTable) streams =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	guint64 want_bus = 0, want_dev = 0;
	guint number = 0;

	if (filter != NULL) {
		g_auto(GStrv) parts = g_strsplit(filter, ".", 2);
		if (g_strv_length(parts) != 2 ||
		    !g_ascii_string_to_unsigned(parts[0], 10, 1, 65535, &want_bus, NULL) ||
		    !g_ascii_string_to_unsigned(parts[1], 10, 1, 127, &want_dev, NULL)) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "--device is BUS.DEVICE, such as 1.3 (lsusb's Bus 001 Device "
				    "003)");
			return FALSE;
		}
	}
	for (guint i = 0; i < capture->reports->len; i++) {
		StCaptureReport *r = g_ptr_array_index(capture->reports, i);
		g_autofree gchar *key = NULL;
		guint count;
		if (filter != NULL && (r->bus != want_bus || r->device != want_dev))
			continue;
		key = g_strdup_printf("bus %u device %u endpoint 0x%02x", r->bus, r->device,
				      r->endpoint);
		count = GPOINTER_TO_UINT(g_hash_table_lookup(streams, key)) + 1;
		g_hash_table_insert(streams, g_steal_pointer(&key), GUINT_TO_POINTER(count));
	}
	if (g_hash_table_size(streams) == 0) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "no interrupt-IN report%s in the capture: capture while the device "
			    "sends (scan a barcode, put something on the scale)",
			    filter != NULL ? " of that device" : "");
		return FALSE;
	}
	if (g_hash_table_size(streams) > 1) {
		g_autoptr(GString) list = g_string_new(NULL);
		g_autoptr(GList) keys =
			g_list_sort(g_hash_table_get_keys(streams), (GCompareFunc)g_strcmp0);
		for (GList *l = keys; l != NULL; l = l->next)
			g_string_append_printf(
				list, "%s%s (%u reports)", list->len ? "; " : "",
				(const gchar *)l->data,
				GPOINTER_TO_UINT(g_hash_table_lookup(streams, l->data)));
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "the capture holds reports of more than one device or endpoint: %s; "
			    "choose one with --device BUS.DEV",
			    list->str);
		return FALSE;
	}
	for (guint i = 0; i < capture->reports->len; i++) {
		StCaptureReport *r = g_ptr_array_index(capture->reports, i);
		if (filter != NULL && (r->bus != want_bus || r->device != want_dev))
			continue;
		number++;
		g_ptr_array_add(inputs, g_bytes_ref(r->data));
		g_array_append_val(lines, number);
	}
	return TRUE;
}
