// Offline first (issue 16): registers the service worker (/sw.js), puts a turnout report or the counting
// minutes in the device's queue when there is no network (static/js/offline-queue.js), shows the queue and its
// state on every page, sends it when the network returns, and clears the kept pages at logout.
(function () {
  "use strict";
  const box = document.getElementById("kp-offline");
  if (!box || !window.KPQueue || !window.indexedDB) return;
  const W = box.dataset;
  const Q = window.KPQueue;
  const PENDING = "kp-offline-pending";
  const FIG = ["voters_on_list", "voters_voted", "ballots_issued", "ballots_received", "valid_ballots", "invalid_ballots"];

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(W.worker, { scope: "/" }).catch(() => {});
  }

  function whole(text) {
    const t = String(text || "").trim();
    if (t === "") return null;
    const n = Number(t);
    return Number.isInteger(n) ? n : t; // the server says what is wrong with anything else
  }
  function csrf(form) {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The API request (CONTRACT §7) that says what this page's form says.
  function requestOf(form, submitter) {
    const api = form.dataset.offlineApi;
    if (form.id === "tally-form") {
      const body = {};
      FIG.forEach((n) => (body[n] = whole(form.elements[n] && form.elements[n].value)));
      body.votes = {};
      form.querySelectorAll("[data-candidate]").forEach((row) => {
        body.votes[row.dataset.candidate] = whole(row.querySelector("input").value);
      });
      body.complaints = form.elements.complaints ? form.elements.complaints.value : "";
      const version = form.elements.version && parseInt(form.elements.version.value, 10);
      if (version) body.version = version;
      const submit = submitter && submitter.value === "submit";
      return {
        url: submit ? api + "submit/" : api, method: submit ? "POST" : "PUT", body: body, csrf: csrf(form),
        label: (submit ? W.submitLabel : W.saveLabel) + " · " + form.dataset.offlineLabel, page: location.pathname,
      };
    }
    return {
      url: api, method: "PUT", body: { voters_voted: whole(form.elements.voters_voted.value) }, csrf: csrf(form),
      label: W.turnoutLabel + " " + form.elements.at.value + " · " + form.dataset.offlineLabel, page: location.pathname,
    };
  }

  let delay = 2000, timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(send, delay);
    delay = Math.min(delay * 2, 60000);
  }
  function send() {
    if (!navigator.onLine) return Promise.resolve();
    return Q.flush().then((outcome) => {
      if (outcome === "offline") later();
      else if (outcome === "busy") setTimeout(send, 2000); // the service worker is sending them now
      else delay = 2000;
    }).then(render, render);
  }
  function queue(request) {
    return Q.add(request).then(() => {
      render();
      if ("serviceWorker" in navigator && navigator.serviceWorker.controller) {
        navigator.serviceWorker.ready.then((r) => r.sync && r.sync.register("kp-queue")).catch(() => {});
      }
      send();
    });
  }

  // The queue, drawn at the top of the page whenever it holds something.
  const panel = document.createElement("section");
  panel.className = "card offline-queue";
  panel.id = "offline-queue";
  panel.hidden = true;
  panel.setAttribute("aria-labelledby", "offline-queue-title");
  const title = document.createElement("h2");
  title.id = "offline-queue-title";
  title.textContent = W.title;
  const state = document.createElement("p");
  state.className = "muted small";
  state.setAttribute("role", "status");
  const list = document.createElement("ul");
  list.className = "plain";
  panel.append(title, state, list);
  const main = document.getElementById("main");
  if (main) main.prepend(panel);

  function render() {
    return Q.all().then((items) => {
      list.replaceChildren(...items.sort((a, b) => a.id - b.id).map((item) => {
        const li = document.createElement("li");
        li.className = "queue-item state-" + item.state;
        li.dataset.state = item.state;
        const badge = document.createElement("span");
        badge.className = "badge queue-" + item.state;
        badge.textContent = W[item.state] || item.state;
        const link = document.createElement("a");
        link.href = item.page || "#";
        link.textContent = item.label; // the page it came from: open it again to see where it stands
        li.append(badge, " ", link);
        if (item.message) {
          const why = document.createElement("span");
          why.className = item.state === "refused" ? "why refused" : "why";
          why.textContent = " " + item.message;
          li.append(why);
        }
        if (item.state === "sent" || item.state === "refused") {
          const drop = document.createElement("button");
          drop.type = "button";
          drop.className = "linkbtn";
          drop.textContent = W.remove;
          drop.addEventListener("click", () => Q.remove(item.id).then(render));
          li.append(" ", drop);
        }
        return li;
      }));
      panel.hidden = items.length === 0;
      const waiting = items.some((i) => i.state === "waiting" || i.state === "sending");
      state.textContent = !navigator.onLine ? W.offline : waiting ? W.willSend : "";
    }).catch(() => {});
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("[data-kp-logout]")) {
      // nothing of this user's pages stays on the device after logout
      if ("caches" in window) {
        event.preventDefault();
        if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage("logout");
        caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))).finally(() => form.submit());
      }
      return;
    }
    if (event.defaultPrevented || !form.dataset.offlineApi) return;
    const request = requestOf(form, event.submitter);
    if (navigator.onLine) {
      // if the network drops on the way, the service worker brings the clerk back here (?kp-unsent=1)
      try { sessionStorage.setItem(PENDING, JSON.stringify(request)); } catch (e) { /* storage disabled */ }
      return;
    }
    event.preventDefault();
    form.querySelectorAll("input[type=hidden][name=action]").forEach((i) => i.remove());
    form.querySelectorAll("button[type=submit]").forEach((b) => (b.disabled = false));
    const dialog = form.querySelector("dialog[open]");
    if (dialog) dialog.close();
    queue(request).then(() => panel.scrollIntoView({ block: "start" }));
  });

  let pending = null;
  try { pending = JSON.parse(sessionStorage.getItem(PENDING) || "null"); sessionStorage.removeItem(PENDING); } catch (e) { pending = null; }
  if (pending && new URLSearchParams(location.search).get("kp-unsent") === "1" && pending.page === location.pathname) {
    queue(pending);
  }
  window.addEventListener("online", () => { delay = 2000; send(); });
  window.addEventListener("offline", render);
  if (Q.channel) Q.channel.onmessage = render;
  render().then(send);
})();
