// One WebSocket kept open to the server. Reconnects back off exponentially (0.5 s
// doubling, capped at 30 s) with full jitter, so a restarted server is not hit by a whole
// school in the same millisecond. The page's [data-connection] banner says when the
// connection is lost and when it is back; `root.dataset.live` is "1" while connected and
// "ended" after the server ended the socket for good (logged out, no longer allowed).
import { texts } from "./texts.js";

export function live(path, { root, onOpen, onMessage }) {
  const banner = document.querySelector("[data-connection]");
  let attempt = 0;
  let lost = false;
  let hideTimer = null;

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${window.location.host}${path}`);
    socket.addEventListener("open", () => {
      attempt = 0;
      if (lost && banner) {
        banner.textContent = texts.back;
        banner.dataset.state = "back";
        clearTimeout(hideTimer);
        hideTimer = setTimeout(() => { banner.hidden = true; }, 3000);
      }
      lost = false;
      if (root) root.dataset.live = "1";
      if (onOpen) onOpen();
    });
    socket.addEventListener("message", (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      if (onMessage) onMessage(data);
    });
    socket.addEventListener("close", (event) => {
      if (root) root.dataset.live = "0";
      // 4401: the login session ended (logged out, expired); 4403: no longer allowed.
      // Trying again cannot help: say so, and stop.
      if (event.code === 4401 || event.code === 4403) {
        if (banner) {
          clearTimeout(hideTimer);
          banner.hidden = false;
          banner.textContent = texts.ended;
          banner.dataset.state = "lost";
        }
        if (root) root.dataset.live = "ended";
        return;
      }
      lost = true;
      if (banner) {
        clearTimeout(hideTimer);
        banner.hidden = false;
        banner.textContent = texts.lost;
        banner.dataset.state = "lost";
      }
      const delay = Math.random() * Math.min(30000, 500 * 2 ** attempt);
      attempt += 1;
      setTimeout(connect, delay);
    });
  }
  connect();
}
