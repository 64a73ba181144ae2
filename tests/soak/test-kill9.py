#!/usr/bin/env python3
"""A shift through `station serve` killed with SIGKILL at random points and restarted.

SCANS scans (orders and their items) are typed into the bench's emulated scanner through its
named pipe, one at a time, each answer read from the daemon's log (a verdict is logged only
once it is committed). KILLS times, at a random scan and a random moment (before the scan,
while its keys are typed, or just after: in its commit), the daemon is killed with SIGKILL and
started again on the same database. The events go to the reference central system all along,
some of their batches answered only after the station was killed. Then, with the daemon
stopped cleanly and the outbox drained:

- every acknowledged verdict (one the log gave) is in the database, with its verdict and
  text, and every item it accepted is packed (nothing acknowledged is lost);
- no order line is packed beyond its quantity, and `station check` (integrity, the stock
  against the ledger) finds nothing;
- the central system holds every event of the outbox exactly once, each in its order's
  sequence (the ones delivered twice were applied once).

TAP on stdout. usage: test-kill9.py STATION ST_CENTRAL [SCANS] [KILLS] [SEED]
"""
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from soak import (VERDICT, Log, bench, check, gtin13, import_files, report,  # noqa: E402
                  clean_up, serve, start_central)


def main():
    station, central_bin = sys.argv[1], sys.argv[2]
    n_scans = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    n_kills = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 20261207
    rng = random.Random(seed)
    d = tempfile.mkdtemp(prefix="station-kill9-")
    central = None
    proc = None
    try:
        central, url = start_central(central_bin, d)
        conf, fifo = bench(d, os.path.join(d, "station.db"), url,
                           "max-backoff = 1\ntimeout = 3\n")
        # the shift's orders: each ten units of one product (an order scan and ten items)
        n_orders = n_scans // 11 + 1
        gtin = {f"P{i}": gtin13(f"401234599{i:03d}") for i in range(20)}
        import_files(station, conf, d,
                     [(sku, f"Product {sku}", 50, code) for sku, code in gtin.items()],
                     [(f"SOAK-{n}", f"P{n % 20}", 10) for n in range(n_orders)])
        plan = []
        for n in range(n_orders):
            plan.append(f"SOAK-{n}")
            plan.extend([gtin[f"P{n % 20}"]] * 10)
        plan = plan[:n_scans]
        kill_at = sorted(rng.sample(range(1, len(plan)), n_kills))

        log_path = os.path.join(d, "serve.log")
        open(log_path, "w").close()
        acked = {}  # scan id -> (text, verdict)
        proc = serve(station, conf, log_path)
        log = Log(log_path)
        w = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        kills = 0
        lost = 0
        lost_log = []
        for i, text in enumerate(plan):
            kill_now = kills < len(kill_at) and kill_at[kills] == i
            moment = rng.choice(["before", "typing", "commit"]) if kill_now else None
            if kill_now and rng.random() < 0.5:
                # the central system will take the next batch and never answer it: the
                # station is killed waiting, and sends it again after the restart
                req = urllib.request.Request(url.rstrip("/") + "/v1/_faults",
                                             data=b'{"hang_after_body": 1}', method="POST",
                                             headers={"Content-Type": "application/json"})
                urllib.request.urlopen(req, timeout=10).read()
                time.sleep(rng.uniform(0.0, 0.05))
            if moment == "before":
                proc.send_signal(signal.SIGKILL)
            if moment != "before":
                os.write(w, f"type {text}\n".encode())
            if moment in ("typing", "commit"):
                time.sleep(0 if moment == "typing" else rng.uniform(0.0005, 0.004))
                proc.send_signal(signal.SIGKILL)
            if kill_now:
                proc.wait()
                kills += 1
                # what it answered before it died counts; the rest of this scan does not
                for m in VERDICT.finditer(log.read()):
                    acked[int(m.group(1))] = (m.group(2), m.group(3))
                # what the killed daemon left unread in the pipe goes with it, as a
                # scanner's keys typed into a machine that died
                r = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
                try:
                    while os.read(r, 65536):
                        pass
                except BlockingIOError:
                    pass
                os.close(r)
                os.close(w)
                proc = serve(station, conf, log_path)
                log.pos = os.path.getsize(log_path)
                log.partial = ""
                w = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                continue
            deadline = time.monotonic() + 60
            got = False
            while time.monotonic() < deadline and not got:
                for m in VERDICT.finditer(log.read()):
                    acked[int(m.group(1))] = (m.group(2), m.group(3))
                    got = got or m.group(2) == text
                if not got:
                    time.sleep(0.0005)
            if not got:
                lost += 1
                lost_log.append(f"scan {i} {text}: " + log.buf[-1500:])
        os.close(w)
        # the rest of the outbox to the central system, then a clean stop
        deadline = time.monotonic() + 120
        db = os.path.join(d, "station.db")
        while time.monotonic() < deadline:
            c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            pending = c.execute("SELECT count(*) FROM outbox WHERE delivered_at IS NULL").fetchone()[0]
            c.close()
            if pending == 0:
                break
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        proc = None

        check(f"{len(plan)} scans typed, {kills} kills with SIGKILL, each restarted",
              kills == n_kills)
        # the kills take at most a scan each: the rest must have been answered, or the
        # checks below would hold for nothing
        check(f"the scans not killed were acknowledged ({len(acked)} of {len(plan)})",
              len(acked) >= len(plan) - 2 * kills, f"{len(acked)} acknowledged")
        check("every scan typed while the daemon ran was answered", lost == 0,
              f"{lost} not:\n" + "\n".join(lost_log[:2]))
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        check("integrity_check ok", c.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
        missing, wrong = [], []
        for sid, (text, verdict) in acked.items():
            row = c.execute("SELECT text, verdict FROM scans WHERE id = ?", (sid,)).fetchone()
            if row is None:
                missing.append(sid)
            elif row[1] != verdict or row[0] != text:
                wrong.append((sid, row, text, verdict))
        check(f"every acknowledged verdict ({len(acked)}) is in the database", not missing,
              f"missing scans {missing[:10]}")
        check("each with its verdict and text", not wrong, str(wrong[:5]))
        ok_items = [sid for sid, (text, v) in acked.items()
                    if v == "ok" and not text.startswith("SOAK-")]
        unpacked = [sid for sid in ok_items if c.execute(
            "SELECT count(*) FROM packed_items WHERE scan_id = ? AND undone_by IS NULL",
            (sid,)).fetchone()[0] != 1]
        check(f"every item an acknowledged verdict accepted ({len(ok_items)}) is packed",
              not unpacked, str(unpacked[:10]))
        over = c.execute("SELECT count(*) FROM order_lines l WHERE (SELECT coalesce(sum("
                         "quantity), 0) FROM packed_items i WHERE i.line_id = l.id AND "
                         "i.undone_by IS NULL) > l.quantity").fetchone()[0]
        check("no order line packed beyond its quantity", over == 0, f"{over} lines")
        counted = c.execute("SELECT count(*) FROM order_lines l WHERE l.packed != (SELECT "
                            "coalesce(sum(quantity), 0) FROM packed_items i WHERE i.line_id = "
                            "l.id AND i.undone_by IS NULL)").fetchone()[0]
        check("each line's packed count is its packed items'", counted == 0, f"{counted} lines")
        outbox = c.execute("SELECT count(*), sum(delivered_at IS NULL) FROM outbox").fetchone()
        ids = {r[0] for r in c.execute("SELECT idempotency_key FROM outbox")}
        c.close()
        check("the outbox drained", outbox[1] == 0, f"{outbox[1]} waiting")
        r = subprocess.run([station, "check", "-c", conf], capture_output=True, text=True)
        check("station check finds nothing", r.returncode == 0, r.stdout + r.stderr)

        with urllib.request.urlopen(url.rstrip("/") + "/v1/_query/events", timeout=30) as resp:
            held = json.load(resp)
        held_ids = [e["id"] for e in held]
        check(f"the central system holds every event ({outbox[0]}) once",
              len(held_ids) == len(set(held_ids)) and set(held_ids) == ids,
              f"held {len(held_ids)} ({len(set(held_ids))} distinct), outbox {len(ids)}, "
              f"missing {list(ids - set(held_ids))[:5]}")
        check("each in its order's sequence", all(e["in_order"] for e in held),
              str([e for e in held if not e["in_order"]][:3]))
        twice = sum(1 for e in held if e["deliveries"] > 1)
        print(f"# {len(plan)} scans, {len(acked)} acknowledged, {kills} kills; "
              f"{len(held_ids)} events at the central system, {twice} of them delivered "
              f"more than once (a batch sent again after a kill) and applied once")
    finally:
        clean_up(d, proc, central)


if __name__ == "__main__":
    try:
        main()
    finally:
        sys.exit(report())
