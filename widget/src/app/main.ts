// The widget app inside the iframe: wires the chat state to the view and to the host page.
import type { FrameMessage, OfflineSubmission, WidgetSession } from "../protocol/types";
import type { MessageAction, MessageDto } from "../protocol/types";
import { setupCalls } from "./calls";
import { Chat } from "./chat";
import { answer } from "./host";
import { HelpPanel } from "./help";
import { Invitations } from "./invite";
import { OfflinePanel, type OfflineOutcome } from "./offline";
import { PreChatPanel } from "./prechat";
import { SurveyCards } from "./survey";
import { errorText, pickLanguage, texts, type TextKey } from "./i18n";
import { WidgetView, el } from "./view";
import { VoiceRecorder, voiceSupported } from "./voice";

const MAX_UPLOAD = 10 * 1024 * 1024;
const root = document.getElementById("kefu-root")!;
const params = new URLSearchParams(location.search);
const key = root.dataset["key"] ?? params.get("key") ?? "";
const parentOrigin = params.get("parent");
const language = pickLanguage(params.get("lang"));
document.documentElement.lang = language;
const t = texts(language);
const view = new WidgetView(t);
view.surveys = new SurveyCards(t, language === "zh-CN", () => chat.token);

let open = false;
let invitationShowing = false;
let unread = 0;
let typingSentAt = 0;
let typingStop: number | undefined;
let agentTypingClear: number | undefined;

let lookApplied = false;
let preChat: PreChatPanel | null = null;
let offline: OfflinePanel | null = null;
const offlineDone = el("div", { class: "offline-done", "data-testid": "kefu-offline-done", role: "status", hidden: "" });
const render = (): void => {
  if (chat.session && !lookApplied) {
    lookApplied = true;
    view.applyLook(chat.session.appearance);
    tellHost(); // the corner and the launcher's width are known now
    toHost({ type: "kefu:ready" }); // the session exists: the page's queued calls can be stored now
    invitations.start();
    const form = chat.session.preChat;
    // Nobody can answer now (closed, or no agent available, as the server computed it): the offline form comes first.
    if (chat.session.offline?.offline) showOffline(chat.session.offline.reason === "closed" ? "offlineIntroClosed" : "offlineIntroBusy");
    else if (form?.enabled && chat.conversations.length === 0 && chat.outbox.length === 0) showPreChat(form);
  }
  view.render(chat, (id) => chat.retry(id), (m, a) => void press(m, a));
  // "Leave a message instead" asks where to answer when the inbox has the offline form; otherwise it only leaves the line.
  view.renderQueue(chat.queue, () => (chat.session?.offline ? showOffline("offlineIntroLeave") : void chat.leaveMessage()));
  // After the offline form the confirmation says where the answer goes; the line's own "we will answer here" would contradict it.
  if (!offlineDone.hidden && chat.queue?.state === "left_message") view.queue.hidden = true;
};
const chat = new Chat(key, {
  changed: () => render(),
  connection: (state) => view.setConnection(state),
  typing: (e) => {
    if (e.sender === "visitor") return;
    view.typing.hidden = !e.isTyping;
    view.typing.textContent = t("typing", e.name ?? t("agentDefault"));
    clearTimeout(agentTypingClear);
    if (e.isTyping) agentTypingClear = window.setTimeout(() => (view.typing.hidden = true), 8000);
  },
  incoming: (message) => {
    view.typing.hidden = true;
    if (!open) {
      unread++;
      view.setUnread(unread);
      tellHost();
    }
    if (message.sender !== "visitor") {
      toHost({ type: "kefu:message", message: {
        id: message.id, conversationId: message.conversationId, seq: message.seq, sender: message.sender, senderName: message.senderName,
        text: message.text, createdAt: message.createdAt,
      } });
    }
  },
});

setupCalls(chat, view, t);
// The host page's address comes from the loader (the frame cannot read its parent's); without it no check-in is sent.
const invitations = new Invitations(t, language === "zh-CN", params.get("page"), () => chat.token, (showing) => {
  invitationShowing = showing;
  tellHost();
}, (text) => {
  // Accepted: the chat opens with the invitation as its first line, where the greeting stands.
  if (chat.session) chat.session.greeting = text;
  render();
  setOpen(true);
}, () => open);
document.getElementById("kefu-root")!.insertBefore(invitations.card, view.launcher);
const callsConnection = chat.onConnection;
chat.onConnection = (connection) => {
  callsConnection?.(connection);
  invitations.listen(connection);
};
const help = new HelpPanel(t, () => chat.token, language, () => showChat());
view.panel.insertBefore(help.root, view.list);
view.panel.insertBefore(offlineDone, view.form);

/** The offline form takes the composer's place; the conversation's history stays visible above it. */
function showOffline(intro: TextKey): void {
  const form = chat.session?.offline;
  if (!form || offline) return;
  preChat?.root.remove();
  preChat = null;
  offlineDone.hidden = true;
  offline = new OfflinePanel(form, t, chat.session?.contactName ?? null, intro, sendOffline, (result, email) => {
    closeOffline();
    offlineDone.textContent = t("offlineDone", email); // text: the address is the visitor's own input
    offlineDone.hidden = false;
    chat.accept(result); // renders, with the confirmation already in place
  }, () => closeOffline());
  view.panel.insertBefore(offline.root, view.form);
  view.list.hidden = false;
  help.root.hidden = true;
  view.form.hidden = true;
  view.emojiPanel.hidden = true;
  view.helpToggle.hidden = true;
  if (open) offline.focus();
}

function closeOffline(): void {
  offline?.root.remove();
  offline = null;
  showChat();
}

async function sendOffline(submission: OfflineSubmission): Promise<OfflineOutcome> {
  try {
    // One key per submission and content (the form keeps its client id across retries): a retried POST answers what the
    // first did; a form corrected after a refusal is a new body, so it gets a new key rather than a 422.
    const body = JSON.stringify(submission);
    const response = await fetch("/api/v1/widget/offline", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: `Bearer ${chat.token ?? ""}`,
        "Idempotency-Key": `offline-${submission.clientMessageId}-${fnv1a(body)}`,
      },
      body,
    });
    if (response.ok) return { result: await response.json() };
    const problem = (await response.json().catch(() => null)) as { field?: string } | null;
    return { field: problem?.field ?? null };
  } catch {
    return { field: null };
  }
}

/** FNV-1a (32 bits, hex) of a string's UTF-16 units: tells two bodies apart in a key, not a security measure. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** The pre-chat form takes the place of the messages and the composer until it is answered. */
function showPreChat(form: NonNullable<WidgetSession["preChat"]>): void {
  preChat = new PreChatPanel(form, t, language === "zh-CN", answerPreChat, () => {
    preChat?.root.remove();
    preChat = null;
    showChat();
  });
  view.panel.insertBefore(preChat.root, view.list);
  view.list.hidden = true;
  view.form.hidden = true;
  view.helpToggle.hidden = true;
}

async function answerPreChat(answers: object): Promise<{ field: string | null } | null> {
  try {
    const response = await fetch("/api/v1/widget/prechat", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${chat.token ?? ""}` },
      body: JSON.stringify(answers),
    });
    if (response.ok) return null;
    const problem = (await response.json().catch(() => null)) as { field?: string } | null;
    return { field: problem?.field ?? null };
  } catch {
    return { field: null };
  }
}

function showChat(): void {
  view.helpToggle.hidden = false;
  help.root.hidden = true;
  view.list.hidden = false;
  view.form.hidden = false;
  view.input.focus();
}

function showHelp(): void {
  view.list.hidden = true;
  view.form.hidden = true;
  view.emojiPanel.hidden = true;
  help.open();
}

async function press(message: MessageDto, action: MessageAction): Promise<void> {
  const error = await chat.choose(message, action.id);
  if (error) showNotice(errorText(t, error));
}

function tellHost(): void {
  const position = chat.session?.appearance.position === "left" ? "left" : "right";
  toHost({ type: "kefu:state", open, unread, position, launcherWidth: Math.ceil(view.launcher.getBoundingClientRect().width) + 16, invitation: invitationShowing && !open });
}

function toHost(message: FrameMessage): void {
  // Exact target origin: the host page's origin as the loader gave it. Never "*".
  if (parentOrigin && window.parent !== window) window.parent.postMessage(message, parentOrigin);
}

function setOpen(value: boolean): void {
  open = value;
  view.panel.hidden = !open;
  view.launcher.hidden = open;
  if (open) {
    invitations.hide();
    unread = 0;
    view.setUnread(0);
    if (offline) offline.focus();
    else view.input.focus();
    view.list.scrollTop = view.list.scrollHeight;
  }
  tellHost();
}

function submit(): void {
  const text = view.input.value.trim();
  if (!text) return;
  if (text.length > 4000) {
    showNotice(errorText(t, "text_too_long"));
    return;
  }
  view.input.value = "";
  clearTimeout(typingStop);
  typingSentAt = 0;
  void chat.typing(false);
  chat.send(text);
}

function showNotice(text: string): void {
  view.notice.textContent = text;
  view.notice.hidden = false;
  setTimeout(() => (view.notice.hidden = true), 5000);
}

async function upload(file: File, durationMs?: number): Promise<void> {
  if (file.size > MAX_UPLOAD) {
    showNotice(errorText(t, "attachment_too_large"));
    return;
  }
  showNotice(durationMs === undefined ? t("uploading", file.name) : t("voiceSending"));
  const body = new FormData();
  body.append("file", file);
  // A voice message says how long it is; the server checks the bytes are audio and the length is within its limit.
  if (durationMs !== undefined) body.append("durationMs", String(Math.round(durationMs)));
  try {
    const response = await fetch("/api/v1/attachments", { method: "POST", headers: { Authorization: `Bearer ${chat.token ?? ""}` }, body });
    if (!response.ok) {
      const problem = (await response.json().catch(() => null)) as { code?: string } | null;
      showNotice(errorText(t, problem?.code));
      return;
    }
    view.notice.hidden = true;
    chat.send("", await response.json());
  } catch {
    showNotice(errorText(t, undefined));
  }
}

view.launcher.addEventListener("click", () => setOpen(true));
view.close.addEventListener("click", () => setOpen(false));
view.helpToggle.addEventListener("click", () => (help.root.hidden ? showHelp() : showChat()));
view.form.addEventListener("submit", (e) => {
  e.preventDefault();
  submit();
});
view.input.addEventListener("keydown", (e) => {
  // Enter sends; Shift+Enter is a new line; Enter that confirms an IME candidate (pinyin) is not a send.
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
    e.preventDefault();
    submit();
  }
});
view.input.addEventListener("input", () => {
  const now = Date.now();
  if (now - typingSentAt > 2000) {
    typingSentAt = now;
    void chat.typing(true);
  }
  clearTimeout(typingStop);
  typingStop = window.setTimeout(() => {
    typingSentAt = 0;
    void chat.typing(false);
  }, 3000);
});
view.emoji.addEventListener("click", () => (view.emojiPanel.hidden = !view.emojiPanel.hidden));
view.emojiPanel.addEventListener("click", (e) => {
  const value = (e.target as HTMLElement).dataset["emoji"];
  if (!value) return;
  const at = view.input.selectionStart ?? view.input.value.length;
  view.input.value = view.input.value.slice(0, at) + value + view.input.value.slice(view.input.selectionEnd ?? at);
  view.input.focus();
  view.emojiPanel.hidden = true;
});
// Hold-to-record voice messages, where the browser can record Opus (ADR 0039).
if (voiceSupported()) {
  const recorder = new VoiceRecorder(t, (file, durationMs) => void upload(file, durationMs), showNotice);
  view.form.insertBefore(recorder.button, view.input);
  view.panel.insertBefore(recorder.bar, view.form);
}
view.file.addEventListener("change", () => {
  const file = view.file.files?.[0];
  view.file.value = "";
  if (file) void upload(file);
});
window.addEventListener("message", (event: MessageEvent) => {
  if (!parentOrigin || event.origin !== parentOrigin || event.source !== window.parent) return;
  const message = event.data as FrameMessage | undefined;
  if (message?.type === "kefu:open") setOpen(true);
  else if (message?.type === "kefu:close") setOpen(false);
  else if (message?.type === "kefu:toggle") setOpen(!open);
  else if (message?.type === "kefu:track" || message?.type === "kefu:attributes") void answer(message, chat.token).then(toHost);
  else if (message?.type === "kefu:identify") void answer(message, chat.token, (token, contactId) => chat.adopt(token, contactId)).then(toHost);
});

window.addEventListener("offline", () => chat.networkChanged(false));
window.addEventListener("online", () => chat.networkChanged(true));

/**
 * Preview mode (the inbox settings page): the open panel and the launcher drawn from the query's settings with
 * sample messages, by the same view and CSS as the live widget. No session, no connection, nothing stored.
 */
function startPreview(): void {
  const position = params.get("position") === "left" ? "left" : "right";
  const session: WidgetSession = {
    token: "", expiresAt: "", contactId: "", inboxName: params.get("name") ?? "", greeting: params.get("greeting") || null,
    appearance: { color: params.get("color") ?? "", position, launcherText: params.get("launcher") || null },
    botName: params.get("bot") || null,
    avatarUrl: params.get("avatar") || null,
  };
  const now = new Date().toISOString();
  const sample = (seq: number, sender: "visitor" | "bot", text: string): MessageDto => ({
    id: `preview-${seq}`, conversationId: "preview", seq, clientMessageId: `preview-${seq}`, sender, senderName: null, text, attachment: null, createdAt: now,
  });
  view.applyLook(session.appearance);
  document.getElementById("kefu-root")!.dataset["preview"] = "true";
  view.panel.hidden = false;
  view.setConnection("connected");
  view.input.disabled = true;
  view.send.disabled = true;
  view.render({
    session, outbox: [],
    conversations: [{ id: "preview", status: "open", lastSeq: 2, createdAt: now }],
    messages: new Map([["preview", [sample(1, "visitor", t("previewVisitor")), sample(2, "bot", t("previewReply"))]]]),
  }, () => undefined);
}

if (params.get("preview") === "1") {
  startPreview();
} else {
  render();
  view.setConnection("connecting");
  // Reloaded by the page's Kefu.setLocale with the panel open: it stays open.
  if (params.get("open") === "1") setOpen(true);
  tellHost();
  void chat.start();
}
