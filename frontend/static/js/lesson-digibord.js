// The lesson on the class screen, live: every lesson.changed (a pupil chose, the teacher
// decided) fetches the page again, at most once a second, and swaps its content. What
// the class sees is rendered by the server, without names.
import { live } from "./live.js";

const root = document.querySelector("[data-lesson-digibord]");
let timer = null;

async function refresh() {
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const next = doc.querySelector("[data-lesson-digibord]");
    const current = document.querySelector("[data-lesson-digibord]");
    if (next && current) current.replaceWith(next);
  } catch {
    // offline: the next event or reconnect fetches again
  }
}

function soon() {
  if (timer) return;
  timer = setTimeout(() => { timer = null; refresh(); }, 1000);
}

if (root) {
  live(`/ws/les/${root.dataset.lesson}/`, { root: document.body, onOpen: soon, onMessage: soon });
}
