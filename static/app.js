// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // A paragraph or quote anchor (¶, #) also copies its own address when clicked
  // (/articles/slug/p/3, whose link preview shows that passage): one control and one tab
  // stop per paragraph, not a link and a "Copy link" button beside it. A modified click
  // (new tab, new window) is left to the browser.
  function copyAnchorLinks() {
    if (!navigator.clipboard) return;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    document.body.appendChild(status);
    document.querySelectorAll("a.anchor[href^='#']").forEach(function (anchor) {
      anchor.title += " (a click also copies its address)";
      anchor.addEventListener("click", function (event) {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
        var url = anchor.getAttribute("data-permalink") || location.href.split("#")[0] + anchor.getAttribute("href");
        var what = (anchor.getAttribute("aria-label") || "link").replace(/^Link to /, "");
        navigator.clipboard.writeText(url).then(function () {
          anchor.classList.add("copied");
          status.textContent = "Link to " + what + " copied";
          setTimeout(function () { anchor.classList.remove("copied"); }, 1500);
        }, function () { status.textContent = ""; });
      });
    });
  }

  // A facet with more values than the page lists has a server look-up form (it works
  // without JS): answer it as the reader types, from the page's JSON twin.
  function enhanceFacetSearch(section, form) {
    var input = form.querySelector("input[name=facet_q]");
    var name = section.getAttribute("data-facet");
    var status = document.createElement("p");
    status.className = "facet-found";
    status.setAttribute("role", "status");
    var list = document.createElement("ul");
    list.className = "facet-found-list";
    form.after(status, list);
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var needle = input.value.trim();
        var lists = section.querySelectorAll("ul:not(.facet-found-list), details, .facet-all");
        if (!needle) {
          list.replaceChildren();
          status.textContent = "";
          lists.forEach(function (node) { node.hidden = false; });
          return;
        }
        var ticket = ++asked;
        var query = new URLSearchParams(new FormData(form)).toString();
        fetch("/api" + form.getAttribute("action") + "?" + query, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) {
            if (!data || ticket !== asked) return;
            var values = (data.facets && data.facets[name]) || [];
            list.replaceChildren.apply(list, values.map(function (value) {
              var item = document.createElement("li");
              var link = document.createElement("a");
              link.href = value.url;
              link.textContent = value.label;
              var count = document.createElement("span");
              count.className = "count";
              count.textContent = value.count;
              item.append(link, " ", count);
              return item;
            }));
            status.textContent = values.length
              ? values.length + " match \u201c" + needle + "\u201d"
              : "None matches \u201c" + needle + "\u201d";
            lists.forEach(function (node) { node.hidden = true; });
          });
      }, 250);
    });
  }

  // A type-to-filter box over each facet's full list; without JS, <details> shows them all.
  function addFacetFilters() {
    document.querySelectorAll("[data-facet]").forEach(function (section) {
      var form = section.querySelector("form[data-facet-search]");
      // Only the server knows every value: filtering the listed ones would miss the rest.
      if (form) return enhanceFacetSearch(section, form);
      var more = section.querySelector("details.facet-more");
      if (!more) return;
      var items = Array.prototype.slice.call(section.querySelectorAll("li"));
      var label = document.createElement("label");
      var heading = section.querySelector("h2");
      label.className = "facet-filter";
      label.textContent = "Filter " + (heading ? heading.textContent.toLowerCase() : "values");
      var input = document.createElement("input");
      input.type = "search";
      label.appendChild(input);
      section.insertBefore(label, heading.nextSibling);
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        if (needle) more.open = true;
        items.forEach(function (li) {
          li.hidden = needle !== "" && li.textContent.toLowerCase().indexOf(needle) === -1;
        });
      });
    });
  }

  // A linked quote may sit in a closed "more quotes" <details>: open it and scroll there.
  function revealTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    var details = target.closest("details");
    if (details && !details.open) {
      details.open = true;
      target.scrollIntoView();
    }
  }

  // An article opened from a search without a #fragment: scroll to the first marked word
  // (without JS the search result links to the paragraph, and a notice links to it too).
  function scrollToFirstMatch() {
    if (location.hash) return;
    var notice = document.querySelector("[data-first-match]");
    var id = notice && notice.getAttribute("data-first-match");
    var target = id && document.getElementById(id);
    if (!target) return;
    target.scrollIntoView({ block: "center" });
    target.classList.add("first-match");
  }

  // Related articles read the search index, the slow part of an article's first view, so
  // the article page leaves them out and they are fetched once its text is shown; without
  // JS the section's link leads to the same list.
  function loadRelated() {
    var section = document.querySelector("section[data-related]");
    var placeholder = section && section.querySelector(".related-link");
    if (!placeholder || !window.fetch || !window.DOMParser) return;
    section.setAttribute("aria-busy", "true");
    fetch(section.getAttribute("data-related"), { headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var page = html && new DOMParser().parseFromString(html, "text/html");
        var found = page && page.querySelector(".related-found");
        if (found) {
          placeholder.replaceWith.apply(placeholder, Array.prototype.map.call(found.children, function (node) {
            return document.importNode(node, true);
          }));
        }
      })
      .catch(function () {})
      .then(function () { section.removeAttribute("aria-busy"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    copyAnchorLinks();
    addFacetFilters();
    revealTarget();
    scrollToFirstMatch();
    loadRelated();
  });
  window.addEventListener("hashchange", revealTarget);
})();
