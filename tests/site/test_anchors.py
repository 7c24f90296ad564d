"""Check ids as anchors (issue 24): a safe alphabet, always with a `/`, and the sanitizer keeps
an `id` only in that shape."""

from __future__ import annotations

from govkit.site.anchors import SAFE, anchor, row_anchor
from govkit.site.sanitize import sanitize


def test_a_check_id_is_its_anchor_in_a_safe_alphabet() -> None:
    ci = "churn/live/2024-02-01/segment/user-segment-new-users/auc_roc"
    assert anchor(ci) == ci
    assert anchor('m/1.0/"><script>') == "m/1.0/---script-"
    assert anchor("plain") == "check/plain"  # never a name a script could read as a global
    assert all(SAFE.fullmatch(anchor(x)) for x in ("a b/c", "../x", "é/ü", "/", ""))


def test_row_anchor_escapes_the_text_and_survives_the_sanitizer() -> None:
    html = str(row_anchor({"id": "m/v/<b>_x_"}))
    assert html == '<span class="gk-check" id="m/v/-b-_x_">m/v/&lt;b&gt;\\_x\\_</span>'
    kept = sanitize('<p><span class="gk-check" id="m/v/acc">m/v/acc</span></p>')
    assert 'id="m/v/acc"' in kept and 'class="gk-check"' in kept


def test_the_sanitizer_drops_any_other_span_id_and_keeps_heading_ids() -> None:
    for bad in ("search", "__md_scope", "x y/z", "a/b onclick=x", "/leading"):
        assert "id=" not in sanitize(f'<span id="{bad}">t</span>'), bad
    assert 'id="data-flow"' in sanitize('<h2 id="data-flow">Data flow</h2>')


def test_search_rows_are_sections_of_their_page() -> None:
    import json

    from govkit.site.search_rows import collect, with_rows

    html = ('<table><tr><td>FAIL</td><td>AUC-ROC<br><span class="gk-check" id="m/1/auc_roc">'
            'm/1/auc_roc</span></td><td>0.6</td></tr><tr><td>no id</td></tr></table>'
            '<p><span class="gk-check" id="bad">x</span></p>')
    rows = collect(html)
    assert rows == [("m/1/auc_roc", "AUC-ROC m/1/auc_roc", "FAIL AUC-ROC m/1/auc_roc 0.6")]
    index = json.dumps({"config": {}, "docs": [{"location": "a.html", "title": "A", "text": ""},
                                               {"location": "b.html", "title": "B", "text": ""}]})
    docs = json.loads(with_rows(index, {"a.html": rows}))["docs"]
    assert [d["location"] for d in docs] == ["a.html", "a.html#m/1/auc_roc", "b.html"]
    assert docs[1]["text"].endswith("m 1 auc_roc")  # the metric key alone finds it
