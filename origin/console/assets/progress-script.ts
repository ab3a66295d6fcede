// The batch progress page's one script, served at /console/assets/progress.js: polls the batch's
// JSON every 1.5 s and updates the <progress> and counts in place, then reloads once at the end so
// the failed-rows link appears. Without JavaScript the page refreshes itself (a <noscript> meta).
export const PROGRESS_JS = `
(function () {
  var root = document.querySelector("[data-batch-progress]");
  if (!root) return;
  var url = root.getAttribute("data-batch-progress");
  var bar = root.querySelector("progress");
  function text(name, value) { var el = root.querySelector("[data-" + name + "]"); if (el) el.textContent = String(value); }
  function poll() {
    fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (b) {
        if (!b) return setTimeout(poll, 3000);
        bar.max = b.total; bar.value = b.issued + b.failed;
        text("issued", b.issued); text("failed", b.failed); text("status", b.status);
        if (b.status === "queued" || b.status === "running") setTimeout(poll, 1500);
        else location.reload();
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1500);
})();
`;
