// The planbord: draws the board from the API and redraws whenever the server says the
// board changed (a WebSocket hint, see live.js). Missed hints cost nothing: every
// (re)connect fetches the board again.
//
// A tap answers at once: the tile is pressed and carries the child's own avatar before
// the server is asked (optimistic); "Bewaard" follows when the server confirms. A full
// corner puts the tile back, shows its picture with a stop sign and says "Vol, kies een
// andere hoek". A tick looks done only when the server has it.
import { errorText } from "./api.js";
import { submit } from "./outbox.js";
import { live } from "./live.js";
import { speak } from "./speak.js";
import { texts } from "./texts.js";

const root = document.querySelector("[data-planboard]");

if (root) {
  const t = root.dataset;
  const boardId = t.board;
  const me = Number(t.pupil || 0);
  const display = t.mode === "display";
  const slotsEl = root.querySelector("[data-slots]");
  const planEl = root.querySelector("[data-my-plan]");
  const stateLine = root.querySelector("[data-state-line]");
  const notice = root.querySelector("[data-full-notice]");
  const photoBox = document.querySelector("[data-photo-box]");
  let version = -1;
  let board = null;

  const say = (message, state = "") => {
    if (!stateLine) return;
    stateLine.textContent = message;
    stateLine.dataset.state = state;
  };

  function avatar(pupil, colour, cls = "seat") {
    const el = document.createElement("span");
    el.className = `${cls} avatar`;
    el.style.setProperty("--avatar-colour", colour);
    const img = document.createElement("img");
    img.src = `${t.static}pictograms/${pupil}.svg`;
    img.alt = "";
    el.append(img);
    return el;
  }

  function picture(slot, cls = "") {
    const img = document.createElement("img");
    img.src = slot.picture_url;
    img.alt = "";
    if (cls) img.className = cls;
    return img;
  }

  // The seats: the children there now as their avatars (the child's own one marked),
  // then the free seats as empty circles.
  function seats(slot) {
    const wrap = document.createElement("span");
    wrap.className = "seats";
    wrap.setAttribute("aria-label", `${slot.taken}/${slot.capacity}`);
    const there = slot.plans.filter((p) => p.seated);
    there.sort((a, b) => (b.pupil === me) - (a.pupil === me));
    for (const p of there) {
      const seat = avatar(p.avatar, p.colour);
      if (p.pupil === me) {
        seat.classList.add("mine");
        seat.dataset.testid = "my-seat";
      }
      wrap.append(seat);
    }
    for (let i = there.length; i < slot.capacity; i += 1) {
      const free = document.createElement("span");
      free.className = "seat free";
      wrap.append(free);
    }
    const count = document.createElement("span");
    count.className = "count";
    count.textContent = `${slot.taken}/${slot.capacity}`;
    wrap.append(count);
    return wrap;
  }

  function tileFor(slot) {
    const mine = slot.plans.find((p) => p.pupil === me);
    const tile = document.createElement(display ? "div" : "button");
    tile.className = "slot-tile";
    tile.dataset.slot = slot.id;
    tile.dataset.name = slot.activity;
    tile.dataset.testid = `slot-${slot.activity}`;
    tile.dataset.full = String(slot.full);
    if (!display) {
      tile.type = "button";
      tile.setAttribute("aria-pressed", String(Boolean(mine)));
      if (slot.full && !mine) tile.setAttribute("aria-disabled", "true");
    }
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = slot.activity;
    tile.append(picture(slot, "picture"), name, seats(slot));
    if (slot.compulsory) {
      const must = document.createElement("span");
      must.className = "must";
      must.textContent = texts.mustDo;
      tile.append(must);
    }
    if (slot.full) {
      const full = document.createElement("span");
      full.className = "full-label";
      full.textContent = texts.full;
      tile.append(full);
    }
    return tile;
  }

  function planItem(p, i) {
    const item = document.createElement("li");
    item.dataset.testid = `plan-${p.slot.activity}`;
    // Now (holding a seat), waiting for a seat, or later.
    const current = i === firstOpen;
    item.dataset.state = p.done ? "done" : p.seated ? "now" : current ? "waiting" : "later";
    const check = document.createElement("button");
    check.type = "button";
    check.className = "check";
    check.dataset.tick = p.id;
    check.dataset.done = String(p.done);
    check.setAttribute("aria-pressed", String(p.done));
    check.setAttribute("aria-label", `${texts.done}: ${p.slot.activity}`);
    check.textContent = p.done ? "✓" : "";
    const label = document.createElement("span");
    label.className = "plan-label";
    const when = p.done
      ? texts.done
      : p.seated
        ? texts.now
        : current
          ? texts.waitForSeat
          : i === 0
            ? texts.first
            : texts.then;
    const word = `${when}: ${p.slot.activity}`;
    label.textContent = word;
    const speakButton = document.createElement("button");
    speakButton.type = "button";
    speakButton.className = "speak";
    speakButton.dataset.speak = word;
    speakButton.setAttribute("aria-label", `${texts.readAloud}: ${word}`);
    const speaker = document.createElement("img");
    speaker.src = `${t.static}icons/speaker.svg`;
    speaker.alt = "";
    speaker.width = 28;
    speaker.height = 28;
    speakButton.append(speaker);
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "remove";
    remove.dataset.remove = p.id;
    remove.setAttribute("aria-label", `${texts.takeOff}: ${p.slot.activity}`);
    remove.textContent = "✕";
    const pic = picture(p.slot, "plan-picture");
    item.append(check, pic);
    if (p.seated) item.append(avatar(t.avatar, t.colour, "seat mine"));
    item.append(label, speakButton, remove);
    return item;
  }

  let firstOpen = -1;
  let seatedNow = false;

  // The digibord: the corners fill the whole screen, in as many columns as suit its
  // shape, so the children's avatars can be big enough to find from across the room.
  function fill(count) {
    const shape = window.innerWidth / Math.max(1, window.innerHeight);
    const cols = Math.max(1, Math.min(count, Math.ceil(Math.sqrt(count * shape))));
    const rows = Math.max(1, Math.ceil(count / cols));
    slotsEl.style.setProperty("--cols", cols);
    slotsEl.style.setProperty("--rows", rows);
  }
  if (display) window.addEventListener("resize", () => board && fill(board.slots.length));

  function render(next) {
    board = next;
    version = board.version;
    slotsEl.replaceChildren(...board.slots.map(tileFor));
    if (display) fill(board.slots.length);
    if (!planEl) return;
    const mine = board.slots
      .flatMap((slot) => slot.plans.filter((p) => p.pupil === me).map((p) => ({ ...p, slot })))
      .sort((a, b) => a.position - b.position);
    firstOpen = mine.findIndex((p) => !p.done);
    seatedNow = mine.some((p) => p.seated && !p.done);
    planEl.replaceChildren(...mine.map(planItem));
    // The photo goes to where the child is now (else the last one): shown beside the camera.
    if (photoBox) {
      const target = mine[firstOpen] || mine[mine.length - 1];
      const where = photoBox.querySelector("[data-photo-activity]");
      photoBox.dataset.plan = target ? target.id : "";
      if (where) {
        where.hidden = !target;
        if (target) where.src = target.slot.picture_url;
      }
    }
  }

  async function refresh() {
    const response = await fetch(`/api/boards/${boardId}/`, { credentials: "same-origin" });
    if (response.ok) {
      const next = await response.json();
      // Only forward: an older answer that arrives late (two fetches in flight) is stale.
      if (next.version > version) render(next);
    }
  }

  function showFull(tile) {
    const message = texts.fullChooseAnother;
    speak(message);
    say(message, "failed");
    if (!notice) return;
    const slot = board && board.slots.find((s) => String(s.id) === tile.dataset.slot);
    const img = notice.querySelector("[data-full-picture]");
    if (slot && img) img.src = slot.picture_url;
    notice.hidden = false;
    clearTimeout(showFull.timer);
    showFull.timer = setTimeout(() => {
      notice.hidden = true;
    }, 4000);
  }

  function pressTile(tile) {
    tile.setAttribute("aria-pressed", "true");
    tile.dataset.pending = "1";
    const seatsEl = tile.querySelector(".seats");
    const free = seatsEl && seatsEl.querySelector(".seat.free");
    const mineSeat = avatar(t.avatar, t.colour, "seat mine");
    mineSeat.dataset.testid = "my-seat";
    // Only into a free seat: a full moetje is planned for later, not squeezed in.
    if (free) free.replaceWith(mineSeat);
  }

  function releaseTile(tile) {
    tile.setAttribute("aria-pressed", "false");
    delete tile.dataset.pending;
    const mineSeat = tile.querySelector(".seat.mine");
    if (mineSeat) {
      const free = document.createElement("span");
      free.className = "seat free";
      mineSeat.replaceWith(free);
    }
  }

  async function chooseTile(tile) {
    if (tile.getAttribute("aria-pressed") === "true") {
      speak(tile.dataset.name);
      return;
    }
    const slot = board && board.slots.find((s) => String(s.id) === tile.dataset.slot);
    if (tile.dataset.full === "true" && !seatedNow && slot && !slot.compulsory) {
      // Full, and the child would go there now: the answer is known without asking.
      // (A full moetje is "later", and a child who is somewhere now plans it for later.)
      showFull(tile);
      return;
    }
    speak(tile.dataset.name);
    if (notice) notice.hidden = true;
    pressTile(tile);
    const result = await submit("/api/plans/", { slot: Number(tile.dataset.slot) });
    if (result.state === "refused") {
      releaseTile(tile);
      if (result.status === 409) {
        tile.dataset.full = "true";
        showFull(tile);
      } else {
        say(errorText(result.data), "failed");
      }
    } else if (result.state === "waiting") {
      say(texts.queued, "saving");
    } else {
      delete tile.dataset.pending;
      say(texts.saved, "saved");
    }
    refresh();
  }

  async function tickPlan(check) {
    const done = check.dataset.done !== "true";
    // Pressed at once, but not done-looking until the server has it.
    check.dataset.pending = "1";
    check.setAttribute("aria-busy", "true");
    const result = await submit(`/api/plans/${check.dataset.tick}/tick/`, { done });
    check.removeAttribute("aria-busy");
    if (result.state === "refused") {
      delete check.dataset.pending;
      say(errorText(result.data), "failed");
    } else if (result.state === "waiting") {
      say(texts.queued, "saving");
    } else {
      delete check.dataset.pending;
      check.dataset.done = String(done);
      check.setAttribute("aria-pressed", String(done));
      check.textContent = done ? "✓" : "";
      say(texts.saved, "saved");
      if (done) speak(texts.wellDone);
    }
    refresh();
  }

  async function removePlan(remove) {
    const item = remove.closest("li");
    item.dataset.pending = "1";
    const result = await submit(`/api/plans/${remove.dataset.remove}/`, undefined, {
      method: "DELETE",
    });
    if (result.state === "refused") {
      delete item.dataset.pending;
      say(errorText(result.data), "failed");
    } else if (result.state === "waiting") {
      say(texts.queued, "saving");
    } else {
      say(texts.saved, "saved");
    }
    refresh();
  }

  root.addEventListener("click", (event) => {
    if (display) return;
    const tile = event.target.closest("button.slot-tile");
    const tick = event.target.closest("[data-tick]");
    const remove = event.target.closest("[data-remove]");
    if (tile) chooseTile(tile);
    else if (tick) tickPlan(tick);
    else if (remove) removePlan(remove);
  });

  refresh().then(() =>
    live(`/ws/planbord/${boardId}/`, { root, onOpen: refresh, onMessage: refresh }),
  );
}
