/* League tables: tablesort for sorting; simple filters by type, region and commissioner.
   Finder: searches a compact provider index; optional sort by distance from the browser's location. */
(function () {
  "use strict";

  function initLeague(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var table = root.querySelector("table");
    if (window.Tablesort) new window.Tablesort(table);
    var selects = root.querySelectorAll("select[data-filter]");
    var count = root.querySelector(".league-count");
    function apply() {
      var shown = 0, rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var ok = true;
        selects.forEach(function (s) { if (s.value && rows[i].dataset[s.dataset.filter] !== s.value) ok = false; });
        rows[i].hidden = !ok;
        if (ok) shown++;
      }
      count.textContent = "Showing " + shown + " of " + rows.length + " " + (root.dataset.what || "providers");
    }
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    apply();
  }

  function norm(s) { return (s || "").toLowerCase().replace(/\s+/g, " ").trim(); }

  function distanceKm(a, b) {
    var r = Math.PI / 180, dLat = (b.y - a.y) * r, dLon = (b.x - a.x) * r;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(a.y * r) * Math.cos(b.y * r) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 12742 * Math.asin(Math.sqrt(h));
  }

  function initFinder(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var input = root.querySelector("input[type=search]");
    var type = root.querySelector("select");
    var list = root.querySelector("[data-results]");
    var status = root.querySelector("[role=status]");
    var near = root.querySelector("[data-near-me]");
    var base = root.dataset.index.replace(/assets\/providers\.json$/, "");
    var index = null, here = null;
    status.textContent = "Loading the list of providers…";
    fetch(root.dataset.index).then(function (r) { return r.json(); }).then(function (data) {
      index = data.map(function (p) { p.k = norm([p.n, p.c, p.w, p.d].join(" ")); return p; });
      status.textContent = index.length + " providers. Start typing to search.";
      var q = new URLSearchParams(location.search).get("q");
      if (q) { input.value = q; }
      run();
    }).catch(function () { status.textContent = "The list of providers could not be loaded."; });

    function run() {
      if (!index) return;
      var q = norm(input.value), t = type.value, out = [];
      if (!q && !here) { list.textContent = ""; status.textContent = index.length + " providers. Start typing to search."; return; }
      var words = q ? q.split(" ") : [];
      for (var i = 0; i < index.length; i++) {
        var p = index[i];
        if (t && p.t !== t) continue;
        if (words.every(function (w) { return p.k.indexOf(w) !== -1; })) out.push(p);
      }
      if (here) {
        out = out.filter(function (p) { return p.y !== null && p.x !== null; });
        out.forEach(function (p) { p.km = distanceKm(here, p); });
        out.sort(function (a, b) { return a.km - b.km; });
      }
      status.textContent = out.length + (out.length === 1 ? " provider found" : " providers found") + (out.length > 50 ? "; showing the first 50" : "");
      list.textContent = "";
      out.slice(0, 50).forEach(function (p) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = base + "providers/" + p.c.toLowerCase() + "/";
        a.textContent = p.n;
        li.appendChild(a);
        var small = document.createElement("small");
        small.textContent = " " + p.c + (p.w ? ", " + p.w : "") + (p.d ? " " + p.d : "") + (p.km !== undefined && here ? " · " + p.km.toFixed(1) + " km" : "");
        li.appendChild(small);
        list.appendChild(li);
      });
    }
    input.addEventListener("input", run);
    type.addEventListener("change", run);
    near.addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = "Your browser cannot share its location."; return; }
      status.textContent = "Asking your browser for your location…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        here = { y: pos.coords.latitude, x: pos.coords.longitude };
        run();
      }, function () { status.textContent = "Location not available; search by town or postcode instead."; });
    });
  }

  function init() {
    // Material's search dialog has no accessible name (axe: aria-dialog-name)
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (d) { d.setAttribute("aria-label", "Search this site"); });
    document.querySelectorAll("[data-league]").forEach(initLeague);
    document.querySelectorAll("[data-finder]").forEach(initFinder);
  }
  if (window.document$) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
