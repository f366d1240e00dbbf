// A table or chart wider than the screen scrolls inside its own box. Such a box must be
// reachable by keyboard (WCAG 2.1.1): it becomes a labelled, focusable region only while it
// actually scrolls, so wide screens get no extra tab stops.
function markScrollRegions() {
  for (const box of document.querySelectorAll(".scroll, .chart-box")) {
    if (box.scrollWidth > box.clientWidth + 1) {
      const caption = box.querySelector("caption, :scope > [aria-label]");
      const heading = box.closest("section")?.querySelector("h2, h3");
      const name = caption?.getAttribute("aria-label") || caption?.textContent
        || heading?.textContent || document.title;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name.trim());
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}
markScrollRegions();
window.addEventListener("resize", markScrollRegions);
