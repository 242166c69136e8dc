"""Driving the app with the keyboard alone: where focus is, Tab until a control, type into it.

Helpers for tests/browser: no mouse anywhere, so a test that passes is a journey a keyboard user
can make.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

DESCRIBE_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const visibleText = (node) => {  // its text without icon ligatures (aria-hidden)
        const copy = node.cloneNode(true);
        copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
        return copy.textContent;
    };
    const label = el.getAttribute('aria-label')
        || (el.labels && el.labels[0] && visibleText(el.labels[0]))
        || visibleText(el) || el.getAttribute('placeholder') || '';
    const owner = el.closest('[data-testid]');
    return {
        tag: el.tagName.toLowerCase(),
        role: el.getAttribute('role') || el.getAttribute('type') || '',
        name: label.replace(/\\s+/g, ' ').trim().slice(0, 60),
        testid: el.dataset.testid || (owner ? owner.dataset.testid : ''),
    };
}"""


@dataclass(frozen=True)
class Stop:
    tag: str
    role: str
    name: str
    testid: str

    def __str__(self) -> str:
        return f"<{self.tag} {self.role}> {self.name!r} [{self.testid}]"


def focus_from_top(page: Page) -> None:
    """Start as a keyboard user does: nothing focused, at the top of the page."""
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")


def tab_until(page: Page, wanted: Callable[[Stop], bool], *, max_tabs: int) -> list[Stop]:
    """Press Tab until `wanted` has focus; the stops so far (the last one is it)."""
    stops: list[Stop] = []
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        found = page.evaluate(DESCRIBE_FOCUS)
        stops.append(Stop(**found) if found else Stop("body", "", "", ""))
        if wanted(stops[-1]):
            return stops
    trail = "\n".join(f"{n:3}. {stop}" for n, stop in enumerate(stops, 1))
    raise AssertionError(f"not reached in {max_tabs} Tab presses; focus went:\n{trail}")


def named(name: str, *, prefix: bool = False) -> Callable[[Stop], bool]:
    return lambda stop: stop.name.startswith(name) if prefix else stop.name == name


def type_into(page: Page, label: str, text: str, *, max_tabs: int = 80) -> None:
    """Tab forward to the field labelled `label` (not a link of that name) and type into it."""
    tab_until(page, lambda stop: stop.name == label and stop.tag in ("input", "textarea"),
              max_tabs=max_tabs)  # fmt: skip
    page.keyboard.type(text)


def choose_by_keyboard(
    page: Page, label: str, option: str, *, multi: bool = False, max_tabs: int = 80
) -> None:
    """Tab to a select box or multiselect, type the option, pick it with the arrow and Enter.

    A multiselect stays open for more: Escape closes it (in a select box it would undo).
    """
    tab_until(page, named(label), max_tabs=max_tabs)
    page.keyboard.type(option)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    if multi:
        page.keyboard.press("Escape")


def press_button(page: Page, label: str, *, max_tabs: int = 80, key: str = "Enter") -> None:
    """Tab to the button called `label` and press it."""
    tab_until(page, named(label, prefix=True), max_tabs=max_tabs)
    page.keyboard.press(key)


def focused_inside(page: Page, selector: str) -> bool:
    """True when keyboard focus is on `selector` or inside it."""
    return bool(page.evaluate("(s) => !!document.activeElement?.closest(s)", selector))


_DESCRIPTION = """(label) => {
    const field = [...document.querySelectorAll('[aria-label]')]
        .find((el) => el.getAttribute('aria-label') === label && el.matches(
            'input, textarea, [role="radiogroup"], [role="combobox"], [role="group"]'));
    if (!field) return null;
    const ids = (field.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
    return {
        invalid: field.getAttribute('aria-invalid'),
        described: ids.map((id) => document.getElementById(id)?.textContent || '').join(' '),
    };
}"""


def invalid_and_described(
    page: Page, label: str, message: str = ""
) -> tuple[str | None, str]:
    """The field's aria-invalid, and the text of the elements its aria-describedby names.

    Waits a little (for `message` in the description, when given): the page's script sets them
    just after the rerun has drawn, and again when Streamlit redraws an element.
    """
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            f"([label, message]) => {{ const f = ({_DESCRIPTION})(label); "
            "return f?.invalid === 'true' && f.described.includes(message); }",
            arg=[label, message], timeout=3_000,
        )  # fmt: skip
    found = page.evaluate(_DESCRIPTION, label)
    assert found is not None, f"no field labelled {label!r}"
    return found["invalid"], found["described"].replace("\u2060", "")


def described_by(page: Page, selector: str) -> str:
    """On a plain HTML page: the text of the elements the field's aria-describedby names."""
    return str(page.eval_on_selector(selector, """(field) => (field.getAttribute('aria-describedby')
        || '').split(/\\s+/).filter(Boolean).map((id) => document.getElementById(id)?.textContent
        || '').join(' ')"""))


def attribute_writes_over(page: Page, milliseconds: int) -> int:
    """How many accessibility attributes change on the page while nobody touches it."""
    return int(
        page.evaluate(
            """(ms) => new Promise((done) => {
                let count = 0;
                const watcher = new MutationObserver((records) => (count += records.length));
                watcher.observe(document.body, { subtree: true, attributes: true,
                    attributeFilter: ['id', 'aria-describedby', 'aria-invalid', 'role'] });
                setTimeout(() => { watcher.disconnect(); done(count); }, ms);
            })""",
            milliseconds,
        )
    )
