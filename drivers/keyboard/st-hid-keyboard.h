/*
 * Usages of the HID Keyboard/Keypad page (0x07) and their Linux input key codes, which is
 * what xkbcommon's evdev keymaps are indexed by (plus 8). Facts from the HID Usage Tables
 * 1.4, section 10, and linux/input-event-codes.h.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ST_HID_BOOT_REPORT_SIZE	    8
#define ST_HID_USAGE_ERROR_ROLLOVER 0x01
#define ST_HID_USAGE_ENTER	    0x28
#define ST_HID_USAGE_TAB	    0x2B

/* bits of the boot report's modifier byte, usages 0xE0..0xE7 */
#define ST_HID_MOD_LCTRL  0x01
#define ST_HID_MOD_LSHIFT 0x02
#define ST_HID_MOD_LALT	  0x04
#define ST_HID_MOD_LGUI	  0x08
#define ST_HID_MOD_RCTRL  0x10
#define ST_HID_MOD_RSHIFT 0x20
#define ST_HID_MOD_RALT	  0x40
#define ST_HID_MOD_RGUI	  0x80

guint
st_hid_keyboard_usage_to_evdev(guint8 usage);
guint8
st_hid_keyboard_evdev_to_usage(guint evdev);
guint
st_hid_keyboard_modifier_to_evdev(guint bit);

G_END_DECLS
