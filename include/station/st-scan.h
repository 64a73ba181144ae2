/*
 * A scan: the value a scanner driver emits once a barcode has been read completely. It keeps
 * both what the device sent (raw transport bytes, for diagnosis) and what it meant (decoded
 * data, which may be binary or hold GS separators), so nothing is lost between the two.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ST_TYPE_SCAN (st_scan_get_type())

typedef struct _StScan StScan;

GType
st_scan_get_type(void) G_GNUC_CONST;

StScan *
st_scan_new(const gchar *device_id, GBytes *data, GBytes *raw);
StScan *
st_scan_ref(StScan *self);
void
st_scan_unref(StScan *self);

void
st_scan_set_symbology(StScan *self, const gchar *aim_id);
void
st_scan_set_times(StScan *self, gint64 realtime_us, gint64 monotonic_us);

const gchar *
st_scan_get_device_id(const StScan *self);
GBytes *
st_scan_get_data(const StScan *self);
GBytes *
st_scan_get_raw(const StScan *self);
const gchar *
st_scan_get_symbology(const StScan *self);
const gchar *
st_scan_get_text(const StScan *self);
gchar *
st_scan_to_display(const StScan *self);
gint64
st_scan_get_realtime(const StScan *self);
gint64
st_scan_get_monotonic(const StScan *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StScan, st_scan_unref)

G_END_DECLS
