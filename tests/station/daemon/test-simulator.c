/*
 * The simulator: scripts refused with the line of each mistake; a whole small shift (login,
 * box, a parcel refused by the scale and let go by a lead, idle logout) run through the real
 * workflows with every answer as the script expects; the first unexpected answer stops it
 * and names the line.
 */
#include <string.h>

#include "st-simulator.h"
#include "st-test-util.h"
#include "station/st-error.h"

static void
test_parse_refusals(void)
{
	struct {
		const gchar *text;
		const gchar *said;
	} bad[] = {
		{"scan bench\n", "s.txt:1: scan needs a device"},
		{"# ok\n\nweigh scale heavy\n", "s.txt:3: weigh needs a device and whole grams"},
		{"weigh scale 100 wobbly\n", "s.txt:1: 'wobbly' is not a scale status"},
		{"scale s1 maybe\n", "s.txt:1: scale needs a device and on or off"},
		{"clock 10\n", "s.txt:1: clock needs the seconds"},
		{"expect OK\n", "s.txt:1: 'OK' is not ok, none or a reason"},
		{"dance bench\n", "s.txt:1: 'dance' is not a step"},
		{"scan bench \\xff\xff\n", "s.txt is not text"},
	};
	g_autoptr(GString) long_line = g_string_new("scan bench ");

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(StSimScript) s =
			st_sim_script_parse(bad[i].text, strlen(bad[i].text), "s.txt", &error);
		g_assert_null(s);
		g_assert_error(error, ST_DAEMON_ERROR, ST_ERROR_INVALID_DATA);
		g_test_message("%s", error->message);
		g_assert_nonnull(strstr(error->message, bad[i].said));
	}
	while (long_line->len < 5000)
		g_string_append_c(long_line, '7');
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(StSimScript) s =
			st_sim_script_parse(long_line->str, long_line->len, "s.txt", &error);
		g_assert_null(s);
		g_assert_nonnull(strstr(error->message, "a line of more than 4096 bytes"));
	}
	{
		static const gchar good[] = "scan bench aim=]C1 010590123412345710L42\n"
					    "expect ok\nweigh scale 12 motion\nexpect none\n"
					    "scale scale off\nclock +60\n";
		g_autoptr(GError) error = NULL;
		g_autoptr(StSimScript) s = st_sim_script_parse(good, strlen(good), "s.txt", &error);
		const StSimStep *first;
		g_assert_no_error(error);
		g_assert_cmpuint(st_sim_script_get_n_steps(s), ==, 6);
		first = st_sim_script_get_step(s, 0);
		g_assert_cmpstr(first->aim, ==, "]C1");
		g_assert_cmpstr(first->text, ==, "010590123412345710L42");
		g_assert_cmpint(st_sim_script_get_step(s, 5)->number, ==, 60);
	}
}

typedef struct {
	gchar *dir;
	StStore *store;
	StConfig *config;
} Fixture;

static void
fixture_set_up(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *db = NULL;
	g_autofree gchar *conf = NULL;
	const gchar *pen[] = {"4006381333931", NULL};
	StOrderLineSpec lines[] = {{"PEN", 2}};
	StOperatorSpec ana = {"0042", "Ana", ST_OPERATOR_ROLE_PACKER, NULL};
	StOperatorSpec li = {"0043", "Li Wei", ST_OPERATOR_ROLE_LEAD, NULL};
	StBoxTypeSpec small = {"S1", "small box", "BOX-S1", 100, 200, 150, 100, 5000};

	fx->dir = st_test_tmpdir_new();
	db = g_build_filename(fx->dir, "station.db", NULL);
	fx->store = st_store_new("bench-sim");
	g_assert_true(st_store_open(fx->store, db, 1000, &error));
	g_assert_true(st_store_put_product(
		fx->store,
		&(StProductSpec){.sku = "PEN", .name = "Pen", .weight_g = 12, .barcodes = pen},
		NULL, &error));
	g_assert_true(st_store_put_order(fx->store,
					 &(StOrderSpec){.number = "ORD-1",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_true(st_store_put_operator(fx->store, &ana, &error));
	g_assert_true(st_store_put_operator(fx->store, &li, &error));
	g_assert_true(st_store_put_box_type(fx->store, &small, &error));
	g_assert_no_error(error);
	conf = g_strdup_printf("[store]\npath = %s\n[bench]\nidle-logout = 600\n", db);
	fx->config = st_config_load_data(conf, strlen(conf), "sim.conf", &error);
	g_assert_no_error(error);
}

static void
fixture_tear_down(Fixture *fx, gconstpointer data)
{
	g_object_unref(fx->store);
	st_config_free(fx->config);
	st_test_tmpdir_free(fx->dir);
}

static void
count_cb(const StSimStep *step, const StVerdict *verdict, gpointer data)
{
	(*(guint *)data)++;
}

static const gchar shift[] = "# a badge first\n"
			     "scan bench ORD-1\n"
			     "expect scan-badge Scan your badge first\n"
			     "scan bench OP-0042\n"
			     "expect ok Logged in: Ana\n"
			     "scale scale on\n"
			     "scan bench ORD-1\n"
			     "expect ok opened\n"
			     "scan bench BOX-S1\n"
			     "expect ok Box S1\n"
			     "scan bench 4006381333931\n"
			     "scan bench 4006381333931\n"
			     "expect ok should weigh 124 g\n"
			     "weigh scale 124 motion\n"
			     "expect none\n"
			     "weigh scale 90\n"
			     "expect too-light 34 g too light\n"
			     "scan bench OP-0043\n"
			     "expect ok Let go by Li Wei\n"
			     "clock +601\n"
			     "scan bench ORD-1\n"
			     "expect scan-badge Logged out after a while\n";

static void
test_shift(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StSimScript) script = st_sim_script_parse(shift, strlen(shift), "shift", &error);
	g_autoptr(StOrder) order = NULL;
	guint answers = 0;

	g_assert_no_error(error);
	g_assert_true(
		st_sim_run(fx->store, fx->config, script, TRUE, count_cb, NULL, &answers, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(answers, ==, 9);
	order = st_store_find_order(fx->store, "ORD-1", &error);
	g_assert_cmpint(order->status, ==, ST_ORDER_STATUS_PACKED);
}

/* the first answer the script did not expect stops the run, naming its line */
static void
test_unexpected(Fixture *fx, gconstpointer data)
{
	static const gchar text[] = "scan bench OP-0042\nexpect ok\nscan bench ORD-1\n"
				    "expect not-in-order\nscan bench ORD-9\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(StSimScript) script = st_sim_script_parse(text, strlen(text), "s", &error);
	guint answers = 0;

	g_assert_false(
		st_sim_run(fx->store, fx->config, script, TRUE, count_cb, NULL, &answers, &error));
	g_assert_error(error, ST_DAEMON_ERROR, ST_ERROR_FAILED);
	g_assert_nonnull(strstr(error->message, "line 4: expected not-in-order, got ok"));
	g_assert_cmpuint(answers, ==, 2); /* the scan after it was not run */
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/station/simulator/parse-refusals", test_parse_refusals);
	g_test_add("/station/simulator/shift", Fixture, NULL, fixture_set_up, test_shift,
		   fixture_tear_down);
	g_test_add("/station/simulator/unexpected", Fixture, NULL, fixture_set_up, test_unexpected,
		   fixture_tear_down);
	return g_test_run();
}
