// «Copy link» for the share box: copies the short link with the Clipboard API and says so
// in the box's aria-live status line. The button stays hidden where the API is missing
// (old browsers, insecure origins); the short link is printed beside it anyway.
(() => {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  for (const button of document.querySelectorAll("[data-copy-link]")) {
    const box = button.closest(".share");
    const status = box ? box.querySelector('[role="status"]') : null;
    const item = button.closest("[hidden]");
    if (item) item.hidden = false;
    button.addEventListener("click", async () => {
      let message;
      try {
        await navigator.clipboard.writeText(button.dataset.copyLink);
        message = button.dataset.copiedMessage;
      } catch {
        message = button.dataset.failedMessage;
      }
      if (status) {
        status.textContent = "";
        // A fresh text node after clearing makes screen readers announce repeated copies too.
        window.setTimeout(() => {
          status.textContent = message;
        }, 50);
      }
    });
  }
})();
