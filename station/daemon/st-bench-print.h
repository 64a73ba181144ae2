/*
 * What the bench prints by itself: a verdict that asks for it (an order packed, a reprint)
 * is carried out with the configured templates and printers. `station serve` and `station
 * simulate` both use it.
 */
#pragma once

#include "st-config.h"
#include "st-printing.h"
#include "st-verdict.h"

G_BEGIN_DECLS

typedef struct _StBenchPrint StBenchPrint;

StBenchPrint *
st_bench_print_new(StPrinting *printing, const StConfig *config, gboolean spool_only);
void
st_bench_print_free(StBenchPrint *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StBenchPrint, st_bench_print_free)
guint
st_bench_print_verdict(StBenchPrint *self, const StVerdict *verdict);
void
st_bench_print_set_keep(StBenchPrint *self, gboolean keep);
guint
st_bench_print_get_pending(StBenchPrint *self);
GPtrArray *
st_bench_print_take_done(StBenchPrint *self);

G_END_DECLS
