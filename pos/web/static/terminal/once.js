// Forms that change money (refunds, Z reports) are sent once: the button is disabled on the first
// submit, so a double tap does not even reach the server (which would answer it idempotently anyway).
document.querySelectorAll("form").forEach((form) => {
  form.addEventListener("submit", () => {
    form.querySelectorAll("button[type=submit]").forEach((button) => { button.disabled = true; });
  });
});
