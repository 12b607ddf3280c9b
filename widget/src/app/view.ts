// The widget's DOM. Built with createElement and textContent only: visitor and agent text is never HTML.
import type { AttachmentDto, MessageAction, MessageDto, QueueStatusEvent, WidgetLook } from "../protocol/types";
import type { Chat, ConnectionState } from "./chat";
import { errorText, texts } from "./i18n";
import type { OutboxItem } from "./store";
import type { SurveyCards } from "./survey";
import { renderText } from "./text";

type T = ReturnType<typeof texts>;

/** What the view draws: the live chat, or the settings page's preview. */
export type ChatState = Pick<Chat, "session" | "conversations" | "messages" | "outbox">;

const COLOR = /^#[0-9a-fA-F]{6}$/;

/** Only avatars Kefu itself serves: a session or a preview query cannot point the widget at any other address. */
const AVATAR = /^\/media\/avatars\/[0-9a-f]{64}\.(png|jpg|webp|gif)$/;

/** The first character (a whole emoji or CJK character, not half a surrogate pair), for an avatar without a picture. */
function initial(name: string): string {
  return (Array.from(name.trim())[0] ?? "?").toUpperCase();
}

const EMOJI = ["😀", "😂", "😊", "😍", "🤔", "😅", "😢", "😡", "👍", "👎", "🙏", "👏", "🎉", "❤️", "🔥", "✅", "❌", "❓", "🙂", "😉", "🍬", "🍫", "📦", "💳"];

/** m:ss for a length in milliseconds (voice messages). */
export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export class WidgetView {
  readonly launcher = el("button", { type: "button", class: "launcher", "data-testid": "kefu-launcher" });
  readonly launcherText = el("span", { class: "launcher-text", "data-testid": "kefu-launcher-text", hidden: "" });
  readonly unread = el("span", { class: "unread", "data-testid": "kefu-unread", hidden: "" });
  readonly panel = el("section", { class: "panel", "data-testid": "kefu-panel", hidden: "" });
  readonly title = el("strong", { "data-testid": "kefu-title" });
  readonly avatar = el("span", { class: "avatar", "data-testid": "kefu-avatar" });
  readonly connection = el("span", { class: "connection", "data-testid": "kefu-connection", "data-state": "connecting" });
  readonly close = el("button", { type: "button", class: "close", "data-testid": "kefu-close" }, "×");
  readonly helpToggle = el("button", { type: "button", class: "help-toggle", "data-testid": "kefu-help-toggle" }, "?");
  readonly list = el("ol", { class: "messages", "data-testid": "kefu-message-list", "aria-live": "polite" });
  readonly typing = el("div", { class: "typing", "data-testid": "kefu-typing", hidden: "" });
  readonly queue = el("div", { class: "queue", "data-testid": "kefu-queue", hidden: "" });
  readonly emojiPanel = el("div", { class: "emoji-panel", "data-testid": "kefu-emoji-panel", hidden: "" });
  readonly form = el("form", { class: "composer" });
  readonly emoji = el("button", { type: "button", class: "icon", "data-testid": "kefu-emoji" }, "😊");
  readonly file = el("input", { type: "file", "data-testid": "kefu-attach", accept: "image/png,image/jpeg,image/gif,image/webp,application/pdf,.zip,.docx,.xlsx,.pptx,.txt,.csv" });
  readonly input = el("textarea", { rows: "1", maxlength: "4000", "data-testid": "kefu-composer" });
  readonly send = el("button", { type: "submit", "data-testid": "kefu-send" });
  readonly notice = el("div", { class: "notice", "data-testid": "kefu-notice", hidden: "" });

  constructor(private readonly t: T) {
    this.launcher.setAttribute("aria-label", t("chat"));
    this.launcher.append(el("span", { class: "bubble-icon", "aria-hidden": "true" }, "💬"), this.launcherText, this.unread);
    this.close.setAttribute("aria-label", t("close"));
    this.helpToggle.setAttribute("aria-label", t("help"));
    this.helpToggle.title = t("help");
    this.emoji.setAttribute("aria-label", t("emoji"));
    this.input.placeholder = t("placeholder");
    this.send.textContent = t("send");
    const attach = el("label", { class: "icon attach", title: t("attach") }, "📎");
    attach.appendChild(this.file);
    this.form.append(this.emoji, attach, this.input, this.send);
    for (const e of EMOJI) this.emojiPanel.appendChild(el("button", { type: "button", "data-emoji": e }, e));
    const header = el("header");
    header.append(this.avatar, this.title, this.connection, this.helpToggle, this.close);
    this.panel.append(header, this.list, this.queue, this.typing, this.notice, this.emojiPanel, this.form);
    document.getElementById("kefu-root")!.append(this.panel, this.launcher);
  }

  /** The inbox's look: accent colour, corner and launcher text. A colour that is not #rrggbb is ignored. */
  applyLook(look: WidgetLook | undefined): void {
    const root = document.getElementById("kefu-root")!;
    if (look && COLOR.test(look.color)) root.style.setProperty("--kefu-accent", look.color);
    root.dataset["position"] = look?.position === "left" ? "left" : "right";
    this.launcherText.textContent = look?.launcherText ?? "";
    this.launcherText.hidden = !look?.launcherText;
    this.launcher.classList.toggle("with-text", !!look?.launcherText);
  }

  setConnection(state: ConnectionState): void {
    this.connection.dataset["state"] = state;
    this.connection.textContent = state === "connected" ? "" : this.t(state);
  }

  setUnread(count: number): void {
    this.unread.hidden = count === 0;
    this.unread.textContent = count > 9 ? "9+" : String(count);
    this.launcher.title = count > 0 ? this.t("unread", String(count)) : this.t("chat");
  }

  /** Draws surveys in place of their system message's text; unset in the settings page's preview. */
  surveys: SurveyCards | null = null;

  private botName = "";
  private avatarUrl: string | null = null;

  render(chat: ChatState, onRetry: (id: string) => void, onAction: (m: MessageDto, a: MessageAction) => void = () => undefined): void {
    const inboxName = chat.session?.inboxName ?? "";
    this.title.textContent = inboxName;
    this.botName = chat.session?.botName ?? this.t("bot");
    const url = chat.session?.avatarUrl;
    this.avatarUrl = url && AVATAR.test(url) ? url : null;
    this.fillAvatar(this.avatar, inboxName, this.t("avatarAlt", inboxName));
    const atBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40;
    const items: HTMLElement[] = [el("li", { class: "greeting", "data-testid": "kefu-greeting" }, chat.session?.greeting ?? this.t("greeting"))];
    chat.conversations.forEach((conversation, index) => {
      if (index > 0) items.push(el("li", { class: "divider" }, this.t("earlier")));
      const list = chat.messages.get(conversation.id) ?? [];
      // Only the newest message's buttons can be pressed: older choices were answered or overtaken.
      for (const m of list) items.push(this.message(m, m === list[list.length - 1] ? onAction : null));
      if (conversation.status === "resolved" && index === chat.conversations.length - 1) {
        items.push(el("li", { class: "system", "data-testid": "kefu-status", "data-status": "resolved" }, this.t("resolved")));
      }
    });
    for (const item of chat.outbox) items.push(this.pending(item, onRetry));
    this.list.replaceChildren(...items);
    if (atBottom || chat.outbox.length > 0) this.list.scrollTop = this.list.scrollHeight;
  }

  /** Place in line and wait estimate, with "leave a message instead"; hidden once a person has it. */
  renderQueue(status: QueueStatusEvent | null, onLeave: () => void): void {
    const waiting = status?.state === "waiting" && status.position > 0;
    const left = status?.state === "left_message";
    this.queue.hidden = !waiting && !left;
    this.queue.dataset["state"] = status?.state ?? "none";
    this.queue.dataset["position"] = String(waiting ? status!.position : 0);
    if (left) {
      this.queue.replaceChildren(el("span", {}, this.t("queueLeft")));
      return;
    }
    if (!waiting) {
      this.queue.replaceChildren();
      return;
    }
    const minutes = Math.max(1, Math.round(status!.estimatedWaitSeconds / 60));
    const leave = el("button", { type: "button", class: "leave", "data-testid": "kefu-leave-message" }, this.t("queueLeave"));
    leave.addEventListener("click", onLeave);
    this.queue.replaceChildren(
      el("span", { "data-testid": "kefu-queue-position" }, this.t("queuePosition", String(status!.position))),
      el("span", { class: "eta", "data-testid": "kefu-queue-wait" }, this.t("queueWait", String(minutes))),
      leave);
  }

  private message(m: MessageDto, onAction: ((m: MessageDto, a: MessageAction) => void) | null): HTMLLIElement {
    const li = el("li", {
      class: `msg msg-${m.sender}`, "data-testid": "kefu-message", "data-seq": String(m.seq),
      "data-sender": m.sender, "data-status": "sent", "data-client-id": m.clientMessageId,
    });
    const bubble = el("div", { class: "bubble" });
    const survey = m.sender === "system" && this.surveys ? m.actions?.find((a) => a.kind === "survey") : undefined;
    if (survey) {
      li.classList.add("msg-survey");
      bubble.appendChild(this.surveys!.card(survey.id));
    }
    else if (m.text) {
      const text = el("div", { class: "text", "data-testid": "kefu-message-text" });
      renderText(text, m.text, m.sender !== "visitor");
      bubble.appendChild(text);
    }
    if (m.attachment) bubble.appendChild(this.attachment(m.attachment));
    if (m.sender === "bot" && m.actions && m.actions.length > 0) bubble.appendChild(this.actions(m, m.actions, onAction));
    // The bot has one name per inbox in every language; without one, the default name of the visitor's language.
    const who = m.sender === "visitor" ? this.t("you") : m.sender === "bot" ? this.botName : m.senderName ?? this.t("agentDefault");
    const time = new Date(m.createdAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    // Bot and agents speak for the inbox: its picture (agents' own pictures are not kept), or the speaker's initial.
    if (m.sender === "bot" || m.sender === "agent") {
      const avatar = el("span", { class: "avatar", "data-testid": "kefu-message-avatar", "aria-hidden": "true" });
      this.fillAvatar(avatar, who, ""); // decorative: the name is in the line below the bubble
      li.append(avatar);
    }
    li.append(bubble, el("div", { class: "meta" }, `${who} · ${time}`));
    return li;
  }

  /** The inbox's picture, or the initial of <name> when there is none or it does not load. */
  private fillAvatar(box: HTMLElement, name: string, alt: string): void {
    const showInitial = (): void => {
      box.dataset["kind"] = "initial";
      box.replaceChildren(initial(name));
    };
    if (!this.avatarUrl) {
      showInitial();
      return;
    }
    if (box.dataset["kind"] === "image" && box.firstElementChild?.getAttribute("src") === this.avatarUrl) {
      box.firstElementChild.setAttribute("alt", alt); // the same picture: no reload, no flicker on every render
      return;
    }
    const img = el("img", { src: this.avatarUrl, alt });
    img.addEventListener("error", showInitial, { once: true });
    box.dataset["kind"] = "image";
    box.replaceChildren(img);
  }

  private actions(m: MessageDto, actions: MessageAction[], onAction: ((m: MessageDto, a: MessageAction) => void) | null): HTMLElement {
    const box = el("div", { class: "actions", "data-testid": "kefu-actions" });
    if (actions.some((a) => a.kind === "feedback")) box.appendChild(el("span", { class: "prompt", "data-testid": "kefu-feedback-prompt" }, this.t("didThisHelp")));
    for (const action of actions) {
      // Labels are article questions or fixed words: text only.
      const button = el("button", { type: "button", class: `action action-${action.kind}`, "data-testid": "kefu-action", "data-kind": action.kind, "data-action-id": action.id }, action.label);
      if (onAction) button.addEventListener("click", () => onAction(m, action));
      else button.disabled = true;
      box.appendChild(button);
    }
    return box;
  }

  private pending(item: OutboxItem, onRetry: (id: string) => void): HTMLLIElement {
    const status = item.status === "sending" ? "sending" : "failed";
    const li = el("li", { class: `msg msg-visitor ${status}`, "data-testid": "kefu-message", "data-status": status, "data-client-id": item.clientMessageId });
    const bubble = el("div", { class: "bubble" });
    if (item.text) {
      const text = el("div", { class: "text", "data-testid": "kefu-message-text" });
      renderText(text, item.text);
      bubble.appendChild(text);
    }
    if (item.attachment) bubble.appendChild(this.attachment(item.attachment));
    const meta = el("div", { class: "meta" });
    if (status === "sending" && item.error) meta.append(el("span", { class: "busy", "data-testid": "kefu-send-notice" }, errorText(this.t, item.error)));
    else if (status === "sending") meta.textContent = this.t("sending");
    else {
      meta.append(el("span", { class: "error" }, item.error ? errorText(this.t, item.error) : this.t("failed")));
      const retry = el("button", { type: "button", class: "retry", "data-testid": "kefu-retry" }, this.t("retry"));
      retry.addEventListener("click", () => onRetry(item.clientMessageId));
      meta.append(" ", retry);
    }
    li.append(bubble, meta);
    return li;
  }

  /** Voice players by attachment id: a re-render keeps the same element, so a message arriving does not stop playback. */
  private readonly players = new Map<string, HTMLAudioElement>();

  private attachment(a: AttachmentDto): HTMLElement {
    if (a.contentType.startsWith("audio/")) return this.voice(a);
    const { url, fileName: name, isImage } = a;
    const link = el("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: isImage ? "image" : "file" });
    if (isImage) link.appendChild(el("img", { src: url, alt: name, loading: "lazy" }));
    else link.textContent = `📎 ${name}`;
    return link;
  }

  /** A voice message: the player (a download link where audio cannot play), its length, and its words when transcribed. */
  private voice(a: AttachmentDto): HTMLElement {
    const box = el("div", { class: "voice-message", "data-testid": "kefu-voice-message", "data-transcript": a.transcriptState ?? "none" });
    let player = this.players.get(a.id);
    if (!player) {
      player = el("audio", { controls: "", preload: "metadata", src: a.url, "data-testid": "kefu-voice-audio" });
      player.appendChild(el("a", { href: a.url, rel: "noopener noreferrer" }, `🎤 ${a.fileName}`));
      this.players.set(a.id, player);
    }
    box.append(player);
    if (a.durationMs) box.append(el("span", { class: "voice-duration", "data-testid": "kefu-voice-duration" }, clock(a.durationMs)));
    if (a.transcriptState === "done" && a.transcript) {
      box.append(el("div", { class: "voice-transcript", "data-testid": "kefu-voice-transcript" }, a.transcript));
    } else if (a.transcriptState === "pending") {
      box.append(el("div", { class: "voice-transcript pending", "data-testid": "kefu-voice-transcript" }, this.t("voiceTranscribing")));
    }
    return box;
  }
}
