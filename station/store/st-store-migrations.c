/*
 * The store's schema, as numbered migrations: migrations[N] takes a database from schema N
 * to N + 1. Never edit one that has shipped; add the next. Each has a test that opens a
 * database of the version before (tests/fixtures/store/).
 */
#define G_LOG_DOMAIN "station-store"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "station/st-error.h"

#include "st-store-private.h"

/*
 * Migrations: migrations[N] takes a database from schema N to N + 1. Never edit one that
 * has shipped; add the next. Each has a test that opens a database of the version before.
 */
static const gchar *const migrations[] = {
	/* 0 -> 1: the foundation schema */
	"PRAGMA application_id = 1398031182;"
	"CREATE TABLE schema_version ("
	"  version INTEGER PRIMARY KEY,"
	"  applied_at TEXT NOT NULL,"
	"  station_version TEXT NOT NULL);"
	"CREATE TABLE products ("
	"  id INTEGER PRIMARY KEY,"
	"  sku TEXT NOT NULL UNIQUE CHECK (length(sku) BETWEEN 1 AND 64),"
	"  name TEXT NOT NULL,"
	"  weight_g INTEGER NOT NULL DEFAULT 0 CHECK (weight_g >= 0),"
	"  created_at TEXT NOT NULL);"
	"CREATE TABLE product_barcodes ("
	"  barcode TEXT PRIMARY KEY CHECK (length(barcode) BETWEEN 1 AND 128),"
	"  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,"
	"  quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0)) WITHOUT ROWID;"
	"CREATE INDEX product_barcodes_product ON product_barcodes(product_id);"
	"CREATE TABLE locations ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  barcode TEXT UNIQUE,"
	"  kind TEXT NOT NULL DEFAULT 'bin' CHECK (kind IN ('bin','tote','cart','bench','dock')));"
	"CREATE TABLE stock ("
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  location_id INTEGER NOT NULL REFERENCES locations(id),"
	"  lot TEXT NOT NULL DEFAULT '',"
	"  quantity INTEGER NOT NULL CHECK (quantity >= 0),"
	"  PRIMARY KEY (product_id, location_id, lot)) WITHOUT ROWID;"
	"CREATE TABLE orders ("
	"  id INTEGER PRIMARY KEY,"
	"  number TEXT NOT NULL UNIQUE CHECK (length(number) BETWEEN 1 AND 64),"
	"  status TEXT NOT NULL CHECK (status IN "
	"    ('released','packing','packed','shipped','cancelled')),"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL);"
	"CREATE TABLE order_lines ("
	"  id INTEGER PRIMARY KEY,"
	"  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	"  line_no INTEGER NOT NULL,"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  quantity INTEGER NOT NULL CHECK (quantity > 0),"
	"  packed INTEGER NOT NULL DEFAULT 0 CHECK (packed >= 0 AND packed <= quantity),"
	"  UNIQUE (order_id, line_no));"
	"CREATE TABLE scans ("
	"  id INTEGER PRIMARY KEY,"
	"  station TEXT NOT NULL,"
	"  device TEXT NOT NULL,"
	"  raw BLOB NOT NULL,"
	"  data BLOB NOT NULL,"
	"  text TEXT,"
	"  symbology TEXT,"
	"  scanned_at TEXT NOT NULL,"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('ok','refused')),"
	"  reason TEXT,"
	"  message TEXT NOT NULL,"
	"  order_id INTEGER REFERENCES orders(id),"
	"  product_id INTEGER REFERENCES products(id),"
	"  CHECK ((verdict = 'ok') = (reason IS NULL)));"
	"CREATE INDEX scans_order ON scans(order_id);"
	"CREATE TABLE order_status_history ("
	"  id INTEGER PRIMARY KEY,"
	"  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	"  from_status TEXT,"
	"  to_status TEXT NOT NULL,"
	"  changed_at TEXT NOT NULL,"
	"  scan_id INTEGER REFERENCES scans(id));"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  idempotency_key TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL,"
	"  order_id INTEGER REFERENCES orders(id),"
	"  payload TEXT NOT NULL CHECK (json_valid(payload)),"
	"  created_at TEXT NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at TEXT,"
	"  last_error TEXT,"
	"  delivered_at TEXT);"
	"CREATE INDEX outbox_pending ON outbox(delivered_at, id);",

	/* 1 -> 2: inventory. Products get dimensions, what they track (lot, serial, expiry),
	 * hazard flags and a unit of measure; barcodes say which pack they are on (unit,
	 * inner, case) with how many units it holds; locations their place and pick sequence;
	 * box types; stock is per lot, expiry and serial; every change of stock is a row of
	 * the append-only ledger, which explains every quantity (rows already in stock get an
	 * opening row); reservations promise stock to order lines; orders get their ship-to
	 * address, service level and carrier. */
	"ALTER TABLE products ADD COLUMN length_mm INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (length_mm >= 0);"
	"ALTER TABLE products ADD COLUMN width_mm INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (width_mm >= 0);"
	"ALTER TABLE products ADD COLUMN height_mm INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (height_mm >= 0);"
	"ALTER TABLE products ADD COLUMN track_lot INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (track_lot IN (0, 1));"
	"ALTER TABLE products ADD COLUMN track_serial INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (track_serial IN (0, 1));"
	"ALTER TABLE products ADD COLUMN track_expiry INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (track_expiry IN (0, 1));"
	"ALTER TABLE products ADD COLUMN hazmat INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (hazmat IN (0, 1));"
	"ALTER TABLE products ADD COLUMN fragile INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (fragile IN (0, 1));"
	"ALTER TABLE products ADD COLUMN uom TEXT NOT NULL DEFAULT 'each' "
	"  CHECK (length(uom) BETWEEN 1 AND 16);"
	"ALTER TABLE products ADD COLUMN updated_at TEXT;"
	"ALTER TABLE product_barcodes ADD COLUMN pack TEXT NOT NULL DEFAULT 'unit' "
	"  CHECK (pack IN ('unit', 'inner', 'case', 'pallet'));"
	"ALTER TABLE locations ADD COLUMN warehouse TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE locations ADD COLUMN zone TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE locations ADD COLUMN aisle TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE locations ADD COLUMN bay TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE locations ADD COLUMN level TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE locations ADD COLUMN bin TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE locations ADD COLUMN pick_sequence INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE locations ADD COLUMN allow_negative INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (allow_negative IN (0, 1));"
	"CREATE INDEX locations_pick ON locations(pick_sequence, code);"
	"CREATE TABLE box_types ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),"
	"  name TEXT NOT NULL,"
	"  barcode TEXT UNIQUE,"
	"  tare_g INTEGER NOT NULL DEFAULT 0 CHECK (tare_g >= 0),"
	"  length_mm INTEGER NOT NULL DEFAULT 0 CHECK (length_mm >= 0),"
	"  width_mm INTEGER NOT NULL DEFAULT 0 CHECK (width_mm >= 0),"
	"  height_mm INTEGER NOT NULL DEFAULT 0 CHECK (height_mm >= 0),"
	"  max_weight_g INTEGER NOT NULL DEFAULT 0 CHECK (max_weight_g >= 0));"
	"CREATE TABLE stock_v2 ("
	"  id INTEGER PRIMARY KEY,"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  location_id INTEGER NOT NULL REFERENCES locations(id),"
	"  lot TEXT NOT NULL DEFAULT '',"
	"  expiry TEXT NOT NULL DEFAULT '',"
	"  serial TEXT NOT NULL DEFAULT '',"
	"  quantity INTEGER NOT NULL,"
	"  UNIQUE (product_id, location_id, lot, expiry, serial));"
	"INSERT INTO stock_v2 (product_id, location_id, lot, quantity) "
	"  SELECT product_id, location_id, lot, quantity FROM stock;"
	"DROP TABLE stock;"
	"ALTER TABLE stock_v2 RENAME TO stock;"
	"CREATE INDEX stock_location ON stock(location_id);"
	"CREATE TABLE ledger ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN "
	"    ('receive', 'pick', 'pack', 'adjust', 'move', 'cancel', 'return')),"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  quantity INTEGER NOT NULL CHECK (quantity > 0),"
	"  from_location_id INTEGER REFERENCES locations(id),"
	"  to_location_id INTEGER REFERENCES locations(id),"
	"  lot TEXT NOT NULL DEFAULT '',"
	"  expiry TEXT NOT NULL DEFAULT '',"
	"  serial TEXT NOT NULL DEFAULT '',"
	"  order_id INTEGER REFERENCES orders(id),"
	"  order_line_id INTEGER REFERENCES order_lines(id),"
	"  scan_id INTEGER REFERENCES scans(id),"
	"  operator TEXT,"
	"  station TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  note TEXT,"
	"  CHECK (from_location_id IS NOT NULL OR to_location_id IS NOT NULL),"
	"  CHECK (from_location_id IS NOT to_location_id));"
	"CREATE INDEX ledger_product ON ledger(product_id, id);"
	"CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger "
	"  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;"
	"CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger "
	"  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;"
	"INSERT INTO ledger (kind, product_id, quantity, to_location_id, lot, station, at, note) "
	"  SELECT 'adjust', product_id, quantity, location_id, lot, 'schema-2', "
	"    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'opening balance: stock before the ledger' "
	"  FROM stock WHERE quantity > 0;"
	"CREATE TABLE reservations ("
	"  id INTEGER PRIMARY KEY,"
	"  order_line_id INTEGER NOT NULL UNIQUE REFERENCES order_lines(id) ON DELETE CASCADE,"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  quantity INTEGER NOT NULL CHECK (quantity > 0));"
	"CREATE INDEX reservations_product ON reservations(product_id);"
	"ALTER TABLE orders ADD COLUMN ship_name TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_company TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_street1 TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_street2 TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_city TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_region TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_postal_code TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_country TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_phone TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN ship_email TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN service_level TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE orders ADD COLUMN carrier TEXT NOT NULL DEFAULT '';",

	/* 2 -> 3: labels, stored before they are printed, and their print jobs */
	"CREATE TABLE labels ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  format TEXT NOT NULL CHECK (format IN ('zpl', 'pdf')),"
	"  dpi INTEGER NOT NULL DEFAULT 0,"
	"  page TEXT NOT NULL DEFAULT '',"
	"  content BLOB NOT NULL CHECK (length(content) > 0),"
	"  sha256 TEXT NOT NULL,"
	"  order_id INTEGER REFERENCES orders(id),"
	"  reference TEXT NOT NULL DEFAULT '',"
	"  station TEXT NOT NULL,"
	"  created_at TEXT NOT NULL);"
	"CREATE INDEX labels_sha256 ON labels(sha256);"
	"CREATE INDEX labels_order ON labels(order_id);"
	"CREATE TRIGGER labels_no_update BEFORE UPDATE OF content, sha256, format ON labels "
	"  BEGIN SELECT RAISE(ABORT, 'a stored label never changes'); END;"
	"CREATE TABLE print_jobs ("
	"  id INTEGER PRIMARY KEY,"
	"  label_id INTEGER NOT NULL REFERENCES labels(id),"
	"  printer TEXT NOT NULL,"
	"  queue TEXT NOT NULL,"
	"  cups_job_id INTEGER,"
	"  state TEXT NOT NULL CHECK (state IN ('submitting', 'pending', 'held', 'processing', "
	"    'stopped', 'cancelled', 'aborted', 'completed', 'failed', 'unknown')),"
	"  reprint INTEGER NOT NULL DEFAULT 0,"
	"  message TEXT NOT NULL DEFAULT '',"
	"  operator TEXT,"
	"  station TEXT NOT NULL,"
	"  requested_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  finished_at TEXT);"
	"CREATE INDEX print_jobs_label ON print_jobs(label_id, id);"
	"CREATE INDEX print_jobs_open ON print_jobs(finished_at);",

	/* 3 -> 4: operators, who log in at a bench by their badge; each scan names the
	 * operator logged in when it was made (NULL before, and at a bench without operators) */
	"CREATE TABLE operators ("
	"  id INTEGER PRIMARY KEY,"
	"  badge TEXT NOT NULL UNIQUE CHECK (length(badge) BETWEEN 1 AND 64),"
	"  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 128),"
	"  role TEXT NOT NULL CHECK (role IN ('packer', 'picker', 'lead')),"
	"  language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'zh-CN')),"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT);"
	"ALTER TABLE scans ADD COLUMN operator TEXT;"
	/* and where each scan was made: the bench, or a device with a workflow of its own; with
	 * who is logged in at each, so a restart resumes where the last scan left it */
	"ALTER TABLE scans ADD COLUMN seat TEXT;"
	"CREATE INDEX scans_seat ON scans(seat, id);"
	"CREATE INDEX labels_reference ON labels(reference);"
	/* each order's events numbered 1, 2, 3 ... in the order they happened, so the central
	 * system can tell one missing or out of order (existing events numbered here) */
	"ALTER TABLE outbox ADD COLUMN order_seq INTEGER;"
	"UPDATE outbox SET order_seq = (SELECT count(*) FROM outbox o2 "
	"  WHERE o2.order_id = outbox.order_id AND o2.id <= outbox.id) "
	"  WHERE order_id IS NOT NULL;"
	"CREATE UNIQUE INDEX outbox_order_seq ON outbox(order_id, order_seq);"
	"CREATE TABLE parcels ("
	"  id INTEGER PRIMARY KEY,"
	"  order_id INTEGER NOT NULL REFERENCES orders(id),"
	"  box_code TEXT,"
	"  expected_g INTEGER NOT NULL,"
	"  tolerance_g INTEGER NOT NULL,"
	"  weight_g INTEGER,"
	"  override_operator TEXT,"
	"  scan_id INTEGER REFERENCES scans(id),"
	"  created_at TEXT NOT NULL);"
	"CREATE INDEX parcels_order ON parcels(order_id);"
	"CREATE TABLE packed_items ("
	"  scan_id INTEGER PRIMARY KEY REFERENCES scans(id),"
	"  order_id INTEGER NOT NULL REFERENCES orders(id),"
	"  line_id INTEGER NOT NULL REFERENCES order_lines(id),"
	"  quantity INTEGER NOT NULL CHECK (quantity > 0),"
	"  undone_by INTEGER REFERENCES scans(id));"
	"CREATE INDEX packed_items_order ON packed_items(order_id, scan_id);"
	"CREATE TABLE seats ("
	"  seat TEXT PRIMARY KEY,"
	"  operator TEXT,"
	"  updated_at TEXT NOT NULL);",

	/* 4 -> 5: goods sold by weight may vary by more than the bench's tolerance; an order
	 * packed in several boxes: each packed scan names the parcel it closed in, and a parcel
	 * of an order given up at the bench is void; manifests */
	"ALTER TABLE products ADD COLUMN weight_tolerance_g INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (weight_tolerance_g >= 0);"
	"ALTER TABLE packed_items ADD COLUMN parcel_id INTEGER REFERENCES parcels(id);"
	"ALTER TABLE packed_items ADD COLUMN serial TEXT;"
	/* before 5 an order had one parcel at most: what it packed is in it */
	"UPDATE packed_items SET parcel_id = (SELECT max(p.id) FROM parcels p "
	"  WHERE p.order_id = packed_items.order_id) WHERE undone_by IS NULL;"
	"CREATE INDEX packed_items_serial ON packed_items(serial) WHERE serial IS NOT NULL;"
	"ALTER TABLE parcels ADD COLUMN voided_by INTEGER REFERENCES scans(id);"
	/* dispatch: the parcels handed to a carrier, by their tracking number or SSCC, on the
	 * carrier's manifest; one open manifest per carrier ('' for orders without one) */
	"CREATE TABLE manifests ("
	"  id INTEGER PRIMARY KEY,"
	"  carrier TEXT NOT NULL DEFAULT '',"
	"  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),"
	"  opened_at TEXT NOT NULL,"
	"  closed_at TEXT,"
	"  closed_by INTEGER REFERENCES scans(id));"
	"CREATE UNIQUE INDEX manifests_open ON manifests(carrier) WHERE status = 'open';"
	"CREATE TABLE manifest_parcels ("
	"  id INTEGER PRIMARY KEY,"
	"  manifest_id INTEGER NOT NULL REFERENCES manifests(id),"
	"  order_id INTEGER NOT NULL REFERENCES orders(id),"
	"  label_id INTEGER REFERENCES labels(id),"
	"  reference TEXT NOT NULL UNIQUE,"
	"  scan_id INTEGER REFERENCES scans(id),"
	"  added_at TEXT NOT NULL);"
	"CREATE INDEX manifest_parcels_manifest ON manifest_parcels(manifest_id);"
	"CREATE INDEX manifest_parcels_order ON manifest_parcels(order_id);",

	/* 5 -> 6: picking. A pick list holds orders (each with its slot and the tote its goods
	 * go in) and its picks: one per order line and location, in the route's order (seq),
	 * with the lot suggested (first expiring first); each accepted pick scan, for undo */
	"CREATE TABLE picklists ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),"
	"  mode TEXT NOT NULL CHECK (mode IN ('order', 'batch', 'cluster')),"
	"  status TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),"
	"  seat TEXT,"
	"  created_at TEXT NOT NULL,"
	"  finished_at TEXT);"
	"CREATE UNIQUE INDEX picklists_seat ON picklists(seat) WHERE status = 'open';"
	"CREATE TABLE picklist_orders ("
	"  picklist_id INTEGER NOT NULL REFERENCES picklists(id),"
	"  order_id INTEGER NOT NULL REFERENCES orders(id),"
	"  slot INTEGER NOT NULL CHECK (slot > 0),"
	"  tote_id INTEGER REFERENCES locations(id),"
	"  picked_at TEXT,"
	"  PRIMARY KEY (picklist_id, order_id),"
	"  UNIQUE (picklist_id, slot));"
	"CREATE INDEX picklist_orders_order ON picklist_orders(order_id);"
	"CREATE INDEX picklist_orders_tote ON picklist_orders(tote_id);"
	"CREATE TABLE picks ("
	"  id INTEGER PRIMARY KEY,"
	"  picklist_id INTEGER NOT NULL REFERENCES picklists(id),"
	"  seq INTEGER NOT NULL,"
	"  order_line_id INTEGER NOT NULL REFERENCES order_lines(id),"
	"  location_id INTEGER NOT NULL REFERENCES locations(id),"
	"  lot TEXT NOT NULL DEFAULT '',"
	"  expiry TEXT NOT NULL DEFAULT '',"
	"  quantity INTEGER NOT NULL CHECK (quantity > 0),"
	"  picked INTEGER NOT NULL DEFAULT 0 CHECK (picked >= 0),"
	"  short INTEGER NOT NULL DEFAULT 0 CHECK (short >= 0),"
	"  short_reason TEXT,"
	"  done_at TEXT,"
	"  CHECK (picked + short <= quantity));"
	"CREATE INDEX picks_list ON picks(picklist_id, seq);"
	"CREATE TABLE pick_scans ("
	"  scan_id INTEGER PRIMARY KEY REFERENCES scans(id),"
	"  pick_id INTEGER NOT NULL REFERENCES picks(id),"
	"  quantity INTEGER NOT NULL CHECK (quantity > 0),"
	"  lot TEXT NOT NULL DEFAULT '',"
	"  expiry TEXT NOT NULL DEFAULT '',"
	"  serial TEXT NOT NULL DEFAULT '',"
	"  undone_by INTEGER REFERENCES scans(id));"
	"CREATE INDEX pick_scans_pick ON pick_scans(pick_id);"
	/* the bench labels each parcel: its SSCC (or a carrier's number), and the scan that
	 * confirmed the printed label is on it */
	"ALTER TABLE parcels ADD COLUMN reference TEXT;"
	"ALTER TABLE parcels ADD COLUMN confirmed_by INTEGER REFERENCES scans(id);"
	"CREATE UNIQUE INDEX parcels_reference ON parcels(reference);"
	/* the box type scanned for the box being filled, until it closes: a restart goes on
	 * with it */
	"ALTER TABLE orders ADD COLUMN open_box TEXT;"
	/* what the scale decided (a parcel accepted or refused, a scale in trouble), kept as
	 * the scans are */
	"CREATE TABLE weighings ("
	"  id INTEGER PRIMARY KEY,"
	"  station TEXT NOT NULL,"
	"  device TEXT NOT NULL,"
	"  grams INTEGER,"
	"  status TEXT NOT NULL,"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('ok','refused')),"
	"  reason TEXT,"
	"  message TEXT NOT NULL,"
	"  order_id INTEGER REFERENCES orders(id),"
	"  operator TEXT,"
	"  weighed_at TEXT NOT NULL,"
	"  CHECK ((verdict = 'ok') = (reason IS NULL)));"
	"CREATE INDEX weighings_order ON weighings(order_id);"
	/* what a customs declaration (CN23) says of a product */
	"ALTER TABLE products ADD COLUMN hs_code TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE products ADD COLUMN origin_country TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE products ADD COLUMN customs_value_cents INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (customs_value_cents >= 0);"
	/* the tracking number a carrier gave the order (its first parcel's), and so its label */
	"ALTER TABLE orders ADD COLUMN tracking TEXT NOT NULL DEFAULT '';"
	/* the requests an outside caller may retry (station record --id): a key done once is
	 * not done again; what it made is kept to say so */
	"CREATE TABLE requests ("
	"  key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 128),"
	"  verb TEXT NOT NULL,"
	"  ledger_id INTEGER REFERENCES ledger(id),"
	"  at TEXT NOT NULL);",

	/* 6 -> 7: the delivery to the central system. An event the central system rejected
	 * (it can never be applied as it is) is parked with the reason until a person retries
	 * it; the later events of its order wait behind it. The sync's own state (when it last
	 * delivered, its last error) is kept beside the outbox. */
	"ALTER TABLE outbox ADD COLUMN parked_at TEXT;"
	"ALTER TABLE outbox ADD COLUMN park_reason TEXT;"
	"CREATE INDEX outbox_parked ON outbox(parked_at) WHERE parked_at IS NOT NULL;"
	"CREATE TABLE sync_state ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL);",

	/* 7 -> 8: the claim a bench makes on the order it opens for packing, told to the
	 * central system when it can be (offline, the claim is local): pending until the
	 * central system answers, then held, or in conflict with the station that holds it */
	"CREATE TABLE order_claims ("
	"  order_id INTEGER PRIMARY KEY REFERENCES orders(id),"
	"  state TEXT NOT NULL CHECK (state IN ('pending', 'held', 'conflict', 'unknown')),"
	"  holder TEXT,"
	"  made_at TEXT NOT NULL,"
	"  settled_at TEXT);"
	"CREATE INDEX order_claims_pending ON order_claims(state) WHERE state = 'pending';",

	/* 8 -> 9: the API's device tokens (`station token create`): only their SHA-256 is
	 * kept, so a copy of the database gives no token away */
	"CREATE TABLE api_tokens ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),"
	"  role TEXT NOT NULL CHECK (role IN ('packer', 'picker', 'lead')),"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  created_at TEXT NOT NULL,"
	"  revoked_at TEXT);",

	/* 9 -> 10: what every scan asks is searched, not walked (a shift's later scans cost
	 * what its first ones did): an order line's items already in a parcel, a parcel's
	 * items, the stock a packed scan took */
	"CREATE INDEX packed_items_line ON packed_items(line_id, parcel_id) "
	"  WHERE undone_by IS NULL;"
	"CREATE INDEX packed_items_parcel ON packed_items(parcel_id) WHERE parcel_id IS NOT NULL;"
	"CREATE INDEX ledger_scan ON ledger(scan_id) WHERE scan_id IS NOT NULL;",
	/* 10 -> 11: a CHECK naming more than two values (x IN ('a', 'b', 'c')) made SQLite
	 * build a temporary table of them at every row written: a ledger row, an order's
	 * status, an imported barcode. The same checks as comparisons (x = 'a' OR ...), which
	 * are read in place. An equivalent CHECK leaves every row valid, so the definitions
	 * are edited where SQLite keeps them, as its documentation allows for CHECK
	 * constraints (ALTER TABLE, "making other kinds of table schema changes"); the store
	 * raises the schema cookie after a migration that writes the schema */
	"PRAGMA writable_schema = ON;"
	"UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (role IN (''packer'', "
	"''picker'', ''lead''))', 'CHECK (role = ''packer'' OR role = ''picker'' OR "
	"role = ''lead'')') WHERE type = 'table' AND name = 'api_tokens';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN     (''receive'', "
	"''pick'', ''pack'', ''adjust'', ''move'', ''cancel'', ''return''))', 'CHECK "
	"(kind = ''receive'' OR kind = ''pick'' OR kind = ''pack'' OR kind = ''adjust'' "
	"OR kind = ''move'' OR kind = ''cancel'' OR kind = ''return'')') WHERE type = "
	"'table' AND name = 'ledger';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN "
	"(''bin'',''tote'',''cart'',''bench'',''dock''))', 'CHECK (kind = ''bin'' OR "
	"kind = ''tote'' OR kind = ''cart'' OR kind = ''bench'' OR kind = ''dock'')') "
	"WHERE type = 'table' AND name = 'locations';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (role IN (''packer'', "
	"''picker'', ''lead''))', 'CHECK (role = ''packer'' OR role = ''picker'' OR "
	"role = ''lead'')') WHERE type = 'table' AND name = 'operators';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state IN (''pending'', "
	"''held'', ''conflict'', ''unknown''))', 'CHECK (state = ''pending'' OR state = "
	"''held'' OR state = ''conflict'' OR state = ''unknown'')') WHERE type = "
	"'table' AND name = 'order_claims';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (status IN     "
	"(''released'',''packing'',''packed'',''shipped'',''cancelled''))', 'CHECK "
	"(status = ''released'' OR status = ''packing'' OR status = ''packed'' OR "
	"status = ''shipped'' OR status = ''cancelled'')') WHERE type = 'table' AND "
	"name = 'orders';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (mode IN (''order'', "
	"''batch'', ''cluster''))', 'CHECK (mode = ''order'' OR mode = ''batch'' OR "
	"mode = ''cluster'')') WHERE type = 'table' AND name = 'picklists';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (status IN (''open'', "
	"''done'', ''cancelled''))', 'CHECK (status = ''open'' OR status = ''done'' OR "
	"status = ''cancelled'')') WHERE type = 'table' AND name = 'picklists';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state IN (''submitting'', "
	"''pending'', ''held'', ''processing'',     ''stopped'', ''cancelled'', "
	"''aborted'', ''completed'', ''failed'', ''unknown''))', 'CHECK (state = "
	"''submitting'' OR state = ''pending'' OR state = ''held'' OR state = "
	"''processing'' OR state = ''stopped'' OR state = ''cancelled'' OR state = "
	"''aborted'' OR state = ''completed'' OR state = ''failed'' OR state = "
	"''unknown'')') WHERE type = 'table' AND name = 'print_jobs';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (pack IN (''unit'', "
	"''inner'', ''case'', ''pallet''))', 'CHECK (pack = ''unit'' OR pack = "
	"''inner'' OR pack = ''case'' OR pack = ''pallet'')') WHERE type = 'table' AND "
	"name = 'product_barcodes';"
	"PRAGMA writable_schema = OFF;",
};

/* Returns: the SQL of the migration from schema @version to @version + 1, or NULL past the
 * latest */
const gchar *
st_store_migration(guint version)
{
	return version < G_N_ELEMENTS(migrations) ? migrations[version] : NULL;
}

/* Returns: the schema this program writes: the number of migrations */
guint
st_store_migrations_count(void)
{
	return G_N_ELEMENTS(migrations);
}
