// The doelenboekje: tap a level to mark how far you are, tap the star for "next".
// Marks go through the outbox: without a connection they wait and are sent later.
import { submit } from "./outbox.js";
import { speak } from "./speak.js";
import { texts as text } from "./texts.js";

const booklet = document.querySelector("[data-booklet]");
const lang = document.documentElement.lang || "nl";

function setState(card, state) {
  const el = card.querySelector("[data-save-state]");
  el.textContent = text[state];
  el.dataset.state = state;
}

function addToHistory(card, button) {
  const item = document.createElement("li");
  const img = button.querySelector("img").cloneNode();
  img.alt = button.dataset.descriptor;
  img.width = img.height = 28;
  const time = document.createElement("time");
  time.textContent = new Date().toLocaleDateString(lang, { day: "numeric", month: "short" });
  item.append(img, time);
  card.querySelector("[data-history]").append(item);
}

async function markLevel(card, button) {
  speak(button.dataset.descriptor);
  setState(card, "saving");
  const result = await submit("/api/self-assessments/", {
    goal: Number(card.dataset.goal),
    level: Number(button.dataset.level),
  });
  if (result.state === "refused") {
    setState(card, "failed");
    return;
  }
  card.querySelectorAll("button.level").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
  addToHistory(card, button);
  setState(card, result.state === "saved" ? "saved" : "queued");
}

async function toggleStar(card, button) {
  const starred = button.getAttribute("aria-pressed") !== "true";
  setState(card, "saving");
  const result = await submit(`/api/goals/${card.dataset.goal}/star/`, { starred });
  if (result.state === "refused") {
    setState(card, "failed");
    return;
  }
  button.setAttribute("aria-pressed", String(result.state === "saved" ? result.data.starred : starred));
  setState(card, result.state === "saved" ? "saved" : "queued");
}

if (booklet) {
  booklet.addEventListener("click", (event) => {
    const card = event.target.closest("[data-goal]");
    if (!card) return;
    const level = event.target.closest("button.level");
    if (level) markLevel(card, level);
    const star = event.target.closest("button[data-star]");
    if (star) toggleStar(card, star);
  });
  booklet.dataset.ready = "1";
}
