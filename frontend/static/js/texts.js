// The page's translated texts for scripts (rendered once by base.html as JSON).
const el = document.getElementById("ui-texts");
export const texts = el ? JSON.parse(el.textContent) : {};

// Fills a gettext template: "%(name)s" placeholders, "%%" for a percent sign.
export function format(template, values) {
  return String(template)
    .replace(/%\((\w+)\)s/g, (_match, key) => String(values[key] ?? ""))
    .replace(/%%/g, "%");
}
