/*
 * Benchmark: barcode interpretation, with the default station patterns, of a mix of scans
 * (product codes, GS1 element strings and a Digital Link URI, carriers' tracking numbers, the
 * station's own barcodes, free text), and of the same mix with the numbers of the couriers
 * the open tracking-number data added (issue 18), against a bare strlen + memcpy loop over
 * the same strings, the three interleaved round by round (a busy moment hits all three);
 * then each group alone, to show where the time goes. Medians of 9 rounds and of the
 * rounds' ratios; asserts no time.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "st-barcode.h"
#include "st-bench.h"
#include "st-gs1.h"

static const gchar *products[] = {
	"4006381333931", "012345678905", "04252614", "10614141000415", "4006381333932", NULL,
};
/* GS1-128 / DataMatrix element strings as a keyboard wedge types them (GS separators), and
 * a GS1 Digital Link URI from a QR code; the element strings alone go to the GS1 parser too
 * (st_gs1_parse_element_string) */
static const gchar *gs1_elements[] = {
	"010950110153000317250100"
	"10AB-123\x1d"
	"21S1234",
	"00095011015300000034"
	"02095011015300033712\x1d"
	"42010115",
	NULL,
};
static const gchar *gs1_dl[] = {
	"https://id.gs1.org/01/09501101530003/10/AB-123?17=250100",
	NULL,
};
static const gchar *tracking[] = {
	"106141411234567897",
	"00106141411234567897",
	"1Z999AA10123456784",
	"9205500000000000000001",
	"420123459205500000000000000001",
	"RR123456785DE",
	"986578788855",
	"1001921334250001000300779017972697",
	"9611020987654312345672",
	"3318810025",
	"JJD014600007191834526",
	NULL,
};
/* numbers of the couriers added with the data (issue 18): checked ones, and ones without
 * a check digit (the bench lists no courier: each is only noted) */
static const gchar *couriers[] = {
	"7023210039414604",
	"012345678901233",
	"0123456123456789012341012764",
	"07212345677",
	"C12345678901237",
	"123456789015",
	"V9876543215",
	"TBA123456789012",
	"GM2951173225174494",
	"GFUS01234567890123",
	"1LS7112011123456-1",
	"YT1234567890123456",
	NULL,
};
static const gchar *station[] = {
	"CMD-CANCEL", "LOC-A-01-02", "ORD-1001", "free text", NULL,
};

static gint
cmp_double(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;
	return x < y ? -1 : x > y;
}

/* the scans of the NULL-terminated arrays given, in order, up to a NULL argument */
static GPtrArray *
group(const gchar **first, ...) G_GNUC_NULL_TERMINATED;

static GPtrArray *
group(const gchar **first, ...)
{
	GPtrArray *mix = g_ptr_array_new();
	va_list args;

	va_start(args, first);
	for (const gchar **a = first; a != NULL; a = va_arg(args, const gchar **)) {
		for (const gchar **s = a; *s != NULL; s++)
			g_ptr_array_add(mix, (gpointer)*s);
	}
	va_end(args);
	return mix;
}

typedef enum {
	BASELINE,   /* strlen + memcpy */
	PARSE,	    /* st_barcode_parse_full: what a scan goes through */
	GS1_PARSER, /* st_gs1_parse_element_string alone */
} Subject;

/* one round of @per_round scans of @mix: microseconds */
static gint64
round_of(const StBarcodePatterns *patterns, GPtrArray *mix, guint per_round, Subject subject)
{
	gint64 t0 = g_get_monotonic_time();
	volatile gsize sink = 0;
	StGs1Options options;

	st_gs1_options_init(&options);
	for (guint i = 0; i < per_round; i++) {
		const gchar *s = g_ptr_array_index(mix, i % mix->len);
		gsize len = strlen(s);
		if (subject == BASELINE) {
			gchar buf[128];
			memcpy(buf, s, len);
			sink += (gsize)buf[len - 1];
		} else if (subject == GS1_PARSER) {
			StGs1Error error = {NULL};
			g_autoptr(StGs1Message) msg = st_gs1_parse_element_string(
				(const guint8 *)s, len, &options, &error);
			g_assert(msg != NULL);
			sink += msg->elements->len;
		} else {
			g_autoptr(StBarcode) b = st_barcode_parse_full(
				patterns, (const guint8 *)s, len, NULL, ST_BARCODE_INPUT_SCAN);
			sink += (gsize)b->valid;
		}
	}
	(void)sink;
	return MAX(g_get_monotonic_time() - t0, 1);
}

static gdouble
median(GArray *a)
{
	g_array_sort(a, cmp_double);
	return g_array_index(a, gdouble, a->len / 2);
}

/* Returns: the median microseconds of 9 rounds of @per_round scans from @mix */
static gdouble
run(const StBarcodePatterns *patterns, GPtrArray *mix, guint per_round, Subject subject)
{
	g_autoptr(GArray) t = g_array_new(FALSE, FALSE, sizeof(gdouble));
	for (guint r = 0; r < 9; r++)
		g_array_append_val(t,
				   (gdouble){(gdouble)round_of(patterns, mix, per_round, subject)});
	return median(t);
}

int
main(int argc, char **argv)
{
	g_autoptr(StBarcodePatterns) patterns = st_barcode_patterns_new();
	g_autoptr(GPtrArray) before =
		group(products, gs1_elements, gs1_dl, tracking, station, NULL);
	g_autoptr(GPtrArray) all =
		group(products, gs1_elements, gs1_dl, tracking, station, couriers, NULL);
	g_autoptr(GPtrArray) only_products = group(products, NULL);
	g_autoptr(GPtrArray) only_gs1 = group(gs1_elements, gs1_dl, NULL);
	g_autoptr(GPtrArray) elements = group(gs1_elements, NULL);
	g_autoptr(GArray) t_gs1 = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) t_gs1_base = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) r_gs1 = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GPtrArray) only_tracking = group(tracking, NULL);
	g_autoptr(GPtrArray) only_couriers = group(couriers, NULL);
	g_autoptr(GPtrArray) only_station = group(station, NULL);
	g_autoptr(GArray) t_before = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) t_all = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) t_base = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) r_all_before = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) r_all_base = g_array_new(FALSE, FALSE, sizeof(gdouble));
	guint per_round = 20000, rounds = 9;

	/* interleaved: each round times the three, one after the other */
	for (guint r = 0; r < rounds; r++) {
		gdouble b = (gdouble)round_of(patterns, before, per_round, PARSE);
		gdouble a = (gdouble)round_of(patterns, all, per_round, PARSE);
		gdouble m = (gdouble)round_of(patterns, all, per_round, BASELINE);
		g_array_append_val(t_before, b);
		g_array_append_val(t_all, a);
		g_array_append_val(t_base, m);
		g_array_append_val(r_all_before, (gdouble){a / b});
		g_array_append_val(r_all_base, (gdouble){a / m});
	}
	printf("bench-barcode: %u scans a round, %u rounds interleaved (the mix: %u product codes, "
	       "%u GS1, %u tracking numbers, %u station barcodes and text; with the data's "
	       "couriers: %u more)\n",
	       per_round, rounds, only_products->len, only_gs1->len, only_tracking->len,
	       only_station->len, only_couriers->len);
	printf("  parse, the mix before the couriers' data  %12.0f scans/s\n",
	       per_round / (median(t_before) / 1e6));
	printf("  parse, the mix with the new couriers      %12.0f scans/s\n",
	       per_round / (median(t_all) / 1e6));
	printf("  strlen+memcpy loop, the same mix          %12.0f scans/s\n",
	       per_round / (median(t_base) / 1e6));
	printf("  time per round, with / before (median of the rounds' ratios)  %8.3f\n",
	       median(r_all_before));
	printf("  time per round, with / strlen+memcpy                          %8.1f\n",
	       median(r_all_base));
	/* the GS1 parser alone on element strings, interleaved with its baseline */
	for (guint r = 0; r < rounds; r++) {
		gdouble g = (gdouble)round_of(patterns, elements, per_round, GS1_PARSER);
		gdouble m = (gdouble)round_of(patterns, elements, per_round, BASELINE);
		g_array_append_val(t_gs1, g);
		g_array_append_val(t_gs1_base, m);
		g_array_append_val(r_gs1, (gdouble){g / m});
	}
	printf("  GS1 element strings, the parser alone     %12.0f strings/s\n",
	       per_round / (median(t_gs1) / 1e6));
	printf("  strlen+memcpy loop, the same strings      %12.0f strings/s\n",
	       per_round / (median(t_gs1_base) / 1e6));
	printf("  time per round, parser / strlen+memcpy (median of the rounds' ratios) %8.1f\n",
	       median(r_gs1));
	st_bench_row("bench-barcode", "scans parsed per second, the mix with every courier",
		     per_round / (median(t_all) / 1e6), NAN, "strlen+memcpy of the same scans",
		     per_round / (median(t_base) / 1e6), median(r_all_base),
		     g_array_index(r_all_base, gdouble, 0),
		     g_array_index(r_all_base, gdouble, r_all_base->len - 1),
		     "min-max (time ratio)", rounds);
	st_bench_row("bench-barcode", "GS1 element strings parsed per second, the parser alone",
		     per_round / (median(t_gs1) / 1e6), NAN, "strlen+memcpy of the same strings",
		     per_round / (median(t_gs1_base) / 1e6), median(r_gs1),
		     g_array_index(r_gs1, gdouble, 0),
		     g_array_index(r_gs1, gdouble, r_gs1->len - 1), "min-max (time ratio)", rounds);
	printf("  product codes alone  %12.0f scans/s\n",
	       per_round / (run(patterns, only_products, per_round, PARSE) / 1e6));
	printf("  GS1 alone            %12.0f scans/s\n",
	       per_round / (run(patterns, only_gs1, per_round, PARSE) / 1e6));
	printf("  tracking alone       %12.0f scans/s\n",
	       per_round / (run(patterns, only_tracking, per_round, PARSE) / 1e6));
	printf("  new couriers alone   %12.0f scans/s\n",
	       per_round / (run(patterns, only_couriers, per_round, PARSE) / 1e6));
	printf("  station alone        %12.0f scans/s\n",
	       per_round / (run(patterns, only_station, per_round, PARSE) / 1e6));
	return 0;
}
