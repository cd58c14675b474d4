/* Uploads show a progress bar (issue 15). Any form that sends a file shows a <progress> while the file travels:
   a plain form is sent with XMLHttpRequest and the answer replaces the page (as the browser would have done);
   an htmx form already uses XHR, so only its progress events are drawn. No inline script: CSP stays strict. */
(function () {
  "use strict";

  function progressOf(form) {
    var bar = form.querySelector("progress.upload-progress");
    if (!bar) {
      bar = document.createElement("progress");
      bar.className = "upload-progress";
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", "Dosya yükleniyor");
      form.appendChild(bar);
    }
    return bar;
  }

  function show(form, loaded, total) {
    var bar = progressOf(form);
    if (total) { bar.value = Math.round((loaded / total) * 100); bar.textContent = bar.value + "%"; }
  }

  function replacePage(xhr) {
    var url = xhr.responseURL || window.location.href;
    document.open();
    document.write(xhr.responseText);
    document.close();
    if (url !== window.location.href) { window.history.pushState({}, "", url); }
  }

  function sendWithProgress(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.enctype !== "multipart/form-data") { return; }
    if (form.hasAttribute("hx-post") || !window.FormData || !form.querySelector("input[type=file]")) { return; }
    event.preventDefault();
    var data = event.submitter ? new FormData(form, event.submitter) : new FormData(form);
    var xhr = new XMLHttpRequest();
    xhr.open((form.getAttribute("method") || "post").toUpperCase(), form.action);
    xhr.upload.addEventListener("progress", function (e) { show(form, e.loaded, e.total); });
    xhr.addEventListener("load", function () { replacePage(xhr); });
    xhr.addEventListener("error", function () {
      progressOf(form).insertAdjacentText("afterend", " Dosya gönderilemedi; bağlantınızı kontrol edip tekrar deneyiniz.");
    });
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) { b.disabled = true; });
    show(form, 0, 1);
    xhr.send(data);
  }

  document.addEventListener("submit", sendWithProgress);
  document.addEventListener("htmx:xhr:progress", function (e) {
    var form = e.target && e.target.closest ? e.target.closest("form") : null;
    if (form && form.querySelector("input[type=file]")) { show(form, e.detail.loaded, e.detail.total); }
  });
})();
