"""Every control a keyboard reaches on the public pages shows where focus is (WCAG 2.2 2.4.7,
2.4.11): measured on screenshots, not read from CSS.

For each stop of Tab from the top of a page, the control's box (and a margin for a ring drawn
outside it) is captured focused and then unfocused. The pixels that changed are the indicator:
enough of them must change with a contrast of at least 3:1 between the two states, at least as
many as a 2 px line around the control would cover.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Browser, Page

from tests.browser.keyboard import focus_from_top
from tests.browser.servers import AppServer, StartServer
from tests.browser.steps import assert_no_exception, open_app, past_first_visit, write_artifact
from tests.browser.test_accessibility import seed_mentors

pytestmark = pytest.mark.browser
MARGIN = 8
MIN_CONTRAST = 3.0
MAX_STOPS = 90
PAGES = ["/", "/become-a-mentor", "/manage-my-listing", "/code-of-conduct", "/report",
         "/follow-my-report", "/how-we-enforce-the-code", "/check-a-receipt",
         "/reports-and-outcomes"]

# The box whose look changes when the element has focus: fields draw their ring round the
# field, not round the inner input that holds the focus (ui/a11y.css).
_FOCUSED_BOX = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const host = el.matches('input, textarea, [role="spinbutton"]') && el.closest('[data-testid="stTextInputRootElement"], [data-testid="stTextAreaRootElement"],'
        + ' .react-aria-ComboBox > [role="group"], [data-testid="stDateInputField"],'
        + ' [data-testid="stCheckbox"] label, [data-testid="stRadioOption"]') || el;
    const r = host.getBoundingClientRect();
    window.__wanFocused = el;
    const name = (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 50);
    return {x: r.x, y: r.y, width: r.width, height: r.height, name};
}"""


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def indicator_pixels(focused: Image.Image, unfocused: Image.Image) -> int:
    """How many pixels changed between the two states with a contrast of 3:1 or more."""
    changed = ImageChops.difference(focused, unfocused).convert("L").point(lambda v: 255 if v else 0)
    box = changed.getbbox()
    if box is None:
        return 0
    count = 0
    f, u, mask = focused.load(), unfocused.load(), changed.load()
    for x in range(box[0], box[2]):
        for y in range(box[1], box[3]):
            if mask[x, y] and contrast(f[x, y][:3], u[x, y][:3]) >= MIN_CONTRAST:
                count += 1
    return count


@pytest.fixture(scope="module")
def app(module_app_server_factory: StartServer, browser: Browser) -> AppServer:
    return past_first_visit(module_app_server_factory(seed=seed_mentors), browser)


def capture(page: Page, clip: dict[str, float]) -> Image.Image:
    return Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")


@pytest.mark.parametrize("path", PAGES)
def test_every_keyboard_stop_shows_a_visible_focus_indicator(app: AppServer, page: Page, path: str) -> None:
    open_app(page, app.url(path))
    assert_no_exception(page)
    page.mouse.move(0, 0)
    focus_from_top(page)
    viewport = page.viewport_size or {"width": 1280, "height": 900}
    seen: list[str] = []
    faint: list[str] = []
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        box = page.evaluate(_FOCUSED_BOX)
        if box is None or (seen and box["name"] == seen[0]):
            break  # back to the top: every stop was seen
        seen.append(box["name"])
        x, y = max(0.0, box["x"] - MARGIN), max(0.0, box["y"] - MARGIN)
        clip = {"x": x, "y": y, "width": min(box["width"] + 2 * MARGIN, viewport["width"] - x),
                "height": min(box["height"] + 2 * MARGIN, viewport["height"] - y)}  # fmt: skip
        if clip["width"] < 4 or clip["height"] < 4:
            faint.append(f"{box['name']!r}: not on screen when focused")
            continue
        page.wait_for_timeout(60)  # transitions of the ring
        focused = capture(page, clip)
        page.evaluate("() => document.activeElement.blur()")
        page.wait_for_timeout(60)
        unfocused = capture(page, clip)
        page.evaluate("() => window.__wanFocused.focus()")
        needed = 2 * (min(box["width"], clip["width"]) + min(box["height"], clip["height"]))
        found = indicator_pixels(focused, unfocused)
        if found < needed:
            faint.append(f"{box['name']!r}: {found} px at 3:1 or more, {needed:.0f} needed")
    write_artifact(f"accessibility/focus{path.replace('/', '-') or '-directory'}.txt",
                   "\n".join([f"{len(seen)} stops", *seen, "", "faint:", *faint]) + "\n")  # fmt: skip
    assert len(seen) >= 3, f"only {len(seen)} keyboard stops on {path}"
    assert not faint, f"focus hard to see on {path}:\n" + "\n".join(faint)
