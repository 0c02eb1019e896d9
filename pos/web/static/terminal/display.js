// The customer-facing display: mirrors its till from the till's event feed (idle → QR → paid).
import { fill, moneyFormatter, text } from "./till.js";

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

async function start() {
  const s = await fetch("/terminal/display/state", { headers: { Accept: "application/json" } }).then((r) => r.json());
  if (s.request) await showRequest(s.request.id);
  const events = new EventSource(`/terminal/display/events?after=${s.cursor}`);
  events.addEventListener("payment_request.created", (e) => showRequest(JSON.parse(e.data).data.id));
  events.addEventListener("payment_request.customer_confirming", () => { $("d-status").textContent = T.confirming; });
  events.addEventListener("payment.succeeded", (e) => {
    const p = JSON.parse(e.data).data;
    $("d-miles").textContent = p.miles_earned ? fill(T.miles, { miles: p.miles_earned }) : "";
    state("paid");
    idleTimer = setTimeout(() => state("idle"), 8000);
  });
  for (const type of ["payment_request.expired", "payment_request.cancelled"]) {
    events.addEventListener(type, () => state("idle"));
  }
}
start().then(() => { root.dataset.ready = "1"; });
