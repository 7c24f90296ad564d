"""The only code that writes generated files: atomic, change-only, all or nothing.

The generated Markdown tree changes as a whole: `plan_tree` decides (reading only), `stage_tree`
builds the next docs folder beside the current one (hand-written entries hard-linked, untouched),
and a `Scratch` swaps it in. govkit overwrites or deletes only files whose bytes it wrote.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from govkit.errors import InputError, Problem
from govkit.formatting import display_path
from govkit.output import manifest
from govkit.output.manifest import DIR, FILE, LINK, MANIFEST, Tree
from govkit.output.staging import Scratch, locked


@dataclass
class WriteReport:
    """What writing a tree did, file by file."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # no longer generated, but changed by hand
    sanitized: list[str] = field(default_factory=list)  # `FILE: removed …`, from the plugin


@dataclass
class TreePlan:
    """A tree about to be written: its files, what the folder held, the manifest."""

    root: Path
    files: dict[str, bytes]
    tree: Tree  # what `root` held when planned
    report: WriteReport
    manifest: bytes
    changed: bool


def atomic_write(path: Path, data: bytes, *, make_parent: bool = True) -> None:
    """Write to a temporary sibling, then rename over `path`: readers never see half a file."""
    if make_parent:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` to `path` atomically unless it already holds exactly these bytes.

    The one write every command uses; returns whether the file was written."""
    try:
        if path.read_bytes() == data:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    atomic_write(path, data)
    return True


def write_tree(root: Path, files: dict[str, bytes]) -> WriteReport:
    """Make `root` hold `files` (plus whatever hand-written entries it holds), all at once."""
    with locked(root.parent), Scratch(root) as scratch:
        plan = plan_tree(root, files)
        staged = stage_tree(plan, scratch)
        if staged is not None:
            check_unchanged(plan)
            scratch.commit(staged)
    return plan.report


def _check_rel(rel: str) -> None:
    """Refuse absolute paths and `..` (string checks: no file system calls)."""
    parts = rel.split("/")
    if rel.startswith("/") or "\\" in rel or any(p in ("", ".", "..") for p in parts):
        raise InputError.single(rel, "generated path escapes the docs folder",
                                hint="use a model name without '/' or '..'")


def _blocked(rel: str, tree: Tree) -> tuple[str, str, str] | None:
    """(where, why, fix) if govkit may not put a page at `rel`: a symlink or a non-folder on
    the way, or something other than a plain file at `rel` itself."""
    parts = rel.split("/")
    for depth in range(1, len(parts) + 1):
        here = "/".join(parts[:depth])
        kind = tree.get(here, (DIR,))[0]
        if kind == LINK:
            return (here, "is a symlink; govkit never writes through a symlink",
                    "remove the symlink: govkit writes its pages into real folders")
        if depth < len(parts) and kind != DIR:
            return here, "is a file where govkit needs a folder", "move the file elsewhere"
    if tree.get(rel, (FILE,))[0] != FILE:
        return rel, "is not a plain file; govkit writes a page here", "move it elsewhere"
    return None


def plan_tree(root: Path, files: dict[str, bytes]) -> TreePlan:
    """Decide what changes (nothing is written); refuse anything govkit does not own."""
    for rel in files:
        _check_rel(rel)
    if os.path.lexists(root) and (root.is_symlink() or not root.is_dir()):
        raise InputError.single(display_path(root), "is not a folder",
                                hint="point docs_dir at a folder")
    tree = manifest.scan(root)
    previous = manifest.load(root, tree)
    report = WriteReport()
    problems: list[Problem] = []
    hint = "move the hand-written file elsewhere, or delete it to let govkit regenerate it"
    for rel in sorted(files):
        blocked = _blocked(rel, tree)
        if blocked:
            where, why, fix = blocked
            problems.append(Problem(display_path(root / where), None, "", why, fix))
        elif rel not in tree:
            report.written.append(rel)
        else:
            data = (root / rel).read_bytes()
            if data == files[rel]:
                report.unchanged.append(rel)
            elif (rel in previous and (previous[rel] is None
                                       or manifest.digest(data) == previous[rel])) \
                    or manifest.GENERATED_MARK in data[:512]:
                report.written.append(rel)
            else:
                problems.append(Problem(display_path(root / rel), None, "",
                                        "refusing to overwrite a file govkit did not generate",
                                        hint))
    if problems:
        raise InputError(problems)
    for rel in sorted(set(previous) - set(files)):
        if tree.get(rel, ("",))[0] == FILE:  # (a scan never enters a symlink)
            owned = manifest.still_govkits((root / rel).read_bytes(), previous[rel])
            (report.deleted if owned else report.kept).append(rel)
    new_manifest = manifest.dump({rel: manifest.digest(data) for rel, data in files.items()})
    old_manifest = (root / MANIFEST).read_bytes() if tree.get(MANIFEST, ("",))[0] == FILE else b""
    changed = bool(report.written or report.deleted) or new_manifest != old_manifest
    return TreePlan(root, files, tree, report, new_manifest, changed)


def stage_tree(plan: TreePlan, scratch: Scratch) -> Path | None:
    """The next docs folder, built beside the current one; None when nothing changes."""
    if not plan.changed:
        return None
    staged = scratch.new_folder()
    root, tree = plan.root, plan.tree
    dropped = set(plan.files) | set(plan.report.deleted) | {MANIFEST}
    carried = [rel for rel, (kind, *_) in tree.items() if kind != DIR and rel not in dropped]
    parents = {rel.rpartition("/")[0] for rel in tree}
    folders = {rel for rel, (kind, *_) in tree.items() if kind == DIR and rel not in parents}
    for rel in [*carried, *plan.files]:  # every folder that still holds something
        head = rel.rpartition("/")[0]
        while head and head not in folders:
            folders.add(head)
            head = head.rpartition("/")[0]
    for rel in sorted(folders):
        (staged / rel).mkdir()
    for rel in [*carried, *plan.report.unchanged]:
        _carry(root / rel, staged / rel, tree[rel][0])
    for rel in plan.report.written:
        with open(staged / rel, "wb") as handle:
            handle.write(plan.files[rel])
    with open(staged / MANIFEST, "wb") as handle:
        handle.write(plan.manifest)
    for rel in sorted(folders, reverse=True):  # last: a read-only folder stays read-only
        if tree.get(rel, ("",))[0] == DIR:
            shutil.copymode(root / rel, staged / rel)
    return staged


def _carry(src: Path, dst: Path, kind: str) -> None:
    """Take an entry over untouched: a hard link (same bytes, mode and mtime), a symlink as is."""
    if kind == LINK:
        os.symlink(os.readlink(src), dst)
        return
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        if kind != FILE:
            raise InputError.single(display_path(src), "cannot be carried over (special file)",
                                    hint="move it out of docs_dir") from None
        shutil.copy2(src, dst, follow_symlinks=False)


def check_unchanged(plan: TreePlan) -> None:
    """Refuse to swap if someone changed docs_dir while govkit was building its next state."""
    if manifest.scan(plan.root) != plan.tree:
        raise InputError.single(display_path(plan.root),
                                "changed while govkit was building; nothing was replaced",
                                hint="run govkit build again")


def mirror(source: Path, target: Path) -> int:
    """Make `target` (a folder govkit created, e.g. `govkit serve`'s preview) hold the files
    of `source`, file by file in place, so a watcher on `target` sees each change; returns how
    many files were written or deleted."""
    changed = 0
    wanted = {p.relative_to(source): p for p in source.rglob("*")
              if p.is_file() and not p.is_symlink()}
    for rel, path in sorted(wanted.items()):
        changed += write_if_changed(target / rel, path.read_bytes())
    for path in sorted(target.rglob("*"), reverse=True):
        rel = path.relative_to(target)
        if path.is_file() and rel not in wanted:
            path.unlink()
            changed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed
