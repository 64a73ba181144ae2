/*
 * The devices a station uses: the configured emulated ones and whatever the USB core finds,
 * opened, with their events gathered in one place. The daemon feeds them to the workflows;
 * `station listen` prints them.
 */
#pragma once

#include <glib-object.h>

#include "station/st-device.h"

G_BEGIN_DECLS

#define ST_TYPE_DEVICE_SET (st_device_set_get_type())
G_DECLARE_FINAL_TYPE(StDeviceSet, st_device_set, ST, DEVICE_SET, GObject)

typedef gchar *(*StDeviceSetLocateFunc)(const gchar *group, const gchar *key, gpointer user_data);

StDeviceSet *
st_device_set_new(GPtrArray *configured, gboolean usb_enabled);
void
st_device_set_set_locate_func(StDeviceSet *self, StDeviceSetLocateFunc func, gpointer user_data);
gboolean
st_device_set_start(StDeviceSet *self, GError **error);
gboolean
st_device_set_start_looking(StDeviceSet *self, GError **error);
void
st_device_set_stop(StDeviceSet *self);
GPtrArray *
st_device_set_get_devices(StDeviceSet *self);
GPtrArray *
st_device_set_describe_usb(StDeviceSet *self);

G_END_DECLS
