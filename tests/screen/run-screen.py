#!/usr/bin/env python3
"""The browser tests of the bench screen and the handheld page.

Sets up a bench as a shift lead would (the CSV files of tests/shifts imported, a pick list
made), starts a real `station serve` with its API on a free loopback port, and runs
screen.mjs in Debian's chromium through playwright-core against it. Prints TAP. Skips, saying
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

with tempfile.TemporaryDirectory(prefix="station-screen-") as d:
    shifts = os.path.join(src, "tests", "shifts")
    with open(os.path.join(shifts, "station.conf")) as f:
        conf = f.read().replace("@DIR@", d)
    conf += "\n[http]\nlisten = 127.0.0.1:0\n"
    path = os.path.join(d, "station.conf")
    with open(path, "w") as f:
        f.write(conf)
    for kind in ["products", "box-types", "operators", "orders", "locations", "stock"]:
        subprocess.run([station, "import", kind, os.path.join(shifts, kind + ".csv"), "-c", path],
                       check=True, stdout=subprocess.DEVNULL)
    subprocess.run([station, "picklist", "create", "--orders", "ORD-3001,ORD-3002,ORD-3003",
                    "--cluster", "-c", path], check=True, stdout=subprocess.DEVNULL)
    log = open(os.path.join(d, "serve.log"), "w+")
    serve = subprocess.Popen([station, "serve", "-c", path], stdout=log, stderr=log)
    url = None
    try:
        for _ in range(300):
            log.seek(0)
            m = re.search(r"api: listening on (\S+)", log.read())
            if m:
                url = m.group(1)
                break
            time.sleep(0.05)
        if url is None:
            log.seek(0)
            print("1..1\nnot ok 1 - station serve did not listen\n# " + log.read().replace("\n", "\n# "))
            sys.exit(1)
        env = dict(os.environ, CHROMIUM=chromium)
        r = subprocess.run([node, os.path.join(here, "screen.mjs"), url, out], env=env,
                           cwd=here, timeout=240)
        sys.exit(r.returncode)
    finally:
        serve.terminate()
        serve.wait(timeout=30)
