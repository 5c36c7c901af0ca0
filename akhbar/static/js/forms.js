/**
 * The one way Akhbar's forms get a CSRF token (comments, newsletter, donations, …).
 *
 * Public pages are cached and must set no cookie, so they never contain {% csrf_token %}.
 * Instead, a POST form is written like this:
 *
 *   <form method="post" action="…" data-needs-csrf>
 *     <input type="hidden" name="csrfmiddlewaretoken" value="">
 *     …
 *   </form>
 *   <script defer src="{% static 'js/forms.js' %}"></script>
 *
 * Just before the form is submitted, this script fetches /csrf/ (same origin, with
 * credentials; the endpoint is never cached and sets the CSRF cookie), fills the hidden
 * input (creating it if missing), then submits. The token is fetched once per page view.
 *
 * Scripts that post with fetch() use the same mechanism, and get the signed «form opened»
 * stamp the same way:
 *   const getStamp = window.akhbarCsrf.stamper(form, "/comments/stamp/");
 *   await getStamp();
 *   const token = await window.akhbarCsrf.token();
 *   fetch(url, { method: "POST", headers: { "X-CSRFToken": token }, credentials: "same-origin", body });
 *
 * Without JavaScript the form posts with an empty token and Django answers 403: forms that
 * must work without JavaScript need a server-rendered, uncached page of their own.
 */
(() => {
  "use strict";
  const ENDPOINT = "/csrf/";
  let pending = null;

  const token = () => {
    if (!pending) {
      pending = fetch(ENDPOINT, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
        .then((response) => {
          if (!response.ok) throw new Error(`CSRF endpoint answered ${response.status}`);
          return response.json();
        })
        .then((data) => data.token)
        .catch((error) => {
          pending = null; // let the next attempt try again
          throw error;
        });
    }
    return pending;
  };

  // The signed «form opened» stamp a public form needs (the server refuses forms sent too fast):
  // fetched from `url` once, when the reader starts filling `form` in, into its `started`
  // field. Returns the function to await before sending (it tries again after a failure);
  // its reset() makes the next message of the same form wait for a stamp of its own.
  const stamper = (form, url) => {
    let stamp = null;
    const getStamp = () => {
      if (!stamp) {
        stamp = fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
          .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
          .then((data) => {
            form.elements.started.value = data.stamp;
            return data.stamp;
          })
          .catch((error) => {
            stamp = null;
            throw error;
          });
      }
      return stamp;
    };
    const arm = () => form.addEventListener("focusin", () => getStamp().catch(() => {}), { once: true });
    arm();
    getStamp.reset = () => {
      stamp = null;
      form.elements.started.value = "";
      arm();
    };
    return getStamp;
  };

  // Post `form` with fetch() once its stamp and a token are there; the server answers JSON.
  const send = async (form, getStamp) => {
    await getStamp();
    const csrf = await token();
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf },
    });
  };

  window.akhbarCsrf = { token, stamper, send };

  const fill = (form, value) => {
    let input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "csrfmiddlewaretoken";
      form.prepend(input);
    }
    input.value = value;
  };

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-needs-csrf")) return;
    if (form.method.toLowerCase() !== "post" || event.defaultPrevented) return;
    event.preventDefault();
    const submitter = event.submitter;
    try {
      fill(form, await token());
    } catch {
      form.dispatchEvent(new CustomEvent("akhbar:csrf-failed", { bubbles: true }));
      return;
    }
    // requestSubmit() keeps the submitter's name/value and runs validation, but fires
    // "submit" again: mark the form so this handler lets that second event through.
    form.removeAttribute("data-needs-csrf");
    try {
      if (submitter && form.requestSubmit) form.requestSubmit(submitter);
      else if (form.requestSubmit) form.requestSubmit();
      else HTMLFormElement.prototype.submit.call(form);
    } finally {
      form.setAttribute("data-needs-csrf", "");
    }
  });
})();
