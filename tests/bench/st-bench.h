/* What the benchmarks share: quantiles of timings in milliseconds (a GArray of gdouble), and
 * the rows of `make bench`'s table. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>

/*
 * A database's commits are timed once its WAL is as a running station's is: grown once to
 * SQLite's automatic checkpoint (1000 frames) and from then on written over from its start.
 * While the file still grows, each commit's fdatasync also writes the file's new size: on this
 * machine's ext4 a bare one-row commit took 90 us then and 45 us after (measured 2026-12-07;
 * before that, the baselines were timed while they grew, and every ratio to them was
 * flattered by half).
 *
 * Returns: TRUE once the WAL beside @db_path has held 1000 frames of the database's pages (the
 * commit that made it so checkpointed it; the next one starts it again from its beginning)
 */
static inline gboolean
st_bench_wal_grown(const gchar *db_path)
{
	g_autofree gchar *wal = g_strconcat(db_path, "-wal", NULL);
	guint8 header[18];
	FILE *f = fopen(db_path, "rb");
	gsize got = f != NULL ? fread(header, 1, sizeof(header), f) : 0;
	guint page_size;
	GStatBuf st;

	if (f != NULL)
		fclose(f);
	if (got != sizeof(header))
		return FALSE;
	/* the file format's page size: big-endian at offset 16, 1 meaning 65536 */
	page_size = ((guint)header[16] << 8) | header[17];
	if (page_size == 1)
		page_size = 65536;
	return g_stat(wal, &st) == 0 && st.st_size >= 32 + 1000 * ((goffset)page_size + 24);
}

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
