// What Streamlit has no API for, for people who use a keyboard or a screen reader.
//
// ui/a11y.py mounts this once per page run, with data made of element keys only (never text a
// person typed): which fields are invalid and which message describes them, which hint texts
// belong to which field, which element gets focus (once per token), which region announces its
// changes, and which containers form a list of cards. Everything here sets attributes or moves
// focus; nothing writes HTML.

const state = (window.__wanA11y ||= { tokens: new Set() });
const FIELD_LINK = "#wan-field-";

function byKey(key) {
  return document.querySelector(".st-key-" + CSS.escape(key));
}

// The element a screen reader lands on for a field, in order of preference.
const CONTROLS = [
  '[role="radiogroup"]',
  "textarea",
  'input:not([type="hidden"])',
  '[role="combobox"]',
  '.react-aria-DateField [role="group"]',
  "button",
];

function controlOf(container) {
  if (!container) return null;
  for (const selector of CONTROLS) {
    const found = container.querySelector(selector);
    if (found) return found;
  }
  return null;
}

// Set an attribute only when it differs, so that the page watcher below (which also watches these
// attributes, as Streamlit's widgets reset some of them when they redraw) does not wake itself.
function setAttr(element, name, value) {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

function dropAttr(element, name) {
  if (element.hasAttribute(name)) element.removeAttribute(name);
}

function idFor(element, key) {
  if (!element.id) element.id = "wan-" + key;
  return element.id;
}

function describe(control, ids) {
  const others = (control.getAttribute("aria-describedby") || "")
    .split(/\s+/)
    .filter((id) => id && !id.startsWith("wan-"));
  const all = [...others, ...ids];
  if (all.length) setAttr(control, "aria-describedby", all.join(" "));
  else dropAttr(control, "aria-describedby");
}

function applyFields(fields) {
  for (const field of fields) {
    const control = controlOf(byKey(field.key));
    if (!control) continue; // not drawn yet: the page watcher comes back
    const ids = [];
    for (const key of [...(field.hints || []), ...(field.error ? [field.error] : [])]) {
      const element = byKey(key);
      if (element) ids.push(idFor(element, key));
    }
    describe(control, ids);
    if (field.error) setAttr(control, "aria-invalid", "true");
    else dropAttr(control, "aria-invalid");
  }
}

function applyLive(keys) {
  for (const key of keys) {
    const region = byKey(key);
    if (!region) continue;
    setAttr(region, "role", "status");
    setAttr(region, "aria-live", "polite");
    setAttr(region, "aria-atomic", "true");
  }
}

function applyLists(lists) {
  for (const list of lists) {
    const container = byKey(list.key);
    if (!container) continue;
    setAttr(container, "role", "list");
    for (const itemKey of list.items) {
      const item = byKey(itemKey);
      if (!item) continue;
      setAttr(item, "role", "listitem");
      const heading = item.querySelector("h1, h2, h3, h4, h5, h6");
      if (heading) setAttr(item, "aria-labelledby", idFor(heading, itemKey + "-heading"));
    }
  }
}

// The page's own heading of this level, not one left over from the page before (stale).
function pageHeading(level) {
  const main = document.querySelector('[data-testid="stMain"]');
  for (const heading of main ? main.querySelectorAll(level) : []) {
    if (!heading.closest('[data-stale="true"]')) return heading;
  }
  return null;
}

// Move focus once per token. Streamlit may hand focus back to the control that submitted the
// form a moment later, so look again briefly, unless the person has moved on themselves.
function applyFocus(focus) {
  if (!focus || state.tokens.has(focus.token)) return;
  const target = focus.heading ? pageHeading(focus.heading) : byKey(focus.key);
  if (!target) return; // not drawn yet: the page watcher comes back
  state.tokens.add(focus.token);
  const since = state.lastInput;
  const place = () => {
    if (state.lastInput !== since || target.contains(document.activeElement)) return;
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  };
  place();
  for (const delay of [100, 300, 700, 1200]) setTimeout(place, delay);
}

if (!state.inputWatched) {
  state.inputWatched = true;
  state.lastInput = 0;
  for (const type of ["keydown", "mousedown", "touchstart"]) {
    document.addEventListener(type, () => (state.lastInput += 1), true);
  }
}

function bindFieldLinks() {
  for (const link of document.querySelectorAll(`a[href^="${FIELD_LINK}"]`)) {
    if (link.dataset.wanBound) continue;
    link.dataset.wanBound = "1";
    link.removeAttribute("target");
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const container = byKey(link.getAttribute("href").slice(FIELD_LINK.length));
      const control = controlOf(container);
      const target = control && control.matches('[role="radiogroup"], [role="group"]')
        ? control.querySelector('input, [tabindex="0"]') || control
        : control;
      if (target) {
        target.scrollIntoView({ block: "center" });
        target.focus();
      }
    });
  }
}

function applyAll(data) {
  watchSidebar();
  hideIcons();
  foldOnPhone(data.fold || []);
  bindFieldLinks();
  applyFields(data.fields || []);
  applyLive(data.live || []);
  applyLists(data.lists || []);
  applyFigures(data);
  applyFocus(data.focus);
}

// Streamlit draws a run's elements as they arrive and may redraw one later: a new node without the
// attributes set here, or a widget resetting its own aria-describedby. Whenever the page changes,
// apply the newest notes again (only what differs is written, so this settles).
function watchPage() {
  if (state.pageWatched) return;
  state.pageWatched = true;
  let scheduled = false;
  new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      if (state.data) applyAll(state.data);
    });
  }).observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["id", "aria-describedby", "aria-invalid", "aria-labelledby", "role", "aria-hidden"],
  });
}

export default function (component) {
  const data = component.data || {};
  if (data.session !== state.session) {
    state.session = data.session; // a new session in this window (reconnected): count afresh
    state.latestRun = 0;
  }
  // Streamlit may call this again with an earlier run's notes while it redraws: keep the newest.
  if ((data.run || 0) < state.latestRun) return;
  state.latestRun = data.run || 0;
  state.data = data;
  watchPage();
  applyAll(data);
}
