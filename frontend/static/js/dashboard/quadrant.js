// The lesson's regie × belang quadrant, redrawn live. The square's geometry comes from
// the page (data-q-geometry, from frontend/quadrant_svg.py): defined once.
import { format, texts } from "../texts.js";
import { svg } from "./dom.js";

// The server rounds every percentage once (half up); this is only for old snapshots.
const pct = (share, given) => given ?? Math.round((share || 0) * 100);

export function quadrant(figure) {
  if (!figure) return () => {};
  const [x0, top, size] = figure.dataset.qGeometry.split(" ").map(Number);
  const qx = (belang) => (x0 + size * (belang || 0)).toFixed(1);
  const qy = (regie) => (top + size - size * (regie || 0)).toFixed(1);
  const toggle = figure.querySelector("[data-q-toggle]");
  toggle?.addEventListener("change", () => figure.classList.toggle("show-pupils", toggle.checked));

  return function render(ctx) {
    const q = ctx.state.summary.quadrant;
    const names = ctx.state.labels.quadrants;
    const parts = [];
    if (q.enacted.belang !== null) {
      parts.push(
        svg("line", { x1: qx(q.intended.belang), y1: qy(q.intended.regie), x2: qx(q.enacted.belang), y2: qy(q.enacted.regie), stroke: "#868e96", "stroke-width": 2 }),
        svg("circle", { cx: qx(q.enacted.belang), cy: qy(q.enacted.regie), r: 8, fill: "#1c4e80", "data-testid": "enacted-dot" }),
      );
    }
    parts.push(svg("circle", { cx: qx(q.intended.belang), cy: qy(q.intended.regie), r: 8, fill: "#fff", stroke: "#1c4e80", "stroke-width": 3, "data-testid": "intended-dot" }));
    figure.querySelector("[data-q-dots]").replaceChildren(...parts);
    const pupils = q.pupils
      .filter((p) => p.regie !== null)
      .map((p) => ({ ...p, name: ctx.rows.get(p.pupil)?.name || "" }))
      .sort((a, b) => a.name.localeCompare(b.name));
    figure.querySelector("[data-q-pupils]").replaceChildren(
      ...pupils.map((p) => {
        const group = svg("g", { "data-testid": "pupil-dot" });
        const dot = svg("circle", { cx: qx(p.belang), cy: qy(p.regie), r: 4, fill: "#e8590c", "fill-opacity": 0.7 });
        const title = svg("title", {});
        title.textContent = p.name;
        dot.append(title);
        // A label beside the dot: a touch screen never shows a hover title.
        const label = svg("text", { x: (Number(qx(p.belang)) + 6).toFixed(1), y: (Number(qy(p.regie)) + 3).toFixed(1), class: "q-label" });
        label.textContent = p.name.slice(0, 3);
        group.append(dot, label);
        return group;
      }),
    );
    figure.querySelector("[data-q-pupil-list]").replaceChildren(
      ...pupils.map((p) => {
        const item = document.createElement("li");
        item.textContent = format(texts.qPupil, { name: p.name, regie: pct(p.regie, p.regie_pct), belang: pct(p.belang, p.belang_pct) });
        return item;
      }),
    );
    const text = (key, value) => { figure.querySelector(`[data-q-text="${key}"]`).textContent = value; };
    const e = q.enacted;
    text("intended", `${names[q.intended.quadrant]}, ${format(texts.qIntended, { regie: pct(q.intended.regie, q.intended.regie_pct), belang: pct(q.intended.belang, q.intended.belang_pct) })}`);
    figure.querySelector("[data-testid=regie-sentence]").hidden = e.regie === null;
    text("regie", format(texts.qRegie, { taken: e.decisions, by_pupils: e.by_pupils, pct: pct(e.regie, e.regie_pct) }));
    figure.querySelector("[data-testid=pending-sentence]").hidden = !e.pending;
    text("pending", format(texts.qPending, { pending: e.pending }));
    text("belang", e.belang === null ? texts.qBelangUnknown : `${format(texts.qBelang, { pct: pct(e.belang, e.belang_pct) })} (${names[e.quadrant]})`);
    text("counts", format(texts.qCounts, { with_data: e.pupils_with_data, without: e.pupils_without_data }));
  };
}
