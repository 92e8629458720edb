"""The Python snippets of the docs run as written, each in a fresh directory."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOCS = (ROOT / "bindings" / "python" / "README.md", ROOT / "docs" / "INSTALL.md")
SNIPPETS = [
    pytest.param(code, id=f"{doc.name}-{i}")
    for doc in DOCS
    for i, code in enumerate(re.findall(r"^```python\n(.*?)^```$", doc.read_text(), re.M | re.S), 1)
]


def test_the_docs_have_python_snippets():
    assert {p.id.rsplit("-", 1)[0] for p in SNIPPETS} == {doc.name for doc in DOCS}


@pytest.mark.parametrize("code", SNIPPETS)
def test_snippet_runs(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "<snippet>", "exec"), {"__name__": "__snippet__"})
    assert (tmp_path / "app.db").exists()
