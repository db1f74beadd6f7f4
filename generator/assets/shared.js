/* Helpers shared by site.js (finder, header search) and choice.js (compare page). Loaded first, as a
   classic script: it puts them on window.experienceSite. Node's test runner requires the same file
   (tests/js/). Everything here but getJSON is pure: no page, no network.
   Addresses are never built here: the generator puts address templates in the JSON it writes
   ("../providers/{code}/"), and `address` fills their slots. */
(function (root) {
  "use strict";

  /* Lower case, single spaces, trimmed: how typed words and provider text are compared. */
  function norm(s) { return (s || "").toLowerCase().replace(/\s+/g, " ").trim(); }

  /* Great-circle distance in km between two places given as {y: latitude, x: longitude}. */
  function distanceKm(a, b) {
    var r = Math.PI / 180, dLat = (b.y - a.y) * r, dLon = (b.x - a.x) * r;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(a.y * r) * Math.cos(b.y * r) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 12742 * Math.asin(Math.sqrt(h));
  }

  function distanceText(km) { return (km / 1.609).toFixed(1) + " miles (" + km.toFixed(1) + " km)"; }

  /* A typed postcode's district: "ZX1 2TP", "zx12tp", "ZX1" or "ZX1 2" (still being typed) -> "ZX1";
     "" if it is not shaped like one (a town such as "Leeds" is not a district). */
  var FULL = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?[0-9][A-Z]{2}$/, PART = /^([A-Z]{1,2}[0-9][A-Z0-9]?)( [0-9][A-Z]?)?$/;
  function postcodeDistrict(text) {
    var s = (text || "").toUpperCase().replace(/[^A-Z0-9 ]/g, "").replace(/\s+/g, " ").trim();
    var m = s.match(FULL) || s.match(PART);
    return m ? m[1] : "";
  }

  /* Rows written as lists in the order of `fields` (fewer bytes than objects), as objects. */
  function unpack(fields, rows) {
    return rows.map(function (row) {
      var p = {};
      fields.forEach(function (f, i) { p[f] = row[i]; });
      return p;
    });
  }

  /* Providers that `keep` accepts whose name, code, town or postcode district hold every typed word. */
  function matches(providers, q, keep) {
    var words = norm(q).split(" ").filter(Boolean), out = [];
    providers.forEach(function (p) {
      if (keep && !keep(p)) return;
      if (p.searchText === undefined) p.searchText = norm([p.n, p.c, p.w, p.d].join(" "));
      if (words.every(function (w) { return p.searchText.indexOf(w) !== -1; })) out.push(p);
    });
    return out;
  }

  /* The providers with their distance from `at` (p.km; Infinity with no position), nearest first, then by name and code. */
  function byDistance(providers, at) {
    providers.forEach(function (p) { p.km = p.y === null || p.x === null ? Infinity : distanceKm(at, p); });
    function order(u, v) { return u < v ? -1 : u > v ? 1 : 0; }
    return providers.sort(function (a, b) { return a.km - b.km || order(a.n, b.n) || order(a.c, b.c); });
  }

  /* Where a district is when the districts file has no row for it: the middle of the providers whose
     postcodes are in it, else of those in its postcode area (its letters). */
  function placeOf(dist, providers) {
    function centre(list) {
      list = list.filter(function (p) { return p.y !== null && p.x !== null; });
      if (!list.length) return null;
      var y = 0, x = 0;
      list.forEach(function (p) { y += p.y; x += p.x; });
      return { y: y / list.length, x: x / list.length };
    }
    var exact = centre(providers.filter(function (p) { return p.d === dist; }));
    if (exact) return { at: exact, exact: true };
    var letters = (dist.match(/^[A-Z]+/) || [""])[0];
    if (!letters) return null;
    var re = new RegExp("^" + letters + "[0-9]");
    var area = centre(providers.filter(function (p) { return re.test(p.d || ""); }));
    return area ? { at: area, exact: false, letters: letters } : null;
  }

  /* An address template from the generator with its slots filled: address("../providers/{code}/",
     {code: "X1A"}) is "../providers/x1a/". Every value goes in lower case, as the generator writes
     codes in addresses (generator/views/urls.py); a slot with no value is an error, not "undefined". */
  function address(template, values) {
    return template.replace(/\{([a-z]+)\}/g, function (slot, name) {
      if (values[name] === undefined || values[name] === null) throw new Error("no value for " + slot + " in " + template);
      return encodeURIComponent(String(values[name]).toLowerCase());
    });
  }

  var loaded = {};
  /* A JSON file, fetched once a page (a failed fetch is tried again next time). */
  function getJSON(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
      loaded[url].catch(function () { delete loaded[url]; });
    }
    return loaded[url];
  }

  var api = { norm: norm, distanceKm: distanceKm, distanceText: distanceText, postcodeDistrict: postcodeDistrict,
    unpack: unpack, matches: matches, byDistance: byDistance, placeOf: placeOf, address: address, getJSON: getJSON };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.experienceSite = api;
})(this);
