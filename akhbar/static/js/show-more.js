// «اظهر المزيد»: the link is a plain keyset link (?before=<cursor>) that works without
// JavaScript. Here it fetches the same address with fragment=1, appends the returned cards to
// the list in place, points the link at the next batch (or removes it at the end), moves
// focus to the first new story and announces the change in the listing's aria-live region.
// If anything fails, it falls back to following the link.
(() => {
  "use strict";
  const announce = (listing, message) => {
    const status = listing.querySelector('[role="status"]');
    if (status && message) status.textContent = message;
  };

  const loadMore = async (link) => {
    const listing = link.closest("[data-listing]");
    const list = listing && listing.querySelector("ol.article-list");
    if (!list) return false;
    const next = new URL(link.href, window.location.href);
    const request = new URL(next);
    request.searchParams.set("fragment", "1");

    link.setAttribute("aria-busy", "true");
    announce(listing, link.dataset.loadingMessage);
    const response = await fetch(request, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) return false;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const fragment = doc.querySelector("ol.article-list");
    if (!fragment) return false;

    const cards = Array.from(fragment.children).filter((child) => child.matches("li.card"));
    const adopted = cards.map((card) => document.adoptNode(card));
    list.append(...adopted);

    const cursor = fragment.dataset.nextCursor;
    link.removeAttribute("aria-busy");
    if (cursor) {
      next.searchParams.set("before", cursor);
      link.href = next.pathname + next.search;
      announce(listing, link.dataset.loadedMessage);
    } else {
      announce(listing, `${link.dataset.loadedMessage} ${link.dataset.endMessage}`);
      link.closest(".listing__more")?.remove();
      link.remove();
    }
    const firstLink = adopted.length ? adopted[0].querySelector("a[href]") : null;
    if (firstLink) firstLink.focus();
    return true;
  };

  document.addEventListener("click", async (event) => {
    const link = event.target.closest("a[data-show-more]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (link.dataset.loading) return;
    link.dataset.loading = "1";
    let done = false;
    try {
      done = await loadMore(link);
    } catch {
      done = false;
    }
    delete link.dataset.loading;
    if (!done) window.location.assign(link.href);
  });
})();
