// Small helpers for the Blazor console. No framework, no globals beyond window.kefuConsole.
window.kefuConsole = {
  timeZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  },
  scrollToEnd(element) {
    if (element) element.scrollTop = element.scrollHeight;
  },
};

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
