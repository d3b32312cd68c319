// The rekenlogboek, one step per screen. A tap changes the tile at once (optimistic),
// then goes through the outbox (idempotency key, kept offline) and the step line says
// "Bewaard" when the server confirms; a refusal puts the tiles back with the server's
// friendly message. The page never reloads: after an evaluation, and whenever the
// teacher changes something (an override, the lesson's end) the same page is fetched
// and its [data-region] swapped in place, keeping the step the pupil is on.
import { errorText } from "./api.js";
import { live } from "./live.js";
import { submit } from "./outbox.js";
import { speak } from "./speak.js";
import { texts as text } from "./texts.js";

const root = document.querySelector("[data-logbook]");
const photoBox = root && root.querySelector("[data-photo-box]");
const stateLine = root && root.querySelector("[data-state-line]");
const SINGLE = new Set(["instruction", "place", "order"]); // one tap decides: go on
let step = null;
let region = null;
let lesson = 0;
let advance = null; // the pending "on to the next step" after a one-tap answer
const latest = {}; // aspect -> number of the last tap, so an older answer never wins

function say(message, state) {
  stateLine.textContent = message;
  stateLine.dataset.state = state;
}

const steps = () => [...region.querySelectorAll("[data-step]")];
const stepEl = (name) => region.querySelector(`[data-step="${name}"]`);

function show(name) {
  const target = stepEl(name) || steps()[0];
  if (!target) return;
  step = target.dataset.step;
  steps().forEach((s) => { s.hidden = s !== target; });
  region.querySelectorAll(".strip-step").forEach((b) => {
    if (b.dataset.go === step) b.setAttribute("aria-current", "step");
    else b.removeAttribute("aria-current");
  });
  const order = steps().map((s) => s.dataset.step);
  const i = order.indexOf(step);
  root.querySelector("[data-back]").hidden = i <= 0;
  root.querySelector("[data-next]").hidden = i >= order.length - 1 || step === "done";
  root.dataset.step = step;
  if (step === "done") summarise();
}

// The evaluation asks about the goals chosen (the page holds every goal on offer), and a
// photo goes with the first of them: both follow each tap on a goal at once.
function followGoals(ids) {
  region.querySelectorAll("[data-eval-goal]").forEach((goal) => {
    goal.hidden = !ids.includes(Number(goal.dataset.evalGoal));
  });
  if (photoBox) photoBox.dataset.goal = ids.length ? String(ids[0]) : "";
}

// "Klaar!": every answer once more, with its picture (from the strip).
function summarise() {
  const list = region.querySelector("[data-done-summary]");
  if (!list) return;
  list.replaceChildren(
    ...[...region.querySelectorAll(".strip-step")]
      .filter((b) => b.querySelector("[data-answer]") && b.querySelector("[data-answer]").textContent)
      .map((b) => {
        const item = document.createElement("li");
        item.append(b.querySelector("img").cloneNode(), ` ${b.querySelector(".strip-q").textContent}: `);
        const answer = document.createElement("strong");
        answer.textContent = b.querySelector("[data-answer]").textContent;
        item.append(answer);
        return item;
      }),
  );
}

// Next and back skip what the teacher decided (still visible through the strip).
function move(delta) {
  const order = steps();
  let i = order.findIndex((s) => s.dataset.step === step) + delta;
  while (order[i] && order[i].dataset.fixed && order[i].dataset.step !== "done") i += delta;
  if (order[i]) show(order[i].dataset.step);
}

function firstStep() {
  const phase = region.dataset.phase;
  if (phase !== "entry") return "evaluation";
  const open = steps().filter((s) => !s.dataset.fixed && s.dataset.aspectSection);
  const todo = open.find((s) => !s.querySelector("[data-aspect][aria-pressed=true]"));
  return todo ? todo.dataset.step : open.length ? "done" : "done";
}

const pressedIds = (section, aspect) =>
  [...section.querySelectorAll(`[data-aspect="${aspect}"][aria-pressed="true"]`)]
    .map((b) => b.dataset.id)
    .filter(Boolean)
    .map(Number);

function valueFor(section, button) {
  const aspect = button.dataset.aspect;
  if (aspect === "goal") {
    const id = Number(button.dataset.id);
    const ids = new Set(pressedIds(section, "goal"));
    ids.has(id) ? ids.delete(id) : ids.add(id);
    return [...ids];
  }
  if (aspect === "instruction") {
    const wanted = button.dataset.wanted === "yes";
    const pressedReason = section.querySelector("[data-reason][aria-pressed=true]")?.dataset.reason;
    const input = section.querySelector("[data-instruction-text]");
    return { wanted, reason: wanted ? button.dataset.reason || pressedReason || "" : "", text: input ? input.value : "" };
  }
  if (aspect === "partner") {
    if (!button.dataset.id) return [];
    const id = Number(button.dataset.id);
    const max = Number(button.dataset.max || 1);
    let ids = pressedIds(section, "partner");
    if (ids.includes(id)) return ids.filter((x) => x !== id);
    ids = [...ids, id];
    return ids.slice(Math.max(0, ids.length - max));
  }
  if (aspect === "place") return Number(button.dataset.id);
  if (aspect === "order") return button.dataset.value;
  return null;
}

// Which tiles of the section are pressed for a value (or for the server's entry).
function pressFor(section, aspect, value) {
  section.querySelectorAll(`button[data-aspect="${aspect}"]:not([data-with-text])`).forEach((b) => {
    let on = false;
    if (aspect === "goal") on = value.includes(Number(b.dataset.id));
    if (aspect === "partner") on = b.dataset.id ? value.includes(Number(b.dataset.id)) : value.length === 0;
    if (aspect === "place") on = Number(b.dataset.id) === value;
    if (aspect === "order") on = b.dataset.value === value;
    if (aspect === "instruction") {
      if (b.dataset.reason) on = value.wanted === true && b.dataset.reason === value.reason;
      else on = (b.dataset.wanted === "yes") === value.wanted;
    }
    b.setAttribute("aria-pressed", String(on));
  });
  if (aspect === "goal") followGoals(value);
  const answer = region.querySelector(`[data-answer="${aspect}"]`);
  if (answer) {
    const seen = new Set();
    answer.textContent = [...section.querySelectorAll(`button[data-aspect="${aspect}"][aria-pressed="true"]`)]
      .map((b) => b.dataset.label)
      .filter((label) => label && !seen.has(label) && seen.add(label))
      .join(", ");
  }
}

function fromServer(aspect, entry) {
  if (aspect === "goal") return entry.goals;
  if (aspect === "partner") return entry.alone ? [] : entry.partners;
  if (aspect === "place") return entry.place;
  if (aspect === "order") return entry.first_step;
  return { wanted: entry.instruction, reason: entry.instruction_reason };
}

const snapshot = (section) =>
  [...section.querySelectorAll("button[aria-pressed]")].map((b) => [b, b.getAttribute("aria-pressed")]);

async function choose(section, button) {
  const aspect = button.dataset.aspect;
  const value = valueFor(section, button);
  const before = snapshot(section);
  const answerEl = region.querySelector(`[data-answer="${aspect}"]`);
  const answerBefore = answerEl ? answerEl.textContent : "";
  pressFor(section, aspect, value); // at once, before anything is sent
  speak(button.dataset.say || button.dataset.label || button.textContent.trim());
  const single = SINGLE.has(aspect) && !(aspect === "instruction" && value.wanted && !button.dataset.reason);
  const partnerDone = aspect === "partner" && (value.length === 0 || Number(button.dataset.max || 1) === 1);
  clearTimeout(advance);
  if ((single || partnerDone) && !button.dataset.withText) {
    const here = step;
    advance = setTimeout(() => { if (step === here) move(1); }, 350);
  }
  say(text.saving, "saving");
  const n = (latest[aspect] = (latest[aspect] || 0) + 1);
  const result = await submit("/api/logbook-entries/choose/", { lesson, aspect, value });
  if (n !== latest[aspect]) return; // a later tap on this question decides
  if (result.state === "saved") {
    pressFor(section, aspect, fromServer(aspect, result.data));
    say(text.saved, "saved");
  } else if (result.state === "refused") {
    clearTimeout(advance); // stay (or come back) where the answer was refused
    before.forEach(([b, pressed]) => b.setAttribute("aria-pressed", pressed));
    if (answerEl) answerEl.textContent = answerBefore;
    show(section.dataset.step);
    say(errorText(result.data) || text.failed, "failed"); // the server's own friendly words
  } else {
    button.dataset.pending = "1"; // waits in the outbox (the banner counts what waits)
    say(text.queued, "saving");
  }
}

// "Ik heb hulp nodig" with a pictured reason, or "ik kan verder": the tap shows at once;
// the teacher's "ik kom eraan" arrives live (entry.changed: the region is fetched again).
async function askHelp(button) {
  speak(button.dataset.say || "");
  button.setAttribute("aria-pressed", "true");
  say(text.saving, "saving");
  const result = await submit("/api/logbook-entries/help/", { lesson, reason: button.dataset.help });
  if (result.state === "saved") {
    say(text.saved, "saved");
    refresh();
  } else if (result.state === "refused") {
    button.setAttribute("aria-pressed", "false");
    say(errorText(result.data) || text.failed, "failed");
  } else {
    say(text.queued, "saving");
  }
}

function pressOne(container, selector, button) {
  container.querySelectorAll(selector).forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
}

async function evaluate(section) {
  const line = section.querySelector("[data-eval-line]");
  const chosenMood = section.querySelector("button[data-mood][aria-pressed=true]");
  if (!chosenMood) {
    line.textContent = text.chooseMood;
    line.dataset.state = "failed";
    return;
  }
  const levels = [...section.querySelectorAll("[data-eval-goal]:not([hidden])")]
    .map((goal) => ({ goal: Number(goal.dataset.evalGoal), pressed: goal.querySelector("button.level[aria-pressed=true]") }))
    .filter((row) => row.pressed)
    .map((row) => ({ goal: row.goal, level: Number(row.pressed.dataset.level) }));
  line.textContent = text.saving;
  line.dataset.state = "saving";
  const result = await submit("/api/logbook-entries/evaluate/", {
    lesson,
    levels,
    mood: chosenMood.dataset.mood,
    text: section.querySelector("[data-evaluation-text]").value,
  });
  if (result.state === "saved") {
    await refresh(true);
  } else if (result.state === "refused") {
    line.textContent = `${text.failed} ${errorText(result.data)}`.trim();
    line.dataset.state = "failed";
  } else {
    line.textContent = text.queued;
    line.dataset.state = "saving";
  }
}

// The photo box is bound once by photo.js: it moves into each new region's evaluation.
function placePhotoBox() {
  if (!photoBox) return;
  const place = region.querySelector("[data-photo-place]");
  const goal = region.querySelector("template[data-photo-goal]");
  if (goal) photoBox.dataset.goal = goal.dataset.photoGoal;
  if (place) place.replaceWith(photoBox);
  photoBox.hidden = !place;
}

let refreshing = null;
let refreshAgain = false;

// The page as the server has it now, swapped in without a reload.
async function refresh(force = false) {
  if (!force && document.body.dataset.outboxPending && document.body.dataset.outboxPending !== "0") return;
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      const response = await fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const next = doc.querySelector("[data-logbook] [data-region]");
      if (!next) return;
      const phaseChanged = next.dataset.phase !== region.dataset.phase;
      const evaluatedNow = next.dataset.evaluated && !region.dataset.evaluated;
      if (photoBox) root.append(photoBox); // out of the old region before it goes
      region.replaceWith(next);
      region = next;
      const help = document.querySelector("[data-help-box]");
      const nextHelp = doc.querySelector("[data-help-box]");
      if (help && nextHelp) help.replaceWith(nextHelp);
      placePhotoBox();
      show(phaseChanged || evaluatedNow ? firstStep() : step);
      root.dataset.refreshes = String(Number(root.dataset.refreshes || 0) + 1);
    } catch {
      // offline: the page stays as it is; the next change or reconnect fetches again
    } finally {
      refreshing = null;
      if (refreshAgain) {
        refreshAgain = false;
        refresh();
      }
    }
  })();
  return refreshing;
}

// A change from the teacher (an override, "ik kom eraan", a thumb) while the pupil is
// saying how it went waits until the words and levels are sent: nothing typed is lost.
let editWait = null;
function editing() {
  const form = region.querySelector("[data-evaluation-form]");
  if (step !== "evaluation" || !form || form.hidden) return false;
  const typed = form.querySelector("[data-evaluation-text]")?.value.trim();
  return Boolean(typed || form.querySelector("button[aria-pressed=true]"));
}
function refreshUnlessEditing() {
  clearTimeout(editWait);
  if (editing()) {
    editWait = setTimeout(refreshUnlessEditing, 3000);
    return;
  }
  refresh();
}

if (root) {
  lesson = Number(root.dataset.lesson);
  region = root.querySelector("[data-region]");
  placePhotoBox();
  show(firstStep());
  root.addEventListener("click", (event) => {
    const go = event.target.closest("[data-go]");
    if (go) return show(go.dataset.go);
    if (event.target.closest("[data-next]")) return move(1);
    if (event.target.closest("[data-back]")) return move(-1);
    const section = event.target.closest("section");
    if (!section) return;
    const choice = event.target.closest("button[data-aspect]");
    if (choice) return choose(section, choice);
    const level = event.target.closest("[data-eval-goal] button.level");
    if (level) {
      pressOne(level.closest("[data-eval-goal]"), "button.level", level);
      speak(level.dataset.say);
    }
    const mood = event.target.closest("button[data-mood]");
    if (mood) {
      pressOne(section, "button[data-mood]", mood);
      speak(mood.dataset.say);
      const line = section.querySelector("[data-eval-line]");
      if (line.dataset.state === "failed") line.textContent = "";
    }
    if (event.target.closest("[data-edit-evaluation]")) {
      section.querySelector("[data-saved-evaluation]").hidden = true;
      section.querySelector("[data-evaluation-form]").hidden = false;
    }
    if (event.target.closest("[data-evaluate]")) evaluate(section);
  });
  document.addEventListener("click", (event) => {
    const help = event.target.closest("button[data-help]");
    if (help) askHelp(help);
  });
  window.addEventListener("outbox:drained", () => refresh(true));
  let opened = false;
  live(`/ws/leerling/les/${lesson}/`, {
    root,
    onOpen: () => {
      if (opened) refresh(); // something may have changed while the connection was down
      opened = true;
    },
    onMessage: (event) => {
      if (event.type === "lessons.changed") refresh();
      if (event.type === "entry.changed") refreshUnlessEditing();
    },
  });
  root.dataset.ready = "1";
}
