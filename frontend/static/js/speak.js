// Read-aloud for every [data-speak] button, with the browser's own speech synthesis.
// Uses a voice for the page's language (a Dutch voice on a Dutch page) when one exists.

const synth = window.speechSynthesis;

function voiceFor(lang) {
  if (!synth) return null;
  const voices = synth.getVoices();
  return voices.find((v) => v.lang.toLowerCase().startsWith(lang)) || null;
}

export function speak(text) {
  if (!synth || !text) return false;
  const lang = (document.documentElement.lang || "nl").slice(0, 2);
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = lang === "nl" ? "nl-NL" : lang;
  const voice = voiceFor(lang);
  if (voice) utterance.voice = voice;
  utterance.rate = 0.9;
  synth.cancel();
  synth.speak(utterance);
  return true;
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-speak]");
  if (button) {
    event.preventDefault();
    speak(button.dataset.speak);
  }
});
