"""Text drift: out-of-vocabulary rate of current tokens against the reference vocabulary."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

#: Tokenizer: lowercase, then maximal runs of Unicode word characters (letters, digits, _).
TOKEN_RE = re.compile(r"\w+")


def tokenize(text: str) -> list[str]:
    return TOKEN_RE.findall(text.lower())


def token_counts(texts: Iterable[str | None]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for t in texts:
        if t:
            counts.update(tokenize(t))
    return counts


def vocabulary(counts: Counter[str], max_size: int | None = None) -> list[str]:
    """Sorted vocabulary; with ``max_size`` only the most frequent tokens (ties by token)."""
    if max_size is None or len(counts) <= max_size:
        return sorted(counts)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:max_size]
    return sorted(t for t, _ in ranked)


def oov_counts(texts: Iterable[str | None], vocab: set[str]) -> tuple[int, int]:
    """(out-of-vocabulary token occurrences, all token occurrences) — mergeable by addition."""
    oov = total = 0
    for t in texts:
        if not t:
            continue
        toks = tokenize(t)
        total += len(toks)
        oov += sum(1 for tok in toks if tok not in vocab)
    return oov, total


def oov_rate(texts: Iterable[str | None], vocab: set[str]) -> float:
    oov, total = oov_counts(texts, vocab)
    return oov / total if total else 0.0
