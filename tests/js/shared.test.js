// Unit tests of generator/assets/shared.js, the helpers site.js and choice.js share.
// Run: node --test tests/js/   (tests/test_js_units.py runs them from pytest)
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const FILE = path.join(__dirname, "..", "..", "generator", "assets", "shared.js");
const S = require(FILE);

test("as a classic script it puts the helpers on one global object and nothing else", () => {
  const sandbox = {};
  vm.runInNewContext(fs.readFileSync(FILE, "utf8"), sandbox);
  assert.deepEqual(Object.keys(sandbox), ["experienceSite"]);
  assert.deepEqual(Object.keys(sandbox.experienceSite).sort(), Object.keys(S).sort());
  assert.equal(sandbox.experienceSite.postcodeDistrict("zx1 2tp"), "ZX1");
});

test("norm: lower case, one space between words, trimmed; nothing for no text", () => {
  assert.equal(S.norm("  St  Mary's\tHOSPITAL \n"), "st mary's hospital");
  assert.equal(S.norm(""), "");
  assert.equal(S.norm(null), "");
  assert.equal(S.norm(undefined), "");
});

test("distanceKm: great-circle distances on a sphere of diameter 12,742 km", () => {
  const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);
  close(S.distanceKm({ y: 54.1, x: -1.4 }, { y: 54.1, x: -1.4 }), 0);
  close(S.distanceKm({ y: 50, x: -2 }, { y: 51, x: -2 }), 12742 * Math.PI / 360);  // one degree along a meridian
  close(S.distanceKm({ y: 0, x: 0 }, { y: 0, x: 90 }), 12742 * Math.PI / 4);       // a quarter of the equator
  close(S.distanceKm({ y: 90, x: 0 }, { y: -90, x: 0 }), 12742 * Math.PI / 2);     // pole to pole
  const a = { y: 54.3721, x: -1.4362 }, b = { y: 54.2289, x: -1.3505 };
  close(S.distanceKm(a, b), S.distanceKm(b, a));
});

test("distanceText: miles then kilometres, one decimal place", () => {
  assert.equal(S.distanceText(1.609), "1.0 miles (1.6 km)");
  assert.equal(S.distanceText(0), "0.0 miles (0.0 km)");
  assert.equal(S.distanceText(16.09), "10.0 miles (16.1 km)");
});

test("postcodeDistrict: a full, run-together, partly typed or district-only postcode gives its district", () => {
  const cases = {
    "ZX1 2TP": "ZX1", "zx12tp": "ZX1", " zx1   2tp ": "ZX1", "ZX1": "ZX1", "zx1 ": "ZX1",
    "ZX1 2": "ZX1", "ZX1 2T": "ZX1", "SW1A 1AA": "SW1A", "sw1a1aa": "SW1A", "SW1A": "SW1A",
    "M1 1AE": "M1", "M11AE": "M1", "LS10 1AB": "LS10", "ls10": "LS10", "ZZ1-2TP": "ZZ1",
  };
  for (const [typed, want] of Object.entries(cases)) assert.equal(S.postcodeDistrict(typed), want, typed);
});

test("postcodeDistrict: words that are not shaped like a postcode give nothing", () => {
  for (const typed of ["", null, undefined, "Leeds", "Exampleton", "1AB", "ZX1 2TPX", "ZX1 22", "X1A hospital", "<b>ZX1</b>"]) {
    assert.equal(S.postcodeDistrict(typed), "", String(typed));
  }
});

test("unpack: rows written as lists become objects in field order", () => {
  assert.deepEqual(S.unpack(["c", "n", "y"], [["X1A", "A", 54.1], ["X1B", "B", null]]),
    [{ c: "X1A", n: "A", y: 54.1 }, { c: "X1B", n: "B", y: null }]);
  assert.deepEqual(S.unpack(["c"], []), []);
});

const PROVIDERS = () => [
  { c: "X1A", n: "Exampleton Teaching Hospitals", t: "nhs-trust", w: "Exampleton", d: "ZX1", y: 54.372, x: -1.436 },
  { c: "X1B", n: "Samplebury Hospitals", t: "nhs-trust", w: "Samplebury", d: "ZX2", y: 54.229, x: -1.351 },
  { c: "G12", n: "Exampleton Surgery", t: "gp-practice", w: "Exampleton", d: "ZX10", y: 54.380, x: -1.440 },
  { c: "G13", n: "Nowhere Practice", t: "gp-practice", w: "", d: "", y: null, x: null },
];

test("matches: every typed word is in the name, code, town or district, in any case and order", () => {
  const codes = (list) => list.map((p) => p.c);
  assert.deepEqual(codes(S.matches(PROVIDERS(), "exampleton", null)), ["X1A", "G12"]);
  assert.deepEqual(codes(S.matches(PROVIDERS(), "  SURGERY exampleton ", null)), ["G12"]);
  assert.deepEqual(codes(S.matches(PROVIDERS(), "x1b", null)), ["X1B"]);
  assert.deepEqual(codes(S.matches(PROVIDERS(), "zx1", null)), ["X1A", "G12"]);  // part of a word: ZX1 and ZX10
  assert.deepEqual(codes(S.matches(PROVIDERS(), "hospitals leeds", null)), []);
  assert.deepEqual(codes(S.matches(PROVIDERS(), "", null)), ["X1A", "X1B", "G12", "G13"]);
  assert.deepEqual(codes(S.matches(PROVIDERS(), "exampleton", (p) => p.t === "gp-practice")), ["G12"]);
});

test("byDistance: nearest first, then by name and code; providers with no position last", () => {
  const at = { y: 54.372, x: -1.436 };
  const out = S.byDistance(PROVIDERS().reverse(), at);
  assert.deepEqual(out.map((p) => p.c), ["X1A", "G12", "X1B", "G13"]);
  assert.equal(out[0].km, 0);
  assert.equal(out[3].km, Infinity);
  const twins = S.byDistance([{ c: "B2", n: "Same", y: 1, x: 1 }, { c: "A1", n: "Same", y: 1, x: 1 },
    { c: "C3", n: "Alpha", y: 1, x: 1 }], { y: 0, x: 0 });
  assert.deepEqual(twins.map((p) => p.c), ["C3", "A1", "B2"]);
});

test("placeOf: the middle of the district's providers, else of its postcode area, else nothing", () => {
  const list = PROVIDERS();
  assert.deepEqual(S.placeOf("ZX1", list), { at: { y: 54.372, x: -1.436 }, exact: true });
  const area = S.placeOf("ZX9", list);  // no provider in ZX9: the middle of ZX1, ZX2 and ZX10
  assert.equal(area.exact, false);
  assert.equal(area.letters, "ZX");
  assert.ok(Math.abs(area.at.y - (54.372 + 54.229 + 54.380) / 3) < 1e-12);
  assert.equal(S.placeOf("QQ1", list), null);
  assert.equal(S.placeOf("", list), null);
});

test("address: fills each slot of a generator's template, in lower case and escaped", () => {
  assert.equal(S.address("../providers/{code}/", { code: "X1A" }), "../providers/x1a/");
  assert.equal(S.address("../compare/{area}-{setting}/", { area: "QX1", setting: "inpatient" }), "../compare/qx1-inpatient/");
  assert.equal(S.address("finder/{id}.json", { id: "fft-gp" }), "finder/fft-gp.json");
  assert.equal(S.address("../providers/{code}/", { code: "a/b?c" }), "../providers/a%2Fb%3Fc/");
  assert.equal(S.address("../measures/", {}), "../measures/");
  assert.throws(() => S.address("../providers/{code}/", {}), /no value for \{code\}/);
  assert.throws(() => S.address("../providers/{code}/", { code: null }), /no value/);
});

test("the scripts that use the helpers hold no copy of them and build no page address", () => {
  for (const name of ["site.js", "choice.js"]) {
    const text = fs.readFileSync(path.join(path.dirname(FILE), name), "utf8");
    for (const fn of ["norm", "distanceKm", "distanceText", "postcodeDistrict", "district", "placeOf", "getJSON", "address"]) {
      assert.doesNotMatch(text, new RegExp("function " + fn + "\\("), `${name} defines ${fn}`);
    }
    assert.doesNotMatch(text, /["'](providers|measures|compare|choice|finder)\//, `${name} spells an address`);
  }
});
