// Calls in the widget: the call panel above the messages, the visitor's call buttons in the header (when the server
// lets visitors start calls), and the hub handlers, added on every new connection.
import type * as signalR from "@microsoft/signalr";
import { CallPanel, type CallTexts } from "../calls/panel";
import type { CallDto, CallHub, CallMedia, CallSignalEvent, HubResult, IceConfig } from "../calls/session";
import type { Chat } from "./chat";
import type { TextKey, texts } from "./i18n";
import { el, type WidgetView } from "./view";

const ERROR_CODES = [
  "call_not_found", "call_ended", "call_busy", "call_invalid_state", "calls_not_allowed", "call_no_agent",
  "call_conversation_closed", "call_signal_too_large", "call_media_denied", "call_rate_limited",
] as const;

export function setupCalls(chat: Chat, view: WidgetView, t: ReturnType<typeof texts>): CallPanel {
  const hub: CallHub = {
    invoke: async <T>(method: string, ...args: unknown[]) =>
      chat.hub ? chat.hub.invoke<HubResult<T>>(method, ...args) : ({ ok: false, error: { code: "generic" } } as HubResult<T>),
  };
  const callTexts: CallTexts = {
    incoming: t("callIncoming", "{0}"), calling: t("callCalling", "{0}"), connecting: t("callConnecting", "{0}"), live: t("callLive", "{0}"),
    ended: t("callEnded"), accept: t("callAccept"), decline: t("callDecline"), mute: t("callMute"), unmute: t("callUnmute"),
    cameraOff: t("callCameraOff"), cameraOn: t("callCameraOn"), share: t("callShare"), stopShare: t("callStopShare"), hangUp: t("callHangUp"),
    voice: t("callMediaVoice"), video: t("callMediaVideo"), screen: t("callMediaScreen"),
    errors: Object.fromEntries(ERROR_CODES.map((c) => [c, t(`error_${c}` as TextKey)])), errorGeneric: t("error_generic"),
  };
  const panel = new CallPanel("visitor", hub, callTexts, "kefu-");
  view.panel.insertBefore(panel.root, view.list);

  const buttons = el("span", { class: "call-start", "data-testid": "kefu-call-start", hidden: "" });
  const starters: [CallMedia, string, string][] = [["voice", "📞", t("callVoice")], ["video", "🎥", t("callVideo")], ["screen", "🖥", t("callScreen")]];
  const byMedia = new Map<CallMedia, HTMLElement>();
  for (const [media, icon, label] of starters) {
    const button = el("button", { type: "button", class: "icon", "data-testid": `kefu-call-start-${media}`, "aria-label": label, title: label }, icon);
    button.onclick = () => {
      const conversation = chat.currentConversation;
      if (conversation) void panel.start(conversation.id, media);
    };
    buttons.append(button);
    byMedia.set(media, button);
  }
  view.helpToggle.before(buttons);

  chat.onConnection = (connection: signalR.HubConnection) => {
    connection.on("CallUpdated", (call: CallDto) => panel.onCallUpdated(call));
    connection.on("CallSignal", (signal: CallSignalEvent) => panel.onSignal(signal));
  };
  // Which calls this visitor may start is the inbox's setting (the server's by default): asked on every (re)connect.
  chat.onConnected = () => void hub.invoke<IceConfig>("GetCallConfig").then((config) => {
    const allowed = config.value?.visitorMedia;
    for (const [media, button] of byMedia) button.hidden = !allowed?.[media];
    buttons.hidden = !config.value?.visitorsMayRequest;
  }, () => undefined);
  return panel;
}
