/*
 * Benchmark: whole `station` processes, start-up included, as a shift lead or a script runs
 * them, each interleaved round by round with its baseline (a busy moment hits both):
 *   - `station barcode parse` of 200,000 mixed scans from a file, against `cat` of the file;
 *   - `station label render` of carrier-4x6 to ZPL, against the zint CLI making the label's
 *     tracking barcode;
 *   - `station version`, the floor every command pays (loading the libraries), against
 *     `true`.
 * Prints each median, the median of the rounds' ratios and their spread; asserts no time.
 *
 * usage: bench-commands STATION SOURCE_DIR [ROUNDS]
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "st-bench.h"

/* milliseconds of one run of @argv, its standard input from @in (or /dev/null) and its
 * output thrown away; aborts when it fails, as a figure of a failed run means nothing */
static gdouble
run_ms(const gchar *const *argv, const gchar *in, gboolean may_fail)
{
	g_autoptr(GSubprocessLauncher) launcher =
		g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;
	gint64 t0;

	if (in != NULL)
		g_subprocess_launcher_set_stdin_file_path(launcher, in);
	t0 = g_get_monotonic_time();
	proc = g_subprocess_launcher_spawnv(launcher, argv, &error);
	if (proc == NULL || !g_subprocess_wait(proc, NULL, &error))
		g_error("bench-commands: %s: %s", argv[0], error->message);
	if (!may_fail && !g_subprocess_get_successful(proc))
		g_error("bench-commands: %s %s failed", argv[0], argv[1]);
	return (g_get_monotonic_time() - t0) / 1000.0;
}

typedef struct {
	const gchar *what, *baseline_what, *figure;
	const gchar *const *argv, *const *baseline;
	const gchar *in;
	gboolean may_fail; /* `barcode parse` exits 1 when a scan is not valid, as some are */
	GArray *t, *t_base, *ratio;
} Case;

static void
print_case(const Case *c, guint rounds)
{
	gdouble m = st_bench_quantile(c->t, 0.5), b = st_bench_quantile(c->t_base, 0.5);
	printf("%s (%u rounds interleaved with the baseline)\n", c->what, rounds);
	printf("  station   median %8.1f ms  p99 %8.1f ms\n", m, st_bench_quantile(c->t, 0.99));
	printf("  baseline  median %8.1f ms  p99 %8.1f ms  (%s)\n", b,
	       st_bench_quantile(c->t_base, 0.99), c->baseline_what);
	printf("  station / baseline, median of the rounds' ratios %.1f (%.1f to %.1f)\n",
	       st_bench_quantile(c->ratio, 0.5), st_bench_quantile(c->ratio, 0.0),
	       st_bench_quantile(c->ratio, 1.0));
	st_bench_row("bench-commands", c->figure, m, st_bench_quantile(c->t, 0.99),
		     c->baseline_what, b, st_bench_quantile(c->ratio, 0.5),
		     st_bench_quantile(c->ratio, 0.0), st_bench_quantile(c->ratio, 1.0), "min-max",
		     rounds);
}

int
main(int argc, char **argv)
{
	static const gchar *mix[] = {
		"4006381333931",
		"012345678905",
		"04252614",
		"10614141000415",
		"4006381333932",
		"010950110153000317250100"
		"10AB-123\\x1d"
		"21S1234",
		"https://id.gs1.org/01/09501101530003/10/AB-123?17=250100",
		"106141411234567897",
		"1Z999AA10123456784",
		"9205500000000000000001",
		"RR123456785DE",
		"986578788855",
		"JJD014600007191834526",
		"CMD-CANCEL",
		"LOC-A-01-02",
		"ORD-1001",
		"free text",
	};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = NULL, *codes = NULL, *data = NULL, *zpl = NULL, *png = NULL;
	g_autoptr(GString) text = g_string_new(NULL);
	guint rounds = argc > 3 ? (guint)g_ascii_strtoull(argv[3], NULL, 10) : 11;
	g_autofree gchar *zint = g_find_program_in_path("zint");
	g_autofree gchar *cat = g_find_program_in_path("cat");
	g_autofree gchar *true_ = g_find_program_in_path("true");

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3 || rounds == 0) {
		g_printerr("usage: bench-commands STATION SOURCE_DIR [ROUNDS]\n");
		return 2;
	}
	dir = g_dir_make_tmp("bench-commands-XXXXXX", &error);
	g_assert_no_error(error);
	codes = g_build_filename(dir, "codes.txt", NULL);
	zpl = g_build_filename(dir, "label.zpl", NULL);
	png = g_build_filename(dir, "zint.png", NULL);
	data = g_build_filename(argv[2], "tests", "labels", "shipment-gb.json", NULL);
	for (guint i = 0; i < 200000; i++)
		g_string_append_printf(text, "%s\n", mix[i % G_N_ELEMENTS(mix)]);
	if (!g_file_set_contents(codes, text->str, (gssize)text->len, &error))
		g_error("bench-commands: %s", error->message);

	{
		const gchar *parse[] = {argv[1], "barcode", "parse", NULL};
		const gchar *cat_argv[] = {cat, codes, NULL};
		const gchar *render[] = {argv[1], "label", "render", "-t", "carrier-4x6",
					 "-d",	  data,	   "-o",     zpl,  NULL};
		const gchar *zint_argv[] = {
			zint, "-b", "20", "--scale", "1", "-d", "1Z999AA10123456784",
			"-o", png,  NULL};
		const gchar *version[] = {argv[1], "version", NULL};
		const gchar *true_argv[] = {true_, NULL};
		Case cases[] = {
			{.what = "station barcode parse, 200,000 mixed scans from a file",
			 .baseline_what = "cat of the same file",
			 .figure = "`station barcode parse` of 200,000 scans, whole process, ms",
			 .argv = parse,
			 .baseline = cat_argv,
			 .in = codes,
			 .may_fail = TRUE},
			{.what = "station label render -t carrier-4x6 to ZPL (a GB address)",
			 .baseline_what = "the zint CLI making the tracking barcode as PNG",
			 .figure = "`station label render` carrier-4x6 to ZPL, whole process, ms",
			 .argv = render,
			 .baseline = zint_argv},
			{.what = "station version: start-up and exit",
			 .baseline_what = "true",
			 .figure = "`station version`, start-up and exit, ms",
			 .argv = version,
			 .baseline = true_argv},
		};

		for (guint c = 0; c < G_N_ELEMENTS(cases); c++) {
			cases[c].t = g_array_new(FALSE, FALSE, sizeof(gdouble));
			cases[c].t_base = g_array_new(FALSE, FALSE, sizeof(gdouble));
			cases[c].ratio = g_array_new(FALSE, FALSE, sizeof(gdouble));
		}
		printf("bench-commands: whole processes, start-up included, %u rounds\n", rounds);
		if (zint == NULL)
			printf("  the zint CLI is not installed: label render has no baseline\n");
		for (guint r = 0; r < rounds + 1; r++) {
			for (guint c = 0; c < G_N_ELEMENTS(cases); c++) {
				gdouble s, b;
				if (cases[c].baseline[0] == NULL)
					continue;
				s = run_ms(cases[c].argv, cases[c].in, cases[c].may_fail);
				b = run_ms(cases[c].baseline, NULL, FALSE);
				if (r == 0)
					continue; /* a first round warms the page cache for both */
				g_array_append_val(cases[c].t, s);
				g_array_append_val(cases[c].t_base, b);
				g_array_append_val(cases[c].ratio, (gdouble){s / MAX(b, 0.001)});
			}
		}
		for (guint c = 0; c < G_N_ELEMENTS(cases); c++) {
			if (cases[c].t->len > 0)
				print_case(&cases[c], rounds);
			g_array_unref(cases[c].t);
			g_array_unref(cases[c].t_base);
			g_array_unref(cases[c].ratio);
		}
	}
	g_unlink(codes);
	g_unlink(zpl);
	g_unlink(png);
	g_rmdir(dir);
	return 0;
}
