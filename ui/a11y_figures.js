// Charts, sparklines and tables, the third part of ui/a11y.js's component. ui/a11y.py joins it
// after ui/a11y.js and ui/a11y_screens.js into one module (it uses `state`, `byKey`, `setAttr`
// and `dropAttr` from there, and applyAll there calls applyFigures); like the rest, it only sets
// attributes and focus.

function applyFigures(data) {
  watchToolbarSwaps();
  watchTableWidths();
  applyGraphics(data.graphics || []);
  applyScrollingTables();
}

// A graphic the app names (an st.metric sparkline): one image with the app's name for it, its
// inner marks hidden (Vega names each bar "x: 0; y: 1", and the highlighted point not at all).
function applyGraphics(graphics) {
  for (const graphic of graphics) {
    const chart = byKey(graphic.key)?.querySelector('[data-testid="stMetricChart"]');
    if (!chart) continue; // not drawn yet: the page watcher comes back
    setAttr(chart, "role", "img");
    setAttr(chart, "aria-label", graphic.name);
    dropAttr(chart, "aria-roledescription");
    for (const inner of chart.children) setAttr(inner, "aria-hidden", "true");
  }
}

// Streamlit's "Show data" swaps a chart for a table of its data ("Show chart" swaps back) and
// drops keyboard focus on the page's body: put it on the button that swaps back.
const SWAPS = { "Show data": "Show chart", "Show chart": "Show data" };

function toolbarLabel(button) {
  return (button.getAttribute("aria-label") || "").split(":")[0];
}

function watchToolbarSwaps() {
  if (state.swapsWatched) return;
  state.swapsWatched = true;
  document.addEventListener(
    "click",
    (event) => {
      const button = event.target.closest?.('[data-testid="stElementToolbar"] button');
      const other = button && SWAPS[toolbarLabel(button)];
      const element = button?.closest('[data-testid="stElementContainer"]');
      if (!other || !element) return;
      let frames = 0;
      const refocus = () => {
        const active = document.activeElement;
        const lost = !active || active === document.body || !active.isConnected;
        if (!lost && active !== button) return; // the person moved on
        const target = [...element.querySelectorAll('[data-testid="stElementToolbar"] button')]
          .find((candidate) => toolbarLabel(candidate) === other);
        if (lost && target) target.focus();
        else if (++frames < 60) requestAnimationFrame(refocus);
      };
      requestAnimationFrame(refocus);
    },
    true,
  );
}

// A table wider than the screen (a phone) scrolls sideways inside a box of its own: that box
// takes keyboard focus (then the arrow keys scroll it) and is named after the table (WCAG 2.1.1,
// axe's scrollable-region-focusable). A table that fits is left alone: no extra Tab stop.
function applyScrollingTables() {
  for (const table of document.querySelectorAll('[data-testid="stTable"] table')) {
    const stop = table.closest('[data-testid="stElementContainer"]') || table.parentElement;
    for (let box = table.parentElement; box && box !== stop.parentElement; box = box.parentElement) {
      const scrolls = ["auto", "scroll"].includes(getComputedStyle(box).overflowX);
      if (scrolls && box.scrollWidth > box.clientWidth + 1) {
        setAttr(box, "tabindex", "0");
        setAttr(box, "role", "region");
        setAttr(box, "aria-label", table.getAttribute("aria-label") || "Table");
        box.dataset.wanScrolls = "1";
      } else if (box.dataset.wanScrolls) {
        for (const name of ["tabindex", "role", "aria-label", "data-wan-scrolls"]) dropAttr(box, name);
      }
    }
  }
}

// A table's width shows only once its expander opens, and changes with the window.
function watchTableWidths() {
  if (state.tableWidthsWatched) return;
  state.tableWidthsWatched = true;
  const again = () => requestAnimationFrame(() => state.data && applyAll(state.data));
  window.addEventListener("resize", again);
  document.addEventListener("toggle", again, true);
}
