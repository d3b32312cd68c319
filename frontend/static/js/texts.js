// The page's translated texts for scripts (rendered once by base.html as JSON).
const el = document.getElementById("ui-texts");
export const texts = el ? JSON.parse(el.textContent) : {};
