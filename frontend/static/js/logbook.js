// The rekenlogboek: every tap is saved at once (with an idempotency key), then the page
// shows the stored state again, so what the pupil sees is what the teacher sees. Without
// a connection the tap waits in the outbox; the page shows it and reloads once all is sent.
import { errorText } from "./api.js";
import { submit } from "./outbox.js";
import { texts as text } from "./texts.js";

const root = document.querySelector("[data-logbook]");

function say(section, message, state) {
  const line = section.querySelector("[data-state-line]");
  line.textContent = message;
  line.dataset.state = state;
}

let waiting = false;

async function send(section, url, body, button) {
  say(section, text.saving, "saving");
  const result = await submit(url, body);
  if (result.state === "saved") {
    window.location.reload();
    return;
  }
  if (result.state === "refused") {
    say(section, `${text.failed} ${errorText(result.data)}`, "failed");
    return;
  }
  if (button) button.setAttribute("aria-pressed", String(button.getAttribute("aria-pressed") !== "true"));
  say(section, text.queued, "saving");
  waiting = true;
}

window.addEventListener("outbox:drained", () => {
  if (waiting) window.location.reload();
});

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
    return { wanted, reason: button.dataset.reason || pressedReason || "", text: input ? input.value : "" };
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
  return null;
}

function pressOne(container, selector, button) {
  container.querySelectorAll(selector).forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
}

if (root) {
  const lesson = Number(root.dataset.lesson);
  root.addEventListener("click", (event) => {
    const section = event.target.closest("section");
    const choice = event.target.closest("button[data-aspect]");
    if (choice) {
      send(
        section,
        "/api/logbook-entries/choose/",
        { lesson, aspect: choice.dataset.aspect, value: valueFor(section, choice) },
        choice,
      );
      return;
    }
    const level = event.target.closest("[data-eval-goal] button.level");
    if (level) pressOne(level.closest("[data-eval-goal]"), "button.level", level);
    const mood = event.target.closest("button[data-mood]");
    if (mood) pressOne(section, "button[data-mood]", mood);
    if (event.target.closest("[data-evaluate]")) {
      const chosenMood = section.querySelector("button[data-mood][aria-pressed=true]");
      if (!chosenMood) {
        say(section, text.chooseMood, "failed");
        return;
      }
      const levels = [...section.querySelectorAll("[data-eval-goal]")]
        .map((goal) => ({ goal: Number(goal.dataset.evalGoal), pressed: goal.querySelector("button.level[aria-pressed=true]") }))
        .filter((row) => row.pressed)
        .map((row) => ({ goal: row.goal, level: Number(row.pressed.dataset.level) }));
      send(section, "/api/logbook-entries/evaluate/", {
        lesson,
        levels,
        mood: chosenMood.dataset.mood,
        text: section.querySelector("[data-evaluation-text]").value,
      });
    }
  });
  root.dataset.ready = "1";
}
