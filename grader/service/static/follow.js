// The student's page follows its pending attempts: asks for each one's state
// as often as the server suggests (every second near the front of the queue)
// and reloads when one is graded (no library, nothing fetched elsewhere).
(function () {
  "use strict";
  function follow(section) {
    var url = section.getAttribute("data-follow");
    var label = section.querySelector("[data-state]");
    function ask() {
      fetch(url, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && (data.state === "done" || data.state === "failed")) {
            window.location.reload();
            return;
          }
          if (data && label) {
            label.textContent = data.estado + (data.ahead ? " (" + data.ahead + " na frente)" : "");
          }
          setTimeout(ask, 1000 * ((data && data.ask_again_in) || 1));
        })
        .catch(function () { setTimeout(ask, 3000); });
    }
    setTimeout(ask, 500);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-follow]").forEach(follow);
  });
})();
