// The counting-minutes form: checks while typing (the same rules as results/checks.py, whose
// translated messages the page carries), a copy of the draft on the device, and a summary to confirm.
(function () {
  "use strict";
  const form = document.getElementById("tally-form");
  if (!form) return;
  const LANG = document.documentElement.lang || "vi";
  const MSG = JSON.parse(document.getElementById("check-messages").textContent);
  const WARN_ONLY = new Set(JSON.parse(document.getElementById("warning-only").textContent));
  const seats = parseInt(form.dataset.seats, 10);
  const loadedList = form.dataset.loadedList ? parseInt(form.dataset.loadedList, 10) : null;
  const editable = form.dataset.editable === "1";
  const key = form.dataset.draftKey;
  const FIG = ["voters_on_list", "voters_voted", "ballots_issued", "ballots_received", "valid_ballots", "invalid_ballots"];
  const inputs = Array.from(form.querySelectorAll("input[type=number]"));
  const candidateRows = Array.from(form.querySelectorAll("[data-candidate]"));

  function fmt(template, params) {
    return template.replace(/%\((\w+)\)s/g, (_, name) => String(params[name]));
  }
  function num(name) {
    const el = form.elements[name];
    if (!el || el.value.trim() === "") return null;
    const n = Number(el.value);
    return Number.isInteger(n) && n >= 0 ? n : NaN;
  }

  function findings() {
    const f = {}; // field -> [{text, error}]
    const add = (field, code, params) => {
      (f[field] = f[field] || []).push({ text: fmt(MSG[code], params), error: !WARN_ONLY.has(code) });
    };
    const v = {};
    FIG.forEach((n) => (v[n] = num(n)));
    FIG.forEach((n) => { if (Number.isNaN(v[n])) (f[n] = f[n] || []).push({ text: "0, 1, 2, …", error: true }); });
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
      if (Number.isNaN(n)) { (f[name] = f[name] || []).push({ text: "0, 1, 2, …", error: true }); complete = false; return; }
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

  function show() {
    const { f } = findings();
    form.querySelectorAll(".why").forEach((p) => {
      const name = p.id.replace("why-", "");
      const list = f[name] || [];
      const row = p.closest(".row");
      p.textContent = list.map((x) => x.text).join(" ");
      p.classList.toggle("warn", list.length > 0 && !list.some((x) => x.error));
      if (row) {
        row.classList.toggle("has-error", list.some((x) => x.error));
        const input = row.querySelector("input");
        if (input) input.setAttribute("aria-invalid", list.some((x) => x.error) ? "true" : "false");
        if (input) input.setAttribute("aria-describedby", p.id);
      }
    });
    return f;
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

  function restoreLocal() {
    if (!editable) return;
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
  form.addEventListener("input", () => { show(); saveLocal(); });

  const dialog = document.getElementById("summary");
  let confirmed = false;
  form.addEventListener("submit", (event) => {
    const submitter = event.submitter;
    if (submitter && submitter.id === "summary-confirm") { confirmed = true; }
    const f = show();
    const errors = Object.values(f).some((list) => list.some((x) => x.error));
    const { complete, filled } = findings();
    if (submitter && submitter.value === "submit" && !confirmed) {
      event.preventDefault();
      if (errors || !complete || !filled) {
        const bad = form.querySelector(".has-error input") || inputs.find((i) => i.value.trim() === "");
        if (bad) bad.focus();
        return;
      }
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
