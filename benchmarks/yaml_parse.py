"""govkit's safe, line-aware, budgeted YAML/JSON reading against plain libyaml / json loading.

Times are CPU seconds of this process (best of N), so a busy machine skews them less.

For the example's release, card and monitoring result, a generated ~4.5 MB release (long
metric histories) and a billion-laughs bomb, times in one run (best of N):

  baseline  yaml.load(text, yaml.CSafeLoader), or json.loads for JSON: no lines, no budget;
  govkit    govkit.sources.yamlio.parse_yaml / parse_json: lines of every value, duplicate
            and non-text keys, merge keys, the alias/node/depth budget;

and prints the ratio. The bomb has no baseline: libyaml builds it (shared references) and
whatever walks the result does not finish. Not part of the test suite.

    .venv/bin/python benchmarks/yaml_parse.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from govkit.errors import InputError  # noqa: E402
from govkit.sources.yamlio import parse_json, parse_yaml  # noqa: E402


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def big_release(seed: int = 1) -> str:
    rng = random.Random(seed)
    history = {f"m{i}": {"steps": list(range(15_000)),  # a list each: no YAML aliases
                         "values": [round(rng.random(), 6) for _ in range(15_000)]}
               for i in range(10)}
    return yaml.safe_dump({"version": "1.0.0", "date": "2024-01-15", "training": {
        "source": "csv-log", "metric_history": history}}, default_flow_style=False)


def bomb(levels: int = 9) -> str:
    lines = ["l0: &l0 [a, a, a, a, a, a, a, a, a]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def refuse(text: str) -> None:
    try:
        parse_yaml(text, "bomb.yaml")
    except InputError:
        return
    raise AssertionError("the bomb was accepted")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    examples = REPO / "examples/churn"
    yaml_inputs = {
        "release 2.3.0": (examples / "releases/2.3.0.yaml").read_text(),
        "card": (examples / "card.yaml").read_text(),
    }
    window = (examples / "monitoring/2024-02-01.json").read_text()
    big = big_release()
    print(f"{'input':<26}{'size':>10}{'baseline':>12}{'govkit':>12}{'ratio':>8}")
    rows: list[tuple[str, str, float, float]] = []
    for name, text in yaml_inputs.items():
        rows.append((name, text, best(lambda t=text: yaml.load(t, yaml.CSafeLoader), args.repeat),
                     best(lambda t=text: parse_yaml(t, "x.yaml"), args.repeat)))
    rows.append(("monitoring result (JSON)", window, best(lambda: json.loads(window), args.repeat),
                 best(lambda: parse_json(window, "x.json"), args.repeat)))
    big_repeat = max(1, args.repeat // 3)
    rows.append(("generated release", big, best(lambda: yaml.load(big, yaml.CSafeLoader),
                                                  big_repeat),
                 best(lambda: parse_yaml(big, "big.yaml"), big_repeat)))
    for name, text, base, ours in rows:
        print(f"{name:<26}{len(text):>10,}{base * 1e3:>10.2f}ms{ours * 1e3:>10.2f}ms"
              f"{ours / base:>7.1f}x")
    text = bomb()
    print(f"{'bomb, 9 levels (refused)':<26}{len(text):>10,}{'-':>12}"
          f"{best(lambda: refuse(text), args.repeat) * 1e3:>10.2f}ms")


if __name__ == "__main__":
    main()
