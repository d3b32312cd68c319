// The teacher's live lesson dashboard: the class (dashboard/tiles.js), what stands beside
// it (dashboard/panels.js), the quadrant (dashboard/quadrant.js), kept current from
// ws/les/<id>/ (dashboard/sync.js). The API's URLs come from the page ({% url %}).
import { errorText, postJSON } from "./api.js";
import { live } from "./live.js";
import { format, texts } from "./texts.js";
import { bindAlerts, bindEndLesson, bindHelp, renderAlerts, renderEvaluation, renderHelp, renderInstruction, renderPlaces } from "./dashboard/panels.js";
import { quadrant } from "./dashboard/quadrant.js";
import { sync } from "./dashboard/sync.js";
import { renderFilters, renderGrid } from "./dashboard/tiles.js";

const root = document.querySelector("[data-dashboard]");
const CONFIRMATION_MS = 15000;

if (root) {
  const ctx = {
    root,
    lessonId: Number(root.dataset.lesson),
    staticUrl: root.dataset.static,
    urls: { snapshot: root.dataset.urlSnapshot, override: root.dataset.urlOverride, helpAnswer: root.dataset.urlHelpAnswer },
    gridEl: root.querySelector("[data-grid]"),
    instructionEl: root.querySelector("[data-instruction]"),
    addForm: root.querySelector("[data-instruction-add]"),
    placesEl: root.querySelector("[data-places]"),
    filtersEl: root.querySelector("[data-filters]"),
    helpEl: document.querySelector("[data-help-queue]"),
    alertsEl: document.querySelector("[data-alerts]"),
    status: document.querySelector("[data-connection]"),
    state: null, // the last snapshot, with its summary kept current
    rows: new Map(), // pupil id -> row
    filter: "all",
    open: new Set(), // pupils whose "decide for" panel is open
    confirmations: new Map(), // pupil -> [state, text]: shown in the panel itself
    drafts: new Map(), // pupil -> {field: Set of ids}: selected in the panel, not set yet
    expanded: null, // the pupil whose tile shows its whole card (class at a glance)
  };
  const drawQuadrant = quadrant(document.querySelector("[data-quadrant]"));

  function render(only) {
    ctx.gridEl.classList.toggle("not-started", !ctx.state.summary.started);
    renderHelp(ctx);
    renderAlerts(ctx);
    renderEvaluation(ctx);
    renderFilters(ctx);
    if (only !== null) renderGrid(ctx, only); // null: only the summary changed
    renderInstruction(ctx);
    renderPlaces(ctx);
    drawQuadrant(ctx);
  }
  const { load, fetchSnapshot, onMessage } = sync(ctx, render);

  // The teacher decides for a pupil; the confirmation (or why it failed) stands next to
  // what was tapped: in the pupil's panel (kept across the redraw the event brings), or
  // beside the instruction group.
  async function override(pupil, aspect, value, from) {
    const row = ctx.rows.get(pupil);
    const inCard = Boolean(from?.closest("[data-pupil-card]"));
    let result;
    try {
      result = await postJSON(ctx.urls.override, { lesson: ctx.lessonId, pupil, aspect, value });
    } catch {
      result = { ok: false, data: { detail: [texts.failed] } };
    }
    const message = [result.ok ? "saved" : "failed", result.ok ? format(texts.changedFor, { name: row.name }) : errorText(result.data)];
    let target = document.querySelector("[data-override-status]");
    if (inCard) {
      ctx.confirmations.set(pupil, message);
      // It says what just happened: gone after a while, as a teacher would expect.
      setTimeout(() => {
        if (ctx.confirmations.get(pupil) !== message) return;
        ctx.confirmations.delete(pupil);
        const shown = ctx.gridEl.querySelector(`[data-pupil-card="${pupil}"] [data-testid=override-status]`);
        if (shown) shown.textContent = "";
      }, CONFIRMATION_MS);
      // The event may have redrawn the card already: look the place up now.
      target = ctx.gridEl.querySelector(`[data-pupil-card="${pupil}"] [data-testid=override-status]`);
    }
    if (target) {
      target.dataset.state = message[0];
      target.textContent = message[1];
    }
    // The event brings the change; without a connection, the snapshot does.
    if (result.ok && root.dataset.live !== "1") fetchSnapshot();
  }

  root.addEventListener("click", (event) => {
    const chip = event.target.closest("[data-filter]");
    if (chip) {
      ctx.filter = chip.dataset.filter;
      render();
      return;
    }
    const button = event.target.closest("[data-override]");
    if (!button) return;
    const pupil = Number(button.dataset.pupil || button.closest("[data-pupil-card]")?.dataset.pupilCard);
    const aspect = button.dataset.override;
    let value;
    if (aspect === "instruction") value = { wanted: button.dataset.value === "yes" };
    else if (aspect === "place") value = Number(button.parentElement.querySelector("select").value);
    else value = [...button.parentElement.querySelector("select").selectedOptions].map((o) => Number(o.value));
    const draft = ctx.drafts.get(pupil);
    if (draft) delete draft[aspect];
    override(pupil, aspect, value, button);
  });

  root.addEventListener("change", (event) => {
    const select = event.target.closest("[data-pupil-card] select[data-field]");
    if (!select) return;
    const pupil = Number(select.closest("[data-pupil-card]").dataset.pupilCard);
    const draft = ctx.drafts.get(pupil) || {};
    draft[select.dataset.field] = new Set([...select.selectedOptions].map((o) => Number(o.value)));
    ctx.drafts.set(pupil, draft);
  });

  ctx.addForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const pupil = Number(ctx.addForm.querySelector("select").value);
    if (pupil) override(pupil, "instruction", { wanted: true }, ctx.addForm);
  });

  bindHelp(ctx);
  bindAlerts(ctx);
  bindEndLesson(ctx);
  setInterval(() => { renderAlerts(ctx); renderHelp(ctx); }, 30000);

  // The class at a glance: every pupil a small tile, the rest beside it. The teacher's
  // choice is kept per device; without one, a class of more than GLANCE_FROM pupils
  // starts at a glance (their cards would not fit one screen).
  const GLANCE_FROM = 12;
  const compactToggle = document.querySelector("[data-compact-toggle]");
  function setCompact(on, remember = true) {
    document.body.classList.toggle("class-compact", on);
    if (compactToggle) compactToggle.setAttribute("aria-pressed", String(on));
    if (remember) localStorage.setItem("leerregie-compact", on ? "on" : "off");
  }
  compactToggle?.addEventListener("click", () => setCompact(!document.body.classList.contains("class-compact")));

  const snapshot = JSON.parse(document.getElementById("dashboard-snapshot").textContent);
  const kept = localStorage.getItem("leerregie-compact");
  setCompact(kept ? kept === "on" : snapshot.pupils.length > GLANCE_FROM, false);
  load(snapshot);
  live(`/ws/les/${ctx.lessonId}/`, { root, onOpen: fetchSnapshot, onMessage });
}
