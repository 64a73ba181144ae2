/*
 * StScan: an immutable (once emitted) reference-counted record of one barcode read. The
 * text form is computed once: the data when it is valid UTF-8 without NUL, else NULL, so
 * binary symbols never reach code that expects a string.
 */
#include "station/st-scan.h"

struct _StScan {
	gint ref;
	gchar *device_id;
	GBytes *data;
	GBytes *raw;
	gchar *symbology;
	gchar *text;
	gint64 realtime_us;
	gint64 monotonic_us;
};

G_DEFINE_BOXED_TYPE(StScan, st_scan, st_scan_ref, st_scan_unref)

/**
 * st_scan_new:
 * @device_id: the device's id
 * @data: (transfer none): the decoded bytes of the symbol (may hold GS 0x1D or be binary)
 * @raw: (transfer none) (nullable): the transport bytes the device sent (HID reports)
 *
 * Returns: (transfer full): a new scan stamped with the current time
 */
StScan *
st_scan_new(const gchar *device_id, GBytes *data, GBytes *raw)
{
	StScan *self = g_new0(StScan, 1);
	gsize len = 0;
	const gchar *buf;

	g_return_val_if_fail(device_id != NULL, NULL);
	g_return_val_if_fail(data != NULL, NULL);

	self->ref = 1;
	self->device_id = g_strdup(device_id);
	self->data = g_bytes_ref(data);
	self->raw = raw != NULL ? g_bytes_ref(raw) : g_bytes_new(NULL, 0);
	self->realtime_us = g_get_real_time();
	self->monotonic_us = g_get_monotonic_time();
	buf = g_bytes_get_data(data, &len);
	if (memchr(buf != NULL ? buf : "", '\0', len) == NULL &&
	    g_utf8_validate_len(buf != NULL ? buf : "", len, NULL))
		self->text = g_strndup(buf, len);
	return self;
}

StScan *
st_scan_ref(StScan *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->ref);
	return self;
}

void
st_scan_unref(StScan *self)
{
	g_return_if_fail(self != NULL);
	if (!g_atomic_int_dec_and_test(&self->ref))
		return;
	g_free(self->device_id);
	g_bytes_unref(self->data);
	g_bytes_unref(self->raw);
	g_free(self->symbology);
	g_free(self->text);
	g_free(self);
}

void
st_scan_set_symbology(StScan *self, const gchar *aim_id)
{
	g_return_if_fail(self != NULL);
	g_free(self->symbology);
	self->symbology = g_strdup(aim_id);
}

void
st_scan_set_times(StScan *self, gint64 realtime_us, gint64 monotonic_us)
{
	g_return_if_fail(self != NULL);
	self->realtime_us = realtime_us;
	self->monotonic_us = monotonic_us;
}

const gchar *
st_scan_get_device_id(const StScan *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->device_id;
}

/* Returns: (transfer none): the decoded bytes */
GBytes *
st_scan_get_data(const StScan *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->data;
}

/* Returns: (transfer none): the transport bytes, possibly empty */
GBytes *
st_scan_get_raw(const StScan *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->raw;
}

/* Returns: (nullable): the AIM symbology identifier such as "]C1" */
const gchar *
st_scan_get_symbology(const StScan *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->symbology;
}

/* Returns: (nullable): the data as UTF-8 text, or NULL if it is binary or invalid UTF-8 */
const gchar *
st_scan_get_text(const StScan *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->text;
}

/**
 * st_scan_to_display:
 *
 * Returns: (transfer full): the data in a form safe to print on one line: printable ASCII
 * and UTF-8 as they are, GS as "<GS>", other control and invalid bytes as "\xNN".
 */
gchar *
st_scan_to_display(const StScan *self)
{
	GString *str = g_string_new(NULL);
	gsize len = 0;
	const guint8 *buf = g_bytes_get_data(self->data, &len);
	gsize i = 0;

	while (i < len) {
		const gchar *p = (const gchar *)buf + i;
		gunichar c = g_utf8_get_char_validated(p, (gssize)(len - i));
		if (buf[i] == 0x1d) {
			g_string_append(str, "<GS>");
			i++;
		} else if (c == (gunichar)-1 || c == (gunichar)-2 || c < 0x20 || c == 0x7f) {
			g_string_append_printf(str, "\\x%02X", buf[i]);
			i++;
		} else {
			const gchar *next = g_utf8_next_char(p);
			g_string_append_len(str, p, next - p);
			i += (gsize)(next - p);
		}
	}
	return g_string_free(str, FALSE);
}

gint64
st_scan_get_realtime(const StScan *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->realtime_us;
}

gint64
st_scan_get_monotonic(const StScan *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->monotonic_us;
}
