import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { prepareZXingModule, readBarcodes } = await import("zxing-wasm/reader");
const wasmPath = require.resolve("zxing-wasm/reader/zxing_reader.wasm");
await prepareZXingModule({ overrides: { wasmBinary: fs.readFileSync(wasmPath) }, fireImmediately: true });
let zpl = null;
for (const f of process.argv.slice(2)) {
  let png;
  if (f.endsWith(".zpl")) {
    if (!zpl) zpl = (await import("zpl-renderer-js")).ready;
    const { api } = await zpl;
    png = Buffer.from(await api.zplToBase64Async(fs.readFileSync(f, "utf8"), 101.6, 152.4, 8), "base64");
    fs.writeFileSync(f + ".png", png);
  } else png = fs.readFileSync(f);
  const res = await readBarcodes(new Uint8Array(png), { tryHarder: true, maxNumberOfSymbols: 20, formats: [] , textMode: "Escaped"});
  for (const r of res) console.log(JSON.stringify({ file: path.basename(f), format: r.format, symbologyIdentifier: r.symbologyIdentifier, text: r.text }));
}
