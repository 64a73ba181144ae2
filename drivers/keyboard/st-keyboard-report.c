/*
 * Keyboard input reports through the report descriptor (see st-keyboard-report.h). The HID
 * Usage Tables give the keyboard page's usages: 0x04-0xDD keys, 0xE0-0xE7 the eight
 * modifiers, which the boot report's first byte holds bit by bit in that order; 0x01 is the
 * rollover error a key array carries when too many keys are down.
 */
#include <string.h>

#include "station/st-error.h"

#include "../hid/st-hid-descriptor.h"
#include "st-keyboard-report.h"

#define ST_KEYBOARD_PAGE 0x07

struct _StKeyboardReport {
	StHidDescriptor *descriptor;
	guint8 report_id;
	const StHidField *modifiers[8]; /* the variable field of each modifier, or NULL */
	guint modifier_index[8];
	const StHidField *keys;	  /* an array of key usages, or NULL */
	const StHidField *bitmap; /* a variable field of one bit a key, or NULL */
};

void
st_keyboard_report_free(StKeyboardReport *self)
{
	if (self == NULL)
		return;
	st_hid_descriptor_free(self->descriptor);
	g_free(self);
}

guint8
st_keyboard_report_get_id(const StKeyboardReport *self)
{
	return self->report_id;
}

/* TRUE if @field is an Input of the keyboard page */
static gboolean
st_keyboard_report_is_key_field(const StHidField *f)
{
	guint32 first = st_hid_field_get_usage(f, 0);
	return f->type == ST_HID_REPORT_INPUT && !(f->flags & ST_HID_FLAG_CONSTANT) &&
	       (ST_HID_USAGE_PAGE(first) == ST_KEYBOARD_PAGE ||
		ST_HID_USAGE_PAGE(f->usage_min) == ST_KEYBOARD_PAGE);
}

/**
 * st_keyboard_report_new:
 *
 * Returns: (transfer full): how to read the keyboard's reports, or NULL with
 *   ST_ERROR_NOT_SUPPORTED when the descriptor has no keyboard input report the station can
 *   read (ST_ERROR_INVALID_DATA when it is not a descriptor at all)
 */
StKeyboardReport *
st_keyboard_report_new(const guint8 *descriptor, gsize len, GError **error)
{
	g_autoptr(StKeyboardReport) self = g_new0(StKeyboardReport, 1);
	gboolean found_id = FALSE;

	self->descriptor = st_hid_descriptor_parse(descriptor, len, error);
	if (self->descriptor == NULL)
		return NULL;
	for (guint i = 0; i < self->descriptor->fields->len; i++) {
		const StHidField *f = g_ptr_array_index(self->descriptor->fields, i);
		if (!st_keyboard_report_is_key_field(f))
			continue;
		/* the first keyboard report found is the one read; the same id for every part */
		if (found_id && f->report_id != self->report_id)
			continue;
		self->report_id = f->report_id;
		found_id = TRUE;
		if (f->flags & ST_HID_FLAG_VARIABLE) {
			for (guint e = 0; e < f->count; e++) {
				guint32 u = st_hid_field_get_usage(f, e);
				guint16 id = (guint16)(u & 0xffff);
				if (ST_HID_USAGE_PAGE(u) != ST_KEYBOARD_PAGE)
					continue;
				if (id >= 0xE0 && id <= 0xE7 && f->bit_size == 1) {
					self->modifiers[id - 0xE0] = f;
					self->modifier_index[id - 0xE0] = e;
				} else if (id >= 0x04 && id < 0xE0 && f->bit_size == 1 &&
					   self->bitmap == NULL) {
					self->bitmap = f;
				}
			}
		} else if (f->bit_size == 8 && self->keys == NULL) {
			self->keys = f;
		}
	}
	if (self->keys == NULL && self->bitmap == NULL) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_NOT_SUPPORTED,
			    "the report descriptor has no keyboard keys (usage page 0x07 as an "
			    "array of 8-bit usages or one bit a key)");
		return NULL;
	}
	return g_steal_pointer(&self);
}

/**
 * st_keyboard_report_to_boot:
 * @is_keyboard: (out): FALSE when @buf is another report of the device (left out)
 *
 * Reads the modifiers and up to six keys down from one input report into @boot. With more
 * than six keys down the boot report says so as a rollover error, as a boot keyboard does.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA when the keyboard's report is too short
 */
gboolean
st_keyboard_report_to_boot(const StKeyboardReport *self,
			   const guint8 *buf,
			   gsize len,
			   guint8 boot[8],
			   gboolean *is_keyboard,
			   GError **error)
{
	gboolean ids = self->descriptor->has_report_ids;
	guint n = 0;
	gint64 v;

	*is_keyboard = FALSE;
	memset(boot, 0, 8);
	if (len == 0 || (ids && buf[0] != self->report_id))
		return TRUE;
	*is_keyboard = TRUE;
	for (guint m = 0; m < 8; m++) {
		if (self->modifiers[m] == NULL)
			continue;
		if (!st_hid_field_read(self->modifiers[m], ids, self->modifier_index[m], buf, len,
				       &v, error))
			return FALSE;
		if (v != 0)
			boot[0] |= (guint8)(1u << m);
	}
	if (self->keys != NULL) {
		for (guint e = 0; e < self->keys->count; e++) {
			if (!st_hid_field_read(self->keys, ids, e, buf, len, &v, error))
				return FALSE;
			/* an array's value selects a usage: of its Usage list, or of its range
			 * from Usage Minimum, counted from Logical Minimum */
			if (v < self->keys->logical_min)
				continue;
			if (self->keys->usages->len > 0) {
				guint i = (guint)(v - self->keys->logical_min);
				if (i >= self->keys->usages->len)
					continue;
				v = g_array_index(self->keys->usages, guint32, i) & 0xffff;
			} else {
				v = v - self->keys->logical_min +
				    (gint64)(self->keys->usage_min & 0xffff);
			}
			if (v <= 0 || v > 0xff)
				continue;
			if (n < 6)
				boot[2 + n] = (guint8)v;
			n++;
		}
	}
	if (self->bitmap != NULL) {
		for (guint e = 0; e < self->bitmap->count; e++) {
			guint32 u = st_hid_field_get_usage(self->bitmap, e);
			guint16 id = (guint16)(u & 0xffff);
			if (ST_HID_USAGE_PAGE(u) != ST_KEYBOARD_PAGE || id < 0x04 || id >= 0xE0)
				continue;
			if (!st_hid_field_read(self->bitmap, ids, e, buf, len, &v, error))
				return FALSE;
			if (v == 0)
				continue;
			if (n < 6)
				boot[2 + n] = (guint8)id;
			n++;
		}
	}
	if (n > 6)
		memset(boot + 2, 0x01, 6); /* ErrorRollOver, as a boot keyboard reports it */
	return TRUE;
}
