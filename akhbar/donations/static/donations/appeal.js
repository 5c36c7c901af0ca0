/**
 * The donation appeal: shown on at most N articles a day, and not again for D days once the
 * reader closes it. Everything is kept in this browser (localStorage): no cookie, nothing sent.
 * It never touches selection, copying, the context menu or focus: it is an ordinary aside.
 */
(() => {
  "use strict";
  const box = document.querySelector("[data-donation-appeal]");
  if (!box) return;
  const KEY = `akhbar.appeal.${box.dataset.campaign}`;
  const DAY = 86400000;
  const today = new Date().toISOString().slice(0, 10);
  const read = () => {
    try {
      return JSON.parse(window.localStorage.getItem(KEY)) || {};
    } catch (error) {
      return {};
    }
  };
  const write = (state) => {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (error) {
      /* storage full or refused: the appeal simply shows as if new */
    }
  };
  const state = read();
  const pauseDays = Number(box.dataset.pauseDays) || 7;
  const perDay = Number(box.dataset.viewsPerDay) || 3;
  if (state.closedAt && Date.now() - state.closedAt < pauseDays * DAY) return;
  const views = state.day === today ? state.views || 0 : 0;
  if (views >= perDay) return;
  write({ ...state, day: today, views: views + 1 });
  box.hidden = false;
  box.querySelector("[data-donation-appeal-close]").addEventListener("click", () => {
    write({ ...read(), closedAt: Date.now() });
    box.hidden = true;
  });
})();
