// OpenAero's service worker: it shows the push notices the server sends
// (domain::notifications::push) and opens the notice's page when one is tapped. It
// caches nothing: pages always come from the server.
self.addEventListener("push", (event) => {
  let notice = {};
  try {
    notice = event.data ? event.data.json() : {};
  } catch {
    notice = { body: event.data.text() };
  }
  event.waitUntil(self.registration.showNotification(notice.title || "OpenAero", {
    body: notice.body || "",
    tag: notice.tag,
    icon: "/favicon.svg",
    data: { url: notice.url || "/account/notifications" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data.url, self.location.origin);
  // Only pages of this site: a notice never sends anyone elsewhere.
  if (url.origin !== self.location.origin) return;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const open = windows.find((w) => w.url === url.href);
    if (open) return open.focus();
    return self.clients.openWindow(url.href);
  })());
});

// The push service replaced this browser's subscription (keys expire): sign the new one
// up for whoever is signed in here, as the preferences page would. The old one is
// removed the first time its push service calls it gone.
self.addEventListener("pushsubscriptionchange", (event) => {
  const options = event.oldSubscription && event.oldSubscription.options;
  event.waitUntil((async () => {
    const subscription = event.newSubscription || (options && await self.registration.pushManager.subscribe(options));
    if (!subscription) return;
    const { endpoint, keys } = subscription.toJSON();
    await fetch("/api/account/push/subscribe", {
      method: "POST",
      credentials: "same-origin",
      headers: { accept: "application/json" },
      body: new URLSearchParams({ endpoint, p256dh: keys.p256dh, auth: keys.auth }),
    });
  })());
});
