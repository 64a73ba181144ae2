/* StVerdict: a plain value, boxed so that it can travel in signals. */
#include "st-verdict.h"

G_DEFINE_BOXED_TYPE(StVerdict, st_verdict, st_verdict_copy, st_verdict_free)

/* Returns: (transfer full): a refusal with no reason yet, for @device_id's scan */
StVerdict *
st_verdict_new(const gchar *device_id, const gchar *display)
{
	StVerdict *self = g_new0(StVerdict, 1);
	self->device_id = g_strdup(device_id);
	self->display = g_strdup(display);
	return self;
}

/* Returns: (transfer full): a verdict, not yet decided, for @scan: its device and its data
 * as printable text */
StVerdict *
st_verdict_new_for_scan(StScan *scan)
{
	g_autofree gchar *display = st_scan_to_display(scan);
	return st_verdict_new(st_scan_get_device_id(scan), display);
}

StVerdict *
st_verdict_copy(const StVerdict *self)
{
	StVerdict *copy = g_new0(StVerdict, 1);
	copy->scan_id = self->scan_id;
	copy->device_id = g_strdup(self->device_id);
	copy->display = g_strdup(self->display);
	copy->ok = self->ok;
	copy->reason = g_strdup(self->reason);
	copy->message = g_strdup(self->message);
	copy->order_number = g_strdup(self->order_number);
	copy->sku = g_strdup(self->sku);
	copy->print = self->print;
	copy->print_reference = g_strdup(self->print_reference);
	return copy;
}

void
st_verdict_free(StVerdict *self)
{
	if (self == NULL)
		return;
	g_free(self->device_id);
	g_free(self->display);
	g_free(self->reason);
	g_free(self->message);
	g_free(self->order_number);
	g_free(self->sku);
	g_free(self->print_reference);
	g_free(self);
}
