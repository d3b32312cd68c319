// Scanning a QR code with the device's camera, where the browser can read one itself
// (`BarcodeDetector`: Chromebooks, Android tablets). Elsewhere the button never appears
// and the class code is typed. Only a code of this Leerregie opens: a class
// (/klas/<code>/) or a pupil's login card (/klas/<code>/#<login token>).
import { texts } from "./texts.js";

const box = document.querySelector("[data-scan]");

// A card printed before the login token moved behind the # held /klas/<code>/<token>/:
// opened as /klas/<code>/#<token>, the token stays out of the request (and the logs).
const OLD_CARD = /^\/klas\/([^/]+)\/([A-Za-z0-9_-]{12,})\/$/;

function ourLoginUrl(raw) {
  try {
    const url = new URL(raw, location.href);
    if (url.origin !== location.origin || !/^\/klas\/[^/]+\//.test(url.pathname)) return null;
    const old = url.pathname.match(OLD_CARD);
    if (old) return new URL(`/klas/${old[1]}/#${old[2]}`, location.href);
    return url;
  } catch {
    return null;
  }
}

if (box && "BarcodeDetector" in window && navigator.mediaDevices?.getUserMedia) {
  const start = box.querySelector("[data-scan-start]");
  const view = box.querySelector("[data-scan-view]");
  const video = box.querySelector("video");
  const message = box.querySelector("[data-scan-message]");
  let stream = null;
  let timer = null;

  const say = (text) => {
    message.textContent = text || "";
    message.hidden = !text;
  };

  const stop = () => {
    clearInterval(timer);
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    view.hidden = true;
    start.hidden = false;
    document.body.classList.remove("scanning");
  };

  start.addEventListener("click", async () => {
    say("");
    let detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" },
        audio: false,
      });
    } catch {
      stop();
      say(texts.scanNoCamera);
      return;
    }
    video.srcObject = stream;
    await video.play().catch(() => {});
    start.hidden = true;
    view.hidden = false;
    document.body.classList.add("scanning"); // the camera takes the typing's place
    let busy = false;
    timer = setInterval(async () => {
      if (busy || video.readyState < 2) return;
      busy = true;
      try {
        for (const code of await detector.detect(video)) {
          const url = ourLoginUrl(code.rawValue);
          if (url) {
            stop();
            location.assign(url.href);
            return;
          }
          say(texts.scanNotOurs);
        }
      } catch {
        // a frame the detector could not read: try the next one
      } finally {
        busy = false;
      }
    }, 200);
  });
  box.querySelector("[data-scan-stop]").addEventListener("click", stop);
  box.hidden = false;
}
if (box) box.dataset.ready = "1";
