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
  window.addEventListener("hashchange", openTab);
  document.addEventListener("click", remember);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(openTab); // Material's instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openTab);
  } else {
    openTab();
  }
})();
