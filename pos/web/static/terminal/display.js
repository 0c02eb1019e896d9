// The customer-facing display: mirrors its till from the till's event feed (idle → QR → paid).
import { fill, moneyFormatter, text } from "./till.js";
import { follow } from "../common/live.js";

const root = document.getElementById("display");
const T = text("display-text");
const money = moneyFormatter(root.dataset.lang, root.dataset.currency);
const $ = (id) => document.getElementById(id);
let idleTimer = null;

function state(name) { root.dataset.state = name; clearTimeout(idleTimer); }

async function showRequest(id) {
  const response = await fetch(`/terminal/requests/${id}`, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const req = await response.json();
  const svg = await fetch(`/terminal/requests/${id}/qr.svg`).then((r) => (r.ok ? r.text() : ""));
  $("d-amount").textContent = money(req.amount);
  $("d-qr").innerHTML = svg;
  $("d-status").textContent = "";
  state("pay");
}

// One event at a time, in order: a stream reopened after a refusal sends "created" and "succeeded" back to
// back, and the request's slower fetches must not bring back its QR after the "paid" screen.
let queue = Promise.resolve();
const inOrder = (handle) => (e) => { queue = queue.then(() => handle(e)).catch(() => {}); };

function paid(e) {
  const p = JSON.parse(e.data).data;
  $("d-miles").textContent = p.miles_earned ? fill(T.miles, { miles: p.miles_earned }) : "";
  state("paid");
  idleTimer = setTimeout(() => state("idle"), 8000);
}

async function start() {
  const s = await fetch("/terminal/display/state", { headers: { Accept: "application/json" } }).then((r) => r.json());
  if (s.request) await showRequest(s.request.id);
  const idle = inOrder(() => state("idle"));
  follow("/terminal/display/events", {
    "payment_request.created": inOrder((e) => showRequest(JSON.parse(e.data).data.id)),
    "payment_request.customer_confirming": inOrder(() => { $("d-status").textContent = T.confirming; }),
    "payment.succeeded": inOrder(paid),
    "payment_request.expired": idle,
    "payment_request.cancelled": idle,
  }, { after: s.cursor, reconnecting: T.reconnecting });
}
start().then(() => { root.dataset.ready = "1"; });
