// The printable proposal's button (the pages' policy allows no inline script).
document.getElementById("print")?.addEventListener("click", () => window.print());
