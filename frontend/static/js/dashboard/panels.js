// Beside the class: the help queue, the alerts, the instruction group, who works where,
// and the evaluation count at the end of the lesson.
import { errorText, postJSON } from "../api.js";
import { format, texts } from "../texts.js";
import { avatar, el, minutesSince, sorted, who } from "./dom.js";

export function renderInstruction(ctx) {
  const { state } = ctx;
  const group = sorted(ctx).filter((r) => r.entry?.instruction === true);
  ctx.instructionEl.replaceChildren(
    ...(group.length
      ? group.map((r) =>
          el(
            "li",
            { "data-testid": "instruction-member" },
            avatar(ctx, r),
            el("span", { text: r.entry.instruction_reason ? `${r.name} (${state.labels.reasons[r.entry.instruction_reason]})` : r.name }),
            who(r.entry, "instruction"),
            el("button", { type: "button", class: "remove", "data-pupil": r.pupil, "data-override": "instruction", "data-value": "no", "aria-label": format(texts.takeOut, { name: r.name }), text: "✕" }),
          ),
        )
      : [el("li", { class: "legend", text: texts.nobodyInInstruction })]),
  );
  ctx.addForm.querySelector("select").replaceChildren(
    el("option", { value: "", text: texts.chooseAPupil }),
    ...sorted(ctx).filter((r) => r.entry?.instruction !== true).map((r) => el("option", { value: r.pupil, text: r.name })),
  );
}

export function renderPlaces(ctx) {
  const { state, staticUrl } = ctx;
  const at = new Map(state.places.map((p) => [p.id, []]));
  const nowhere = [];
  for (const row of sorted(ctx)) {
    const id = row.entry?.place;
    if (id && at.has(id)) at.get(id).push(row);
    else nowhere.push(row);
  }
  const box = (name, icon, members, capacity, testid) =>
    el(
      "div",
      { class: `place-box${icon ? "" : " nowhere"}`, "data-testid": testid, "data-place": name },
      el("h3", {}, icon ? el("img", { src: `${staticUrl}pictograms/${icon}.svg`, alt: "", width: 28, height: 28 }) : null, ` ${name} `, el("small", { text: capacity ? `${members.length}/${capacity}` : `${members.length}` })),
      el("ul", {}, ...members.map((r) => el("li", { text: r.name }))),
    );
  ctx.placesEl.replaceChildren(
    ...state.places.map((p) => box(p.name, p.icon, at.get(p.id), p.capacity, "place-box")),
    box(texts.noPlace, null, nowhere, null, "place-nowhere"),
  );
}

// --- Help requests: the teacher's own queue, oldest first, with the waiting time. ---

const HELP_ICONS = { dont_understand: "icons/reason-dont_understand.svg", done: "icons/yes.svg", missing: "icons/reason-other.svg" };
const HELP_ALERT_MINUTES = 3;
const waiting = (ctx) => sorted(ctx).filter((r) => r.help).sort((a, b) => Date.parse(a.help.asked_at) - Date.parse(b.help.asked_at));

export function renderHelp(ctx) {
  const helpEl = ctx.helpEl;
  if (!helpEl) return;
  const queue = waiting(ctx);
  helpEl.replaceChildren(
    ...(queue.length
      ? queue.map((r) =>
          el(
            "li",
            { "data-testid": "help-request", "data-pupil": r.name },
            el("img", { src: `${ctx.staticUrl}${HELP_ICONS[r.help.reason]}`, alt: "" }),
            el("strong", { text: r.name }),
            el("span", { text: ctx.state.labels.help[r.help.reason] }),
            el("small", { class: "waited", text: format(texts.helpWaited, { minutes: minutesSince(r.help.asked_at) }) }),
            r.help.coming
              ? el("span", { class: "state-badge working", "data-testid": "help-on-the-way", text: texts.helpComing })
              : el("button", { type: "button", class: "button", "data-help-answer": "coming", "data-pupil": r.pupil, "data-testid": "help-answer-coming", text: texts.helpComing }),
            el("button", { type: "button", class: "button secondary", "data-help-answer": "done", "data-pupil": r.pupil, "data-testid": "help-answer-done", text: texts.helpDone }),
          ),
        )
      : [el("li", { class: "empty", text: texts.helpNone })]),
  );
}

export function bindHelp(ctx) {
  ctx.helpEl?.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-help-answer]");
    if (!button) return;
    button.disabled = true;
    let result;
    try {
      result = await postJSON(ctx.urls.helpAnswer, { lesson: ctx.lessonId, pupil: Number(button.dataset.pupil), answer: button.dataset.helpAnswer });
    } catch {
      result = { ok: false, data: { detail: [texts.failed] } };
    }
    if (!result.ok) {
      button.disabled = false;
      if (ctx.status) {
        ctx.status.hidden = false;
        ctx.status.textContent = errorText(result.data) || texts.failed;
      }
    }
  });
}

// --- Alerts that say why, on this device only; each kind can be switched off (kept per
// device). Nothing chosen: counted from the start, so a lesson that just began is calm. ---

const NOTHING_AFTER_MINUTES = 5;
const alertOn = (kind) => localStorage.getItem(`leerregie-alert-${kind}`) !== "off";

export function bindAlerts(ctx) {
  bindAlertSeen(ctx);
  for (const box of ctx.alertsEl?.querySelectorAll("[data-alert-kind]") || []) {
    box.checked = alertOn(box.dataset.alertKind);
    box.addEventListener("change", () => {
      localStorage.setItem(`leerregie-alert-${box.dataset.alertKind}`, box.checked ? "on" : "off");
      renderAlerts(ctx);
    });
  }
}

export function renderAlerts(ctx) {
  const { alertsEl, state } = ctx;
  if (!alertsEl || !state) return;
  const items = [];
  const summary = state.summary;
  const started = summary.started_at ? Date.parse(summary.started_at) : null;
  const minutes = started === null ? 0 : Math.floor((Date.now() - started) / 60000);
  const all = sorted(ctx);
  const names = (rows) => rows.map((r) => r.name).join(", ");
  if (alertOn("nothing") && summary.running && minutes >= NOTHING_AFTER_MINUTES) {
    const none = all.filter((r) => r.state === "none");
    if (none.length) items.push(["nothing", format(texts.alertNothing, { minutes, names: names(none) })]);
  }
  if (alertOn("instruction") && summary.running) {
    const seen = seenLeftOut(ctx);
    const left = all.filter((r) => r.entry?.instruction_asked && r.entry.instruction !== true && !seen.has(r.pupil));
    if (left.length) items.push(["instruction", format(texts.alertInstruction, { names: names(left) }), left.map((r) => r.pupil)]);
  }
  if (alertOn("full")) {
    for (const place of state.places) {
      if (!place.capacity) continue;
      const there = all.filter((r) => r.entry?.place === place.id);
      if (there.length > place.capacity) {
        items.push(["full", format(texts.alertFull, { place: place.name, capacity: place.capacity, count: there.length, names: names(there) })]);
      }
    }
  }
  if (alertOn("help")) {
    const long = waiting(ctx).filter((r) => !r.help.coming && minutesSince(r.help.asked_at) >= HELP_ALERT_MINUTES);
    if (long.length) items.push(["help", format(texts.alertHelp, { minutes: HELP_ALERT_MINUTES, names: names(long) })]);
  }
  alertsEl.querySelector("[data-alert-list]").replaceChildren(
    ...items.map(([kind, text, pupils]) =>
      el(
        "li",
        { class: `alert alert-${kind}`, "data-testid": `alert-${kind}` },
        text,
        // A pupil the teacher took out on purpose: "gezien" quiets it for this lesson.
        pupils ? el("button", { type: "button", class: "button secondary small", "data-alert-seen": pupils.join(" "), "data-testid": `alert-${kind}-seen`, text: texts.alertSeen }) : null,
      ),
    ),
  );
}

const seenKey = (ctx) => `leerregie-left-out-${ctx.lessonId}`;
const seenLeftOut = (ctx) => new Set((localStorage.getItem(seenKey(ctx)) || "").split(" ").filter(Boolean).map(Number));

export function bindAlertSeen(ctx) {
  ctx.alertsEl?.addEventListener("click", (event) => {
    const button = event.target.closest("[data-alert-seen]");
    if (!button) return;
    const seen = seenLeftOut(ctx);
    button.dataset.alertSeen.split(" ").forEach((id) => seen.add(Number(id)));
    localStorage.setItem(seenKey(ctx), [...seen].join(" "));
    renderAlerts(ctx);
  });
}

// --- The end of the lesson. ---

const evaluated = (ctx) => [...ctx.rows.values()].filter((r) => r.state === "evaluated").length;

export function renderEvaluation(ctx) {
  const counter = document.querySelector("[data-evaluated-count]");
  if (counter) counter.textContent = format(texts.evaluatedCount, { count: evaluated(ctx), total: ctx.rows.size });
}

// Ending the lesson asks first, and says how many pupils have not evaluated yet.
export function bindEndLesson(ctx) {
  document.querySelector("[data-end-lesson]")?.addEventListener("submit", (event) => {
    const message = format(texts.endLessonConfirm, { pending: ctx.rows.size - evaluated(ctx), total: ctx.rows.size });
    if (!window.confirm(message)) event.preventDefault();
  });
}
