/*
 * Benchmark: labels rendered per second in one process (fonts loaded once, as in the
 * daemon): the carrier-4x6 and carrier-4x6-ups templates filled from the test shipment and
 * rendered to ZPL, PDF and PNG, against the zint CLI making the label's hardest barcode
 * (the Code 128 tracking number; the UPS label's MaxiCode) as PNG in the same run. The four
 * are interleaved round by round (ZPL, PDF, PNG, then zint), so a busy moment of the machine
 * hits all of them; medians of 9 rounds, and the median of the rounds' ratios to zint with
 * their spread. Asserts no time.
 *
 * Usage: bench-labels SOURCE_DIR [LABELS_PER_ROUND]
 */
#include <stdio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "station/st-label.h"

#include "st-bench.h"

/* milliseconds per label over one round of @n labels */
static gdouble
round_labels(StLabelTemplate *tmpl, const gchar *data, StLabelFormat format, guint n)
{
	gint64 start = g_get_monotonic_time();
	for (guint i = 0; i < n; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(StLabel) label =
			st_label_template_fill(tmpl, data, -1, 203, NULL, NULL, &error);
		g_autoptr(GBytes) out = NULL;
		if (label != NULL)
			out = st_label_render(label, format, &error);
		if (out == NULL)
			g_error("render failed: %s", error->message);
	}
	return (g_get_monotonic_time() - start) / 1000.0 / n;
}

/* milliseconds of one zint CLI run over a round of @n, or -1 without zint */
static gdouble
round_zint(const gchar *const *argv, guint n)
{
	gint64 start = g_get_monotonic_time();
	for (guint i = 0; i < n; i++) {
		gint status = 0;
		if (!g_spawn_sync(NULL, (gchar **)argv, NULL,
				  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
				  NULL, NULL, &status, NULL) ||
		    status != 0)
			return -1;
	}
	return (g_get_monotonic_time() - start) / 1000.0 / n;
}

int
main(int argc, char **argv)
{
	g_autofree gchar *data_path = NULL, *data = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("bench-labels-XXXXXX", NULL);
	g_autofree gchar *out = g_build_filename(dir, "zint.png", NULL);
	guint n = argc > 2 ? (guint)g_ascii_strtoull(argv[2], NULL, 10) : 20;
	/* the zint CLI making each label's hardest barcode: the same data as on the label */
	const gchar *code128[] = {"zint", "-b", "20", "--scale", "1", "-d", "1Z999AA10123456784",
				  "-o",	  out,	NULL};
	const gchar *maxicode[] = {
		"zint",
		"-b",
		"57",
		"--mode=2",
		"--primary=081020000840002",
		"--esc",
		"-d",
		"[)>\\x1E01\\x1D961Z23456784\\x1DUPSN\\x1D999AA1\\x1D327\\x1D\\x1D1/"
		"2\\x1D6\\x1DY\\x1DHAUPTSTRASSE 5\\x1DTRENTON\\x1DNJ\\x1E\\x04",
		"-o",
		out,
		NULL};
	const struct {
		const gchar *template_name, *barcode;
		const gchar *const *zint;
	} cases[] = {{"carrier-4x6", "the tracking barcode (Code 128)", code128},
		     {"carrier-4x6-ups", "the MaxiCode", maxicode}};

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		g_printerr("usage: bench-labels SOURCE_DIR [LABELS_PER_ROUND]\n");
		return 2;
	}
	data_path = g_build_filename(argv[1], "tests", "labels", "shipment-ups.json", NULL);
	if (!g_file_get_contents(data_path, &data, NULL, &error)) {
		g_printerr("bench-labels: %s\n", error->message);
		return 1;
	}
	for (guint c = 0; c < G_N_ELEMENTS(cases); c++) {
		g_autofree gchar *file = g_strconcat(cases[c].template_name, ".json", NULL);
		g_autofree gchar *tmpl_path =
			g_build_filename(argv[1], "labels", "templates", file, NULL);
		g_autoptr(StLabelTemplate) tmpl = st_label_template_load(tmpl_path, &error);
		gdouble zpl, pdf, png, zint;
		if (tmpl == NULL) {
			g_printerr("bench-labels: %s\n", error->message);
			return 1;
		}
		g_autoptr(GArray) t_zpl = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) t_pdf = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) t_png = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) t_zint = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) r_png = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autofree gchar *zint_path = g_find_program_in_path("zint");
		gboolean have_zint = zint_path != NULL;
		/* once, so that fontconfig's start-up is not in the figures (the daemon pays it
		 * once) */
		round_labels(tmpl, data, ST_LABEL_FORMAT_PNG, 1);
		for (guint round = 0; round < 9; round++) {
			gdouble a = round_labels(tmpl, data, ST_LABEL_FORMAT_ZPL, n);
			gdouble b = round_labels(tmpl, data, ST_LABEL_FORMAT_PDF, n);
			gdouble c2 = round_labels(tmpl, data, ST_LABEL_FORMAT_PNG, n);
			gdouble z = have_zint ? round_zint(cases[c].zint, n) : -1;
			g_array_append_val(t_zpl, a);
			g_array_append_val(t_pdf, b);
			g_array_append_val(t_png, c2);
			if (z > 0) {
				g_array_append_val(t_zint, z);
				g_array_append_val(r_png, (gdouble){c2 / z});
			}
		}
		zpl = st_bench_quantile(t_zpl, 0.5);
		pdf = st_bench_quantile(t_pdf, 0.5);
		png = st_bench_quantile(t_png, 0.5);
		zint = t_zint->len > 0 ? st_bench_quantile(t_zint, 0.5) : -1;
		printf("%s at 203 dpi, %u labels a round, 9 rounds interleaved with zint\n",
		       cases[c].template_name, n);
		printf("  zpl  %8.2f ms/label  %7.1f labels/s\n", zpl, 1000 / zpl);
		printf("  pdf  %8.2f ms/label  %7.1f labels/s\n", pdf, 1000 / pdf);
		printf("  png  %8.2f ms/label  %7.1f labels/s\n", png, 1000 / png);
		if (zint > 0) {
			gdouble lo = st_bench_quantile(r_png, 0.0),
				hi = st_bench_quantile(r_png, 1.0);
			gdouble mid = st_bench_quantile(r_png, 0.5);
			printf("  zint CLI, %s alone as PNG: %.2f ms\n", cases[c].barcode, zint);
			printf("  ratio label/zint CLI of the medians: zpl %.2f, pdf %.2f, png "
			       "%.2f\n",
			       zpl / zint, pdf / zint, png / zint);
			printf("  png / zint, median of the rounds' ratios %.2f (%.2f to %.2f)\n",
			       mid, lo, hi);
			{
				g_autofree gchar *fz =
					g_strdup_printf("%s to ZPL at 203 dpi, in process, ms",
							cases[c].template_name);
				g_autofree gchar *fp =
					g_strdup_printf("%s to PNG at 203 dpi, in process, ms",
							cases[c].template_name);
				g_autofree gchar *bz =
					g_strdup_printf("zint CLI, %s alone", cases[c].barcode);
				st_bench_row("bench-labels", fz, zpl,
					     st_bench_quantile(t_zpl, 0.99), bz, zint, zpl / zint,
					     NAN, NAN, "ratio of the medians", 9);
				st_bench_row("bench-labels", fp, png,
					     st_bench_quantile(t_png, 0.99), bz, zint, mid, lo, hi,
					     "min-max", 9);
			}
		} else {
			printf("  zint CLI not installed: no baseline\n");
		}
	}
	{
		g_autofree gchar *zint_png = g_build_filename(dir, "zint.png", NULL);
		g_unlink(zint_png);
		g_rmdir(dir);
	}
	return 0;
}
