// Charts, sparklines and tables, the third part of ui/a11y.js's component. ui/a11y.py joins it
// after ui/a11y.js and ui/a11y_screens.js into one module (it uses `state`, `byKey`, `setAttr`
// and `dropAttr` from there, and applyAll there calls applyFigures); like the rest, it only sets
// attributes and focus.

function applyFigures(data) {
  watchToolbarSwaps();
  applyGraphics(data.graphics || []);
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
