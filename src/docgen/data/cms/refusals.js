// docgen: a save the server refuses marks, in the form, each field it names.
// The server answers a refused save with {"error": …, "fields": [{"label", "message"}]};
// the toast says it in words, and this puts each message under its field.
(function () {
  "use strict";
  var marked = [];

  function clear() {
    marked.forEach(function (m) {
      if (m.control) {
        m.control.removeAttribute("aria-invalid");
        m.control.style.outline = "";
      }
      m.note.remove();
    });
    marked = [];
  }

  function labelFor(text) {
    var labels = Array.prototype.filter.call(document.querySelectorAll("label[for]"), function (l) {
      return l.offsetParent !== null;
    });
    var named = function (l) { return l.textContent.replace(/\s+/g, " ").trim(); };
    return labels.find(function (l) { return named(l) === text; }) ||
      labels.find(function (l) { return named(l).indexOf(text) === 0; });
  }

  function mark(fields) {
    clear();
    fields.forEach(function (field) {
      var label = labelFor(field.label);
      if (!label) return;
      var control = document.getElementById(label.getAttribute("for"));
      var note = document.createElement("p");
      note.className = "docgen-refusal";
      note.setAttribute("role", "alert");
      note.textContent = field.message;
      note.style.cssText =
        "display:block;flex:0 0 100%;max-width:min(100%, calc(100vw - 16px));box-sizing:border-box;" +
        "color:#b00020;" +
        "margin:6px 0 0;padding:0 12px;font-size:14px;line-height:1.5;white-space:normal;" +
        "overflow-wrap:anywhere";
      // under the control, where the eye goes after it (the label's row is a flex row),
      // each reason after the one before
      var after = marked.filter(function (m) { return m.control === control && control; });
      var anchor = after.length ? after[after.length - 1].note : control || label.parentNode;
      anchor.insertAdjacentElement("afterend", note);
      if (control) {
        control.setAttribute("aria-invalid", "true");
        control.style.outline = "2px solid #b00020";
      }
      marked.push({ control: control, note: note });
    });
    if (marked.length) (marked[0].control || marked[0].note).scrollIntoView({ block: "center" });
  }

  var original = window.fetch;
  window.fetch = function (input, init) {
    var body = init && typeof init.body === "string" ? init.body : "";
    var saving = body.indexOf("persistEntry") !== -1;
    return original.apply(this, arguments).then(function (response) {
      if (saving) {
        if (response.ok) {
          clear();
        } else {
          response.clone().json().then(function (answer) {
            if (answer && Array.isArray(answer.fields)) mark(answer.fields);
          }).catch(function () {});
        }
      }
      return response;
    });
  };
})();
