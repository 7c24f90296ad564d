"""MkDocs hook of the user guide: generates the Reference pages at build time.

Every field of every input file (from the pydantic models' JSON Schemas), every CLI command
and option (from the click definitions), every SARIF rule and every exit code. Nothing here
is written by hand, so the reference cannot drift from the code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

# (page, title, schema file, the file it describes); the schema files are govkit's own.
FILES: list[tuple[str, str, str, str]] = [
    ("config", "govkit.yaml", "govkit.schema.json", "`govkit.yaml`, the project configuration"),
    ("card", "card.yaml", "card.schema.json", "`models/<name>/card.yaml`, a model card"),
    ("release", "Release records", "release.schema.json",
     "`models/<name>/releases/<version>.yaml`, one released version"),
    ("alerts", "alerts.yaml", "alerts.schema.json",
     "`models/<name>/alerts.yaml`: alerts, runbooks and waivers of governance rules"),
    ("incidents", "incidents.yaml", "incidents.schema.json",
     "`models/<name>/incidents.yaml`, the incident history"),
    ("dictionary", "Data dictionaries", "dictionary.schema.json",
     "`datasets/<name>.yaml`, a dataset's data dictionary"),
    ("training", "training.yaml", "training.schema.json",
     "`models/<name>/training.yaml`, a training guide"),
    ("waivers", "waivers.yaml", "waivers.schema.json",
     "`waivers.yaml` beside govkit.yaml: waivers of document checks"),
    ("architecture", "Architectures", "architecture.schema.json",
     "`systems/<name>.yaml`, an ML system's architecture"),
    ("decision", "decision.yaml", "decision.schema.json",
     "`experiments/<name>/decision.yaml`, an experiment's decision record"),
]
CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
               "maxLength", "pattern", "minItems", "maxItems", "format", "minProperties")


def schemas() -> dict[str, dict[str, Any]]:
    from govkit.schemas.export import schema_files

    return {name: json.loads(data) for name, data in schema_files().items()}


def cell(text: object) -> str:
    """Markdown table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def code(text: object) -> str:
    s = str(text)
    tick = "``" if "`" in s else "`"
    pad = " " if "`" in s else ""
    return f"{tick}{pad}{s}{pad}{tick}"


def type_of(node: dict[str, Any]) -> str:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "const" in node:
        return code(json.dumps(node["const"]))
    if "enum" in node:
        return " | ".join(code(json.dumps(v)) for v in node["enum"])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            return " or ".join(type_of(n) for n in node[key])
    kind = node.get("type", "any")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        return f"list of {type_of(node.get('items', {}))}"
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        return f"mapping of name to {type_of(node['additionalProperties'])}"
    return str(kind)


FLOAT_MAX = 1.7976931348623157e308  # the bounds of a finite number (govkit.schemas.common)


def constraints(node: dict[str, Any]) -> str:
    parts = []
    for sub in [node, *node.get("anyOf", []), *node.get("oneOf", [])]:
        for k in CONSTRAINTS:
            finite_bound = k in ("minimum", "maximum") and abs(sub.get(k, 0)) == FLOAT_MAX
            if k in sub and not finite_bound:
                parts.append(f"{k}: {code(sub[k])}")
        if sub.get("not", {}).get("minimum") == FLOAT_MAX:  # the NaN guard of a finite number
            parts.append("finite (no NaN or infinity)")
    return ", ".join(parts)


def fields_table(obj: dict[str, Any]) -> list[str]:
    props = obj.get("properties", {})
    if not props:
        return ["(no fields)", ""]
    required = set(obj.get("required", []))
    rows = ["| field | type | default | constraints | description |", "|---|---|---|---|---|"]
    for name, node in props.items():
        default = "required" if name in required else (
            code(json.dumps(node["default"])) if "default" in node else "")
        rows.append(f"| {code(name)} | {cell(type_of(node))} | {cell(default)} | "
                    f"{cell(constraints(node))} | {cell(node.get('description', ''))} |")
    return [*rows, ""]


def _only_govkit(node: dict[str, Any]) -> list[str]:
    """A rule JSON Schema cannot state (the schema's `$comment`): editors miss it, govkit
    refuses a file that breaks it."""
    comment = str(node.get("$comment", ""))
    prefix = "checked by govkit, not by this schema: "
    if not comment.startswith(prefix):
        return []
    return [f"Checked by govkit only (editors and check-jsonschema cannot): "
            f"{cell(comment.removeprefix(prefix))}.", ""]


def schema_page(title: str, schema_name: str, what: str, schema: dict[str, Any]) -> str:
    out = [f"# {title}", "", f"Fields of {what}. Generated from govkit's pydantic models "
           f"(the JSON Schema `govkit schema` writes as `{schema_name}`; add "
           f"`# yaml-language-server: $schema=...` to a file for editor completion).", ""]
    if schema.get("description"):
        out += [cell(schema["description"]), ""]
    out += ["## Top level", "", *_only_govkit(schema), *fields_table(schema)]
    for name, node in sorted(schema.get("$defs", {}).items()):
        out += [f"## {name}", ""]
        if node.get("description"):
            out += [cell(node["description"]), ""]
        out += _only_govkit(node)
        if "enum" in node:
            out += ["One of " + ", ".join(code(json.dumps(v)) for v in node["enum"]) + ".", ""]
        else:
            out += fields_table(node)
    return "\n".join(out)


def undescribed() -> list[str]:
    """Every field of an input file's schema without a description ('schema: Model.field')."""
    missing = []
    for _page, _title, schema_name, _what in FILES:
        schema = schemas()[schema_name]
        objects = [("(top)", schema), *schema.get("$defs", {}).items()]
        for model, node in objects:
            for field, prop in node.get("properties", {}).items():
                if not prop.get("description"):
                    missing.append(f"{schema_name}: {model}.{field}")
    return sorted(set(missing))


def _param_row(param: click.Parameter) -> str:
    names = ", ".join(code(o) for o in [*param.opts, *param.secondary_opts])
    if isinstance(param, click.Argument):
        names = code(param.human_readable_name)
    kind = param.type.name if not getattr(param, "is_flag", False) else "flag"
    if isinstance(param.type, click.Choice):
        kind = " | ".join(code(c) for c in param.type.choices)
    if param.multiple:
        kind += " (repeatable)"
    default = param.default
    plain = isinstance(default, str | int | float | Path) and not isinstance(default, bool)
    shown = code(default) if plain and default != "" else ""
    if param.required:
        shown = "required"
    help_text = getattr(param, "help", "") or ""
    return f"| {names} | {cell(kind)} | {cell(shown)} | {cell(help_text)} |"


def cli_page() -> str:
    from govkit.cli import cli

    ctx = click.Context(cli, info_name="govkit")
    out = ["# Command line", "", "Generated from govkit's click definitions.", "",
           "```", cli.get_usage(ctx), "```", "", cell(cli.help or ""), "",
           "## Global options", "", "| option | type | default | description |",
           "|---|---|---|---|"]
    out += [_param_row(p) for p in cli.params] + [""]
    for name in sorted(cli.commands):
        command = cli.commands[name]
        sub = click.Context(command, info_name=f"govkit {name}", parent=None)
        out += [f"## govkit {name}", "", "```", command.get_usage(sub), "```", "",
                (command.help or "").strip(), ""]
        params = [p for p in command.params if p.name != "help"]
        if params:
            out += ["| option | type | default | description |", "|---|---|---|---|"]
            out += [_param_row(p) for p in params] + [""]
    return "\n".join(out)


def sarif_page() -> str:
    from govkit.reports.sarif import RULES

    out = ["# SARIF rules", "", "`govkit check --sarif FILE` writes SARIF 2.1.0 with one rule per "
           "kind of finding; rule ids never change once published. Generated from "
           "`govkit/reports/sarif.py`.", "",
           "| rule | name | check status | what it means | how to fix it |",
           "|---|---|---|---|---|"]
    for status, (rule_id, name, text, fix) in sorted(RULES.items(), key=lambda kv: kv[1][0]):
        out.append(f"| {rule_id} | {code(name)} | {code(status)} | {cell(text)} | {cell(fix)} |")
    return "\n".join([*out, ""])


EXIT_MEANING = {
    "EXIT_OK": "everything passed (with `check --strict`: no warning either)",
    "EXIT_CHECK_FAILED": "a documented check failed (`check`, `check --release`), `ingest` or "
                         "`ingest-experiment` kept a changed record, or a `diff --fail-on` "
                         "condition was met",
    "EXIT_INPUT": "bad input or usage: every problem as `FILE:LINE: field: message (fix)`, "
                  "nothing written",
    "EXIT_INTERNAL": "an internal error in govkit (a bug: please report it; `govkit --debug` "
                     "shows the traceback)",
}


def exit_codes_page() -> str:
    from govkit import errors

    out = ["# Exit codes", "", "Generated from `govkit/errors.py`; the same for every command.",
           "", "| code | constant | meaning |", "|---|---|---|"]
    codes = sorted((getattr(errors, n), n) for n in dir(errors) if n.startswith("EXIT_"))
    for value, name in codes:
        out.append(f"| {value} | {code(name)} | {cell(EXIT_MEANING[name])} |")
    return "\n".join([*out, ""])


def pages() -> dict[str, str]:
    """Reference pages by path below the docs folder."""
    all_schemas = schemas()
    out = {f"reference/{page}.md": schema_page(title, name, what, all_schemas[name])
           for page, title, name, what in FILES}
    out["reference/cli.md"] = cli_page()
    out["reference/sarif.md"] = sarif_page()
    out["reference/exit-codes.md"] = exit_codes_page()
    return out


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    for path, text in pages().items():
        files.append(File.generated(config, path, content=text))
    return files
