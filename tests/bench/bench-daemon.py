#!/usr/bin/env python3
"""Benchmark: `station serve` as a bench runs it.

- Start-up to ready: from the process started to its "ready" line (database open and
  migrated, devices opened, the API listening), interleaved round by round with `station
  version`, the floor every command pays (the process and its libraries).
- Resident memory idle: VmRSS a second after ready, with an emulated scanner that has nothing
  to play.
- Resident memory under load: a shift of ORDERS orders of three items each, packed through an
  emulated keyboard-wedge scanner whose script types every order and item (the real keyboard
  decoder, router, pack workflow and durable store), no key interval; VmHWM (the peak) and
  VmRSS once the last scan's verdict is in the log, and the scans per second it took.

Prints medians; with $ST_BENCH_RESULTS set, appends rows for `make bench`'s table
(tests/bench/st-bench.h). Asserts no time.

usage: bench-daemon.py STATION [ROUNDS] [ORDERS]
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def config(d, script):
    path = os.path.join(d, "station.conf")
    with open(path, "w") as f:
        f.write(f"""[station]
id = bench-daemon
[store]
path = {d}/station.db
[usb]
enabled = false
[http]
listen = 127.0.0.1:0
[pack]
weigh = no
slip-template = none
[device bench-scanner]
driver = emulated
key-interval = 0
script = {script}
""")
    return path


def wait_line(log_path, pattern, proc, timeout):
    """the log's first match of pattern, read as the daemon writes it"""
    deadline = time.monotonic() + timeout
    rx = re.compile(pattern)
    while time.monotonic() < deadline:
        with open(log_path, errors="replace") as f:
            m = rx.search(f.read())
        if m:
            return m
        if proc.poll() is not None:
            break
        time.sleep(0.002)
    with open(log_path, errors="replace") as f:
        sys.exit(f"bench-daemon: no '{pattern}' in the log:\n{f.read()[-3000:]}")


def row(figure, median, p99, baseline, base, ratio, lo, hi, spread, rounds):
    path = os.environ.get("ST_BENCH_RESULTS")
    if not path:
        return
    nan = float("nan")
    vals = ["bench-daemon", figure, median, nan if p99 is None else p99, baseline or "",
            nan if base is None else base, nan if ratio is None else ratio,
            nan if lo is None else lo, nan if hi is None else hi, spread, rounds]
    with open(path, "a") as f:
        f.write("\t".join(str(v) for v in vals) + "\n")


def main():
    station = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    orders = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    d = tempfile.mkdtemp(prefix="bench-daemon-")
    try:
        # the shift's data: products and orders imported as a shift lead would
        with open(os.path.join(d, "products.csv"), "w") as f:
            f.write("sku,name,weight_g,barcode\n")
            for i in range(50):
                base = f"400638133{i:03d}"
                s = sum(int(c) * (3 if k % 2 else 1) for k, c in enumerate(base))
                f.write(f"SKU-{i},Article {i},100,{base}{(10 - s % 10) % 10}\n")
        gtins = []
        with open(os.path.join(d, "products.csv")) as f:
            next(f)
            for line in f:
                gtins.append(line.strip().split(",")[3])
        with open(os.path.join(d, "orders.csv"), "w") as f:
            f.write("order,sku,quantity\n")
            for n in range(orders):
                for k in range(3):
                    f.write(f"BENCH-{n},SKU-{(n + k) % 50},1\n")
        script = os.path.join(d, "shift.txt")
        with open(script, "w") as f:
            for n in range(orders):
                f.write(f"type BENCH-{n}\n")
                for k in range(3):
                    f.write(f"type {gtins[(n + k) % 50]}\n")
        idle_script = os.path.join(d, "idle.txt")
        with open(idle_script, "w") as f:
            f.write("# nothing to play\n")

        conf = config(d, idle_script)
        for kind in ("products", "orders"):
            subprocess.run([station, "import", "-c", conf, kind, os.path.join(d, kind + ".csv")],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        start_ms, version_ms, ratios, idle_kib = [], [], [], []
        for r in range(rounds + 1):
            log_path = os.path.join(d, "serve.log")
            with open(log_path, "w") as log:
                t0 = time.monotonic()
                proc = subprocess.Popen([station, "serve", "-c", conf], stdout=log, stderr=log)
            try:
                wait_line(log_path, r"station \S+ ready", proc, 60)
                ready = (time.monotonic() - t0) * 1000
                time.sleep(1)
                rss = status_kib(proc.pid, "VmRSS")
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            t0 = time.monotonic()
            subprocess.run([station, "version"], check=True, stdout=subprocess.DEVNULL)
            version = (time.monotonic() - t0) * 1000
            if r == 0:
                continue  # the first round warms the page cache for both
            start_ms.append(ready)
            version_ms.append(version)
            ratios.append(ready / version)
            idle_kib.append(rss)

        # the shift under load
        conf = config(d, script)
        log_path = os.path.join(d, "shift.log")
        scans = orders * 4
        with open(log_path, "w") as log:
            proc = subprocess.Popen([station, "serve", "-c", conf], stdout=log, stderr=log)
        try:
            wait_line(log_path, r"station \S+ ready", proc, 60)
            t0 = time.monotonic()
            peak_rss = 0
            last = f"BENCH-{orders - 1} is complete"
            deadline = time.monotonic() + 1800
            while time.monotonic() < deadline:
                peak_rss = max(peak_rss, status_kib(proc.pid, "VmRSS"))
                with open(log_path, errors="replace") as f:
                    text = f.read()
                if last in text:
                    break
                if proc.poll() is not None:
                    sys.exit("bench-daemon: station serve ended:\n" + text[-3000:])
                time.sleep(0.05)
            else:
                sys.exit("bench-daemon: the shift did not end")
            took = time.monotonic() - t0
            anon = status_kib(proc.pid, "RssAnon")
            file_kib = status_kib(proc.pid, "RssFile")
            db_kib = os.path.getsize(os.path.join(d, "station.db")) // 1024
            hwm = status_kib(proc.pid, "VmHWM")
            end_rss = status_kib(proc.pid, "VmRSS")
            refused = len(re.findall(r": refused", text))
        finally:
            proc.terminate()
            proc.wait(timeout=30)

        med = statistics.median
        srt = sorted(ratios)
        print(f"bench-daemon: station serve, {rounds} rounds interleaved with station version")
        print(f"  start-up to ready       median {med(start_ms):7.1f} ms  max {max(start_ms):7.1f} ms")
        print(f"  station version         median {med(version_ms):7.1f} ms  (the floor of a process)")
        print(f"  ratio, median of the rounds {med(ratios):.1f} ({srt[0]:.1f} to {srt[-1]:.1f})")
        print(f"  resident memory idle    median {med(idle_kib) / 1024:7.1f} MiB (a second after ready)")
        print(f"bench-daemon: a shift of {orders} orders, {scans} scans through an emulated scanner")
        print(f"  {scans / took:7.0f} scans/s, {refused} refused; resident memory at most "
              f"{hwm / 1024:.1f} MiB (VmHWM), {end_rss / 1024:.1f} MiB at the end: "
              f"{anon / 1024:.1f} MiB its own (RssAnon), {file_kib / 1024:.1f} MiB of files "
              f"mapped (RssFile: the libraries; the database is {db_kib / 1024:.1f} MiB)")
        row("`station serve` start-up to ready, ms", med(start_ms), max(start_ms),
            "`station version`", med(version_ms), med(ratios), srt[0], srt[-1], "min-max", rounds)
        row("`station serve` resident memory idle, MiB", med(idle_kib) / 1024, None, None, None,
            None, None, None, "", rounds)
        row(f"`station serve` resident memory, a shift of {scans} scans (peak), MiB", hwm / 1024,
            None, None, None, None, None, None, "", 1)
        row(f"`station serve` its own memory (RssAnon) after {scans} scans, MiB", anon / 1024,
            None, None, None, None, None, None, "", 1)
        row(f"`station serve` packing a shift through an emulated scanner, scans/s", scans / took,
            None, None, None, None, None, None, "", 1)
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
