// The teacher's live lesson dashboard. It draws the snapshot the page embeds, then keeps
// it current with `lesson.changed` events from ws/les/<id>/. Every event carries the
// lesson's sequence number: the next number is applied, an older one ignored, and a
// jump means something was missed, so the snapshot is loaded again. Every (re)connect
// loads the snapshot too, so the screen is never wrong for longer than a reconnect.
import { errorText, postJSON } from "./api.js";
import { live } from "./live.js";
import { format, texts } from "./texts.js";

const root = document.querySelector("[data-dashboard]");

if (root) {
  const lessonId = Number(root.dataset.lesson);
  const staticUrl = root.dataset.static;
  const gridEl = root.querySelector("[data-grid]");
  const instructionEl = root.querySelector("[data-instruction]");
  const addForm = root.querySelector("[data-instruction-add]");
  const placesEl = root.querySelector("[data-places]");
  const filtersEl = root.querySelector("[data-filters]");
  const figure = document.querySelector("[data-quadrant]");
  const status = document.querySelector("[data-connection]");

  let state = null; // the last snapshot, with its summary kept current
  let rows = new Map(); // pupil id -> row
  let shown = -1; // the sequence number the screen shows
  let loading = null;
  let queued = [];
  let filter = "all";
  const open = new Set(); // pupils whose "decide for" panel is open
  const confirmations = new Map(); // pupil -> [state, text]: shown in the panel itself
  let expanded = null; // the pupil whose tile shows its whole card (class at a glance)

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("data-") || key.startsWith("aria-") || key === "role") {
        node.setAttribute(key, value === true ? "" : value);
      } else node[key] = value;
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  };

  const sorted = () =>
    [...rows.values()].sort((a, b) => a.name.localeCompare(b.name, document.documentElement.lang));
  const placeName = (id) => state.places.find((p) => p.id === id)?.name;
  const who = (entry, aspect) => {
    const by = entry?.decided_by?.[aspect];
    if (by === "teacher") return el("small", { title: texts.byTeacher, text: " T" });
    if (by === "pupil") return el("small", { title: texts.byPupil, text: " L" });
    return null;
  };

  const FILTERS = {
    all: [texts.filterAll, () => true],
    none: [texts.filterNone, (r) => r.state === "none"],
    instruction: [texts.filterInstruction, (r) => r.entry?.instruction === true],
    working: [texts.filterWorking, (r) => r.state === "working"],
    evaluated: [texts.filterEvaluated, (r) => r.state === "evaluated"],
  };

  function renderFilters() {
    const all = [...rows.values()];
    filtersEl.replaceChildren(
      ...Object.entries(FILTERS).map(([key, [label, test]]) =>
        el("button", {
          type: "button",
          class: "chip-button",
          "data-filter": key,
          "data-testid": `filter-${key}`,
          "aria-pressed": String(filter === key),
          text: `${label} (${all.filter(test).length})`,
        }),
      ),
    );
  }

  function avatar(row) {
    if (row.photo) return el("img", { class: "avatar avatar-small", src: row.photo, alt: "" });
    const span = el("span", { class: "avatar avatar-small", "aria-hidden": "true" });
    span.style.setProperty("--avatar-colour", row.colour);
    span.append(el("img", { src: `${staticUrl}pictograms/${row.avatar}.svg`, alt: "" }));
    return span;
  }

  function instructionText(entry) {
    if (!entry || entry.instruction === null) return "–";
    if (!entry.instruction) return texts.no;
    const reason = entry.instruction_reason ? state.labels.reasons[entry.instruction_reason] : "";
    return reason ? `${texts.yes} (${reason})` : texts.yes;
  }

  function partnerText(entry) {
    if (!entry || entry.alone === null) return "–";
    if (entry.alone) return texts.alone;
    return entry.partners.map((p) => p.name).join(", ");
  }

  // A partner who did not choose this pupil back (and has chosen): marked "↛".
  const notMutual = (row, partner) => {
    const other = rows.get(partner.id)?.entry;
    return Boolean(other && other.alone !== null && !other.partners.some((p) => p.id === row.pupil));
  };

  function partnerCell(row) {
    const entry = row.entry;
    if (!entry || entry.alone === null || entry.alone) return [partnerText(entry)];
    const nodes = [];
    entry.partners.forEach((p, i) => {
      if (i) nodes.push(", ");
      nodes.push(
        notMutual(row, p)
          ? el("span", { class: "not-mutual", "data-testid": "not-mutual", title: format(texts.notMutual, { name: p.name }), text: `${p.name} ↛` })
          : p.name,
      );
    });
    return nodes;
  }

  function panel(row) {
    const entry = row.entry;
    const place = el(
      "select",
      { "aria-label": texts.place, "data-field": "place" },
      ...state.places.map((p) => el("option", { value: p.id, text: p.name, selected: entry?.place === p.id })),
    );
    const chosen = new Set((entry?.goals || []).map((g) => g.id));
    const goals = el(
      "select",
      { "aria-label": texts.goals, multiple: true, size: 3, "data-field": "goal" },
      ...state.goals.map((g) =>
        el("option", { value: g.id, text: `${g.code} ${g.statement}`.slice(0, 60), selected: chosen.has(g.id) }),
      ),
    );
    const mates = new Set((entry?.partners || []).map((p) => p.id));
    const partners = el(
      "select",
      { "aria-label": texts.with, multiple: true, size: 3, "data-field": "partner", "data-testid": "partner-select" },
      ...sorted().filter((r) => r.pupil !== row.pupil).map((r) => el("option", { value: r.pupil, text: r.name, selected: mates.has(r.pupil) })),
    );
    return el(
      "div",
      { class: "decide-panel" },
      el("button", { type: "button", class: "button", "data-override": "instruction", "data-value": "yes", "data-testid": "override-instruction-yes", text: texts.intoInstruction }),
      el("button", { type: "button", class: "button secondary", "data-override": "instruction", "data-value": "no", "data-testid": "override-instruction-no", text: texts.noInstruction }),
      state.places.length ? el("span", { class: "row" }, place, el("button", { type: "button", class: "button secondary", "data-override": "place", text: texts.setPlace })) : null,
      state.goals.length ? el("span", { class: "row" }, goals, el("button", { type: "button", class: "button secondary", "data-override": "goal", text: texts.setGoals })) : null,
      el("span", { class: "row" }, partners, el("button", { type: "button", class: "button secondary", "data-override": "partner", "data-testid": "override-partner", text: texts.setPartners })),
      el("small", { class: "legend", text: texts.partnersHint }),
      el("p", { class: "override-status", role: "status", "data-testid": "override-status", "data-state": confirmations.get(row.pupil)?.[0], text: confirmations.get(row.pupil)?.[1] || "" }),
    );
  }

  function card(row) {
    const entry = row.entry;
    const stateLabel = { none: texts.stateNone, working: texts.stateWorking, evaluated: texts.stateEvaluated }[row.state];
    const mood = entry?.mood
      ? el("img", { src: `${staticUrl}icons/mood-${entry.mood}.svg`, alt: state.labels.moods[entry.mood], width: 24, height: 24 })
      : null;
    const item = el(
      "li",
      {
        class: `pupil-card state-${row.state}`,
        "data-pupil-card": row.pupil,
        "data-pupil": row.name,
        "data-testid": "entry-row",
        id: `pupil-${row.pupil}`,
      },
      el("div", { class: "pupil-card-head" }, avatar(row), el("strong", { text: row.name }),
        row.locked
          ? el("span", { class: "state-badge locked", "data-testid": "entry-state", text: `🔒 ${texts.stateLocked}` })
          : el("span", { class: `state-badge ${row.state}`, "data-testid": "entry-state", text: `${row.state === "none" && state.summary.started ? "! " : row.state === "evaluated" ? "✓ " : ""}${stateLabel}` }),
        mood),
      el(
        "dl",
        {},
        el("dt", { text: texts.goals }),
        el("dd", { "data-testid": "goals-cell" }, (entry?.goals || []).map((g) => g.code).join(" ") || "–", who(entry, "goal")),
        el("dt", { text: texts.instruction }),
        el("dd", { "data-testid": "instruction-cell" }, instructionText(entry), who(entry, "instruction")),
        el("dt", { text: texts.place }),
        el("dd", { "data-testid": "place-cell" }, (entry && placeName(entry.place)) || "–", who(entry, "place")),
        el("dt", { text: texts.with }),
        el("dd", { "data-testid": "partner-cell" }, ...partnerCell(row), who(entry, "partner")),
      ),
    );
    // The tile of the class at a glance: the same decisions as icons, one line.
    const place = entry?.place ? state.places.find((p) => p.id === entry.place) : null;
    const icon = (path, label) => el("img", { src: `${staticUrl}${path}`, alt: label, title: label, width: 20, height: 20 });
    item.append(
      el(
        "p",
        { class: "compact-line", "data-testid": "compact-line" },
        el("span", {}, (entry?.goals || []).map((g) => g.code).join(" ") || "–", who(entry, "goal")),
        el("span", {}, entry?.instruction === true ? icon("icons/teacher.svg", texts.instruction) : "–", who(entry, "instruction")),
        el("span", {}, place ? icon(`pictograms/${place.icon}.svg`, place.name) : "–", who(entry, "place")),
        el("span", { class: entry?.partners?.some((p) => notMutual(row, p)) ? "not-mutual" : null }, entry && entry.alone === false ? icon("icons/pupil.svg", partnerText(entry)) : entry?.alone ? texts.alone : "–", who(entry, "partner")),
        row.locked ? el("span", { class: "help-mark", title: texts.stateLocked, "data-testid": "tile-locked", text: "🔒" }) : null,
        row.help ? el("span", { class: "help-mark", title: state.labels.help[row.help.reason], "data-testid": "tile-help", text: "✋" }) : null,
      ),
    );
    item.querySelector(".pupil-card-head").addEventListener("click", () => {
      if (!document.body.classList.contains("class-compact")) return;
      item.classList.toggle("expanded");
      expanded = item.classList.contains("expanded") ? row.pupil : null;
    });
    if (expanded === row.pupil) item.classList.add("expanded");
    const details = el("details", { class: "no-print", open: open.has(row.pupil) }, el("summary", { text: format(texts.decideFor, { name: row.name }) }), panel(row));
    details.addEventListener("toggle", () => (details.open ? open.add(row.pupil) : open.delete(row.pupil)));
    item.append(details);
    item.hidden = !FILTERS[filter][1](row);
    return item;
  }

  function renderGrid(only) {
    if (only !== undefined) {
      const old = gridEl.querySelector(`[data-pupil-card="${only}"]`);
      if (old) {
        old.replaceWith(card(rows.get(only)));
        // Whoever chose this pupil: their "did not choose back" mark may have changed.
        for (const r of rows.values()) {
          if (r.entry?.partners?.some((p) => p.id === only)) {
            gridEl.querySelector(`[data-pupil-card="${r.pupil}"]`)?.replaceWith(card(r));
          }
        }
        return;
      }
    }
    gridEl.replaceChildren(...sorted().map(card));
  }

  function renderInstruction() {
    const group = sorted().filter((r) => r.entry?.instruction === true);
    instructionEl.replaceChildren(
      ...(group.length
        ? group.map((r) =>
            el(
              "li",
              { "data-testid": "instruction-member" },
              avatar(r),
              el("span", { text: r.entry.instruction_reason ? `${r.name} (${state.labels.reasons[r.entry.instruction_reason]})` : r.name }),
              who(r.entry, "instruction"),
              el("button", { type: "button", class: "remove", "data-pupil": r.pupil, "data-override": "instruction", "data-value": "no", "aria-label": format(texts.takeOut, { name: r.name }), text: "✕" }),
            ),
          )
        : [el("li", { class: "legend", text: texts.nobodyInInstruction })]),
    );
    const select = addForm.querySelector("select");
    select.replaceChildren(
      el("option", { value: "", text: texts.chooseAPupil }),
      ...sorted().filter((r) => r.entry?.instruction !== true).map((r) => el("option", { value: r.pupil, text: r.name })),
    );
  }

  function renderPlaces() {
    const at = new Map(state.places.map((p) => [p.id, []]));
    const nowhere = [];
    for (const row of sorted()) {
      const id = row.entry?.place;
      if (id && at.has(id)) at.get(id).push(row);
      else nowhere.push(row);
    }
    const box = (name, icon, members, capacity, testid) =>
      el(
        "div",
        { class: `place-box${icon ? "" : " nowhere"}`, "data-testid": testid, "data-place": name },
        el("h3", {}, icon ? el("img", { src: `${staticUrl}pictograms/${icon}.svg`, alt: "", width: 28, height: 28 }) : null, ` ${name} `, el("small", { text: capacity ? `${members.length}/${capacity}` : `${members.length}` })),
        el("ul", {}, ...members.map((r) => el("li", { text: r.name }))),
      );
    placesEl.replaceChildren(
      ...state.places.map((p) => box(p.name, p.icon, at.get(p.id), p.capacity, "place-box")),
      box(texts.noPlace, null, nowhere, null, "place-nowhere"),
    );
  }

  const SVG = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs) => {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    return node;
  };
  // The square's geometry comes from the page (frontend/quadrant_svg.py), defined once.
  const [x0, top, size] = (figure?.dataset.qGeometry || "40 10 270").split(" ").map(Number);
  const qx = (belang) => (x0 + size * (belang || 0)).toFixed(1);
  const qy = (regie) => (top + size - size * (regie || 0)).toFixed(1);
  // The server rounds every percentage once (half up); this is only for old snapshots.
  const pct = (share, given) => given ?? Math.round((share || 0) * 100);

  function renderQuadrant() {
    if (!figure) return;
    const q = state.summary.quadrant;
    const names = state.labels.quadrants;
    const dots = figure.querySelector("[data-q-dots]");
    const parts = [];
    if (q.enacted.belang !== null) {
      parts.push(
        svg("line", { x1: qx(q.intended.belang), y1: qy(q.intended.regie), x2: qx(q.enacted.belang), y2: qy(q.enacted.regie), stroke: "#868e96", "stroke-width": 2 }),
        svg("circle", { cx: qx(q.enacted.belang), cy: qy(q.enacted.regie), r: 8, fill: "#1c4e80", "data-testid": "enacted-dot" }),
      );
    }
    parts.push(svg("circle", { cx: qx(q.intended.belang), cy: qy(q.intended.regie), r: 8, fill: "#fff", stroke: "#1c4e80", "stroke-width": 3, "data-testid": "intended-dot" }));
    dots.replaceChildren(...parts);
    const pupils = q.pupils.filter((p) => p.regie !== null)
      .map((p) => ({ ...p, name: rows.get(p.pupil)?.name || "" }))
      .sort((a, b) => a.name.localeCompare(b.name));
    figure.querySelector("[data-q-pupils]").replaceChildren(
      ...pupils.map((p) => {
        const group = svg("g", { "data-testid": "pupil-dot" });
        const dot = svg("circle", { cx: qx(p.belang), cy: qy(p.regie), r: 4, fill: "#e8590c", "fill-opacity": 0.7 });
        const title = svg("title", {});
        title.textContent = p.name;
        dot.append(title);
        // A label beside the dot: a touch screen never shows a hover title.
        const label = svg("text", { x: (Number(qx(p.belang)) + 6).toFixed(1), y: (Number(qy(p.regie)) + 3).toFixed(1), class: "q-label" });
        label.textContent = p.name.slice(0, 3);
        group.append(dot, label);
        return group;
      }),
    );
    figure.querySelector("[data-q-pupil-list]").replaceChildren(
      ...pupils.map((p) => {
        const item = document.createElement("li");
        item.textContent = format(texts.qPupil, { name: p.name, regie: pct(p.regie, p.regie_pct), belang: pct(p.belang, p.belang_pct) });
        return item;
      }),
    );
    const text = (key, value) => { figure.querySelector(`[data-q-text="${key}"]`).textContent = value; };
    const e = q.enacted;
    text("intended", `${names[q.intended.quadrant]}, ${format(texts.qIntended, { regie: pct(q.intended.regie, q.intended.regie_pct), belang: pct(q.intended.belang, q.intended.belang_pct) })}`);
    figure.querySelector("[data-testid=regie-sentence]").hidden = e.regie === null;
    text("regie", format(texts.qRegie, { taken: e.decisions, by_pupils: e.by_pupils, pct: pct(e.regie, e.regie_pct) }));
    figure.querySelector("[data-testid=pending-sentence]").hidden = !e.pending;
    text("pending", format(texts.qPending, { pending: e.pending }));
    text("belang", e.belang === null ? texts.qBelangUnknown : `${format(texts.qBelang, { pct: pct(e.belang, e.belang_pct) })} (${names[e.quadrant]})`);
    text("counts", format(texts.qCounts, { with_data: e.pupils_with_data, without: e.pupils_without_data }));
  }

  const evaluatedCount = document.querySelector("[data-evaluated-count]");
  const evaluated = () => [...rows.values()].filter((r) => r.state === "evaluated").length;

  function renderEvaluation() {
    if (evaluatedCount) evaluatedCount.textContent = format(texts.evaluatedCount, { count: evaluated(), total: rows.size });
  }

  // Ending the lesson asks first, and says how many pupils have not evaluated yet.
  document.querySelector("[data-end-lesson]")?.addEventListener("submit", (event) => {
    const message = format(texts.endLessonConfirm, { pending: rows.size - evaluated(), total: rows.size });
    if (!window.confirm(message)) event.preventDefault();
  });

  // Alerts that say why, on this device only; each kind can be switched off (kept per
  // device). Nothing chosen: counted from the start, so a lesson that just began is calm.
  const alertsEl = document.querySelector("[data-alerts]");
  const NOTHING_AFTER_MINUTES = 5;
  const alertOn = (kind) => localStorage.getItem(`leerregie-alert-${kind}`) !== "off";
  for (const box of alertsEl?.querySelectorAll("[data-alert-kind]") || []) {
    box.checked = alertOn(box.dataset.alertKind);
    box.addEventListener("change", () => {
      localStorage.setItem(`leerregie-alert-${box.dataset.alertKind}`, box.checked ? "on" : "off");
      renderAlerts();
    });
  }

  function renderAlerts() {
    if (!alertsEl || !state) return;
    const items = [];
    const summary = state.summary;
    const started = summary.started_at ? Date.parse(summary.started_at) : null;
    const minutes = started === null ? 0 : Math.floor((Date.now() - started) / 60000);
    const all = sorted();
    if (alertOn("nothing") && summary.running && minutes >= NOTHING_AFTER_MINUTES) {
      const names = all.filter((r) => r.state === "none").map((r) => r.name);
      if (names.length) items.push(["nothing", format(texts.alertNothing, { minutes, names: names.join(", ") })]);
    }
    if (alertOn("instruction")) {
      const names = all.filter((r) => r.entry?.instruction_asked && r.entry.instruction !== true).map((r) => r.name);
      if (names.length) items.push(["instruction", format(texts.alertInstruction, { names: names.join(", ") })]);
    }
    if (alertOn("full")) {
      for (const place of state.places) {
        if (!place.capacity) continue;
        const names = all.filter((r) => r.entry?.place === place.id).map((r) => r.name);
        if (names.length > place.capacity) {
          items.push(["full", format(texts.alertFull, { place: place.name, capacity: place.capacity, count: names.length, names: names.join(", ") })]);
        }
      }
    }
    if (alertOn("help")) {
      const long = waiting().filter((r) => !r.help.coming && minutesSince(r.help.asked_at) >= HELP_ALERT_MINUTES);
      if (long.length) items.push(["help", format(texts.alertHelp, { minutes: HELP_ALERT_MINUTES, names: long.map((r) => r.name).join(", ") })]);
    }
    alertsEl.querySelector("[data-alert-list]").replaceChildren(
      ...items.map(([kind, text]) => el("li", { class: `alert alert-${kind}`, "data-testid": `alert-${kind}`, text })),
    );
  }
  // Help requests: the teacher's own queue, oldest first, with the waiting time.
  const helpEl = document.querySelector("[data-help-queue]");
  const HELP_ICONS = { dont_understand: "icons/reason-dont_understand.svg", done: "icons/yes.svg", missing: "icons/reason-other.svg" };
  const HELP_ALERT_MINUTES = 3;
  const waiting = () => sorted().filter((r) => r.help).sort((a, b) => Date.parse(a.help.asked_at) - Date.parse(b.help.asked_at));
  const minutesSince = (iso) => Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 60000));

  function renderHelp() {
    if (!helpEl) return;
    const queue = waiting();
    helpEl.replaceChildren(
      ...(queue.length
        ? queue.map((r) =>
            el(
              "li",
              { "data-testid": "help-request", "data-pupil": r.name },
              el("img", { src: `${staticUrl}${HELP_ICONS[r.help.reason]}`, alt: "" }),
              el("strong", { text: r.name }),
              el("span", { text: state.labels.help[r.help.reason] }),
              el("small", { class: "waited", text: format(texts.helpWaited, { minutes: minutesSince(r.help.asked_at) }) }),
              r.help.coming
                ? el("span", { class: "state-badge working", "data-testid": "help-on-the-way", text: texts.helpComing })
                : el("button", { type: "button", class: "button", "data-help-answer": "coming", "data-pupil": r.pupil, "data-testid": "help-answer-coming", text: texts.helpComing }),
              el("button", { type: "button", class: "button secondary", "data-help-answer": "done", "data-pupil": r.pupil, "data-testid": "help-answer-done", text: texts.helpDone }),
            ),
          )
        : [el("li", { class: "empty", text: texts.helpNone })]),
    );
  }

  helpEl?.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-help-answer]");
    if (!button) return;
    button.disabled = true;
    let result;
    try {
      result = await postJSON("/api/logbook-entries/help-answer/", { lesson: lessonId, pupil: Number(button.dataset.pupil), answer: button.dataset.helpAnswer });
    } catch {
      result = { ok: false, data: { detail: [texts.failed] } };
    }
    if (!result.ok) {
      button.disabled = false;
      if (status) { status.hidden = false; status.textContent = errorText(result.data) || texts.failed; }
    }
  });

  setInterval(() => { renderAlerts(); renderHelp(); }, 30000);

  // The class at a glance: every pupil a small tile, the rest beside it (kept per device).
  const compactToggle = document.querySelector("[data-compact-toggle]");
  function setCompact(on) {
    document.body.classList.toggle("class-compact", on);
    if (compactToggle) compactToggle.setAttribute("aria-pressed", String(on));
    localStorage.setItem("leerregie-compact", on ? "on" : "off");
  }
  compactToggle?.addEventListener("click", () => setCompact(!document.body.classList.contains("class-compact")));
  setCompact(localStorage.getItem("leerregie-compact") === "on");

  function render(only) {
    gridEl.classList.toggle("not-started", !state.summary.started);
    renderHelp();
    renderAlerts();
    renderEvaluation();
    renderFilters();
    renderGrid(only);
    renderInstruction();
    renderPlaces();
    renderQuadrant();
    root.dataset.seq = String(shown);
  }

  function load(snapshot) {
    state = snapshot;
    rows = new Map(snapshot.pupils.map((r) => [r.pupil, r]));
    shown = snapshot.seq;
    render();
  }

  function fetchSnapshot() {
    if (loading) return loading;
    loading = (async () => {
      let loaded = false;
      try {
        const response = await fetch(`/api/lessons/${lessonId}/dashboard/`, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (response.ok) {
          load(await response.json());
          loaded = true;
          root.dataset.snapshots = String(Number(root.dataset.snapshots || 0) + 1);
        }
      } catch {
        // Offline: the next (re)connect loads it.
      } finally {
        loading = null;
      }
      const pending = loaded ? queued.sort((a, b) => a.seq - b.seq) : [];
      queued = [];
      pending.forEach(apply);
    })();
    return loading;
  }

  function apply(event) {
    if (event.seq <= shown) return; // already in what the screen shows
    if (event.seq !== shown + 1) {
      fetchSnapshot(); // a gap: something was missed
      return;
    }
    shown = event.seq;
    state.summary = event.summary;
    if (event.row) rows.set(event.row.pupil, event.row);
    const known = event.row && gridEl.querySelector(`[data-pupil-card="${event.row.pupil}"]`);
    render(known ? event.row.pupil : undefined);
  }

  function onMessage(event) {
    if (event.type !== "lesson.changed" || event.lesson !== lessonId) return;
    if (loading) queued.push(event);
    else apply(event);
  }

  async function override(pupil, aspect, value, from) {
    const row = rows.get(pupil);
    const inCard = Boolean(from?.closest("[data-pupil-card]"));
    let result;
    try {
      result = await postJSON("/api/logbook-entries/override/", { lesson: lessonId, pupil, aspect, value });
    } catch {
      result = { ok: false, data: { detail: [texts.failed] } };
    }
    // The confirmation (or the reason it failed) next to what was tapped: in the pupil's
    // panel (kept across the redraw the event brings), or beside the instruction group.
    // The event may have redrawn the card already: look the place up now.
    const message = [result.ok ? "saved" : "failed", result.ok ? format(texts.changedFor, { name: row.name }) : errorText(result.data)];
    let target = document.querySelector("[data-override-status]");
    if (inCard) {
      confirmations.set(pupil, message);
      target = gridEl.querySelector(`[data-pupil-card="${pupil}"] [data-testid=override-status]`);
    }
    if (target) {
      target.dataset.state = message[0];
      target.textContent = message[1];
    }
    // The event brings the change; without a connection, the snapshot does.
    if (result.ok && root.dataset.live !== "1") fetchSnapshot();
  }

  root.addEventListener("click", (event) => {
    const chip = event.target.closest("[data-filter]");
    if (chip) {
      filter = chip.dataset.filter;
      render();
      return;
    }
    const button = event.target.closest("[data-override]");
    if (!button) return;
    const pupil = Number(button.dataset.pupil || button.closest("[data-pupil-card]")?.dataset.pupilCard);
    const aspect = button.dataset.override;
    let value;
    if (aspect === "instruction") value = { wanted: button.dataset.value === "yes" };
    else if (aspect === "place") value = Number(button.parentElement.querySelector("select").value);
    else value = [...button.parentElement.querySelector("select").selectedOptions].map((o) => Number(o.value));
    override(pupil, aspect, value, button);
  });

  addForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const pupil = Number(addForm.querySelector("select").value);
    if (pupil) override(pupil, "instruction", { wanted: true }, addForm);
  });

  const toggle = figure?.querySelector("[data-q-toggle]");
  if (toggle) toggle.addEventListener("change", () => figure.classList.toggle("show-pupils", toggle.checked));

  load(JSON.parse(document.getElementById("dashboard-snapshot").textContent));
  live(`/ws/les/${lessonId}/`, { root, onOpen: fetchSnapshot, onMessage });
}
