/* Load Material's JavaScript bundle (about 35 KB compressed) and its full
 * stylesheet only when the reader opens search: on these pages the bundle
 * does nothing else a reader needs, and a first view on a 3G data pack
 * should cost the HTML only.
 * The template keeps the bundle's address in a non-running
 * <script type="text/plain" data-kkbc-bundle> element. */
(function () {
  "use strict";
  // The page carries only the theme rules it uses (kkbc/critical_css.py);
  // search results are built by the bundle and need the rest, and so may a
  // printout. The theme's files replace those rules once they have loaded.
  var critical = document.querySelector("style[data-kkbc-tema]");
  var styled = false;
  function loadStyles() {
    if (styled || !critical) return;
    styled = true;
    var hrefs = critical.getAttribute("data-kkbc-tema").split(" ");
    var pending = hrefs.length, failed = false;
    hrefs.forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      link.onload = link.onerror = function (event) {
        failed = failed || event.type === "error";
        if (--pending === 0 && !failed) critical.remove();
      };
      critical.parentNode.insertBefore(link, critical);
    });
  }
  window.addEventListener("beforeprint", loadStyles);

  var holder = document.querySelector("script[data-kkbc-bundle]");
  var toggle = document.getElementById("__search");
  var input = document.querySelector("[data-md-component=search-query]");
  if (!holder || !toggle || !input) return;

  // Shows the search button, which Material hides while <html> has "no-js".
  document.documentElement.classList.add("kkbc-cari");

  var requested = false;
  function load() {
    if (requested) return;
    requested = true;
    loadStyles();
    var script = document.createElement("script");
    script.src = holder.getAttribute("data-kkbc-bundle");
    script.onload = function () {
      // The bundle starts on DOMContentLoaded, which has already passed.
      document.dispatchEvent(new Event("DOMContentLoaded"));
      if (toggle.checked) input.focus();
    };
    document.body.appendChild(script);
  }

  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      load();
      input.focus();
    }
  });
  input.addEventListener("focus", load);
})();
