// The bench screen and the handheld page. No framework, no build step: it logs in with a
// badge (POST /api/v1/sessions), or follows a bench with a device token; shows what to scan
// next (GET /api/v1/seats/SEAT), submits what a keyboard-wedge scanner or a handheld's
// scanner types into the focused field, or what the camera reads (the browser's
// BarcodeDetector, else the station's decoder), and follows the seat on the WebSocket
// (/api/v1/events): each verdict as a green or red flash, a sound, a vibration and the
// reason in words; the scale's weight; devices unplugged, printers in trouble, the labels'
// prints, the outbox.
"use strict";

const params = new URLSearchParams(location.search);
const seat = params.get("seat") || "bench";
let lang = sessionStorage.getItem("station-lang") || params.get("lang") || "en";
// A bench whose scanner the station reads over USB: its screen follows the seat with a
// device token (station token create), given once as #token=... and kept by the browser;
// the operator logs in by scanning their badge on the bench's scanner. Otherwise the page
// logs in itself with a badge typed into it (a keyboard-wedge scanner, a handheld).
const hashToken = new URLSearchParams(location.hash.slice(1)).get("token");
if (hashToken) {
  localStorage.setItem("station-device-token-" + seat, hashToken);
  history.replaceState(null, "", location.pathname + location.search);
}
const deviceToken = localStorage.getItem("station-device-token-" + seat);
let token = deviceToken || sessionStorage.getItem("station-token-" + seat);
let strings = {};
let socket = null;
let audio = null;
const shown = new Set();
const gone = new Map();     // device -> role, while unplugged
const printerTrouble = new Map(); // printer -> what CUPS says

const $ = (id) => document.getElementById(id);
const t = (s) => strings[s] || s;
// marks a sentence translated later with t() (test-api checks that each is in the catalogue)
const N_ = (s) => s;

let languages = [];

// the language after @l in the station's list (English, then each catalogue's)
function nextLanguage(l) {
  const i = languages.findIndex((x) => x.code === l);
  return languages.length > 0 ? languages[(i + 1) % languages.length] : {code: "en", name: "English"};
}

async function loadLanguage(l) {
  const r = await fetch("/api/v1/i18n?lang=" + encodeURIComponent(l));
  const data = await r.json();
  strings = data.strings;
  languages = data.languages;
  lang = l;
  sessionStorage.setItem("station-lang", l);
  document.documentElement.lang = l;
  for (const el of document.querySelectorAll("[data-t]"))
    el.textContent = t(el.dataset.t);
  // the switch names the next language in itself: whoever reads it can find it
  $("lang").textContent = nextLanguage(l).name;
}

async function api(method, path, body) {
  const r = await fetch(path, {
    method,
    headers: Object.assign({"Content-Type": "application/json"},
                           token ? {"Authorization": "Bearer " + token} : {}),
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = r.status === 204 ? null : await r.json();
  if (r.status === 401 && token) {
    if (deviceToken) {
      localStorage.removeItem("station-device-token-" + seat);
      loggedOut(t("This screen's token is no longer valid: ask the shift lead"));
    } else {
      loggedOut(t("The session has ended: scan your badge again"));
    }
    throw new Error("session");
  }
  return {status: r.status, data};
}

// what keeps the bench from working, said at once in a red band until it is fixed
// what a printer's trouble (GET /api/v1/printers, attention) means, in a few words
const TROUBLE = {
  "paused": N_("Paused: its labels wait"),
  "rejecting": N_("Refuses new labels"),
  "unreachable": N_("Does not answer: check its cable and power"),
  "media": N_("Out of labels, paper or ribbon, or open"),
  "stopped": N_("Stopped after an error"),
  "held": N_("Labels held in the queue"),
  "no-scheduler": N_("The print service does not answer"),
  "missing": N_("No such print queue"),
};

function showProblems() {
  const p = $("problems");
  p.textContent = "";
  for (const [id, role] of gone) {
    const line = document.createElement("div");
    line.textContent = t("Unplugged") + ": " + id + " (" + t(role) + ")";
    p.append(line);
  }
  for (const [name, trouble] of printerTrouble) {
    // the words for the packer; CUPS's own message, smaller, for the shift lead
    const line = document.createElement("div");
    line.textContent = t("Printer") + " " + name + ": " +
      (TROUBLE[trouble.attention] ? t(TROUBLE[trouble.attention]) : trouble.message) + " ";
    const detail = document.createElement("small");
    detail.textContent = TROUBLE[trouble.attention] ? trouble.message : "";
    line.append(detail);
    p.append(line);
  }
  p.hidden = p.children.length === 0;
}

let printersTimer = null;
async function checkPrinters() {
  clearTimeout(printersTimer);
  printersTimer = setTimeout(checkPrinters, 15000);
  if (!token)
    return;
  const r = await api("GET", "/api/v1/printers").catch(() => null);
  if (!r || r.status !== 200)
    return;
  printerTrouble.clear();
  for (const p of r.data)
    if (p.attention !== "none")
      printerTrouble.set(p.printer, {attention: p.attention, message: p.message});
  showProblems();
}

function showOutbox(waiting) {
  $("outbox").textContent = waiting > 0
    ? t("Waiting for the central system") + ": " + waiting.toLocaleString(lang) + " " + t("events") : "";
}

function beep(ok) {
  try {
    audio = audio || new AudioContext();
    const tones = ok ? [[1200, 0.09]] : [[330, 0.18], [260, 0.25]];
    let at = audio.currentTime;
    for (const [hz, len] of tones) {
      const o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = hz;
      o.type = ok ? "sine" : "square";
      g.gain.value = 0.2;
      o.connect(g).connect(audio.destination);
      o.start(at);
      o.stop(at + len);
      at += len + 0.05;
    }
  } catch (e) { /* no sound on this browser */ }
  if (navigator.vibrate)
    navigator.vibrate(ok ? 60 : [120, 80, 120]);
}

function flash(ok) {
  const f = $("flash");
  f.className = "flash";
  void f.offsetWidth;
  f.className = "flash " + (ok ? "ok" : "bad");
}

function showVerdict(v) {
  // a scan of this screen comes back twice, from its POST and on the WebSocket, in either
  // order: shown once
  if (v.scan) {
    if (shown.has(v.scan))
      return;
    shown.add(v.scan);
  }
  const box = $("verdict");
  box.className = "verdict " + (v.ok ? "ok" : "bad");
  box.textContent = v.message;
  const li = document.createElement("li");
  li.className = v.ok ? "ok" : "bad";
  if (v.order)
    lastOrder = v.order;
  li.textContent = (v.ok ? t("OK") : t("Refused")) + " · " + v.input + " · " + v.message;
  const h = $("history");
  h.prepend(li);
  while (h.children.length > 8)
    h.lastChild.remove();
  flash(v.ok);
  beep(v.ok);
}

let lastOrder = null;
let previewOf = null;

// the labels of the last order of this seat: each print's state, and the first parcel's label
// drawn (fetched with the token, shown from memory)
let labelsTimer = null;
const FINAL = ["completed", "failed", "cancelled", "aborted"];

async function showLabels() {
  if (!lastOrder || !token)
    return;
  const order = lastOrder;
  const r = await api("GET", "/api/v1/orders/" + encodeURIComponent(order) + "/prints");
  // the bench prints a moment after the order's last scan, and CUPS takes its time: asked
  // again every second until every print has ended
  clearTimeout(labelsTimer);
  const waiting = r.status === 200 && (r.data.length === 0 || r.data.some((p) => !FINAL.includes(p.state)));
  if (waiting && order === lastOrder)
    labelsTimer = setTimeout(showLabels, 1000);
  if (r.status !== 200 || r.data.length === 0) {
    $("labels").hidden = true;
    return;
  }
  $("labels").hidden = false;
  $("reprint").hidden = !r.data.some((p) => p.kind !== "packing-slip");
  const list = $("prints");
  list.textContent = "";
  for (const p of r.data) {
    const li = document.createElement("li");
    li.className = p.state;
    li.textContent = p.kind + (p.reference ? " " + p.reference : "") + ": " + t(p.state) +
                     (p.message ? " (" + p.message + ")" : "");
    list.append(li);
  }
  if (previewOf !== lastOrder) {
    const img = await fetch("/api/v1/orders/" + encodeURIComponent(lastOrder) +
                            "/parcels/1/preview.png", {headers: {"Authorization": "Bearer " + token}});
    if (img.status === 200) {
      $("preview").src = URL.createObjectURL(await img.blob());
      $("preview").alt = t("Preview");
      $("preview").hidden = false;
      previewOf = lastOrder;
    }
  }
}

async function refresh() {
  const r = await api("GET", "/api/v1/seats/" + encodeURIComponent(seat));
  if (r.status !== 200)
    return;
  if (deviceToken) {
    // the bench's own scanner logs its operators in and out: the screen follows
    const login = r.data.needs_badge;
    if (login !== !$("login-view").hidden) {
      $("login-view").hidden = !login;
      $("work-view").hidden = login;
      (login ? $("badge") : $("scan")).focus();
    }
  }
  if (r.data.order)
    lastOrder = r.data.order.number;
  showLabels();
  $("next").textContent = r.data.next;
  $("expected").textContent = r.data.weigh
    ? "(" + t("Expected") + " " + r.data.weigh.expected_g.toLocaleString(lang) + " g ± " +
      r.data.weigh.tolerance_g.toLocaleString(lang) + " g)" : "";
  // the open order's lines: scanned and expected counts, a line done in green
  const table = $("lines");
  const body = table.querySelector("tbody");
  body.textContent = "";
  table.hidden = !r.data.order;
  if (r.data.order) {
    $("order-number").textContent = r.data.order.number;
    for (const l of r.data.order.lines) {
      const tr = document.createElement("tr");
      tr.className = l.packed >= l.quantity ? "done" : "";
      const item = document.createElement("td");
      item.textContent = l.sku + " · " + l.name;
      const count = document.createElement("td");
      count.className = "count";
      count.textContent = l.packed.toLocaleString(lang) + " / " + l.quantity.toLocaleString(lang);
      tr.append(item, count);
      body.append(tr);
    }
  }
  $("operator").textContent = r.data.operator ? r.data.operator.name : "";
  const o = await api("GET", "/api/v1/outbox");
  if (o.status === 200)
    showOutbox(o.data.waiting);
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(scheme + "//" + location.host + "/api/v1/events?token=" +
                         encodeURIComponent(token) + "&seat=" + encodeURIComponent(seat));
  socket.onopen = () => {
    $("status").textContent = t("Connected");
    $("status").className = "status";
  };
  socket.onmessage = (e) => {
    const m = JSON.parse(e.data);
    // a lead's session sees every seat: this screen shows its own
    if ((m.seat && m.seat !== seat) || (m.verdict && m.verdict.seat !== seat))
      return;
    if (m.type === "device") {
      // a device gone is said at once, and stays said until it is back
      if (m.present)
        gone.delete(m.device);
      else
        gone.set(m.device, m.role);
      showProblems();
    }
    if (m.type === "print") {
      if (m.order && m.order === lastOrder)
        showLabels();
      if (m.attention !== "none")
        checkPrinters();
    }
    if (m.type === "outbox")
      showOutbox(m.waiting);
    if (m.type === "weight") {
      $("weight").hidden = false;
      $("grams").textContent = m.grams === null ? "—"
        : m.grams.toLocaleString(lang, {maximumFractionDigits: 1}) + " g";
      const st = $("weight-status");
      const stable = m.status === "stable" || m.status === "stable-zero";
      st.className = stable ? "stable" : "motion";
      st.textContent = stable ? t("stable") : m.status === "in-motion" ? t("in motion") : m.status;
    }
    if (m.type === "verdict") {
      showVerdict(m.verdict);
      refresh();
    }
  };
  socket.onclose = () => {
    $("status").textContent = t("Connection lost: reconnecting");
    $("status").className = "status lost";
    if (token)
      setTimeout(connect, 2000);
  };
}

async function submit(text) {
  if (!text)
    return;
  try {
    const r = await api("POST", "/api/v1/seats/" + encodeURIComponent(seat) + "/scans",
                        {text});
    if (r.status === 200) {
      showVerdict(r.data);
      refresh();
    } else {
      showVerdict({ok: false, input: text, message: r.data.detail || t("Not recorded: scan again")});
    }
  } catch (e) { /* logged out */ }
}

function loggedIn(data) {
  token = data.token;
  if (!deviceToken)
    sessionStorage.setItem("station-token-" + seat, token);
  $("login-view").hidden = true;
  $("work-view").hidden = false;
  // at a bench followed with a device token, the operator logs out with the bench's scanner
  $("logout").hidden = !!deviceToken;
  if (data.language && data.language !== lang)
    loadLanguage(data.language);
  connect();
  refresh();
  checkPrinters();
  $("scan").focus();
}

// the badge field takes the focus only here, once start() has put its handlers on it: a
// scanner (or a test) typing as soon as the page shows is not typing into a field that
// nothing listens to yet
function loggedOut(message) {
  token = null;
  sessionStorage.removeItem("station-token-" + seat);
  clearTimeout(printersTimer);
  if (socket)
    socket.close();
  $("work-view").hidden = true;
  $("login-view").hidden = false;
  $("logout").hidden = true;
  $("login-error").textContent = message || "";
  $("badge").value = "";
  $("badge").focus();
}

// the camera: the browser's BarcodeDetector where it has one, else each frame (in grey, at
// most 640 x 480) is read by the station (POST /api/v1/decode, zbar); a code seen is
// submitted once, until another is seen
async function cameraScan() {
  const video = $("video");
  if (!video.hidden) {
    video.srcObject.getTracks().forEach((tr) => tr.stop());
    video.hidden = true;
    $("camera").textContent = t("Camera");
    return;
  }
  const detector = "BarcodeDetector" in window ? new BarcodeDetector() : null;
  const canvas = document.createElement("canvas");
  video.srcObject = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}});
  video.hidden = false;
  $("camera").textContent = t("Stop camera");
  await video.play();
  let last = "";
  const readFrame = async () => {
    if (detector)
      return (await detector.detect(video)).map((c) => c.rawValue);
    const scale = Math.min(1, 640 / video.videoWidth, 480 / video.videoHeight);
    const w = Math.round(video.videoWidth * scale), h = Math.round(video.videoHeight * scale);
    if (w < 16 || h < 16)
      return [];
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext("2d", {willReadFrequently: true});
    ctx.drawImage(video, 0, 0, w, h);
    const rgba = ctx.getImageData(0, 0, w, h).data;
    const grey = new Uint8Array(w * h);
    for (let i = 0; i < grey.length; i++)
      grey[i] = (rgba[4 * i] * 77 + rgba[4 * i + 1] * 150 + rgba[4 * i + 2] * 29) >> 8;
    const r = await fetch("/api/v1/decode?width=" + w + "&height=" + h, {
      method: "POST",
      headers: {"Content-Type": "application/octet-stream", "Authorization": "Bearer " + token},
      body: grey,
    });
    return r.status === 200 ? (await r.json()).codes.map((c) => c.text) : [];
  };
  const look = async () => {
    if (video.hidden)
      return;
    const found = await readFrame().catch(() => []);
    if (found.length > 0 && found[0] !== last) {
      last = found[0];
      submit(last);
    }
    // the station's decoder: 3 frames a second, well within a token's 20 requests
    setTimeout(look, detector ? 250 : 330);
  };
  look();
}

async function start() {
  $("seat").textContent = seat;
  await loadLanguage(lang);
  // the page's sentences, and the operator's answers at this seat, in the other language
  $("lang").onclick = async () => {
    await loadLanguage(nextLanguage(lang).code);
    if (token)
      await api("POST", "/api/v1/seats/" + encodeURIComponent(seat) + "/language",
                {language: lang}).catch(() => {});
    refresh();
  };
  $("logout").onclick = async () => {
    await api("DELETE", "/api/v1/sessions/current").catch(() => {});
    loggedOut("");
  };
  $("badge").addEventListener("keydown", async (e) => {
    if (e.key !== "Enter")
      return;
    const badge = $("badge").value.trim();
    if (deviceToken && token) {
      // the badge typed at a followed bench: a scan of the seat, as its scanner's would be
      $("badge").value = "";
      await submit(badge);
      if ($("login-view").hidden === false)
        $("login-error").textContent = $("verdict").textContent;
      return;
    }
    const r = await api("POST", "/api/v1/sessions", {seat, badge});
    if (r.status === 201)
      loggedIn(r.data);
    else
      $("login-error").textContent = t("This badge is not an operator of this station: ask the shift lead");
  });
  $("scan-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("scan").value;
    $("scan").value = "";
    submit(text);
  });
  // a scanner types wherever the focus is: it stays in the field
  document.addEventListener("click", () => {
    if (!$("work-view").hidden)
      $("scan").focus();
  });
  // a camera needs a secure page (HTTPS, or this machine's own address)
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    $("camera").hidden = false;
    $("camera").onclick = cameraScan;
  }
  $("reprint").onclick = async () => {
    if (!lastOrder)
      return;
    const r = await api("POST", "/api/v1/orders/" + encodeURIComponent(lastOrder) + "/reprint",
                        {parcel: 1}).catch(() => null);
    if (!r)
      return;
    const box = $("verdict");
    box.className = "verdict " + (r.status === 202 ? "ok" : "bad");
    box.textContent = r.status === 202 ? t("Printing the label again")
      : r.status === 403 ? t("Only a shift lead prints another bench's label again")
      : t("No label to print again");
    flash(r.status === 202);
    showLabels();
  };
  if (deviceToken) {
    const r = await fetch("/api/v1/seats/" + encodeURIComponent(seat),
                          {headers: {"Authorization": "Bearer " + deviceToken}});
    if (r.status === 200) {
      loggedIn({token: deviceToken});
      return;
    }
    localStorage.removeItem("station-device-token-" + seat);
    loggedOut(t("This screen's token is no longer valid: ask the shift lead"));
    return;
  }
  if (token) {
    const r = await fetch("/api/v1/seats/" + encodeURIComponent(seat),
                          {headers: {"Authorization": "Bearer " + token}});
    if (r.status === 200) {
      loggedIn({token});
      return;
    }
  }
  loggedOut("");
}

start();
