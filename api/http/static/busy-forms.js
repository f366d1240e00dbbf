// A form whose answer takes seconds (a rule-set comparison, composing a tailored job, a sheet
// upload) says that it is working, and cannot be sent twice: its button is disabled and a
// status line with a progress bar appears (read out by screen readers: role="status").
for (const form of document.querySelectorAll("form[data-busy]")) {
  form.addEventListener("submit", () => {
    const status = document.createElement("p");
    status.className = "busy";
    status.setAttribute("role", "status");
    const bar = document.createElement("progress");
    bar.setAttribute("aria-hidden", "true");
    status.append(bar, " ", form.dataset.busy);
    form.after(status);
    // After this event: a disabled button's value would not be sent.
    setTimeout(() => {
      for (const button of form.querySelectorAll("button[type=submit], button:not([type])")) {
        button.disabled = true;
      }
    });
  });
}
