/* dgdocs site search: finds the words of the query in the index (assets/search-index.js).
 *
 * Runs from a static folder, file:// included: no fetch, no server, no modules.  Under the
 * site's Content-Security-Policy (Trusted Types) it never writes HTML: every result is
 * built with createElement and textContent.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 100;
  var CONTEXT = 40; // characters shown on each side of the first match

  function norm(s) {
    // NFKC: full-width letters and digits, the ideographic space; then case.
    return String(s).normalize("NFKC").toLowerCase();
  }

  function terms(query) {
    return norm(query).split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  function prepare(entries) {
    return entries.map(function (e) {
      return { e: e, t: norm(e.t), x: norm(e.x) };
    });
  }

  function count(hay, needle) {
    var n = 0, i = hay.indexOf(needle);
    while (i !== -1) { n += 1; i = hay.indexOf(needle, i + needle.length); }
    return n;
  }

  function search(index, words) {
    var hits = [];
    index.forEach(function (item, order) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var inTitle = count(item.t, words[i]);
        var inText = count(item.x, words[i]);
        if (inTitle + inText === 0) { return; }
        score += inTitle * 10 + inText;
      }
      hits.push({ item: item, score: score, order: order });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return hits;
  }

  // The text around the first match, with every match marked (<mark>), as DOM nodes.
  function snippet(item, words) {
    var raw = item.e.x.replace(/\s+/g, " ");
    var low = norm(raw);
    // NFKC may change the length of a few characters; fall back to the plain start then.
    var aligned = low.length === raw.length;
    var first = -1;
    words.forEach(function (w) {
      var i = low.indexOf(w);
      if (i !== -1 && (first === -1 || i < first)) { first = i; }
    });
    var start = aligned && first > CONTEXT ? first - CONTEXT : 0;
    var end = Math.min(raw.length, start + CONTEXT * 3 + 20);
    var frag = document.createDocumentFragment();
    if (start > 0) { frag.appendChild(document.createTextNode("…")); }
    var pos = start;
    while (aligned && pos < end) {
      var next = -1, len = 0;
      words.forEach(function (w) {
        var i = low.indexOf(w, pos);
        if (i !== -1 && i < end && (next === -1 || i < next)) { next = i; len = w.length; }
      });
      if (next === -1) { break; }
      frag.appendChild(document.createTextNode(raw.slice(pos, next)));
      var mark = document.createElement("mark");
      mark.textContent = raw.slice(next, next + len);
      frag.appendChild(mark);
      pos = next + len;
    }
    frag.appendChild(document.createTextNode(raw.slice(pos, end)));
    if (end < raw.length) { frag.appendChild(document.createTextNode("…")); }
    return frag;
  }

  function show(index, query, list, status) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var words = terms(query);
    if (words.length === 0) {
      status.textContent = "検索する語句を入力してください。";
      return;
    }
    var hits = search(index, words);
    status.textContent = "「" + query.trim() + "」を含む箇所：" + hits.length + " 件" +
      (hits.length > MAX_RESULTS ? "（上位 " + MAX_RESULTS + " 件を表示）" : "");
    hits.slice(0, MAX_RESULTS).forEach(function (hit) {
      var e = hit.item.e;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = e.u;
      a.className = "result-title";
      a.textContent = e.t;
      li.appendChild(a);
      var where = document.createElement("p");
      where.className = "result-where";
      where.textContent = e.g;
      li.appendChild(where);
      var p = document.createElement("p");
      p.className = "result-text";
      p.appendChild(snippet(hit.item, words));
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  function start() {
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var form = document.getElementById("search-form");
    var input = document.getElementById("search-q");
    var data = window.DGDOCS_SEARCH;
    if (!list || !status || !form || !input) { return; }
    if (!data || !data.entries) {
      status.textContent = "検索の索引（assets/search-index.js）を読み込めませんでした。";
      return;
    }
    var index = prepare(data.entries);
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    show(index, query, list, status);
    if (query) { document.title = "「" + query.trim() + "」の検索結果 | " + data.title; }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      show(index, input.value, list, status);
      document.title = "「" + input.value.trim() + "」の検索結果 | " + data.title;
      try {
        var url = new URL(window.location.href);
        url.searchParams.set("q", input.value);
        window.history.replaceState(null, "", url.href);
      } catch (err) { /* file:// may refuse; the results are shown all the same */ }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
