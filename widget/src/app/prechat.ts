// The pre-chat form: asked once, before the visitor's first message, when the inbox turns it on.
// Checked here for a quick answer and again on the server, whose refusal names the field and is shown beside it.
import type { PreChatAnswers, PreChatField, PreChatForm } from "../protocol/types";
import type { texts, TextKey } from "./i18n";
import { el } from "./view";

type T = ReturnType<typeof texts>;
type FieldName = "name" | "email" | "phone" | "department";

// The same shapes as the server's rules (PreChatRules): a dot in the domain, 5–20 digits.
const EMAIL = /^[^\s@"<>]+@[^\s@"<>]+\.[^\s@"<>.]+$/;
const PHONE = /^\+?(?:[\s\-.()]*\d){5,20}[\s\-.()]*$/;

export class PreChatPanel {
  readonly root = el("form", { class: "prechat", "data-testid": "kefu-prechat", novalidate: "" });
  private readonly inputs = new Map<FieldName, HTMLInputElement | HTMLSelectElement>();
  private readonly errors = new Map<FieldName, HTMLElement>();
  private readonly submit = el("button", { type: "submit", "data-testid": "kefu-prechat-submit" });

  constructor(
    private readonly form: PreChatForm,
    private readonly t: T,
    private readonly chinese: boolean,
    private readonly send: (answers: PreChatAnswers) => Promise<{ field: string | null } | null>,
    private readonly done: () => void,
  ) {
    this.root.append(el("p", { class: "intro" }, t("preChatIntro")));
    this.field("name", form.name, "preChatName", () => el("input", { type: "text", maxlength: "100", autocomplete: "name" }));
    this.field("email", form.email, "preChatEmail", () => el("input", { type: "email", maxlength: "254", autocomplete: "email" }));
    this.field("phone", form.phone, "preChatPhone", () => el("input", { type: "tel", maxlength: "32", autocomplete: "tel" }));
    this.field("department", form.department, "preChatDepartment", () => {
      const select = el("select");
      select.append(el("option", { value: "" }, t("preChatChoose")));
      form.departments.forEach((d, i) => select.append(el("option", { value: String(i) }, (this.chinese ? d.labelZh : null) ?? d.label)));
      return select;
    });
    this.submit.textContent = t("preChatStart");
    this.root.append(this.submit);
    this.root.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.trySubmit();
    });
  }

  private field(name: FieldName, field: PreChatField, fallback: TextKey, make: () => HTMLInputElement | HTMLSelectElement): void {
    if (field.mode === "off") return;
    const id = `kefu-prechat-${name}`;
    const label = el("label", { for: id });
    // Labels are the admin's text: text only. Chinese falls back to the English label, then to ours.
    label.textContent = (this.chinese ? field.labelZh ?? field.label : field.label ?? field.labelZh) ?? this.t(fallback);
    if (field.mode === "optional") label.append(" ", el("span", { class: "optional" }, this.t("preChatOptional")));
    const input = make();
    input.id = id;
    input.dataset["testid"] = id;
    if (field.mode === "required") input.required = true;
    const error = el("div", { class: "field-error", "data-testid": `${id}-error`, hidden: "" });
    this.inputs.set(name, input);
    this.errors.set(name, error);
    this.root.append(el("div", { class: "field" }));
    this.root.lastElementChild!.append(label, input, error);
  }

  private async trySubmit(): Promise<void> {
    const answers: PreChatAnswers = {};
    let first: FieldName | null = null;
    for (const [name, input] of this.inputs) {
      const value = input.value.trim();
      const problem = this.check(name, value);
      this.show(name, problem);
      if (problem && !first) first = name;
      if (!value) continue;
      if (name === "department") answers.department = Number(value);
      else answers[name] = value;
    }
    if (first) {
      this.inputs.get(first)!.focus();
      return;
    }
    this.submit.disabled = true;
    const refused = await this.send(answers);
    this.submit.disabled = false;
    if (!refused) {
      this.done();
      return;
    }
    const field = (refused.field ?? "") as FieldName;
    if (this.inputs.has(field)) {
      this.show(field, `prechat_${field}`);
      this.inputs.get(field)!.focus();
    } else {
      this.show([...this.inputs.keys()][0]!, "error_generic");
    }
  }

  private check(name: FieldName, value: string): TextKey | null {
    const required = this.form[name].mode === "required";
    if (!value) return required ? (name === "department" ? "prechat_department" : "prechat_required") : null;
    if (name === "email" && (value.length > 254 || !EMAIL.test(value))) return "prechat_email";
    if (name === "phone" && !PHONE.test(value)) return "prechat_phone";
    if (name === "name" && value.length > 100) return "prechat_name";
    return null;
  }

  private show(name: FieldName, key: TextKey | string | null): void {
    const error = this.errors.get(name)!;
    error.hidden = !key;
    error.textContent = key ? this.t(key as TextKey) : "";
    this.inputs.get(name)!.setAttribute("aria-invalid", key ? "true" : "false");
  }
}
