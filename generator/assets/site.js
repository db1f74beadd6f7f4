/* League tables: tablesort for sorting; simple filters by type, region and commissioner; a period selector.
   Finder: searches a compact provider index by name, code, town or postcode; sorts by distance from a
   typed postcode (its district's middle, from assets/districts.json) or the browser's location.
   Header search: also lists providers from the same index, linked to their pages.
   Helpers shared with choice.js come from shared.js (loaded first); every address linked to comes from
   the index (its "addresses", written by the generator), none is built here.
   Everything from the data is set with textContent: nothing is parsed as HTML. */
(function () {
  "use strict";

  var S = window.experienceSite;  // shared.js: helpers shared with choice.js
  var norm = S.norm, postcodeDistrict = S.postcodeDistrict, getJSON = S.getJSON;

  /* providers.json: each provider a list in the order of its "fields", its type a number into "types",
     and the addresses to link to ("addresses"), relative to the file itself. Resolves to
     {index: providers as objects, page: provider -> its page's address}. */
  function getProviders(url) {
    var at = new URL(url, location.href).href;
    return getJSON(at).then(function (data) {
      if (!data.index) {
        data.index = S.unpack(data.fields, data.rows);
        data.index.forEach(function (p) { p.t = data.types[p.t]; });
      }
      return {
        index: data.index,
        page: function (p) { return new URL(S.address(data.addresses.provider, { code: p.c }), at).href; },
        figures: function (id) { return new URL(S.address(data.addresses.figures, { id: id }), at).href; }
      };
    });
  }

  /* Providers of the type chosen ("" for any) whose name, code, town or postcode district hold every typed word. */
  function matches(index, q, type) {
    return S.matches(index, q, type ? function (p) { return p.t === type; } : null);
  }

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

  function initPeriods(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      location.href = new URL(form.querySelector("select").value, location.href).href;
    });
  }

  function initFinder(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var input = root.querySelector("#finder-q"), type = root.querySelector("#finder-type") || { value: "", addEventListener: function () {} };
    var places = !("noPlaces" in root.dataset);  /* data-no-places: the publisher's data has no places to find */
    var measure = root.querySelector("[data-measure]");
    var list = root.querySelector("[data-results]"), status = root.querySelector("[role=status]");
    var near = root.querySelector("[data-near-me]");
    var index = null, pages = null, districts = null, gps = null, figures = null;
    status.textContent = "Loading the list of providers…";
    getProviders(root.dataset.index).then(function (data) {
      index = data.index;
      pages = data;
      status.textContent = index.length + " providers. Start typing to search.";
      var u = new URLSearchParams(location.search), q = u.get("find") || u.get("q");
      if (q) input.value = q;
      run();
    }).catch(function () { status.textContent = "The list of providers could not be loaded."; });

    /* Where to measure distance from: a typed postcode's district, else the browser's location. */
    function place(q) {
      var d = places ? postcodeDistrict(q) : "";
      if (!d) return gps ? { at: gps, words: "from your location (it is not stored or sent anywhere)" } : null;
      if (!districts) {
        getJSON(root.dataset.districts).then(function (data) { districts = data; run(); },
          function () { districts = {}; run(); });
        return { wait: true };
      }
      var c = districts[d];
      if (!c) return { unknown: d };
      return { at: { y: c[0], x: c[1] }, district: d, words: "from the middle of " + d };
    }

    function run() {
      if (!index) return;
      var q = input.value, t = type.value, from = place(q), out;
      if (from && from.wait) { status.textContent = "Finding " + postcodeDistrict(q) + "…"; return; }
      if (!norm(q) && !from) { list.textContent = ""; status.textContent = index.length + " providers. Start typing to search."; return; }
      if (from && from.at) {
        out = S.byDistance(index.filter(function (p) { return (!t || p.t === t) && p.y !== null && p.x !== null; }), from.at);
        var code = norm(q).toUpperCase(), same = out.filter(function (p) { return p.c === code; });
        if (same.length) out = same.concat(out.filter(function (p) { return p.c !== code; }));  // a code shaped like a district
      } else {
        out = matches(index, q, t);
      }
      var inDistrict = from && from.district ? out.filter(function (p) { return p.d === from.district; }).length : 0;
      var msg;
      if (from && from.at) {
        msg = out.length + (out.length === 1 ? " provider found" : " providers found") + ", nearest first, by distance " + from.words +
          (out.length > 50 ? " (showing the nearest 50)" : "") + ".";
        if (from.district) msg += " " + inDistrict + (inDistrict === 1 ? " has a postcode" : " have postcodes") + " in " + from.district + ".";
      } else {
        msg = out.length + (out.length === 1 ? " provider found" : " providers found") + (out.length > 50 ? "; showing the first 50" : "");
        if (from && from.unknown && !out.length) msg += ". " + from.unknown + " is not a postcode district we know; search by town or name instead";
      }
      status.textContent = msg;
      draw(out.slice(0, 50), from && from.at);
    }

    function draw(rows, byDistance) {
      list.textContent = "";
      rows.forEach(function (p) {
        var li = document.createElement("li"), a = document.createElement("a");
        li.dataset.code = p.c;
        a.href = pages.page(p);
        a.textContent = p.n;
        li.appendChild(a);
        var small = document.createElement("small");
        small.textContent = " " + p.c + (p.w ? ", " + p.w : "") + (p.d ? " " + p.d : "");
        li.appendChild(small);
        if (byDistance) {
          var km = document.createElement("span");
          km.className = "finder-distance";
          km.dataset.km = p.km.toFixed(3);
          km.textContent = S.distanceText(p.km);
          li.appendChild(km);
        }
        var f = figures && figures.p[p.c];
        if (figures) {
          var fig = document.createElement("span");
          fig.className = "finder-figure";
          fig.dataset.figure = "";
          fig.textContent = measure.options[measure.selectedIndex].textContent + ": " +
            (!f ? "no result" : (f[0] ? f[0] + (figures.u ? " " + figures.u : "") + ", " : "") + f[2]) + " (" + figures.period + ")";
          if (f) fig.dataset.band = f[1];
          li.appendChild(fig);
        }
        var add = document.createElement("a");
        add.className = "add-compare";
        add.href = new URL(root.dataset.compare, location.href).href + "?add=" + encodeURIComponent(p.c);
        add.textContent = "Add to compare";
        add.setAttribute("aria-label", "Add to compare: " + p.n);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(add);
        list.appendChild(li);
      });
    }

    function chooseMeasure() {
      if (!measure.value) { figures = null; run(); return; }
      getJSON(pages.figures(measure.value)).then(function (data) { figures = data; run(); },
        function () { status.textContent = "That result could not be loaded."; });
    }
    input.addEventListener("input", run);
    type.addEventListener("change", run);
    measure.addEventListener("change", chooseMeasure);
    if (near) near.addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = "Your browser cannot share its location: type a postcode instead."; return; }
      status.textContent = "Asking your browser for your location…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        gps = { y: pos.coords.latitude, x: pos.coords.longitude };
        run();
      }, function () { status.textContent = "Location not available; type a postcode or a town instead."; });
    });
  }

  /* The header search lists providers too (from the finder's index, fetched the first time the box is used). */
  function initHeaderSearch() {
    var box = document.querySelector(".md-search__input"), result = document.querySelector(".md-search-result");
    if (!box || !result || box.dataset.providers) return;
    box.dataset.providers = "1";
    var script = document.querySelector("script[src*='assets/site.js']");
    if (!script) return;
    var hits = document.createElement("div");
    hits.className = "provider-hits";
    hits.setAttribute("data-provider-hits", "");
    result.insertBefore(hits, result.firstChild);
    var index = null, pages = null;
    function show() {
      hits.textContent = "";
      var q = box.value;
      if (!index || norm(q).length < 2) return;
      var found = matches(index, q, "");
      if (!found.length) return;
      var h = document.createElement("p");
      h.className = "provider-hits__title";
      h.textContent = found.length + (found.length === 1 ? " provider" : " providers") + (found.length > 8 ? " (the first 8)" : "");
      hits.appendChild(h);
      var ul = document.createElement("ul");
      found.slice(0, 8).forEach(function (p) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = pages.page(p);
        a.textContent = p.n;
        var s = document.createElement("small");
        s.textContent = " " + p.c + (p.w ? ", " + p.w : "") + (p.d ? " " + p.d : "");
        li.appendChild(a);
        li.appendChild(s);
        ul.appendChild(li);
      });
      hits.appendChild(ul);
    }
    function load() {
      if (index) return;
      // the index sits beside this script (the one address the script knows; the index holds the rest)
      getProviders(new URL("providers.json", script.src).href).then(function (data) {
        index = data.index;
        pages = data;
        show();
      }, function () { /* pages still found */ });
    }
    box.addEventListener("focus", load);
    box.addEventListener("input", function () { load(); show(); });
    if (box.value) load();
  }

  function init() {
    // Material's search dialog has no accessible name (axe: aria-dialog-name)
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (d) { d.setAttribute("aria-label", "Search this site"); });
    // a table wider than a phone scrolls sideways: keyboard users must be able to reach it (axe: scrollable-region-focusable)
    document.querySelectorAll(".md-typeset__scrollwrap, .table-scroll, .chart-scroll").forEach(function (w) {
      if (w.scrollWidth > w.clientWidth + 1 && !w.hasAttribute("tabindex")) w.setAttribute("tabindex", "0");
    });
    document.querySelectorAll("[data-league]").forEach(initLeague);
    document.querySelectorAll("[data-period-select]").forEach(initPeriods);
    document.querySelectorAll("[data-finder]").forEach(initFinder);
    initHeaderSearch();
  }
  if (window.document$) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
