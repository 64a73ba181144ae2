/* What a person asks of the inventory by a code they scanned or typed. */
#pragma once

#include "station/st-store.h"

G_BEGIN_DECLS

StStockReport *
st_inventory_stock_by_code(StStore *store, const gchar *code, GError **error);

G_END_DECLS
