// The wallet's scan page: camera (or a photo) -> what the code is -> confirm with a live quote -> pay.
// One page, never reloaded: iOS asks for the camera again after every reload.
import { csrf, fill, countdown, text } from "../terminal/till.js";
import { scanProblem, startCameraScan } from "../common/qrscan.js";

const T = text("wallet-text");
const $ = (id) => document.getElementById(id);
let stopCamera = null;
let scanned = null;   // the server's answer for the payment request being confirmed
let attempt = null;   // {key, body}: one Idempotency-Key per payment attempt, reused on retry
let quoteTimer = null;
let busy = false;

// A fresh key for each new attempt. crypto.randomUUID exists only in secure contexts; the photo
// fallback runs on plain http too, where getRandomValues still does.
function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function call(url, { json, form, key } = {}) {
  const headers = { "Accept": "application/json", "X-CSRFToken": csrf() };
  if (json) headers["Content-Type"] = "application/json";
  if (key) headers["Idempotency-Key"] = key;
  let response;
  try {
    response = await fetch(url, { method: "POST", credentials: "same-origin", headers,
                                  body: form ?? JSON.stringify(json ?? {}) });
  } catch {
    const error = new Error(T.network); error.network = true; throw error;
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = response.status === 401 && !data?.error?.code?.startsWith("WALLET") ? T.session
      : (data?.error?.message || T.network);
    const error = new Error(message);
    error.code = data?.error?.code; error.status = response.status;
    throw error;
  }
  return data;
}

function say(message, kind = "") { const s = $("scan-status"); s.textContent = message; s.dataset.kind = kind; }

// ---- scanning ---------------------------------------------------------------------------------
function startScanning() {
  show("scan-step");
  const problem = scanProblem();
  if (problem) { cameraUnavailable(problem); return; }
  say(T.looking);
  stopCamera = startCameraScan($("camera"), onCode, {
    once: false, onError: (error) => cameraUnavailable(error.reason),
  });
}

function cameraUnavailable(reason) {
  $("viewfinder").hidden = true; $("photo-label").classList.add("primary");
  say(T[reason] || T.unavailable, "warn");
}

async function onCode(value) {
  if (busy) return;
  busy = true; say(T.reading);
  try { handle(await call("/wallet/scan", { json: { text: value } })); }
  catch (error) { say(error.message, "bad"); }
  finally { busy = false; }
}

$("photo").addEventListener("change", async () => {
  const file = $("photo").files[0];
  if (!file || busy) return;
  busy = true; say(T.photo_reading);
  const form = new FormData(); form.append("photo", file);
  try { handle(await call("/wallet/photo", { form })); }
  catch (error) { say(error.message, "bad"); }
  finally { busy = false; $("photo").value = ""; }
});

function handle(answer) {
  if (answer.kind !== "payment") { say(answer.message, "warn"); return; }  // not ours: keep looking
  stopCamera?.(); stopCamera = null;
  confirmPayment(answer);
}

// ---- confirming -------------------------------------------------------------------------------
function confirmPayment(answer) {
  scanned = answer; attempt = null;
  $("confirm").innerHTML = answer.html;  // our own server-rendered fragment (no script)
  $("pay-error").hidden = true; $("pay").disabled = false; $("pay").hidden = false; $("requote").hidden = true;
  show("confirm-step");
  clearInterval(quoteTimer);
  $("quote-countdown").textContent = "";
  if (answer.quote_seconds) {
    // counted from when the answer arrived: right even when the phone's clock is off
    const ends = performance.now() + answer.quote_seconds * 1000;
    const tick = () => {
      const left = (ends - performance.now()) / 1000;
      if (left > 0) { $("quote-countdown").textContent = fill(T.quote_valid, { time: countdown(left) }); return; }
      clearInterval(quoteTimer); quoteExpired();
    };
    tick(); quoteTimer = setInterval(tick, 250);
  }
}

function quoteExpired() {
  $("quote-countdown").textContent = T.quote_expired;
  $("pay").hidden = true; $("requote").hidden = false;
}

function chosenMiles() {
  const picked = document.querySelector('input[name="funding"]:checked');
  return picked ? Number(picked.dataset.miles) : 0;
}

$("requote").addEventListener("click", async () => {
  try { handle(await call("/wallet/scan", { json: { text: scanned.payload } })); }
  catch (error) { showPayError(error); }
});

$("pay").addEventListener("click", async () => {
  const body = { payload: scanned.payload, quote_id: scanned.quote_id, miles: chosenMiles() };
  const same = attempt && JSON.stringify(attempt.body) === JSON.stringify(body);
  if (!same) attempt = { key: newKey(), body };  // a retry of the same attempt keeps its key
  $("pay").disabled = true; $("pay-error").hidden = true; $("quote-countdown").textContent = T.paying;
  try {
    const done = await call("/wallet/pay", { json: body, key: attempt.key });
    attempt = null; clearInterval(quoteTimer);
    $("paid").innerHTML = done.html; $("receipt-link").href = done.receipt_url;
    show("done-step");
  } catch (error) {
    if (!error.network && error.status < 500) attempt = null;  // a definitive refusal: the next try is new
    showPayError(error);
    $("pay").disabled = false;
    if (error.code === "QUOTE_EXPIRED" || error.code === "QUOTE_NOT_FOUND") quoteExpired();
    if (["REQUEST_ALREADY_PAID", "REQUEST_EXPIRED", "REQUEST_CANCELLED"].includes(error.code)
        || error.code?.startsWith("PAYLOAD_")) { $("pay").hidden = true; clearInterval(quoteTimer); }
  }
});

function showPayError(error) { $("pay-error").textContent = error.message; $("pay-error").hidden = false; }

$("cancel").addEventListener("click", () => { clearInterval(quoteTimer); scanned = null; startScanning(); });

function show(step) {
  for (const id of ["scan-step", "confirm-step", "done-step"]) $(id).hidden = id !== step;
}

startScanning();
