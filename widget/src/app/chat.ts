// The visitor's side of the conversation: session, hub connection, message state, outbox, resync.
import * as signalR from "@microsoft/signalr";
import type {
  ConversationStatusEvent, HubResult, MessageDto, MessagePage, QueueStatusEvent, SendMessageResult, TypingEvent,
  VisitorConversation, VoiceTranscribedEvent, WidgetSession,
} from "../protocol/types";
import { type OutboxItem, WidgetStore, newClientId } from "./store";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

export interface ChatEvents {
  changed(): void;
  connection(state: ConnectionState): void;
  typing(event: TypingEvent): void;
  incoming(message: MessageDto): void;
}

export class Chat {
  readonly conversations: VisitorConversation[] = [];
  readonly messages = new Map<string, MessageDto[]>(); // by conversation, in Seq order
  outbox: OutboxItem[];
  session: WidgetSession | null = null;
  /** Place in line of the current conversation while it waits for a person; null when not waiting. */
  queue: QueueStatusEvent | null = null;
  private connection: signalR.HubConnection | null = null;

  /** Called with each new hub connection before it starts, so other parts (calls) add their handlers. */
  onConnection: ((connection: signalR.HubConnection) => void) | null = null;

  /** Called each time the connection is up (first connect and every reconnect). */
  onConnected: (() => void) | null = null;

  /** The live hub connection, or null while reconnecting. */
  get hub(): signalR.HubConnection | null {
    return this.connection;
  }
  private readonly store: WidgetStore;

  constructor(private readonly key: string, private readonly events: ChatEvents) {
    this.store = new WidgetStore(key);
    this.outbox = this.store.loadOutbox();
  }

  get currentConversation(): VisitorConversation | undefined {
    return this.conversations[this.conversations.length - 1];
  }

  get connected(): boolean {
    return this.connection?.state === signalR.HubConnectionState.Connected;
  }

  async start(): Promise<void> {
    this.events.connection("connecting");
    for (let attempt = 0; ; attempt++) {
      try {
        await this.openSession();
        await this.connect();
        return;
      } catch {
        await delay(Math.min(1000 * 2 ** attempt, 10000));
      }
    }
  }

  /** Queues a message in the local outbox and sends it; it stays queued until acked. */
  send(text: string, attachment: OutboxItem["attachment"] = null): void {
    const item: OutboxItem = { clientMessageId: newClientId(), text, attachment, createdAt: new Date().toISOString(), status: "sending" };
    this.outbox.push(item);
    this.saveOutbox();
    this.events.changed(); // shown at once as "sending", before any ack
    void this.trySend(item);
    // Without an ack in a while the visitor sees "not sent" with retry; it is still resent on reconnect.
    setTimeout(() => {
      if (item.status === "sending" && this.outbox.includes(item)) {
        item.status = "failed";
        this.saveOutbox();
        this.events.changed();
      }
    }, 10000);
  }

  /**
   * The browser lost or regained the network. A WebSocket can stay "open" for a long time after
   * the network is gone, so on the way back the connection is restarted at once: resync and
   * outbox flush follow from the new connection.
   */
  networkChanged(online: boolean): void {
    if (!online) {
      this.events.connection("offline");
      return;
    }
    this.events.connection("reconnecting");
    void this.connection?.stop(); // onclose starts a fresh connection
  }

  retry(clientMessageId: string): void {
    const item = this.outbox.find((i) => i.clientMessageId === clientMessageId);
    if (!item) return;
    item.status = "sending";
    delete item.error;
    this.saveOutbox();
    this.events.changed();
    void this.trySend(item);
  }

  /** Presses a button under a bot message; the press comes back as the visitor's own message. */
  async choose(message: MessageDto, actionId: string): Promise<string | null> {
    if (!this.connected) return "generic";
    try {
      const result = await this.connection!.invoke<HubResult<SendMessageResult>>("ChooseAction", message.conversationId, message.id, actionId);
      if (!result.ok || !result.value) return result.error?.code ?? "generic";
      this.merge([result.value.message], false);
      return null;
    } catch {
      return "generic";
    }
  }

  async typing(isTyping: boolean): Promise<void> {
    const conversation = this.currentConversation;
    if (!conversation || !this.connected) return;
    await this.connection!.invoke("Typing", conversation.id, isTyping).catch(() => undefined);
  }

  get token(): string | null {
    return this.session?.token ?? null;
  }

  /**
   * Keeps the token Kefu.identify returned: the next session (the frame reloads) continues as its contact. True when
   * that is another contact than now, which is when the frame must reload to show that contact's history.
   */
  adopt(token: string, contactId: string): boolean {
    this.store.token = token;
    return contactId !== this.session?.contactId;
  }

  private async openSession(): Promise<void> {
    const response = await fetch("/api/v1/widget/sessions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ key: this.key, token: this.store.token }),
    });
    if (!response.ok) throw new Error(`session ${response.status}`);
    this.session = (await response.json()) as WidgetSession;
    this.store.token = this.session.token;
    this.events.changed();
  }

  private async connect(): Promise<void> {
    const connection = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/visitor", { accessTokenFactory: () => this.session?.token ?? "" })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => Math.min(500 * 2 ** c.previousRetryCount, 5000) + Math.random() * 500 })
      .configureLogging(signalR.LogLevel.None)
      .build();
    connection.on("MessageCreated", (m: MessageDto) => this.merge([m], true));
    connection.on("VoiceTranscribed", (e: VoiceTranscribedEvent) => this.onVoiceTranscribed(e));
    connection.on("Typing", (e: TypingEvent) => this.events.typing(e));
    connection.on("ConversationUpdated", (e: ConversationStatusEvent) => this.onConversationUpdated(e));
    connection.on("QueueUpdated", (e: QueueStatusEvent) => this.onQueueUpdated(e));
    this.onConnection?.(connection); // calls (main.ts) subscribe on every new connection
    connection.onreconnecting(() => this.events.connection("reconnecting"));
    connection.onreconnected(() => void this.afterConnect());
    connection.onclose(() => {
      // Automatic reconnect gave up (e.g. the server was down for long): start over, forever.
      this.events.connection("reconnecting");
      this.connection = null;
      void delay(500).then(() => this.start());
    });
    await connection.start();
    this.connection = connection;
    await this.afterConnect();
  }

  /** Resync from the last Seq seen per conversation, then resend the outbox with the same client ids. */
  private async afterConnect(): Promise<void> {
    this.events.connection("connected");
    this.onConnected?.();
    const list = await this.invoke<VisitorConversation[]>("GetConversations");
    for (const conversation of list ?? []) {
      this.upsertConversation(conversation);
      let after = this.lastSeq(conversation.id);
      while (after < conversation.lastSeq) {
        const page = await this.invoke<MessagePage>("GetMessages", conversation.id, after, 200);
        if (!page || page.messages.length === 0) break;
        this.merge(page.messages, false);
        const next = this.lastSeq(conversation.id);
        if (!page.hasMore || next <= after) break;
        after = next;
      }
    }
    const current = this.currentConversation;
    if (current && current.status !== "resolved") {
      const status = await this.invoke<QueueStatusEvent>("GetQueueStatus", current.id);
      if (status) this.queue = status;
    }
    this.events.changed();
    for (const item of [...this.outbox]) {
      if (item.status !== "rejected") void this.trySend(item);
    }
  }

  /** A message the server stored outside the hub (the offline form): shown in its conversation like an acked one. */
  accept(result: SendMessageResult): void {
    this.upsertConversation({ id: result.conversationId, status: "open", lastSeq: result.seq, createdAt: result.message.createdAt });
    this.merge([result.message], false);
  }

  /** "Leave a message instead": out of the line; the conversation stays open for an agent to answer. */
  async leaveMessage(): Promise<void> {
    const current = this.currentConversation;
    if (!current || !this.connected) return;
    const status = await this.invoke<QueueStatusEvent>("LeaveMessage", current.id);
    if (status) this.onQueueUpdated(status);
  }

  private onQueueUpdated(event: QueueStatusEvent): void {
    if (event.conversationId !== this.currentConversation?.id && this.currentConversation) return;
    this.queue = event;
    this.events.changed();
  }

  private async trySend(item: OutboxItem): Promise<void> {
    if (!this.connected) return; // resent by afterConnect
    let result: HubResult<SendMessageResult>;
    try {
      result = await this.connection!.invoke<HubResult<SendMessageResult>>("SendMessage", {
        conversationId: this.currentConversation?.id ?? null,
        clientMessageId: item.clientMessageId,
        text: item.text,
        attachmentId: item.attachment?.id ?? null,
      });
    } catch {
      return; // connection dropped before the ack: still in the outbox, resent after reconnect
    }
    if (result.ok && result.value) {
      this.outbox = this.outbox.filter((i) => i !== item);
      this.saveOutbox();
      this.upsertConversation({ id: result.value.conversationId, status: "open", lastSeq: result.value.seq, createdAt: result.value.message.createdAt });
      this.merge([result.value.message], false);
    } else if (result.error?.code === "rate_limited") {
      // Nothing was stored: still in the outbox, sent again once the server's wait is over.
      setTimeout(() => void this.trySend(item), Math.max(1, result.error.retryAfterSeconds ?? 1) * 1000);
    } else if (result.error && RETRY_LATER.has(result.error.code)) {
      // The server is overloaded or its database is restarting; nothing was stored. The visitor sees why, and the
      // message is resent with the same id after the server's wait, spread out so that every widget refused at the
      // same moment does not come back at the same moment.
      item.error = result.error.code;
      this.saveOutbox();
      this.events.changed();
      const wait = Math.max(1, result.error.retryAfterSeconds ?? 2) * 1000;
      setTimeout(() => void this.trySend(item), wait + Math.random() * wait);
    } else {
      item.status = "rejected";
      item.error = result.error?.code ?? "generic";
      this.saveOutbox();
      this.events.changed();
    }
  }

  private merge(incoming: MessageDto[], live: boolean): void {
    for (const message of incoming) {
      const list = this.messages.get(message.conversationId) ?? [];
      if (list.some((m) => m.id === message.id)) continue;
      if (!this.conversations.some((c) => c.id === message.conversationId)) {
        this.upsertConversation({ id: message.conversationId, status: "open", lastSeq: message.seq, createdAt: message.createdAt });
      }
      const gap = live && message.seq > this.lastSeq(message.conversationId) + 1;
      list.push(message);
      list.sort((a, b) => a.seq - b.seq);
      this.messages.set(message.conversationId, list);
      // Our own message echoed from another tab, or acked here: it leaves the outbox.
      this.outbox = this.outbox.filter((i) => i.clientMessageId !== message.clientMessageId || message.sender !== "visitor");
      if (live && message.sender !== "visitor") this.events.incoming(message);
      if (gap) void this.afterConnect(); // a push went missing: resync by Seq
    }
    this.saveOutbox();
    this.events.changed();
  }

  /** A voice message's words arrived (or it stays audio only): the message shows them under its player. */
  private onVoiceTranscribed(event: VoiceTranscribedEvent): void {
    const list = this.messages.get(event.conversationId);
    const at = list?.findIndex((m) => m.id === event.messageId) ?? -1;
    if (!list || at < 0) return; // not loaded here: the next history load has it
    list[at] = { ...list[at], attachment: event.attachment };
    this.events.changed();
  }

  private onConversationUpdated(event: ConversationStatusEvent): void {
    this.upsertConversation({ id: event.conversationId, status: event.status, lastSeq: event.lastSeq, createdAt: new Date().toISOString() });
    this.events.changed();
  }

  private upsertConversation(conversation: VisitorConversation): void {
    const existing = this.conversations.find((c) => c.id === conversation.id);
    if (existing) {
      existing.status = conversation.status;
      existing.lastSeq = Math.max(existing.lastSeq, conversation.lastSeq);
    } else {
      this.conversations.push({ ...conversation });
      this.conversations.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    }
  }

  /** The highest Seq up to which this conversation has no gap: where a resync continues. */
  private lastSeq(conversationId: string): number {
    let contiguous = 0;
    for (const m of this.messages.get(conversationId) ?? []) {
      if (m.seq === contiguous + 1) contiguous++;
      else if (m.seq > contiguous + 1) break;
    }
    return contiguous;
  }

  private async invoke<T>(method: string, ...args: unknown[]): Promise<T | null> {
    try {
      const result = await this.connection!.invoke<HubResult<T>>(method, ...args);
      return result.ok ? result.value : null;
    } catch {
      return null;
    }
  }

  private saveOutbox(): void {
    this.store.saveOutbox(this.outbox);
  }
}

/** Refusals that say "not now" rather than "not this message": the message stays queued and is resent. */
const RETRY_LATER = new Set(["server_busy", "service_unavailable"]);

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
