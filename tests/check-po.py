#!/usr/bin/env python3
"""The station's catalogues are complete: every sentence marked in the sources (POTFILES)
has a translation in every language of station/po/LINGUAS, none fuzzy, with the same printf
arguments (msgfmt --check); every source file that marks sentences is in POTFILES; and every
built-in label template's description (labels/templates/*.json) is one of the sentences.
TAP output; a missing, untranslated or fuzzy message fails and is named."""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

KEYWORDS = ['--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
            '--keyword=st_tr:2', '--keyword=st_ntr:2,3']
MARKS = re.compile(r'\b(?:st_tr|st_ntr)\s*\([^,()]*,\s*"|\b(?:N_|_|C_|NC_)\s*\(\s*"')


def entries(po_text):
    """(msgctxt, msgid) -> (translated, fuzzy) for each entry of a .po text"""
    out = {}
    for block in re.split(r'\n\s*\n', po_text):
        lines = block.strip().split('\n')
        fuzzy = any(line.startswith('#,') and 'fuzzy' in line for line in lines)
        fields = {}
        key = None
        for line in lines:
            if line.startswith('#') or not line.strip():
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
            if m:
                key = m.group(1)
                fields[key] = m.group(2)
            elif line.startswith('"') and key is not None:
                fields[key] += line[1:-1]
        if 'msgid' not in fields or fields['msgid'] == '':
            continue
        strs = [v for k, v in fields.items() if k.startswith('msgstr')]
        out[(fields.get('msgctxt'), fields['msgid'])] = (all(s != '' for s in strs) and
                                                        bool(strs), fuzzy)
    return out


def main():
    root = sys.argv[1]
    po_dir = os.path.join(root, 'station', 'po')
    with open(os.path.join(po_dir, 'POTFILES'), encoding='utf-8') as f:
        potfiles = [line.strip() for line in f if line.strip() and not line.startswith('#')]
    with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
        linguas = [w for line in f for w in line.split() if not line.startswith('#')]
    results = []

    # every file that marks sentences is listed
    marked = []
    for top in ['station', 'drivers', 'labels']:
        for dirpath, _dirs, files in os.walk(os.path.join(root, top)):
            for name in files:
                if not name.endswith('.c'):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                if rel.startswith('station/i18n/'):
                    continue
                with open(path, encoding='utf-8') as f:
                    if MARKS.search(f.read()):
                        marked.append(rel)
    unlisted = sorted(set(marked) - set(potfiles))
    results.append((not unlisted, 'every file that marks sentences is in POTFILES',
                    [f'{p} marks sentences but is not in station/po/POTFILES' for p in unlisted]))

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'station.pot')
        subprocess.run(['xgettext', '--from-code=UTF-8', '--package-name=station', '-o', pot,
                        '-D', root] + KEYWORDS + potfiles, check=True)
        with open(pot, encoding='utf-8') as f:
            wanted = entries(f.read())
        results.append((len(wanted) > 0, f'{len(wanted)} sentences marked in the sources', []))
        # `station label templates` says each built-in template's description through
        # gettext: it must be marked (station/cli/st-label-command.c) to be translated
        unmarked = []
        templates = sorted(glob.glob(os.path.join(root, 'labels', 'templates', '*.json')))
        for path in templates:
            with open(path, encoding='utf-8') as f:
                description = json.load(f).get('description', '')
            if description and (None, description) not in wanted:
                unmarked.append(f'{os.path.relpath(path, root)}: its description is not '
                                'marked for translation (builtin_descriptions in '
                                'station/cli/st-label-command.c)')
        results.append((len(templates) > 0 and not unmarked,
                        f"the {len(templates)} built-in templates' descriptions are marked",
                        unmarked))
        for lang in linguas:
            path = os.path.join(po_dir, lang + '.po')
            faults = []
            if not os.path.exists(path):
                results.append((False, f'{lang}.po exists', [f'{path} is missing']))
                continue
            with open(path, encoding='utf-8') as f:
                have = entries(f.read())
            for key in wanted:
                if key not in have:
                    faults.append(f'{lang}.po lacks "{key[1]}" (run ninja station-update-po)')
                elif not have[key][0]:
                    faults.append(f'{lang}.po leaves "{key[1]}" untranslated')
                elif have[key][1]:
                    faults.append(f'{lang}.po marks "{key[1]}" fuzzy: check it, then remove '
                                  'the flag')
            results.append((not faults, f'{lang}.po translates every sentence', faults))
            # the check can fail: the same catalogue with its first translation emptied
            with open(path, encoding='utf-8') as f:
                text = f.read()
            planted = re.sub(r'(\nmsgid "[^"\n]+"\n(?:"[^\n]*"\n)*msgstr )"[^\n]*"',
                             r'\1""', text, count=1)
            caught = [k for k in wanted
                      if k in entries(planted) and not entries(planted)[k][0]]
            results.append((planted != text and len(caught) == 1,
                            f'an untranslated message planted in {lang}.po is caught', []))
            check = subprocess.run(['msgfmt', '--check', '-o', os.devnull, path],
                                   capture_output=True, text=True)
            results.append((check.returncode == 0,
                            f'{lang}.po passes msgfmt --check (the same arguments)',
                            check.stderr.strip().split('\n') if check.returncode else []))

    print(f'1..{len(results)}')
    ok_all = True
    for n, (ok, what, faults) in enumerate(results, 1):
        print(f'{"ok" if ok else "not ok"} {n} - {what}')
        for fault in faults:
            print(f'# {fault}')
        ok_all = ok_all and ok
    return 0 if ok_all else 1


if __name__ == '__main__':
    sys.exit(main())
