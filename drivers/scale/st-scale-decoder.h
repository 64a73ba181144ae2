/*
 * HID POS scale reports (usage page 0x8D) to weights: fields found through the device's
 * report descriptor, or the layout most scales use when there is none to go by.
 */
#pragma once

#include "station/st-weight.h"

G_BEGIN_DECLS

typedef struct _StScaleDecoder StScaleDecoder;

StScaleDecoder *
st_scale_decoder_new(GBytes *descriptor, GError **error);
void
st_scale_decoder_free(StScaleDecoder *self);
gboolean
st_scale_decoder_decode(StScaleDecoder *self,
			const guint8 *report,
			gsize len,
			StWeight *weight,
			GError **error);
gboolean
st_scale_decoder_make_zero_report(StScaleDecoder *self,
				  guint8 *report_id,
				  GByteArray *report,
				  GError **error);
gboolean
st_scale_decoder_uses_descriptor(StScaleDecoder *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StScaleDecoder, st_scale_decoder_free)

G_END_DECLS
