// The bench page's load time in Debian's chromium (playwright-core, headless), interleaved
// round by round with its baseline: the same three static files (page, style, script) served
// by a bare HTTP server, loaded to the browser's load event. The station's page is timed to
// ready: loaded, its sentences fetched from the station (GET /api/v1/i18n) and shown, the badge
// field focused. A fresh browser context each load: nothing cached, as a bench's first load.
//   node bench-screen.mjs STATION_URL BASELINE_URL ROUNDS
import { appendFileSync } from 'node:fs';
import { chromium } from "playwright-core";

const [station, baseline, roundsArg] = process.argv.slice(2);
const rounds = parseInt(roundsArg || "20", 10);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function timed(fn) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 },
                                             bypassCSP: true });
  const page = await context.newPage();
  const t0 = performance.now();
  await fn(page);
  const ms = performance.now() - t0;
  await context.close();
  return ms;
}

const base = [], subject = [], ratios = [];
try {
  // one load of each first: the browser's own start is not a page's
  await timed((p) => p.goto(baseline, { waitUntil: "load" }));
  await timed((p) => p.goto(station + "?seat=bench&lang=en"));
  for (let i = 0; i < rounds; i++) {
    const b = await timed((p) => p.goto(baseline, { waitUntil: "load" }));
    const s = await timed(async (p) => {
      await p.goto(station + "?seat=bench&lang=zh-CN", { waitUntil: "load" });
      await p.waitForFunction(() => document.querySelector("h1").textContent === "请扫描您的工牌" &&
                              document.activeElement && document.activeElement.id === "badge");
    });
    base.push(b);
    subject.push(s);
    ratios.push(s / b);
  }
} finally {
  await browser.close();
}
const sorted = (a) => [...a].sort((x, y) => x - y);
const median = (a) => sorted(a)[Math.floor(a.length / 2)];
const p99 = (a) => sorted(a)[Math.min(a.length - 1, Math.ceil(a.length * 0.99) - 1)];
const f = (x) => x.toFixed(1);
console.log(`bench-screen: ${rounds} rounds, each a load of the baseline then of the page`);
console.log(`  baseline, the static files to load:       median ${f(median(base))} ms, p99 ${f(p99(base))} ms`);
console.log(`  the bench page to ready (in Chinese):      median ${f(median(subject))} ms, p99 ${f(p99(subject))} ms`);
console.log(`  ratio, median of the rounds' ratios: ${median(ratios).toFixed(2)} ` +
            `(spread ${sorted(ratios)[0].toFixed(2)} to ${sorted(ratios)[ratios.length - 1].toFixed(2)})`);
// one row of `make bench`'s table (tests/bench/st-bench.h says the columns)
if (process.env.ST_BENCH_RESULTS) {
  const s = sorted(ratios);
  appendFileSync(process.env.ST_BENCH_RESULTS,
    ['bench-screen', 'the bench page loaded in chromium to ready, ms', median(subject), p99(subject),
     'the same static files from a bare HTTP server', median(base), median(ratios), s[0],
     s[s.length - 1], 'min-max', rounds].join('\t') + '\n');
}
