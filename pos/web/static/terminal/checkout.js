// The till's checkout: cart and keypad, charge with a live QR, follow the request to paid.
import { countdown, fill, moneyFormatter, postJSON, text } from "./till.js";
import { follow as followStream } from "../common/live.js";

const root = document.getElementById("checkout");
const T = text("till-text");
const money = moneyFormatter(root.dataset.lang, root.dataset.currency);
const $ = (id) => document.getElementById(id);
const cart = new Map();          // item id -> {name, price, quantity}
let keyed = "";                  // digits typed on the keypad (minor units)
let current = null;              // {sale, request, events, timer, offset}

// ---- cart -------------------------------------------------------------------------------------
function total() { let t = 0; for (const l of cart.values()) t += l.price * l.quantity; return t; }

function renderCart() {
  const list = $("cart-lines");
  list.replaceChildren();
  for (const [id, line] of cart) {
    const li = document.createElement("li");
    li.dataset.item = id;
    const name = document.createElement("span"); name.className = "name"; name.textContent = line.name;
    const minus = button("−", () => change(id, -1), "qty"); const plus = button("+", () => change(id, 1), "qty");
    const qty = document.createElement("output"); qty.textContent = line.quantity;
    const amount = document.createElement("span"); amount.className = "amount"; amount.textContent = money(line.price * line.quantity);
    li.append(name, minus, qty, plus, amount);
    list.append(li);
  }
  $("cart-empty").hidden = cart.size > 0;
  $("cart-total").textContent = money(total());
  $("charge").disabled = $("scan-code").disabled = cart.size === 0;
}

function button(label, onClick, cls) {
  const b = document.createElement("button"); b.type = "button"; b.textContent = label; b.className = cls;
  b.addEventListener("click", onClick); return b;
}

function change(id, delta) {
  const line = cart.get(id); if (!line) return;
  line.quantity += delta;
  if (line.quantity <= 0) cart.delete(id);
  renderCart();
}

for (const item of root.querySelectorAll(".item")) {
  item.addEventListener("click", () => {
    const id = item.dataset.item;
    const line = cart.get(id) ?? { name: item.dataset.name, price: Number(item.dataset.price), quantity: 0 };
    line.quantity += 1; cart.set(id, line); renderCart();
  });
}

for (const tab of root.querySelectorAll(".tab")) {
  tab.addEventListener("click", () => {
    for (const t of root.querySelectorAll(".tab")) t.setAttribute("aria-selected", String(t === tab));
    for (const p of root.querySelectorAll("[data-panel]")) p.hidden = p.dataset.panel !== tab.dataset.tab;
  });
}

for (const key of root.querySelectorAll(".key")) {
  key.addEventListener("click", () => {
    const k = key.dataset.key;
    keyed = k === "⌫" ? keyed.slice(0, -1) : (keyed + k).replace(/^0+/, "").slice(0, 12);
    $("keyed").textContent = money(Number(keyed || 0));
  });
}
$("add-amount").addEventListener("click", () => {
  const amount = Number(keyed || 0); if (!amount) return;
  const id = `amount:${amount}:${Date.now()}`;
  cart.set(id, { name: $("keyed").textContent, price: amount, quantity: 1, amount: true });
  keyed = ""; $("keyed").textContent = money(0); renderCart();
});
$("clear-cart").addEventListener("click", () => { cart.clear(); renderCart(); });

function cartBody() {
  const lines = [], amounts = [];
  for (const [id, line] of cart) (line.amount ? amounts : lines).push(line.amount ? line.price : { item_id: id, quantity: line.quantity });
  if (amounts.length && !lines.length && amounts.length === 1) return { amount: amounts[0] };
  if (amounts.length) return { amount: total() };  // a mixed cart is charged as one keyed-in amount
  return { lines };
}

function showError(node, error) {
  node.textContent = error.status ? error.message : T.network; node.hidden = false;
}

// ---- charging ---------------------------------------------------------------------------------
$("charge").addEventListener("click", async () => {
  $("cart-error").hidden = true;
  try { show(await postJSON("/terminal/sales", cartBody())); }
  catch (error) { showError($("cart-error"), error); }
});

function show(data) {
  stop();
  const req = data.request;
  current = { sale: data.sale, request: req, offset: 0 };
  $("charge-panel").hidden = false; root.classList.add("charging");
  $("qr").innerHTML = data.qr_svg;  // our own server-rendered SVG (a path, no script)
  $("charge-amount").textContent = money(req.amount);
  setStatus("awaiting_payment", T.waiting);
  for (const id of ["new-code", "receipt", "next-sale"]) $(id).hidden = true;
  $("stop").hidden = false;
  // the code's lifetime counted from when the server answered: right even if this device's clock is off
  const lifetime = Date.parse(req.expires_at) - Date.parse(req.created_at);
  const expires = performance.now() + lifetime;
  $("charge-panel").scrollIntoView({ block: "start" });
  const tick = () => {
    const left = (expires - performance.now()) / 1000;
    const node = $("countdown");
    node.textContent = left > 0 ? fill(T.expires_in, { time: countdown(left) }) : T.expiring;
    node.classList.toggle("soon", left <= 30);
  };
  tick(); current.timer = setInterval(tick, 250);
  follow(req.id);
}

function follow(requestId) {
  // from the first event: a stream opened again after a refusal replays what the page missed
  current.events = followStream(`/terminal/requests/${requestId}/events`, {
    "payment_request.customer_confirming": (e) => {
      const d = JSON.parse(e.data).data;
      const quoted = d.quoted ? moneyFormatter(root.dataset.lang, d.quoted.currency)(d.quoted.amount) : "";
      setStatus("customer_confirming", fill(T.confirming, { amount: quoted, currency: d.wallet_currency || "" }));
    },
    "payment.succeeded": (e) => paid(JSON.parse(e.data).data),
    "payment_request.expired": () => closed("expired", T.expired),
    "payment_request.cancelled": () => closed("cancelled", T.cancelled),
  }, { reconnecting: T.reconnecting });
}

function paid(payment) {
  finish();
  setStatus("paid", T.paid);
  $("qr").classList.add("done");
  $("receipt").href = `/terminal/payments/${payment.id}`; $("receipt").hidden = false;
  $("next-sale").hidden = false; $("stop").hidden = true;
}

function closed(state, message) {
  finish();
  setStatus(state, message);
  $("qr").classList.add("done");
  $("new-code").hidden = false; $("next-sale").hidden = false; $("stop").hidden = true;
}

function setStatus(state, message) { const s = $("status"); s.dataset.state = state; s.textContent = message; }
function finish() { if (!current) return; clearInterval(current.timer); current.events?.close(); $("countdown").textContent = ""; }
function stop() { finish(); $("qr").classList.remove("done"); }

$("stop").addEventListener("click", async () => {
  if (!current) return;
  try { await postJSON(`/terminal/requests/${current.request.id}/cancel`); }
  catch (error) { if (error.code !== "REQUEST_ALREADY_PAID") setStatus("error", error.message); }
});
$("new-code").addEventListener("click", async () => {
  try { show(await postJSON(`/terminal/sales/${current.sale.id}/charge`)); }
  catch (error) { setStatus("error", error.message || T.network); }
});
$("next-sale").addEventListener("click", () => {
  stop(); current = null; cart.clear(); renderCart();
  $("charge-panel").hidden = true; root.classList.remove("charging");
});

// ---- consumer-presented codes -----------------------------------------------------------------
let stopCamera = null;
$("scan-code").addEventListener("click", async () => {
  $("code-error").hidden = true; $("code-digits").value = "";
  $("code-dialog").showModal();
  try {
    const { startCameraScan } = await import("/static/common/qrscan.js");
    stopCamera = await startCameraScan($("code-video"), (value) => {
      $("code-digits").value = value; chargeCode();
    }, { onError: () => { $("code-camera-note").textContent = T.camera_unavailable; } });
  } catch { $("code-camera-note").textContent = T.camera_unavailable; }
});
$("code-dialog").addEventListener("close", () => { stopCamera?.(); stopCamera = null; });
$("code-charge").addEventListener("click", chargeCode);

async function chargeCode() {
  const code = $("code-digits").value.replace(/\s+/g, "");
  if (!/^\d{20}$/.test(code)) { $("code-error").textContent = T.code_invalid; $("code-error").hidden = false; return; }
  try {
    const data = await postJSON("/terminal/customer-code", { ...cartBody(), code, idempotency_key: `till-${code}` });
    $("code-dialog").close();
    $("charge-panel").hidden = false; root.classList.add("charging");
    $("qr").innerHTML = ""; $("charge-amount").textContent = money(data.sale.total);
    current = { sale: data.sale, request: { id: data.payment.request_id } };
    paid(data.payment); setStatus("paid", T.paid_code);
  } catch (error) { showError($("code-error"), error); }
}

renderCart();
root.dataset.ready = "1";  // handlers attached: the till can be used (tests wait for this)
