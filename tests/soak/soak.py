"""What the slow suite's tests share: TAP results, the daemon's log read as it grows, and
`station serve` started on a configuration until it says ready."""
import os
import re
import shutil
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


def start_central(central_bin, d):
    """the reference central system on loopback, and its token in @d/token (0600)
    Returns: (the process, its URL)"""
    proc = subprocess.Popen([central_bin, "--token", "soak-token"], stdout=subprocess.PIPE,
                            text=True)
    url = proc.stdout.readline().strip().split("listening on ")[1]
    token = os.path.join(d, "token")
    with open(token, "w") as f:
        f.write("soak-token\n")
    os.chmod(token, 0o600)
    return proc, url


def bench(d, db, central_url=None, central_keys=""):
    """a bench's configuration in @d: its database @db, an emulated scanner on the named pipe
    @d/scanner.fifo (made here), packing without a scale or prints; with @central_url, the
    central system (pull-interval 0, @central_keys beside). Returns: (config path, pipe path)"""
    fifo = os.path.join(d, "scanner.fifo")
    os.mkfifo(fifo)
    conf = os.path.join(d, "station.conf")
    central = ""
    if central_url is not None:
        central = (f"[central]\nurl = {central_url}\ntoken-file = {d}/token\n"
                   f"pull-interval = 0\n{central_keys}")
    with open(conf, "w") as f:
        f.write(f"""[station]
id = soak-bench
[store]
path = {db}
[usb]
enabled = false
[http]
listen = none
[pack]
weigh = no
slip-template = none
[customs]
template = none
{central}[device bench-scanner]
driver = emulated
key-interval = 0
script = {fifo}
""")
    return conf, fifo


def import_files(station, conf, d, products, orders):
    """@products (rows of sku, name, weight_g, barcode) and @orders (rows of order, sku,
    quantity) imported as a shift lead would, through CSV files in @d"""
    files = {"products": ("sku,name,weight_g,barcode", products),
             "orders": ("order,sku,quantity", orders)}
    for kind, (header, rows) in files.items():
        path = os.path.join(d, kind + ".csv")
        with open(path, "w") as f:
            f.write(header + "\n")
            for row in rows:
                f.write(",".join(str(v) for v in row) + "\n")
        subprocess.run([station, "import", "-c", conf, kind, path], check=True,
                       stdout=subprocess.DEVNULL)


def clean_up(d, serve_proc=None, central=None):
    """what a test started, stopped (the daemon killed if it is still there), and its folder"""
    if serve_proc is not None:
        serve_proc.kill()
        serve_proc.wait()
    if central is not None:
        central.terminate()
        central.wait(timeout=30)
    shutil.rmtree(d, ignore_errors=True)
