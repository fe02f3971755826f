// 自助终端: the on-screen pad, and the idle time-out that signs the person out and clears the
// screen. No inline script (the CSP forbids it): the page says what to do in data attributes.
(function () {
  var screen = document.querySelector("[data-kiosk-idle]");
  if (!screen) return;

  // The pad types into the kiosk input last touched in its form, else the one it names.
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches(".kiosk-input") && e.target.form) {
      e.target.form.dataset.padTarget = e.target.id;
    }
  });
  document.addEventListener("click", function (e) {
    var key = e.target.closest("[data-pad-key]");
    if (!key) return;
    var pad = key.closest("[data-pad-for]");
    var form = pad.closest("form");
    var input = document.getElementById((form && form.dataset.padTarget) || pad.dataset.padFor);
    if (!input) return;
    var value = key.dataset.padKey;
    if (value === "back") input.value = input.value.slice(0, -1);
    else if (value === "clear") input.value = "";
    else if (!input.maxLength || input.maxLength < 0 || input.value.length < input.maxLength) input.value += value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // Idle time-out: any touch, click or key restarts the clock; when it runs out the person is
  // signed out on the server and the start screen comes back, with no input left on the page.
  var seconds = parseInt(screen.dataset.kioskIdle, 10) || 60;
  var timer = null;
  function timeOut() {
    document.querySelectorAll("input.kiosk-input").forEach(function (input) { input.value = ""; });
    var signOut = document.getElementById("kiosk-sign-out");
    if (signOut) {
      signOut.elements.timeout.value = "1";
      signOut.submit();
    } else {
      window.location.assign(screen.dataset.kioskHome);
    }
  }
  function restart() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(timeOut, seconds * 1000);
  }
  ["pointerdown", "touchstart", "keydown", "input"].forEach(function (kind) {
    document.addEventListener(kind, restart, { passive: true });
  });
  // The start screen with nobody signed in has nothing to clear.
  var atHome = window.location.pathname === screen.dataset.kioskHome;
  if (!atHome || document.querySelector("[data-kiosk-person]")) restart();
})();
