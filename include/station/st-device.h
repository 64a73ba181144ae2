/*
 * The device and driver contract: the one interface between drivers/ and the rest of
 * station. A driver looks at a description of a device (StDeviceInfo) and says whether it
 * takes it (probe), makes an StDevice for it (create); the device is opened, emits events on
 * the main loop (scan, weight, scan-lost, removed) and is closed. Workflows see only StDevice
 * and its events, never libusb.
 *
 * Threading: every function and every signal here runs on the thread of the GMainContext that
 * was the thread-default when the device was created (the daemon's main thread). Drivers that
 * use helper threads hand their results to that context before emitting.
 */
#pragma once

#include <gio/gio.h>

#include "st-scan.h"
#include "st-weight.h"

G_BEGIN_DECLS

typedef enum {
	ST_DEVICE_ROLE_UNKNOWN,
	ST_DEVICE_ROLE_SCANNER,
	ST_DEVICE_ROLE_SCALE,
} StDeviceRole;

typedef enum {
	ST_FEEDBACK_GOOD, /* scan accepted: good-read beep / green LED */
	ST_FEEDBACK_BAD,  /* scan refused: error tone / red LED */
} StFeedback;

const gchar *
st_device_role_to_string(StDeviceRole role);
StDeviceRole
st_device_role_from_string(const gchar *role);

/**
 * StDeviceInfo:
 * @id: the name the station uses for the device in logs and in stored scans: the
 *   config section's name when configured, otherwise one derived from the bus and port
 * @bus: "usb" or "emulated"
 * @vid, @pid: USB vendor and product id (0 for emulated devices)
 * @serial: (nullable): USB serial number string
 * @port_path: (nullable): USB port path such as "1-2.3"
 * @interface_number, @interface_class, @interface_subclass, @interface_protocol: of the
 *   HID interface
 * @report_descriptor: (nullable): the HID report descriptor as read from the device
 * @role: the role the configuration gives the device, or UNKNOWN
 * @configured: TRUE when a [device] group of the configuration names this device; drivers
 *   of devices that could also be ordinary input devices (keyboards) take only these
 * @options: (element-type utf8 utf8): driver options from the configuration (layout,
 *   terminator, inter-key-timeout, script, ...); a driver rejects options it does not know
 * @handle: (nullable): the bus's own object for the device, referenced: a GUsbDevice for
 *   "usb"; NULL for emulated devices
 *
 * What a driver is told about a device before it decides whether to take it. Plain data: the
 * core fills it from the bus and the configuration; drivers only read it.
 */
typedef struct {
	gchar *id;
	gchar *bus;
	guint16 vid;
	guint16 pid;
	gchar *serial;
	gchar *port_path;
	guint8 interface_number;
	guint8 interface_class;
	guint8 interface_subclass;
	guint8 interface_protocol;
	GBytes *report_descriptor;
	StDeviceRole role;
	gboolean configured;
	GHashTable *options;
	GObject *handle;
} StDeviceInfo;

StDeviceInfo *
st_device_info_new(const gchar *id, const gchar *bus);
StDeviceInfo *
st_device_info_copy(const StDeviceInfo *self);
void
st_device_info_free(StDeviceInfo *self);
void
st_device_info_set_option(StDeviceInfo *self, const gchar *key, const gchar *value);
const gchar *
st_device_info_get_option(const StDeviceInfo *self, const gchar *key);
gboolean
st_device_info_check_options(const StDeviceInfo *self,
			     const gchar *driver,
			     const gchar *const *allowed,
			     const gchar *const *also_allowed,
			     GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StDeviceInfo, st_device_info_free)

#define ST_TYPE_DEVICE (st_device_get_type())
G_DECLARE_DERIVABLE_TYPE(StDevice, st_device, ST, DEVICE, GObject)

/**
 * StDeviceClass:
 * @open: claim the device and start reading. Called once, on the main thread, before any
 *   event. Returns FALSE and sets @error (ST_ERROR_BUSY if another process holds the
 *   device, ST_ERROR_NO_DEVICE if it went away, ST_ERROR_INVALID_CONFIG for a bad option)
 *   and leaves the device closed. May emit events only after returning TRUE.
 * @close: stop reading, cancel pending transfers and give the device back (re-attaching a
 *   kernel driver that @open detached). Called once after a successful @open, also when the
 *   device was removed. Must not emit events once it returns; a scan that was only partly
 *   read is reported with scan-lost. Returns FALSE with @error only if the device could not
 *   be given back cleanly; the device counts as closed either way.
 * @feedback: (nullable): drive the device's beeper or LED. NULL, or ST_ERROR_NOT_SUPPORTED,
 *   when the device has no way to signal.
 * @describe: (nullable): append driver-specific facts ("layout us, terminator enter") to
 *   @str for `station devices`.
 * @zero: (nullable): zero (tare) a scale. NULL, or ST_ERROR_NOT_SUPPORTED, when the device
 *   cannot be zeroed from the host.
 *
 * Events, emitted by the driver through the st_device_emit_*() helpers, on the main thread:
 * - "scan" (StScan *): one complete barcode read
 * - "weight" (StWeight *): the scale's reading changed
 * - "scan-lost" (const gchar *reason): a partial scan was dropped (unplug, garbled report)
 * - "removed": the device went away; the owner closes and drops it
 */
struct _StDeviceClass {
	GObjectClass parent_class;
	gboolean (*open)(StDevice *self, GError **error);
	gboolean (*close)(StDevice *self, GError **error);
	gboolean (*feedback)(StDevice *self, StFeedback feedback, GError **error);
	void (*describe)(StDevice *self, GString *str);
	gboolean (*zero)(StDevice *self, GError **error);
	gpointer padding[7];
};

const gchar *
st_device_get_id(StDevice *self);
const gchar *
st_device_get_driver_name(StDevice *self);
StDeviceRole
st_device_get_role(StDevice *self);
const StDeviceInfo *
st_device_get_info(StDevice *self);
gboolean
st_device_is_open(StDevice *self);
gboolean
st_device_is_removed(StDevice *self);

gboolean
st_device_open(StDevice *self, GError **error);
gboolean
st_device_close(StDevice *self, GError **error);
gboolean
st_device_has_feedback(StDevice *self);
gboolean
st_device_feedback(StDevice *self, StFeedback feedback, GError **error);
gchar *
st_device_describe(StDevice *self);
gboolean
st_device_zero(StDevice *self, GError **error);
gboolean
st_device_get_weight(StDevice *self, StWeight *weight);
gboolean
st_device_get_stable_weight(StDevice *self, StWeight *weight);

/* for drivers */
void
st_device_emit_scan(StDevice *self, StScan *scan);
void
st_device_emit_weight(StDevice *self, const StWeight *weight);
void
st_device_emit_scan_lost(StDevice *self, const gchar *reason);
void
st_device_emit_removed(StDevice *self);

/**
 * StDriver:
 * @name: short name used in configuration (`driver = keyboard`) and in `station devices`
 * @description: one line for humans
 * @role: what the devices it makes are for, unless the configuration says otherwise
 * @probe: decide whether this driver takes the device described by @info. Pure: no I/O, no
 *   side effects, callable from any thread. Returns 0 when it does not, otherwise a score
 *   (higher wins: 100 for a VID:PID table match or an explicit configuration, 50 for a
 *   match on the interface or report descriptor). Sets @reason (transfer full) to a sentence
 *   that says why it did or did not take the device, shown by `station devices`.
 * @create: make the device object for @info, not yet opened. Validates @info's options and
 *   fails with ST_ERROR_INVALID_CONFIG naming the option. Called on the main thread.
 */
typedef struct {
	const gchar *name;
	const gchar *description;
	StDeviceRole role;
	guint (*probe)(const StDeviceInfo *info, gchar **reason);
	StDevice *(*create)(const StDeviceInfo *info, GError **error);
} StDriver;

G_END_DECLS
