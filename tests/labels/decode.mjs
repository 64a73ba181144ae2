// Decodes every barcode on rendered labels and prints one JSON line per symbol found:
// {"file", "format", "symbologyIdentifier", "text"} (GS shown as <GS>).
// Arguments: PNG files, or ZPL files as FILE.zpl[:WIDTH_MM:HEIGHT_MM:DPMM], rendered to
// PNG first with zpl-renderer-js (zebrash); the PNG is kept beside the ZPL.
// Works offline: zxing-wasm gets its .wasm from node_modules, not from a CDN.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { webcrypto } from "node:crypto";
// Debian 12's node 18 has no global crypto, which the Go runtime inside zpl-renderer-js needs
if (!globalThis.crypto) globalThis.crypto = webcrypto;
const require = createRequire(import.meta.url);
const { prepareZXingModule, readBarcodes } = await import("zxing-wasm/reader");
const wasmPath = require.resolve("zxing-wasm/reader/zxing_reader.wasm");
await prepareZXingModule({ overrides: { wasmBinary: fs.readFileSync(wasmPath) }, fireImmediately: true });
let zpl = null;
for (const arg of process.argv.slice(2)) {
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
  const res = await readBarcodes(new Uint8Array(png), { tryHarder: true, maxNumberOfSymbols: 32, formats: [], textMode: "Escaped" });
  for (const r of res) console.log(JSON.stringify({ file: path.basename(f), format: r.format, symbologyIdentifier: r.symbologyIdentifier, text: r.text }));
}
