// Event streams that come back by themselves. A browser's EventSource reconnects on its own after a
// network error or a stream that ended (waiting the server's `retry:`), but not after a refusal: a 429
// (this till's or wallet's share of streams is taken), a 503 (the server's stream slots are full, the
// database is out) or any other answer that is not a stream closes it for good. Then this module waits,
// with a bounded exponential backoff and jitter (1 s to 30 s: the page cannot read the refusal's
// Retry-After), and opens the stream again from the last event it saw (`?after=`), so the events missed
// meanwhile come first and the page catches up. While a stream is down, a small "reconnecting" line shows.

const FIRST_MS = 1000;
const MOST_MS = 30000;
const SHOW_AFTER_MS = 3000;  // the browser's own reconnect (the server's retry: is 2 s) shows nothing

const down = new Set();      // the followers whose stream is down now
let notice = null;

// the delay before the (failures + 1)th reopening: 1 s, 2 s, 4 s... at most 30 s, each cut by up to half
export function backoff(failures, random = Math.random) {
  const ceiling = Math.min(MOST_MS, FIRST_MS * 2 ** Math.min(failures, 15));
  return Math.max(FIRST_MS, Math.round(ceiling * (1 - random() / 2)));
}

function showNotice(message) {
  if (!notice) {
    notice = document.createElement("p");
    notice.id = "live-status"; notice.className = "live-status"; notice.setAttribute("role", "status");
    notice.hidden = true;
    document.body.append(notice);
  }
  if (message) notice.textContent = message;
  notice.hidden = down.size === 0;
  document.documentElement.dataset.live = down.size ? "reconnecting" : "live";
}

function withAfter(url, after) {
  const u = new URL(url, location.href);
  if (after) u.searchParams.set("after", after);
  return u.pathname + u.search;
}

/**
 * Follow the event stream at `url`: `handlers` maps event types to functions of the MessageEvent.
 * `after` is the event id to start after; `reconnecting` the text shown while the stream is down.
 * Returns `{close()}`; a closed follower never reopens.
 */
export function follow(url, handlers, { after = "", reconnecting = "" } = {}) {
  const self = {};
  let source = null, retry = null, showing = null, failures = 0, last = String(after || ""), closed = false;

  function isDown(yes) {
    clearTimeout(showing); showing = null;
    if (!yes) { down.delete(self); showNotice(reconnecting); return; }
    showing = setTimeout(() => { down.add(self); showNotice(reconnecting); }, SHOW_AFTER_MS);
  }

  function open() {
    retry = null;
    const events = new EventSource(withAfter(url, last));
    source = events;
    events.addEventListener("open", () => { failures = 0; isDown(false); });
    for (const [type, handle] of Object.entries(handlers)) {
      events.addEventListener(type, (event) => {
        if (event.lastEventId) last = event.lastEventId;
        if (!closed) handle(event);
      });
    }
    events.addEventListener("error", () => {
      if (closed || events !== source) return;
      if (!showing && !down.has(self)) isDown(true);
      if (events.readyState !== EventSource.CLOSED) return;  // the browser is reconnecting by itself
      events.close();
      retry = setTimeout(open, backoff(failures++));
    });
  }

  self.close = () => {
    closed = true;
    clearTimeout(retry); clearTimeout(showing);
    source?.close();
    if (down.delete(self)) showNotice();
  };
  open();
  return self;
}
