// The visitor hub protocol (/hubs/visitor). Kept in step with Features/Conversations/Contracts.
import type { KefuError as SdkError, KefuMessage } from "./sdk";

export type SenderType = "visitor" | "agent" | "bot" | "system";
export type ConversationStatus = "open" | "pending" | "snoozed" | "resolved";

export interface AttachmentDto {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  url: string;
  isImage: boolean;
  /** A voice message's length in milliseconds; absent or null for other files. */
  durationMs?: number | null;
  /** A voice message's transcription: pending, done, failed or unavailable; absent or null for other files. */
  transcriptState?: "pending" | "done" | "failed" | "unavailable" | null;
  /** The words of a voice message once transcribed (render as text). */
  transcript?: string | null;
}

/** Pushed when a voice message's transcription ended (hub event VoiceTranscribed). */
export interface VoiceTranscribedEvent {
  conversationId: string;
  messageId: string;
  attachment: AttachmentDto;
}

export interface MessageDto {
  id: string;
  conversationId: string;
  seq: number;
  clientMessageId: string;
  sender: SenderType;
  senderName: string | null;
  text: string;
  attachment: AttachmentDto | null;
  createdAt: string;
  /** Buttons under a bot message; absent or null for ordinary messages. */
  actions?: MessageAction[] | null;
}

/**
 * A button under a bot message, pressed through the hub's ChooseAction(conversationId, messageId, id); or, with kind
 * "survey" under a system message, the survey whose id the widget reads and answers over REST (/api/v1/widget/surveys).
 */
export interface MessageAction {
  kind: "choice" | "feedback" | "handoff" | "survey";
  id: string;
  label: string;
}

/** A self-service search hit (GET /api/v1/widget/kb/search). */
export interface ArticleHit {
  id: string;
  question: string;
  category: string;
  snippet: string;
}

/** A published article (GET /api/v1/widget/kb/articles/{id}); html is sanitized by the server. */
export interface PublicArticle {
  id: string;
  question: string;
  html: string;
  category: string;
  language: string;
}

export interface KefuError {
  code: string;
  message: string;
  /** With `rate_limited`, `server_busy` and `service_unavailable`: whole seconds to wait before sending again. */
  retryAfterSeconds?: number;
}

export interface HubResult<T> {
  ok: boolean;
  value: T | null;
  error: KefuError | null;
}

export interface SendMessageResult {
  messageId: string;
  conversationId: string;
  seq: number;
  duplicate: boolean;
  message: MessageDto;
}

export interface MessagePage {
  messages: MessageDto[];
  hasMore: boolean;
}

export interface VisitorConversation {
  id: string;
  status: ConversationStatus;
  lastSeq: number;
  createdAt: string;
}

export interface TypingEvent {
  conversationId: string;
  sender: SenderType;
  name: string | null;
  isTyping: boolean;
}

export interface ConversationStatusEvent {
  conversationId: string;
  status: ConversationStatus;
  lastSeq: number;
}

/** The visitor's place in line (hub event QueueUpdated, method GetQueueStatus). */
export interface QueueStatusEvent {
  conversationId: string;
  state: "waiting" | "left_message" | "assigned" | "none";
  position: number;
  estimatedWaitSeconds: number;
}

/** How the widget looks, from the inbox's settings. */
export interface WidgetLook {
  /** Accent colour, #rrggbb. */
  color: string;
  position: "right" | "left";
  /** Text beside the launcher icon, or null for the icon alone. */
  launcherText: string | null;
}

export interface WidgetSession {
  token: string;
  expiresAt: string;
  contactId: string;
  inboxName: string;
  greeting: string | null;
  appearance: WidgetLook;
  /** The bot's name in every language; null: the default name of the visitor's language. */
  botName: string | null;
  /** The pre-chat form to show before the first message; null or absent: none. */
  preChat?: PreChatForm | null;
  /** The offline form and whether nobody can answer now; null or absent: the inbox has it off. */
  offline?: WidgetOfflineForm | null;
  /** The name the visitor gave before, to prefill the offline form; null when none. */
  contactName?: string | null;
  /** The inbox's avatar, a path on Kefu's origin (/media/avatars/{sha256}.{ext}); null or absent: the inbox's initial. */
  avatarUrl?: string | null;
}

/** The offline form as the session carries it (server: WidgetOfflineForm). */
export interface WidgetOfflineForm {
  /** The inbox's own intro, shown as text; null: the built-in one. */
  intro: string | null;
  /** True: show the form now instead of the chat. */
  offline: boolean;
  reason: "closed" | "no_agents" | null;
}

/** What the visitor leaves in the offline form (POST /api/v1/widget/offline). */
export interface OfflineSubmission {
  clientMessageId: string;
  name?: string;
  email: string;
  message: string;
}

export type PreChatFieldMode = "off" | "optional" | "required";

export interface PreChatField {
  mode: PreChatFieldMode;
  label: string | null;
  labelZh: string | null;
}

export interface PreChatForm {
  enabled: boolean;
  name: PreChatField;
  email: PreChatField;
  phone: PreChatField;
  department: PreChatField;
  departments: { label: string; labelZh: string | null; skills: string | null }[];
}

/** The visitor's answers (POST /api/v1/widget/prechat); department is the index in the form's list. */
export interface PreChatAnswers {
  name?: string;
  email?: string;
  phone?: string;
  department?: number;
}

/**
 * Messages between the loader (host page) and the iframe app, always posted to the other side's exact origin.
 * `kefu:track` and `kefu:attributes` carry the host page's data as plain JSON values (never code); the frame answers
 * each with a `kefu:reply` of the same id.
 */
export type FrameMessage =
  | { type: "kefu:ready" }
  | { type: "kefu:open" }
  | { type: "kefu:close" }
  | { type: "kefu:toggle" }
  | { type: "kefu:state"; open: boolean; unread: number; position: "right" | "left"; launcherWidth: number; invitation?: boolean }
  | { type: "kefu:message"; message: KefuMessage }
  | { type: "kefu:track"; id: number; name: string; props: unknown }
  | { type: "kefu:attributes"; id: number; attributes: unknown }
  | { type: "kefu:identify"; id: number; identity: unknown }
  | { type: "kefu:reply"; id: number; ok: boolean; value?: unknown; error?: SdkError };

/** A satisfaction survey as the visitor sees it (GET /api/v1/widget/surveys/{id}). */
export interface VisitorSurvey {
  id: string;
  kind: "csat" | "nps" | "ces";
  style: "stars" | "faces" | "numbers";
  min: number;
  max: number;
  questions: { en: string | null; zh: string | null }[];
  askComment: boolean;
  scores: number[];
  comment: string | null;
  answeredAt: string | null;
  changeableUntil: string | null;
  canAnswer: boolean;
}
