{% load i18n %}{% get_current_language as LANG %}// The service worker of Kiểm Phiếu (issue 16), served at /sw.js by config/offline.py.
// It keeps the static files, and the pages a view marked for use offline ({{ header }}: cache) that the clerk
// has opened: never a page with personal data (DENY below, and a page must opt in). It sends the queue of
// requests made offline (static/js/offline-queue.js) when the browser's background sync says the network is back.
"use strict";
importScripts("{{ queue_script|escapejs }}");
const STATIC_PREFIX = "{{ static_prefix|escapejs }}";
const STATIC = "kp-static-v1", PAGES = "kp-pages-v1";
// Voter lists, voter pages, the lookup, the API, accounts and the admin: never kept, whatever they answer.
const DENY = [/^\/voters\//, /\/voters\//, /\/lookup\//, /^\/(en\/)?public\//, /^\/api\//, /^\/accounts\//, /^\/admin\//];
const OFFLINE_PAGE = "<!doctype html><html lang=\"{{ LANG }}\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{% translate 'No network' %}</title><h1>{% translate 'No network' %}</h1><p>{% translate 'This page was not opened on this device before, so it cannot be shown without a network. Go back to a page you opened earlier; what you submit there is kept and sent when the network returns.' %}</p>";

function denied(url) { return DENY.some((re) => re.test(url.pathname)); }

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== STATIC && k !== PAGES).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  if (event.data === "logout") event.waitUntil(caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))));
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "kp-queue") return;
  event.waitUntil(self.KPQueue.flush().then((outcome) => {
    if (outcome === "offline") throw new Error("still offline"); // the browser tries again later
  }));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "GET" && url.pathname.startsWith(STATIC_PREFIX)) {
    // from the device at once, refreshed from the network behind (a file changed in development is seen next time)
    event.respondWith(caches.open(STATIC).then((cache) => cache.match(request).then((hit) => {
      const fresh = fetch(request).then((response) => {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
      if (hit) { event.waitUntil(fresh.catch(() => null)); return hit; }
      return fresh;
    })));
    return;
  }
  if (request.mode !== "navigate") return;
  if (request.method === "GET") {
    event.respondWith(fetch(request).then((response) => {
      if (response.ok && response.headers.get("{{ header }}") === "cache" && !denied(url) && !denied(new URL(response.url))) {
        const copy = response.clone();
        caches.open(PAGES).then((cache) => cache.put(url.origin + url.pathname, copy));
      }
      return response;
    }).catch(() => caches.open(PAGES)
      .then((cache) => (denied(url) ? null : cache.match(url.origin + url.pathname)))
      .then((hit) => hit || new Response(OFFLINE_PAGE, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }))));
    return;
  }
  if (request.method === "POST") {
    // A form sent while the network drops: back to its page, which puts what was typed in the queue.
    event.respondWith(fetch(request).catch(() => Response.redirect(url.pathname + "?kp-unsent=1", 303)));
  }
});
