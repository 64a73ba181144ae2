#!/usr/bin/env python3
"""An EAN-13 barcode drawn in grey pixels, from the symbology's encoding tables (GS1 General
Specifications, EAN/UPC symbol encodation): for the fuzz corpus of the camera decoder and for
the fake camera of the browser test.

  ean13.py fuzz DIGITS OUT         a fuzz-api-frame input: 3 size bytes, then the pixels
  ean13.py y4m DIGITS OUT          a 640x480 YUV4MPEG2 video of the barcode (chromium's fake
                                   camera: --use-file-for-fake-video-capture)
"""
import sys

L = ["0001101", "0011001", "0010011", "0111101", "0100011",
     "0110001", "0101111", "0111011", "0110111", "0001011"]
G = ["0100111", "0110011", "0011011", "0100001", "0011101",
     "0111001", "0000101", "0010001", "0001001", "0010111"]
R = ["".join("1" if b == "0" else "0" for b in code) for code in L]
PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
          "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]


def check_digit(twelve):
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(twelve))
    return str((10 - total % 10) % 10)


def modules(digits):
    """the 95 modules of an EAN-13, '1' a bar"""
    if len(digits) == 12:
        digits += check_digit(digits)
    assert len(digits) == 13 and digits[12] == check_digit(digits[:12]), digits
    first, left, right = int(digits[0]), digits[1:7], digits[7:]
    bars = "101"
    for parity, d in zip(PARITY[first], left):
        bars += (L if parity == "L" else G)[int(d)]
    bars += "01010"
    for d in right:
        bars += R[int(d)]
    return bars + "101"


def draw(digits, width, height, module):
    """grey rows: the barcode centred, white around it (its quiet zones included)"""
    bars = modules(digits)
    x0 = (width - len(bars) * module) // 2
    y0, y1 = height // 4, height * 3 // 4
    row_bar = bytearray(255 for _ in range(width))
    for i, b in enumerate(bars):
        if b == "1":
            for x in range(x0 + i * module, x0 + (i + 1) * module):
                row_bar[x] = 0
    white = bytes(255 for _ in range(width))
    return b"".join(bytes(row_bar) if y0 <= y < y1 else white for y in range(height))


if __name__ == "__main__":
    kind, digits, out = sys.argv[1:4]
    if kind == "fuzz":
        width, height = 16 + 140, 16 + 24
        data = bytes([140 & 255, 140 >> 8, 24]) + draw(digits, width, height, 1)
        open(out, "wb").write(data)
    else:
        width, height = 640, 480
        y = draw(digits, width, height, 4)
        chroma = bytes(128 for _ in range(width * height // 4))
        with open(out, "wb") as f:
            f.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
            for _ in range(10):
                f.write(b"FRAME\n" + y + chroma + chroma)
