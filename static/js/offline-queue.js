// The queue of requests made without a network (issue 16), kept in IndexedDB on the device and sent when the
// network returns. Used by the pages (static/js/offline.js) and by the service worker (templates/offline/sw.js).
// Each request carries its own Idempotency-Key (CONTRACT §12): sending it twice never counts twice.
(function (root) {
  "use strict";
  const DB = "kp-offline", STORE = "queue";
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("kp-queue") : null;

  function open() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  function run(mode, work) {
    return open().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const out = work(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(out && "result" in out ? out.result : undefined); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    }));
  }
  function changed() { if (channel) channel.postMessage("changed"); }

  function newKey() {
    if (root.crypto && typeof root.crypto.randomUUID === "function") return root.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function all() { return run("readonly", (s) => s.getAll()); }
  function put(item) { return run("readwrite", (s) => s.put(item)).then((id) => { changed(); return id; }); }
  function remove(id) { return run("readwrite", (s) => s.delete(id)).then(changed); }

  // A request to keep: {url, method, body (an object), csrf, label}; it gets a fresh key and waits.
  function add(request) {
    const item = Object.assign({}, request, {
      key: newKey(), state: "waiting", message: "", created: Date.now(), tries: 0,
      body: JSON.stringify(request.body),
    });
    return put(item);
  }

  function words(body) {
    if (!body || typeof body !== "object") return "";
    const parts = [];
    if (body.detail) parts.push(String(body.detail));
    Object.entries(body.errors || {}).forEach(([field, list]) => {
      (Array.isArray(list) ? list : [list]).forEach((m) => parts.push(field + ": " + m));
    });
    return parts.join(" · ");
  }

  // Whether to try again later: the network, our own failures, or the same key still being answered.
  function retryable(status, body) {
    if (status >= 500 || status === 429 || status === 408) return true;
    return status === 409 && body && body.errors && "Idempotency-Key" in body.errors;
  }

  let busy = null;
  // Send every waiting request, oldest first. Resolves to "offline" when the network failed, else "done".
  // One sender at a time on the device (the pages and the service worker share a lock where there is one);
  // two senders would still count once (the key), but one is enough.
  function flush() {
    if (busy) return busy;
    const locks = root.navigator && root.navigator.locks;
    busy = (locks ? locks.request("kp-queue", { ifAvailable: true }, (lock) => (lock ? send() : "busy")) : send())
      .finally(() => { busy = null; });
    return busy;
  }
  function send() {
    return all().then(async (items) => {
      const stale = Date.now() - 60000; // a "sending" left behind by a page that was closed
      const waiting = items.filter((i) => i.state === "waiting" || (i.state === "sending" && i.sentAt < stale));
      let outcome = "done";
      for (const item of waiting.sort((a, b) => a.id - b.id)) {
        item.state = "sending"; item.sentAt = Date.now(); item.tries += 1;
        await put(item);
        let response;
        try {
          response = await fetch(item.url, {
            method: item.method, body: item.body, credentials: "same-origin",
            headers: { "Content-Type": "application/json", Accept: "application/json",
              "Idempotency-Key": item.key, "X-CSRFToken": item.csrf || "" },
          });
        } catch (e) {
          item.state = "waiting"; await put(item); outcome = "offline"; break;
        }
        let body = null;
        try { body = await response.json(); } catch (e) { body = null; }
        if (response.ok) { item.state = "sent"; item.message = ""; item.doneAt = Date.now(); }
        else if (retryable(response.status, body)) { item.state = "waiting"; item.message = words(body); outcome = "offline"; }
        else { item.state = "refused"; item.message = words(body) || String(response.status); item.doneAt = Date.now(); }
        await put(item);
      }
      // what was sent a day ago is no longer worth showing
      const old = Date.now() - 24 * 3600 * 1000;
      for (const item of items) if (item.state === "sent" && item.doneAt < old) await remove(item.id);
      return outcome;
    });
  }

  root.KPQueue = { add, all, remove, flush, channel };
})(self);
