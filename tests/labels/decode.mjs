// Decodes every barcode on rendered labels and prints one JSON line per symbol found:
// {"file", "format", "symbologyIdentifier", "text"} (GS shown as <GS>).
// Arguments: PNG files, or ZPL files as FILE.zpl[:WIDTH_MM:HEIGHT_MM:DPMM], rendered to
// PNG first with zpl-renderer-js (zebrash); the PNG is kept beside the ZPL.
// An argument may end with @X0,Y0,X1,Y1 (fractions of the image's width and height): only
// that part of the image is read, as a "pure" symbol. zxing-cpp finds MaxiCode only that way.
// Works offline: zxing-wasm gets its .wasm from node_modules, not from a CDN.
import fs from "node:fs";
import zlib from "node:zlib";
import path from "node:path";
import { createRequire } from "node:module";
import { webcrypto } from "node:crypto";
// Debian 12's node 18 has no global crypto, which the Go runtime inside zpl-renderer-js needs
if (!globalThis.crypto) globalThis.crypto = webcrypto;
const require = createRequire(import.meta.url);
const { prepareZXingModule, readBarcodes } = await import("zxing-wasm/reader");
const wasmPath = require.resolve("zxing-wasm/reader/zxing_reader.wasm");
await prepareZXingModule({ overrides: { wasmBinary: fs.readFileSync(wasmPath) }, fireImmediately: true });
// 8-bit, non-interlaced PNG (what cairo, pdftoppm and zpl-renderer-js write) to RGBA
function decodePng(buf) {
  const w = buf.readUInt32BE(16), h = buf.readUInt32BE(20), depth = buf[24], type = buf[25];
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[type];
  if (depth !== 8 || !channels || buf[28] !== 0) throw Error(`PNG type ${type}/${depth} not read here`);
  const idat = [];
  for (let p = 8; p < buf.length;) {
    const len = buf.readUInt32BE(p), kind = buf.toString("latin1", p + 4, p + 8);
    if (kind === "IDAT") idat.push(buf.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat)), stride = w * channels;
  const px = Buffer.alloc(h * stride), rgba = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    const filter = raw[y * (stride + 1)], line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? px[y * stride + x - channels] : 0, b = y ? px[(y - 1) * stride + x] : 0;
      const c = x >= channels && y ? px[(y - 1) * stride + x - channels] : 0;
      const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      px[y * stride + x] = (line[x] + pred) & 255;
    }
  }
  for (let i = 0; i < w * h; i++) {
    const g = channels < 3;
    rgba[i * 4] = px[i * channels];
    rgba[i * 4 + 1] = px[i * channels + (g ? 0 : 1)];
    rgba[i * 4 + 2] = px[i * channels + (g ? 0 : 2)];
    rgba[i * 4 + 3] = 255;
  }
  return { data: rgba, width: w, height: h };
}

function crop(img, [x0, y0, x1, y1]) {
  const l = Math.max(0, Math.floor(x0 * img.width)), t = Math.max(0, Math.floor(y0 * img.height));
  const r = Math.min(img.width, Math.ceil(x1 * img.width)), b = Math.min(img.height, Math.ceil(y1 * img.height));
  const out = new Uint8ClampedArray((r - l) * (b - t) * 4);
  for (let y = t; y < b; y++)
    out.set(img.data.subarray((y * img.width + l) * 4, (y * img.width + r) * 4), (y - t) * (r - l) * 4);
  return { data: out, width: r - l, height: b - t };
}

let zpl = null;
for (const full of process.argv.slice(2)) {
  const [arg, region] = full.split("@");
  const [f, w, h, dpmm] = arg.split(":");
  let png;
  if (f.endsWith(".zpl")) {
    // its CommonJS build: the ES one is a .js file without "type": "module", which node 18
    // will not load as a module
    if (!zpl) zpl = require("zpl-renderer-js").ready;
    const { api } = await zpl;
    png = Buffer.from(await api.zplToBase64Async(fs.readFileSync(f, "utf8"),
      Number(w || 101.6), Number(h || 152.4), Number(dpmm || 8)), "base64");
    fs.writeFileSync(f + ".png", png);
  } else png = fs.readFileSync(f);
  const input = region ? crop(decodePng(png), region.split(",").map(Number)) : new Uint8Array(png);
  const res = await readBarcodes(input, { tryHarder: true, isPure: !!region, maxNumberOfSymbols: 32, formats: [], textMode: "Escaped" });
  for (const r of res) console.log(JSON.stringify({ file: path.basename(f), format: r.format, symbologyIdentifier: r.symbologyIdentifier, text: r.text }));
}
