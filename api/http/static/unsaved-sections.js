// The profile editor saves a section at a time, so what is typed in one section is lost when
// the page moves on: another section's Save, a link, closing the tab. A section changed and not
// saved says so beside its Save button, and leaving the page while a section other than the one
// being saved is changed asks first (the browser's own "leave the page?"), so nothing typed is
// lost without being asked. A section refused and shown again holds what was typed, not what
// is stored: it counts as changed until it is saved.
const forms = [...document.querySelectorAll("form[data-section]")];
const state = (form) => new URLSearchParams(new FormData(form)).toString();
const initial = new Map(forms.map((form) => [form, state(form)]));
const changed = (form) => form.hasAttribute("data-refused") || state(form) !== initial.get(form);
let sending = null;

function mark(form) {
  const note = form.querySelector("[data-unsaved]");
  if (!note) return;
  const text = changed(form) ? note.dataset.unsaved : "";
  if (note.textContent !== text) note.textContent = text; // the same words are not read again
}

for (const form of forms) {
  form.addEventListener("input", () => mark(form));
  form.addEventListener("change", () => mark(form));
  form.addEventListener("submit", () => {
    sending = form;
  });
  mark(form);
}

addEventListener("beforeunload", (event) => {
  const lost = forms.some((form) => form !== sending && changed(form));
  sending = null;
  if (lost) {
    event.preventDefault();
    event.returnValue = "";
  }
});
