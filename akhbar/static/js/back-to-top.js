// «زر الذهاب إلى الأعلى»: without JavaScript it is a plain link to #top at the end of the page.
// With it, the link floats and shows only after the reader has scrolled a screen down; while
// hidden it is out of the tab order and the accessibility tree (the `hidden` attribute).
// Activating it scrolls to the top (instantly under prefers-reduced-motion) and moves keyboard
// focus to the #top target so the next Tab starts from the header.
(() => {
  "use strict";
  const button = document.getElementById("back-to-top");
  const target = document.getElementById("top");
  if (!button || !target) return;

  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  button.classList.add("back-to-top--floating");

  const update = () => {
    button.hidden = window.scrollY < Math.min(window.innerHeight * 0.5, 400);
  };
  let queued = false;
  window.addEventListener(
    "scroll",
    () => {
      if (queued) return;
      queued = true;
      window.requestAnimationFrame(() => {
        queued = false;
        update();
      });
    },
    { passive: true },
  );
  update();

  button.addEventListener("click", (event) => {
    event.preventDefault();
    window.scrollTo({ top: 0, behavior: reducedMotion.matches ? "auto" : "smooth" });
    target.focus({ preventScroll: true });
    if (window.location.hash) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  });
})();
