// widget.js: the only thing a website includes. It creates the chat iframe (served from Kefu's origin) and
// window.Kefu (the SDK, src/protocol/sdk.ts), and talks to the iframe by postMessage with exact origins both ways.
// The host page's arguments are data: copied as JSON values, never evaluated; its handlers run in try/catch.
import type { FrameMessage } from "../protocol/types";
import type { KefuApi, KefuError, KefuEventMap, KefuEventName, KefuIdentified, KefuMessage, KefuStub } from "../protocol/sdk";

const VERSION = "1.0.0";

/** Frames in flight that answer later: the promise the host page holds. */
interface Pending {
  resolve(value: unknown): void;
  reject(error: KefuError): void;
}

type AnyHandler = (payload: unknown) => void;
/** A message for the frame, posted once the frame has its session (requests keep their id). */
type Outgoing = FrameMessage & { type: "kefu:open" | "kefu:close" | "kefu:toggle" | "kefu:track" | "kefu:attributes" | "kefu:identify" };

(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  const existing = window.Kefu as (KefuApi & { __kefu?: string }) | KefuStub | undefined;
  // Included twice: the first copy is the widget; a second frame would be a second visitor session.
  if (!script || (existing && "__kefu" in existing)) return;
  const key = script.dataset["kefuKey"];
  if (!key) {
    console.warn("Kefu: the script tag needs data-kefu-key");
    return;
  }
  // Calls the page made before this script ran: the stub's queue (docs/sdk.md), replayed in order below.
  const queued = Array.from((existing as KefuStub | undefined)?.q ?? []);

  const kefuOrigin = new URL(script.src, location.href).origin;
  const iframe = document.createElement("iframe");
  let language = navigator.language || "en";
  let open = false;
  let unread = 0;
  let ready = false;
  let everReady = false;
  let nextId = 1;
  const outbox: Outgoing[] = [];
  const inFlight = new Map<number, Pending>();
  const handlers = new Map<KefuEventName, AnyHandler[]>();

  const frameUrl = (): string => {
    // The page's address (without its #fragment) for invitation rules and the agents' live visitor list.
    const query = new URLSearchParams({ key, parent: location.origin, lang: language, page: (location.origin + location.pathname + location.search).slice(0, 2000) });
    if (open) query.set("open", "1"); // a reload (setLocale) keeps an open panel open
    return `${kefuOrigin}/widget/frame?${query.toString()}`;
  };
  iframe.src = frameUrl();
  iframe.title = "Chat";
  iframe.setAttribute("data-testid", "kefu-frame");
  iframe.setAttribute("allowtransparency", "true");
  // Calls (issue 19): a cross-origin frame gets the microphone, camera and screen only when its page delegates them.
  iframe.setAttribute("allow", "microphone; camera; display-capture; autoplay");
  const common = "position:fixed;bottom:16px;border:0;z-index:2147483000;background:transparent;color-scheme:normal;";
  // The corner and the launcher's width come from the inbox's settings, which the frame knows once its session is open.
  let side: "right" | "left" = "right";
  let launcherWidth = 76;
  let invitation = false;
  const resize = (): void => {
    // An invitation card needs room above the launcher while the panel is closed; never more than this fixed box.
    const size = open ? "width:min(400px,calc(100vw - 32px));height:min(640px,calc(100vh - 32px));"
      : invitation ? "width:min(320px,calc(100vw - 32px));height:240px;" : `width:${launcherWidth}px;height:76px;`;
    iframe.setAttribute("style", `${common}${side}:16px;${size}`);
  };
  resize();

  const post = (message: FrameMessage): void => iframe.contentWindow?.postMessage(message, kefuOrigin);
  const send = (message: Outgoing): void => {
    if (ready) post(message);
    else outbox.push(message); // before the frame's session, or while it reloads: kept, in order
  };

  const emit = <K extends KefuEventName>(event: K, payload: KefuEventMap[K]): void => {
    for (const handler of [...(handlers.get(event) ?? [])]) {
      try {
        handler(payload);
      } catch (error) {
        // The page's bug stays the page's: reported where its developer looks, and the widget carries on.
        console.error(`Kefu: an on("${event}") handler threw`, error);
      }
    }
  };

  const refuse = (code: string, message: string, field?: string): KefuError => (field ? { code, message, field } : { code, message });

  /** The page's value as plain JSON data: functions and symbols dropped, a cycle refused. Nothing of it is ever run. */
  const data = (value: unknown, field: string): { ok: true; value: unknown } | { ok: false; error: KefuError } => {
    if (value === undefined) return { ok: true, value: null };
    try {
      return { ok: true, value: JSON.parse(JSON.stringify(value)) as unknown };
    } catch {
      return { ok: false, error: refuse(`invalid_${field}`, `'${field}' must be plain JSON data.`, field) };
    }
  };

  const request = (make: (id: number) => Outgoing): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      inFlight.set(id, { resolve, reject });
      send(make(id));
    });

  const track = (name: unknown, props?: unknown): Promise<void> => {
    const copy = data(props, "props");
    if (!copy.ok) return Promise.reject(copy.error);
    // The name goes as it is: the server decides what a valid name is, and says so.
    return request((id) => ({ type: "kefu:track", id, name: typeof name === "string" ? name : String(name), props: copy.value })).then(() => undefined);
  };

  const setAttributes = (attributes: unknown): Promise<Record<string, string | number | boolean>> => {
    const copy = data(attributes, "attributes");
    if (!copy.ok) return Promise.reject(copy.error);
    return request((id) => ({ type: "kefu:attributes", id, attributes: copy.value })) as Promise<Record<string, string | number | boolean>>;
  };

  const reload = (why: string): void => {
    ready = false;
    for (const [id, pending] of inFlight) {
      pending.reject(refuse("widget_reloaded", why));
      inFlight.delete(id);
    }
    iframe.src = frameUrl();
  };

  const setLocale = (locale: unknown): void => {
    const next = typeof locale === "string" && /^zh\b/i.test(locale) ? "zh-CN" : "en";
    if (next === language) return;
    language = next;
    // Every text of the frame is drawn in its language; a reload draws them all again. The session and the
    // conversation live in the frame's storage, so the visitor continues where they were.
    reload("The widget reloaded in another language before answering; call again.");
  };

  const identify = (identity: unknown): Promise<KefuIdentified> => {
    const copy = data(identity, "identity");
    if (!copy.ok) return Promise.reject(copy.error);
    // Only the known fields travel, as strings; the server checks them (and the signature) and says what is wrong.
    const given = (copy.value ?? {}) as Record<string, unknown>;
    const field = (name: string): string | undefined => (given[name] === undefined || given[name] === null ? undefined : String(given[name]));
    // Custom attributes keep their JSON types (a number stays a number); the server checks each against its definition.
    const attributes = typeof given["attributes"] === "object" && given["attributes"] !== null ? given["attributes"] : undefined;
    const body = {
      id: field("id"), name: field("name"), email: field("email"), hash: field("hash"), company: field("company"), language: field("language"),
      location: field("location"), attributes, widgetLanguage: language,
    };
    return request((id) => ({ type: "kefu:identify", id, identity: body })).then((value) => {
      const answer = value as { verified: boolean; reload: boolean };
      // Another contact now: the frame reloads to open that contact's session and show its history.
      if (answer.reload) reload("The widget reloaded for the identified customer before answering; call again.");
      return { verified: answer.verified === true };
    });
  };

  const on = (event: unknown, handler: unknown): void => {
    if (!isEvent(event) || typeof handler !== "function") {
      console.warn("Kefu.on: an event name (ready, open, close, message, unread) and a function are needed");
      return;
    }
    handlers.set(event, [...(handlers.get(event) ?? []), handler as AnyHandler]);
    // Subscribing to ready after it happened: the page learns it at once instead of never.
    if (event === "ready" && everReady) queueMicrotask(() => emitTo(handler as AnyHandler, "ready"));
  };

  const emitTo = (handler: AnyHandler, event: KefuEventName): void => {
    try {
      handler(undefined);
    } catch (error) {
      console.error(`Kefu: an on("${event}") handler threw`, error);
    }
  };

  const off = (event: unknown, handler?: unknown): void => {
    if (!isEvent(event)) return;
    handlers.set(event, handler === undefined ? [] : (handlers.get(event) ?? []).filter((h) => h !== handler));
  };

  const commands: Record<string, (...args: unknown[]) => unknown> = {
    open: () => send({ type: "kefu:open" }),
    close: () => send({ type: "kefu:close" }),
    toggle: () => send({ type: "kefu:toggle" }),
    setLocale: (locale) => setLocale(locale),
    setAttributes: (attributes) => setAttributes(attributes),
    track: (name, props) => track(name, props),
    identify: (identity) => identify(identity),
    on: (event, handler) => on(event, handler),
    off: (event, handler) => off(event, handler),
  };

  const call = (command: unknown, args: unknown[]): unknown => {
    // Own properties only: "constructor" or "__proto__" from a page is an unknown command, not a way in.
    const run = typeof command === "string" && Object.prototype.hasOwnProperty.call(commands, command) ? commands[command] : undefined;
    if (!run) {
      console.warn(`Kefu: unknown command ${String(command)}`);
      return undefined;
    }
    return run(...args);
  };

  const api = ((command: unknown, ...args: unknown[]) => call(command, args)) as unknown as KefuApi;
  Object.assign(api, {
    open: commands["open"], close: commands["close"], toggle: commands["toggle"], setLocale, setAttributes, track, identify, on, off, version: VERSION,
  });
  Object.defineProperty(api, "__kefu", { value: VERSION });
  window.Kefu = api;

  window.addEventListener("message", (event: MessageEvent) => {
    // Only our own iframe, from Kefu's origin, may drive the frame or speak for the widget.
    if (event.origin !== kefuOrigin || event.source !== iframe.contentWindow) return;
    const message = event.data as FrameMessage | undefined;
    switch (message?.type) {
      case "kefu:state": {
        side = message.position === "left" ? "left" : "right";
        // Bounded: a frame can never cover more of the host page than a launcher needs.
        launcherWidth = Math.min(Math.max(Math.round(Number(message.launcherWidth) || 76), 76), 320);
        const wasOpen = open;
        open = message.open === true;
        invitation = message.invitation === true;
        resize();
        if (open !== wasOpen) emit(open ? "open" : "close", undefined);
        const count = Math.max(0, Math.floor(Number(message.unread) || 0));
        if (count !== unread) {
          unread = count;
          emit("unread", count);
        }
        break;
      }
      case "kefu:ready":
        ready = true;
        for (const queuedMessage of outbox.splice(0)) post(queuedMessage);
        if (!everReady) {
          everReady = true;
          emit("ready", undefined);
        }
        break;
      case "kefu:message":
        emit("message", copyMessage(message.message));
        break;
      case "kefu:reply": {
        const pending = inFlight.get(message.id);
        if (!pending) break;
        inFlight.delete(message.id);
        if (message.ok) pending.resolve(message.value ?? undefined);
        else pending.reject(message.error ?? refuse("generic", "The widget could not do this."));
        break;
      }
    }
  });

  // The page's earlier calls, in the order it made them; their promises' refusals go to the console, as no one holds them.
  for (const args of queued) {
    const [command, ...rest] = Array.from(args);
    const result = call(command, rest);
    if (result instanceof Promise) result.catch((error: KefuError) => console.warn(`Kefu: ${String(command)} was refused: ${error.code}`));
  }

  const mount = (): void => {
    document.body.appendChild(iframe);
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();

function isEvent(value: unknown): value is KefuEventName {
  return value === "ready" || value === "open" || value === "close" || value === "message" || value === "unread";
}

/** A fresh object of known fields: the page gets data, not whatever else the frame's object carried. */
function copyMessage(m: KefuMessage): KefuMessage {
  return {
    id: String(m.id), conversationId: String(m.conversationId), seq: Number(m.seq),
    sender: m.sender === "bot" || m.sender === "system" ? m.sender : "agent",
    senderName: typeof m.senderName === "string" ? m.senderName : null, text: String(m.text), createdAt: String(m.createdAt),
  };
}
