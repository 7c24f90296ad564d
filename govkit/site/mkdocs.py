"""Run the real `mkdocs build --strict` on the staged Markdown into a staging folder.

mkdocs reads the project's own mkdocs.yml through a temporary config beside it that `INHERIT`s
it and sets `docs_dir` to the staged Markdown. mkdocs resolves relative paths (hooks,
theme.custom_dir, `!relative`) against the folder of the config it was given, so this one sits
in the same folder; `extra_css` and other site paths are relative to docs_dir and come along.

An untrusted build passes the configuration govkit wrote instead (sources/mkdocs_owned.py): it
goes into a private temporary folder, so nothing from the working tree's mkdocs.yml is read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from govkit.errors import InputError, Problem, SiteBuildFailed
from govkit.formatting import display_path
from govkit.output import manifest
from govkit.output.files import remove_file, temp_file, temporary_folder, write_file, write_text
from govkit.output.manifest import FILE, MANIFEST

CONFIG_PREFIX = ".govkit-mkdocs-"
CONFIG_MARK = ("# Temporary config of `govkit build --html` (INHERITs mkdocs.yml); "
               "govkit removes it.")
SHOWN = 5  # problems listed before "and N more"
# The `govkit` plugin (site/sanitize.py) creates this file: proof that it sanitized the pages.
STAMP_ENV = "GOVKIT_SANITIZER_STAMP"


def check_site(html_dir: Path) -> None:
    """Refuse an html_dir holding anything govkit did not write: it is replaced as a whole."""
    if not os.path.lexists(html_dir):
        return
    if not html_dir.is_dir():
        raise InputError.single(display_path(html_dir), "is not a folder",
                                hint="point html_dir at a folder govkit may replace")
    tree = manifest.scan(html_dir)
    owned = manifest.load(html_dir, tree)
    problems: list[Problem] = []
    hint = ("`build --html` replaces html_dir as a whole: move the file elsewhere, or delete "
            "html_dir and build again")
    for rel, (kind, *_) in sorted(tree.items()):
        if kind == manifest.DIR or rel == MANIFEST:
            continue
        recorded = owned.get(rel)
        if kind != FILE or recorded is None:
            why = "govkit did not write this file"
        elif manifest.digest((html_dir / rel).read_bytes()) != recorded:
            why = "changed since govkit wrote it"
        else:
            continue
        problems.append(Problem(display_path(html_dir / rel), None, "", why, hint))
    if len(problems) > SHOWN:
        more = len(problems) - SHOWN
        problems = [*problems[:SHOWN], Problem(display_path(html_dir), None, "",
                                               f"and {more} more such files", hint)]
    if problems:
        raise InputError(problems)


def remove_stale_configs(mkdocs_config: Path) -> None:
    """Temporary configs left beside mkdocs.yml by killed builds (recognised by their mark)."""
    for path in mkdocs_config.parent.glob(CONFIG_PREFIX + "*.yml"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(len(CONFIG_MARK)) == CONFIG_MARK.encode():
                    remove_file(path)


@contextmanager
def temp_config(mkdocs_config: Path, docs: Path) -> Iterator[Path]:
    """A temporary config beside `mkdocs_config` that INHERITs it with `docs` as docs_dir;
    removed on exit (a killed run's is removed by the next, recognised by its mark)."""
    remove_stale_configs(mkdocs_config)
    try:
        name = temp_file(mkdocs_config.parent, prefix=CONFIG_PREFIX, suffix=".yml")
    except OSError as exc:
        raise InputError.single(display_path(mkdocs_config.parent),
                                f"cannot write a temporary mkdocs config here: {exc.strerror}",
                                hint="govkit needs to write beside mkdocs.yml") from exc
    try:
        write_text(name, f"{CONFIG_MARK}\nINHERIT: {json.dumps(mkdocs_config.name)}\n"  # JSON
                   f"docs_dir: {json.dumps(str(docs))}\n")  # strings are YAML strings
        yield name
    finally:
        remove_file(name)


@contextmanager
def private_config(text: str, docs: Path) -> Iterator[Path]:
    """govkit's own configuration `text` in a private temporary folder, docs_dir set."""
    with temporary_folder("govkit-mkdocs-") as folder:
        name = folder / "mkdocs.yml"
        write_text(name, f"{text}docs_dir: {json.dumps(str(docs))}\n")
        yield name


def build_site(mkdocs_config: Path, docs: Path, site: Path, *, docs_dir: Path,
               owned: str | None = None) -> list[str]:
    """`mkdocs build --strict` of the Markdown in `docs` into the empty folder `site`, then
    record what it wrote. `docs_dir` is where that Markdown will live (for messages).
    `owned`: the configuration govkit wrote (an untrusted build); mkdocs_config is not read.
    Returns what the sanitizer removed (`FILE: removed …` lines of the stamp file)."""
    config = private_config(owned, docs) if owned is not None else temp_config(mkdocs_config, docs)
    with config as name:
        stamp = name.with_suffix(".sanitized")
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **{STAMP_ENV: str(stamp)})
        # -P: no module from the working directory (a PR's ./mkdocs/) shadows mkdocs
        cmd = [sys.executable, "-P", "-m", "mkdocs", "build", "--strict",
               "--config-file", str(name), "--site-dir", str(site)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
            sanitized = stamp.is_file()
            removed = stamp.read_text(encoding="utf-8").splitlines()[1:] if sanitized else []
        finally:
            remove_file(stamp)
    if proc.returncode != 0:
        output = (proc.stderr or proc.stdout).strip().replace(str(docs), str(docs_dir))
        raise SiteBuildFailed(
            f"mkdocs build --strict failed; nothing in {docs_dir} or the previous site "
            f"changed:\n{output}")
    if not sanitized:
        raise InputError.single(
            display_path(mkdocs_config), "the `govkit` plugin is not enabled, so generated "
            "pages would reach the site unsanitized; nothing was published",
            field="plugins", hint="add `- govkit` (and `- search`) under `plugins:`")
    tree = manifest.scan(site)
    digests = {rel: manifest.digest((site / rel).read_bytes())
               for rel, (kind, *_) in tree.items() if kind == FILE and rel != MANIFEST}
    write_file(site / MANIFEST, manifest.dump(digests))
    return removed
