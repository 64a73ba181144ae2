/*
 * A HID report descriptor, parsed: its application collections and, for every Input,
 * Output and Feature item, where the field sits in which report and which usages it carries.
 * Drivers read fields through it instead of hard-coding byte offsets.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ST_HID_USAGE(page, id)	 (((guint32)(page) << 16) | (guint32)(id))
#define ST_HID_USAGE_PAGE(usage) ((guint16)((usage) >> 16))

typedef enum {
	ST_HID_REPORT_INPUT,
	ST_HID_REPORT_OUTPUT,
	ST_HID_REPORT_FEATURE,
	ST_HID_REPORT_LAST,
} StHidReportType;

/* Input/Output/Feature item flags (HID 1.11, 6.2.2.5) */
#define ST_HID_FLAG_CONSTANT 0x01
#define ST_HID_FLAG_VARIABLE 0x02
#define ST_HID_FLAG_RELATIVE 0x04

typedef struct {
	StHidReportType type;
	guint8 report_id;  /* 0 when the descriptor uses no report ids */
	guint bit_offset;  /* from the first bit after the report id byte */
	guint bit_size;	   /* of one element */
	guint count;	   /* elements */
	guint flags;	   /* ST_HID_FLAG_* */
	GArray *usages;	   /* guint32 page<<16|id, one per element or fewer (last repeats) */
	guint32 usage_min; /* for arrays and ranges; 0 if none */
	guint32 usage_max;
	gint32 logical_min;
	gint32 logical_max;
	gint8 unit_exponent;
	guint32 application; /* usage of the enclosing application collection */
} StHidField;

typedef struct {
	GPtrArray *fields;    /* of StHidField */
	GArray *applications; /* guint32 usages of the top-level application collections */
	gboolean has_report_ids;
} StHidDescriptor;

StHidDescriptor *
st_hid_descriptor_parse(const guint8 *buf, gsize bufsz, GError **error);
void
st_hid_descriptor_free(StHidDescriptor *self);
gboolean
st_hid_descriptor_has_application(const StHidDescriptor *self, guint32 usage);
gboolean
st_hid_descriptor_has_usage_page(const StHidDescriptor *self, guint16 page);
const StHidField *
st_hid_descriptor_find(const StHidDescriptor *self,
		       StHidReportType type,
		       guint32 usage,
		       guint *index);
guint
st_hid_descriptor_report_bytes(const StHidDescriptor *self, StHidReportType type, guint8 id);
gboolean
st_hid_field_read(const StHidField *field,
		  gboolean has_report_ids,
		  guint index,
		  const guint8 *report,
		  gsize report_len,
		  gint64 *value,
		  GError **error);
guint32
st_hid_field_get_usage(const StHidField *field, guint index);
gchar *
st_hid_descriptor_to_string(const StHidDescriptor *self);
guint16
st_hid_class_descriptor_report_length(const guint8 *buf, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StHidDescriptor, st_hid_descriptor_free)

G_END_DECLS
