/* Fuzz target: GS1 parsing of any bytes. The first byte picks the reader (element string,
 * bracketed text, Digital Link URI, AIM scan data) and the options; what parses is written
 * back out (element string, bracketed, Digital Link) and must parse again to the same. */
#include <string.h>

#include "st-barcode.h"
#include "st-gs1.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	StGs1Options opts;
	StGs1Error err = {.position = -1};
	g_autoptr(StGs1Message) msg = NULL;
	g_autofree gchar *text = NULL;
	StGs1Scan scan = {0};

	if (size < 1)
		return 0;
	st_gs1_options_init(&opts);
	opts.permit_unknown_ais = (data[0] & 0x10) != 0;
	opts.permit_zero_suppressed_gtin = (data[0] & 0x20) != 0;
	opts.permit_convenience_alphas = (data[0] & 0x40) != 0;
	opts.validate_requisites = (data[0] & 0x80) == 0;
	text = g_strndup((const gchar *)data + 1, size - 1);
	switch (data[0] & 3) {
	case 0:
		msg = st_gs1_parse_element_string(data + 1, size - 1, &opts, &err);
		break;
	case 1:
		msg = st_gs1_parse_bracketed(text, &opts, &err);
		break;
	case 2:
		msg = st_gs1_parse_digital_link(text, strlen(text), &opts, &err);
		break;
	default:
		if (st_gs1_parse_scan_data(data + 1, size - 1, &opts, &scan, &err))
			st_gs1_scan_clear(&scan);
		break;
	}
	if (msg != NULL) {
		g_autofree gchar *es = st_gs1_message_to_element_string(msg, ST_GS1_GS);
		g_autofree gchar *br = st_gs1_message_to_bracketed(msg);
		g_autofree gchar *dl = st_gs1_message_to_digital_link(msg, NULL, &opts, NULL);
		g_autoptr(StGs1Message) again = st_gs1_parse_bracketed(br, &opts, NULL);
		g_autofree gchar *es2 =
			again != NULL ? st_gs1_message_to_element_string(again, ST_GS1_GS) : NULL;
		/* what the station writes, it reads back the same */
		g_autofree gchar *sd = st_gs1_scan_data_make("]d2", NULL, msg, NULL);
		StGs1Scan back = {0};
		if (again == NULL || g_strcmp0(es, es2) != 0)
			__builtin_trap();
		gboolean all_known = TRUE;
		for (guint i = 0; i < msg->elements->len; i++)
			all_known &=
				((StGs1Element *)g_ptr_array_index(msg->elements, i))->def != NULL;
		/* and the scan data it makes reads back as the same elements (an AI not in the
		 * table cannot be found again in scan data: where it ends is unknown) */
		if (all_known &&
		    (sd == NULL ||
		     !st_gs1_parse_scan_data((const guint8 *)sd, strlen(sd), &opts, &back, NULL)))
			__builtin_trap();
		if (all_known) {
			g_autofree gchar *es3 =
				st_gs1_message_to_element_string(back.message, ST_GS1_GS);
			if (g_strcmp0(es, es3) != 0)
				__builtin_trap();
		}
		st_gs1_scan_clear(&back);
	}
	{
		g_autoptr(StBarcode) b = st_barcode_parse_input(
			data + 1, size - 1, NULL, (StBarcodeInput)((data[0] >> 2) % 3));
		g_autofree gchar *json = st_barcode_to_json(b);
	}
	st_gs1_error_clear(&err);
	return 0;
}
