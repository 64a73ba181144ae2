#!/usr/bin/env python3
"""The bench page's load time in chromium (tests/screen/bench-screen.mjs) against a bare
static server of the same files, interleaved. Starts `station serve` on a fresh database and
Python's http.server on station/api/www, both on free loopback ports; skips, saying why,
without chromium, node or playwright-core.

  bench-screen.py STATION SOURCE_DIR [ROUNDS]
"""
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

station, src = sys.argv[1:3]
rounds = sys.argv[3] if len(sys.argv) > 3 else "20"
here = os.path.join(src, "tests", "screen")
chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
node = shutil.which("node")
if chromium is None or node is None or not os.path.exists(
        os.path.join(here, "node_modules", "playwright-core")):
    print("bench-screen: skipped: chromium, node or playwright-core (make test installs it) "
          "is missing")
    sys.exit(0)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


www = os.path.join(src, "station", "api", "www")
# the page asks for /screen/station.css and /screen/station.js: the same layout
with tempfile.TemporaryDirectory(prefix="station-bench-screen-") as d:
    static = os.path.join(d, "static")
    os.makedirs(os.path.join(static, "screen"))
    for name in ["station.css", "station.js"]:
        shutil.copy(os.path.join(www, name), os.path.join(static, "screen", name))
    shutil.copy(os.path.join(www, "index.html"), os.path.join(static, "index.html"))
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=static))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    baseline = f"http://127.0.0.1:{server.server_address[1]}/"

    conf = os.path.join(d, "station.conf")
    with open(conf, "w") as f:
        f.write(f"[store]\npath = {d}/station.db\n[usb]\nenabled = false\n"
                f"[http]\nlisten = 127.0.0.1:0\n")
    log = open(os.path.join(d, "serve.log"), "w+")
    serve = subprocess.Popen([station, "serve", "-c", conf], stdout=log, stderr=log,
                             env=dict(os.environ, G_MESSAGES_DEBUG=""))
    try:
        url = None
        for _ in range(300):
            log.seek(0)
            m = re.search(r"api: listening on (\S+)", log.read())
            if m:
                url = m.group(1)
                break
            time.sleep(0.05)
        if url is None:
            log.seek(0)
            print("bench-screen: station serve did not listen:\n" + log.read())
            sys.exit(1)
        r = subprocess.run([node, os.path.join(here, "bench-screen.mjs"), url, baseline, rounds],
                           cwd=here, env=dict(os.environ, CHROMIUM=chromium), timeout=600)
        sys.exit(r.returncode)
    finally:
        serve.terminate()
        serve.wait(timeout=30)
        server.shutdown()
