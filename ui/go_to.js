// Takes the browser to one of the server's own pages (the sign-in form), in this tab.
// Only a path of this site is followed: never another origin.
export default function (component) {
  const target = (component.data || {}).path || "";
  if (!target.startsWith("/") || target.startsWith("//") || target.includes("\\")) return;
  const key = "wan-go-to:" + (component.data || {}).token;
  if (window.sessionStorage.getItem(key)) return; // once per request, not on every redraw
  window.sessionStorage.setItem(key, "1");
  window.location.assign(target);
}
