// The class table stays live: every three seconds it asks for the class's
// state and updates each row's cells (text only, never HTML).
(function () {
  "use strict";
  function refresh(table) {
    fetch(table.getAttribute("data-source"), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (rows) {
        (rows || []).forEach(function (row) {
          var tr = table.querySelector('tr[data-id="' + CSS.escape(row.id) + '"]');
          if (!tr) { return; }
          tr.querySelector('[data-col="attempts"]').textContent = row.attempts;
          tr.querySelector('[data-col="state"]').textContent = row.state;
          tr.querySelector('[data-col="score"]').textContent =
            row.score === null ? "" : row.score + "/" + row.max_score;
        });
      })
      .catch(function () {})
      .then(function () { setTimeout(function () { refresh(table); }, 3000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-source]").forEach(function (t) { setTimeout(function () { refresh(t); }, 3000); });
  });
})();
