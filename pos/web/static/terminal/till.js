// Shared by the till's pages: CSRF-protected JSON calls, money in minor units, translated text.
export const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

export async function postJSON(url, body) {
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf() },
    body: JSON.stringify(body ?? {}),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data?.error?.message || response.statusText);
    error.code = data?.error?.code; error.status = response.status;
    throw error;
  }
  return data;
}

export function moneyFormatter(lang, currency) {
  const format = new Intl.NumberFormat(lang, { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits;
  return (minor) => format.format(minor / 10 ** digits);
}

export function text(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : {};
}

export const fill = (template, values) =>
  template.replace(/\{(\w+)\}/g, (_, key) => (values[key] ?? ""));

export function countdown(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
