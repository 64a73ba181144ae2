#!/usr/bin/env python3
"""`meson install` into a temporary DESTDIR, checked as a shift lead's machine would have it.

The program, the translations, the README, the sample configuration (every key commented out,
loadable as it is) and its copy in sysconfdir/station/station.conf (kept, not replaced, on a
second install), the systemd unit (Type=notify, its own user, state directory, watchdog,
restart on failure, sandboxed with USB allowed) passing `systemd-analyze verify`, and the
sysusers.d entry of that user. The installed program runs and accepts its own sample, and
`station devices --udev-rules` writes rules that give the configured devices to the unit's
group. TAP on stdout.

usage: test-install.py BUILD_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

results = []


def check(name, ok, detail=""):
    results.append((name, ok, detail))


def find(root, suffix):
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            if p.endswith(suffix):
                return p
    return None


def main():
    build = sys.argv[1]
    dest = tempfile.mkdtemp(prefix="station-install-")
    try:
        env = dict(os.environ)
        env.pop("DESTDIR", None)
        r = subprocess.run(["meson", "install", "-C", build, "--destdir", dest, "--no-rebuild",
                            "--quiet"], capture_output=True, text=True, env=env)
        check("meson install into a DESTDIR", r.returncode == 0, r.stdout + r.stderr)
        if r.returncode != 0:
            return

        station = find(dest, "/bin/station")
        check("the program in bindir, executable", station is not None and
              os.access(station, os.X_OK), str(station))
        mo = find(dest, "/zh_CN/LC_MESSAGES/station.mo")
        check("the Chinese catalogue in localedir", mo is not None)
        readme = find(dest, "/doc/station/README.md")
        check("the README in the documentation folder", readme is not None)

        sample = find(dest, "/station/station.conf.sample")
        conf = find(dest, "/station/station.conf")
        check("the sample configuration in datadir/station", sample is not None)
        check("the configuration in sysconfdir/station, from the sample", conf is not None and
              sample is not None and open(conf).read() == open(sample).read())
        if station and sample:
            # the sample is built in English; the reference speaks the locale's language
            ref = subprocess.run([station, "config", "--reference"], capture_output=True,
                                 text=True,
                                 env=dict(env, LC_ALL="C.UTF-8", LANGUAGE="")).stdout
            text = open(sample).read()
            check("the sample is the reference of every key", text == ref)
            keys = [l for l in text.splitlines() if re.match(r"#[a-z0-9-]+ =", l)]
            uncommented = [l for l in text.splitlines() if re.match(r"[a-z0-9-]+ *=", l)]
            check("every key of the sample commented out, each with its meaning",
                  len(keys) >= 40 and not uncommented, f"{len(keys)} keys, {uncommented}")
            r = subprocess.run([station, "config", "-c", conf], capture_output=True, text=True,
                               env=dict(env, LC_ALL="C.UTF-8"))
            check("the installed program accepts the installed configuration",
                  r.returncode == 0, r.stdout + r.stderr)
            r = subprocess.run([station, "version"], capture_output=True, text=True)
            check("the installed program runs", r.returncode == 0 and "station" in r.stdout,
                  r.stdout + r.stderr)

        # a second install keeps the bench's own configuration
        if conf:
            with open(conf, "a") as f:
                f.write("\n# this bench's own\n[station]\nid = bench-7\n")
            r = subprocess.run(["meson", "install", "-C", build, "--destdir", dest,
                                "--no-rebuild", "--quiet"], capture_output=True, text=True,
                               env=env)
            check("a second install keeps the bench's configuration",
                  r.returncode == 0 and "id = bench-7" in open(conf).read(), r.stdout + r.stderr)

        unit = find(dest, "/systemd/system/station.service")
        check("the systemd unit in lib/systemd/system", unit is not None)
        if unit:
            text = open(unit).read()
            for line in ["Type=notify", "User=station", "Group=station", "StateDirectory=station",
                         "WatchdogSec=", "Restart=on-failure", "NoNewPrivileges=yes",
                         "ProtectSystem=strict", "DeviceAllow=char-usb_device rw",
                         "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK"]:
                check(f"the unit has {line}", line in text)
            m = re.search(r"^ExecStart=(\S+) serve --config (\S+)$", text, re.M)
            check("the unit starts the installed program on the installed configuration",
                  m is not None and station is not None and conf is not None and
                  station.endswith(m.group(1)) and conf.endswith(m.group(2)), str(m and m.groups()))
            analyze = shutil.which("systemd-analyze")
            if analyze is None or m is None:
                check("systemd-analyze verify # SKIP systemd-analyze is not installed", True)
            else:
                # the unit as installed, its program where the DESTDIR holds it
                copy = os.path.join(dest, "station.service")
                with open(copy, "w") as f:
                    f.write(text.replace(f"ExecStart={m.group(1)}", f"ExecStart={station}"))
                r = subprocess.run([analyze, "verify", "--man=no", copy], capture_output=True,
                                   text=True)
                check("systemd-analyze verify passes on the unit", r.returncode == 0,
                      r.stdout + r.stderr)

        sysusers = find(dest, "/sysusers.d/station.conf")
        check("the sysusers.d entry of the user station",
              sysusers is not None and re.search(r"^u station ", open(sysusers).read(), re.M))

        if station:
            devconf = os.path.join(dest, "devices.conf")
            with open(devconf, "w") as f:
                f.write("[usb]\nenabled = false\n[device gun]\ndriver = keyboard\n"
                        "vid-pid = 0c2e:0b61\nserial = A1\n[device demo]\ndriver = emulated\n")
            r = subprocess.run([station, "devices", "--udev-rules", "-c", devconf],
                               capture_output=True, text=True)
            lines = [l for l in r.stdout.splitlines() if l and not l.startswith("#")]
            check("udev rules: each line a rule for usbfs nodes, for the group station",
                  r.returncode == 0 and lines and all(
                      l.startswith('SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ') and
                      l.endswith('MODE="0660", GROUP="station"') for l in lines), r.stdout)
            check("udev rules: the configured scanner by vendor, product and serial",
                  'ATTR{idVendor}=="0c2e", ATTR{idProduct}=="0b61", ATTR{serial}=="A1"'
                  in r.stdout, r.stdout)
            check("udev rules: no rule for an emulated device", "[device demo]" not in r.stdout)
            r = subprocess.run([station, "devices", "--udev-rules", "--group", "a b", "-c",
                                devconf], capture_output=True, text=True)
            check("udev rules: a group that is not a name refused", r.returncode == 2, r.stderr)
    finally:
        shutil.rmtree(dest, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    finally:
        print(f"1..{len(results)}")
        for i, (name, ok, detail) in enumerate(results, 1):
            print(f"{'ok' if ok else 'not ok'} {i} {name}")
            if not ok and detail:
                for line in str(detail).splitlines()[:20]:
                    print(f"# {line}")
        sys.exit(0 if all(ok for _, ok, _ in results) else 1)
