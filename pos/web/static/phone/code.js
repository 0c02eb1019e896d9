// "Show code": a one-time code as a QR and 20 digits, renewed before it lapses, turning to paid live.
import { csrf, fill, countdown, text } from "../terminal/till.js";
import { follow as followStream } from "../common/live.js";

const T = text("code-text");
const $ = (id) => document.getElementById(id);
// the codes shown and not yet lapsed, each followed by its own stream: a till may still charge the
// previous code in the seconds after a new one appeared
const streams = new Map();  // ref -> its stream's follower (common/live.js)
let current = null, renew = null, ticker = null;

async function issue() {
  clearTimeout(renew); clearInterval(ticker);
  $("code-status").textContent = T.refreshing; $("code-new").hidden = true;
  let code;
  try {
    const response = await fetch("/wallet/code", { method: "POST", credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() } });
    if (!response.ok) throw Object.assign(new Error(), { status: response.status });
    code = await response.json();
  } catch (error) {
    $("code-status").textContent = error.status === 401 ? T.session : T.network; $("code-new").hidden = false;
    return;
  }
  $("code-qr").innerHTML = code.qr_svg;  // our own server-rendered SVG (a path, no script)
  $("code-qr").classList.remove("done");
  $("code-digits").textContent = code.digits;
  $("code-status").textContent = "";
  const renewAt = performance.now() + code.refresh_in * 1000;
  const tick = () => { $("code-countdown").textContent = fill(T.valid, { time: countdown((renewAt - performance.now()) / 1000) }); };
  tick(); ticker = setInterval(tick, 250);
  renew = setTimeout(() => { if (!document.hidden) issue(); else stopAll(); }, code.refresh_in * 1000);
  follow(code.ref);
}

function follow(ref) {
  current = ref;
  const events = followStream(`/wallet/code/${ref}/events`, {
    "payment_code.paid": (e) => paid(JSON.parse(e.data).data),
    "payment_code.expired": () => {
      events.close(); streams.delete(ref);  // the stream has ended: do not reopen it
      if (ref === current && !document.hidden) issue();
    },
  }, { reconnecting: T.reconnecting });
  streams.set(ref, events);
}

function paid(payment) {
  stopAll();
  $("code-qr").classList.add("done"); $("code-digits").textContent = "";
  $("code-status").textContent = T.paid; $("code-status").dataset.state = "paid";
  $("code-paid-amount").textContent = fill(T.paid_to, { amount: payment.charged_text || payment.amount_text });
  $("code-receipt").href = payment.receipt_url; $("code-paid").hidden = false; $("code-new").hidden = false;
}

function stopAll() {
  clearTimeout(renew); clearInterval(ticker);
  for (const events of streams.values()) events.close();
  streams.clear(); current = null;
  $("code-countdown").textContent = "";
}

// a code hidden in a pocket is not renewed: show a button instead, and a fresh code on return
function stopWhileHidden() {
  if (document.hidden && $("code-paid").hidden) { stopAll(); $("code-new").hidden = false; }
}
document.addEventListener("visibilitychange", () => {
  if (document.hidden) stopWhileHidden();
  else if ($("code-paid").hidden && !current) issue();
});
$("code-new").addEventListener("click", () => { $("code-paid").hidden = true; $("code-status").dataset.state = ""; issue(); });

issue();
