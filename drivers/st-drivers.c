/* The built-in driver table and the probe that picks the best driver for a device. */
#include "emulated/st-emulated-device.h"
#include "keyboard/st-keyboard-usb-device.h"
#include "posscanner/st-pos-scanner-device.h"
#include "scale/st-scale-device.h"
#include "station/st-drivers.h"

static const StDriver *const drivers[] = {
	&st_emulated_driver,
	&st_keyboard_usb_driver,
	&st_scale_driver,
	&st_pos_scanner_driver,
	NULL,
};

/* Returns: (transfer none) (array zero-terminated=1): every built-in driver */
const StDriver *const *
st_drivers_get_all(void)
{
	return drivers;
}

/* Returns: (transfer none) (nullable): the driver called @name */
const StDriver *
st_drivers_find(const gchar *name)
{
	for (guint i = 0; drivers[i] != NULL; i++) {
		if (g_strcmp0(drivers[i]->name, name) == 0)
			return drivers[i];
	}
	return NULL;
}

/**
 * st_drivers_probe:
 * @reasons: (element-type utf8) (nullable): receives "driver: reason" for every driver
 *
 * Returns: (transfer none) (nullable): the driver with the highest score, or NULL
 */
const StDriver *
st_drivers_probe(const StDeviceInfo *info, GPtrArray *reasons)
{
	const StDriver *best = NULL;
	guint best_score = 0;

	for (guint i = 0; drivers[i] != NULL; i++) {
		g_autofree gchar *reason = NULL;
		guint score = drivers[i]->probe(info, &reason);
		if (reasons != NULL)
			g_ptr_array_add(
				reasons,
				g_strdup_printf("%s: %s", drivers[i]->name,
						reason != NULL ? reason : "no reason given"));
		if (score > best_score) {
			best = drivers[i];
			best_score = score;
		}
	}
	return best;
}
