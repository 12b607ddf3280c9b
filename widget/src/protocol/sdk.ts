// The public SDK: window.Kefu on the host page. This file is the source of the @kefu/widget types package
// (`npm run build` writes types/sdk.d.ts from it with tsc --declaration), so what integrators compile against is
// what the loader implements. Documented in docs/sdk.md.

/** A value the host page may store with an event or as an attribute. */
export type KefuValue = string | number | boolean;

/** Languages the widget speaks; any other tag falls back to English ("zh", "zh-TW" and "zh-Hans" read as "zh-CN"). */
export type KefuLocale = "en" | "zh-CN";

/** A message an agent or the bot sent, as the `message` event hands it to the host page (the text is plain text). */
export interface KefuMessage {
  id: string;
  conversationId: string;
  seq: number;
  sender: "agent" | "bot" | "system";
  /** The agent's display name; null for the bot and the system. */
  senderName: string | null;
  text: string;
  /** ISO 8601, UTC. */
  createdAt: string;
}

/** What each event hands its handlers. */
export interface KefuEventMap {
  /** The widget has its visitor session: calls that store something now go straight through. */
  ready: undefined;
  /** The chat panel opened (by the visitor or by `Kefu.open()`). */
  open: undefined;
  /** The chat panel closed. */
  close: undefined;
  /** An agent or the bot wrote to the visitor. */
  message: KefuMessage;
  /** The count of messages the visitor has not seen changed (0 when they open the panel). */
  unread: number;
}

export type KefuEventName = keyof KefuEventMap;

export type KefuHandler<K extends KefuEventName> = (payload: KefuEventMap[K]) => void;

/** Why a call was refused: the server's problem details, or the loader's own check. */
export interface KefuError {
  /** Stable code: `invalid_event_name`, `invalid_props`, `invalid_attributes`, `rate_limited`, `widget_reloaded` … */
  code: string;
  /** English text for developers. */
  message: string;
  /** The argument at fault (`name`, `props`, `attributes`), when one is. */
  field?: string;
  /** With `rate_limited`: whole seconds to wait. */
  retryAfterSeconds?: number;
}

/** A signed-in customer of the host page, for `Kefu.identify` (docs/sdk.md). */
export interface KefuIdentity {
  /** Your own customer id, 1–200 characters. */
  id: string;
  name?: string;
  email?: string;
  /**
   * Computed by your server: the hex HMAC-SHA256 of `id` keyed with the inbox's identity secret, or an HS256 JWT signed
   * with it whose `sub` is `id`. Required when the inbox enforces verification; never compute it in the browser.
   */
  hash?: string;
  /** The customer's company. */
  company?: string;
  /** Their preferred language as a BCP 47 tag (`zh-CN`); without it, the widget's language fills a contact that has none. */
  language?: string;
  /** Where they are, free text (`Shanghai, China`). */
  location?: string;
  /**
   * Values of the workspace's custom contact attributes by key (`{ plan: "gold", seats: 12 }`). Stored only when the
   * identity is verified (`hash`); a value of the wrong type rejects the call with `invalid_attribute_value`.
   */
  attributes?: Record<string, string | number | boolean | null>;
}

/** What `Kefu.identify` resolves with. */
export interface KefuIdentified {
  /** True when the signature was checked: the customer's own history, on any device. */
  verified: boolean;
}

/** The commands of the callable form, `Kefu("open")`, which is also the form a queue stub records. */
export type KefuCommand = "open" | "close" | "toggle" | "setLocale" | "setAttributes" | "track" | "identify" | "on" | "off";

/**
 * `window.Kefu` once widget.js has run. Callable (`Kefu("track", "signup")`, the form a page uses before the script
 * has loaded) and with methods (`Kefu.track("signup")`).
 */
export interface KefuApi {
  (command: KefuCommand, ...args: unknown[]): unknown;
  /** Opens the chat panel. */
  open(): void;
  /** Closes the chat panel. */
  close(): void;
  /** Opens the panel when closed, closes it when open. */
  toggle(): void;
  /**
   * Switches the widget's language. The chat frame reloads in the new language (the conversation and an open panel
   * stay); calls made meanwhile wait for it.
   */
  setLocale(locale: KefuLocale | string): void;
  /**
   * Merges attributes into the visitor's (plan, cart value …); null removes one. At most 50 keys and 4 KB in all;
   * keys are a letter then letters, digits or `_` (40 at most); strings 255 characters at most.
   * Resolves with every attribute the visitor now has; rejects with a {@link KefuError}.
   */
  setAttributes(attributes: Record<string, KefuValue | null>): Promise<Record<string, KefuValue>>;
  /**
   * Records something the visitor did, for proactive rules and agents. The name is a letter then letters, digits,
   * `_ . -` (64 at most); props at most 20 keys and 2 KB. Rejects with a {@link KefuError}; nothing is stored then.
   */
  track(event: string, props?: Record<string, KefuValue>): Promise<void>;
  /**
   * Tells the widget who the signed-in customer is. With a valid `hash` the widget continues as that customer's contact
   * (their history, on any device; the frame reloads when the contact changes). Without one, on an inbox that does not
   * enforce verification, the id is kept as an unverified label on this visitor only. Rejects with a {@link KefuError}
   * (`identity_hash_invalid`, `identity_verification_required`, `invalid_identity`); nothing changes then.
   */
  identify(identity: KefuIdentity): Promise<KefuIdentified>;
  /** Calls the handler on each event; a handler that throws is reported in the console and never stops the widget. `ready` after the fact calls it at once. */
  on<K extends KefuEventName>(event: K, handler: KefuHandler<K>): void;
  /** Removes a handler, or every handler of the event when none is given. */
  off<K extends KefuEventName>(event: K, handler?: KefuHandler<K>): void;
  /** The loader's version. */
  readonly version: string;
}

/** What a page defines before widget.js loads (docs/sdk.md): a function that records its calls in `q`. */
export interface KefuStub {
  (...args: unknown[]): void;
  q?: ArrayLike<unknown>[];
}

declare global {
  interface Window {
    Kefu?: KefuApi;
  }
}
