// The script editor: each language's template checked, spoken and timed as the person types;
// a problem is shown at its line; scenes can be listened to; a save keeps both languages or neither.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("script-editor");
  if (!form) return;
  const csrf = form.dataset.csrf;
  const formatSelect = document.getElementById("script-format");
  const status = document.getElementById("script-status");
  const columns = [...form.querySelectorAll(".script-col")];
  const seq = {};
  const timers = {};
  const post = (url, body) =>
    fetch(url, {
      method: "POST",
      headers: {"content-type": "application/json", "x-csrf-token": csrf},
      body: JSON.stringify(body),
    }).then((r) => r.json().then((data) => ({status: r.status, data})));

  const column = (lang) => form.querySelector(`.script-col[data-lang='${lang}']`);
  const area = (lang) => column(lang).querySelector("textarea");

  // Line numbers beside each textarea, scrolled with it; a line with a problem is marked.
  const gutter = (lang, bad) => {
    const col = column(lang);
    const pre = col.querySelector(".gutter");
    const count = area(lang).value.split("\n").length;
    pre.textContent = "";
    for (let n = 1; n <= count; n++) {
      const span = document.createElement("span");
      span.textContent = String(n);
      if (n === bad) span.className = "bad";
      pre.appendChild(span);
      pre.appendChild(document.createTextNode("\n"));
    }
    pre.scrollTop = area(lang).scrollTop;
  };

  const goToLine = (lang, line) => {
    const textarea = area(lang);
    const lines = textarea.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    textarea.focus();
    textarea.setSelectionRange(start, start + (lines[line - 1] || "").length);
    const height = textarea.scrollHeight / Math.max(1, lines.length);
    textarea.scrollTop = Math.max(0, (line - 4) * height);
  };

  const showProblems = (lang, problems) => {
    const col = column(lang);
    const slot = col.querySelector(".script-problem");
    for (const old of col.querySelectorAll(".detail")) old.remove();
    slot.textContent = "";
    const textarea = area(lang);
    textarea.classList.toggle("invalid", problems.length > 0);
    let bad = null;
    for (const p of problems) {
      const link = document.createElement(p.line ? "a" : "span");
      link.textContent = p.message;
      if (p.line) {
        link.href = "#";
        link.dataset.line = String(p.line);
        link.addEventListener("click", (e) => { e.preventDefault(); goToLine(lang, p.line); });
        bad = bad || p.line;
      }
      slot.appendChild(link);
      const detail = document.createElement("p");
      detail.className = "detail mono small";
      detail.dataset.for = slot.dataset.for;
      detail.textContent = p.detail;
      slot.after(detail);
    }
    col.dataset.badLine = bad ? String(bad) : "";
    gutter(lang, bad);
  };

  const partName = (p) => {
    if (p.kind === "intro") return form.dataset.partIntro;
    if (p.kind === "end") return form.dataset.partEnd;
    return form.dataset.partScene.replace("{n}", String(p.index));
  };

  const secs = (v) => `${v.toFixed(1)} ${form.dataset.seconds}`;

  const showParts = (lang, result) => {
    const table = column(lang).querySelector(".script-table");
    const body = table.querySelector("tbody");
    body.textContent = "";
    for (const p of result.parts) {
      const row = document.createElement("tr");
      row.className = `part-${p.kind}`;
      const cells = [partName(p), secs(p.start), secs(p.duration), p.speaker];
      for (const [i, value] of cells.entries()) {
        const td = document.createElement("td");
        td.textContent = value;
        if (i === 2) td.className = "dur";
        row.appendChild(td);
      }
      const words = document.createElement("td");
      if (p.title) {
        const strong = document.createElement("strong");
        strong.textContent = p.title;
        words.append(strong, document.createElement("br"));
      }
      words.append(document.createTextNode(p.narration));
      row.appendChild(words);
      const play = document.createElement("td");
      if (p.kind === "scene") {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "listen";
        button.dataset.scene = String(p.index);
        button.title = form.dataset.listenWord;
        button.textContent = "▶";
        play.appendChild(button);
      }
      row.appendChild(play);
      body.appendChild(row);
    }
    table.querySelector(".total").textContent = secs(result.total);
  };

  const check = (lang) => {
    const mine = (seq[lang] = (seq[lang] || 0) + 1);
    const col = column(lang);
    col.classList.add("busy");
    post(form.dataset.check, {language: lang, format: formatSelect.value, text: area(lang).value})
      .then(({data}) => {
        if (mine !== seq[lang]) return;
        col.classList.remove("busy");
        showProblems(lang, data.problems);
        if (!data.problems.length) showParts(lang, data);
        col.classList.toggle("stale", data.problems.length > 0);
        col.dataset.checked = String(mine);
      })
      .catch(() => col.classList.remove("busy"));
  };

  for (const col of columns) {
    const lang = col.dataset.lang;
    const textarea = area(lang);
    gutter(lang, null);
    textarea.addEventListener("scroll", () => { col.querySelector(".gutter").scrollTop = textarea.scrollTop; });
    textarea.addEventListener("input", () => {
      gutter(lang, Number(col.dataset.badLine) || null);
      clearTimeout(timers[lang]);
      timers[lang] = setTimeout(() => check(lang), 450);
    });
  }
  formatSelect.addEventListener("change", () => columns.forEach((c) => check(c.dataset.lang)));
  // A problem found when the page was made: mark its line too.
  columns.forEach((c) => {
    if (c.querySelector(".script-problem").textContent) check(c.dataset.lang);
  });

  // Listening: one scene, or the whole narration, spoken as typed.
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button.listen, button.listen-all");
    if (!button) return;
    const col = button.closest(".script-col");
    const lang = col.dataset.lang;
    const player = col.querySelector(".listen-audio");
    const note = col.querySelector(".listen-status");
    const scene = button.dataset.scene ? Number(button.dataset.scene) : null;
    note.textContent = note.dataset.wait;
    button.disabled = true;
    post(form.dataset.listen, {language: lang, format: formatSelect.value, text: area(lang).value, scene})
      .then(({data}) => {
        button.disabled = false;
        note.textContent = "";
        if (!data.url) {
          showProblems(lang, data.problems || []);
          return;
        }
        player.hidden = false;
        player.src = data.url;
        player.dataset.scene = scene === null ? "all" : String(scene);
        player.play().catch(() => {});
      })
      .catch(() => { button.disabled = false; note.textContent = ""; });
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const texts = {};
    const bases = {};
    for (const col of columns) {
      texts[col.dataset.lang] = area(col.dataset.lang).value;
      bases[col.dataset.lang] = col.dataset.base;
    }
    status.textContent = status.dataset.saving;
    status.className = "";
    post(form.dataset.save, {texts, bases}).then(({status: code, data}) => {
      status.textContent = data.message;
      status.title = data.detail || "";
      if (data.saved) {
        status.className = "ok";
        for (const col of columns) col.dataset.base = data.bases[col.dataset.lang];
      } else {
        status.className = data.conflict ? "bad conflict" : "bad";
        for (const p of data.problems || []) showProblems(p.language, [p]);
      }
      form.dataset.saved = String(code);
    });
  });
});
