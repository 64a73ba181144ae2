#!/usr/bin/env python3
"""The browser tests of the bench screen and the handheld page.

Sets up two benches as a shift lead would (the CSV files of tests/shifts imported, a pick
list made), starts a real `station serve` on each with its API on a free loopback port, and
runs screen.mjs in Debian's chromium through playwright-core against them: the first bench's
scanner types into the screen, the second's scanner and scale are read by the station
itself (emulated devices fed through named pipes) and its screen follows it with a device
token. Prints TAP. Skips, saying
why, when chromium or the npm packages (make test installs them) are missing.

  run-screen.py STATION SOURCE_DIR OUT_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

station, src, out = sys.argv[1:4]
here = os.path.abspath(os.path.join(src, "tests", "screen"))
chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
node = shutil.which("node")
if chromium is None or node is None:
    print("1..0 # SKIP chromium or node is not installed (Debian packages chromium, nodejs)")
    sys.exit(0)
if not os.path.exists(os.path.join(here, "node_modules", "playwright-core")):
    print("1..0 # SKIP playwright-core is not installed: run make test (npm ci in tests/screen)")
    sys.exit(0)


def bench(d, extra):
    """a bench in folder d as a shift lead sets it up: the shift's CSV files imported"""
    shifts = os.path.join(src, "tests", "shifts")
    with open(os.path.join(shifts, "station.conf")) as f:
        conf = f.read().replace("@DIR@", d)
    conf += "\n[http]\nlisten = 127.0.0.1:0\n" + extra
    path = os.path.join(d, "station.conf")
    with open(path, "w") as f:
        f.write(conf)
    for kind in ["products", "box-types", "operators", "orders", "locations", "stock"]:
        subprocess.run([station, "import", kind, os.path.join(shifts, kind + ".csv"), "-c", path],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def serve(d, path):
    """station serve on the bench; Returns: the process and the URL of its API"""
    log = open(os.path.join(d, "serve.log"), "w+")
    proc = subprocess.Popen([station, "serve", "-c", path], stdout=log, stderr=log)
    for _ in range(300):
        log.seek(0)
        m = re.search(r"api: listening on (\S+)", log.read())
        if m:
            return proc, m.group(1)
        time.sleep(0.05)
    log.seek(0)
    proc.terminate()
    print("1..1\nnot ok 1 - station serve did not listen\n# " + log.read().replace("\n", "\n# "))
    sys.exit(1)


with tempfile.TemporaryDirectory(prefix="station-screen-") as d:
    # the first bench: a keyboard-wedge scanner types into the screen; a picker's handheld
    one = os.path.join(d, "one")
    os.mkdir(one)
    path = bench(one, "")
    subprocess.run([station, "picklist", "create", "--orders", "ORD-3001,ORD-3002,ORD-3003",
                    "--cluster", "-c", path], check=True, stdout=subprocess.DEVNULL)
    # the second bench: its scanner and scale are the station's own (emulated devices read
    # through the real keyboard and scale decoders, driven through named pipes), its screen
    # follows it with a device token; a spare printer whose CUPS does not answer
    two = os.path.join(d, "two")
    os.mkdir(two)
    scanner = os.path.join(two, "scanner.fifo")
    scale = os.path.join(two, "scale.fifo")
    os.mkfifo(scanner)
    os.mkfifo(scale)
    path2 = bench(two, f"""
[device bench-scanner]
driver = emulated
script = {scanner}

[device bench-scale]
driver = emulated
kind = scale
script = {scale}

[printer spare]
queue = spare

[cups]
server = {two}/no-cups.sock
""")
    made = subprocess.run([station, "token", "create", "--role", "packer", "--name", "bench-screen",
                           "-c", path2], check=True, capture_output=True, text=True).stdout
    token = made.strip().splitlines()[-1]
    procs = []
    try:
        p1, url = serve(one, path)
        procs.append(p1)
        p2, url2 = serve(two, path2)
        procs.append(p2)
        # the handheld's camera: chromium's fake camera shows an EAN-13 (PEN's, 4006381333931)
        camera = os.path.join(d, "camera.y4m")
        subprocess.run([sys.executable, os.path.join(here, "ean13.py"), "y4m", "400638133393",
                        camera], check=True)
        env = dict(os.environ, CHROMIUM=chromium, STATION_FAKE_CAMERA=camera)
        r = subprocess.run([node, os.path.join(here, "screen.mjs"), url, out, url2, token,
                            scanner, scale], env=env, cwd=here, timeout=300)
        if r.returncode != 0:
            # what the two daemons said, for the failure's reader (TAP comments)
            for bench_dir in (one, two):
                with open(os.path.join(bench_dir, "serve.log")) as log:
                    tail = log.read().splitlines()[-40:]
                print(f"# {os.path.basename(bench_dir)}'s station serve, its last lines:")
                print("\n".join("#   " + line for line in tail))
        sys.exit(r.returncode)
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=30)
