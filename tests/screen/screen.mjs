// The bench screen and the handheld page in Debian's chromium (playwright-core, headless):
// a packer logs in by badge, opens an order and scans right and wrong items into the screen's
// field as a scanner would, sees the green and red answers and what to scan next; the screen
// switched to Chinese shows every sentence translated; a picker works the handheld page at
// phone size; at a second bench, whose scanner and scale the station reads itself (emulated
// devices fed through the named pipes SCANNER and SCALE), the screen follows the seat with a
// device token: a badge, an order and its item scanned, the weight live, a weight refused
// and one taken, a printer in trouble and the scanner unplugged said at once. Screenshots go
// to OUT. Prints TAP; exit status 1 on the first failure.
//   node screen.mjs URL OUT URL2 TOKEN2 SCANNER SCALE
import { chromium } from "playwright-core";
import { appendFileSync, mkdirSync } from "node:fs";

const [url, out, url2, token2, scannerFifo, scaleFifo] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
let n = 0;
const ok = (what) => console.log(`ok ${++n} - ${what}`);
const fail = (what, detail) => {
  console.log(`not ok ${++n} - ${what}\n# ${String(detail).replace(/\n/g, "\n# ")}`);
  process.exitCode = 1;
};
async function check(what, fn) {
  try {
    await fn();
    ok(what);
  } catch (e) {
    fail(what, e.stack || e);
    throw e;
  }
}
function expect(cond, detail) {
  if (!cond)
    throw new Error(detail);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         // the handheld's camera: a video of a barcode (run-screen.py makes it)
         "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
         "--use-file-for-fake-video-capture=" + process.env.STATION_FAKE_CAMERA],
});
try {
  // the page's Content-Security-Policy forbids eval, which playwright's waits use: bypassed
  // for the test only
  const bench = await (await browser.newContext({ viewport: { width: 1280, height: 800 },
                                                  bypassCSP: true })).newPage();
  const errors = [];
  bench.on("pageerror", (e) => errors.push(String(e)));
  await check("the bench screen asks for a badge", async () => {
    await bench.goto(url + "?seat=bench&lang=en");
    await bench.waitForSelector("#badge:focus");
    expect((await bench.textContent("h1")) === "Scan your badge", await bench.textContent("h1"));
    await bench.screenshot({ path: out + "/bench-login.png" });
  });
  await check("an unknown badge is refused on the screen", async () => {
    await bench.keyboard.type("OP-9999\n");
    await bench.waitForSelector("#login-error:not(:empty)");
  });
  await check("the badge's barcode logs in: what to scan next, in large type", async () => {
    await bench.fill("#badge", "");
    await bench.keyboard.type("OP-0042\n");
    await bench.waitForSelector("#work-view:not([hidden])");
    await bench.waitForSelector("#scan:focus");
    await bench.waitForFunction(() => document.querySelector("#next").textContent.length > 0);
  });
  await check("scans typed by a scanner: the order opens, green", async () => {
    await bench.keyboard.type("OP-0042\n");
    await bench.waitForSelector("#verdict.ok");
    await bench.keyboard.type("ORD-2001\n");
    await bench.waitForFunction(() => document.querySelector("#verdict").textContent.includes("ORD-2001"));
    expect(await bench.$("#verdict.ok"), "the order's answer is not green");
    await bench.waitForFunction(() => document.querySelector("#next").textContent.includes("ORD-2001"),
                                null, { timeout: 10000 }).catch(async () => {
      throw new Error("next: " + await bench.textContent("#next"));
    });
    await bench.waitForSelector("#lines:not([hidden]) tbody tr");
  });
  await check("the order's lines with scanned and expected counts", async () => {
    await bench.keyboard.type("5901234123457\n");
    await bench.waitForFunction(() =>
      [...document.querySelectorAll("#lines tbody tr")].some((tr) => tr.className === "done"));
    const rows = await bench.$$eval("#lines tbody tr", (l) => l.map((r) => r.textContent));
    expect(rows.length === 2 && rows.some((r) => r.includes("TAPE-48") && r.includes("1 / 1")) &&
           rows.some((r) => r.includes("PEN") && r.includes("0 / 2")), JSON.stringify(rows));
    await bench.screenshot({ path: out + "/bench-order.png" });
  });
  await check("a wrong item: red, the flash, the reason in words", async () => {
    await bench.keyboard.type("0012345678905\n");
    await bench.waitForSelector("#verdict.bad");
    await bench.waitForSelector("#flash.bad");
    const text = await bench.textContent("#verdict");
    expect(text.length > 10, "reason: " + text);
    await bench.screenshot({ path: out + "/bench-refused.png" });
  });
  await check("the last scans are listed once each, newest first", async () => {
    const items = await bench.$$eval("#history li", (l) => l.map((x) => [x.className, x.textContent]));
    expect(items.length === 4 && items[0][0] === "bad", JSON.stringify(items));
    expect(items[2][1].includes("ORD-2001") && items[3][1].includes("OP-0042"), JSON.stringify(items));
  });
  await check("the order packed: its labels printed by the bench, their states, the preview", async () => {
    await bench.keyboard.type("4006381333931\n");
    await bench.waitForFunction(() => document.querySelector("#verdict").textContent.includes("PEN"),
                                null, { timeout: 10000 }).catch(async () => {
      throw new Error("verdict: " + await bench.textContent("#verdict"));
    });
    const first = await bench.textContent("#verdict");
    expect(first.includes("1 of 2"), "verdict: " + first);
    await bench.keyboard.type("4006381333931\n");
    await bench.waitForFunction(() => document.querySelector("#verdict").textContent.includes("complete"));
    await bench.waitForFunction(() =>
      [...document.querySelectorAll("#prints li")].filter((l) => l.className === "completed").length >= 2,
      null, { timeout: 20000 }).catch(async () => {
      throw new Error("labels: " + await bench.innerText("#labels") + " / next: " +
                      await bench.textContent("#next") + " / verdict: " +
                      await bench.textContent("#verdict"));
    });
    await bench.waitForFunction(() => {
      const img = document.querySelector("#preview");
      return !img.hidden && img.complete && img.naturalWidth > 400;
    }, null, { timeout: 20000 });
    const prints = await bench.$$eval("#prints li", (l) => l.map((x) => x.textContent));
    expect(prints.some((p) => p.includes("006141410")), JSON.stringify(prints));
    await bench.screenshot({ path: out + "/bench-labels.png", fullPage: true });
  });
  await check("in Chinese: every sentence of the screen translated, and the answers", async () => {
    await bench.click("#lang");
    await bench.waitForFunction(() => document.documentElement.lang === "zh-CN");
    const untranslated = await bench.$$eval("[data-t]", (els) =>
      els.filter((e) => e.textContent === e.dataset.t || !/[\u4e00-\u9fff]/.test(e.textContent))
         .map((e) => e.dataset.t));
    expect(untranslated.length === 0, "untranslated: " + untranslated.join(", "));
    // and the operator's answers at this seat follow: what to scan next, in Chinese
    await bench.waitForFunction(() => /[\u4e00-\u9fff]/.test(document.querySelector("#next").textContent),
                                null, { timeout: 10000 }).catch(async () => {
      throw new Error("next: " + await bench.textContent("#next"));
    });
    await bench.screenshot({ path: out + "/bench-chinese.png" });
  });
  await check("the page raised no error", async () => {
    expect(errors.length === 0, errors.join("\n"));
  });

  const hand = await (await browser.newContext({ viewport: { width: 360, height: 740 },
                                                 isMobile: true, hasTouch: true,
                                                 permissions: ["camera"],
                                                 bypassCSP: true })).newPage();
  await check("the handheld page at phone size: a picker logs in", async () => {
    await hand.goto(url + "?seat=handheld&lang=en");
    await hand.waitForSelector("#badge:focus");
    await hand.keyboard.type("OP-0045\n");
    await hand.waitForSelector("#work-view:not([hidden])");
    await hand.keyboard.type("OP-0045\n");
    await hand.waitForSelector("#verdict.ok");
  });
  await check("the handheld page fits a phone's width", async () => {
    const wide = await hand.evaluate(() => document.documentElement.scrollWidth);
    expect(wide <= 360, "scroll width " + wide);
    await hand.screenshot({ path: out + "/handheld.png" });
  });
  await check("a pick list's barcode on the handheld: the route starts", async () => {
    await hand.keyboard.type("PL-000001\n");
    await hand.waitForFunction(() => document.querySelector("#verdict").textContent.includes("000001"));
    await hand.screenshot({ path: out + "/handheld-list.png" });
  });
  await check("the camera on a browser without BarcodeDetector: the station reads the frames", async () => {
    const detector = await hand.evaluate(() => "BarcodeDetector" in window);
    await hand.click("#camera");
    await hand.waitForFunction(() => [...document.querySelectorAll("#history li")]
      .some((li) => li.textContent.includes("4006381333931")), null, { timeout: 20000 })
      .catch(async () => { throw new Error("history: " + await hand.innerText("#history")); });
    await hand.screenshot({ path: out + "/handheld-camera.png" });
    // the code stays in view: submitted once, not at every frame
    await hand.waitForTimeout(1500);
    const times = await hand.$$eval("#history li", (l) =>
      l.filter((li) => li.textContent.includes("4006381333931")).length);
    expect(times === 1, "the camera's code was submitted " + times + " times");
    await hand.click("#camera");
    console.log("# BarcodeDetector in this chromium: " + detector);
  });

  // the second bench: the station reads its scanner and scale; its screen only shows
  const scan = (text) => appendFileSync(scannerFifo, "type " + text + "\n");
  const weigh = (reading) => appendFileSync(scaleFifo, "weight " + reading + "\n");
  const usb = await (await browser.newContext({ viewport: { width: 1280, height: 800 },
                                                bypassCSP: true })).newPage();
  const errors2 = [];
  usb.on("pageerror", (e) => errors2.push(String(e)));
  const verdictHas = (text) => usb.waitForFunction(
    (t) => document.querySelector("#verdict").textContent.includes(t), text, { timeout: 10000 })
    .catch(async () => { throw new Error("verdict: " + await usb.textContent("#verdict")); });
  await check("a bench followed with a device token: the screen asks for a badge", async () => {
    await usb.goto(url2 + "?seat=bench&lang=en#token=" + token2);
    await usb.waitForSelector("#login-view:not([hidden])");
    expect(!usb.url().includes(token2), "the token stays in the address bar: " + usb.url());
    expect(await usb.isHidden("#logout"), "a log-out button on a followed bench");
  });
  await check("the badge scanned on the bench's own scanner logs in on the screen", async () => {
    scan("OP-0042");
    await usb.waitForSelector("#work-view:not([hidden])");
    await verdictHas("Ana");
    expect(await usb.$("#verdict.ok"), "the login is not green");
    await usb.waitForFunction(() => document.querySelector("#operator").textContent === "Ana");
  });
  await check("an order and its item on the bench's scanner: green, the lines, the weight expected", async () => {
    scan("ORD-2004");
    await verdictHas("ORD-2004");
    await usb.waitForSelector("#lines:not([hidden]) tbody tr");
    scan("4006381333931");
    await usb.waitForFunction(() => document.querySelector("#expected").textContent.includes(" g"),
                              null, { timeout: 10000 }).catch(async () => {
      throw new Error("verdict: " + await usb.textContent("#verdict"));
    });
  });
  await check("the scale's live weight: in motion, then stable", async () => {
    weigh("in-motion 61 g");
    await usb.waitForFunction(() => document.querySelector("#weight-status").className === "motion" &&
                              document.querySelector("#grams").textContent === "61 g");
    await usb.screenshot({ path: out + "/usb-bench-weighing.png" });
  });
  await check("a parcel too light on the scale: red, by how much", async () => {
    weigh("stable 30 g");
    await usb.waitForSelector("#verdict.bad");
    await verdictHas("too light");
    await usb.waitForFunction(() => document.querySelector("#weight-status").className === "stable");
    await usb.screenshot({ path: out + "/usb-bench-too-light.png" });
  });
  await check("the right weight: green, the order complete", async () => {
    const expected = /([\d,]+) g ±/.exec(await usb.textContent("#expected"));
    expect(expected, "expected: " + await usb.textContent("#expected"));
    weigh("stable " + expected[1].replace(/,/g, "") + " g");
    await verdictHas("order complete");
    expect(await usb.$("#verdict.ok"), "the completion is not green");
    await usb.screenshot({ path: out + "/usb-bench-complete.png" });
  });
  await check("a printer in trouble is said at once, in the red band", async () => {
    await usb.waitForFunction(() => {
      const p = document.querySelector("#problems");
      return !p.hidden && p.textContent.includes("spare");
    }, null, { timeout: 20000 });
  });
  await check("the bench's scanner unplugged: said at once, in the red band", async () => {
    appendFileSync(scannerFifo, "unplug\n");
    await usb.waitForFunction(() => document.querySelector("#problems").textContent.includes("bench-scanner"));
    await usb.screenshot({ path: out + "/usb-bench-unplugged.png" });
  });
  await check("the followed bench's page raised no error", async () => {
    expect(errors2.length === 0, errors2.join("\n"));
  });
} catch (e) {
  /* said above */
} finally {
  await browser.close();
  console.log(`1..${n}`);
}
