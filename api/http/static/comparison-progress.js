// A comparison running in the background: ask how far it has got every two seconds and open
// the result once done. Only a new pass is said in the status line (read out by screen
// readers); the count moves silently in the bar. Without JavaScript, the page's "Refresh"
// link does the same by hand; a session that has ended reloads the page (to the log-in).
const box = document.getElementById("comparison-progress");
if (box) {
  const status = document.getElementById("comparison-status");
  const bar = document.getElementById("comparison-bar");
  const count = document.getElementById("comparison-count");
  const said = { replay: status.dataset.replay, as_of: status.dataset.asOf,
                 candidates: status.dataset.candidates };
  let stage = null;
  const poll = async () => {
    try {
      const answer = await fetch(box.dataset.progress, { headers: { Accept: "application/json" } });
      if (answer.redirected || !(answer.headers.get("content-type") || "").includes("json")) {
        window.location.reload();
        return;
      }
      if (answer.ok) {
        const run = await answer.json();
        if (run.state !== "waiting" && run.state !== "running") {
          status.textContent = box.dataset.doneText;
          window.location.reload();
          return;
        }
        if (run.state === "running" && run.stage && run.stage !== stage) {
          stage = run.stage;
          const [kind, version] = [stage.split(":")[0], stage.split(":").slice(1).join(":")];
          if (said[kind]) status.textContent = said[kind].replace("%(version)s", version);
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
