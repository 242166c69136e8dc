"""The project's own rules, checked by reading the code (like Datasette's tests/test_docs.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from models.db import PROJECT_ROOT
from ui.navigation import MODERATION_PAGES as GATED

PAGES = sorted((PROJECT_ROOT / "pages").glob("*.py"))
MODERATION_PAGES = [PROJECT_ROOT / spec.path for spec in GATED]
DOMAIN = sorted(
    [*(PROJECT_ROOT / "services").rglob("*.py"), *(PROJECT_ROOT / "models").glob("*.py")]
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: p.name)
def test_services_and_models_never_import_streamlit(path: Path) -> None:
    assert not {m for m in imported_modules(path) if m.split(".")[0] == "streamlit"}


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_hold_no_sql(path: Path) -> None:
    modules = imported_modules(path)
    assert not {
        m for m in modules if m.split(".")[0] == "sqlalchemy" or m.startswith("models.")
    } - {"models.base", "services.core.vocabulary"}
    for call in [
        n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)
    ]:
        name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
        assert name not in (
            "select",
            "insert",
            "update",
            "delete",
            "execute",
            "add",
            "commit",
            "flush",
        )


@pytest.mark.parametrize("path", MODERATION_PAGES, ids=lambda p: p.name)
def test_moderation_pages_gate_themselves_before_anything_else(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    statements = [n for n in tree.body if not isinstance(n, ast.Import | ast.ImportFrom | ast.Expr)]
    first = statements[0]
    assert isinstance(first, ast.Assign)
    assert (
        isinstance(first.value, ast.Call)
        and getattr(first.value.func, "id", "") == "require_moderator"
    )


@pytest.mark.parametrize(
    "path", [*PAGES, *sorted((PROJECT_ROOT / "ui").glob("*.py"))], ids=lambda p: p.name
)
def test_no_raw_html_is_ever_rendered_from_data(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert "unsafe_allow_html" not in source
    for call in [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]:
        if getattr(call.func, "attr", "") == "html":  # st.html only ever with a constant string
            assert all(isinstance(arg, ast.Constant) for arg in call.args)


@pytest.mark.parametrize("path", [*DOMAIN, *PAGES], ids=lambda p: p.name)
def test_files_stay_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 330


@pytest.mark.parametrize("path", [*PAGES, *sorted((PROJECT_ROOT / "ui").glob("*.py"))], ids=lambda p: p.name)
def test_pages_stop_through_a11y_so_focus_and_field_descriptions_still_reach_the_browser(
    path: Path,
) -> None:
    calls = [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)]
    stops = [c for c in calls if getattr(c.func, "attr", "") == "stop" and getattr(c.func.value, "id", "") == "st"]
    assert not stops or path.name == "a11y.py"
