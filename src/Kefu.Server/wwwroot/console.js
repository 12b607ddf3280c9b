// Small helpers for the Blazor console. No framework, no globals beyond window.kefuConsole.
window.kefuConsole = {
  timeZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  },
  scrollToEnd(element) {
    if (element) element.scrollTop = element.scrollHeight;
  },
  // After a canned reply is inserted: back to typing, the caret at the end of the draft.
  focusComposer() {
    const composer = document.querySelector('textarea[data-testid="composer"]');
    if (!composer) return;
    composer.focus();
    composer.setSelectionRange(composer.value.length, composer.value.length);
  },
  // A search result opens its conversation at the message: scrolled into the middle and marked until the next click.
  focusMessage(element, seq) {
    const item = element && element.querySelector('[data-seq="' + Number(seq) + '"]');
    if (!item) {
      if (element) element.scrollTop = element.scrollHeight;
      return;
    }
    item.classList.add("search-focus");
    item.scrollIntoView({ block: "center" });
  },
  // A quality item's deciding message (Pages/Quality/ConversationQuality): scrolled into the middle and marked.
  focusMessageById(id) {
    const item = document.querySelector('[data-testid="message-list"] [data-message-id="' + CSS.escape(String(id)) + '"]');
    if (!item) return;
    document.querySelectorAll(".quality-focus").forEach(e => e.classList.remove("quality-focus"));
    item.classList.add("quality-focus");
    item.scrollIntoView({ block: "center" });
  },
  // A mention in the bell opens its note: scrolled into the middle and highlighted. False while the notes are not
  // rendered yet (the view tries again on its next render); until then the list stays at its end.
  focusNote(element, id) {
    const item = element && element.querySelector('[data-note-id="' + CSS.escape(String(id)) + '"]');
    if (!item) {
      if (element) element.scrollTop = element.scrollHeight;
      return false;
    }
    item.classList.add("note-focus");
    item.scrollIntoView({ block: "center" });
    return true;
  },
  // A new API key's copy button. False when the browser refuses (no permission, not a secure context): the key stays
  // on screen to select by hand.
  async copyText(text) {
    try {
      await navigator.clipboard.writeText(String(text));
      return true;
    } catch {
      return false;
    }
  },
};

// The canned-reply list above the composer (CannedReplyPicker) takes the arrows, Enter, Tab and Esc while it is open:
// in the capture phase, so the Enter-sends handler below never sees them. Each key clicks the picker's hidden button
// for it; Blazor handles that click like any other.
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (!(target instanceof HTMLTextAreaElement) || target.dataset.testid !== "composer") return;
  if (event.isComposing || event.keyCode === 229 || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key === "Tab" ? "Enter" : event.key;
  if (!["ArrowDown", "ArrowUp", "Enter", "Escape"].includes(key)) return;
  const button = target.closest(".composer")?.querySelector(`.canned-picker [data-canned-key="${key}"]`);
  if (!(button instanceof HTMLButtonElement)) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  button.click();
}, true);

// Enter sends, Shift+Enter adds a line. While an IME composes (pinyin), Enter confirms the
// candidate and must not send.
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (!(target instanceof HTMLTextAreaElement) || target.dataset.testid !== "composer") return;
  if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  const send = target.closest(".composer")?.querySelector('[data-testid="send"]');
  if (send instanceof HTMLButtonElement) send.click();
});

// Alerts: a sound and a browser notification for offers, transfers and visitors' messages. The user's choices
// (sound on/off, notifications on/off) live on their account and come with each call; the browser's permission
// to show notifications is this browser's alone. The server decides what deserves an alert; this decides how.
(() => {
  let audio;
  Object.assign(window.kefuConsole, {
    notificationPermission() {
      return "Notification" in window ? Notification.permission : "unsupported";
    },
    // Called from the click on the switch: browsers only ask for permission on a user gesture.
    async requestNotifications() {
      if (!("Notification" in window)) return "unsupported";
      if (Notification.permission !== "default") return Notification.permission;
      return await Notification.requestPermission();
    },
    async alert(prefs, title, body, url, tag, onlyIfHidden) {
      if (onlyIfHidden && !document.hidden) return { sound: false, desktop: false }; // on screen already
      const done = { sound: false, desktop: false };
      // The sound starts first but is not waited for: play() settles only once the file has loaded, and the
      // notification must not wait on that.
      let playing = null;
      if (prefs.sound) {
        audio ??= Object.assign(new Audio("/notify.wav"), { preload: "auto" });
        audio.currentTime = 0;
        // A refusal (autoplay before the first click on the page) is not an error: the bell still shows it.
        playing = audio.play().then(() => true, () => false);
      }
      if (prefs.desktop && "Notification" in window && Notification.permission === "granted") {
        const shown = new Notification(title, { body, tag, lang: document.documentElement.lang });
        shown.onclick = () => {
          window.focus();
          if (window.Blazor?.navigateTo) window.Blazor.navigateTo(url); else location.href = url;
          shown.close();
        };
        done.desktop = true;
      }
      if (playing) done.sound = await playing;
      return done;
    },
  });
})();

// Keyboard shortcuts of the agent workspace. Never while typing: any input, textarea, select or editable
// element keeps its keys (the composer's Enter is handled above).
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  if (target instanceof HTMLElement && (target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]") || target.isContentEditable)) return;
  const dialog = document.querySelector(".rz-dialog-wrapper .rz-dialog");
  if (dialog) {
    // Esc closes a dialog even when the focus stayed on the page behind it (a shortcut opened it).
    if (event.key === "Escape" && !dialog.contains(target)) dialog.querySelector(".rz-dialog-titlebar-close")?.click();
    return; // otherwise the dialog has the keyboard
  }
  const click = (selector) => {
    const element = document.querySelector(selector);
    if (element instanceof HTMLElement) {
      element.click();
      return true;
    }
    return false;
  };
  const step = (delta) => {
    const items = [...document.querySelectorAll("[data-testid=conversation-item]")];
    if (items.length === 0) return false;
    const current = items.findIndex((a) => a.closest("li")?.classList.contains("selected"));
    const next = items[current < 0 ? 0 : Math.min(items.length - 1, Math.max(0, current + delta))];
    next.click();
    next.scrollIntoView({ block: "nearest" });
    return true;
  };
  let handled = false;
  switch (event.key) {
    case "j": handled = step(1); break;
    case "k": handled = step(-1); break;
    case "e": handled = click("[data-testid=resolve]"); break;
    case "r": {
      const composer = document.querySelector("[data-testid=composer]");
      if (composer instanceof HTMLElement) {
        composer.focus();
        handled = true;
      }
      break;
    }
    case "p": {
      // Opens the conversation's priority menu.
      const button = document.querySelector("[data-testid=priority-select] button");
      if (button instanceof HTMLElement) {
        button.focus();
        button.click();
        handled = true;
      }
      break;
    }
    case "?": handled = click("[data-testid=shortcut-help-open]"); break;
  }
  if (handled) event.preventDefault();
});
