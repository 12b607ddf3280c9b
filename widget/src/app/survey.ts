// Satisfaction surveys drawn inside the conversation, under the system message that carries them. Each survey keeps
// one card element across renders (the list is rebuilt on every change), so a half-chosen answer survives a new message.
import type { VisitorSurvey } from "../protocol/types";
import { errorText, type texts } from "./i18n";
import { el } from "./view";

type T = ReturnType<typeof texts>;

const FACES = ["😠", "🙁", "😐", "🙂", "😄"];

export class SurveyCards {
  private readonly cards = new Map<string, SurveyCard>();

  constructor(private readonly t: T, private readonly chinese: boolean, private readonly token: () => string | null) {}

  /** The card of survey <id>, loaded on first use. */
  card(id: string): HTMLElement {
    let card = this.cards.get(id);
    if (!card) {
      card = new SurveyCard(id, this.t, this.chinese, this.token);
      this.cards.set(id, card);
      void card.load();
    }
    return card.root;
  }
}

class SurveyCard {
  readonly root: HTMLElement;
  private survey: VisitorSurvey | null = null;
  private scores: (number | null)[] = [];
  private editing = false;
  private busy = false;
  private error: string | null = null;
  private readonly comment = el("textarea", { rows: "2", maxlength: "1000", "data-testid": "kefu-survey-comment" });

  constructor(private readonly id: string, private readonly t: T, private readonly chinese: boolean, private readonly token: () => string | null) {
    this.root = el("div", { class: "survey", "data-testid": "kefu-survey", "data-survey-id": id, "data-state": "loading" });
    this.comment.placeholder = t("surveyComment");
  }

  async load(): Promise<void> {
    try {
      const response = await fetch(`/api/v1/widget/surveys/${encodeURIComponent(this.id)}`, { headers: { Authorization: `Bearer ${this.token() ?? ""}` } });
      if (!response.ok) throw new Error(String(response.status));
      this.accept((await response.json()) as VisitorSurvey);
    } catch {
      this.root.dataset["state"] = "unavailable";
      this.root.replaceChildren(el("span", { class: "survey-note" }, this.t("error_generic")));
    }
  }

  private accept(survey: VisitorSurvey): void {
    this.survey = survey;
    this.scores = survey.questions.map((_, i) => survey.scores[i] ?? null);
    this.comment.value = survey.comment ?? "";
    this.draw();
  }

  private draw(): void {
    const s = this.survey!;
    const answered = s.answeredAt !== null && !this.editing;
    this.root.dataset["state"] = answered ? "answered" : "open";
    this.root.dataset["kind"] = s.kind;
    if (answered) {
      const parts: HTMLElement[] = [el("strong", { "data-testid": "kefu-survey-thanks" }, this.t("surveyThanks"))];
      parts.push(el("span", { class: "survey-note", "data-testid": "kefu-survey-score-given" }, this.t("surveyYourScore", s.scores.join(" · "))));
      if (s.canAnswer) {
        const change = el("button", { type: "button", class: "link", "data-testid": "kefu-survey-change" }, this.t("surveyChange"));
        change.addEventListener("click", () => { this.editing = true; this.draw(); });
        parts.push(change);
      }
      this.root.replaceChildren(...parts);
      return;
    }

    const parts: HTMLElement[] = [];
    s.questions.forEach((q, i) => {
      // Wording is the business's plain text, set with textContent: never markup, never a template.
      const wording = (this.chinese ? q.zh ?? q.en : q.en ?? q.zh) ?? "";
      const label = el("div", { class: "survey-question", "data-testid": "kefu-survey-question", id: `q-${this.id}-${i}` }, wording);
      const scale = el("div", { class: `survey-scale survey-${s.style}`, role: "radiogroup", "aria-labelledby": label.id });
      for (let score = s.min; score <= s.max; score++) {
        const chosen = this.scores[i];
        const on = chosen !== null && chosen !== undefined && (s.style === "stars" ? score <= chosen : score === chosen);
        const face = s.style === "faces" ? FACES[Math.round(((score - s.min) / (s.max - s.min)) * (FACES.length - 1))]! : null;
        const button = el("button", {
          type: "button", role: "radio", "aria-checked": String(score === chosen), "aria-label": this.t("surveyRate", String(score)),
          "data-testid": "kefu-survey-score", "data-question": String(i), "data-score": String(score), class: on ? "on" : "",
        }, s.style === "stars" ? "★" : face ?? String(score));
        button.addEventListener("click", () => { this.scores[i] = score; this.draw(); });
        scale.appendChild(button);
      }
      parts.push(label, scale);
    });
    if (s.askComment) parts.push(this.comment);
    const submit = el("button", { type: "button", class: "survey-submit", "data-testid": "kefu-survey-submit" }, this.t("surveySubmit"));
    submit.disabled = this.busy || this.scores.some((x) => x === null);
    submit.addEventListener("click", () => void this.submit());
    parts.push(submit);
    if (this.error) parts.push(el("div", { class: "survey-error", role: "alert", "data-testid": "kefu-survey-error" }, this.error));
    this.root.replaceChildren(...parts);
  }

  private async submit(): Promise<void> {
    this.busy = true;
    this.error = null;
    this.draw();
    try {
      const response = await fetch(`/api/v1/widget/surveys/${encodeURIComponent(this.id)}/answer`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${this.token() ?? ""}` },
        body: JSON.stringify({ scores: this.scores, comment: this.comment.value.trim() || null }),
      });
      if (response.ok) {
        this.editing = false;
        this.busy = false;
        this.accept((await response.json()) as VisitorSurvey);
        return;
      }
      const problem = (await response.json().catch(() => null)) as { code?: string } | null;
      this.error = errorText(this.t, problem?.code);
    } catch {
      this.error = errorText(this.t, "generic");
    }
    this.busy = false;
    this.draw();
  }
}
