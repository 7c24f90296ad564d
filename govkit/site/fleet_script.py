"""The dashboard's filters and sorting: govkit's own small script, served as a file of the site
(the Content-Security-Policy allows scripts from the site itself, never inline ones).

Without it the full table is in the page; with it, the reader filters rows by status, owner
and tag and sorts by any column, in the browser, with no server.
"""

from __future__ import annotations

from typing import Any

SCRIPT_PATH = "assets/javascripts/govkit-fleet.js"
MARKER = "gk-fleet"  # the class of the empty span before the dashboard table
SCRIPT = """\
/* govkit: filter and sort the fleet dashboard (the table after span.gk-fleet). */
(function () {
  "use strict";
  function text(cell) { return (cell ? cell.textContent : "").trim(); }
  var ORDER = ["fail", "warn", "none", "pass"];
  function status(el) {  /* the worst status shown in a row, or in a cell */
    for (var i = 0; i < ORDER.length; i++) {
      if (el.querySelector(".gk-" + ORDER[i])) return ORDER[i];
    }
    return "none";
  }
  function select(label, values) {
    var wrap = document.createElement("label");
    wrap.textContent = label + " ";
    var box = document.createElement("select");
    ["all"].concat(values).forEach(function (v) {
      var o = document.createElement("option");
      o.value = o.textContent = v;
      box.appendChild(o);
    });
    wrap.appendChild(box);
    return [wrap, box];
  }
  function setup(marker) {
    var table = marker.closest("p, div");
    while (table && table.tagName !== "TABLE") {
      table = table.nextElementSibling;
      if (table && table.querySelector && table.tagName !== "TABLE") {
        var inner = table.querySelector("table");
        if (inner) { table = inner; break; }
      }
    }
    if (!table) return;
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), text);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var owner = heads.findIndex(function (h) { return h.indexOf("Owner") === 0; });
    var data = rows.map(function (row) {
      var cell = row.cells[owner];
      return {row: row, status: status(row),
              owner: cell ? cell.firstChild.textContent.split(",")[0].trim() : "",
              tags: Array.prototype.map.call(
                row.querySelectorAll('a[href^="tags/"]'), text)};
    });
    function unique(key) {
      var seen = {};
      data.forEach(function (d) {
        [].concat(d[key]).forEach(function (v) { if (v) seen[v] = 1; });
      });
      return Object.keys(seen).sort();
    }
    var bar = document.createElement("div");
    bar.className = "gk-fleet-filters";
    var s = select("Status", ORDER);
    var o = select("Owner", unique("owner"));
    var t = select("Tag", unique("tags"));
    var count = document.createElement("span");
    count.setAttribute("role", "status");
    [s[0], o[0], t[0], count].forEach(function (el) { bar.appendChild(el); });
    table.parentNode.insertBefore(bar, table);
    function apply() {
      var shown = 0;
      data.forEach(function (d) {
        var ok = (s[1].value === "all" || d.status === s[1].value) &&
                 (o[1].value === "all" || d.owner === o[1].value) &&
                 (t[1].value === "all" || d.tags.indexOf(t[1].value) >= 0);
        d.row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown + " of " + data.length + " models shown";
    }
    [s[1], o[1], t[1]].forEach(function (b) { b.addEventListener("change", apply); });
    Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (th, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "gk-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var up = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (h) {
          h.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var key = i < 3 ? function (d) { return ORDER.indexOf(status(d.row.cells[i])); }
          : function (d) { return text(d.row.cells[i]).toLowerCase(); };
        data.slice().sort(function (a, b) {
          var x = key(a), y = key(b);
          return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
        }).forEach(function (d) { body.appendChild(d.row); });
      });
    });
    apply();
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("span." + "gk-fleet"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
"""


def configure(config: Any) -> None:
    """The script on every page (it acts only where the dashboard's marker is)."""
    scripts = list(config.extra_javascript)
    if SCRIPT_PATH not in [str(s) for s in scripts]:
        scripts.append(SCRIPT_PATH)
    config.extra_javascript = scripts


def add_script(files: Any, config: Any) -> None:
    from mkdocs.structure.files import File

    files.append(File.generated(config, SCRIPT_PATH, content=SCRIPT))
