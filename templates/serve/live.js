/* dgdocs serve only (never in the published site): live reload and the findings banner.
 *
 * Listens to /__dgdocs/events (Server-Sent Events).  Each "status" event says the current
 * hash of this page, the findings of `check` that concern it (file:line) — or that the
 * checks of this version are still running (「検査中…」) — and whether the last change
 * failed to load.  A changed page reloads; findings and errors are shown in
 * place, built with DOM calls only (the page's CSP requires Trusted Types).
 */
(function () {
  "use strict";
  var me = document.currentScript;
  var page = me.getAttribute("data-page");
  var hash = me.getAttribute("data-hash");
  var SEVERITY = { error: "エラー", warning: "警告", info: "情報" };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function item(f) {
    var li = el("li", "dg-live-" + f.severity);
    li.appendChild(el("code", "dg-live-where", f.where || ""));
    li.appendChild(document.createTextNode(" " + (SEVERITY[f.severity] || f.severity) + " " + f.code + "："));
    li.appendChild(document.createTextNode(f.message));
    if (f.hint) { li.appendChild(el("span", "dg-live-hint", "→ " + f.hint)); }
    return li;
  }

  function clear(id) {
    var old = document.getElementById(id);
    if (old) { old.parentNode.removeChild(old); }
  }

  function showError(s) {
    clear("dg-live-error");
    if (!s.error || s.error.length === 0) { return; }
    var box = el("div", "dg-live dg-live-error-box");
    box.id = "dg-live-error";
    box.setAttribute("role", "alert");
    box.appendChild(el("p", "dg-live-title",
      "変更を反映できません" + (s.changed ? "（" + s.changed + "）" : "") +
      "。直すまで、前回の正しい版を表示しています。"));
    var ul = el("ul");
    s.error.forEach(function (f) { ul.appendChild(item(f)); });
    box.appendChild(ul);
    document.body.insertBefore(box, document.body.firstChild);
  }

  function showFindings(s) {
    clear("dg-live-findings");
    if (!s.checked) {
      // the checks of this version are still running: never show the previous version's findings
      var wait = el("div", "dg-live dg-live-findings-box");
      wait.id = "dg-live-findings";
      wait.setAttribute("role", "status");
      wait.appendChild(el("p", "dg-live-title", "検査中…"));
      var at = document.querySelector(".skip");
      document.body.insertBefore(wait, at ? at.nextSibling : document.body.firstChild);
      return;
    }
    var total = s.total.errors + s.total.warnings;
    if (s.findings.length === 0 && total === 0) { return; }
    var box = el("div", "dg-live dg-live-findings-box");
    box.id = "dg-live-findings";
    box.setAttribute("role", "status");
    if (s.findings.length > 0) {
      box.appendChild(el("p", "dg-live-title", "このページに関わる検査の指摘：" + s.findings.length + " 件" +
        "（全体ではエラー " + s.total.errors + " 件、警告 " + s.total.warnings + " 件）"));
      var ul = el("ul");
      s.findings.forEach(function (f) { ul.appendChild(item(f)); });
      box.appendChild(ul);
    } else {
      box.appendChild(el("p", "dg-live-title", "このページに関わる指摘はありません（全体ではエラー " +
        s.total.errors + " 件、警告 " + s.total.warnings + " 件。端末に一覧があります）。"));
    }
    var skip = document.querySelector(".skip");
    document.body.insertBefore(box, skip ? skip.nextSibling : document.body.firstChild);
  }

  var source = new EventSource("/__dgdocs/events?page=" + encodeURIComponent(page));
  source.addEventListener("status", function (ev) {
    var s = JSON.parse(ev.data);
    if ((!s.error || s.error.length === 0) && s.hash && s.hash !== hash) {
      source.close();
      window.location.reload();
      return;
    }
    showError(s);
    showFindings(s);
    document.documentElement.setAttribute("data-dg-live-version", String(s.version));
    document.documentElement.setAttribute("data-dg-live-checked", s.checked ? "1" : "0");
  });
}());
