// A refused form: move the focus to the summary of what was wrong, so a screen reader reads it
// and the keyboard starts from it (the GOV.UK error summary does the same). The summary is
// brought to the top of the screen first, so that on a phone the form it is about follows it
// on the screen rather than below the fold — once the whole page is there: this script runs
// where the summary is, and a summary above a long form (the profile editor's sections)
// cannot come to the top of a page whose rest is not yet read.
function showErrorSummary() {
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", showErrorSummary, { once: true });
} else {
  showErrorSummary();
}
