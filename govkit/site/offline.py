"""The built site works from file://: links name pages, not folders, and search needs no server.

Browsers refuse `fetch` and Web Workers on file:// pages. Material then reads its search index
from `search/search_index.js` (written here after the build, as Material's own `offline` plugin
does) and starts its search worker with `new Worker(...)`, which the shim below replaces by a
hidden iframe running the same script. Material's plugin loads its shim from unpkg.com; this
one ships inside the site, so nothing is fetched from another host. Over http(s) it does nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from govkit.output.files import write_text

SHIM_PATH = "assets/javascripts/govkit-file-worker.js"
SHIM = """\
/* govkit: Material's search worker on file:// pages, where browsers refuse Web Workers. */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  function FileWorker(url) {
    var self = this, listeners = [], queue = [], ready = false;
    var frame = document.createElement("iframe");
    frame.hidden = true;
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    (document.body || document.documentElement).appendChild(frame);
    var scope = frame.contentWindow;
    function deliver(data) {
      var event = new MessageEvent("message", {data: data});
      if (typeof self.onmessage === "function") self.onmessage(event);
      listeners.slice().forEach(function (listener) { listener.call(self, event); });
    }
    function send(data) {
      scope.dispatchEvent(new scope.MessageEvent("message", {data: data}));
    }
    scope.postMessage = function (data) { setTimeout(function () { deliver(data); }, 0); };
    scope.importScripts = function () {
      throw new Error("govkit: importScripts is not available in file:// search");
    };
    this.onmessage = null;
    this.postMessage = function (data) {
      if (ready) setTimeout(function () { send(data); }, 0); else queue.push(data);
    };
    this.addEventListener = function (type, listener) {
      if (type === "message" && listeners.indexOf(listener) < 0) listeners.push(listener);
    };
    this.removeEventListener = function (type, listener) {
      listeners = listeners.filter(function (l) { return l !== listener; });
    };
    this.terminate = function () { frame.remove(); };
    var script = scope.document.createElement("script");
    script.src = new URL(url, location.href).href;
    script.onload = function () { ready = true; queue.splice(0).forEach(send); };
    scope.document.head.appendChild(script);
  }
  window.Worker = FileWorker;
})();
"""


def configure(config: Any) -> None:
    """Page links as `page.html` and the worker shim in the page head (before Material's
    bundle creates the worker)."""
    config.use_directory_urls = False
    polyfills = list(config.extra.get("polyfills", []))
    if SHIM_PATH not in polyfills:
        polyfills.append(SHIM_PATH)
    config.extra["polyfills"] = polyfills


def add_shim(files: Any, config: Any) -> None:
    from mkdocs.structure.files import File

    files.append(File.generated(config, SHIM_PATH, content=SHIM))


def write_search_index(site_dir: str) -> None:
    """`search/search_index.js`: the index as a script, which file:// pages may load."""
    index = Path(site_dir) / "search" / "search_index.json"
    if index.is_file():
        text = index.read_text(encoding="utf-8")
        write_text(index.parent / "search_index.js", "var __index = " + text)
