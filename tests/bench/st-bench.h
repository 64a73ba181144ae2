/* What the benchmarks share: quantiles of timings in milliseconds (a GArray of gdouble), and
 * the rows of `make bench`'s table. */
#pragma once

#include <glib.h>
#include <math.h>
#include <stdio.h>

static inline gint
st_bench_cmp_double(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;
	return x < y ? -1 : x > y;
}

/* the @q quantile (0.5 the median, 0.99 the p99) of @ms, which it sorts */
static inline gdouble
st_bench_quantile(GArray *ms, gdouble q)
{
	g_array_sort(ms, st_bench_cmp_double);
	return g_array_index(ms, gdouble, MIN(ms->len - 1, (guint)(q * ms->len)));
}

/*
 * One row of `make bench`'s table (tests/bench/bench-table.py prints them), appended to the
 * file $ST_BENCH_RESULTS names, tab-separated; nothing without it. @figure names what is
 * measured and its unit; @median and @p99 are the station's (p99: NAN when the figure has
 * none); @baseline names what the same run measured beside it, @base its median (NAN: none);
 * @ratio the median of the rounds' ratios station / baseline as the line of the benchmark's
 * own output says it, @lo and @hi their spread, @spread how it is taken ("p10-p90",
 * "min-max"), over @rounds rounds.
 */
static inline void
st_bench_row(const gchar *bench,
	     const gchar *figure,
	     gdouble median,
	     gdouble p99,
	     const gchar *baseline,
	     gdouble base,
	     gdouble ratio,
	     gdouble lo,
	     gdouble hi,
	     const gchar *spread,
	     guint rounds)
{
	const gchar *path = g_getenv("ST_BENCH_RESULTS");
	FILE *f;

	if (path == NULL || *path == '\0')
		return;
	f = fopen(path, "a");
	if (f == NULL) {
		g_printerr("%s: cannot append to %s\n", bench, path);
		return;
	}
	fprintf(f, "%s\t%s\t%.6g\t%.6g\t%s\t%.6g\t%.6g\t%.6g\t%.6g\t%s\t%u\n", bench, figure,
		median, p99, baseline != NULL ? baseline : "", base, ratio, lo, hi,
		spread != NULL ? spread : "", rounds);
	fclose(f);
}
