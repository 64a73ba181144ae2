/*
 * StDeviceSet. Start-up makes the configured emulated devices (a mistake in their
 * configuration stops start-up, naming the file and line) and starts the USB core, which
 * hands over devices as they appear. A device that cannot be opened is reported and the
 * others go on. Every device event is re-emitted with the device it came from:
 * ::device-added, ::device-removed, ::scan, ::scan-lost, ::weight, all on the main thread.
 *
 * Stopping closes every device and then runs the main loop until the cancelled USB reads
 * have come back: only then are the interfaces released and the kernel drivers re-attached,
 * which must happen before the process exits.
 */
#define G_LOG_DOMAIN "station-devices"

#include "station/st-error.h"

#include "station/st-device-set.h"
#include "station/st-drivers.h"

#include "usb/st-usb-hid.h"
#include "usb/st-usb-manager.h"

struct _StDeviceSet {
	GObject parent_instance;
	GPtrArray *configured; /* of StDeviceInfo: the [device NAME] sections */
	gboolean usb_enabled;
	StDeviceSetLocateFunc locate;
	gpointer locate_data;
	GPtrArray *devices; /* of StDevice, open */
	StUsbManager *usb;  /* (nullable) */
	gchar *usb_error;   /* (nullable): why there is no USB */
	gboolean looking;   /* describe devices only: open and claim nothing */
};

G_DEFINE_TYPE(StDeviceSet, st_device_set, G_TYPE_OBJECT)

enum {
	SIGNAL_DEVICE_ADDED,
	SIGNAL_DEVICE_REMOVED,
	SIGNAL_SCAN,
	SIGNAL_SCAN_LOST,
	SIGNAL_WEIGHT,
	SIGNAL_LAST
};
static guint signals[SIGNAL_LAST] = {0};

static void
st_device_set_scan_cb(StDevice *device, StScan *scan, gpointer user_data)
{
	g_signal_emit(user_data, signals[SIGNAL_SCAN], 0, device, scan);
}

static void
st_device_set_scan_lost_cb(StDevice *device, const gchar *reason, gpointer user_data)
{
	g_message("%s: %s", st_device_get_id(device), reason);
	g_signal_emit(user_data, signals[SIGNAL_SCAN_LOST], 0, device, reason);
}

static void
st_device_set_weight_cb(StDevice *device, StWeight *weight, gpointer user_data)
{
	g_signal_emit(user_data, signals[SIGNAL_WEIGHT], 0, device, weight);
}

static void
st_device_set_remove(StDeviceSet *self, StDevice *device)
{
	g_autoptr(GError) error = NULL;
	/* closing may still report a scan it had to drop: keep listening until it returns */
	g_object_ref(device);
	if (!st_device_close(device, &error))
		g_warning("%s", error->message);
	g_signal_handlers_disconnect_by_data(device, self);
	g_ptr_array_remove(self->devices, device);
	g_signal_emit(self, signals[SIGNAL_DEVICE_REMOVED], 0, device);
	g_object_unref(device);
}

static void
st_device_set_removed_cb(StDevice *device, gpointer user_data)
{
	g_message("%s: device removed; it is used again as soon as it is plugged back in",
		  st_device_get_id(device));
	st_device_set_remove(ST_DEVICE_SET(user_data), device);
}

static void
st_device_set_attach(StDeviceSet *self, StDevice *device)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *desc = NULL;

	if (self->looking)
		return;
	g_signal_connect(device, "scan", G_CALLBACK(st_device_set_scan_cb), self);
	g_signal_connect(device, "scan-lost", G_CALLBACK(st_device_set_scan_lost_cb), self);
	g_signal_connect(device, "removed", G_CALLBACK(st_device_set_removed_cb), self);
	g_signal_connect(device, "weight", G_CALLBACK(st_device_set_weight_cb), self);
	if (!st_device_open(device, &error)) {
		g_warning("%s", error->message);
		g_signal_handlers_disconnect_by_data(device, self);
		return;
	}
	desc = st_device_describe(device);
	g_message("device %s ready: %s", st_device_get_id(device), desc);
	g_ptr_array_add(self->devices, g_object_ref(device));
	g_signal_emit(self, signals[SIGNAL_DEVICE_ADDED], 0, device);
}

static void
st_device_set_usb_added_cb(StUsbManager *usb, StDevice *device, gpointer user_data)
{
	st_device_set_attach(ST_DEVICE_SET(user_data), device);
}

/* where a [device NAME] key was written, for messages: the caller's words, or the group */
static gchar *
st_device_set_locate(StDeviceSet *self, const gchar *group, const gchar *key)
{
	if (self->locate != NULL)
		return self->locate(group, key, self->locate_data);
	return key != NULL ? g_strdup_printf("[%s] %s", group, key)
			   : g_strdup_printf("[%s]", group);
}

static gboolean
st_device_set_add_configured(StDeviceSet *self, const StDeviceInfo *configured, GError **error)
{
	g_autoptr(StDeviceInfo) info = st_device_info_copy(configured);
	g_autofree gchar *driver_name = g_strdup(st_device_info_get_option(info, "driver"));
	g_autofree gchar *group = g_strdup_printf("device %s", info->id);
	g_autoptr(StDevice) device = NULL;
	const StDriver *driver = st_drivers_find(driver_name);

	g_hash_table_remove(info->options, "driver");
	if (driver == NULL) {
		g_autofree gchar *where = st_device_set_locate(self, group, "driver");
		GString *known = g_string_new(NULL);
		for (const StDriver *const *d = st_drivers_get_all(); *d != NULL; d++)
			g_string_append_printf(known, "%s%s", known->len > 0 ? ", " : "",
					       (*d)->name);
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
			    "%s: unknown driver '%s' (this build has: %s)", where, driver_name,
			    known->str);
		g_string_free(known, TRUE);
		return FALSE;
	}
	if (g_strcmp0(driver->name, "emulated") != 0)
		return TRUE; /* a USB device: the USB core makes it when it appears */
	info->configured = TRUE;
	if (info->role == ST_DEVICE_ROLE_UNKNOWN)
		info->role = g_strcmp0(st_device_info_get_option(info, "kind"), "scale") == 0
				     ? ST_DEVICE_ROLE_SCALE
				     : driver->role;
	device = driver->create(info, error);
	if (device == NULL) {
		g_autofree gchar *where = st_device_set_locate(self, group, NULL);
		g_prefix_error(error, "%s: ", where);
		return FALSE;
	}
	st_device_set_attach(self, device);
	return TRUE;
}

/**
 * st_device_set_start:
 *
 * Returns: FALSE with ST_ERROR_INVALID_CONFIG naming the file, line and device when a
 * configured device cannot be made; no USB access is not an error
 */
gboolean
st_device_set_start(StDeviceSet *self, GError **error)
{
	for (guint i = 0; i < self->configured->len; i++) {
		if (!st_device_set_add_configured(self, g_ptr_array_index(self->configured, i),
						  error)) {
			st_device_set_stop(self);
			return FALSE;
		}
	}
	if (self->usb_enabled) {
		g_autoptr(GError) error_usb = NULL;
		g_autoptr(GPtrArray) usb_devices = g_ptr_array_new();
		for (guint i = 0; i < self->configured->len; i++) {
			StDeviceInfo *info = g_ptr_array_index(self->configured, i);
			if (g_strcmp0(st_device_info_get_option(info, "driver"), "emulated") != 0)
				g_ptr_array_add(usb_devices, info);
		}
		self->usb = st_usb_manager_new(usb_devices);
		g_signal_connect(self->usb, "device-added", G_CALLBACK(st_device_set_usb_added_cb),
				 self);
		if (!st_usb_manager_start(self->usb, &error_usb)) {
			g_message("%s: only emulated devices will be used", error_usb->message);
			self->usb_error = g_strdup(error_usb->message);
			g_clear_object(&self->usb);
		}
	}
	return TRUE;
}

/**
 * st_device_set_start_looking:
 *
 * Like st_device_set_start(), but the devices are only described (see
 * st_device_set_describe_usb()), never opened or claimed, so a running daemon keeps them.
 */
gboolean
st_device_set_start_looking(StDeviceSet *self, GError **error)
{
	self->looking = TRUE;
	return st_device_set_start(self, error);
}

static gboolean
st_device_set_expired_cb(gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
	return G_SOURCE_REMOVE;
}

/* Closes every device and gives USB devices back to the system. Safe to call twice. */
void
st_device_set_stop(StDeviceSet *self)
{
	if (self->usb != NULL)
		g_signal_handlers_disconnect_by_data(self->usb, self);
	while (self->devices->len > 0)
		st_device_set_remove(self, g_ptr_array_index(self->devices, 0));
	if (st_usb_hid_get_in_flight() > 0) {
		/* a device or USB stack that never returns a cancelled read must not keep the
		 * station from stopping: give it a few seconds, then say what is left undone */
		gboolean expired = FALSE;
		guint id = g_timeout_add_seconds(3, st_device_set_expired_cb, &expired);
		while (st_usb_hid_get_in_flight() > 0 && !expired)
			g_main_context_iteration(NULL, TRUE);
		if (expired)
			g_warning("%u USB read%s did not come back within 3 s of closing; the "
				  "kernel driver of that device may stay detached until it is "
				  "plugged in again",
				  st_usb_hid_get_in_flight(),
				  st_usb_hid_get_in_flight() == 1 ? "" : "s");
		else
			g_source_remove(id);
	}
	g_clear_object(&self->usb);
}

/* Returns: (transfer none) (element-type StDevice): the open devices */
GPtrArray *
st_device_set_get_devices(StDeviceSet *self)
{
	return self->devices;
}

/* Returns: (transfer container) (element-type utf8): one line per USB HID interface seen,
 * or a single line saying why there is no USB */
GPtrArray *
st_device_set_describe_usb(StDeviceSet *self)
{
	GPtrArray *lines;
	if (self->usb != NULL)
		return st_usb_manager_describe(self->usb);
	lines = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(lines,
			g_strdup_printf("USB not used: %s",
					self->usb_error != NULL
						? self->usb_error
						: "[usb] enabled = false in the configuration"));
	return lines;
}

static void
st_device_set_finalize(GObject *object)
{
	StDeviceSet *self = ST_DEVICE_SET(object);
	st_device_set_stop(self);
	g_ptr_array_unref(self->devices);
	g_ptr_array_unref(self->configured);
	g_free(self->usb_error);
	G_OBJECT_CLASS(st_device_set_parent_class)->finalize(object);
}

static void
st_device_set_init(StDeviceSet *self)
{
	self->devices = g_ptr_array_new_with_free_func(g_object_unref);
	self->configured = g_ptr_array_new_with_free_func((GDestroyNotify)st_device_info_free);
}

static void
st_device_set_class_init(StDeviceSetClass *klass)
{
	GType type = G_TYPE_FROM_CLASS(klass);
	G_OBJECT_CLASS(klass)->finalize = st_device_set_finalize;
	signals[SIGNAL_DEVICE_ADDED] =
		g_signal_new("device-added", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			     G_TYPE_NONE, 1, ST_TYPE_DEVICE);
	signals[SIGNAL_DEVICE_REMOVED] =
		g_signal_new("device-removed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			     G_TYPE_NONE, 1, ST_TYPE_DEVICE);
	signals[SIGNAL_SCAN] = g_signal_new("scan", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
					    G_TYPE_NONE, 2, ST_TYPE_DEVICE, ST_TYPE_SCAN);
	signals[SIGNAL_SCAN_LOST] =
		g_signal_new("scan-lost", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
			     2, ST_TYPE_DEVICE, G_TYPE_STRING);
	signals[SIGNAL_WEIGHT] = g_signal_new("weight", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
					      NULL, G_TYPE_NONE, 2, ST_TYPE_DEVICE, ST_TYPE_WEIGHT);
}

/**
 * st_device_set_new:
 * @configured: (element-type StDeviceInfo): the configured devices (the [device NAME]
 *   sections); emulated ones are made at start, the others bind USB devices as they appear
 * @usb_enabled: whether to use USB at all
 */
StDeviceSet *
st_device_set_new(GPtrArray *configured, gboolean usb_enabled)
{
	StDeviceSet *self = g_object_new(ST_TYPE_DEVICE_SET, NULL);
	for (guint i = 0; configured != NULL && i < configured->len; i++)
		g_ptr_array_add(self->configured,
				st_device_info_copy(g_ptr_array_index(configured, i)));
	self->usb_enabled = usb_enabled;
	return self;
}

/**
 * st_device_set_set_locate_func:
 * @func: (nullable): says where a configured device's key was written ("station.conf line
 *   12, [device scanner] driver"), for messages; the default names the group and key
 *
 * The configuration file is not the driver room's to read: the caller that loaded it says
 * where its keys are.
 */
void
st_device_set_set_locate_func(StDeviceSet *self, StDeviceSetLocateFunc func, gpointer user_data)
{
	self->locate = func;
	self->locate_data = user_data;
}
