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
  // a search result shows a short snippet of its section around what matched, not the
  // section's whole text (a procedure step, a checklist, a risk register)
  var SNIPPET = 120;
  function snippet(article) {
    if (article.getAttribute("data-docgen-snippet")) return;
    article.setAttribute("data-docgen-snippet", "1");
    var marks = Array.prototype.map.call(article.querySelectorAll("mark"), function (m) {
      return m.textContent.replace(/\u200b/g, "");
    });
    var kept = [], text = "";
    Array.prototype.forEach.call(article.childNodes, function (node) {
      if (node.nodeType === 1 && /^(H1|H2|DIV)$/.test(node.tagName)) kept.push(node);
      else text += " " + (node.nodeType === 1 ? node.innerText || node.textContent : node.textContent);
    });
    text = text.replace(/\u200b/g, "").replace(/\s+/g, " ").trim();
    if (!text) return;
    var at = marks.length ? text.indexOf(marks[0]) : 0;
    var start = Math.max(0, at - 40), end = Math.min(text.length, start + SNIPPET);
    var shown = (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
    while (article.firstChild) article.removeChild(article.firstChild);
    kept.forEach(function (node) { article.appendChild(node); });
    var p = document.createElement("p");
    p.className = "docgen-snippet";
    var words = marks.filter(function (w, i) { return w && marks.indexOf(w) === i; });
    var rest = shown;
    while (rest) {  // the matched words marked again, as text: nothing from the page is markup
      var first = -1, word = "";
      words.forEach(function (w) {
        var i = rest.indexOf(w);
        if (i >= 0 && (first < 0 || i < first)) { first = i; word = w; }
      });
      if (first < 0) { p.appendChild(document.createTextNode(rest)); break; }
      p.appendChild(document.createTextNode(rest.slice(0, first)));
      var mark = document.createElement("mark");
      mark.textContent = word;
      p.appendChild(mark);
      rest = rest.slice(first + word.length);
    }
    article.appendChild(p);
  }
  function snippets() {
    document.querySelectorAll(".md-search-result__article").forEach(snippet);
  }
  function watchSearch() {
    var list = document.querySelector(".md-search-result__list");
    if (list && window.MutationObserver && !list.getAttribute("data-docgen-watched")) {
      list.setAttribute("data-docgen-watched", "1");
      new MutationObserver(snippets).observe(list, { childList: true, subtree: true });
    }
  }
  function ready() { reachable(); watchSearch(); openTab(); }
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
