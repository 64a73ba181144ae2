#!/usr/bin/env python3
"""The central order system down for a long stretch of a shift, then back.

`station serve` packs SCANS scans through its emulated scanner while the reference central
system answers every request 503 (its `down` fault): every scan is answered at once, none is
refused because of it, and the events wait in the outbox, retried with backoff. The central
system back, the outbox drains by itself: the central system then holds every event once, in
each order's sequence, and the station's sync state has no error left. How long the backlog
took to reach it is printed.

TAP on stdout. usage: test-outage.py STATION ST_CENTRAL [SCANS]
"""
import json
import os
import re
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


def faults(url, body):
    req = urllib.request.Request(url.rstrip("/") + "/v1/_faults", data=body.encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


def main():
    station, central_bin = sys.argv[1], sys.argv[2]
    n_scans = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    d = tempfile.mkdtemp(prefix="station-outage-")
    central = proc = None
    try:
        central, url = start_central(central_bin, d)
        conf, fifo = bench(d, os.path.join(d, "station.db"), url,
                           "max-backoff = 2\ntimeout = 3\n")
        code = gtin13("401234598000")
        n_orders = n_scans // 11 + 1
        import_files(station, conf, d, [("P", "Product", 50, code)],
                     [(f"OUT-{n}", "P", 10) for n in range(n_orders)])
        plan = []
        for n in range(n_orders):
            plan += [f"OUT-{n}"] + [code] * 10
        plan = plan[:n_scans]

        faults(url, '{"down": true}')
        log_path = os.path.join(d, "serve.log")
        open(log_path, "w").close()
        proc = serve(station, conf, log_path)
        log = Log(log_path)
        w = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        answered = refused = 0
        t0 = time.monotonic()
        for text in plan:
            os.write(w, f"type {text}\n".encode())
            m = log.wait_for(VERDICT.pattern, 30)
            if m is not None:
                answered += 1
                refused += m.group(3) == "refused"
        took = time.monotonic() - t0
        os.close(w)
        db = os.path.join(d, "station.db")
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        pending, total = c.execute("SELECT sum(delivered_at IS NULL), count(*) FROM outbox").fetchone()
        c.close()
        check(f"{len(plan)} scans answered while the central system was down "
              f"({len(plan) / took:.0f} a second)", answered == len(plan),
              f"{answered} answered")
        check("none refused because of it", refused == 0, f"{refused} refused")
        check("the events wait in the outbox", pending == total and total > len(plan) // 2,
              f"{pending} of {total} waiting")
        # back: the outbox drains by itself
        faults(url, '{"down": false}')
        t0 = time.monotonic()
        deadline = t0 + 300
        while time.monotonic() < deadline:
            c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            pending = c.execute("SELECT count(*) FROM outbox WHERE delivered_at IS NULL").fetchone()[0]
            c.close()
            if pending == 0:
                break
            time.sleep(0.1)
        drained = time.monotonic() - t0
        check(f"back: the backlog of {total} events delivered by itself", pending == 0,
              f"{pending} left")
        with urllib.request.urlopen(url.rstrip("/") + "/v1/_query/events", timeout=30) as r:
            held = json.load(r)
        ids = [e["id"] for e in held]
        check("the central system holds each event once", len(ids) == len(set(ids)) == total,
              f"{len(ids)} held, {len(set(ids))} distinct, {total} made")
        check("each in its order's sequence", all(e["in_order"] for e in held))
        r = subprocess.run([station, "sync", "status", "-c", conf], capture_output=True,
                           text=True)
        success = re.search(r"last success: (\S+)", r.stdout)
        error = re.search(r"last error: (\S+)", r.stdout)
        check("station sync status: nothing waiting, the last success after the last error",
              r.returncode == 0 and "waiting: 0 event(s)" in r.stdout and success and
              (error is None or success.group(1) > error.group(1)), r.stdout + r.stderr)
        print(f"# {len(plan)} scans in {took:.1f} s with the central system down; "
              f"{total} events delivered {drained:.1f} s after it came back")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        proc = None
    finally:
        clean_up(d, proc, central)


if __name__ == "__main__":
    try:
        main()
    finally:
        sys.exit(report())
