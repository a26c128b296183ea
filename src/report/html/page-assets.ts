/**
 * The HTML report's inline style sheet and script. Everything is inline: the page makes no request
 * (its Content-Security-Policy forbids any), so it opens the same from a mail attachment, a CI
 * artifact or an air-gapped machine.
 */
export const PAGE_CSS = `
:root { --ink: #1b1b1b; --muted: #5b5b5b; --rule: #d6d6d6; --band: #f5f7fa; --warn-bg: #fff4e5; --warn: #8a4b00; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); margin: 0; padding: 24px 32px 64px; max-width: 1500px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 10px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.warning { background: var(--warn-bg); color: var(--warn); border-left: 5px solid #e69f00; padding: 10px 14px; margin: 12px 0; font-weight: 600; }
.smoke { background: #fde8e8; color: #7a1010; border-left: 5px solid #c0392b; padding: 10px 14px; margin: 12px 0; font-weight: 600; }
.table-wrap { overflow-x: auto; border: 1px solid var(--rule); border-radius: 6px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.scores { min-width: 100%; }
/* Headers wrap (VBench has 19 score columns); the main table fits 1,400 px without scrolling. */
table.scores { font-size: 13.5px; }
table.scores thead th { white-space: normal; max-width: 7.5em; font-size: 12px; line-height: 1.25; }
table.scores thead th.sortable::after { content: "⇅"; font-size: 10px; margin-left: 1px; }
table.scores th, table.scores td { padding: 4px 4px; }
table.scores td:first-child { white-space: normal; min-width: 8em; max-width: 16em; overflow-wrap: anywhere; }
td.reason { text-align: left; white-space: normal; max-width: 560px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; position: sticky; left: 0; background: #fff; }
thead th { background: var(--band); font-weight: 600; vertical-align: bottom; }
thead th.sortable { cursor: pointer; user-select: none; }
thead th.sortable::after { content: " ⇅"; color: #9a9a9a; font-weight: 400; }
thead th[aria-sort="ascending"]::after { content: " ▲"; color: var(--accent); }
thead th[aria-sort="descending"]::after { content: " ▼"; color: var(--accent); }
th.group { text-align: center; font-size: 13px; color: var(--muted); border-bottom: 2px solid var(--rule); }
td.best { font-weight: 700; }
td.second { text-decoration: underline; text-underline-offset: 3px; }
td.missing { color: #9a9a9a; }
tr.published td { color: #444; font-style: italic; }
tr.published td:first-child::after { content: " †"; }
.notes { color: var(--muted); font-size: 13px; padding-left: 18px; }
figure { margin: 18px 0; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--rule); border-radius: 4px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.charts-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; }
details { margin: 8px 0; border: 1px solid var(--rule); border-radius: 6px; padding: 6px 12px; }
details > summary { cursor: pointer; font-weight: 600; }
td.prompt { text-align: left; white-space: normal; max-width: 520px; }
td.sample { text-align: left; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; white-space: normal; word-break: break-all; max-width: 260px; }
.thumb { display: block; width: 128px; height: auto; border-radius: 3px; }
.strip { display: block; background-repeat: no-repeat; border-radius: 3px; animation-iteration-count: infinite; animation-timing-function: steps(var(--frames)); }
.nothumb { color: #9a9a9a; font-size: 12px; }
pre { background: var(--band); padding: 10px; overflow-x: auto; font-size: 12px; max-height: 420px; }
.delta-up { color: #006d4f; font-weight: 600; }
.delta-down { color: #b34700; font-weight: 600; }
@media print { details { break-inside: avoid; } .table-wrap { overflow: visible; } }
`;

/**
 * Sortable tables (click a header; numbers sort numerically by data-value, missing values last) and
 * a ready flag the headless-browser test reads. Errors are caught into data-errors as well as the console.
 */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var errors = [];
  window.addEventListener('error', function (e) { errors.push(String(e.message)); document.documentElement.setAttribute('data-errors', errors.join(' | ')); });
  function key(cell) {
    var v = cell.getAttribute('data-value');
    if (v === null || v === '') return null;
    var n = Number(v);
    return isNaN(n) ? v.toLowerCase() : n;
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var dir = th.getAttribute('aria-sort') === 'descending' ? 'ascending' : 'descending';
    Array.prototype.forEach.call(table.querySelectorAll('th.sortable'), function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir);
    var sign = dir === 'ascending' ? 1 : -1;
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      if (x === null && y === null) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      if (x < y) return -sign;
      if (x > y) return sign;
      return 0;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var heads = table.tHead.rows[table.tHead.rows.length - 1].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.classList.add('sortable');
      th.setAttribute('tabindex', '0');
      th.addEventListener('click', function () { sortBy(table, col, th); });
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(table, col, th); } });
    });
  });
  document.documentElement.setAttribute('data-ready', '1');
})();
`;
