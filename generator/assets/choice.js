/* Compare providers (patient choice at referral).
   Reads the compact index assets/choice.json written by the build; the choice lives in the
   address (?setting=inpatient&area=QX1&p=X1A,X1B) so it can be shared, bookmarked and reloaded.
   Helpers shared with site.js come from shared.js (loaded first); the addresses of pages and files
   come from the index ("addresses", written by the generator), none is built here.
   Everything from the data is set with textContent: nothing is parsed as HTML. */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  var S = window.experienceSite;  // shared.js: helpers shared with site.js
  var district = S.postcodeDistrict;

  function siteAddress() {
    document.querySelectorAll("[data-site-address]").forEach(function (s) {
      try { s.textContent = new URL(s.dataset.root || "./", location.href).href; } catch (e) { /* keep the words */ }
    });
  }

  function initChoice(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    root.hidden = false;
    var q = function (sel) { return root.querySelector(sel); };
    var setting = q("#choice-setting"), area = q("#choice-area"), filter = q("#choice-filter");
    /* No place lookup offered (the publisher's data has no places to find): stand-ins nobody sees */
    var near = q("[data-near]") || el("div"), postcode = q("#choice-postcode") || el("input");
    var locate = q("[data-locate]") || el("button");
    var list = q("[data-candidates]"), status = q("[data-status]"), result = q("[data-result]");
    var staticLink = q("[data-static]"), chosen = q("[data-chosen]"), chosenText = q("[data-chosen-text]");
    var indexHref = new URL(root.dataset.index, location.href).href;
    var data = null, byCode = {}, picked = [], here = null, gps = null, placeNote = "", dists = null;

    function params() {
      var u = new URLSearchParams(location.search);
      return { setting: u.get("setting") || "", area: u.get("area") || "", p: (u.get("p") || "").split(",") };
    }

    function save() {
      var u = new URLSearchParams();
      u.set("setting", setting.value);
      var a = area.value;
      if (a === "near" && district(postcode.value)) a = "near:" + district(postcode.value);
      if (a) u.set("area", a);
      if (picked.length) u.set("p", picked.join(","));
      history.replaceState(null, "", location.pathname + "?" + u.toString().replace(/%2C/g, ","));
      try { localStorage.setItem("compare-last", JSON.stringify({ setting: setting.value, area: u.get("area") || "", p: picked })); } catch (e) { /* private mode */ }
    }

    /* "Add to compare" from a provider page or the finder: the comparison last built in this browser
       (if it is for a service the provider offers, with room) plus this provider. */
    function withAdded(u, p) {
      var last = {};
      try { last = JSON.parse(localStorage.getItem("compare-last") || "{}"); } catch (e) { last = {}; }
      var keep = last.setting && p.s.indexOf(last.setting) !== -1 ? (last.p || []).filter(function (c) {
        return byCode[c] && byCode[c].s.indexOf(last.setting) !== -1 && c !== p.c; }).slice(0, data.max - 1) : [];
      return { setting: keep.length ? last.setting : p.s[0], area: keep.length ? (last.area || "") : p.i, p: keep.concat([p.c]) };
    }

    function settingInfo() {
      for (var i = 0; i < data.settings.length; i++) if (data.settings[i].id === setting.value) return data.settings[i];
      return data.settings[0];
    }

    function inArea(p) {
      var a = area.value;
      if (!a || a === "near") return true;
      if (a.indexOf("region:") === 0) return p.r === a.slice(7);
      return p.i === a;
    }

    function candidates() {
      var s = settingInfo().id;
      var out = S.matches(data.providers, filter.value, function (p) { return p.s.indexOf(s) !== -1 && inArea(p); });
      var from = area.value === "near" ? here : null;
      if (from) S.byDistance(out, from);
      return { list: out, from: from };
    }

    function drawCandidates() {
      var c = candidates(), shown = c.list.filter(function (p) { return picked.indexOf(p.c) === -1; });
      var limit = 40, full = picked.length >= data.max;
      list.textContent = "";
      // a ticked provider stays where it was ticked; chosen ones not in this list come first
      var inList = c.list.slice(0, limit + picked.length), codes = inList.map(function (p) { return p.c; });
      var first = picked.filter(function (code) { return codes.indexOf(code) === -1; })
        .map(function (code) { return byCode[code]; }).concat(inList);
      first.forEach(function (p) {
        var id = "choice-p-" + p.c, li = el("li"), box = el("input", { type: "checkbox", id: id, value: p.c });
        box.checked = picked.indexOf(p.c) !== -1;
        box.disabled = full && !box.checked;
        var label = el("label", { "for": id }, p.n + " ");
        var extra = p.c + (p.w ? ", " + p.w : "") + (p.d ? " " + p.d : "");
        if (c.from && p.km !== undefined && p.km !== Infinity) extra += " · about " + p.km.toFixed(1) + " km";
        label.appendChild(el("small", null, extra));
        li.appendChild(box);
        li.appendChild(label);
        list.appendChild(li);
      });
      var msg = c.list.length + (c.list.length === 1 ? " provider" : " providers") + " of this service" +
        (area.value && area.value !== "near" ? " in this area" : (c.from ? " by distance" : ""));
      if (shown.length > limit) msg += " (showing " + (c.from ? "the nearest " : "the first ") + limit + "; filter to narrow)";
      msg += ". " + picked.length + " of " + data.max + " chosen.";
      if (full) msg += " That is the most that fit on one printed page: untick one to choose another.";
      if (area.value === "near" && placeNote) msg = placeNote + " " + msg;
      status.textContent = msg;
    }

    /* A page or file named by one of the index's address templates, filled in. */
    function addressOf(name, values) { return new URL(S.address(data.addresses[name], values), indexHref).href; }
    function providerHref(p) { return addressOf("provider", { code: p.c }); }

    function cell(p, mid, cellData) {
      var td = el("td", { "data-provider": p.c, "data-measure": mid });
      td.appendChild(el("span", { "class": "choice-who" })).appendChild(el("a", { href: providerHref(p) }, p.n));
      var w = data.words;
      if (!cellData) {
        td.appendChild(el("span", { "class": "choice-none" }, w.none));
        return td;
      }
      if (cellData.v !== undefined) {
        var value = td.appendChild(el("span", { "class": "choice-figure" }));
        value.appendChild(el("strong", { "class": "choice-value", "data-value": "" }, cellData.v));
        if (data.measures[mid].u) value.appendChild(el("span", { "class": "unit" }, " " + data.measures[mid].u));
        td.appendChild(el("span", { "class": "choice-range", "data-range": "" }, "likely " + cellData.r));
      }
      var band = el("span", { "class": "choice-band", "data-band": cellData.b });
      band.appendChild(el("span", { "aria-hidden": "true" }, w.icons[cellData.b] + " "));
      // against the measure's published benchmark when it has one, else against providers of the same kind
      band.appendChild(document.createTextNode((data.measures[mid].bw || w.bands[p.t] || w.bands.independent)[cellData.b]));
      td.appendChild(band);
      // the publisher's words: why a result is not compared, and their note ("Use with caution: …")
      if (cellData.w) td.appendChild(el("span", { "class": "not-compared-reason", "data-reason": "" }, cellData.w));
      if (cellData.nt) {
        var note = td.appendChild(el("span", { "class": "publisher-note", "data-caution": cellData.c ? "yes" : "no" }));
        note.appendChild(el("b", null, cellData.nl + ":"));
        note.appendChild(document.createTextNode(" " + cellData.nt));
      }
      var m = data.measures[mid];
      if (m.mo) td.appendChild(el("span", { "class": "choice-trend", "data-trend": "" }, w.trends[cellData.t || "none"]));
      if (cellData.n !== undefined && cellData.n !== null) {
        td.appendChild(el("span", { "class": "choice-n", "data-responses": "" }, cellData.n.toLocaleString("en-GB") + " " + m.rl));
      }
      ((p.k && p.k[mid] && p.k[mid][p.t]) || []).forEach(function (line) {
        td.appendChild(el("small", { "class": "comparator", "data-comparator": "" }, line));
      });
      return td;
    }

    function areaLabel() {
      var o = area.options[area.selectedIndex];
      if (area.value === "near") {
        var d = district(postcode.value);
        return d ? "near " + d : (here ? "near your location" : "anywhere");
      }
      return o ? o.textContent : "";
    }

    /* The sheet names the area chosen only if every provider on it is in that area (providers chosen
       in another area stay chosen); otherwise it names the commissioners of the providers on it. */
    function sheetArea(provs) {
      if (area.value === "near" || (area.value && provs.every(inArea))) return "Area: " + areaLabel();
      var names = [];
      provs.forEach(function (p) {
        var o = Array.prototype.find.call(area.options, function (x) { return x.value === p.i; });
        var name = o ? o.textContent : p.i;
        if (names.indexOf(name) === -1) names.push(name);
      });
      return "Commissioned by: " + names.join("; ");
    }

    // Figures come per commissioner, fetched the first time one of its providers is chosen.
    var figureFiles = {};
    function figuresLoaded(provs) {
      var need = [];
      provs.forEach(function (p) { if (!p.m && need.indexOf(p.i) === -1) need.push(p.i); });
      if (!need.length) return true;
      Promise.all(need.map(function (i) {
        if (!figureFiles[i]) {
          figureFiles[i] = S.getJSON(addressOf("cells", { area: i })).then(function (cells) {
            data.providers.forEach(function (p) { if (p.i === i) { p.m = cells[p.c] || {}; p.k = cells["~"] || {}; } });
          });
        }
        return figureFiles[i];
      })).then(drawResult).catch(function () {
        delete figureFiles[need[0]];
        result.textContent = "";
        result.appendChild(el("p", { "class": "choice-empty" }, "The results could not be loaded. The ready-made comparisons below still work."));
      });
      return false;
    }

    function drawResult() {
      result.textContent = "";
      if (!picked.length) {
        result.appendChild(el("p", { "class": "choice-empty" }, "Choose providers above to compare them here."));
        return;
      }
      var s = settingInfo(), provs = picked.map(function (c) { return byCode[c]; });
      if (!figuresLoaded(provs)) {
        result.appendChild(el("p", { "class": "choice-empty" }, "Loading the results…"));
        return;
      }
      var sheet = el("section", { "class": "choice-sheet", "aria-labelledby": "choice-sheet-title", "data-sheet": "" });
      sheet.appendChild(el("h2", { id: "choice-sheet-title" }, s.label + ": " + provs.length + (provs.length === 1 ? " provider" : " providers compared")));
      var meta = sheet.appendChild(el("p", { "class": "choice-meta" }, sheetArea(provs) + " · Data up to " + data.release.label));
      meta.appendChild(el("span", { "class": "choice-meta-aside" }, " (the period of each measure is given with it)"));
      meta.appendChild(document.createTextNode(" · Published " + data.release.published));
      var table = el("table", { "class": "choice-table", "data-comparison": "" });
      table.appendChild(el("caption", null, "How patients rated " + (provs.length === 1 ? "this provider" : "these providers") +
        ". Each entry gives the result, its likely range, how it compares with similar providers, the recent trend (monthly figures only) and how many answered."));
      var head = el("tr");
      head.appendChild(el("th", { scope: "col" }, "Measure"));
      provs.forEach(function (p) {
        var th = el("th", { scope: "col", "data-provider": p.c });
        th.appendChild(el("a", { href: providerHref(p) }, p.n));
        th.appendChild(el("small", null, " " + p.c + (p.w ? ", " + p.w : "") + " · " + p.tl));
        head.appendChild(th);
      });
      table.appendChild(el("thead")).appendChild(head);
      var body = el("tbody");
      s.measures.forEach(function (mid) {
        var m = data.measures[mid], tr = el("tr", { "data-measure": mid }), th = el("th", { scope: "row" });
        th.appendChild(el("a", { href: addressOf("measure", { id: mid }) }, m.n));
        var about = th.appendChild(el("small", null, m.s + " · " + m.pl + " · " + (m.hib ? "higher is better" : "lower is better")));
        if (!m.mo) about.appendChild(el("span", { "class": "choice-notrend" }, " · no monthly figures, so no trend"));
        tr.appendChild(th);
        provs.forEach(function (p) { tr.appendChild(cell(p, mid, p.m[mid])); });
        body.appendChild(tr);
      });
      table.appendChild(body);
      sheet.appendChild(el("div", { "class": "choice-scroll" })).appendChild(table);
      var link = el("p", { "class": "choice-link" }, "This comparison online: ");
      link.appendChild(el("span", { "data-here": "" }, location.href));
      var copy = link.appendChild(el("button", { type: "button", "class": "choice-copy", "data-copy": "" }, "Copy link"));
      var copied = link.appendChild(el("span", { "class": "choice-copied", role: "status" }));
      copy.addEventListener("click", function () { copyLink(copied); });
      sheet.appendChild(link);
      sheet.appendChild(el("p", { "class": "choice-footer", "data-footer": "" }, "Source: " + sources(s) +
        ". Data up to " + data.release.label + ". Published " + data.release.published + ". This comparison: " + location.href +
        " · “Likely”: where the true figure probably lies (95% confidence)." + (data.words.same === undefined ?
        " “Same commissioner”: providers of the same kind with the same commissioner, from their published results." :
        data.words.same)));
      result.appendChild(sheet);
    }

    function sources(s) {
      var seen = [];
      s.measures.forEach(function (mid) { var n = data.measures[mid].s; if (seen.indexOf(n) === -1) seen.push(n); });
      return seen.join(", ");
    }

    function copyLink(said) {
      function done(ok) { said.textContent = ok ? " Link copied." : " Select the address above and copy it."; }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(location.href).then(function () { done(true); }, function () { done(false); });
      } else { done(false); }
    }

    /* What a tick changed, where the person is: "2 chosen — see comparison" beside the list. */
    function drawChosen() {
      chosen.hidden = !picked.length;
      chosenText.textContent = picked.length + " chosen" + (picked.length < data.max ? " (up to " + data.max + ")" : ", the most") + " — ";
    }

    function drawStatic() {
      var a = area.value, s = settingInfo().id;
      var ok = a && a.indexOf(":") === -1 && a !== "near" && data.providers.some(function (p) { return p.i === a && p.s.indexOf(s) !== -1; });
      staticLink.hidden = !ok;
      if (ok) staticLink.href = addressOf("compare", { area: a, setting: s });
    }

    function update() {
      near.hidden = area.value !== "near";
      var s = settingInfo().id;
      picked = picked.filter(function (c) { return byCode[c] && byCode[c].s.indexOf(s) !== -1; });
      if (area.value === "near") findPlace();
      save();
      drawCandidates();
      drawResult();
      drawChosen();
      drawStatic();
    }

    function findPlace() {
      var d = district(postcode.value);
      here = gps;
      if (!d) {
        placeNote = gps ? "Sorted by distance from your location (it is not stored or sent anywhere)." :
          "Type a postcode or use your location to sort by distance.";
        return;
      }
      if (root.dataset.districts && dists === null) {
        S.getJSON(root.dataset.districts).then(function (x) { dists = x; update(); }, function () { dists = {}; update(); });
        dists = false;
      }
      var found = dists && dists[d] ? { at: { y: dists[d][0], x: dists[d][1] }, exact: true } : S.placeOf(d, data.providers);
      if (!found) { here = null; placeNote = "No provider has a postcode near " + d + "."; return; }
      here = found.at;
      placeNote = found.exact ? "Sorted by distance from the middle of " + d + "." :
        "No provider has a postcode in " + d + "; sorted by distance from the middle of the " + found.letters + " area.";
    }

    function start(json) {
      data = json;
      var regions = {};
      data.commissioners.forEach(function (c) { regions[c.c] = c.r; });
      data.providers = S.unpack(data.fields, data.providers);
      data.providers.forEach(function (p) {
        p.m = null;
        p.r = regions[p.i] || "";
        p.tl = data.types[p.t] || "provider";
      });
      data.providers.forEach(function (p) { byCode[p.c] = p; });
      var u = params(), add = new URLSearchParams(location.search).get("add");
      if (add && byCode[add]) u = withAdded(u, byCode[add]);
      if (data.settings.some(function (s) { return s.id === u.setting; })) setting.value = u.setting;
      var a = u.area, opts = Array.prototype.map.call(area.options, function (o) { return o.value; });
      if (a.indexOf("near:") === 0) { postcode.value = district(a.slice(5)); a = "near"; }
      if (opts.indexOf(a) !== -1) area.value = a;
      u.p.forEach(function (c) {
        if (byCode[c] && picked.indexOf(c) === -1 && picked.length < data.max) picked.push(c);
      });
      update();
      root.dataset.loaded = "1";
    }

    list.addEventListener("change", function (e) {
      var box = e.target;
      if (!box || box.type !== "checkbox") return;
      var i = picked.indexOf(box.value);
      if (box.checked && i === -1 && picked.length < data.max) picked.push(box.value);
      if (!box.checked && i !== -1) picked.splice(i, 1);
      save();
      drawCandidates();
      drawResult();
      drawChosen();
      var again = document.getElementById("choice-p-" + box.value);
      if (again) again.focus();
    });
    setting.addEventListener("change", update);
    area.addEventListener("change", function () { if (area.value !== "near") here = null; update(); });
    postcode.addEventListener("input", update);
    filter.addEventListener("input", drawCandidates);
    q("[data-form]").addEventListener("submit", function (e) { e.preventDefault(); });
    q("[data-print]").addEventListener("click", function () { window.print(); });
    q("[data-clear]").addEventListener("click", function () { picked = []; update(); });
    locate.addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = "Your browser cannot share its location: type a postcode instead."; return; }
      status.textContent = "Asking your browser for your location…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        postcode.value = "";
        gps = { y: pos.coords.latitude, x: pos.coords.longitude };
        update();
      }, function () { status.textContent = "Your location is not available: type a postcode instead."; });
    });

    S.getJSON(indexHref).then(start).catch(function () {
      status.textContent = "The list of providers could not be loaded. The ready-made comparisons below still work.";
    });
  }

  function init() {
    siteAddress();
    document.querySelectorAll("[data-choice]").forEach(initChoice);
  }
  if (window.document$) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
