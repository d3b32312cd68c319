// Photo reflection: pick "what went well" or "what I still want to learn", take or choose
// a photo; it is made smaller in the browser (saves the school's wifi) and uploaded
// through the outbox (kept until the server has it, even across a reload). The server
// checks and cleans it again whatever the browser did.
import { errorText } from "./api.js";
import { submit } from "./outbox.js";
import { texts } from "./texts.js";

const MAX_SIDE = 1600;
const text = {
  saving: texts.photoSaving,
  saved: texts.photoSaved,
  failed: texts.photoFailed,
  queued: texts.photoQueued,
};

async function shrink(file) {
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
    return blob ? new File([blob], "foto.jpg", { type: "image/jpeg" }) : file;
  } catch {
    // Not something the browser can draw: send it as it is and let the server explain.
    return file;
  }
}

function setState(box, state, detail = "") {
  const el = box.querySelector("[data-photo-state]");
  el.textContent = detail ? `${text[state]} ${detail}` : text[state];
  el.dataset.state = state;
}

document.querySelectorAll("[data-photo-box]").forEach((box) => {
  const prompts = [...box.querySelectorAll("button.prompt")];
  prompts.forEach((button) =>
    button.addEventListener("click", () =>
      prompts.forEach((b) => b.setAttribute("aria-pressed", String(b === button))),
    ),
  );
  const input = box.querySelector("[data-photo-input]");
  if (!input) return; // an earlier school year's block: its photos to look at, no camera
  input.addEventListener("change", async () => {
    const file = input.files[0];
    if (!file) return;
    setState(box, "saving");
    const form = new FormData();
    form.append("image", await shrink(file));
    if (box.dataset.goal) form.append("goal", box.dataset.goal);
    if (box.dataset.lesson) form.append("lesson", box.dataset.lesson);
    if (box.dataset.plan) form.append("plan", box.dataset.plan); // the planbord's photos
    form.append("prompt", prompts.find((b) => b.getAttribute("aria-pressed") === "true")?.dataset.prompt || "");
    const image = form.get("image");
    const result = await submit(box.dataset.upload || "/api/photos/", form);
    if (result.state === "refused") {
      setState(box, "failed", errorText(result.data));
    } else {
      const item = document.createElement("li");
      const img = document.createElement("img");
      img.src = result.state === "saved" ? result.data.thumbnail_url : URL.createObjectURL(image);
      img.width = 96;
      img.alt = "";
      item.append(img);
      box.querySelector("[data-thumbs]").append(item);
      setState(box, result.state === "saved" ? "saved" : "queued");
    }
    input.value = "";
  });
});
document.body.dataset.photosReady = "1";
