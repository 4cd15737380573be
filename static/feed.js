// A feed opened in a browser (templates/feed.html): a "Copy address" button beside its
// address. Progressive enhancement only: without it the address is a read-only field.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var row = document.querySelector(".feed-address");
    var input = row && row.querySelector("input");
    var status = row && document.getElementById(row.getAttribute("data-copy-status"));
    if (!input || !status) return;
    // A click in the field selects the whole address, ready for Ctrl+C.
    input.addEventListener("focus", function () { input.select(); });
    if (!navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Copy address";
    row.appendChild(button);
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        status.textContent = "Feed address copied: paste it into your feed reader.";
      }, function () {
        input.focus();
        status.textContent = "This browser refused to copy: the address is selected, copy it from there.";
      });
    });
  });
})();
