/*
 * The emulated device: a keyboard-wedge scanner with no hardware, fed by a script of
 * reports (or by the caller), whose reports take exactly the decoding path real HID reports
 * take. Used by `station demo` and by tests above the driver layer.
 */
#pragma once

#include "station/st-device.h"

G_BEGIN_DECLS

#define ST_TYPE_EMULATED_DEVICE (st_emulated_device_get_type())
G_DECLARE_FINAL_TYPE(StEmulatedDevice, st_emulated_device, ST, EMULATED_DEVICE, StDevice)

extern const StDriver st_emulated_driver;

typedef struct _StEmulatedScript StEmulatedScript;

StEmulatedScript *
st_emulated_script_parse(const gchar *text,
			 gsize len,
			 const gchar *kind,
			 const gchar *layout,
			 const gchar *variant,
			 GError **error);
void
st_emulated_script_free(StEmulatedScript *self);
guint
st_emulated_script_get_length(StEmulatedScript *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StEmulatedScript, st_emulated_script_free)

void
st_emulated_device_push_report(StEmulatedDevice *self, const guint8 *buf, gsize bufsz);
void
st_emulated_device_unplug(StEmulatedDevice *self);

G_END_DECLS
