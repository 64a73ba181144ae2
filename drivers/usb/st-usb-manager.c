/*
 * StUsbManager. GUsb enumerates the bus and follows hotplug on its own thread and emits
 * device-added/device-removed on the main context; everything here runs on the main thread.
 *
 * For each HID interface of a new device: its description (ids, serial, port path, class,
 * report descriptor), then the configured device it matches (all the match keys a [device]
 * group gives must match), then the drivers' probe. The device is created but not opened:
 * the owner (the daemon) opens it and wires its events. When the device goes away, every
 * StDevice made from it emits "removed"; when it comes back it is made again, with the same
 * configured name, so the bench goes on by itself.
 */
#define G_LOG_DOMAIN "station-usb"

#include <gusb.h>

#include "station/st-error.h"

#include "../hid/st-hid-descriptor.h"
#include "station/st-drivers.h"
#include "st-usb-hid.h"
#include "st-usb-known.h"
#include "st-usb-manager.h"

struct _StUsbManager {
	GObject parent_instance;
	GUsbContext *context;
	GPtrArray *configured; /* of StDeviceInfo */
	GHashTable *devices;   /* GUsbDevice -> GPtrArray of StDevice */
	GHashTable *described; /* "bus-address-if" -> gchar* line for `station devices` */
};

G_DEFINE_TYPE(StUsbManager, st_usb_manager, G_TYPE_OBJECT)

enum { SIGNAL_DEVICE_ADDED, SIGNAL_DEVICE_FAILED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

gboolean
st_usb_manager_is_option(const gchar *key)
{
	return g_strcmp0(key, ST_USB_OPTION_VID_PID) == 0 ||
	       g_strcmp0(key, ST_USB_OPTION_SERIAL) == 0 ||
	       g_strcmp0(key, ST_USB_OPTION_PORT_PATH) == 0;
}

/* "1-2.3": the bus, then the port on each hub from the root down */
static gchar *
st_usb_manager_port_path(GUsbDevice *usb)
{
	GString *path = g_string_new(NULL);
	g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func(g_object_unref);
	GUsbDevice *d = g_object_ref(usb);

	while (d != NULL) {
		GUsbDevice *parent = g_usb_device_get_parent(d);
		if (parent == NULL) {
			/* a root hub, or the top of what is known */
			if (chain->len == 0)
				g_ptr_array_add(chain, d);
			else
				g_object_unref(d);
			break;
		}
		g_ptr_array_add(chain, d);
		d = parent;
	}
	g_string_append_printf(path, "%u", g_usb_device_get_bus(usb));
	for (guint i = chain->len; i > 0; i--) {
		guint8 port = g_usb_device_get_port_number(g_ptr_array_index(chain, i - 1));
		if (port == 0)
			continue;
		g_string_append_printf(path, "%c%u", i == chain->len ? '-' : '.', port);
	}
	if (strchr(path->str, '-') == NULL)
		g_string_append_printf(path, "-addr%u", g_usb_device_get_address(usb));
	return g_string_free(path, FALSE);
}

/* the report descriptor length from the HID class descriptor in the interface's extra bytes */
static guint16
st_usb_manager_report_length(GUsbInterface *intf)
{
	GBytes *extra = g_usb_interface_get_extra(intf);
	gsize len = 0;
	const guint8 *buf = extra != NULL ? g_bytes_get_data(extra, &len) : NULL;
	return buf != NULL ? st_hid_class_descriptor_report_length(buf, len) : 0;
}

/*
 * The report descriptor as the kernel publishes it. usbfs lets a program send a control
 * request to an interface only if it can claim the interface, so while usbhid holds a device
 * (always, before the station has claimed it) GET_DESCRIPTOR fails with EBUSY; the HID core
 * exposes the same bytes in sysfs under the interface:
 * /sys/bus/usb/devices/<port path>:<configuration>.<interface>/<hid device>/report_descriptor
 */
static GBytes *
st_usb_manager_sysfs_report_descriptor(const gchar *port_path, guint8 config, guint8 ifnum)
{
	g_autofree gchar *intf_dir =
		g_strdup_printf("/sys/bus/usb/devices/%s:%u.%u", port_path, config, ifnum);
	g_autoptr(GDir) dir = g_dir_open(intf_dir, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path =
			g_build_filename(intf_dir, name, "report_descriptor", NULL);
		g_autofree gchar *data = NULL;
		gsize len = 0;
		/* the HID device's folder is named BUS:VID:PID.N, such as 0003:0922:8003.0001 */
		if (strchr(name, ':') == NULL || strchr(name, '.') == NULL)
			continue;
		if (g_file_get_contents(path, &data, &len, NULL) && len > 0 && len <= 4096)
			return g_bytes_new(data, len);
	}
	return NULL;
}

static gboolean
st_usb_manager_matches(const StDeviceInfo *configured, const StDeviceInfo *info)
{
	const gchar *vid_pid = st_device_info_get_option(configured, ST_USB_OPTION_VID_PID);
	const gchar *serial = st_device_info_get_option(configured, ST_USB_OPTION_SERIAL);
	const gchar *port = st_device_info_get_option(configured, ST_USB_OPTION_PORT_PATH);
	g_autofree gchar *ids = g_strdup_printf("%04x:%04x", info->vid, info->pid);

	if (vid_pid == NULL && serial == NULL && port == NULL)
		return FALSE;
	if (vid_pid != NULL && g_ascii_strcasecmp(vid_pid, ids) != 0)
		return FALSE;
	if (serial != NULL && g_strcmp0(serial, info->serial) != 0)
		return FALSE;
	if (port != NULL && g_strcmp0(port, info->port_path) != 0)
		return FALSE;
	return TRUE;
}

static void
st_usb_manager_add_interface(StUsbManager *self,
			     GUsbDevice *usb,
			     GUsbInterface *intf,
			     const gchar *serial,
			     const gchar *port_path,
			     GPtrArray *made)
{
	guint8 ifnum = g_usb_interface_get_number(intf);
	g_autofree gchar *key = g_strdup_printf("%u-%u-%u", g_usb_device_get_bus(usb),
						g_usb_device_get_address(usb), ifnum);
	g_autofree gchar *auto_id = g_strdup_printf("usb-%s-if%u", port_path, ifnum);
	g_autoptr(StDeviceInfo) info = st_device_info_new(auto_id, "usb");
	g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(StDevice) device = NULL;
	const StDeviceInfo *configured = NULL;
	const StDriver *driver = NULL;
	const StUsbKnownDevice *known;
	GString *line = g_string_new(NULL);
	g_autofree gchar *reason_text = NULL;

	info->vid = g_usb_device_get_vid(usb);
	info->pid = g_usb_device_get_pid(usb);
	info->serial = g_strdup(serial);
	info->port_path = g_strdup(port_path);
	info->interface_class = g_usb_interface_get_class(intf);
	info->interface_subclass = g_usb_interface_get_subclass(intf);
	info->interface_protocol = g_usb_interface_get_protocol(intf);
	info->handle = G_OBJECT(g_object_ref(usb));
	info->interface_number = ifnum;
	info->report_descriptor = st_usb_hid_read_report_descriptor(
		usb, ifnum, st_usb_manager_report_length(intf), &error);
	if (info->report_descriptor == NULL) {
		g_debug("%s: %s; trying sysfs", auto_id, error->message);
		g_clear_error(&error);
		info->report_descriptor = st_usb_manager_sysfs_report_descriptor(
			port_path, (guint8)MAX(g_usb_device_get_configuration(usb, NULL), 1),
			ifnum);
		if (info->report_descriptor == NULL)
			g_debug("%s: no report descriptor in sysfs either", auto_id);
	}
	for (guint i = 0; i < self->configured->len; i++) {
		const StDeviceInfo *c = g_ptr_array_index(self->configured, i);
		if (st_usb_manager_matches(c, info)) {
			configured = c;
			break;
		}
	}
	known = st_usb_known_lookup(info->vid, info->pid);
	g_string_append_printf(line, "usb %s if%u %04x:%04x", port_path, ifnum, info->vid,
			       info->pid);
	if (known != NULL)
		g_string_append_printf(line, " (%s)", known->model);
	if (serial != NULL)
		g_string_append_printf(line, " serial %s", serial);

	if (configured != NULL) {
		GHashTableIter iter;
		gpointer k, v;
		const gchar *driver_name = st_device_info_get_option(configured, "driver");
		g_free(info->id);
		info->id = g_strdup(configured->id);
		info->role = configured->role;
		info->configured = TRUE;
		g_hash_table_iter_init(&iter, configured->options);
		while (g_hash_table_iter_next(&iter, &k, &v)) {
			if (!st_usb_manager_is_option(k) && g_strcmp0(k, "driver") != 0)
				st_device_info_set_option(info, k, v);
		}
		driver = st_drivers_find(driver_name);
		if (driver != NULL) {
			g_autofree gchar *why = NULL;
			if (driver->probe(info, &why) == 0) {
				g_autofree gchar *msg =
					g_strdup_printf("%s: the configured driver %s does not "
							"take %04x:%04x at %s: %s",
							info->id, driver_name, info->vid, info->pid,
							port_path, why);
				g_warning("%s", msg);
				g_signal_emit(self, signals[SIGNAL_DEVICE_FAILED], 0, msg);
				g_string_append_printf(line,
						       ": configured as %s, refused by %s: %s",
						       info->id, driver_name, why);
				driver = NULL;
			} else {
				g_ptr_array_add(reasons,
						g_strdup_printf("%s: %s", driver_name, why));
			}
		}
	} else {
		driver = st_drivers_probe(info, reasons);
		if (driver != NULL && info->role == ST_DEVICE_ROLE_UNKNOWN)
			info->role = driver->role;
	}
	g_ptr_array_add(reasons, NULL);
	reason_text = g_strjoinv("; ", (gchar **)reasons->pdata);
	if (driver == NULL) {
		if (configured == NULL)
			g_string_append_printf(line, ": not used (%s)", reason_text);
		g_debug("%s", line->str);
		g_hash_table_replace(self->described, g_steal_pointer(&key),
				     g_string_free(line, FALSE));
		return;
	}
	device = driver->create(info, &error);
	if (device == NULL) {
		g_autofree gchar *msg =
			g_strdup_printf("%s (%04x:%04x at %s): %s", info->id, info->vid, info->pid,
					port_path, error->message);
		g_warning("%s", msg);
		g_signal_emit(self, signals[SIGNAL_DEVICE_FAILED], 0, msg);
		g_string_append_printf(line, ": %s could not be set up: %s", driver->name,
				       error->message);
		g_hash_table_replace(self->described, g_steal_pointer(&key),
				     g_string_free(line, FALSE));
		return;
	}
	g_string_append_printf(line, ": %s as %s by driver %s (%s)",
			       st_device_role_to_string(info->role), info->id, driver->name,
			       reason_text);
	g_info("%s", line->str);
	g_hash_table_replace(self->described, g_steal_pointer(&key), g_string_free(line, FALSE));
	g_ptr_array_add(made, g_object_ref(device));
}

static void
st_usb_manager_device_added_cb(GUsbContext *context, GUsbDevice *usb, gpointer user_data)
{
	StUsbManager *self = ST_USB_MANAGER(user_data);
	g_autoptr(GPtrArray) interfaces = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *serial = NULL;
	g_autofree gchar *port_path = st_usb_manager_port_path(usb);
	GPtrArray *made = g_ptr_array_new_with_free_func(g_object_unref);

	/* hubs and other classes are not ours; look only at devices with HID interfaces */
	interfaces = g_usb_device_get_interfaces(usb, &error);
	if (interfaces == NULL) {
		g_debug("usb %s: no interfaces: %s", port_path, error->message);
		g_ptr_array_unref(made);
		return;
	}
	{
		gboolean has_hid = FALSE;
		for (guint i = 0; i < interfaces->len; i++)
			has_hid |= g_usb_interface_get_class(g_ptr_array_index(interfaces, i)) ==
				   G_USB_DEVICE_CLASS_HID;
		if (!has_hid) {
			g_ptr_array_unref(made);
			return;
		}
	}
	if (!g_usb_device_open(usb, &error)) {
		g_autofree gchar *key = g_strdup_printf("%u-%u", g_usb_device_get_bus(usb),
							g_usb_device_get_address(usb));
		g_hash_table_replace(
			self->described, g_steal_pointer(&key),
			g_strdup_printf("usb %s %04x:%04x: cannot be opened (%s); a udev rule must "
					"give the station user access",
					port_path, g_usb_device_get_vid(usb),
					g_usb_device_get_pid(usb), error->message));
		g_ptr_array_unref(made);
		return;
	}
	if (g_usb_device_get_serial_number_index(usb) != 0)
		serial = g_usb_device_get_string_descriptor(
			usb, g_usb_device_get_serial_number_index(usb), NULL);
	for (guint i = 0; i < interfaces->len; i++) {
		GUsbInterface *intf = g_ptr_array_index(interfaces, i);
		if (g_usb_interface_get_class(intf) != G_USB_DEVICE_CLASS_HID ||
		    g_usb_interface_get_alternate(intf) != 0)
			continue;
		st_usb_manager_add_interface(self, usb, intf, serial, port_path, made);
	}
	g_usb_device_close(usb, NULL);
	g_hash_table_replace(self->devices, g_object_ref(usb), made);
	for (guint i = 0; i < made->len; i++)
		g_signal_emit(self, signals[SIGNAL_DEVICE_ADDED], 0, g_ptr_array_index(made, i));
}

static void
st_usb_manager_device_removed_cb(GUsbContext *context, GUsbDevice *usb, gpointer user_data)
{
	StUsbManager *self = ST_USB_MANAGER(user_data);
	GPtrArray *made = g_hash_table_lookup(self->devices, usb);
	GHashTableIter iter;
	gpointer key;
	g_autofree gchar *prefix =
		g_strdup_printf("%u-%u", g_usb_device_get_bus(usb), g_usb_device_get_address(usb));

	g_hash_table_iter_init(&iter, self->described);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		if (g_str_has_prefix(key, prefix))
			g_hash_table_iter_remove(&iter);
	}
	if (made == NULL)
		return;
	g_ptr_array_ref(made);
	g_hash_table_remove(self->devices, usb);
	for (guint i = 0; i < made->len; i++)
		st_device_emit_removed(g_ptr_array_index(made, i));
	g_ptr_array_unref(made);
}

/**
 * st_usb_manager_start:
 *
 * Opens libusb and enumerates the bus; "device-added" is emitted for every device already
 * there, then for each one plugged in later.
 *
 * Returns: FALSE with ST_ERROR_NOT_SUPPORTED when this machine has no usable USB
 */
gboolean
st_usb_manager_start(StUsbManager *self, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	self->context = g_usb_context_new(&error_local);
	if (self->context == NULL) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_NOT_SUPPORTED, "no USB access: %s",
			    error_local->message);
		return FALSE;
	}
	g_signal_connect(self->context, "device-added", G_CALLBACK(st_usb_manager_device_added_cb),
			 self);
	g_signal_connect(self->context, "device-removed",
			 G_CALLBACK(st_usb_manager_device_removed_cb), self);
	g_usb_context_enumerate(self->context);
	return TRUE;
}

/* g_ptr_array_sort() passes pointers to the elements */
static gint
st_compare_strings(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* Returns: (transfer container) (element-type utf8): one line per HID interface seen */
GPtrArray *
st_usb_manager_describe(StUsbManager *self)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, self->described);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_ptr_array_add(lines, g_strdup(value));
	g_ptr_array_sort(lines, st_compare_strings);
	return lines;
}

static void
st_usb_manager_dispose(GObject *object)
{
	StUsbManager *self = ST_USB_MANAGER(object);
	if (self->context != NULL)
		g_signal_handlers_disconnect_by_data(self->context, self);
	g_hash_table_remove_all(self->devices);
	/* each GUsbDevice holds its context and the context lists its devices: only an
	 * explicit dispose breaks that cycle, stops GUsb's event thread and exits libusb */
	if (self->context != NULL)
		g_object_run_dispose(G_OBJECT(self->context));
	g_clear_object(&self->context);
	G_OBJECT_CLASS(st_usb_manager_parent_class)->dispose(object);
}

static void
st_usb_manager_finalize(GObject *object)
{
	StUsbManager *self = ST_USB_MANAGER(object);
	g_ptr_array_unref(self->configured);
	g_hash_table_unref(self->devices);
	g_hash_table_unref(self->described);
	G_OBJECT_CLASS(st_usb_manager_parent_class)->finalize(object);
}

static void
st_usb_manager_init(StUsbManager *self)
{
	self->devices = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref,
					      (GDestroyNotify)g_ptr_array_unref);
	self->described = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static void
st_usb_manager_class_init(StUsbManagerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = st_usb_manager_dispose;
	object_class->finalize = st_usb_manager_finalize;
	/* ::device-added (StDevice *device): made, not opened */
	signals[SIGNAL_DEVICE_ADDED] =
		g_signal_new("device-added", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			     NULL, NULL, G_TYPE_NONE, 1, ST_TYPE_DEVICE);
	/* ::device-failed (const gchar *message): a device that could not be set up */
	signals[SIGNAL_DEVICE_FAILED] =
		g_signal_new("device-failed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			     NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

/**
 * st_usb_manager_new:
 * @configured: (element-type StDeviceInfo): the configured USB devices, with their driver
 *   and match options (copied)
 */
StUsbManager *
st_usb_manager_new(GPtrArray *configured)
{
	StUsbManager *self = g_object_new(ST_TYPE_USB_MANAGER, NULL);
	self->configured = g_ptr_array_new_with_free_func((GDestroyNotify)st_device_info_free);
	for (guint i = 0; configured != NULL && i < configured->len; i++)
		g_ptr_array_add(self->configured,
				st_device_info_copy(g_ptr_array_index(configured, i)));
	return self;
}
