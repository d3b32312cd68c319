// The teacher's planbord page, live: every change to the day's board (a child plans,
// ticks off, a seat frees) moves the board's version; the page is then fetched again
// and its [data-teacher-board] swapped in place, unless the teacher is busy in a field
// there (then it waits for her to leave it). Missed hints cost nothing: every
// (re)connect fetches too.
import { live } from "./live.js";

const root = document.querySelector("[data-teacher-board][data-board]");
let fetching = false;
let again = false;

function busy() {
  const active = document.activeElement;
  return active && root.contains(active) && active.matches("input, select, textarea");
}

async function refresh() {
  if (fetching) {
    again = true;
    return;
  }
  fetching = true;
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const next = doc.querySelector("[data-teacher-board]");
    const current = document.querySelector("[data-teacher-board]");
    if (!next || !current || next.dataset.version === current.dataset.version) return;
    if (busy()) {
      document.activeElement.addEventListener("blur", refresh, { once: true });
      return;
    }
    next.dataset.live = current.dataset.live || "";
    current.replaceWith(next);
  } catch {
    // offline: the next hint or reconnect fetches again
  } finally {
    fetching = false;
    if (again) {
      again = false;
      refresh();
    }
  }
}

if (root) {
  let opened = false;
  live(`/ws/planbord/${root.dataset.board}/`, {
    root: document.body,
    onOpen: () => {
      if (opened) refresh();
      opened = true;
    },
    onMessage: (event) => {
      if (event.type === "board.changed") refresh();
    },
  });
}
