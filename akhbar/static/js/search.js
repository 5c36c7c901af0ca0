// Suggestions as you type on the search page (WAI-ARIA combobox with a listbox popup).
// Without JavaScript the box is a plain search field in a GET form; this script adds:
// - a debounced request to the suggestions endpoint (data-suggest-url) once two letters are typed,
// - a listbox of article titles under the box (role=listbox, options built with textContent only;
//   the words that begin with what was typed in <mark>),
// - keys: ArrowDown/ArrowUp move through the titles (aria-activedescendant; focus stays in the
//   box), Enter opens the chosen article (or submits the search when none is chosen), Escape
//   closes the list, Alt+ArrowDown reopens it; a click on a title opens it too,
// - the number of suggestions announced in a polite live region.
(() => {
  "use strict";
  const DEBOUNCE_MS = 200;
  const MIN_LETTERS = 2;

  const setUp = (wrapper) => {
    const input = wrapper.querySelector('input[type="search"]');
    const listbox = wrapper.querySelector('[role="listbox"]');
    const form = input && input.form;
    const status = form && form.querySelector("[data-search-status]");
    const endpoint = input && input.dataset.suggestUrl;
    if (!input || !listbox || !endpoint) return;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    let options = []; // [{element, url}]
    let active = -1;
    let timer = null;
    let controller = null;
    let composing = false;
    let lastAsked = "";

    const announce = (message) => {
      if (status) status.textContent = message || "";
    };

    const setActive = (index) => {
      options.forEach((option, i) => option.element.setAttribute("aria-selected", i === index ? "true" : "false"));
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    };

    const close = () => {
      setActive(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    };

    const open = () => {
      if (!options.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    };

    const follow = (url) => {
      // Only addresses on this site: the endpoint answers paths, never other hosts.
      if (typeof url === "string" && url.startsWith("/") && !url.startsWith("//")) window.location.assign(url);
    };

    const render = (suggestions) => {
      listbox.replaceChildren();
      options = suggestions.map((suggestion, index) => {
        const element = document.createElement("li");
        element.id = `${listbox.id}-${index}`;
        element.className = "search-combobox__option";
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        const title = document.createElement("span");
        title.className = "search-combobox__title";
        const parts = Array.isArray(suggestion.title_parts) && suggestion.title_parts.length ? suggestion.title_parts : [{ text: suggestion.title }];
        parts.forEach((part) => {
          const piece = document.createElement(part.mark ? "mark" : "span");
          piece.textContent = part.text;
          title.append(piece);
        });
        element.append(title);
        if (suggestion.section) {
          const section = document.createElement("span");
          section.className = "search-combobox__section";
          section.textContent = suggestion.section;
          element.append(section);
        }
        listbox.append(element);
        return { element, url: suggestion.url };
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (options.length && document.activeElement === input) open();
      else close();
    };

    const fetchSuggestions = async (text) => {
      if (controller) controller.abort();
      controller = new AbortController();
      const url = new URL(endpoint, window.location.href);
      url.searchParams.set("q", text);
      try {
        const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const data = await response.json();
        if (input.value.trim() !== text) return; // the reader typed on meanwhile
        render(Array.isArray(data.suggestions) ? data.suggestions : []);
        announce(data.status);
      } catch (error) {
        if (error.name !== "AbortError") close();
      }
    };

    const schedule = () => {
      clearTimeout(timer);
      const text = input.value.trim();
      if (text.replace(/[\s\p{P}\p{M}]/gu, "").length < MIN_LETTERS) {
        lastAsked = "";
        render([]);
        announce("");
        return;
      }
      if (text === lastAsked) return;
      timer = setTimeout(() => {
        lastAsked = text;
        fetchSuggestions(text);
      }, DEBOUNCE_MS);
    };

    input.addEventListener("compositionstart", () => {
      composing = true;
    });
    input.addEventListener("compositionend", () => {
      composing = false;
      schedule();
    });
    input.addEventListener("input", () => {
      if (!composing) schedule();
    });

    input.addEventListener("keydown", (event) => {
      const expanded = !listbox.hidden;
      switch (event.key) {
        case "ArrowDown":
          if (!options.length) return;
          event.preventDefault();
          if (!expanded) {
            open();
            if (event.altKey) return;
          }
          setActive(active + 1 < options.length ? active + 1 : 0);
          break;
        case "ArrowUp":
          if (!options.length) return;
          event.preventDefault();
          if (!expanded) open();
          setActive(active > 0 ? active - 1 : options.length - 1);
          break;
        case "Enter":
          if (expanded && active >= 0) {
            event.preventDefault();
            follow(options[active].url);
          }
          break;
        case "Escape":
          if (expanded) {
            event.preventDefault();
            close();
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", () => close());
    input.addEventListener("focus", () => {
      if (options.length && input.value.trim() === lastAsked) open();
    });

    // Keep the focus in the box while a title is clicked, then open the article.
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", (event) => {
      const element = event.target.closest('[role="option"]');
      const option = options.find((candidate) => candidate.element === element);
      if (option) follow(option.url);
    });
  };

  document.querySelectorAll("[data-search-combobox]").forEach(setUp);
})();
