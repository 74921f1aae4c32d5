// Push notifications on this device, for the card on the preferences page
// (app/src/account/push.rs). It subscribes this browser with the site's key and
// posts the subscription in the card's plain form; it marks the listed device that is
// this browser, and unsubscribes this browser when that device is removed.
const card = document.querySelector("[data-push-key]");
if (card) {
  const state = card.querySelector("[data-push-state]");
  const form = card.querySelector("[data-push-form]");
  const say = (name) => { state.textContent = card.dataset[name]; };
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

  const keyBytes = (base64url) => {
    const plain = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(plain, (c) => c.charCodeAt(0));
  };

  const sameKey = (subscription) => {
    const key = subscription.options && subscription.options.applicationServerKey;
    if (!key) return false;
    const ours = keyBytes(card.dataset.pushKey);
    const theirs = new Uint8Array(key);
    return theirs.length === ours.length && theirs.every((b, i) => b === ours[i]);
  };

  const start = async () => {
    if (!supported) return say("textUnsupported");
    if (Notification.permission === "denied") return say("textBlocked");
    const registration = await navigator.serviceWorker.register("/push-worker.js");
    const current = await registration.pushManager.getSubscription();
    const listed = current && card.parentElement.querySelector(`[data-endpoint="${CSS.escape(current.endpoint)}"]`);
    if (listed && Notification.permission === "granted") {
      listed.querySelector("[data-this-device]").hidden = false;
      // Removing this device also stops this browser's subscription.
      listed.querySelector("[data-push-remove]").addEventListener("submit", async (event) => {
        event.preventDefault();
        await current.unsubscribe().catch(() => {});
        event.target.submit();
      }, { once: true });
      return say("textOn");
    }
    state.textContent = "";
    form.hidden = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        if ((await Notification.requestPermission()) !== "granted") return say("textBlocked");
        let subscription = await registration.pushManager.getSubscription();
        if (subscription && !sameKey(subscription)) {
          await subscription.unsubscribe();
          subscription = null;
        }
        subscription ||= await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(card.dataset.pushKey),
        });
        const json = subscription.toJSON();
        form.elements.endpoint.value = json.endpoint;
        form.elements.p256dh.value = json.keys.p256dh;
        form.elements.auth.value = json.keys.auth;
        form.submit();
      } catch (error) {
        console.warn("push subscription failed", error);
        say("textFailed");
      }
    });
  };

  start().catch((error) => {
    console.warn("push unavailable", error);
    say("textFailed");
  });
}
