// The planbord: draws the board from the API and redraws whenever the server says the
// board changed (a WebSocket hint, see live.js). Missed hints cost nothing: every
// (re)connect fetches the board again.
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
  let version = -1;

  const say = (message, state = "") => {
    if (!stateLine) return;
    stateLine.textContent = message;
    stateLine.dataset.state = state;
  };

  function dots(slot) {
    const wrap = document.createElement("span");
    wrap.className = "dots";
    wrap.setAttribute("aria-label", `${slot.taken}/${slot.capacity}`);
    for (let i = 0; i < slot.capacity; i += 1) {
      const dot = document.createElement("span");
      dot.className = i < slot.taken ? "dot taken" : "dot";
      wrap.append(dot);
    }
    const count = document.createElement("span");
    count.className = "count";
    count.textContent = `${slot.taken}/${slot.capacity}`;
    wrap.append(count);
    return wrap;
  }

  function render(board) {
    version = board.version;
    slotsEl.replaceChildren(
      ...board.slots.map((slot) => {
        const mine = slot.plans.some((p) => p.pupil === me);
        const tile = document.createElement(display ? "div" : "button");
        tile.className = "slot-tile";
        tile.dataset.slot = slot.id;
        tile.dataset.name = slot.activity;
        tile.dataset.testid = `slot-${slot.activity}`;
        tile.dataset.full = String(slot.full);
        if (!display) {
          tile.type = "button";
          tile.setAttribute("aria-pressed", String(mine));
          if (slot.full && !mine) tile.setAttribute("aria-disabled", "true");
        }
        const img = document.createElement("img");
        img.src = `${t.static}pictograms/${slot.pictogram}.svg`;
        img.alt = "";
        const name = document.createElement("span");
        name.className = "name";
        name.textContent = slot.activity;
        tile.append(img, name, dots(slot));
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
      }),
    );
    if (!planEl) return;
    const mine = board.slots
      .flatMap((slot) => slot.plans.filter((p) => p.pupil === me).map((p) => ({ ...p, slot })))
      .sort((a, b) => a.position - b.position);
    planEl.replaceChildren(
      ...mine.map((p, i) => {
        const item = document.createElement("li");
        item.dataset.testid = `plan-${p.slot.activity}`;
        const label = document.createElement("span");
        label.textContent = `${i === 0 ? texts.first : texts.then}: ${p.slot.activity}`;
        const check = document.createElement("button");
        check.type = "button";
        check.className = "check";
        check.dataset.tick = p.id;
        check.dataset.done = String(p.done);
        check.setAttribute("aria-pressed", String(p.done));
        check.setAttribute("aria-label", `${texts.done}: ${p.slot.activity}`);
        check.textContent = "✓";
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "remove";
        remove.dataset.remove = p.id;
        remove.setAttribute("aria-label", `${texts.takeOff}: ${p.slot.activity}`);
        remove.textContent = "✕";
        item.append(check, label, remove);
        return item;
      }),
    );
  }

  async function refresh() {
    const response = await fetch(`/api/boards/${boardId}/`, { credentials: "same-origin" });
    if (response.ok) {
      const board = await response.json();
      if (board.version !== version) render(board);
    }
  }

  root.addEventListener("click", async (event) => {
    if (display) return;
    const tile = event.target.closest("button.slot-tile");
    const tick = event.target.closest("[data-tick]");
    const remove = event.target.closest("[data-remove]");
    let result;
    if (tile) {
      speak(tile.dataset.name);
      if (tile.getAttribute("aria-pressed") === "true") return;
      result = await submit("/api/plans/", { slot: Number(tile.dataset.slot) });
    } else if (tick) {
      result = await submit(`/api/plans/${tick.dataset.tick}/tick/`, { done: tick.dataset.done !== "true" });
    } else if (remove) {
      result = await submit(`/api/plans/${remove.dataset.remove}/`, undefined, { method: "DELETE" });
    } else {
      return;
    }
    if (result.state === "refused") say(result.status === 409 ? texts.full : errorText(result.data), "failed");
    else if (result.state === "waiting") say(texts.queued, "saving");
    else say("");
    refresh();
  });

  refresh().then(() =>
    live(`/ws/planbord/${boardId}/`, { root, onOpen: refresh, onMessage: refresh }),
  );
}
