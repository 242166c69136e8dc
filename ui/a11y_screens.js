// Small screens and keys, the second half of ui/a11y.js's component: the menu on a phone, the
// directory's filters folded there, icons that screen readers read out by name, and Escape in a
// select box. ui/a11y.py joins it after ui/a11y.js into one module (it uses `state` and `byKey`
// from there, and applyAll there calls it); like the rest, it only sets attributes and focus.

// Where Streamlit lays the menu over the page instead of beside it (its `md` breakpoint, 768px).
const PHONE_MENU = window.matchMedia("(max-width: 767.98px)");
// Where the directory's filters start folded (ui/a11y.py `fold_on_phone`).
const PHONE = window.matchMedia("(max-width: 640px)");
const MENU_MEMORY = "stSidebarCollapsed-";

// Streamlit remembers an opened menu in localStorage and reopens it on the next load, even where
// it covers the whole page: on a phone forget it whenever it opens or closes (and when the page
// goes), so every load starts with the menu closed (Streamlit's "auto" below 768px). A menu
// opened before this script ran is left open: that may be the person's own tap.
function forgetOpenMenu() {
  if (!PHONE_MENU.matches) return;
  try {
    for (const name of Object.keys(window.localStorage)) {
      if (name.startsWith(MENU_MEMORY)) window.localStorage.removeItem(name);
    }
  } catch {
    // storage refused (private mode): nothing is remembered either
  }
}

// Focus `target()` unless focus is already `within` it; Streamlit redraws the menu's buttons
// as it opens and closes, which drops focus again, so look again briefly, unless the person
// has moved on themselves.
function settleFocus(target, within) {
  const since = state.lastInput;
  const place = () => {
    if (state.lastInput !== since || (within && within.contains(document.activeElement))) return;
    target()?.focus();
  };
  requestAnimationFrame(place);
  for (const delay of [100, 300, 700]) setTimeout(place, delay);
}

function menuCollapsed(sidebar) {
  return (
    sidebar.getAttribute("data-collapsed") === "true" ||
    sidebar.getAttribute("aria-expanded") === "false"
  );
}

// A collapsed sidebar stays in the tab order off screen (on narrow screens): make it inert
// while it is collapsed, so Tab goes from the skip link straight to the page. On a phone the
// opened menu covers the page: focus goes into it, to its first control (the button that closes
// it, then its links), the page behind it is inert meanwhile, and focus goes back to the button
// that opens it when it closes.
function watchSidebar() {
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  if (!sidebar || state.sidebar === sidebar) return; // (Streamlit may draw a new one)
  const first = !state.sidebar;
  state.sidebar = sidebar;
  state.sidebarObserver?.disconnect();
  let wasCollapsed = first || menuCollapsed(sidebar); // on a phone the menu starts closed
  if (first) {
    // Whether focus was last in the menu (closing it drops focus to the page, with no event).
    document.addEventListener("focusin", (event) => {
      state.focusInMenu = !!state.sidebar?.contains(event.target);
    });
  }
  const sync = () => {
    const collapsed = menuCollapsed(sidebar);
    sidebar.toggleAttribute("inert", collapsed);
    const page = document.querySelector('[data-testid="stMain"]');
    if (page) page.toggleAttribute("inert", !collapsed && PHONE_MENU.matches); // covered: out of reach
    if (PHONE_MENU.matches && wasCollapsed !== collapsed) {
      const opener = () => document.querySelector('[data-testid="stExpandSidebarButton"]');
      if (!collapsed) settleFocus(() => sidebar.querySelector("button, a[href]"), sidebar);
      else if (state.focusInMenu) settleFocus(opener, null);
    }
    forgetOpenMenu();
    wasCollapsed = collapsed;
  };
  state.sidebarObserver = new MutationObserver(sync);
  state.sidebarObserver.observe(sidebar, {
    attributes: true,
    attributeFilter: ["data-collapsed", "aria-expanded"],
  });
  if (first) {
    window.addEventListener("pagehide", forgetOpenMenu);
    // A window made wider shows the page beside the menu: sync the newest sidebar again.
    PHONE_MENU.addEventListener("change", () => state.sidebarSync?.());
  }
  state.sidebarSync = sync;
  sync();
}

// Fold each of these expanders once when it appears on a phone, by clicking its summary so that
// Streamlit's own state follows; a person who opens it again keeps it open across reruns.
function foldOnPhone(keys) {
  if (!PHONE.matches) return;
  state.folded ||= new WeakSet();
  for (const key of keys) {
    const details = byKey(key)?.querySelector("details");
    if (!details || state.folded.has(details)) continue;
    state.folded.add(details);
    if (details.open) details.querySelector("summary")?.click();
  }
}

// Icons are drawn from a font by their names: Markdown's `:material/error:` becomes an image named
// "error icon", which screen readers read out before the words that say the same. Hide them, and
// any icon Streamlit draws without aria-hidden, from assistive technology.
const ICONS = [
  '[data-testid="stMarkdownContainer"] span[role="img"][translate="no"][aria-label$=" icon"]',
  '[data-testid="stIconMaterial"]',
  '[data-testid="stExpanderIcon"]',
]
  .map((selector) => selector + ":not([aria-hidden])")
  .join(", ");

function hideIcons() {
  for (const icon of document.querySelectorAll(ICONS)) icon.setAttribute("aria-hidden", "true");
}

// Escape in a select box cleared its choice, with its list open or closed (Streamlit 1.67's
// react-aria ComboBox; in a form silently, until the submit failed). Here Escape closes an open
// list and keeps the choice, as a blur does (react-aria closes the list and keeps the selected
// item), then focus comes back; on a closed list it does nothing.
if (!state.escapeWatched) {
  state.escapeWatched = true;
  document.addEventListener(
    "keydown",
    (event) => {
      const box = event.target;
      if (event.key !== "Escape" || !(box instanceof HTMLInputElement)) return;
      if (!box.matches('[data-testid="stSelectbox"] input[role="combobox"]')) return;
      event.stopPropagation();
      event.preventDefault();
      if (box.getAttribute("aria-expanded") !== "true") return;
      box.blur();
      requestAnimationFrame(() => box.focus({ preventScroll: true }));
    },
    true,
  );
}
