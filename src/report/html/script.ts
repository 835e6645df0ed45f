/**
 * The one script every HTML report inlines: a tooltip for anything carrying hover text. Markup carries that text as a
 * `title` attribute (HTML) or a `<title>` child (SVG) so it still shows without script; at load the script moves it
 * to `data-tip` (keeping it as the accessible name) and then shows it at once on hover and on keyboard focus.
 * The page's Content-Security-Policy admits this script by its hash and nothing else.
 */
export const SCRIPT = `(() => {
  "use strict";
  const tip = document.createElement("div");
  tip.id = "tooltip";
  tip.className = "tooltip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  document.body.append(tip);
  for (const el of document.querySelectorAll("[title]")) {
    el.setAttribute("data-tip", el.getAttribute("title"));
    if (!el.hasAttribute("aria-label") && !el.textContent.trim()) el.setAttribute("aria-label", el.getAttribute("title"));
    el.removeAttribute("title");
  }
  for (const title of document.querySelectorAll("svg title")) {
    const owner = title.parentElement;
    owner.setAttribute("data-tip", title.textContent);
    owner.setAttribute("aria-label", title.textContent);
    title.remove();
  }
  let current = null;
  const show = (el) => {
    current = el;
    tip.textContent = el.getAttribute("data-tip");
    tip.hidden = false;
    el.setAttribute("aria-describedby", "tooltip");
    const box = el.getBoundingClientRect();
    const width = tip.offsetWidth;
    const height = tip.offsetHeight;
    const left = Math.min(Math.max(8, box.left + box.width / 2 - width / 2), document.documentElement.clientWidth - width - 8);
    const top = box.top - height - 8 >= 0 ? box.top - height - 8 : box.bottom + 8;
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = top + window.scrollY + "px";
  };
  const hide = () => {
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    tip.hidden = true;
  };
  const target = (event) => (event.target instanceof Element ? event.target.closest("[data-tip]") : null);
  document.addEventListener("pointerover", (event) => { const el = target(event); if (el) show(el); else if (current) hide(); });
  document.addEventListener("pointerleave", hide);
  document.addEventListener("focusin", (event) => { const el = target(event); if (el) show(el); });
  document.addEventListener("focusout", hide);
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") hide(); });
})();
`;
