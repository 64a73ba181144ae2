/*
 * HID POS barcode scanner reports (usage page 0x8C) to scans: the AIM symbology identifier
 * and the decoded bytes, binary included, joined across continued reports.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _StPosScannerDecoder StPosScannerDecoder;

StPosScannerDecoder *
st_pos_scanner_decoder_new(GBytes *descriptor, GError **error);
void
st_pos_scanner_decoder_free(StPosScannerDecoder *self);
gboolean
st_pos_scanner_decoder_feed(StPosScannerDecoder *self,
			    const guint8 *report,
			    gsize len,
			    GBytes **data,
			    gchar **symbology,
			    GError **error);
gboolean
st_pos_scanner_decoder_has_pending(StPosScannerDecoder *self);
void
st_pos_scanner_decoder_reset(StPosScannerDecoder *self);
gboolean
st_pos_scanner_decoder_make_beep(StPosScannerDecoder *self,
				 gboolean good,
				 guint8 *report_id,
				 GByteArray *report,
				 GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StPosScannerDecoder, st_pos_scanner_decoder_free)

G_END_DECLS
