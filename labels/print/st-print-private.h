/* Between the files of the CUPS client: what the IPP calls and the status values share. */
#pragma once

#include "station/st-print.h"

G_BEGIN_DECLS

/* what a queue in @state with @reasons needs (for a job's view of it when @for_job) */
StPrintAttention
st_print_queue_attention(StPrinterState state,
			 gchar **reasons,
			 const gchar *message,
			 gboolean accepting,
			 gboolean for_job);

G_END_DECLS
