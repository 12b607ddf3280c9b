// What the widget keeps in the iframe's localStorage, per inbox key: the visitor token and the
// outbox of messages not yet acknowledged (resent with the same client id after a reconnect).
import type { AttachmentDto } from "../protocol/types";

export interface OutboxItem {
  clientMessageId: string;
  text: string;
  attachment: AttachmentDto | null;
  createdAt: string;
  /** "sending" until acked; "failed" after a delay without ack (still resent on reconnect);
   *  "rejected" when the server refused it (not resent unless the visitor retries). */
  status: "sending" | "failed" | "rejected";
  error?: string;
}

export class WidgetStore {
  constructor(private readonly key: string) {}

  get token(): string | null {
    return this.read(`kefu:${this.key}:token`);
  }

  set token(value: string | null) {
    this.write(`kefu:${this.key}:token`, value);
  }

  loadOutbox(): OutboxItem[] {
    try {
      const raw = this.read(`kefu:${this.key}:outbox`);
      const items = raw ? (JSON.parse(raw) as OutboxItem[]) : [];
      return Array.isArray(items) ? items.filter((i) => typeof i.clientMessageId === "string") : [];
    } catch {
      return [];
    }
  }

  saveOutbox(items: OutboxItem[]): void {
    this.write(`kefu:${this.key}:outbox`, JSON.stringify(items));
  }

  private read(name: string): string | null {
    try {
      return localStorage.getItem(name);
    } catch {
      return null; // storage blocked (privacy mode): the widget still works for this page view
    }
  }

  private write(name: string, value: string | null): void {
    try {
      if (value === null) localStorage.removeItem(name);
      else localStorage.setItem(name, value);
    } catch {
      // storage full or blocked: nothing to do, the in-memory state still holds
    }
  }
}

export function newClientId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
