// An error page reached by sending a form: its "back" link goes back in the browser's history
// instead of loading the form anew, so that the browser gives back everything typed in it
// (without JavaScript the link still leads to the form's page, empty).
document.querySelectorAll("a[data-history-back]").forEach((link) => {
  link.addEventListener("click", (event) => {
    if (window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
});
