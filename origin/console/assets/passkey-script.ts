// The passkey forms' script, served at /console/assets/passkeys.js after the vendored
// @simplewebauthn/browser bundle (/console/assets/simplewebauthn-browser.js, a copy of the
// package's dist/bundle/index.umd.min.js, kept equal to it by a test). A form marked
// data-passkey="register" or "sign-in" stays hidden until this script finds WebAuthn in the browser;
// on submit it fetches the options (the form's _csrf posted along), asks the authenticator, puts
// its answer in the form's "response" field, and submits the form for the server to verify.
export const PASSKEY_JS = `
(function () {
  var lib = window.SimpleWebAuthnBrowser;
  var forms = document.querySelectorAll("form[data-passkey]");
  if (!lib || !lib.browserSupportsWebAuthn()) {
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (el) { el.hidden = false; });
    return;
  }
  forms.forEach(function (form) {
    form.hidden = false;
    var status = form.querySelector("[data-passkey-status]");
    form.addEventListener("submit", function (event) {
      if (form.elements.response.value) return;
      event.preventDefault();
      status.textContent = "Waiting for your passkey…";
      var body = new URLSearchParams();
      body.set("_csrf", form.elements._csrf.value);
      fetch(form.getAttribute("data-options-url"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function (res) {
          return res.json().then(function (json) {
            if (!res.ok) throw new Error(json.detail || "the console refused");
            return json;
          });
        })
        .then(function (options) {
          return form.getAttribute("data-passkey") === "register"
            ? lib.startRegistration({ optionsJSON: options })
            : lib.startAuthentication({ optionsJSON: options });
        })
        .then(function (answer) {
          form.elements.response.value = JSON.stringify(answer);
          status.textContent = "Checking…";
          form.submit();
        })
        .catch(function (error) {
          status.textContent = "The passkey step did not finish: " + (error && error.message ? error.message : error);
        });
    });
  });
})();
`;
