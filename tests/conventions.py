"""The project's conventions, each a function of a source tree that names what breaks it.

`violations_of_<rule>(root)` reads the files under `root` (with `ast`, never importing them) and
returns one line per violation, "path:line: what". tests/test_conventions.py asserts the project
breaks none, and that a copy of it with one planted violation is caught.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

NAVIGATION = "ui/navigation.py"
PAGE_GROUPS = ("PUBLIC_PAGES", "SIGN_IN", "MODERATION_PAGES")
SQL_CALLS = frozenset({"select", "insert", "update", "delete", "execute", "add", "commit", "flush"})
MAX_LINES = 330
# The two lifecycle doors: the only modules that write the status of a listing or a report.
STATUS_DOORS = ("services/listings/listing_lifecycle.py", "services/reports/report_lifecycle.py")
# Calls whose `status=` keyword writes a status: SQLAlchemy's values()/update(), the models
# themselves, and dict()/dict.update() building the values of a bulk statement.
STATUS_CALLS = frozenset({"values", "update", "Mentor", "Report", "dict"})
STATUS_SQL = (
    re.compile(r"\bUPDATE\b.*?\bSET\b(?:(?!\bWHERE\b).)*?\"?\bstatus\b\"?\s*=", re.I | re.S),
    re.compile(r"\bINSERT\s+INTO\s+\"?(mentors|reports)\b[^;]*?\bstatus\b", re.I | re.S),
)


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _files(root: Path, *patterns: str) -> list[Path]:
    return sorted({p for pattern in patterns for p in root.glob(pattern) if p.is_file()})


def _at(root: Path, path: Path, node: ast.AST | None = None) -> str:
    line = f":{getattr(node, 'lineno', 1)}" if node is not None else ""
    return f"{path.relative_to(root).as_posix()}{line}"


def _name(func: ast.expr) -> str:
    """The name a call is made by: `f` for f(...) and for x.f(...)."""
    return getattr(func, "id", None) or getattr(func, "attr", None) or ""


def _imports(tree: ast.Module) -> Iterator[tuple[ast.stmt, str]]:
    """Each absolute import, anywhere in the module, with the module it imports from."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node, node.module


def _package(module: str) -> str:
    return module.split(".")[0]


def violations_of_streamlit_outside_ui(root: Path) -> list[str]:
    """services/ and models/ never import Streamlit (so they run under pytest, a CLI, a benchmark)."""
    return [
        f"{_at(root, path, node)}: imports {module}"
        for path in _files(root, "services/**/*.py", "models/**/*.py")
        for node, module in _imports(_parse(path))
        if _package(module) == "streamlit"
    ]


def violations_of_data_access_in_pages(root: Path) -> list[str]:
    """Pages import neither `models` (in any form) nor SQLAlchemy, and make no SQL call."""
    found = []
    for path in _files(root, "pages/*.py"):
        tree = _parse(path)
        for node, module in _imports(tree):
            if _package(module) in ("models", "sqlalchemy"):
                found.append(f"{_at(root, path, node)}: imports {module}")
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            if _name(call.func) in SQL_CALLS:
                found.append(f"{_at(root, path, call)}: calls {_name(call.func)}()")
    return found


def declared_pages(root: Path) -> dict[str, list[str]]:
    """The page paths in ui/navigation.py's PUBLIC_PAGES, SIGN_IN and MODERATION_PAGES, read
    from its source: a PageSpec("pages/...", ...) call, a name bound to one, or a tuple of them."""
    bound: dict[str, list[str]] = {}
    for node in _parse(root / NAVIGATION).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and isinstance(value, ast.expr):
            bound[target.id] = _page_paths(value, bound)
    return {group: bound.get(group, []) for group in PAGE_GROUPS}


def _page_paths(node: ast.expr, bound: dict[str, list[str]]) -> list[str]:
    if isinstance(node, ast.Call) and _name(node.func) == "PageSpec" and node.args:
        first = node.args[0]
        return (
            [first.value]
            if isinstance(first, ast.Constant) and isinstance(first.value, str)
            else []
        )
    if isinstance(node, ast.Name):
        return bound.get(node.id, [])
    if isinstance(node, ast.Starred):
        return _page_paths(node.value, bound)
    if isinstance(node, ast.Tuple | ast.List):
        return [path for element in node.elts for path in _page_paths(element, bound)]
    return []


def violations_of_page_declarations(root: Path) -> list[str]:
    """Every file in pages/ is declared in ui/navigation.py, every declared page exists, and a
    pages/moderation*.py is declared in MODERATION_PAGES (a file there is served by its name)."""
    declared = declared_pages(root)
    everywhere = [path for paths in declared.values() for path in paths]
    found = [f"{NAVIGATION}: declares {path}, which does not exist"
             for path in everywhere if not (root / path).is_file()]  # fmt: skip
    found += [f"{NAVIGATION}: declares {path} more than once"
              for path in sorted(set(everywhere)) if everywhere.count(path) > 1]  # fmt: skip
    for path in _files(root, "pages/*.py"):
        page = _at(root, path)
        if page not in everywhere:
            found.append(f"{page}: not declared in {NAVIGATION}")
        if path.name.startswith("moderation") and page not in declared["MODERATION_PAGES"]:
            found.append(f"{page}: a moderation page outside MODERATION_PAGES")
    return found


def violations_of_console_gate(root: Path) -> list[str]:
    """Every page in MODERATION_PAGES calls ui.gate.require_moderator() before anything else:
    only the module docstring and imports come first."""
    found = []
    for page in declared_pages(root)["MODERATION_PAGES"]:
        path = root / page
        if path.is_file():
            found.extend(_gate_violations(root, path))
    return found


def _gate_violations(root: Path, path: Path) -> list[str]:
    tree = _parse(path)
    gate = _gate_call_name(tree)
    if gate is None:
        return [f"{_at(root, path)}: does not import require_moderator from ui.gate"]
    body = tree.body[1:] if ast.get_docstring(tree, clean=False) is not None else tree.body
    for statement in body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            continue
        call = getattr(statement, "value", None)
        if (
            isinstance(statement, ast.Expr | ast.Assign | ast.AnnAssign)
            and isinstance(call, ast.Call)
            and ast.unparse(call.func) == gate
        ):
            return []
        return [f"{_at(root, path, statement)}: `{ast.unparse(statement).splitlines()[0]}` "
                "comes before require_moderator()"]  # fmt: skip
    return [f"{_at(root, path)}: never calls ui.gate.require_moderator()"]


def _gate_call_name(tree: ast.Module) -> str | None:
    """How this page can call ui.gate.require_moderator, by its imports (None: it can't)."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "ui.gate" and not node.level:
            for alias in node.names:
                if alias.name == "require_moderator":
                    return alias.asname or alias.name
        if isinstance(node, ast.ImportFrom) and node.module == "ui" and not node.level:
            for alias in node.names:
                if alias.name == "gate":
                    return f"{alias.asname or alias.name}.require_moderator"
    return None


def _ui_files(root: Path) -> list[Path]:
    return _files(root, "pages/*.py", "ui/*.py", "dashboard.py")


def violations_of_raw_html(root: Path) -> list[str]:
    """Nothing renders raw HTML from data: no unsafe_allow_html, and html() only of constants."""
    found = []
    for path in _ui_files(root):
        tree = _parse(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "unsafe_allow_html":
                found.append(f"{_at(root, path, node.value)}: unsafe_allow_html")
            elif (
                isinstance(node, ast.Call)
                and _name(node.func) == "html"
                and not all(isinstance(a, ast.Constant) for a in node.args)
            ):
                found.append(f"{_at(root, path, node)}: html() of something not a constant")
    return found


def violations_of_file_size(root: Path) -> list[str]:
    """Files stay small: pages, ui, services, models, commands, the server and the frame."""
    paths = _files(root, "pages/*.py", "ui/*.py", "services/**/*.py", "models/**/*.py",
                   "commands/*.py", "server/*.py", "dashboard.py")  # fmt: skip
    return [
        f"{_at(root, path)}: {lines} lines (at most {MAX_LINES})"
        for path in paths
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]


def violations_of_stop_outside_a11y(root: Path) -> list[str]:
    """Pages and ui stop only through ui.a11y.stop(), so focus and field notes still reach the
    browser: no st.stop() anywhere else."""
    return [
        f"{_at(root, path, node)}: st.stop() (use a11y.stop())"
        for path in _ui_files(root)
        if path.name != "a11y.py"
        for node in ast.walk(_parse(path))
        if isinstance(node, ast.Call) and _name(node.func) == "stop"
        and getattr(getattr(node.func, "value", None), "id", "") == "st"
    ]  # fmt: skip


def status_checked_files(root: Path) -> list[Path]:
    """Where the status convention looks: services, commands, benchmarks and every migration
    after the first (0001 creates the tables)."""
    migrations = [p for p in _files(root, "migrations/versions/*.py")
                  if p.name[:4].isdigit() and not p.name.startswith("0001")]  # fmt: skip
    return [
        *_files(root, "services/**/*.py", "commands/**/*.py", "benchmarks/**/*.py"),
        *migrations,
    ]


def violations_of_status_writes(root: Path) -> list[str]:
    """Only the two lifecycle doors write `status` (of a listing or a report): nowhere else an
    assignment to `.status`, setattr(x, "status", ...), a `status=` keyword to values(), update(),
    dict(), Mentor() or Report(), a dict with a "status" key (a row or values), or SQL that sets it."""
    found: list[str] = []
    for path in status_checked_files(root):
        if _at(root, path) not in STATUS_DOORS:
            lines = sorted(set(_status_writes(_parse(path))))
            found.extend(f"{_at(root, path)}:{line}: {what}" for line, what in lines)
    return found


def _status_writes(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "status"
            and isinstance(node.ctx, ast.Store)
        ):
            yield node.lineno, "assigns .status"
        elif isinstance(node, ast.Call):
            name, args = _name(node.func), node.args
            if name in ("setattr", "__setattr__") and len(args) > 1 and _is_status(args[1]):
                yield node.lineno, f"{name}(..., 'status', ...)"
            elif name in STATUS_CALLS and any(k.arg == "status" for k in node.keywords):
                yield node.lineno, f"{name}(status=...)"
        elif isinstance(node, ast.Dict):
            keys = [k for k in node.keys if k is not None and _is_status(k)]
            yield from ((k.lineno, "a row or values with a 'status' key") for k in keys)
        elif isinstance(node, ast.Constant | ast.JoinedStr) and any(
            pattern.search(_text(node)) for pattern in STATUS_SQL
        ):
            yield node.lineno, "SQL that writes status"


def _is_status(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == "status"


def _text(node: ast.Constant | ast.JoinedStr) -> str:
    """A string literal's text; an f-string's with {} for what it interpolates."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else ""
    return "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)


RULES = {
    "streamlit_outside_ui": violations_of_streamlit_outside_ui,
    "data_access_in_pages": violations_of_data_access_in_pages,
    "page_declarations": violations_of_page_declarations,
    "console_gate": violations_of_console_gate,
    "raw_html": violations_of_raw_html,
    "file_size": violations_of_file_size,
    "stop_outside_a11y": violations_of_stop_outside_a11y,
    "status_writes": violations_of_status_writes,
}
