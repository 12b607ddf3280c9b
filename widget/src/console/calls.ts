// The console's calls (an ES module the conversation view imports): its own connection to /hubs/agent on the agent's
// sign-in cookie, the call panel inside the Blazor-rendered host element, and the start buttons Blazor rendered.
import * as signalR from "@microsoft/signalr";
import { CallPanel, type CallTexts } from "../calls/panel";
import type { CallDto, CallHub, CallMedia, CallSignalEvent, HubResult } from "../calls/session";

let connection: signalR.HubConnection | null = null;
let panel: CallPanel | null = null;
let current = "";

const hub: CallHub = {
  invoke: async <T>(method: string, ...args: unknown[]) => {
    if (!connection) return { ok: false, error: { code: "generic" } } as HubResult<T>;
    return connection.invoke<HubResult<T>>(method, ...args);
  },
};

/** Shows the panel for <conversationId> inside <host>; the texts are the console's, as JSON. */
export async function mount(host: HTMLElement, conversationId: string, textsJson: string): Promise<void> {
  current = conversationId;
  const texts = JSON.parse(textsJson) as CallTexts;
  if (!connection) {
    connection = new signalR.HubConnectionBuilder().withUrl("/hubs/agent").withAutomaticReconnect().configureLogging(signalR.LogLevel.None).build();
    connection.on("CallUpdated", (call: CallDto) => {
      if (call.conversationId === current) panel?.onCallUpdated(call);
    });
    connection.on("CallSignal", (signal: CallSignalEvent) => panel?.onSignal(signal));
    await connection.start();
  }
  if (panel?.session) return; // a live call keeps its panel while the view re-renders
  panel?.root.remove();
  panel = new CallPanel("agent", hub, texts, "");
  host.querySelector("[data-call-slot]")?.append(panel.root);
  for (const button of Array.from(host.querySelectorAll<HTMLButtonElement>("[data-call-media]"))) {
    button.onclick = () => void panel?.start(current, button.dataset["callMedia"] as CallMedia);
  }
  // A call may already ring here (the agent came from the shell's call alert): show it.
  const live = await hub.invoke<CallDto | null>("GetLiveCall", conversationId).catch(() => null);
  if (live?.ok && live.value && conversationId === current) panel.onCallUpdated(live.value);
  host.dataset["ready"] = "true";
}

/** The view went away: a live call ends, the connection closes. */
export async function unmount(): Promise<void> {
  if (panel?.session) await panel.session.hangUp();
  panel?.root.remove();
  panel = null;
  current = "";
  await connection?.stop();
  connection = null;
}
