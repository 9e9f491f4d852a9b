// Taza Studio review pages: bar widths, click-to-zoom, live render progress (server-sent events). No build step.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll("[data-w]")) {
    el.style.width = Math.max(0, Math.min(100, Number(el.dataset.w) || 0)) + "%";
  }
  for (const fig of document.querySelectorAll("figure.zoom")) {
    fig.addEventListener("click", () => fig.classList.toggle("zoomed"));
  }
  const box = document.querySelector("[data-events]");
  if (!box) return;
  const progress = box.querySelector(".progress");
  const what = box.querySelector(".what");
  const count = box.querySelector(".count");
  const bar = box.querySelector(".bar .p");
  const failures = box.querySelector(".failures");
  const button = box.querySelector("button[type=submit]");
  // A page served while a render ran must reload when it ends, even if it ended before the
  // stream's first answer (a short render): the page would otherwise show it running for ever.
  let sawRunning = !progress.hidden;
  const source = new EventSource(box.dataset.events);
  source.onmessage = (event) => {
    const s = JSON.parse(event.data);
    if (s.running) {
      sawRunning = true;
      progress.hidden = false;
      progress.classList.add("running");
      if (button) button.disabled = true;
      if (s.elsewhere) {
        what.textContent = what.dataset.labelElsewhere + ": " + s.elsewhere;
        count.textContent = "";
      } else {
        what.textContent = what.dataset.labelRunning;
        count.textContent = " " + s.done + " / " + s.total;
        bar.style.width = (s.total ? (100 * s.done) / s.total : 0) + "%";
      }
      failures.replaceChildren(...(s.failures || []).map((f) => { const li = document.createElement("li"); li.textContent = f; return li; }));
    } else {
      source.close();
      progress.classList.remove("running");
      // A render just ended: show its files and statuses.
      if (sawRunning) window.location.reload();
    }
  };
  source.onerror = () => { source.close(); };
});
