// The doelenboekje: tap a level to mark how far you are, tap the star for "next".
// A tap shows at once: the tile is pressed before anything is sent, and "Bewaard"
// follows when the server has it. Marks go through the outbox: without a connection
// they wait (the tile stays pressed) and are sent later. When the server refuses, the
// tile goes back to what the server has, with a friendly word; the page never reloads.
import { pending, submit } from "./outbox.js";
import { speak } from "./speak.js";
import { texts as text } from "./texts.js";

const booklet = document.querySelector("[data-booklet]");
const lang = document.documentElement.lang || "nl";
const cards = new WeakMap(); // card -> {level, starred, levelTaps, starTaps}

function stateOf(card) {
  if (!cards.has(card)) {
    cards.set(card, {
      level: card.querySelector('button.level[aria-pressed="true"]'),
      starred: card.querySelector("button[data-star]")?.getAttribute("aria-pressed") === "true",
      levelTaps: 0,
      starTaps: 0,
    });
  }
  return cards.get(card);
}

function setState(card, state, words = text[state]) {
  const el = card.querySelector("[data-save-state]");
  el.textContent = words;
  el.dataset.state = state;
}

function press(card, chosen) {
  card.querySelectorAll("button.level").forEach((b) => b.setAttribute("aria-pressed", String(b === chosen)));
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
  const state = stateOf(card);
  const tap = ++state.levelTaps;
  press(card, button);
  setState(card, "saving");
  speak(button.dataset.descriptor);
  const result = await submit("/api/self-assessments/", {
    goal: Number(card.dataset.goal),
    level: Number(button.dataset.level),
  });
  const latest = tap === state.levelTaps;
  if (result.state === "refused") {
    if (latest) {
      press(card, state.level);
      setState(card, "failed", text.bookletRefused);
    }
    return;
  }
  state.level = button; // stored, or waiting in the outbox to be stored
  addToHistory(card, button);
  if (latest) setState(card, result.state === "saved" ? "saved" : "queued");
}

async function toggleStar(card, button) {
  const state = stateOf(card);
  const tap = ++state.starTaps;
  const starred = button.getAttribute("aria-pressed") !== "true";
  button.setAttribute("aria-pressed", String(starred));
  setState(card, "saving");
  const result = await submit(`/api/goals/${card.dataset.goal}/star/`, { starred });
  const latest = tap === state.starTaps;
  if (result.state === "refused") {
    if (latest) {
      button.setAttribute("aria-pressed", String(state.starred));
      setState(card, "failed", text.bookletRefused);
    }
    return;
  }
  state.starred = result.state === "saved" ? Boolean(result.data.starred) : starred;
  if (latest) {
    button.setAttribute("aria-pressed", String(state.starred));
    setState(card, result.state === "saved" ? "saved" : "queued");
  }
}

// After a reload (offline, from the cache) the page shows what still waits in the
// outbox: those taps are the pupil's latest word, not what the server last had.
async function showWaiting() {
  let items = [];
  try {
    items = await pending();
  } catch {
    return; // no IndexedDB: nothing can wait
  }
  for (const item of items) {
    if (item.kind !== "json" || !item.body) continue;
    const body = JSON.parse(item.body);
    const star = item.url.match(/^\/api\/goals\/(\d+)\/star\/$/);
    const goal = star ? star[1] : item.url === "/api/self-assessments/" ? body.goal : null;
    const card = goal && booklet.querySelector(`article[data-goal="${goal}"]`);
    if (!card) continue;
    const state = stateOf(card);
    if (state.levelTaps || state.starTaps) continue; // tapped since: that tap is newer
    if (star) {
      state.starred = Boolean(body.starred);
      card.querySelector("button[data-star]")?.setAttribute("aria-pressed", String(state.starred));
    } else {
      state.level = card.querySelector(`button.level[data-level="${body.level}"]`) || state.level;
      press(card, state.level);
    }
    setState(card, "queued");
  }
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
  showWaiting().finally(() => {
    booklet.dataset.waitingShown = "1";
  });
}
