// widget.js: the only thing a website includes. It creates the chat iframe (served from Kefu's
// origin) and window.Kefu, and talks to the iframe by postMessage with exact origins both ways.
import type { FrameMessage } from "../protocol/types";

interface KefuApi {
  open(): void;
  close(): void;
  toggle(): void;
}

declare global {
  interface Window {
    Kefu?: KefuApi;
  }
}

(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script || window.Kefu) return;
  const key = script.dataset["kefuKey"];
  if (!key) {
    console.warn("Kefu: the script tag needs data-kefu-key");
    return;
  }

  const kefuOrigin = new URL(script.src, location.href).origin;
  const iframe = document.createElement("iframe");
  const query = new URLSearchParams({ key, parent: location.origin, lang: navigator.language || "en" });
  iframe.src = `${kefuOrigin}/widget/frame?${query.toString()}`;
  iframe.title = "Chat";
  iframe.setAttribute("data-testid", "kefu-frame");
  iframe.setAttribute("allowtransparency", "true");
  const common = "position:fixed;bottom:16px;border:0;z-index:2147483000;background:transparent;color-scheme:normal;";
  // The corner and the launcher's width come from the inbox's settings, which the frame knows once its session is open.
  let side: "right" | "left" = "right";
  let launcherWidth = 76;
  const resize = (open: boolean): void => {
    const size = open ? "width:min(400px,calc(100vw - 32px));height:min(640px,calc(100vh - 32px));" : `width:${launcherWidth}px;height:76px;`;
    iframe.setAttribute("style", `${common}${side}:16px;${size}`);
  };
  resize(false);

  const post = (message: FrameMessage): void => iframe.contentWindow?.postMessage(message, kefuOrigin);

  window.addEventListener("message", (event: MessageEvent) => {
    // Only our own iframe, from Kefu's origin, may drive the frame size.
    if (event.origin !== kefuOrigin || event.source !== iframe.contentWindow) return;
    const message = event.data as FrameMessage | undefined;
    if (message?.type === "kefu:state") {
      side = message.position === "left" ? "left" : "right";
      // Bounded: a frame can never cover more of the host page than a launcher needs.
      launcherWidth = Math.min(Math.max(Math.round(Number(message.launcherWidth) || 76), 76), 320);
      resize(message.open);
    }
  });

  window.Kefu = {
    open: () => post({ type: "kefu:open" }),
    close: () => post({ type: "kefu:close" }),
    toggle: () => post({ type: "kefu:toggle" }),
  };

  const mount = (): void => {
    document.body.appendChild(iframe);
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
