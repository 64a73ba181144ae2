/*
 * Benchmark: barcode interpretation of a mix of scans (EAN-13, UPC-A, UPC-E, GTIN-14, SSCC,
 * UPS, USPS, S10, free text), against a bare strlen + memcpy loop over the same strings in
 * the same run. Medians of 9 rounds; asserts no time.
 */
#include <stdio.h>
#include <string.h>

#include "st-barcode.h"

static gint
cmp_gint64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static const gchar *mix[] = {
		"4006381333931",
		"012345678905",
		"04252614",
		"10614141000415",
		"106141411234567897",
		"00106141411234567897",
		"1Z999AA10123456784",
		"9205500000000000000001",
		"420123459205500000000000000001",
		"RR123456785DE",
		"ORD-1001",
		"4006381333932",
		/* GS1-128 / DataMatrix as a keyboard wedge types them (GS separators), and a GS1
		 * Digital Link URI from a QR code */
		"010950110153000317250100"
		"10AB-123\x1d"
		"21S1234",
		"00095011015300000034"
		"02095011015300033712\x1d"
		"42010115",
		"https://id.gs1.org/01/09501101530003/10/AB-123?17=250100",
	};
	guint rounds = 9, per_round = 20000;
	g_autoptr(GArray) t_parse = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GArray) t_base = g_array_new(FALSE, FALSE, sizeof(gint64));
	volatile gsize sink = 0;
	gdouble parse_med, base_med, n;

	for (guint r = 0; r < rounds; r++) {
		gint64 t0 = g_get_monotonic_time();
		for (guint i = 0; i < per_round; i++) {
			const gchar *s = mix[i % G_N_ELEMENTS(mix)];
			g_autoptr(StBarcode) b =
				st_barcode_parse((const guint8 *)s, strlen(s), NULL);
			sink += (gsize)b->valid;
		}
		g_array_append_val(t_parse, (gint64){g_get_monotonic_time() - t0});
		t0 = g_get_monotonic_time();
		for (guint i = 0; i < per_round; i++) {
			const gchar *s = mix[i % G_N_ELEMENTS(mix)];
			gchar buf[64];
			gsize len = strlen(s);
			memcpy(buf, s, len);
			sink += (gsize)buf[len - 1];
		}
		g_array_append_val(t_base, (gint64){g_get_monotonic_time() - t0});
	}
	g_array_sort(t_parse, cmp_gint64);
	g_array_sort(t_base, cmp_gint64);
	parse_med = (gdouble)g_array_index(t_parse, gint64, rounds / 2);
	base_med = MAX((gdouble)g_array_index(t_base, gint64, rounds / 2), 1.0);
	n = per_round;
	printf("bench-barcode: %u scans a round (GTIN, UPC-E, SSCC, UPS, USPS, S10, GS1 element "
	       "strings, Digital Link, text), median "
	       "of %u rounds\n",
	       per_round, rounds);
	printf("  parse                %12.0f scans/s\n", n / (parse_med / 1e6));
	printf("  strlen+memcpy loop   %12.0f scans/s\n", n / (base_med / 1e6));
	printf("  ratio                %12.4f\n", base_med / parse_med);
	(void)sink;
	return 0;
}
