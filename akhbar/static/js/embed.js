// Click-to-load embeds: the page requests nothing from a video provider until the reader
// presses «play». Only then is the iframe created from data-embed-frame (an address the
// server derived from the editor's URL, never a provider's HTML).
(() => {
  "use strict";
  for (const facade of document.querySelectorAll("[data-embed-frame]")) {
    const button = facade.querySelector(".embed__load");
    if (!button) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const frame = document.createElement("iframe");
      frame.src = facade.dataset.embedFrame;
      frame.title = facade.dataset.embedTitle || "";
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      frame.className = "embed__frame";
      facade.replaceChildren(frame);
      facade.classList.add("embed__facade--loaded");
      frame.focus();
    });
  }
})();
