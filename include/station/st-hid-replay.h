/*
 * Reports a device sent, replayed through the driver that would read them: what
 * `station hid decode` prints, so a user can check a capture without the device. The caller
 * gives the reports (hex lines, a capture's); the driver room decodes them as the daemon
 * would, so the command line needs none of the decoders' headers.
 */
#pragma once

#include <glib-object.h>

#include "station/st-weight.h"

G_BEGIN_DECLS

typedef enum {
	ST_HID_REPLAY_NOTHING, /* the report was taken; nothing complete yet */
	ST_HID_REPLAY_SCAN,    /* a scan ended with this report */
	ST_HID_REPLAY_WEIGHT,  /* a scale's reading */
} StHidReplayEvent;

/* what one report made */
typedef struct {
	StHidReplayEvent event;
	GBytes *data;	 /* scan: the scan's bytes */
	GBytes *raw;	 /* (nullable) scan: a keyboard wedge's reports, 8 bytes each */
	gchar *how;	 /* (nullable) scan: what ended it (keyboard) or its AIM id (HID POS) */
	StWeight weight; /* weight */
} StHidReplayResult;

void
st_hid_replay_result_clear(StHidReplayResult *self);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(StHidReplayResult, st_hid_replay_result_clear)

#define ST_TYPE_HID_REPLAY (st_hid_replay_get_type())
G_DECLARE_FINAL_TYPE(StHidReplay, st_hid_replay, ST, HID_REPLAY, GObject)

StHidReplay *
st_hid_replay_new(const gchar *kind,
		  const gchar *layout,
		  const gchar *variant,
		  const gchar *terminators,
		  GBytes *descriptor,
		  GError **error);
gboolean
st_hid_replay_feed(StHidReplay *self,
		   const guint8 *report,
		   gsize len,
		   StHidReplayResult *result,
		   GError **error);
gboolean
st_hid_replay_flush(StHidReplay *self, StHidReplayResult *result);

G_END_DECLS
