// A comparison running in the background: ask how far it has got every two seconds and open
// the result once done. Only a new pass is said in the status line (read out by screen
// readers); the count moves silently in the bar. Without JavaScript, the page's "Refresh"
// link does the same by hand.
const box = document.getElementById("comparison-progress");
if (box) {
  const status = document.getElementById("comparison-status");
  const bar = document.getElementById("comparison-bar");
  const count = document.getElementById("comparison-count");
  let step = null;
  const poll = async () => {
    try {
      const answer = await fetch(box.dataset.progress, { headers: { Accept: "application/json" } });
      if (answer.ok) {
        const run = await answer.json();
        if (run.state !== "waiting" && run.state !== "running") {
          status.textContent = box.dataset.doneText;
          window.location.reload();
          return;
        }
        if (run.state === "running" && run.step !== step) {
          step = run.step;
          status.textContent = status.dataset.stepText.replace("%(step)s", run.step);
        }
        bar.max = Math.max(run.total, 1);
        bar.value = run.done;
        count.textContent = `${run.done} / ${run.total}`;
      }
    } catch (error) {
      // The service is restarting or the network is down: keep asking.
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 2000);
}
