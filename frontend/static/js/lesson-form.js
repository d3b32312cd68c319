// The lesson form: presets fill in who decides (and, "like the previous lesson", the
// options too), the intended regie follows every change, and the goals can be searched.
// Without this script the form still works: it is plain radios and checkboxes.

const form = document.querySelector("[data-lesson-form]");
const config = JSON.parse(document.getElementById("lesson-presets").textContent);
const WEIGHT = { fixed: 0, choice: 0.5, free: 1 };
const ASPECTS = ["goal", "instruction", "place", "partner", "order"];

function setRadio(name, value) {
  const radio = form.querySelector(`input[name="${name}"][value="${CSS.escape(value)}"]`);
  if (radio) radio.checked = true;
}

function setChecks(name, values) {
  const wanted = new Set(values);
  for (const box of form.querySelectorAll(`input[name="${name}"]`)) {
    box.checked = wanted.has(box.value);
    if (box.checked) box.closest("details")?.setAttribute("open", "");
  }
}

function applyPreset(key) {
  if (key === "previous") {
    const previous = config.previous;
    if (!previous) return;
    for (const aspect of ASPECTS) setRadio(`${aspect}_openness`, previous.openness[aspect]);
    setRadio("differentiation", previous.differentiation);
    setRadio("fixed_instruction", previous.fixed_instruction);
    setChecks("goal_options", previous.goal_options);
    setChecks("place_options", previous.place_options);
  } else {
    for (const [aspect, value] of Object.entries(config.presets[key])) {
      setRadio(`${aspect}_openness`, value);
    }
    if (key === "whole_class") setRadio("differentiation", "whole_class");
  }
  update();
}

function update() {
  let sum = 0;
  for (const aspect of ASPECTS) {
    const checked = form.querySelector(`input[name="${aspect}_openness"]:checked`);
    sum += WEIGHT[checked?.value] ?? 0;
  }
  form.querySelector("[data-regie]").textContent = `${Math.round((100 * sum) / ASPECTS.length)}%`;
  const count = form.querySelectorAll('input[name="goal_options"]:checked').length;
  const label = form.querySelector("[data-goal-count]");
  if (label) label.textContent = count ? `(${count})` : "";
}

function search(text) {
  const words = text.toLowerCase().trim().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const block of form.querySelectorAll("[data-goal-block]")) {
    let inBlock = 0;
    for (const option of block.querySelectorAll("[data-goal-option]")) {
      const label = option.textContent.toLowerCase();
      const match = words.every((word) => label.includes(word));
      option.parentElement.hidden = !match;
      if (match) inBlock += 1;
    }
    block.hidden = inBlock === 0;
    if (words.length && inBlock) block.open = true;
    shown += inBlock;
  }
  const none = form.querySelector("[data-goal-none]");
  if (none) none.hidden = shown > 0;
}

for (const button of form.querySelectorAll("[data-preset]")) {
  button.addEventListener("click", () => applyPreset(button.dataset.preset));
}
form.addEventListener("change", update);
form.querySelector("[data-goal-search]")?.addEventListener("input", (event) => {
  search(event.target.value);
});
// Enter in the search box filters; it never submits the lesson half-made.
form.querySelector("[data-goal-search]")?.addEventListener("keydown", (event) => {
  if (event.key === "Enter") event.preventDefault();
});
for (const deleting of document.querySelectorAll("form[data-confirm]")) {
  deleting.addEventListener("submit", (event) => {
    if (!window.confirm(deleting.dataset.confirm)) event.preventDefault();
  });
}
update();
