// The class grid. A pupil's login card QR opens /klas/<code>/#<login token>: the part
// after # stays in the browser (it is never sent, so no access log holds it). Here it
// taps that pupil's tile, as the pupil would, after taking it out of the address bar and
// the history, so that "back" shows the plain grid.

const form = document.querySelector("form[data-choose-pupil]");
const token = location.hash.slice(1);
if (token) history.replaceState(history.state, "", location.pathname + location.search);
if (form) {
  const tile = token
    ? [...form.querySelectorAll("button[name=pupil]")].find((button) => button.value === token)
    : null;
  if (tile) form.requestSubmit(tile);
  form.dataset.ready = "1";
}
