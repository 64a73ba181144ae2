"""What the slow suite's tests share: TAP results, the daemon's log read as it grows, and
`station serve` started on a configuration until it says ready."""
import os
import re
import subprocess
import sys
import time

results = []

# a verdict as the router logs it, once it is committed
VERDICT = re.compile(r"scan (\d+) from bench-scanner '([^']*)': (ok|refused)")


def check(name, ok, detail=""):
    results.append((name, bool(ok), detail))


def report():
    """prints the TAP plan and lines; Returns: the exit status"""
    if results:
        print(f"1..{len(results)}")
        for i, (name, ok, detail) in enumerate(results, 1):
            print(f"{'ok' if ok else 'not ok'} {i} {name}")
            if not ok and detail:
                for line in str(detail).splitlines()[-20:]:
                    print(f"# {line}")
    return 0 if results and all(ok for _, ok, _ in results) else 1


class Log:
    """the daemon's log, read as it grows"""

    def __init__(self, path):
        self.path = path
        self.pos = os.path.getsize(path) if os.path.exists(path) else 0
        self.buf = ""
        self.partial = ""  # the start of a line the daemon is still writing

    def read(self):
        """Returns: the whole lines written since the last read (a line being written is
        held back until its end is there)"""
        with open(self.path, errors="replace") as f:
            f.seek(self.pos)
            data = f.read()
            self.pos = f.tell()
        data = self.partial + data
        cut = data.rfind("\n") + 1
        self.partial = data[cut:]
        data = data[:cut]
        self.buf += data
        return data

    def wait_for(self, pattern, timeout=30):
        """the next match of @pattern, the log consumed up to its end; None at the timeout"""
        deadline = time.monotonic() + timeout
        while True:
            self.read()
            m = re.search(pattern, self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            if time.monotonic() > deadline:
                return None
            time.sleep(0.002)


def serve(station, conf, log_path):
    """`station serve -c @conf`, its output appended to @log_path, once it says ready"""
    log = Log(log_path)
    with open(log_path, "a") as out:
        proc = subprocess.Popen([station, "serve", "-c", conf], stdout=out, stderr=out)
    if log.wait_for(r"station \S+ ready", 60) is None or proc.poll() is not None:
        with open(log_path, errors="replace") as f:
            sys.exit("station serve did not start:\n" + f.read()[-3000:])
    return proc


def gtin13(base12):
    """@base12 with its GS1 check digit"""
    s = sum(int(c) * (3 if k % 2 else 1) for k, c in enumerate(base12))
    return base12 + str((10 - s % 10) % 10)
