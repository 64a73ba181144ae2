/*
 * StKeyboardUsbDevice: a keyboard-wedge scanner read directly over USB. The interface is
 * claimed with the kernel driver detached, so what the scanner types reaches the station
 * only and never leaks into a focused window; it is re-attached when the station lets go.
 * Reports go to the same StKeyboardScanner the emulated device uses, as boot reports: read
 * through the report descriptor when the device has one with a keyboard report (a scanner
 * that is not a boot keyboard, or that puts its keys behind a report id), else taken as
 * boot reports.
 */
#define G_LOG_DOMAIN "station-keyboard"

#include "station/st-error.h"

#include "../usb/st-usb-hid-device.h"
#include "../usb/st-usb-known.h"
#include "st-hid-keyboard.h"
#include "st-keyboard-report.h"
#include "st-keyboard-scanner.h"
#include "st-keyboard-usb-device.h"

struct _StKeyboardUsbDevice {
	StUsbHidDevice parent_instance;
	StKeyboardScanner *scanner;
	StKeyboardReport *report; /* (nullable): the descriptor's keyboard report */
	guint refused;		  /* reports refused, for rate-limited messages */
};

G_DEFINE_TYPE(StKeyboardUsbDevice, st_keyboard_usb_device, ST_TYPE_USB_HID_DEVICE)

static void
st_keyboard_usb_device_report(StUsbHidDevice *device, const guint8 *buf, gsize len)
{
	StKeyboardUsbDevice *self = ST_KEYBOARD_USB_DEVICE(device);
	if (self->report != NULL) {
		guint8 boot[ST_HID_BOOT_REPORT_SIZE];
		gboolean is_keyboard = FALSE;
		g_autoptr(GError) error = NULL;
		if (!st_keyboard_report_to_boot(self->report, buf, len, boot, &is_keyboard,
						&error)) {
			if (self->refused++ % 100 == 0)
				g_message("%s: report refused (%u so far): %s",
					  st_device_get_id(ST_DEVICE(self)), self->refused,
					  error->message);
			return;
		}
		if (is_keyboard)
			st_keyboard_scanner_push_report(self->scanner, boot, sizeof(boot));
		return;
	}
	/* some scanners send longer reports than the boot 8 bytes: keep the boot part */
	if (len > ST_HID_BOOT_REPORT_SIZE)
		len = ST_HID_BOOT_REPORT_SIZE;
	st_keyboard_scanner_push_report(self->scanner, buf, len);
}

static void
st_keyboard_usb_device_abort(StUsbHidDevice *device, const gchar *why)
{
	st_keyboard_scanner_abort(ST_KEYBOARD_USB_DEVICE(device)->scanner, why);
}

static void
st_keyboard_usb_device_describe(StDevice *device, GString *str)
{
	StKeyboardUsbDevice *self = ST_KEYBOARD_USB_DEVICE(device);
	st_usb_hid_device_describe_bus(ST_USB_HID_DEVICE(device), str);
	st_keyboard_scanner_describe(self->scanner, str);
}

static void
st_keyboard_usb_device_finalize(GObject *object)
{
	StKeyboardUsbDevice *self = ST_KEYBOARD_USB_DEVICE(object);
	st_keyboard_report_free(self->report);
	st_keyboard_scanner_free(self->scanner);
	G_OBJECT_CLASS(st_keyboard_usb_device_parent_class)->finalize(object);
}

static void
st_keyboard_usb_device_init(StKeyboardUsbDevice *self)
{
}

static void
st_keyboard_usb_device_class_init(StKeyboardUsbDeviceClass *klass)
{
	StUsbHidDeviceClass *hid_class = ST_USB_HID_DEVICE_CLASS(klass);
	G_OBJECT_CLASS(klass)->finalize = st_keyboard_usb_device_finalize;
	ST_DEVICE_CLASS(klass)->describe = st_keyboard_usb_device_describe;
	hid_class->report = st_keyboard_usb_device_report;
	hid_class->abort = st_keyboard_usb_device_abort;
}

/* the device's keyboard report from its descriptor, or NULL */
static StKeyboardReport *
st_keyboard_usb_report(const StDeviceInfo *info)
{
	gsize len = 0;
	const guint8 *desc = info->report_descriptor != NULL
				     ? g_bytes_get_data(info->report_descriptor, &len)
				     : NULL;
	return desc != NULL ? st_keyboard_report_new(desc, len, NULL) : NULL;
}

static guint
st_keyboard_usb_driver_probe(const StDeviceInfo *info, gchar **reason)
{
	const StUsbKnownDevice *known;
	gboolean boot;

	if (g_strcmp0(info->bus, "usb") != 0) {
		*reason = g_strdup("not a USB device");
		return 0;
	}
	boot = info->interface_class == 0x03 && info->interface_subclass == 0x01 &&
	       info->interface_protocol == 0x01;
	if (!boot) {
		g_autoptr(StKeyboardReport) report = NULL;
		if (info->interface_class != 0x03 ||
		    (report = st_keyboard_usb_report(info)) == NULL) {
			*reason = g_strdup("neither a boot-keyboard HID interface nor a report "
					   "descriptor with keyboard keys");
			return 0;
		}
	}
	if (info->configured) {
		*reason = g_strdup(boot ? "boot keyboard named in the configuration"
					: "keyboard (by its report descriptor) named in the "
					  "configuration");
		return 100;
	}
	known = st_usb_known_lookup(info->vid, info->pid);
	if (known != NULL && g_strcmp0(known->driver, "keyboard") == 0) {
		*reason = g_strdup_printf("known scanner: %s", known->model);
		return 100;
	}
	*reason = g_strdup("a keyboard not named in the configuration is left to the system; "
			   "to use it as a scanner, add a [device NAME] group with its vid-pid, "
			   "serial or port-path and driver = keyboard");
	return 0;
}

static StDevice *
st_keyboard_usb_driver_create(const StDeviceInfo *info, GError **error)
{
	g_autoptr(StKeyboardUsbDevice) self = NULL;

	if (!st_device_info_check_options(info, st_keyboard_usb_driver.name,
					  st_keyboard_scanner_options, NULL, error))
		return NULL;
	self = ST_KEYBOARD_USB_DEVICE(st_usb_hid_device_new(ST_TYPE_KEYBOARD_USB_DEVICE,
							    &st_keyboard_usb_driver, info, error));
	if (self == NULL)
		return NULL;
	self->scanner = st_keyboard_scanner_new(ST_DEVICE(self), info, error);
	if (self->scanner == NULL)
		return NULL;
	self->report = st_keyboard_usb_report(info);
	return ST_DEVICE(g_steal_pointer(&self));
}

const StDriver st_keyboard_usb_driver = {
	.name = "keyboard",
	.description = "keyboard-wedge barcode scanners on USB (a boot keyboard, or a HID "
		       "keyboard by its report descriptor), any layout",
	.role = ST_DEVICE_ROLE_SCANNER,
	.probe = st_keyboard_usb_driver_probe,
	.create = st_keyboard_usb_driver_create,
};
