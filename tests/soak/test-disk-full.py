#!/usr/bin/env python3
"""The disk full under `station serve`, then space again.

The database is on a small filesystem of its own (a 4 MiB tmpfs, mounted for the test: it
needs root, and is skipped with a reason otherwise). An order is opened and an item packed;
then a file fills the filesystem to its last byte. The next scans are refused, each with a
log line that says the disk is full and that nothing of it was recorded, and the daemon stays
up; nothing of them is in the database. The file removed, the next scan is recorded and the
order goes on where it was. `station check` then finds nothing wrong.

TAP on stdout. usage: test-disk-full.py STATION
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from soak import Log, bench, check, import_files, report, serve  # noqa: E402


def skip(reason):
    print("1..0 # SKIP " + reason)
    sys.exit(77)


def main():
    station = sys.argv[1]
    if os.geteuid() != 0:
        skip("mounting a small filesystem needs root")
    d = tempfile.mkdtemp(prefix="station-disk-full-")
    small = os.path.join(d, "small")
    os.mkdir(small)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small],
                       capture_output=True, text=True)
    if r.returncode != 0:
        shutil.rmtree(d, ignore_errors=True)
        skip("cannot mount a tmpfs here: " + r.stderr.strip())
    proc = None
    try:
        db = os.path.join(small, "station.db")
        conf, fifo = bench(d, db)
        import_files(station, conf, d, [("PEN", "Pen", 12, "4006381333931")],
                     [("ORD-1", "PEN", 50)])
        log_path = os.path.join(d, "serve.log")
        open(log_path, "w").close()
        log = Log(log_path)
        proc = serve(station, conf, log_path)
        check("station serve starts on the small filesystem", proc.poll() is None)
        wait_for = log.wait_for
        w = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)

        def scan(code):
            os.write(w, f"type {code}\n".encode())

        scan("ORD-1")
        check("the order opens", wait_for(r"scan \d+ from bench-scanner 'ORD-1': ok"))
        scan("4006381333931")
        check("an item is packed", wait_for(r"scan \d+ from bench-scanner '4006381333931': ok"))
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        scans_before = c.execute("SELECT count(*) FROM scans").fetchone()[0]
        c.close()

        # the filesystem filled to its last byte
        filler = os.path.join(small, "filler")
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        for size in (65536, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
        os.close(fd)
        refused = 0
        for _ in range(3):
            scan("4006381333931")
            m = wait_for(r"(scan \d+ from bench-scanner '4006381333931': ok)|"
                         r"(disk holding \S+ is full[^\n]*nothing of it was recorded)")
            if m is not None and m.group(2) is not None:
                refused += 1
        check("with the disk full, each scan is refused, the log saying the disk is full and "
              "nothing was recorded", refused == 3, log.buf[-2000:])
        check("the daemon stays up", proc.poll() is None)
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        check("nothing of those scans is in the database",
              c.execute("SELECT count(*) FROM scans").fetchone()[0] == scans_before)
        c.close()

        os.unlink(filler)
        scan("4006381333931")
        check("space again: the next scan is recorded, the order goes on",
              wait_for(r"scan \d+ from bench-scanner '4006381333931': ok: [^\n]*2 of 50") is not None,
              log.buf[-2000:])
        os.close(w)
        proc.terminate()
        proc.wait(timeout=30)
        proc = None
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        check("integrity_check ok", c.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
        packed = c.execute("SELECT packed FROM order_lines").fetchone()[0]
        c.close()
        check("the line counts the two items recorded", packed == 2, f"packed {packed}")
        r = subprocess.run([station, "check", "-c", conf], capture_output=True, text=True)
        check("station check finds nothing", r.returncode == 0, r.stdout + r.stderr)
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
        subprocess.run(["umount", small], capture_output=True)
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    finally:
        sys.exit(report())
