/**
 * The subscribe box, with JavaScript: subscribe without leaving the page. The page is cached,
 * so the box gets a signed «form opened» stamp from /newsletter/stamp/ when the reader starts,
 * and its CSRF token from /csrf/ (forms.js) when they send. Without JavaScript the same form
 * posts normally and the server answers with a page of its own.
 */
(() => {
  "use strict";
  const STAMP_URL = "/newsletter/stamp/";

  const init = (form) => {
    if (form.dataset.newsletterReady) return; // the script is on the page once per box
    form.dataset.newsletterReady = "1";
    const status = form.querySelector("[data-newsletter-status]");
    const getStamp = window.akhbarCsrf.stamper(form, STAMP_URL);

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("[type=submit]");
      button.disabled = true;
      status.textContent = form.dataset.sendingLabel || "…";
      status.dataset.kind = "";
      try {
        const response = await window.akhbarCsrf.send(form, getStamp);
        const data = await response.json();
        status.textContent = data.message || data.error || "";
        status.dataset.kind = data.ok ? "ok" : "error";
        if (data.ok) form.elements.email.value = "";
      } catch {
        form.submit(); // the server answers with a page of its own
      } finally {
        button.disabled = false;
      }
    });
  };

  document.querySelectorAll("[data-newsletter-form]").forEach(init);
})();
