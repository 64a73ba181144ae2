/*
 * The HID report descriptor parser (HID 1.11, section 6.2.2). Items are read through
 * bounds-checked accessors; every limit that a hostile or broken device could push
 * (nesting, push depth, field count, report length, usages per field) is capped and refused
 * with a message rather than allocated.
 */
#include <string.h>

#include "station/st-error.h"

#include "st-hid-descriptor.h"

#define ST_HID_MAX_DEPTH	32
#define ST_HID_MAX_PUSH		8
#define ST_HID_MAX_FIELDS	1024
#define ST_HID_MAX_USAGES	1024
#define ST_HID_MAX_REPORT_BITS	(4096 * 8)
#define ST_HID_MAX_ELEMENT_BITS 32
#define ST_HID_MAX_DESCRIPTOR	4096

typedef struct {
	guint16 usage_page;
	gint32 logical_min;
	gint32 logical_max;
	gboolean logical_min_negative;
	guint32 logical_max_raw;
	guint logical_max_size;
	gint8 unit_exponent;
	guint report_size;
	guint report_count;
	guint8 report_id;
} StHidGlobals;

typedef struct {
	StHidDescriptor *desc;
	StHidGlobals globals;
	StHidGlobals stack[ST_HID_MAX_PUSH];
	guint stack_depth;
	GArray *usages; /* local usages of the next main item */
	guint32 usage_min;
	guint32 usage_max;
	gboolean have_min, have_max;
	guint depth;
	guint32 application[ST_HID_MAX_DEPTH + 1];
	/* bits used so far, per report type and id */
	guint bits[ST_HID_REPORT_LAST][256];
} StHidParser;

static void
st_hid_field_free(StHidField *field)
{
	if (field->usages != NULL)
		g_array_unref(field->usages);
	g_free(field);
}

void
st_hid_descriptor_free(StHidDescriptor *self)
{
	if (self == NULL)
		return;
	g_ptr_array_unref(self->fields);
	g_array_unref(self->applications);
	g_free(self);
}

static guint32
st_hid_item_unsigned(const guint8 *data, guint size)
{
	guint32 v = 0;
	for (guint i = 0; i < size; i++)
		v |= (guint32)data[i] << (8 * i);
	return v;
}

static gint32
st_hid_item_signed(const guint8 *data, guint size)
{
	guint32 v = st_hid_item_unsigned(data, size);
	if (size == 1)
		return (gint8)v;
	if (size == 2)
		return (gint16)v;
	if (size == 4)
		return (gint32)v;
	return 0;
}

static guint32
st_hid_full_usage(StHidParser *p, guint32 value, guint size)
{
	/* a 4-byte usage carries its own page */
	if (size == 4)
		return value;
	return ST_HID_USAGE(p->globals.usage_page, value & 0xffff);
}

static void
st_hid_reset_locals(StHidParser *p)
{
	g_array_set_size(p->usages, 0);
	p->usage_min = p->usage_max = 0;
	p->have_min = p->have_max = FALSE;
}

static gboolean
st_hid_add_field(StHidParser *p, StHidReportType type, guint32 flags, GError **error)
{
	StHidField *field;
	guint total;
	guint *bits = &p->bits[type][p->globals.report_id];

	if (p->globals.report_size > ST_HID_MAX_ELEMENT_BITS && p->globals.report_count > 1) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "report size of %u bits per element is not supported",
			    p->globals.report_size);
		return FALSE;
	}
	if (p->globals.report_count > ST_HID_MAX_REPORT_BITS ||
	    p->globals.report_size > ST_HID_MAX_REPORT_BITS) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "report count %u too large", p->globals.report_count);
		return FALSE;
	}
	total = p->globals.report_size * p->globals.report_count;
	if (*bits + total > ST_HID_MAX_REPORT_BITS) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "report %u would be longer than %u bytes", p->globals.report_id,
			    ST_HID_MAX_REPORT_BITS / 8);
		return FALSE;
	}
	if (p->desc->fields->len >= ST_HID_MAX_FIELDS) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA, "more than %u fields",
			    ST_HID_MAX_FIELDS);
		return FALSE;
	}
	if (total > 0) {
		field = g_new0(StHidField, 1);
		field->type = type;
		field->report_id = p->globals.report_id;
		field->bit_offset = *bits;
		field->bit_size = p->globals.report_size;
		field->count = p->globals.report_count;
		field->flags = flags;
		field->usages = g_array_copy(p->usages);
		field->usage_min = p->have_min ? p->usage_min : 0;
		field->usage_max = p->have_max ? p->usage_max : 0;
		field->logical_min = p->globals.logical_min;
		/* a logical maximum is signed only when the minimum is negative */
		field->logical_max =
			p->globals.logical_min_negative
				? p->globals.logical_max
				: (gint32)MIN(p->globals.logical_max_raw, (guint32)G_MAXINT32);
		field->unit_exponent = p->globals.unit_exponent;
		field->application = p->application[MIN(p->depth, 1)];
		g_ptr_array_add(p->desc->fields, field);
	}
	*bits += total;
	return TRUE;
}

static gboolean
st_hid_main_item(StHidParser *p, guint tag, const guint8 *data, guint size, GError **error)
{
	guint32 value = st_hid_item_unsigned(data, size);

	switch (tag) {
	case 0x8: /* Input */
		if (!st_hid_add_field(p, ST_HID_REPORT_INPUT, value, error))
			return FALSE;
		break;
	case 0x9: /* Output */
		if (!st_hid_add_field(p, ST_HID_REPORT_OUTPUT, value, error))
			return FALSE;
		break;
	case 0xB: /* Feature */
		if (!st_hid_add_field(p, ST_HID_REPORT_FEATURE, value, error))
			return FALSE;
		break;
	case 0xA: { /* Collection */
		guint32 usage = p->usages->len > 0 ? g_array_index(p->usages, guint32, 0)
						   : (p->have_min ? p->usage_min : 0);
		if (p->depth >= ST_HID_MAX_DEPTH) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "collections nested deeper than %d", ST_HID_MAX_DEPTH);
			return FALSE;
		}
		p->depth++;
		p->application[p->depth] = usage;
		/* 0x01 = Application: at top level it names what the device is */
		if (p->depth == 1 && (value & 0xff) == 0x01)
			g_array_append_val(p->desc->applications, usage);
		break;
	}
	case 0xC: /* End Collection */
		if (p->depth == 0) {
			g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
					    "End Collection without a Collection");
			return FALSE;
		}
		p->depth--;
		break;
	default:
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "unknown main item tag 0x%x", tag);
		return FALSE;
	}
	st_hid_reset_locals(p);
	return TRUE;
}

static gboolean
st_hid_global_item(StHidParser *p, guint tag, const guint8 *data, guint size, GError **error)
{
	guint32 value = st_hid_item_unsigned(data, size);

	switch (tag) {
	case 0x0:
		p->globals.usage_page = (guint16)value;
		break;
	case 0x1:
		p->globals.logical_min = st_hid_item_signed(data, size);
		p->globals.logical_min_negative = p->globals.logical_min < 0;
		break;
	case 0x2:
		p->globals.logical_max = st_hid_item_signed(data, size);
		p->globals.logical_max_raw = value;
		p->globals.logical_max_size = size;
		break;
	case 0x3:
	case 0x4:
	case 0x6: /* physical min/max, unit: not needed by our drivers */
		break;
	case 0x5: {
		/* unit exponent: a 4-bit two's complement in the low nibble, or a plain signed
		 * byte as some devices write it */
		gint32 e = st_hid_item_signed(data, size);
		if (size == 1 && value <= 0x0f)
			e = value >= 8 ? (gint32)value - 16 : (gint32)value;
		p->globals.unit_exponent = (gint8)CLAMP(e, -8, 7);
		break;
	}
	case 0x7:
		p->globals.report_size = value;
		break;
	case 0x8:
		if (value == 0 || value > 255) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "report id %u out of 1..255", value);
			return FALSE;
		}
		p->globals.report_id = (guint8)value;
		p->desc->has_report_ids = TRUE;
		break;
	case 0x9:
		p->globals.report_count = value;
		break;
	case 0xA:
		if (p->stack_depth >= ST_HID_MAX_PUSH) {
			g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
					    "too many Push items");
			return FALSE;
		}
		p->stack[p->stack_depth++] = p->globals;
		break;
	case 0xB:
		if (p->stack_depth == 0) {
			g_set_error_literal(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
					    "Pop without Push");
			return FALSE;
		}
		p->globals = p->stack[--p->stack_depth];
		break;
	default:
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "unknown global item tag 0x%x", tag);
		return FALSE;
	}
	return TRUE;
}

static gboolean
st_hid_local_item(StHidParser *p, guint tag, const guint8 *data, guint size, GError **error)
{
	guint32 value = st_hid_item_unsigned(data, size);

	switch (tag) {
	case 0x0: {
		guint32 usage = st_hid_full_usage(p, value, size);
		if (p->usages->len >= ST_HID_MAX_USAGES) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "more than %u usages before one main item", ST_HID_MAX_USAGES);
			return FALSE;
		}
		g_array_append_val(p->usages, usage);
		break;
	}
	case 0x1:
		p->usage_min = st_hid_full_usage(p, value, size);
		p->have_min = TRUE;
		break;
	case 0x2:
		p->usage_max = st_hid_full_usage(p, value, size);
		p->have_max = TRUE;
		break;
	default:
		/* designators, strings and delimiters carry nothing our drivers use */
		break;
	}
	return TRUE;
}

/**
 * st_hid_descriptor_parse:
 *
 * Returns: (transfer full): the parsed descriptor, or NULL with ST_ERROR_INVALID_DATA
 * saying which item at which offset is wrong
 */
StHidDescriptor *
st_hid_descriptor_parse(const guint8 *buf, gsize bufsz, GError **error)
{
	g_autoptr(StHidDescriptor) desc = g_new0(StHidDescriptor, 1);
	g_autofree StHidParser *p = g_new0(StHidParser, 1);
	g_autoptr(GArray) usages = g_array_new(FALSE, FALSE, sizeof(guint32));
	gsize pos = 0;

	desc->fields = g_ptr_array_new_with_free_func((GDestroyNotify)st_hid_field_free);
	desc->applications = g_array_new(FALSE, FALSE, sizeof(guint32));
	p->desc = desc;
	p->usages = usages;
	if (bufsz == 0 || bufsz > ST_HID_MAX_DESCRIPTOR) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "report descriptor of %" G_GSIZE_FORMAT " bytes (1 to %d allowed)",
			    bufsz, ST_HID_MAX_DESCRIPTOR);
		return NULL;
	}
	while (pos < bufsz) {
		guint8 prefix = buf[pos];
		guint size = prefix & 0x03;
		guint type = (prefix >> 2) & 0x03;
		guint tag = prefix >> 4;
		gboolean ok = TRUE;

		if (size == 3)
			size = 4;
		if (prefix == 0xFE) {
			/* long item: size byte, tag byte, data; none is defined, skip it */
			if (pos + 2 >= bufsz || pos + 3 + buf[pos + 1] > bufsz) {
				g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
					    "long item at offset %" G_GSIZE_FORMAT " is truncated",
					    pos);
				return NULL;
			}
			pos += 3 + (gsize)buf[pos + 1];
			continue;
		}
		if (pos + 1 + size > bufsz) {
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "item 0x%02x at offset %" G_GSIZE_FORMAT " is truncated",
				    prefix, pos);
			return NULL;
		}
		switch (type) {
		case 0:
			ok = st_hid_main_item(p, tag, buf + pos + 1, size, error);
			break;
		case 1:
			ok = st_hid_global_item(p, tag, buf + pos + 1, size, error);
			break;
		case 2:
			ok = st_hid_local_item(p, tag, buf + pos + 1, size, error);
			break;
		default:
			g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
				    "reserved item type");
			ok = FALSE;
		}
		if (!ok) {
			g_prefix_error(error, "report descriptor offset %" G_GSIZE_FORMAT ": ",
				       pos);
			return NULL;
		}
		pos += 1 + size;
	}
	if (p->depth != 0) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "report descriptor ends inside %u open collection%s", p->depth,
			    p->depth == 1 ? "" : "s");
		return NULL;
	}
	return g_steal_pointer(&desc);
}

gboolean
st_hid_descriptor_has_application(const StHidDescriptor *self, guint32 usage)
{
	for (guint i = 0; i < self->applications->len; i++) {
		if (g_array_index(self->applications, guint32, i) == usage)
			return TRUE;
	}
	return FALSE;
}

/* TRUE if an application collection or a field uses @page */
gboolean
st_hid_descriptor_has_usage_page(const StHidDescriptor *self, guint16 page)
{
	for (guint i = 0; i < self->applications->len; i++) {
		if (ST_HID_USAGE_PAGE(g_array_index(self->applications, guint32, i)) == page)
			return TRUE;
	}
	return FALSE;
}

/* Returns: the usage of element @index: its own, the last listed, or from the range */
guint32
st_hid_field_get_usage(const StHidField *field, guint index)
{
	if (field->usages->len > 0)
		return g_array_index(field->usages, guint32, MIN(index, field->usages->len - 1));
	if (field->usage_min != 0 || field->usage_max != 0) {
		guint32 u = field->usage_min + index;
		return u <= field->usage_max ? u : field->usage_max;
	}
	return 0;
}

/**
 * st_hid_descriptor_find:
 * @index: (out) (optional): the element of the field that carries @usage
 *
 * Returns: (transfer none) (nullable): the first field of @type carrying @usage: a variable
 * field with an element of that usage (*@index says which), or an array field whose usage
 * list or range includes it (*@index is 0; its value selects the usage)
 */
const StHidField *
st_hid_descriptor_find(const StHidDescriptor *self,
		       StHidReportType type,
		       guint32 usage,
		       guint *index)
{
	for (guint i = 0; i < self->fields->len; i++) {
		const StHidField *f = g_ptr_array_index(self->fields, i);
		if (f->type != type || (f->flags & ST_HID_FLAG_CONSTANT))
			continue;
		if (!(f->flags & ST_HID_FLAG_VARIABLE)) {
			/* an array: its value selects one of its usages */
			gboolean in_list = FALSE;
			for (guint u = 0; u < f->usages->len; u++)
				in_list |= g_array_index(f->usages, guint32, u) == usage;
			if (in_list ||
			    (f->usage_max != 0 && usage >= f->usage_min && usage <= f->usage_max)) {
				if (index != NULL)
					*index = 0;
				return f;
			}
			continue;
		}
		for (guint e = 0; e < f->count; e++) {
			if (st_hid_field_get_usage(f, e) == usage) {
				if (index != NULL)
					*index = e;
				return f;
			}
			if (f->usages->len > 0 && e >= f->usages->len)
				break;
			if (f->usages->len == 0 && f->usage_min + e >= f->usage_max)
				break;
		}
	}
	return NULL;
}

/* Returns: the length in bytes of report @id of @type, without its report id byte */
guint
st_hid_descriptor_report_bytes(const StHidDescriptor *self, StHidReportType type, guint8 id)
{
	guint bits = 0;
	for (guint i = 0; i < self->fields->len; i++) {
		const StHidField *f = g_ptr_array_index(self->fields, i);
		if (f->type == type && f->report_id == id)
			bits = MAX(bits, f->bit_offset + f->bit_size * f->count);
	}
	return (bits + 7) / 8;
}

/**
 * st_hid_field_read:
 * @report: the report as received, starting with its report id byte when the descriptor
 *   uses report ids
 * @value: (out): the element, sign-extended when the field's logical minimum is negative
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA if the report is too short for the element
 */
gboolean
st_hid_field_read(const StHidField *field,
		  gboolean has_report_ids,
		  guint index,
		  const guint8 *report,
		  gsize report_len,
		  gint64 *value,
		  GError **error)
{
	gsize skip = has_report_ids ? 1 : 0;
	guint64 bit, v = 0;

	if (index >= field->count || field->bit_size == 0 || field->bit_size > 32) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "no element %u of %u bits", index, field->bit_size);
		return FALSE;
	}
	bit = (guint64)field->bit_offset + (guint64)index * field->bit_size;
	if (report_len < skip || (bit + field->bit_size + 7) / 8 > report_len - skip) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA,
			    "report of %" G_GSIZE_FORMAT
			    " bytes is too short for bits %" G_GUINT64_FORMAT
			    "..%" G_GUINT64_FORMAT,
			    report_len, bit, bit + field->bit_size - 1);
		return FALSE;
	}
	for (guint i = 0; i < field->bit_size; i++) {
		guint64 b = bit + i;
		if (report[skip + b / 8] & (1u << (b % 8)))
			v |= (guint64)1 << i;
	}
	if (field->logical_min < 0 && field->bit_size < 64 &&
	    (v & ((guint64)1 << (field->bit_size - 1))))
		*value = (gint64)(v | ~(((guint64)1 << field->bit_size) - 1));
	else
		*value = (gint64)v;
	return TRUE;
}

/* Returns: (transfer full): one line per field, for `station hid decode --descriptor` */
gchar *
st_hid_descriptor_to_string(const StHidDescriptor *self)
{
	static const gchar *types[] = {"input", "output", "feature"};
	GString *str = g_string_new(NULL);

	for (guint i = 0; i < self->applications->len; i++)
		g_string_append_printf(str, "application %08x\n",
				       g_array_index(self->applications, guint32, i));
	for (guint i = 0; i < self->fields->len; i++) {
		const StHidField *f = g_ptr_array_index(self->fields, i);
		g_string_append_printf(str,
				       "%s report %u bit %u: %u x %u bits%s%s usage %08x logical "
				       "%d..%d exp %d\n",
				       types[f->type], f->report_id, f->bit_offset, f->count,
				       f->bit_size,
				       (f->flags & ST_HID_FLAG_CONSTANT) ? " const" : "",
				       (f->flags & ST_HID_FLAG_VARIABLE) ? " var" : " array",
				       st_hid_field_get_usage(f, 0), f->logical_min, f->logical_max,
				       f->unit_exponent);
	}
	return g_string_free(str, FALSE);
}

/**
 * st_hid_class_descriptor_report_length:
 * @buf: the descriptors that follow an interface descriptor (libusb's "extra" bytes)
 *
 * Walks them, each by its own bLength, to the HID class descriptor (HID 1.11, 6.2.1:
 * bLength, 0x21, bcdHID, country, count, then type 0x22 and the report descriptor's length).
 *
 * Returns: the report descriptor's length, or 0 if there is no well-formed HID descriptor
 */
guint16
st_hid_class_descriptor_report_length(const guint8 *buf, gsize len)
{
	gsize pos = 0;
	while (pos + 2 <= len) {
		guint8 blen = buf[pos];
		if (blen < 2 || pos + blen > len)
			return 0;
		if (buf[pos + 1] == 0x21 && blen >= 9 && buf[pos + 6] == 0x22)
			return (guint16)(buf[pos + 7] | (buf[pos + 8] << 8));
		pos += blen;
	}
	return 0;
}
