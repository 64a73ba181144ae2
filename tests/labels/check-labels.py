#!/usr/bin/env python3
"""Renders every built-in template (and the symbols test template) with `station label
render` to ZPL, PDF and PNG at 203 and 300 dpi, and checks that every barcode on each
decodes to the data it was given:

- PNG: zxing-wasm (every symbology) and zbarimg (1D and QR);
- PDF: pdftoppm at twice the dpi, then the same decoders;
- ZPL: zpl-renderer-js (zebrash) to PNG, then zxing-wasm.

Also checks that an address with ^ and ~ cannot inject ZPL commands, that Chinese text
becomes a graphic field, and that bad data is refused with a message naming the field.

Usage: check-labels.py STATION_BIN SOURCE_DIR WORK_DIR
Skipped (TAP "1..0 # SKIP") when the decoders are not installed; `make test` installs them.
"""
import json
import os
import shutil
import subprocess
import sys

STATION, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
LABELS = os.path.join(SRC, "tests", "labels")
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if cond:
        print(f"ok {checks} - {what}")
    else:
        print(f"not ok {checks} - {what}")
        failures.append(what)


def read_grey_png(path):
    """(width, height, rows) of an 8-bit grey or RGB PNG, as the station writes them: each row
    a bytes of grey values"""
    import struct
    import zlib
    data = open(path, "rb").read()
    w, h, depth, ctype = struct.unpack(">IIBB", data[16:26])
    channels = {0: 1, 2: 3, 6: 4}[ctype]
    assert depth == 8, depth
    idat, p = b"", 8
    while p < len(data):
        n = struct.unpack(">I", data[p:p + 4])[0]
        if data[p + 4:p + 8] == b"IDAT":
            idat += data[p + 8:p + 8 + n]
        p += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), w * channels, [], bytearray(w * channels)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b, c = prev[x], prev[x - channels] if x >= channels else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        rows.append(bytes(line[::channels]))
    return w, h, rows


def runs(row):
    """the row as (dark, length) runs"""
    out, start = [], 0
    for x in range(1, len(row) + 1):
        if x == len(row) or (row[x] < 128) != (row[start] < 128):
            out.append((row[start] < 128, x - start))
            start = x
    return out


def symbol_box(rows, seed_x, seed_y, gap):
    """the bounding box (x0, y0, x1, y1), inclusive, of the dark pixels reachable from the
    first dark pixel at or after (@seed_x, @seed_y) on its row, crossing light gaps of at most
    @gap pixels (the spaces inside one symbol)"""
    h, w = len(rows), len(rows[0])
    x = seed_x
    while x < w and rows[seed_y][x] >= 128:
        x += 1
    x0 = x1 = x
    y0 = y1 = seed_y
    grown = True
    while grown:
        grown = False
        for y in range(max(0, y0 - gap), min(h, y1 + gap + 1)):
            row = rows[y]
            lo, hi = max(0, x0 - gap), min(w, x1 + gap + 1)
            darks = [i for i in range(lo, hi) if row[i] < 128]
            if not darks:
                continue
            if darks[0] < x0 or darks[-1] > x1 or y < y0 or y > y1:
                x0, x1 = min(x0, darks[0]), max(x1, darks[-1])
                y0, y1 = min(y0, y), max(y1, y)
                grown = True
    return x0, y0, x1, y1


def ring_dark(rows, box, width):
    """dark pixels in the ring of @width pixels around @box (the quiet zone), counted"""
    x0, y0, x1, y1 = box
    h, w = len(rows), len(rows[0])
    n = 0
    for y in range(max(0, y0 - width), min(h, y1 + width + 1)):
        row = rows[y]
        for x in range(max(0, x0 - width), min(w, x1 + width + 1)):
            if (y < y0 or y > y1 or x < x0 or x > x1) and row[x] < 128:
                n += 1
    return n


def render(template, data, fmt, dpi, out):
    return subprocess.run([STATION, "label", "render", "-t", template, "-d", data, "-f", fmt,
                           "--dpi", str(dpi), "-o", out], capture_output=True, text=True)


# ("template", "data file", page mm, [(symbology identifier, text), ...])
UPS = os.path.join(LABELS, "shipment-ups.json")
CN = os.path.join(LABELS, "shipment-cn.json")
GS1 = os.path.join(LABELS, "shipment-gs1.json")
USPS = os.path.join(LABELS, "shipment-usps.json")
FEDEX = os.path.join(LABELS, "shipment-fedex.json")
# a British postcode: its space is not GS1 data, so AI 420 carries it without (SK92BJ)
GB = os.path.join(LABELS, "shipment-gb.json")
# what the bench prints for a parcel of mixed goods (no content block), and a manifest
PARCEL = os.path.join(LABELS, "shipment-parcel.json")
MANIFEST = os.path.join(LABELS, "manifest.json")
CUSTOMS = os.path.join(LABELS, "customs-cn.json")
PICKLIST = os.path.join(LABELS, "picklist.json")
# the command sheet's data as `station label commands` makes it from the default [barcodes]
# command pattern (the same codes as the hand-written example in tests/labels)
CMDS = os.path.join(WORK, "commands.json")
os.makedirs(WORK, exist_ok=True)
with open(CMDS, "w") as f:
    subprocess.run([STATION, "label", "commands", "-c", "/dev/null"], stdout=f, check=True)
SYMBOLS = os.path.join(LABELS, "symbols.json")
SYMBOLS_DATA = os.path.join(LABELS, "symbols-data.json")
GS = "<GS>"
RS = "<RS>"
# the UPS structured carrier message as the MaxiCode on carrier-4x6-ups carries it: the 5-digit
# ZIP written as 9 digits, 840 for US, class 002, "1Z" and the 1Z number's last 8, UPSN, the
# shipper number, day 327 of 2026, no shipment id, package 1/2, 6 lb, validated, street, city,
# state (transliterated, upper case)
UPS_MAXICODE = ("[)>" + RS + "01" + GS + "96081020000" + GS + "840" + GS + "002" + GS +
                "1Z23456784" + GS + "UPSN" + GS + "999AA1" + GS + "327" + GS + GS + "1/2" + GS +
                "6" + GS + "Y" + GS + "HAUPTSTRASSE 5" + GS + "TRENTON" + GS + "NJ" + RS + "<EOT>")
# (x, y, w, h) in mm of a symbol that zxing finds only when read alone (MaxiCode)
MAXICODE_AT = (3, 61, 28.14, 26.91)
# the UPS label to Germany, Poland, Britain and China: MaxiCode mode 3 (the postal code's
# first 6 characters, space padded; only a US ZIP code is mode 2), the address in Latin
# letters (ICU), a message too long for the symbol fitted by cutting the street, then the city
os.makedirs(WORK, exist_ok=True)
UPS_ABROAD = {}
for code, (street, postal, city, country, region) in {
        "de": ("Unter den Linden 6", "10117", "Berlin", "DE", None),
        "pl": ("ul. Piotrkowska 104", "90-001", "\u0141\u00f3d\u017a", "PL", None),
        "gb": ("10 Downing Street", "SW1A 2AA", "London", "GB", None),
        "cn": ("\u897f\u6e56\u533a\u6587\u4e09\u8def 90 \u53f7", "310012",
               "\u676d\u5dde\u5e02", "CN", "\u6d59\u6c5f\u7701")}.items():
    shipment = json.load(open(UPS, encoding="utf-8"))
    recipient = dict(shipment["recipient"], street=street, postal_code=postal, city=city,
                     country=country)
    recipient.pop("region", None)
    if region:
        recipient["region"] = region
    shipment["recipient"] = recipient
    UPS_ABROAD[code] = os.path.join(WORK, f"shipment-ups-{code}.json")
    with open(UPS_ABROAD[code], "w", encoding="utf-8") as f:
        json.dump(shipment, f, ensure_ascii=False)
UPS_FIELDS = (GS + "002" + GS + "1Z23456784" + GS + "UPSN" + GS + "999AA1" + GS + "327" + GS +
              GS + "1/2" + GS + "6" + GS + "Y" + GS)
UPS_ABROAD_MAXICODE = {
    "de": "[)>" + RS + "01" + GS + "9610117 " + GS + "276" + UPS_FIELDS +
          "UNTER DEN LINDEN 6" + GS + "BERLIN" + GS + RS + "<EOT>",
    "pl": "[)>" + RS + "01" + GS + "9690001 " + GS + "616" + UPS_FIELDS +
          "UL. PIOTRKOWSKA 104" + GS + "LODZ" + GS + RS + "<EOT>",
    "gb": "[)>" + RS + "01" + GS + "96SW1A2A" + GS + "826" + UPS_FIELDS +
          "10 DOWNING STREET" + GS + "LONDON" + GS + RS + "<EOT>",
    "cn": "[)>" + RS + "01" + GS + "96310012" + GS + "156" + UPS_FIELDS +
          "XI HU QU W" + GS + "HANG ZH" + GS + "ZHE JIANG SHENG" + RS + "<EOT>",
}
# the quiet zone read around it: more above and left, where zpl-renderer-js draws ^BD about a
# hexagon before its ^FO (a printer starts it at ^FO)
QUIET_MM = (2.5, 2.5, 1.5, 1.5)
CASES = [
    ("carrier-4x6", UPS, (101.6, 152.4),
     [("]C0", "1Z999AA10123456784"), ("]C1", "42008102"), ("]Q1", "ORD-1001")]),
    ("carrier-4x6", CN, (101.6, 152.4),
     [("]C0", "1Z999AA10123456784"), ("]C1", "420200120"), ("]Q1", "ORD-2002")]),
    ("gs1-logistic", GS1, (101.6, 152.4),
     [("]C1", "02095011015300033724"), ("]C1", "42008102"),
      ("]C1", "00095011010000000018")]),
    ("gs1-logistic", CN, (101.6, 152.4),
     [("]C1", "02095011015300033724"), ("]C1", "420200120"),
      ("]C1", "00095011010000000018")]),
    ("gs1-logistic", GB, (101.6, 152.4),
     [("]C1", "02095011015300033724"), ("]C1", "420SK92BJ"),
      ("]C1", "00095011010000000018")]),
    ("carrier-4x6", GB, (101.6, 152.4),
     [("]C0", "1Z999AA10123456793"), ("]C1", "420SK92BJ"), ("]Q1", "ORD-3003")]),
    ("carrier-4x6-ups", UPS, (101.6, 152.4),
     [("]C0", "1Z999AA10123456784"), ("]C1", "42008102"), ("]U1", UPS_MAXICODE, MAXICODE_AT)]),
] + [
    ("carrier-4x6-ups", UPS_ABROAD[c], (101.6, 152.4),
     [("]C0", "1Z999AA10123456784"), ("]U1", UPS_ABROAD_MAXICODE[c], MAXICODE_AT)])
    for c in ("de", "pl", "gb", "cn")
] + [
    ("carrier-4x6-usps", USPS, (101.6, 152.4),
     [("]C1", "420902101234" + GS + "9205590164917312751089")]),
    ("carrier-4x6-fedex", FEDEX, (101.6, 152.4),
     [("]C0", "1001901781000000810200012345678983"), ("]Q1", "ORD-4004"),
      ("]L2", "[)>" + RS + "06" + GS + "10ZGD008" + GS + "12Z7703661456" + GS +
       "31Z1001901781000000810200012345678983" + RS + "<EOT>")]),
    ("gs1-logistic", PARCEL, (101.6, 152.4),
     [("]C1", "42008102"), ("]C1", "00006141410000000012")]),
    ("manifest", MANIFEST, (210, 297), [("]C0", "MANIFEST-7")]),
    ("cn23", CUSTOMS, (210, 297), [("]C0", "ORD-5001")]),
    ("picklist", PICKLIST, (210, 297), [("]C0", "PL-000001")]),
    ("packing-slip", GS1, (210, 297), [("]C0", "ORD-1001")]),
    ("packing-slip-letter", CN, (215.9, 279.4), [("]C0", "ORD-2002")]),
    ("command-sheet", CMDS, (210, 297),
     [("]C0", c["code"]) for c in json.load(open(CMDS))["commands"]]),
    (SYMBOLS, SYMBOLS_DATA, (101.6, 152.4),
     [("]E0", "4006381333931"), ("]E0", "0036000291452"), ("]E4", "96385074"),
      ("]I1", "15400141288763"), ("]A0", "LOC-A1-02"), ("]C0", "a^b~c>d_e 12345"),
      ("]C1", "010950110153000310AB-12" + GS + "17251231"),
      ("]d1", "Order ORD-1001 ^XZ ~JA"),
      ("]d2", "010950110153000310AB-12" + GS + "17251231"),
      ("]Q1", "收件人 张伟 ^FS~"),
      ("]L2", "ORD-1001|Ana Muller|Hauptstrasse 5|08102 Trenton NJ"),
      ("]C0", "ROT-90")]),
]
# zebrash (behind zpl-renderer-js) has no ^B8: EAN-8 in ZPL is checked by the printer only
NOT_IN_ZEBRASH = {("]E4", "96385074")}
ZBAR_NAMES = {"]C0": "CODE-128", "]C1": "CODE-128", "]Q1": "QR-Code", "]E0": "EAN-13",
              "]E4": "EAN-8", "]I1": "I2/5", "]A0": "CODE-39"}


def main():
    node = shutil.which("node")
    modules = os.path.join(LABELS, "node_modules")
    for tool in ("zbarimg", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"1..0 # SKIP {tool} is not installed (make test installs it)")
            return 0
    if node is None or not os.path.isdir(os.path.join(modules, "zxing-wasm")):
        print("1..0 # SKIP node and tests/labels/node_modules are needed (make test runs "
              "npm ci in tests/labels)")
        return 0
    os.makedirs(WORK, exist_ok=True)
    zxing_args = []  # files for one node run
    zbar = {}  # png -> expected 1D/QR
    expect = {}  # file -> expected list
    for dpi in (203, 300):
        for template, data, (w_mm, h_mm), want_at in CASES:
            want = [x[:2] for x in want_at]
            # symbols read alone: the file again, with the region around the symbol as fractions of the page
            def regions(scale=1.0):
                return ["@" + ",".join(f"{v * scale:.4f}" for v in (
                    (x - QUIET_MM[0]) / w_mm, (y - QUIET_MM[1]) / h_mm,
                    (x + w + QUIET_MM[2]) / w_mm, (y + h + QUIET_MM[3]) / h_mm))
                    for (_, _, (x, y, w, h)) in [a for a in want_at if len(a) == 3]]
            stem = os.path.basename(template).replace(".json", "")
            base = os.path.join(WORK, f"{stem}-{os.path.basename(data)[:-5]}-{dpi}")
            for fmt in ("zpl", "pdf", "png"):
                out = f"{base}.{fmt}"
                r = render(template, data, fmt, dpi, out)
                check(r.returncode == 0, f"{stem} with {os.path.basename(data)} renders to "
                      f"{fmt} at {dpi} dpi {r.stderr.strip()}")
                if r.returncode != 0:
                    continue
                if fmt == "zpl":
                    dpmm = 8 if dpi == 203 else 12
                    zpl_arg = f"{out}:{w_mm}:{h_mm}:{dpmm}"
                    # zpl-renderer-js draws a dot a pixel, on a page of w_mm * dpmm
                    zxing_args += [zpl_arg] + [zpl_arg + r
                                               for r in regions(dpi / 25.4 / dpmm)]
                    expect[os.path.basename(out)] = [x for x in want
                                                     if x not in NOT_IN_ZEBRASH]
                    text = open(out, encoding="utf-8").read()
                    check(text.count("^XA") == 1 and text.count("^XZ") == 1,
                          f"{os.path.basename(out)}: one label, nothing injected")
                elif fmt == "pdf":
                    subprocess.run(["pdftoppm", "-r", str(dpi * 2), "-gray", "-png",
                                    "-singlefile", out, out[:-4] + "-pdf"], check=True)
                    png = out[:-4] + "-pdf.png"
                    zxing_args.append(png)
                    zxing_args += [png + r for r in regions()]
                    expect[os.path.basename(png)] = want
                    zbar[png] = want
                else:
                    zxing_args.append(out)
                    zxing_args += [out + r for r in regions()]
                    expect[os.path.basename(out)] = want
                    zbar[out] = want
    res = subprocess.run([node, os.path.join(LABELS, "decode.mjs")] + zxing_args,
                         capture_output=True, text=True, cwd=LABELS)
    check(res.returncode == 0, f"decoders ran {res.stderr.strip()[-300:]}")
    found = {}
    for line in res.stdout.splitlines():
        d = json.loads(line)
        found.setdefault(d["file"], []).append((d["symbologyIdentifier"], d["text"]))
    for f, want in sorted(expect.items()):
        got = found.get(f, [])
        for sym in want:
            check(sym in got, f"zxing reads {sym[0]} {sym[1]!r} from {f} (read: {got})")
    for png, want in sorted(zbar.items()):
        r = subprocess.run(["zbarimg", "--nodbus", "-q", png], capture_output=True, text=True)
        got = r.stdout.split("\n")  # not splitlines(): it splits at GS too
        for ident, text in want:
            if ident not in ZBAR_NAMES:
                continue
            text = text.replace(GS, "\x1d")  # zbar prints the GS itself
            name = ZBAR_NAMES[ident]
            ok = f"{name}:{text}" in got
            check(ok, f"zbarimg reads {name} {text!r} from {os.path.basename(png)}")

    # an address with ^ and ~ stays text; Chinese text is a graphic field
    ups = open(os.path.join(WORK, "carrier-4x6-shipment-ups-203.zpl"), encoding="utf-8").read()
    check("^GB800,800,800" not in ups and "_5EGB800,800,800" in ups,
          "an address's ^GB800,... is escaped under ^FH_, not a command")
    check("~JR" not in ups and "_7EJR" in ups, "an address's ~JR is escaped, not a command")
    cn = open(os.path.join(WORK, "carrier-4x6-shipment-cn-203.zpl"), encoding="utf-8").read()
    check("张伟" not in cn and cn.count("^GFA") >= 2,
          "Chinese text is sent as graphic fields, which any Zebra prints")

    # a long order: the packing slip runs over pages, each with the order barcode and its
    # page number, and every line printed once
    big = dict(json.load(open(GS1)))
    big["lines"] = [{"sku": f"SKU-{i:03d}", "description": f"Item {i}", "quantity": 1}
                    for i in range(1, 61)]
    # symbol sizes measured from the ZPL at 203, 300 and 600 dpi: GS1-128 on the GS1
    # logistic label at least X 0.495 mm and 31.75 mm high (GS1 General Specifications, the
    # symbol specification table for logistic units); a PDF417 row at least 3 modules high
    # (ISO/IEC 15438)
    import re
    for dpi in (203, 300, 600):
        dpmm = dpi / 25.4
        out = os.path.join(WORK, f"sizes-gs1-logistic-{dpi}.zpl")
        render("gs1-logistic", GS1, "zpl", dpi, out)
        text = open(out, encoding="utf-8").read()
        symbols = re.findall(r"\^BY(\d+)[^\^]*\^BC.,(\d+)", text)
        check(len(symbols) == 3, f"gs1-logistic at {dpi} dpi: three GS1-128 symbols ({symbols})")
        for module, height in symbols:
            x_mm, h_mm = int(module) / dpmm, int(height) / dpmm
            check(x_mm >= 0.495 - 1e-9 and x_mm <= 1.016,
                  f"gs1-logistic at {dpi} dpi: X {x_mm:.3f} mm within GS1's 0.495 to 1.016")
            check(h_mm >= 31.75 - 0.5 / dpmm,
                  f"gs1-logistic at {dpi} dpi: height {h_mm:.2f} mm, GS1's 31.75 at least")
        # the USPS IMpb (Domestic Mail Manual 708.5: X 0.013 to 0.021 inch, bars at least
        # 0.75 inch high)
        out = os.path.join(WORK, f"sizes-usps-{dpi}.zpl")
        render("carrier-4x6-usps", USPS, "zpl", dpi, out)
        text = open(out, encoding="utf-8").read()
        impb = re.findall(r"\^BY(\d+)[^\^]*\^BC.,(\d+)", text)
        check(len(impb) == 1, f"carrier-4x6-usps at {dpi} dpi: one IMpb ({impb})")
        for module, height in impb:
            x_in, h_in = int(module) / dpi, int(height) / dpi
            check(0.013 <= x_in <= 0.021,
                  f"carrier-4x6-usps at {dpi} dpi: X {x_in * 1000:.1f} mils within USPS's 13 to 21")
            check(h_in >= 0.75, f"carrier-4x6-usps at {dpi} dpi: bars {h_in:.2f} in, USPS's 0.75 at least")
        # and measured from the PNG, and from the PDF as a printer rasterises it at the same
        # resolution (pdftoppm): the narrowest bar or space is one module, the white either
        # side of the symbol its quiet zones (at least 10 modules, GS1 and USPS)
        for template, data, mids, x_min, x_max in (
                ("gs1-logistic", GS1, (52.9, 89.9, 126.9), 0.495, 1.016),
                ("carrier-4x6-usps", USPS, (110.0,), 0.3302, 0.5334)):
            for fmt in ("png", "pdf"):
                png = os.path.join(WORK, f"sizes-{template}-{dpi}.png")
                if fmt == "png":
                    render(template, data, "png", dpi, png)
                else:
                    pdf = os.path.join(WORK, f"sizes-{template}-{dpi}.pdf")
                    render(template, data, "pdf", dpi, pdf)
                    png = os.path.join(WORK, f"sizes-{template}-{dpi}-pdf.png")
                    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile",
                                    pdf, png[:-4]], check=True)
                w, h, rows = read_grey_png(png)
                for mid in mids:
                    r = runs(rows[int(mid * dpmm)])
                    bars = r[1:-1] if not r[0][0] and not r[-1][0] else r
                    module = min(n for _, n in bars)
                    x_mm = module / dpmm
                    check(x_min - 0.5 / dpmm <= x_mm <= x_max + 0.5 / dpmm,
                          f"{template} {fmt.upper()} at {dpi} dpi, row at {mid} mm: module "
                          f"{module} px = {x_mm:.3f} mm, within {x_min} to {x_max}")
                    check(not r[0][0] and not r[-1][0] and
                          min(r[0][1], r[-1][1]) >= 10 * module,
                          f"{template} {fmt.upper()} at {dpi} dpi, row at {mid} mm: quiet "
                          f"zones {r[0][1]} and {r[-1][1]} px, 10 modules ({10 * module} px) "
                          f"at least")
        # the 2D symbols' quiet zones, measured around each symbol in the PNG: PDF417 at
        # least 2 modules on every side (ISO/IEC 15438), MaxiCode 1 module (ISO/IEC 16023).
        # The symbol is found by growing from its corner across the spaces inside it (the
        # PDF417's start and stop patterns have spaces of 3 modules; the MaxiCode's hexagons
        # less than one), and must come out alone (no more than its place on the label)
        for template, data, at, module_mm, zone, inner, fit in (
                ("carrier-4x6-fedex", FEDEX, (3, 55), 0.375, 2, 3.5, (70.0, 23.0)),
                ("carrier-4x6-ups", UPS, (3, 61), 0.88, 1, 0.9, (31.0, 30.0))):
            png = os.path.join(WORK, f"zones-{template}-{dpi}.png")
            render(template, data, "png", dpi, png)
            w, h, rows = read_grey_png(png)
            module_px = module_mm * dpmm
            box = symbol_box(rows, int(at[0] * dpmm), int(at[1] * dpmm + 2 * module_px),
                             max(1, int(module_px * inner)))
            bw, bh = (box[2] - box[0] + 1) / dpmm, (box[3] - box[1] + 1) / dpmm
            check(bw <= fit[0] and bh <= fit[1],
                  f"{template} PNG at {dpi} dpi: the 2D symbol alone found ({bw:.1f} x "
                  f"{bh:.1f} mm)")
            dark = ring_dark(rows, box, int(zone * module_px + 0.5))
            check(dark == 0,
                  f"{template} PNG at {dpi} dpi: {zone} modules ({zone * module_mm:.2f} mm) "
                  f"of quiet zone around the 2D symbol ({dark} dark pixels in it)")
        out = os.path.join(WORK, f"sizes-fedex-{dpi}.zpl")
        render("carrier-4x6-fedex", FEDEX, "zpl", dpi, out)
        text = open(out, encoding="utf-8").read()
        pdf417 = re.findall(r"\^BY(\d+)[^\^]*\^B7.,(\d+)", text)
        check(len(pdf417) == 1 and int(pdf417[0][1]) >= 3 * int(pdf417[0][0]),
              f"carrier-4x6-fedex at {dpi} dpi: PDF417 rows at least 3 modules high ({pdf417})")
    big_path = os.path.join(WORK, "shipment-60-lines.json")
    json.dump(big, open(big_path, "w"))
    pdf = os.path.join(WORK, "packing-slip-60.pdf")
    r = render("packing-slip", big_path, "pdf", 300, pdf)
    check(r.returncode == 0, f"a 60-line packing slip renders {r.stderr.strip()}")
    if r.returncode == 0:
        text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                              text=True).stdout
        pages = text.split("\f")
        check(len([p for p in pages if p.strip()]) == 3, "60 lines at 28 a page are 3 pages")
        for n in (1, 2, 3):
            check(f"Page {n} of 3" in text, f"page {n} says 'Page {n} of 3'")
        check(all(text.count(f"SKU-{i:03d}") == 1 for i in range(1, 61)),
              "every line is on the slip once")
        subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", pdf,
                        os.path.join(WORK, "packing-slip-60")], check=True)
        pngs = sorted(f for f in os.listdir(WORK)
                      if f.startswith("packing-slip-60-") and f.endswith(".png"))
        check(len(pngs) == 3, f"pdftoppm made a picture of each page ({pngs})")
        res = subprocess.run([node, os.path.join(LABELS, "decode.mjs")] +
                             [os.path.join(WORK, f) for f in pngs],
                             capture_output=True, text=True, cwd=LABELS)
        got = [json.loads(line) for line in res.stdout.splitlines()]
        for f in pngs:
            check(any(g["file"] == f and g["text"] == "ORD-1001" for g in got),
                  f"the order barcode reads back from {f}")

    # a packing slip never refuses an order: 27, 28, 29, 56, 57 and 200 lines on A4 (28 a
    # page) and US Letter (25 a page: what fits above the note on its shorter page), one
    # description of 200 characters among them (wrapped, then cut with ...)
    for template, per_page in (("packing-slip", 28), ("packing-slip-letter", 25)):
        for n in (27, 28, 29, 56, 57, 200):
            slip = dict(big, note="Thank you for your order")
            slip["lines"] = [{"sku": f"SKU-{i:03d}", "quantity": 1,
                              "description": ("A very long description of the goods " * 6
                                              if i == 2 else f"Item {i}")}
                             for i in range(1, n + 1)]
            path = os.path.join(WORK, f"slip-{n}.json")
            json.dump(slip, open(path, "w"))
            pdf = os.path.join(WORK, f"{template}-{n}.pdf")
            r = render(template, path, "pdf", 300, pdf)
            check(r.returncode == 0, f"{template} with {n} lines renders {r.stderr.strip()}")
            if r.returncode != 0:
                continue
            text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                                  text=True).stdout
            want = (n + per_page - 1) // per_page
            pages = [p for p in text.split("\f") if p.strip()]
            check(len(pages) == want and f"Page {want} of {want}" in text,
                  f"{template}: {n} lines at {per_page} a page are {want} pages ({len(pages)})")
            check(all(text.count(f"SKU-{i:03d}") == 1 for i in range(1, n + 1)),
                  f"{template}: each of the {n} lines is on the slip once")
            check(all("Thank you for your order" in p for p in pages),
                  f"{template}: the note is on each page, below the lines")

    # an address of six lines of 40 to 53 characters: shrunk within a legible size, then
    # wrapped, on every carrier layout and the GS1 label; only far longer text is refused
    for template, data in (("carrier-4x6", UPS), ("carrier-4x6-ups", UPS),
                           ("carrier-4x6-fedex", FEDEX), ("carrier-4x6-usps", USPS),
                           ("gs1-logistic", GS1)):
        shipment = json.load(open(data, encoding="utf-8"))
        shipment["recipient"] = dict(
            shipment["recipient"], name="Maximilian Alexander Featherstonehaugh-Smythe III",
            company="International Business Logistics Consolidated Ltd",
            street="12345 North Westchester Boulevard Suite 1200 Bldg C",
            street2="Receiving Dock 14, Attention Purchasing Department",
            city="Rancho Santa Margarita Heights North")
        path = os.path.join(WORK, f"long-address-{template}.json")
        json.dump(shipment, open(path, "w"), ensure_ascii=False)
        for fmt in ("zpl", "pdf"):
            r = render(template, path, fmt, 203, os.path.join(WORK, f"long-address-{template}.{fmt}"))
            check(r.returncode == 0, f"{template} ({fmt}) takes six address lines of 40 to 53 "
                  f"characters {r.stderr.strip()}")

    # bad data: refused with the field named, nothing written
    bad = os.path.join(WORK, "bad.json")
    out = os.path.join(WORK, "bad.zpl")
    cases = [
        ({"tracking": "1Z999AA10123456785"}, "tracking-barcode"),
        ({"recipient": {"name": "X"}}, "recipient.street"),
        ({"weight": "12345678901234567890 kg"}, "allows 16"),
        ({"recipient": {"name": "A" * 400, "street": "S", "postal_code": "1", "city": "C",
                        "country": "DE"}}, "does not fit"),
    ]
    cases = [("carrier-4x6", UPS, c, n) for c, n in cases] + [
        # the carrier variants: the carrier's own numbers, the MaxiCode's parts
        ("carrier-4x6-usps", USPS, {"tracking": "1Z999AA10123456784"},
         "not a valid usps tracking number"),
        ("carrier-4x6-ups", UPS, {"tracking": "9205590164917312751089"}, "not ups"),
        ("carrier-4x6-fedex", FEDEX, {"fedex": {"barcode": "1001901781000000810200012345678984"}},
         "tracking-barcode"),
        ("carrier-4x6-ups", UPS, {"recipient": dict(json.load(open(UPS))["recipient"],
                                                    country="XX")},
         "not an ISO 3166 country code"),
        ("carrier-4x6-ups", UPS, {"ups": {"service_class": "2", "address_validation": "Y"}},
         "class of service is three digits"),
        # a separator from the data would shift the message's fields ("ascii" drops them)
        ("carrier-4x6-ups", UPS, {"ups": {"service_class": "002",
                                          "address_validation": "Y\u001dX"}},
         "control character"),
    ]
    for template, data, change, needle in cases:
        d = dict(json.load(open(data)))
        d.update(change)
        json.dump(d, open(bad, "w"))
        if os.path.exists(out):
            os.unlink(out)
        r = render(template, bad, "zpl", 203, out)
        check(r.returncode == 1 and needle in r.stderr and not os.path.exists(out),
              f"refused, naming {needle!r}: {r.stderr.strip()}")
    print(f"1..{checks}")
    return 1 if failures else 0


sys.exit(main())
