// Renders message text as text. Only http, https and mailto become links; nothing is parsed as HTML.
const linkPattern = /(?:https?:\/\/|mailto:)[^\s<>"'\u3000-\u303f\uff00-\uffef]+/gi;
const trailing = /[.,;:!?)，。]+$/;

export function renderText(target: HTMLElement, text: string): void {
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
