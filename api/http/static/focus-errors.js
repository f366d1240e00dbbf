// A refused form: move the focus to the summary of what was wrong, so a screen reader reads it
// and the keyboard starts from it (the GOV.UK error summary does the same).
document.getElementById("error-summary")?.focus();
