// The counting-minutes form: checks while typing, a copy of the draft on the device, and a summary to
// confirm. Which check refuses and which only warns, its article and its words come from the server
// (results/rules/checks.py `classification`, in the json_script "check-rules"): this file keeps no list.
(function () {
  "use strict";
  const form = document.getElementById("tally-form");
  if (!form) return;
  const LANG = document.documentElement.lang || "vi";
  const RULES = JSON.parse(document.getElementById("check-rules").textContent);
  const WORDS = JSON.parse(document.getElementById("entry-words").textContent);
  const seats = parseInt(form.dataset.seats, 10);
  const loadedList = form.dataset.loadedList ? parseInt(form.dataset.loadedList, 10) : null;
  const editable = form.dataset.editable === "1";
  const key = form.dataset.draftKey;
  const prefix = form.dataset.draftPrefix;
  const status = document.getElementById("entry-status");
  // A line the server found empty or not a number keeps its words until the clerk types in it.
  const entryProblems = {};
  form.querySelectorAll("[data-entry-problem]").forEach((row) => {
    entryProblems[row.dataset.field] = row.dataset.entryProblem;
  });
  const touched = new Set();
  const FIG = ["voters_on_list", "voters_voted", "ballots_issued", "ballots_received", "valid_ballots", "invalid_ballots"];
  const inputs = Array.from(form.querySelectorAll("input[type=number]"));
  const candidateRows = Array.from(form.querySelectorAll("[data-candidate]"));

  function fmt(template, params) {
    const shown = (v) => (typeof v === "number" ? v.toLocaleString(LANG) : String(v));
    return template.replace(/%\((\w+)\)s/g, (_, name) => shown(params[name]));
  }
  function num(name) {
    const el = form.elements[name];
    if (!el || el.value.trim() === "") return null;
    const n = Number(el.value);
    return Number.isInteger(n) && n >= 0 ? n : NaN;
  }

  function findings() {
    const f = {}; // field -> [{text, severity, article}]
    const add = (field, code, params) => {
      const rule = RULES[code];
      (f[field] = f[field] || []).push({ text: fmt(rule.message, params), severity: rule.severity, article: rule.article });
    };
    const entry = (field, text) => (f[field] = f[field] || []).push({ text: text, severity: "error", article: "" });
    const v = {};
    FIG.forEach((n) => (v[n] = num(n)));
    FIG.forEach((n) => { if (Number.isNaN(v[n])) entry(n, WORDS.not_whole); });
    Object.keys(entryProblems).forEach((n) => {
      if (!touched.has(n) && form.elements[n] && form.elements[n].value.trim() === "") entry(n, entryProblems[n]);
    });
    const ok = (...names) => names.every((n) => typeof v[n] === "number" && !Number.isNaN(v[n]));
    if (ok("voters_voted", "voters_on_list") && v.voters_voted > v.voters_on_list)
      add("voters_voted", "voters_voted_above_list", { voted: v.voters_voted, listed: v.voters_on_list });
    if (ok("ballots_issued", "voters_on_list") && v.ballots_issued > v.voters_on_list)
      add("ballots_issued", "ballots_issued_above_list", { issued: v.ballots_issued, listed: v.voters_on_list });
    if (ok("ballots_received", "ballots_issued") && v.ballots_received > v.ballots_issued)
      add("ballots_received", "ballots_received_above_issued", { received: v.ballots_received, issued: v.ballots_issued });
    if (ok("valid_ballots", "invalid_ballots", "ballots_received")) {
      const total = v.valid_ballots + v.invalid_ballots;
      if (total !== v.ballots_received) {
        const p = { valid: v.valid_ballots, invalid: v.invalid_ballots, total: total, received: v.ballots_received };
        add("valid_ballots", "valid_plus_invalid_not_received", p);
        add("invalid_ballots", "valid_plus_invalid_not_received", p);
      }
    }
    if (loadedList !== null && ok("voters_on_list") && v.voters_on_list !== loadedList)
      add("voters_on_list", "list_differs_from_voter_list", { entered: v.voters_on_list, loaded: loadedList });
    if (ok("ballots_issued", "voters_voted") && v.ballots_issued !== v.voters_voted)
      add("ballots_issued", "issued_differs_from_voted", { issued: v.ballots_issued, voted: v.voters_voted });
    let sum = 0, complete = true;
    candidateRows.forEach((row) => {
      const name = row.dataset.field;
      const n = num(name);
      if (n === null) { complete = false; return; }
      if (Number.isNaN(n)) { entry(name, WORDS.not_whole); complete = false; return; }
      sum += n;
      if (ok("valid_ballots") && n > v.valid_ballots) add(name, "candidate_above_valid", { votes: n, valid: v.valid_ballots });
    });
    if (ok("valid_ballots") && sum > v.valid_ballots * seats)
      add("votes", "votes_above_valid_times_seats", { total: sum, valid: v.valid_ballots, seats: seats, limit: v.valid_ballots * seats });
    document.getElementById("sum-ballots").textContent = ok("valid_ballots", "invalid_ballots") ? (v.valid_ballots + v.invalid_ballots).toLocaleString(LANG) + (ok("ballots_received") ? " / " + v.ballots_received.toLocaleString(LANG) : "") : "–";
    document.getElementById("sum-votes").textContent = sum.toLocaleString(LANG);
    document.getElementById("max-votes").textContent = ok("valid_ballots") ? (v.valid_ballots * seats).toLocaleString(LANG) : "–";
    return { f, complete, filled: FIG.every((n) => typeof v[n] === "number" && !Number.isNaN(v[n])) };
  }

  // One finding as the server writes it (templates/results/_entry_note.html): "Warning · Art. 69: words".
  function note(x) {
    const span = document.createElement("span");
    span.className = "note " + x.severity;
    if (x.article) {
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = (x.severity === "warning" ? WORDS.warning : WORDS.error) + " · " + x.article;
      span.append(tag, " ");
    }
    span.append(x.text);
    return span;
  }

  function show() {
    const { f } = findings();
    form.querySelectorAll(".why").forEach((p) => {
      const name = p.id.replace("why-", "");
      const list = f[name] || [];
      const row = p.closest(".row");
      const refused = list.some((x) => x.severity === "error");
      p.replaceChildren(...list.flatMap((x) => [note(x), " "]));
      if (!list.length) p.textContent = "";
      if (row) {
        row.classList.toggle("has-error", refused);
        row.classList.toggle("has-warning", !refused && list.length > 0);
        const input = row.querySelector("input");
        if (input) input.setAttribute("aria-invalid", refused ? "true" : "false");
        if (input) input.setAttribute("aria-describedby", p.id);
      }
    });
    return f;
  }

  function say(text) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("refused", text !== "");
  }

  function saveLocal() {
    if (!editable) return;
    const data = {};
    inputs.forEach((i) => (data[i.name] = i.value));
    data.complaints = form.elements.complaints.value;
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or disabled */ }
    const note = document.getElementById("draft-note");
    if (note) note.hidden = false;
  }

  function forgetOlder() {
    // copies typed over an older version: the server has moved on since, so they would only mislead
    try {
      for (let i = localStorage.length - 1; i >= 0; i--) {
        const k = localStorage.key(i);
        if (k && prefix && k.startsWith(prefix) && k !== key) localStorage.removeItem(k);
      }
    } catch (e) { /* storage disabled */ }
  }

  function restoreLocal() {
    if (!editable) return;
    forgetOlder();
    if (form.dataset.saved === "1") { try { localStorage.removeItem(key); } catch (e) {} return; }
    let data = null;
    try { data = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { data = null; }
    if (!data) return;
    inputs.forEach((i) => { if (data[i.name] !== undefined && data[i.name] !== "") i.value = data[i.name]; });
    if (data.complaints !== undefined) form.elements.complaints.value = data.complaints;
    const note = document.getElementById("draft-note");
    if (note) note.hidden = false;
  }

  restoreLocal();
  show();
  form.addEventListener("input", (event) => {
    if (event.target && event.target.name) touched.add(event.target.name);
    show(); saveLocal(); say("");
  });

  const dialog = document.getElementById("summary");
  const warningBox = document.getElementById("summary-warnings");
  const warningList = document.getElementById("summary-warning-list");
  const summaryBox = document.getElementById("summary-confirm-box");
  const summaryStatus = document.getElementById("summary-status");
  let confirmed = false;
  form.addEventListener("submit", (event) => {
    const submitter = event.submitter;
    if (submitter && submitter.id === "summary-confirm") {
      if (!warningBox.hidden && !summaryBox.checked) {
        event.preventDefault();
        summaryStatus.textContent = WORDS.tick;
        summaryBox.focus();
        return;
      }
      confirmed = true;
    }
    if (submitter && submitter.id === "warnings-submit") {
      // the server's own question (templates/results/tally_entry.html #confirm-warnings)
      const box = document.getElementById("confirm-warnings-box");
      if (box && !box.checked) { event.preventDefault(); say(WORDS.tick); box.focus(); return; }
      confirmed = true;
    }
    const f = show();
    const errors = Object.values(f).some((list) => list.some((x) => x.severity === "error"));
    const { complete, filled } = findings();
    if (submitter && submitter.value === "submit" && !confirmed) {
      event.preventDefault();
      if (errors || !complete || !filled) {
        say(errors ? WORDS.refused : WORDS.incomplete);
        const bad = form.querySelector(".has-error input") || inputs.find((i) => i.value.trim() === "");
        if (bad) bad.focus();
        return;
      }
      say("");
      const seen = new Set();
      warningList.replaceChildren();
      Object.values(f).flat().filter((x) => x.severity === "warning").forEach((x) => {
        if (seen.has(x.text)) return;
        seen.add(x.text);
        const li = document.createElement("li");
        li.append(note(x));
        warningList.append(li);
      });
      warningBox.hidden = seen.size === 0;
      summaryBox.checked = false;
      summaryStatus.textContent = "";
      const body = dialog.querySelector("tbody");
      body.innerHTML = "";
      form.querySelectorAll(".row").forEach((row) => {
        const tr = document.createElement("tr");
        const th = document.createElement("th");
        th.textContent = row.querySelector("label").textContent;
        const td = document.createElement("td");
        td.className = "num";
        td.textContent = Number(row.querySelector("input").value).toLocaleString(LANG);
        tr.append(th, td);
        body.append(tr);
      });
      if (typeof dialog.showModal === "function") dialog.showModal(); else { confirmed = true; form.requestSubmit(submitter); }
      return;
    }
    // One request only: a second tap while the first is on its way does nothing.
    form.querySelectorAll("button[type=submit]").forEach((b) => (b.disabled = true));
    if (submitter) {
      const hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "action"; hidden.value = submitter.value;
      form.append(hidden);
    }
  });
  document.getElementById("summary-back").addEventListener("click", () => dialog.close());
})();
