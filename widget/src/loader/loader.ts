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
  const closed = "position:fixed;right:16px;bottom:16px;width:76px;height:76px;border:0;z-index:2147483000;background:transparent;color-scheme:normal;";
  iframe.setAttribute("style", closed);

  const resize = (open: boolean): void => {
    iframe.setAttribute(
      "style",
      open
        ? "position:fixed;right:16px;bottom:16px;width:min(400px,calc(100vw - 32px));height:min(640px,calc(100vh - 32px));border:0;z-index:2147483000;background:transparent;color-scheme:normal;"
        : closed,
    );
  };

  const post = (message: FrameMessage): void => iframe.contentWindow?.postMessage(message, kefuOrigin);

  window.addEventListener("message", (event: MessageEvent) => {
    // Only our own iframe, from Kefu's origin, may drive the frame size.
    if (event.origin !== kefuOrigin || event.source !== iframe.contentWindow) return;
    const message = event.data as FrameMessage | undefined;
    if (message?.type === "kefu:state") resize(message.open);
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
