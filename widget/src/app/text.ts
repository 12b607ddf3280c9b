// Renders message text as text. Only http, https and mailto become links; in bot and agent text, **bold** runs
// become <strong> (the one mark knowledge answers keep). Nothing is parsed as HTML: every run is a text node.
const linkPattern = /(?:https?:\/\/|mailto:)[^\s<>"'\u3000-\u303f\uff00-\uffef]+/gi;
const trailing = /[.,;:!?)，。]+$/;
// The same pattern as the console's (LinkText.SplitBold): two marks, a non-space, …, a non-space, two marks, on one
// line; never inside a longer run of asterisks (masked personal data reads "138****8000").
const boldPattern = /(?<!\*)\*\*(?=[^\s*])([^*\n]*?[^\s*])\*\*(?!\*)/g;

export function renderText(target: HTMLElement, text: string, rich = false): void {
  if (!rich) {
    renderLinks(target, text);
    return;
  }
  let last = 0;
  for (const match of text.matchAll(boldPattern)) {
    const index = match.index ?? 0;
    if (index > last) renderLinks(target, text.slice(last, index));
    const strong = document.createElement("strong");
    renderLinks(strong, match[1] ?? "");
    target.appendChild(strong);
    last = index + match[0].length;
  }
  if (last < text.length) renderLinks(target, text.slice(last));
}

function renderLinks(target: HTMLElement, text: string): void {
  let last = 0;
  for (const match of text.matchAll(linkPattern)) {
    const value = match[0].replace(trailing, "");
    const index = match.index ?? 0;
    if (index > last) target.appendChild(document.createTextNode(text.slice(last, index)));
    const link = document.createElement("a");
    link.href = value;
    link.textContent = value;
    link.target = "_blank";
    link.rel = "noopener noreferrer nofollow";
    target.appendChild(link);
    last = index + value.length;
  }
  if (last < text.length) target.appendChild(document.createTextNode(text.slice(last)));
}
