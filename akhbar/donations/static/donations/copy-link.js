/**
 * Optional (editors turn it on): text copied from an article gets «Source: <link>» after it.
 * The copy itself is never blocked or changed otherwise; short selections are left alone.
 */
(() => {
  "use strict";
  const label = document.currentScript ? document.currentScript.dataset.copyLinkLabel : "Source";
  const body = document.querySelector(".article__body");
  if (!body) return;
  body.addEventListener("copy", (event) => {
    const selected = String(window.getSelection() || "");
    if (selected.trim().length < 40 || !event.clipboardData) return;
    const link = document.querySelector('link[rel="canonical"]');
    event.clipboardData.setData("text/plain", `${selected}\n\n${label}: ${link ? link.href : window.location.href}`);
    event.preventDefault(); // our text replaces the browser's; nothing else is held back
  });
})();
