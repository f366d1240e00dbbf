// A refused form: move the focus to the summary of what was wrong, so a screen reader reads it
// and the keyboard starts from it (the GOV.UK error summary does the same). The summary is
// brought to the top of the screen first, so that on a phone the form it is about follows it
// on the screen rather than below the fold. This waits for the whole page to be read: run
// where the summary stands, the rest of the page is not there yet and cannot be scrolled to.
function focusErrorSummary() {
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", focusErrorSummary, { once: true });
} else {
  focusErrorSummary();
}
