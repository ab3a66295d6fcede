// The achievement form's one script, served at /console/assets/achievement-preview.js: redraws the
// badge preview as the name is typed (debounced, so a burst of keystrokes asks for one image).
// Without JavaScript the form's "Preview" button does the same with a round trip.
export const ACHIEVEMENT_PREVIEW_JS = `
(function () {
  var form = document.querySelector("form[data-badge-preview]");
  var img = document.querySelector("img[data-preview-image]");
  if (!form || !img) return;
  var seed = form.getAttribute("data-badge-preview");
  var input = form.querySelector("input[name=name]");
  if (!input || input.type === "hidden") return;
  var timer = null;
  function redraw() {
    var name = input.value.trim().slice(0, 200) || "Your achievement";
    img.src = "/console/achievements/preview.png?seed=" + encodeURIComponent(seed) + "&name=" + encodeURIComponent(name);
    img.alt = "Badge preview: " + name;
  }
  input.addEventListener("input", function () {
    if (timer) clearTimeout(timer);
    timer = setTimeout(redraw, 400);
  });
})();
`;
