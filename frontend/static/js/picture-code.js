// The picture-code pad: each tap fills the next slot with the tapped picture; when all
// slots are full the code is sent. "Start again" empties the slots.

const form = document.querySelector("form.picture-code");
if (form) {
  const length = Number(form.dataset.length);
  const input = form.querySelector("input[name=code]");
  const slots = [...form.querySelectorAll(".code-slots .slot")];
  const keys = [...form.querySelectorAll(".code-key")];
  let taps = [];

  const render = () => {
    slots.forEach((slot, i) => {
      slot.replaceChildren();
      slot.classList.toggle("filled", i < taps.length);
      if (i < taps.length) {
        const img = document.createElement("img");
        img.src = taps[i].querySelector("img").src;
        img.alt = taps[i].getAttribute("aria-label");
        slot.append(img);
      }
    });
  };

  keys.forEach((key) =>
    key.addEventListener("click", () => {
      if (taps.length >= length) return;
      taps.push(key);
      render();
      if (taps.length === length) {
        input.value = taps.map((k) => k.dataset.key).join(",");
        keys.forEach((k) => (k.disabled = true));
        // A short pause lets the child see the last picture land before the page moves.
        setTimeout(() => form.submit(), 250);
      }
    }),
  );

  form.querySelector(".code-clear").addEventListener("click", () => {
    taps = [];
    keys.forEach((k) => (k.disabled = false));
    render();
  });
  form.dataset.ready = "1";
}
