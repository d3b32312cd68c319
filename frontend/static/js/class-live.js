// A pupil's home follows the class without a reload: when a lesson starts, ends or
// closes its evaluation, the home is fetched again and its live part swapped in place,
// so "Mijn logboek" or "Hoe ging het?" appears (or goes) without anyone touching the
// screen. A reconnect fetches too, in case something changed while the connection was down.
import { live } from "./live.js";

const root = document.querySelector("[data-class-live]");

async function refresh() {
  try {
    const response = await fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const next = doc.querySelector("[data-live-region]");
    const current = document.querySelector("[data-live-region]");
    if (next && current) current.innerHTML = next.innerHTML;
    root.dataset.refreshes = String(Number(root.dataset.refreshes || 0) + 1);
  } catch {
    // offline: the next message or reconnect tries again
  }
}

if (root) {
  let opened = false;
  live(`/ws/klas/${root.dataset.classLive}/`, {
    root,
    onOpen: () => {
      if (opened) refresh();
      opened = true;
    },
    onMessage: (event) => {
      if (event.type === "lessons.changed") refresh();
    },
  });
}
