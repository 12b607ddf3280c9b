// The offline form: "leave us a message" when nobody can answer (outside opening hours, no agent available) or when the
// visitor stops waiting. Checked here for a quick answer and again on the server, whose refusal names the field and is
// shown beside it. The conversation's history stays visible above it; every text is rendered as text.
import type { OfflineSubmission, SendMessageResult, WidgetOfflineForm } from "../protocol/types";
import type { texts, TextKey } from "./i18n";
import { newClientId } from "./store";
import { el } from "./view";

type T = ReturnType<typeof texts>;
type FieldName = "name" | "email" | "message";
export type OfflineOutcome = { result: SendMessageResult } | { field: string | null };

// The same shape as the server's rule (PreChatRules.IsEmail): one address with a dot in the domain.
const EMAIL = /^[^\s@"<>]+@[^\s@"<>]+\.[^\s@"<>.]+$/;
const LIMITS: Record<FieldName, number> = { name: 100, email: 254, message: 4000 };

export class OfflinePanel {
  readonly root = el("form", { class: "offline-form", "data-testid": "kefu-offline", novalidate: "" });
  private readonly inputs = new Map<FieldName, HTMLInputElement | HTMLTextAreaElement>();
  private readonly errors = new Map<FieldName, HTMLElement>();
  private readonly submit = el("button", { type: "submit", "data-testid": "kefu-offline-submit" });
  // One id per submission: a retry after a lost answer is the same message, stored once.
  private readonly clientMessageId = newClientId();

  constructor(
    form: WidgetOfflineForm,
    private readonly t: T,
    name: string | null,
    introKey: TextKey,
    private readonly send: (submission: OfflineSubmission) => Promise<OfflineOutcome>,
    private readonly done: (result: SendMessageResult, email: string) => void,
    cancel: () => void,
  ) {
    const intro = el("p", { class: "intro", "data-testid": "kefu-offline-intro" });
    intro.textContent = form.intro ?? t(introKey); // the inbox's own words: text, never markup
    this.root.append(intro);
    this.field("name", "offlineName", el("input", { type: "text", maxlength: "100", autocomplete: "name" }), name ?? "");
    this.field("email", "offlineEmail", el("input", { type: "email", maxlength: "254", autocomplete: "email", required: "" }), "");
    this.field("message", "offlineMessage", el("textarea", { rows: "4", maxlength: "4000", required: "" }), "");
    this.submit.textContent = t("offlineSend");
    const back = el("button", { type: "button", class: "secondary", "data-testid": "kefu-offline-cancel" }, t("offlineCancel"));
    back.addEventListener("click", cancel);
    this.root.append(el("div", { class: "actions" }));
    this.root.lastElementChild!.append(this.submit, back);
    this.root.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.trySubmit();
    });
  }

  focus(): void {
    const empty = [...this.inputs.values()].find((i) => !i.value);
    (empty ?? this.inputs.get("message")!).focus();
  }

  private field(name: FieldName, label: TextKey, input: HTMLInputElement | HTMLTextAreaElement, value: string): void {
    const id = `kefu-offline-${name}`;
    input.id = id;
    input.dataset["testid"] = id;
    input.value = value;
    const error = el("div", { class: "field-error", "data-testid": `${id}-error`, hidden: "" });
    this.inputs.set(name, input);
    this.errors.set(name, error);
    this.root.append(el("div", { class: "field" }));
    this.root.lastElementChild!.append(el("label", { for: id }, this.t(label)), input, error);
  }

  private async trySubmit(): Promise<void> {
    let first: FieldName | null = null;
    for (const [name, input] of this.inputs) {
      const problem = this.check(name, input.value.trim());
      this.show(name, problem);
      if (problem && !first) first = name;
    }
    if (first) {
      this.inputs.get(first)!.focus();
      return;
    }
    const value = (name: FieldName): string => this.inputs.get(name)!.value.trim();
    const submission: OfflineSubmission = { clientMessageId: this.clientMessageId, email: value("email"), message: value("message") };
    if (value("name")) submission.name = value("name");
    this.submit.disabled = true;
    this.submit.textContent = this.t("offlineSending");
    const outcome = await this.send(submission);
    this.submit.disabled = false;
    this.submit.textContent = this.t("offlineSend");
    if ("result" in outcome) {
      this.done(outcome.result, submission.email);
      return;
    }
    const field = (outcome.field ?? "") as FieldName;
    if (this.inputs.has(field)) {
      this.show(field, `offline_${field}`);
      this.inputs.get(field)!.focus();
    } else {
      this.show("message", "error_generic");
    }
  }

  private check(name: FieldName, value: string): TextKey | null {
    if (value.length > LIMITS[name]) return `offline_${name}`;
    if (name === "email" && !EMAIL.test(value)) return "offline_email";
    if (name === "message" && !value) return "offline_message";
    return null;
  }

  private show(name: FieldName, key: TextKey | null): void {
    const error = this.errors.get(name)!;
    error.hidden = !key;
    error.textContent = key ? this.t(key) : "";
    this.inputs.get(name)!.setAttribute("aria-invalid", key ? "true" : "false");
  }
}
