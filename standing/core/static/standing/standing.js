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
