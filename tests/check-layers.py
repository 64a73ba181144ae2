#!/usr/bin/env python3
"""The house rules of README.md ("Architecture"), checked against the tree.

Every C file and header of drivers/, labels/, station/ and include/station/ belongs to one
room. Its #include lines may name headers of its own room and of the rooms the table below
lets it use, and only the system headers its room may use (sqlite3.h in the store alone,
cups/ in labels/print alone, libsoup in sync and api alone, ...). Each room's meson.build
may give its libraries only the dependencies the same table allows.

Run as a test it prints TAP: one line for the tree, then one for each fault planted in a
copy of the tree, which must be caught (so the check is shown able to fail). With --tree
DIR it checks DIR and prints what is broken, exit status 1 if anything is.
"""
import os
import re
import shutil
import sys
import tempfile

# room -> where its files are (folders end with /; single files are public headers)
ROOMS = {
    'shared': ['include/station/st-error.h', 'include/station/st-bounded.h',
               'include/station/st-module.h'],
    'core': ['drivers/core/', 'include/station/st-device.h', 'include/station/st-scan.h',
             'include/station/st-weight.h', 'include/station/station.h'],
    'drivers': ['drivers/', 'include/station/st-device-set.h', 'include/station/st-drivers.h',
                'include/station/st-capture.h', 'include/station/st-hid-replay.h'],
    'print': ['labels/print/', 'include/station/st-print.h'],
    'labels': ['labels/', 'include/station/st-label.h'],
    'i18n': ['station/i18n/'],
    'barcode': ['station/barcode/'],
    'store': ['station/store/', 'include/station/st-store.h'],
    'config': ['station/config/'],
    'services': ['station/services/'],
    'workflows': ['station/workflows/'],
    'sync': ['station/sync/'],
    'api': ['station/api/'],
    'daemon': ['station/daemon/'],
    'cli': ['station/cli/', 'station/meson.build'],
}

# room -> the rooms whose headers it may include and whose libraries it may link
MAY_USE = {
    'shared': [],
    'core': ['shared'],
    'drivers': ['shared', 'core'],
    'labels': ['shared'],
    'print': ['shared', 'labels'],
    'i18n': [],
    'barcode': ['shared', 'i18n'],
    'store': ['shared', 'core', 'i18n'],
    'config': ['shared', 'core', 'drivers', 'labels', 'print', 'barcode', 'i18n'],
    'services': ['shared', 'core', 'labels', 'print', 'barcode', 'store', 'config', 'i18n'],
    'workflows': ['shared', 'core', 'barcode', 'store', 'i18n'],
    'sync': ['shared', 'core', 'barcode', 'store', 'config', 'i18n'],
    'api': ['shared', 'core', 'barcode', 'store', 'config', 'services', 'workflows', 'i18n'],
    'daemon': ['shared', 'core', 'drivers', 'labels', 'print', 'barcode', 'store', 'config',
               'services', 'workflows', 'sync', 'api', 'i18n'],
    'cli': ['shared', 'core', 'drivers', 'labels', 'print', 'barcode', 'store', 'config',
            'services', 'workflows', 'sync', 'api', 'daemon', 'i18n'],
}

# system headers every room may include (exact names, or prefixes ending with /)
COMMON_SYSTEM = ['glib.h', 'glib-object.h', 'gio/gio.h', 'glib/', 'string.h', 'stdio.h',
                 'stdlib.h', 'stdint.h', 'math.h', 'errno.h', 'unistd.h', 'time.h', 'sys/',
                 'locale.h', 'fcntl.h']
# and the libraries' headers each room may include, beside those
ROOM_SYSTEM = {
    'shared': ['gmodule.h'],
    'drivers': ['gusb.h', 'xkbcommon/', 'linux/input-event-codes.h', 'glib-unix.h'],
    'labels': ['cairo.h', 'cairo-pdf.h', 'pango/', 'zint.h', 'json-glib/', 'unicode/'],
    'print': ['cups/'],
    'barcode': ['json-glib/'],
    'store': ['sqlite3.h', 'json-glib/'],
    'services': ['json-glib/'],
    'sync': ['libsoup/', 'json-glib/'],
    'api': ['libsoup/', 'json-glib/', 'zbar.h'],
    'daemon': ['glib-unix.h', 'systemd/sd-daemon.h'],
    'cli': ['glib-unix.h', 'json-glib/', 'gio/gunixoutputstream.h', 'gio/gunixinputstream.h'],
}

# meson: the library each room builds, and the external dependencies each room may give it
LIBRARY_ROOM = {
    'station-core': 'core', 'station-devices': 'drivers', 'station-labels': 'labels',
    'station-print': 'print', 'station-barcode': 'barcode', 'station-store': 'store',
    'station-config': 'config', 'station-services': 'services',
    'station-workflows': 'workflows', 'station-i18n': 'i18n', 'station-sync': 'sync', 'station-api': 'api',
    'station-daemon': 'daemon', 'station-cli': 'cli',
}
COMMON_EXTERNAL = ['glib', 'gobject', 'gio']
ROOM_EXTERNAL = {
    'drivers': ['gusb', 'xkbcommon'],
    'labels': ['cairo', 'cairo_pdf', 'pangocairo', 'zint', 'm_dep', 'json_glib', 'icu',
               'gmodule'],
    'print': ['cups_headers', 'gmodule'],
    'barcode': ['json_glib'],
    'store': ['sqlite', 'json_glib'],
    'services': ['json_glib'],
    'sync': ['libsoup', 'json_glib'],
    'api': ['libsoup', 'json_glib', 'zbar', 'gmodule'],
    'daemon': ['gio_unix', 'libsystemd'],
    'cli': ['gio_unix', 'json_glib'],
}
DEP_ROOM = {room + '_dep': room for room in ROOMS}

SOURCE_TOPS = ['drivers', 'labels', 'station', 'include']


def room_of(rel):
    best = None
    for room, places in ROOMS.items():
        for place in places:
            if rel == place or (place.endswith('/') and rel.startswith(place)):
                if best is None or len(place) > len(best[1]):
                    best = (room, place)
    return best[0] if best else None


def source_files(tree):
    for top in SOURCE_TOPS:
        for dirpath, _dirs, files in os.walk(os.path.join(tree, top)):
            for name in sorted(files):
                if name.endswith(('.c', '.h')):
                    yield os.path.relpath(os.path.join(dirpath, name), tree)


def header_index(tree):
    """basename -> the project headers of that name (rooms expose their folders)"""
    index = {}
    for rel in source_files(tree):
        if rel.endswith('.h'):
            index.setdefault(os.path.basename(rel), []).append(rel)
    return index


def resolve(tree, rel, name, index):
    """the project file an #include "name" in rel means, or None for a generated one"""
    here = os.path.normpath(os.path.join(os.path.dirname(rel), name))
    if os.path.exists(os.path.join(tree, here)):
        return here
    for base in ['include', 'drivers', 'labels']:
        cand = os.path.normpath(os.path.join(base, name))
        if os.path.exists(os.path.join(tree, cand)):
            return cand
    found = index.get(os.path.basename(name), [])
    for cand in found:
        if cand.endswith('/' + name) or cand == name:
            return cand
    return None


def system_allowed(room, name):
    for pat in COMMON_SYSTEM + ROOM_SYSTEM.get(room, []):
        if name == pat or (pat.endswith('/') and name.startswith(pat)):
            return True
    return False


def check_includes(tree):
    faults = []
    index = header_index(tree)
    for rel in source_files(tree):
        room = room_of(rel)
        if room is None:
            faults.append(f'{rel}: in no room (add it to the README map and check-layers.py)')
            continue
        with open(os.path.join(tree, rel), encoding='utf-8') as f:
            for lineno, line in enumerate(f, 1):
                m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
                if not m:
                    continue
                kind, name = m.groups()
                if kind == '<':
                    if not system_allowed(room, name):
                        faults.append(f'{rel}:{lineno}: {room} may not include <{name}>')
                    continue
                target = resolve(tree, rel, name, index)
                if target is None:
                    continue  # generated at build time, in the room's own build folder
                other = room_of(target)
                if other == room:
                    if (room == 'drivers' and target.startswith('drivers/') and
                            rel.startswith('include/')):
                        faults.append(f'{rel}:{lineno}: a public header includes the '
                                      f'drivers\' internal {target}')
                    continue
                if other not in MAY_USE[room]:
                    faults.append(f'{rel}:{lineno}: {room} may not use {other} '
                                  f'(#include "{name}" is {target})')
                elif other in ('drivers', 'core') and not target.startswith('include/'):
                    faults.append(f'{rel}:{lineno}: {room} sees {other} only through '
                                  f'include/station, not {target}')
                elif other == 'labels' and not target.startswith('include/'):
                    faults.append(f'{rel}:{lineno}: {room} sees labels only through '
                                  f'include/station, not {target}')
    return faults


def meson_blocks(text):
    """(what, name, dependencies) of each static_library(...) and X_dep = declare_dependency"""
    for m in re.finditer(r"(?:(\w+)\s*=\s*)?(static_library|declare_dependency|executable)\s*\(",
                         text):
        start = m.end()
        depth = 1
        i = start
        while i < len(text) and depth:
            depth += {'(': 1, ')': -1}.get(text[i], 0)
            i += 1
        body = text[start:i - 1]
        body = re.sub(r'#[^\n]*', '', body)
        deps = []
        d = re.search(r'dependencies\s*:\s*(\[[^\]]*\]|\w+)', body)
        if d:
            deps = re.findall(r'\w+', d.group(1))
        if m.group(2) == 'static_library':
            lib = re.match(r"\s*'([^']+)'", body)
            yield 'library', lib.group(1) if lib else '?', deps
        elif m.group(2) == 'declare_dependency':
            yield 'dependency', m.group(1) or '?', deps
        else:
            yield 'executable', m.group(1) or '?', deps


def check_meson(tree):
    faults = []
    for top in ['drivers', 'labels', 'station']:
        for dirpath, _dirs, files in os.walk(os.path.join(tree, top)):
            if 'meson.build' not in files:
                continue
            rel = os.path.relpath(os.path.join(dirpath, 'meson.build'), tree)
            with open(os.path.join(tree, rel), encoding='utf-8') as f:
                text = f.read()
            for what, name, deps in meson_blocks(text):
                if what == 'library':
                    room = LIBRARY_ROOM.get(name)
                elif what == 'dependency':
                    base = re.sub(r'_internal_dep$', '_dep', name)
                    room = DEP_ROOM.get(base)
                else:
                    room = room_of(rel)
                if room is None:
                    faults.append(f'{rel}: {what} {name} belongs to no room')
                    continue
                for dep in deps:
                    if dep.endswith('_internal_dep'):
                        faults.append(f'{rel}: {what} {name} links {dep}, which is for '
                                      f'tests only')
                    elif dep in DEP_ROOM:
                        other = DEP_ROOM[dep]
                        if other != room and other not in MAY_USE[room]:
                            faults.append(f'{rel}: {what} {name} ({room}) may not depend on '
                                          f'{dep} ({other})')
                    elif dep not in COMMON_EXTERNAL + ROOM_EXTERNAL.get(room, []):
                        faults.append(f'{rel}: {what} {name} ({room}) may not depend on '
                                      f'{dep}')
    return faults


def check(tree):
    return check_includes(tree) + check_meson(tree)


# faults planted in a copy of the tree: (what, file, text to append or (old, new), words
# the report must contain)
PLANTED = [
    ('sqlite3.h outside the store', 'station/workflows/st-pack-workflow.c',
     '\n#include <sqlite3.h>\n', 'may not include <sqlite3.h>'),
    ('cups outside labels/print', 'station/services/st-printing.c',
     '\n#include <cups/cups.h>\n', 'may not include <cups/cups.h>'),
    ('a driver internal header in the daemon', 'station/daemon/st-daemon.c',
     '\n#include "usb/st-usb-hid.h"\n', 'daemon sees drivers only through include/station'),
    ('the workflows reaching up to the daemon', 'station/workflows/st-pack-workflow.c',
     '\n#include "st-daemon.h"\n', 'workflows may not use daemon'),
    ('labels including a driver header', 'labels/st-label.c',
     '\n#include "station/st-scan.h"\n', 'labels may not use core'),
    ('sqlite linked into the workflows', 'station/workflows/meson.build',
     ('dependencies : [store_dep', 'dependencies : [sqlite, store_dep'),
     'may not depend on sqlite'),
    ('the store linking the services', 'station/store/meson.build',
     ('dependencies : [core_dep', 'dependencies : [services_dep, core_dep'),
     'may not depend on services_dep'),
]


def copy_tree(src, dst):
    for top in SOURCE_TOPS:
        shutil.copytree(os.path.join(src, top), os.path.join(dst, top),
                        ignore=shutil.ignore_patterns('*.json', '*.py', '*.md'))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--tree':
        faults = check(sys.argv[2])
        for fault in faults:
            print(fault)
        return 1 if faults else 0
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
    ok = True
    print(f'1..{1 + len(PLANTED)}')
    faults = check(root)
    if faults:
        ok = False
        print('not ok 1 - the tree keeps the house rules')
        for fault in faults:
            print(f'# {fault}')
    else:
        print('ok 1 - the tree keeps the house rules')
    for n, (what, rel, change, expect) in enumerate(PLANTED, 2):
        with tempfile.TemporaryDirectory(prefix='station-layers-') as tmp:
            copy_tree(root, tmp)
            path = os.path.join(tmp, rel)
            with open(path, encoding='utf-8') as f:
                text = f.read()
            if isinstance(change, tuple):
                if change[0] not in text:
                    print(f'not ok {n} - {what}: {rel} no longer has "{change[0]}" to plant '
                          'the fault in (update PLANTED)')
                    ok = False
                    continue
                text = text.replace(change[0], change[1], 1)
            else:
                text += change
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text)
            found = [fault for fault in check(tmp) if expect in fault]
            if found:
                print(f'ok {n} - caught: {what} ({found[0]})')
            else:
                print(f'not ok {n} - not caught: {what}')
                ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
