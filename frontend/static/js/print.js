// The login-card page's print button (inline handlers are avoided on purpose).
document.querySelector("[data-print]")?.addEventListener("click", () => window.print());
