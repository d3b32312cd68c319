// A pupil's home follows the class: when a lesson starts or ends the page reloads, so
// the logbook tile appears (or goes) without anyone touching the screen. A reconnect
// reloads too, in case a lesson started while the connection was down.
import { live } from "./live.js";

const root = document.querySelector("[data-class-live]");

if (root) {
  let opened = false;
  live(`/ws/klas/${root.dataset.classLive}/`, {
    root,
    onOpen: () => {
      if (opened) window.location.reload();
      opened = true;
    },
    onMessage: (event) => {
      if (event.type === "lessons.changed") window.location.reload();
    },
  });
}
