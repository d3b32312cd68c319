// "Nieuw van de klas" follows the class without a reload: a new reflection, photo or
// reaction (voice.changed on ws/leerkracht/groep/<id>/nieuw/) fetches the page again and
// swaps the stream in place, at most once a second. A comment being typed is never lost:
// while a comment field holds text, the swap waits.
import { live } from "./live.js";

const root = document.querySelector("[data-class-voice]");
let timer = null;

const typing = () => [...document.querySelectorAll("[data-voice-region] input[name=comment]")].some((i) => i.value.trim());

async function refresh() {
  if (typing()) {
    soon(3000);
    return;
  }
  try {
    const response = await fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const next = doc.querySelector("[data-voice-region]");
    const current = document.querySelector("[data-voice-region]");
    if (next && current && !typing()) current.replaceWith(next);
    root.dataset.refreshes = String(Number(root.dataset.refreshes || 0) + 1);
  } catch {
    // offline: the next event or reconnect fetches again
  }
}

function soon(delay = 1000) {
  if (timer) return;
  timer = setTimeout(() => { timer = null; refresh(); }, delay);
}

if (root) {
  let opened = false;
  live(`/ws/leerkracht/groep/${root.dataset.classVoice}/nieuw/`, {
    root,
    onOpen: () => { if (opened) soon(); opened = true; },
    onMessage: (event) => { if (event.type === "voice.changed") soon(); },
  });
}
