// Small DOM helpers shared by the dashboard's modules.
import { texts } from "../texts.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("data-") || key.startsWith("aria-") || key === "role") {
      node.setAttribute(key, value === true ? "" : value);
    } else node[key] = value;
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const SVG = "http://www.w3.org/2000/svg";
export function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

// The class in name order (the page's language).
export const sorted = (ctx) =>
  [...ctx.rows.values()].sort((a, b) => a.name.localeCompare(b.name, document.documentElement.lang));

export function avatar(ctx, row) {
  if (row.photo) return el("img", { class: "avatar avatar-small", src: row.photo, alt: "" });
  const span = el("span", { class: "avatar avatar-small", "aria-hidden": "true" });
  span.style.setProperty("--avatar-colour", row.colour);
  span.append(el("img", { src: `${ctx.staticUrl}pictograms/${row.avatar}.svg`, alt: "" }));
  return span;
}

// T or L after a decision: who took it.
export function who(entry, aspect) {
  const by = entry?.decided_by?.[aspect];
  if (by === "teacher") return el("small", { title: texts.byTeacher, text: " T" });
  if (by === "pupil") return el("small", { title: texts.byPupil, text: " L" });
  return null;
}

export const minutesSince = (iso) => Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 60000));
