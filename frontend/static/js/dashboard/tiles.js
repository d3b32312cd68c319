// The class: a card per pupil (the detail view) that is also the tile of "the class at a
// glance" (one line of icons), the filters above them, and the "decide for" panel with
// its confirmation in place.
import { format, texts } from "../texts.js";
import { avatar, el, sorted, who } from "./dom.js";

export const FILTERS = {
  all: [texts.filterAll, () => true],
  none: [texts.filterNone, (r) => r.state === "none"],
  instruction: [texts.filterInstruction, (r) => r.entry?.instruction === true],
  working: [texts.filterWorking, (r) => r.state === "working"],
  evaluated: [texts.filterEvaluated, (r) => r.state === "evaluated"],
};

export function renderFilters(ctx) {
  const all = [...ctx.rows.values()];
  ctx.filtersEl.replaceChildren(
    ...Object.entries(FILTERS).map(([key, [label, test]]) =>
      el("button", {
        type: "button",
        class: "chip-button",
        "data-filter": key,
        "data-testid": `filter-${key}`,
        "aria-pressed": String(ctx.filter === key),
        text: `${label} (${all.filter(test).length})`,
      }),
    ),
  );
}

function instructionText(ctx, entry) {
  if (!entry || entry.instruction === null) return "–";
  if (!entry.instruction) return texts.no;
  const reason = entry.instruction_reason ? ctx.state.labels.reasons[entry.instruction_reason] : "";
  return reason ? `${texts.yes} (${reason})` : texts.yes;
}

function partnerText(entry) {
  if (!entry || entry.alone === null) return "–";
  if (entry.alone) return texts.alone;
  return entry.partners.map((p) => p.name).join(", ");
}

// A partner who did not choose this pupil back (and has chosen): marked "↛".
const notMutual = (ctx, row, partner) => {
  const other = ctx.rows.get(partner.id)?.entry;
  return Boolean(other && other.alone !== null && !other.partners.some((p) => p.id === row.pupil));
};

function partnerCell(ctx, row) {
  const entry = row.entry;
  if (!entry || entry.alone === null || entry.alone) return [partnerText(entry)];
  const nodes = [];
  entry.partners.forEach((p, i) => {
    if (i) nodes.push(", ");
    nodes.push(
      notMutual(ctx, row, p)
        ? el("span", { class: "not-mutual", "data-testid": "not-mutual", title: format(texts.notMutual, { name: p.name }), text: `${p.name} ↛` })
        : p.name,
    );
  });
  return nodes;
}

function panel(ctx, row) {
  const { state } = ctx;
  const entry = row.entry;
  // What the teacher selected but did not set yet stays selected when an event or a
  // fresh snapshot redraws the card.
  const draft = ctx.drafts.get(row.pupil) || {};
  const place = el(
    "select",
    { "aria-label": texts.place, "data-field": "place" },
    ...state.places.map((p) => el("option", { value: p.id, text: p.name, selected: draft.place ? draft.place.has(p.id) : entry?.place === p.id })),
  );
  const chosen = draft.goal || new Set((entry?.goals || []).map((g) => g.id));
  const goals = el(
    "select",
    { "aria-label": texts.goals, multiple: true, size: 3, "data-field": "goal" },
    ...state.goals.map((g) =>
      el("option", { value: g.id, text: `${g.code} ${g.statement}`.slice(0, 60), selected: chosen.has(g.id) }),
    ),
  );
  const mates = draft.partner || new Set((entry?.partners || []).map((p) => p.id));
  const partners = el(
    "select",
    { "aria-label": texts.with, multiple: true, size: 3, "data-field": "partner", "data-testid": "partner-select" },
    ...sorted(ctx).filter((r) => r.pupil !== row.pupil).map((r) => el("option", { value: r.pupil, text: r.name, selected: mates.has(r.pupil) })),
  );
  const [confirmState, confirmText] = ctx.confirmations.get(row.pupil) || [];
  return el(
    "div",
    { class: "decide-panel" },
    el("button", { type: "button", class: "button", "data-override": "instruction", "data-value": "yes", "data-testid": "override-instruction-yes", text: texts.intoInstruction }),
    el("button", { type: "button", class: "button secondary", "data-override": "instruction", "data-value": "no", "data-testid": "override-instruction-no", text: texts.noInstruction }),
    state.places.length ? el("span", { class: "row" }, place, el("button", { type: "button", class: "button secondary", "data-override": "place", text: texts.setPlace })) : null,
    state.goals.length ? el("span", { class: "row" }, goals, el("button", { type: "button", class: "button secondary", "data-override": "goal", text: texts.setGoals })) : null,
    el("span", { class: "row" }, partners, el("button", { type: "button", class: "button secondary", "data-override": "partner", "data-testid": "override-partner", text: texts.setPartners })),
    el("small", { class: "legend", text: texts.partnersHint }),
    el("p", { class: "override-status", role: "status", "data-testid": "override-status", "data-state": confirmState, text: confirmText || "" }),
  );
}

function card(ctx, row) {
  const { state, staticUrl } = ctx;
  const entry = row.entry;
  const stateLabel = { none: texts.stateNone, working: texts.stateWorking, evaluated: texts.stateEvaluated }[row.state];
  const moodIcon = entry?.mood === "great" ? "went-well" : `mood-${entry?.mood}`;
  const mood = entry?.mood
    ? el("img", { src: `${staticUrl}icons/${moodIcon}.svg`, alt: state.labels.moods[entry.mood], width: 24, height: 24 })
    : null;
  const badge = row.locked
    ? el("span", { class: "state-badge locked", "data-testid": "entry-state", text: `🔒 ${texts.stateLocked}` })
    : el("span", { class: `state-badge ${row.state}`, "data-testid": "entry-state", text: `${row.state === "none" && state.summary.started ? "! " : row.state === "evaluated" ? "✓ " : ""}${stateLabel}` });
  const item = el(
    "li",
    {
      class: `pupil-card state-${row.state}`,
      "data-pupil-card": row.pupil,
      "data-pupil": row.name,
      "data-testid": "entry-row",
      id: `pupil-${row.pupil}`,
    },
    el("div", { class: "pupil-card-head" }, avatar(ctx, row), el("strong", { text: row.name }), badge, mood),
    el(
      "dl",
      {},
      el("dt", { text: texts.goals }),
      el("dd", { "data-testid": "goals-cell" }, (entry?.goals || []).map((g) => g.code).join(" ") || "–", who(entry, "goal")),
      el("dt", { text: texts.instruction }),
      el("dd", { "data-testid": "instruction-cell" }, instructionText(ctx, entry), who(entry, "instruction")),
      el("dt", { text: texts.place }),
      el("dd", { "data-testid": "place-cell" }, (entry && state.places.find((p) => p.id === entry.place)?.name) || "–", who(entry, "place")),
      el("dt", { text: texts.with }),
      el("dd", { "data-testid": "partner-cell" }, ...partnerCell(ctx, row), who(entry, "partner")),
    ),
  );
  // The tile of the class at a glance: the same decisions as icons, one line.
  const place = entry?.place ? state.places.find((p) => p.id === entry.place) : null;
  const icon = (path, label) => el("img", { src: `${staticUrl}${path}`, alt: label, title: label, width: 20, height: 20 });
  const oneSided = entry?.partners?.some((p) => notMutual(ctx, row, p));
  item.append(
    el(
      "p",
      { class: "compact-line", "data-testid": "compact-line" },
      el("span", {}, (entry?.goals || []).map((g) => g.code).join(" ") || "–", who(entry, "goal")),
      el("span", {}, entry?.instruction === true ? icon("icons/teacher.svg", texts.instruction) : "–", who(entry, "instruction")),
      el("span", {}, place ? icon(`pictograms/${place.icon}.svg`, place.name) : "–", who(entry, "place")),
      el("span", { class: oneSided ? "not-mutual" : null }, entry && entry.alone === false ? icon("icons/pupil.svg", partnerText(entry)) : entry?.alone ? texts.alone : "–", who(entry, "partner")),
      row.locked ? el("span", { class: "help-mark", title: texts.stateLocked, "data-testid": "tile-locked", text: "🔒" }) : null,
      row.help ? el("span", { class: "help-mark", title: state.labels.help[row.help.reason], "data-testid": "tile-help", text: "✋" }) : null,
    ),
  );
  item.querySelector(".pupil-card-head").addEventListener("click", () => {
    if (!document.body.classList.contains("class-compact")) return;
    item.classList.toggle("expanded");
    ctx.expanded = item.classList.contains("expanded") ? row.pupil : null;
  });
  if (ctx.expanded === row.pupil) item.classList.add("expanded");
  const details = el("details", { class: "no-print", open: ctx.open.has(row.pupil) }, el("summary", { text: format(texts.decideFor, { name: row.name }) }), panel(ctx, row));
  details.addEventListener("toggle", () => (details.open ? ctx.open.add(row.pupil) : ctx.open.delete(row.pupil)));
  item.append(details);
  item.hidden = !FILTERS[ctx.filter][1](row);
  return item;
}

// One pupil's card again (and those of whoever chose them: their "↛" may change), or
// the whole class.
export function renderGrid(ctx, only) {
  const grid = ctx.gridEl;
  if (only !== undefined) {
    const old = grid.querySelector(`[data-pupil-card="${only}"]`);
    if (old) {
      old.replaceWith(card(ctx, ctx.rows.get(only)));
      for (const r of ctx.rows.values()) {
        if (r.entry?.partners?.some((p) => p.id === only)) {
          grid.querySelector(`[data-pupil-card="${r.pupil}"]`)?.replaceWith(card(ctx, r));
        }
      }
      return;
    }
  }
  grid.replaceChildren(...sorted(ctx).map((row) => card(ctx, row)));
}
