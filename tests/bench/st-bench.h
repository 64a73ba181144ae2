/* What the benchmarks share: quantiles of timings in milliseconds (a GArray of gdouble). */
#pragma once

#include <glib.h>

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
