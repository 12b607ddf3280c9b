// The self-service panel: search as you type, read an article, "did this help?", then "chat with us".
// Titles and snippets are text; an article body is HTML the server rendered from Markdown with raw HTML
// disabled and then sanitized, and the iframe's CSP allows no inline script on top of that.
import type { ArticleHit, PublicArticle } from "../protocol/types";
import type { texts } from "./i18n";
import { el } from "./view";

type T = ReturnType<typeof texts>;

export class HelpPanel {
  readonly root = el("section", { class: "help", "data-testid": "kefu-help", hidden: "" });
  private readonly search = el("input", { type: "search", maxlength: "200", "data-testid": "kefu-kb-search" });
  private readonly results = el("ul", { class: "kb-results", "data-testid": "kefu-kb-results" });
  private readonly article = el("article", { class: "kb-article", "data-testid": "kefu-kb-article", hidden: "" });
  private timer: number | undefined;
  private generation = 0;

  constructor(private readonly t: T, private readonly token: () => string | null, private readonly language: string, private readonly onChat: () => void) {
    this.search.placeholder = t("searchPlaceholder");
    this.search.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = window.setTimeout(() => void this.find(), 250);
    });
    this.root.append(el("h2", {}, t("helpTitle")), this.search, this.results, this.article, this.chatButton());
  }

  open(): void {
    this.root.hidden = false;
    this.showList();
    void this.find();
    this.search.focus();
  }

  private async find(): Promise<void> {
    const generation = ++this.generation;
    const q = this.search.value.trim();
    const hits = await this.get<ArticleHit[]>(`/api/v1/widget/kb/search?q=${encodeURIComponent(q)}&lang=${encodeURIComponent(this.language)}`);
    if (generation !== this.generation) return; // a later keystroke already asked again
    const items = (hits ?? []).map((hit) => {
      const li = el("li", { "data-testid": "kefu-kb-result", "data-article-id": hit.id });
      const button = el("button", { type: "button" });
      button.append(el("strong", {}, hit.question), el("span", { class: "snippet" }, hit.snippet));
      button.addEventListener("click", () => void this.read(hit.id));
      li.appendChild(button);
      return li;
    });
    if (items.length === 0) items.push(el("li", { class: "empty", "data-testid": "kefu-kb-empty" }, this.t("noResults")));
    this.results.replaceChildren(...items);
  }

  private async read(id: string): Promise<void> {
    const article = await this.get<PublicArticle>(`/api/v1/widget/kb/articles/${encodeURIComponent(id)}`);
    if (!article) return;
    const body = el("div", { class: "kb-body", "data-testid": "kefu-kb-article-body" });
    body.innerHTML = article.html; // server-sanitized HTML, see the header comment
    const back = el("button", { type: "button", class: "link", "data-testid": "kefu-kb-back" }, `← ${this.t("back")}`);
    back.addEventListener("click", () => this.showList());
    const feedback = el("div", { class: "kb-feedback", "data-testid": "kefu-kb-feedback" });
    const yes = el("button", { type: "button", "data-testid": "kefu-kb-helpful-yes" }, this.t("yes"));
    const no = el("button", { type: "button", "data-testid": "kefu-kb-helpful-no" }, this.t("no"));
    const rate = async (helpful: boolean): Promise<void> => {
      await this.post(`/api/v1/widget/kb/articles/${encodeURIComponent(id)}/feedback`, { helpful });
      feedback.replaceChildren(el("span", { "data-testid": "kefu-kb-feedback-thanks" }, this.t("feedbackThanks")));
      if (!helpful) feedback.append(" ", el("span", {}, this.t("stillNeedHelp")));
    };
    yes.addEventListener("click", () => void rate(true));
    no.addEventListener("click", () => void rate(false));
    feedback.append(el("span", {}, this.t("didThisHelp")), " ", yes, " ", no);
    this.article.replaceChildren(back, el("h3", { "data-testid": "kefu-kb-article-title" }, article.question), body, feedback);
    this.article.hidden = false;
    this.results.hidden = true;
    this.search.hidden = true;
  }

  private showList(): void {
    this.article.hidden = true;
    this.results.hidden = false;
    this.search.hidden = false;
  }

  private chatButton(): HTMLButtonElement {
    const button = el("button", { type: "button", class: "chat-with-us", "data-testid": "kefu-kb-chat" }, this.t("chat"));
    button.addEventListener("click", () => {
      this.root.hidden = true;
      this.onChat();
    });
    return button;
  }

  private async get<R>(url: string): Promise<R | null> {
    try {
      const response = await fetch(url, { headers: { Authorization: `Bearer ${this.token() ?? ""}` } });
      return response.ok ? ((await response.json()) as R) : null;
    } catch {
      return null;
    }
  }

  private async post(url: string, body: unknown): Promise<void> {
    try {
      await fetch(url, { method: "POST", headers: { Authorization: `Bearer ${this.token() ?? ""}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    } catch {
      // feedback is best effort
    }
  }
}
