/**
 * Comments under an article, with JavaScript: post without reloading, reply in place,
 * «more comments» appended. The page is cached, so the form gets its CSRF token from /csrf/
 * (forms.js) and a signed «form opened» stamp from /comments/stamp/ when the reader starts.
 * Without JavaScript the same form posts normally and the server answers with a page.
 */
(() => {
  "use strict";
  const STAMP_URL = "/comments/stamp/";

  const init = (section) => {
    const form = section.querySelector("[data-comment-form]");
    if (!form) return;
    const status = form.querySelector("[data-comment-status]");
    const parentInput = form.querySelector("[data-parent-input]");
    const replying = form.querySelector("[data-replying]");
    const replyingText = form.querySelector("[data-replying-text]");
    const home = form.parentNode;
    const homeNext = form.nextSibling;

    const getStamp = window.akhbarCsrf.stamper(form, STAMP_URL);

    const say = (text, kind) => {
      status.textContent = text || "";
      status.dataset.kind = kind || "";
    };
    const showErrors = (errors) => {
      form.querySelectorAll("[data-error-for]").forEach((span) => {
        const field = form.elements[span.dataset.errorFor];
        const messages = errors[span.dataset.errorFor] || [];
        span.textContent = messages.join(" ");
        if (field) {
          if (messages.length) {
            field.setAttribute("aria-invalid", "true");
            field.setAttribute("aria-describedby", span.id);
          } else {
            field.removeAttribute("aria-invalid");
            field.removeAttribute("aria-describedby");
          }
        }
      });
    };

    const cancelReply = () => {
      parentInput.value = "";
      replying.hidden = true;
      home.insertBefore(form, homeNext);
    };
    form.querySelector("[data-cancel-reply]").addEventListener("click", cancelReply);

    section.addEventListener("click", (event) => {
      const link = event.target.closest("[data-reply-to]");
      if (!link || !section.contains(link)) return;
      event.preventDefault();
      parentInput.value = link.dataset.replyTo;
      replyingText.textContent = form.dataset.replyingLabel
        ? form.dataset.replyingLabel.replace("{name}", link.dataset.replyName)
        : link.dataset.replyName;
      replying.hidden = false;
      link.closest("article").after(form);
      form.elements.text.focus();
    });

    section.addEventListener("click", async (event) => {
      const link = event.target.closest(".comments__more a");
      if (!link || !section.contains(link)) return;
      event.preventDefault();
      const response = await fetch(link.href + (link.href.includes("?") ? "&" : "?") + "fragment=1", { credentials: "same-origin" });
      if (!response.ok) {
        window.location.href = link.href;
        return;
      }
      const box = document.createElement("div");
      box.innerHTML = await response.text();
      const holder = link.closest(".comments__more");
      const list = holder.previousElementSibling && holder.previousElementSibling.matches("ol")
        ? holder.previousElementSibling
        : section.querySelector("[data-comments-list]");
      const incoming = box.querySelector("[data-comments-list]");
      if (incoming) list.append(...incoming.children);
      const next = box.querySelector(".comments__more");
      if (next) holder.replaceWith(next);
      else holder.remove();
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("[type=submit]");
      button.disabled = true;
      say(form.dataset.sendingLabel || "…", "");
      try {
        const response = await window.akhbarCsrf.send(form, getStamp);
        const data = await response.json();
        showErrors(data.errors || {});
        // Every answer of the comment endpoint carries `message`; other refusals on the way
        // (a proxy's or the rate limiter's own JSON) may carry only `error`.
        say(data.message || data.error || form.dataset.failedLabel || "", data.ok ? "ok" : "error");
        if (data.ok) {
          form.elements.text.value = "";
          if (data.html) {
            const holder = document.createElement("li");
            holder.innerHTML = data.html;
            const list = data.parent
              ? section.querySelector(`[data-replies-of="${data.parent}"]`)
              : section.querySelector("[data-comments-list]");
            if (list) {
              list.hidden = false;
              list.append(holder);
            }
          }
          getStamp.reset(); // a second comment needs a fresh stamp
        }
      } catch {
        form.submit(); // the server answers with a page of its own
        return;
      } finally {
        button.disabled = false;
      }
    });
  };

  document.querySelectorAll("[data-comments]").forEach(init);
})();
