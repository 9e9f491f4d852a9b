// The deliverable editor: previews every selected format as the person types; problems at their fields.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("editor");
  if (!form) return;
  const previews = form.querySelector(".previews");
  const langSelect = document.getElementById("preview-lang");
  const status = document.getElementById("save-status");
  let base = form.dataset.base;
  let seq = 0;
  let timer = null;
  let controllers = [];

  const edit = () => {
    const text = {};
    for (const el of form.querySelectorAll("[name^='text.']")) {
      const [, lang, field] = el.name.split(".");
      (text[lang] = text[lang] || {})[field] = el.value;
    }
    const out = {
      text,
      hashtags: form.elements.hashtags.value.split(/[\s,]+/).filter(Boolean),
      formats: [...form.querySelectorAll("input[name=formats]:checked")].map((i) => i.value),
    };
    if (form.elements.design) out.design = form.elements.design.value;
    if (form.elements.quarters) out.quarters = form.elements.quarters.value.split(/[\s,]+/).filter(Boolean);
    const bgKind = form.querySelector("input[name=bg_kind]:checked");
    if (bgKind && bgKind.value === "image") {
      out.background = {image: form.elements.bg_image.value, scrim: form.elements.bg_scrim.value};
    } else if (bgKind) {
      out.background = bgKind.value === "gradient"
        ? {gradient: [form.elements.bg_a.value, form.elements.bg_b.value], angle_deg: form.elements.bg_angle.value}
        : {color: form.elements.bg_a.value};
    }
    const voices = {};
    for (const el of form.querySelectorAll("[name^='voice.']")) {
      const [, speaker, field, lang] = el.name.split(".");
      const voice = (voices[speaker] = voices[speaker] || {});
      if (field === "voice") (voice.voice = voice.voice || {})[lang] = el.value;
      else voice[field] = el.value;
    }
    if (Object.keys(voices).length) out.voices = voices;
    return out;
  };

  const showProblems = (problems, scope) => {
    for (const p of form.querySelectorAll(".problem")) {
      if (scope && p.dataset.scope !== scope) continue;
      p.textContent = "";
      p.title = "";
      p.dataset.scope = "";
      const input = form.querySelector(`[name='${p.dataset.for}']`);
      if (input) input.classList.remove("invalid");
    }
    for (const problem of problems) {
      const slot = form.querySelector(`.problem[data-for='${problem.field}']`) || form.querySelector(".problem[data-for='']");
      if (!slot.textContent.includes(problem.message)) slot.textContent = (slot.textContent ? slot.textContent + " " : "") + problem.message;
      slot.title = problem.detail || "";
      slot.dataset.scope = scope || "";
      const input = form.querySelector(`[name='${problem.field}']`);
      if (input) input.classList.add("invalid");
    }
  };

  const refresh = () => {
    if (form.dataset.previewable !== "yes") return;
    const mine = ++seq;
    controllers.forEach((c) => c.abort());
    controllers = [];
    const current = edit();
    const lang = langSelect.value;
    const formats = current.formats;
    // One figure per selected format, created or reused in order.
    const figures = new Map([...previews.querySelectorAll("figure")].map((f) => [f.dataset.format, f]));
    for (const [name, fig] of figures) if (!formats.includes(name)) fig.remove();
    const all = [];
    for (const fmt of formats) {
      let fig = figures.get(fmt);
      if (!fig) {
        fig = document.createElement("figure");
        fig.dataset.format = fmt;
        fig.innerHTML = "<img alt=''><figcaption></figcaption>";
        previews.appendChild(fig);
      }
      fig.querySelector("figcaption").textContent = fmt;
      fig.classList.add("busy");
      const controller = new AbortController();
      controllers.push(controller);
      all.push(
        fetch(form.dataset.preview, {
          method: "POST",
          signal: controller.signal,
          headers: {"content-type": "application/json", "x-csrf-token": form.dataset.csrf},
          body: JSON.stringify({edit: current, format: fmt, language: lang}),
        })
          .then((r) => r.json())
          .then((result) => {
            if (mine !== seq) return [];
            fig.classList.remove("busy");
            const img = fig.querySelector("img");
            if (result.image) {
              img.src = result.image;
              img.alt = fmt;
              img.width = result.width;
              img.height = result.height;
              fig.classList.remove("failed");
              fig.dataset.ms = result.ms;
            } else {
              fig.classList.add("failed");
            }
            fig.dataset.seq = String(mine);
            return result.problems;
          })
          .catch(() => [])
      );
    }
    Promise.all(all).then((lists) => {
      if (mine !== seq) return;
      showProblems(lists.flat(), "preview");
      form.dataset.previewed = String(mine);
    });
  };

  const later = (event) => {
    if (event && event.target && event.target.dataset.lang && langSelect.value !== event.target.dataset.lang) {
      langSelect.value = event.target.dataset.lang;
    }
    clearTimeout(timer);
    timer = setTimeout(refresh, 120);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  langSelect.addEventListener("change", () => refresh());

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    status.textContent = status.dataset.saving;
    status.className = "";
    fetch(form.dataset.save, {
      method: "POST",
      headers: {"content-type": "application/json", "x-csrf-token": form.dataset.csrf},
      body: JSON.stringify({edit: edit(), base}),
    })
      .then((r) => r.json().then((body) => ({status: r.status, body})))
      .then(({status: code, body}) => {
        if (body.saved) {
          base = body.base;
          status.textContent = body.message;
          status.className = "ok";
          showProblems([], "");
        } else if (body.conflict) {
          status.textContent = body.message;
          status.className = "bad conflict";
          status.title = body.detail;
        } else {
          status.textContent = status.dataset.failed;
          status.className = "bad";
          showProblems(body.problems || [], "save");
        }
        form.dataset.saved = String(code);
      });
  });
  refresh();
});

// The design gallery: the chosen design and kind go with the form; formats of other designs are cleared.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.new-form");
  if (!form) return;
  const sync = () => {
    const chosen = form.querySelector("input[name=design_kind]:checked");
    const [design, kind] = chosen ? chosen.value.split("|") : ["", ""];
    form.elements.design.value = design;
    form.elements.kind.value = kind;
    for (const box of form.querySelectorAll("input[name=formats]")) {
      if (chosen && box.dataset.kind !== chosen.value) box.checked = false;
    }
  };
  form.addEventListener("change", (event) => {
    if (event.target.name === "formats" && event.target.checked) {
      const radio = form.querySelector(`input[name=design_kind][value='${event.target.dataset.kind}']`);
      if (radio) radio.checked = true;
    }
    sync();
  });
  form.addEventListener("submit", sync);
  sync();
});

// A design the campaign has no example for (it needs a photo, an event…) cannot be pictured: say so.
document.addEventListener("DOMContentLoaded", () => {
  for (const img of document.querySelectorAll(".sample img")) {
    img.addEventListener("error", () => img.closest(".sample").classList.add("unavailable"));
  }
});
