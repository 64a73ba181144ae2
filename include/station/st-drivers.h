/*
 * The table of built-in drivers. Adding a device family is one row here and one folder
 * beside this file; nothing outside drivers/ changes.
 */
#pragma once

#include "station/st-device.h"

G_BEGIN_DECLS

const StDriver *const *
st_drivers_get_all(void);
const StDriver *
st_drivers_find(const gchar *name);
const StDriver *
st_drivers_probe(const StDeviceInfo *info, GPtrArray *reasons);
gchar *
st_drivers_udev_rules_known(const gchar *group);

G_END_DECLS
