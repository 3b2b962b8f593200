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

// Errors of HTMX requests, for every form and button at once, so none fails silently:
// - 400 and 422 carrying a form (the view rendered it with its errors): swap it in place, so
//   the errors appear under their fields;
// - any other error (403, 404, 409, 500, an error page, plain text, no connection): show the
//   message above the content and leave the form as it was.
function showError(text) {
  const box = document.getElementById("messages");
  if (!box) return;
  const alert = document.createElement("div");
  alert.className = "alert alert-danger alert-dismissible fade show";
  alert.setAttribute("role", "alert");
  alert.dataset.htmxError = "";
  alert.textContent = text;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "btn-close";
  close.dataset.bsDismiss = "alert";
  close.setAttribute("aria-label", document.body.dataset.closeLabel || "Close");
  alert.appendChild(close);
  box.querySelectorAll("[data-htmx-error]").forEach((old) => old.remove());
  box.appendChild(alert);
  alert.scrollIntoView({ block: "nearest" });
}

function errorText(xhr) {
  const generic = document.body.dataset.errorGeneric || "The request failed.";
  const type = xhr.getResponseHeader("Content-Type") || "";
  const body = xhr.responseText || "";
  if (type.startsWith("application/json")) {
    try {
      const detail = JSON.parse(body).detail;
      if (typeof detail === "string") return detail;
    } catch (e) { /* not JSON after all */ }
    return generic;
  }
  if (type.startsWith("text/html")) {
    const doc = new DOMParser().parseFromString(body, "text/html");
    const marked = doc.querySelector("[data-error-message]");
    if (marked) return marked.dataset.errorMessage;
    const text = (doc.body && doc.body.textContent || "").trim();
    return text && text.length <= 300 ? text : generic;
  }
  const text = body.trim();
  return text && text.length <= 300 ? text : generic;
}

document.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.status < 400) return;
  const type = xhr.getResponseHeader("Content-Type") || "";
  const isForm = /<form[\s>]/i.test(xhr.responseText || "");
  const isErrorPage = /data-error-message=/.test(xhr.responseText || "");
  if ((xhr.status === 400 || xhr.status === 422) && type.startsWith("text/html") && isForm && !isErrorPage) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    return;
  }
  event.detail.shouldSwap = false;
  showError(errorText(xhr));
});

document.addEventListener("htmx:sendError", () => {
  showError(document.body.dataset.errorOffline || "The server cannot be reached.");
});

// Fields shown only for one choice of another field: data-show-when="duration:until" on the
// field's wrapper shows it while the form's "duration" is "until" (the block dialog's end).
function applyShowWhen(root) {
  root.querySelectorAll("[data-show-when]").forEach((el) => {
    const [name, value] = el.dataset.showWhen.split(":");
    const form = el.closest("form");
    const input = form && form.elements[name];
    if (!input || el.dataset.showWhenBound) return;
    el.dataset.showWhenBound = "1";
    const update = () => { el.hidden = input.value !== value; };
    input.addEventListener("change", update);
    update();
  });
}
document.addEventListener("DOMContentLoaded", () => applyShowWhen(document));
document.addEventListener("htmx:load", (event) => applyShowWhen(event.detail.elt));
