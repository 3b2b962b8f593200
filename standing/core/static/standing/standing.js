// Dialogs: an HTMX response swapped into #dialog-content opens the modal; a 2xx response
// with HX-Trigger "closeDialog" (or a page redirect) closes it.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target.id === "dialog-content") {
    bootstrap.Modal.getOrCreateInstance(document.getElementById("dialog")).show();
  }
});
document.addEventListener("closeDialog", () => {
  const el = document.getElementById("dialog");
  if (el) bootstrap.Modal.getOrCreateInstance(el).hide();
});

// Forms with data-confirm ask first (instead of inline onsubmit handlers, which the
// Content-Security-Policy refuses).
document.addEventListener(
  "submit",
  (event) => {
    const message = event.target.dataset ? event.target.dataset.confirm : null;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);

// A select with data-submit-on-change submits its form when changed (the language switch).
document.addEventListener("change", (event) => {
  if (event.target.matches && event.target.matches("select[data-submit-on-change]")) {
    event.target.form.requestSubmit();
  }
});
