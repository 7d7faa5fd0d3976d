// docgen: a link to a section of an engagement page (#risks, #kpis …) opens its tab, and
// choosing a tab puts its name in the address, so that the link can be shared.
(function () {
  function openTab() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var label = id && document.getElementById(id);
    if (!label || label.tagName !== "LABEL" || !label.htmlFor) return;
    var input = document.getElementById(label.htmlFor);
    if (!input || input.type !== "radio") return;
    input.checked = true;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    label.scrollIntoView({ block: "start" });
  }
  function remember(event) {
    var label = event.target.closest && event.target.closest(".docgen-tabs .tabbed-labels label[id]");
    if (label && window.history.replaceState) {
      window.history.replaceState(null, "", "#" + encodeURIComponent(label.id));
    }
  }
  // Material's search is a dialog without a name: it is called what its field says (搜索)
  function nameSearch() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    var field = document.querySelector(".md-search__input");
    if (dialog && !dialog.getAttribute("aria-label")) {
      dialog.setAttribute("aria-label", (field && (field.getAttribute("aria-label") || field.placeholder)) || "Search");
    }
  }
  // what scrolls sideways on a phone (a row of tabs, a wide table) is reached by the
  // keyboard too: it takes the focus, and the arrow keys scroll it
  function reachable() {
    nameSearch();
    document.querySelectorAll(".docgen-tabs .tabbed-labels, .md-typeset__scrollwrap")
      .forEach(function (box) {
        if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      });
  }
  function ready() { reachable(); openTab(); }
  window.addEventListener("hashchange", openTab);
  document.addEventListener("click", remember);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(ready); // after Material has laid the page out
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
