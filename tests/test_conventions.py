"""The project's own rules, checked by reading the code (like Datasette's tests/test_docs.py).

Each rule is a function in tests/conventions.py. The project breaks none of them; and each is
shown to catch what it claims: a copy of the project with one violation planted fails it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from itertools import cycle
from pathlib import Path

import pytest

from models.db import PROJECT_ROOT
from tests import conventions as c
from ui import navigation

Rule = Callable[[Path], list[str]]
COPIED = ("pages", "ui", "services", "models", "commands", "benchmarks", "migrations",
          "dashboard.py")  # fmt: skip
GATE = "moderator = require_moderator()"


@pytest.mark.parametrize("rule", [pytest.param(rule, id=name) for name, rule in c.RULES.items()])
def test_the_project_keeps_its_conventions(rule: Rule) -> None:
    assert rule(PROJECT_ROOT) == []


def test_the_navigation_is_read_from_its_source_as_the_app_declares_it() -> None:
    assert c.declared_pages(PROJECT_ROOT) == {
        "PUBLIC_PAGES": [spec.path for spec in navigation.PUBLIC_PAGES],
        "SIGN_IN": [navigation.SIGN_IN.path],
        "MODERATION_PAGES": [spec.path for spec in navigation.MODERATION_PAGES],
    }


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The project's sources, copied: a tree to plant violations in."""
    for name in COPIED:
        source = PROJECT_ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "results")
            shutil.copytree(source, tmp_path / name, ignore=ignore)
        else:
            shutil.copy2(source, tmp_path / name)
    return tmp_path


def plant(root: Path, path: str, text: str, *, before: str | None = None) -> None:
    """Add `text` to a file: at its end, or just before the first `before`."""
    target = root / path
    source = target.read_text(encoding="utf-8") if target.exists() else ""
    if before is None:
        target.write_text(source + text, encoding="utf-8")
    else:
        assert before in source
        target.write_text(source.replace(before, text + before, 1), encoding="utf-8")


def swap(root: Path, path: str, old: str, new: str) -> None:
    target = root / path
    assert old in (source := target.read_text(encoding="utf-8"))
    target.write_text(source.replace(old, new, 1), encoding="utf-8")


def caught(rule: Rule, root: Path, where: str) -> list[str]:
    """The violations `rule` names at `where` ("path" or "path:line")."""
    return [v for v in rule(root) if v.startswith(f"{where}:")]


@pytest.mark.parametrize("rule", c.RULES.values(), ids=c.RULES.keys())
def test_an_unmodified_copy_keeps_every_convention(copy: Path, rule: Rule) -> None:
    assert rule(copy) == []


@pytest.mark.parametrize(
    ("path", "line"),
    [("services/core/text.py", "import streamlit as st\n"),
     ("services/trends/measure.py", "from streamlit.runtime import exists\n"),
     ("models/mentor.py", "def f() -> None:\n    from streamlit import cache_data\n")],
)  # fmt: skip
def test_streamlit_imported_in_services_or_models_is_caught(
    copy: Path, path: str, line: str
) -> None:
    plant(copy, path, line)
    assert caught(c.violations_of_streamlit_outside_ui, copy, path)


@pytest.mark.parametrize(
    "line",
    ["import models\n", "import models.mentor\n", "from models import Mentor\n",
     "from models.base import utcnow\n", "import sqlalchemy as sa\n", "from sqlalchemy.orm import Session\n",
     "session.execute(query)\n", "session.commit()\n", "rows = select(Mentor)\n"],
)  # fmt: skip
def test_models_sqlalchemy_or_sql_in_a_page_is_caught(copy: Path, line: str) -> None:
    plant(copy, "pages/code_of_conduct.py", line)
    assert caught(c.violations_of_data_access_in_pages, copy, "pages/code_of_conduct.py")


def test_an_undeclared_moderation_page_is_caught(copy: Path) -> None:
    plant(copy, "pages/moderation_secret.py", "import streamlit as st\n\nst.dataframe(x)\n")
    assert c.violations_of_page_declarations(copy) == [
        "pages/moderation_secret.py: not declared in ui/navigation.py",
        "pages/moderation_secret.py: a moderation page outside MODERATION_PAGES",
    ]


def test_a_moderation_page_declared_as_public_is_caught(copy: Path) -> None:
    plant(copy, "pages/moderation_secret.py", "import streamlit as st\n")
    swap(copy, c.NAVIGATION, "PUBLIC_PAGES = (\n",
         'PUBLIC_PAGES = (\n    PageSpec("pages/moderation_secret.py", "Secret", "secret"),\n')  # fmt: skip
    assert c.violations_of_page_declarations(copy) == [
        "pages/moderation_secret.py: a moderation page outside MODERATION_PAGES"
    ]


def test_a_page_left_out_of_the_navigation_and_a_declared_page_missing_are_caught(
    copy: Path,
) -> None:
    swap(copy, c.NAVIGATION, '"pages/code_of_conduct.py"', '"pages/conduct.py"')
    assert c.violations_of_page_declarations(copy) == [
        "ui/navigation.py: declares pages/conduct.py, which does not exist",
        "pages/code_of_conduct.py: not declared in ui/navigation.py",
    ]


@pytest.mark.parametrize("page", [spec.path for spec in navigation.MODERATION_PAGES])
@pytest.mark.parametrize(
    "line",
    ["st.dataframe(x)\n", "x = 1\n", "def shown() -> None:\n    pass\n", '"""a string"""\n',
     "if True:\n    pass\n", "with st.spinner():\n    pass\n"],
)  # fmt: skip
def test_anything_before_the_gate_of_a_console_page_is_caught(
    copy: Path, page: str, line: str
) -> None:
    plant(copy, page, line, before=GATE)
    assert caught(c.violations_of_console_gate, copy, page)


@pytest.mark.parametrize(
    ("old", "new"),
    [(GATE, "if True:\n    " + GATE),  # not at the top level
     (GATE, "pass"),  # no gate at all
     ("from ui.gate import require_moderator", "from ui.fake import require_moderator")],
)  # fmt: skip
def test_a_console_page_without_the_real_gate_first_is_caught(
    copy: Path, old: str, new: str
) -> None:
    swap(copy, "pages/moderation_trends.py", old, new)
    assert caught(c.violations_of_console_gate, copy, "pages/moderation_trends.py")


def test_a_new_console_page_that_does_not_gate_itself_is_caught(copy: Path) -> None:
    plant(
        copy,
        "pages/moderation_secret.py",
        '"""Secret."""\n\nimport streamlit as st\n\nst.dataframe(x)\n',
    )
    swap(copy, c.NAVIGATION, "MODERATION_PAGES = (\n",
         'MODERATION_PAGES = (\n    PageSpec("pages/moderation_secret.py", "Secret", "secret"),\n')  # fmt: skip
    assert c.violations_of_page_declarations(copy) == []
    assert c.violations_of_console_gate(copy) == [
        "pages/moderation_secret.py: does not import require_moderator from ui.gate"
    ]


@pytest.mark.parametrize(
    ("path", "line"),
    [("pages/find_a_mentor.py", "st.markdown(text, unsafe_allow_html=True)\n"),
     ("ui/cards.py", "st.html(text)\n"), ("dashboard.py", 'st.html(f"<b>{name}</b>")\n')],
)  # fmt: skip
def test_raw_html_from_data_is_caught(copy: Path, path: str, line: str) -> None:
    plant(copy, path, line)
    assert caught(c.violations_of_raw_html, copy, path)


@pytest.mark.parametrize(
    "path", ["services/core/text.py", "pages/code_of_conduct.py", "ui/forms.py"]
)
def test_a_file_grown_too_long_is_caught(copy: Path, path: str) -> None:
    plant(copy, path, "# padding\n" * c.MAX_LINES)
    assert caught(c.violations_of_file_size, copy, path)


@pytest.mark.parametrize("path", ["pages/code_of_conduct.py", "ui/forms.py", "dashboard.py"])
def test_st_stop_outside_a11y_is_caught(copy: Path, path: str) -> None:
    plant(copy, path, "st.stop()\n")
    assert caught(c.violations_of_stop_outside_a11y, copy, path)


STATUS_WRITES = [
    "def f(mentor):\n    mentor.status = 'listed'\n",
    "def f(mentor, report):\n    mentor.status, report.version = 'paused', 2\n",
    "def f(rows):\n    rows[0].status: str = 'banned'\n",
    "statement = update(Mentor).where(Mentor.id == 1).values(status='banned')\n",
    "statement = update(Report).values({'status': 'closed'})\n",
    "statement = insert(Mentor).values(status='listed', full_name='x')\n",
    "session.execute(insert(Report), [{'reference': 'WAN-1', 'status': 'new'}])\n",
    "session.query(Mentor).update({Mentor.version: 2, 'status': 'removed'})\n",
    "changes = dict(status='paused')\n",
    "setattr(mentor, 'status', 'paused')\n",
    "report = Report(reference='WAN-1', status='resolved')\n",
    "op.execute(\"UPDATE mentors SET status = 'listed' WHERE status = 'paused'\")\n",
    'op.execute("update reports set\\n  updated_at = now(), \\"status\\" = \'new\'")\n',
    'bind.execute(text(f"UPDATE {table} SET version = 2, status = :to WHERE id = :id"))\n',
    "op.execute(\"INSERT INTO mentors (id, full_name, status) VALUES (1, 'x', 'listed')\")\n",
]
STATUS_READS = [
    "rows = select(Mentor).where(Mentor.status == 'listed')\n",
    "shown = mentor.status if mentor.status != 'deleted' else None\n",
    "op.execute(\"UPDATE mentors SET search_text = lower(full_name) WHERE status = 'listed'\")\n",
    "event = dict(from_status='listed', to_status='paused')\n",
    "mentor.status_changed_at = now\n",
    "frame['status'] = frame['status'].map(str)\n",
]
STATUS_PLACES = ["services/listings/owner.py", "commands/moderators.py", "benchmarks/console.py",
                 "migrations/versions/0006_planted.py"]  # fmt: skip


@pytest.mark.parametrize(("line", "path"), list(zip(STATUS_WRITES, cycle(STATUS_PLACES))))
def test_a_status_written_outside_the_lifecycles_is_caught(
    copy: Path, line: str, path: str
) -> None:
    plant(copy, path, line)
    assert caught(c.violations_of_status_writes, copy, path)


@pytest.mark.parametrize("line", STATUS_READS)
def test_reading_a_status_or_writing_other_columns_is_not_a_status_write(
    copy: Path, line: str
) -> None:
    plant(copy, "services/listings/owner.py", line)
    assert not caught(c.violations_of_status_writes, copy, "services/listings/owner.py")


@pytest.mark.parametrize("path", [*c.STATUS_DOORS, "migrations/versions/0001_initial_schema.py"])
def test_the_lifecycles_and_the_first_migration_may_write_a_status(copy: Path, path: str) -> None:
    plant(copy, path, STATUS_WRITES[0])
    assert not caught(c.violations_of_status_writes, copy, path)
