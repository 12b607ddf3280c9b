// The call panel: ringing (accept, decline), calling, live (remote and own video, mute, camera, screen, hang up) and
// ended; the same DOM in the widget (test ids prefixed "kefu-") and the console. Texts come from the host's tables.
import { CallSession, type CallDto, type CallHub, type CallMedia, type CallSide, type CallSignalEvent } from "./session";

/** The texts the panel shows; hosts fill them from their own English and Chinese tables. */
export interface CallTexts {
  incoming: string; calling: string; connecting: string; live: string; ended: string;
  accept: string; decline: string; mute: string; unmute: string; cameraOff: string; cameraOn: string;
  share: string; stopShare: string; hangUp: string; voice: string; video: string; screen: string;
  errors: Record<string, string>; errorGeneric: string;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export class CallPanel {
  readonly root: HTMLElement;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  private readonly remote: HTMLVideoElement;
  private readonly local: HTMLVideoElement;
  private readonly accept: HTMLButtonElement;
  private readonly decline: HTMLButtonElement;
  private readonly mute: HTMLButtonElement;
  private readonly camera: HTMLButtonElement;
  private readonly screen: HTMLButtonElement;
  private readonly hangUp: HTMLButtonElement;
  session: CallSession | null = null;
  call: CallDto | null = null;

  constructor(private readonly side: CallSide, private readonly hub: CallHub, private readonly t: CallTexts, prefix: string) {
    const id = (name: string): Record<string, string> => ({ "data-testid": `${prefix}call-${name}` });
    this.root = el("section", { class: "kefu-call", ...id("panel"), "data-state": "idle", hidden: "" });
    this.status = el("p", { class: "kefu-call-status", ...id("status"), role: "status" });
    this.error = el("p", { class: "kefu-call-error", ...id("error"), role: "alert", hidden: "" });
    this.remote = el("video", { class: "kefu-call-remote", ...id("remote"), autoplay: "", playsinline: "" });
    this.local = el("video", { class: "kefu-call-local", ...id("local"), autoplay: "", playsinline: "" });
    this.local.muted = true;
    this.remote.srcObject = null;
    const button = (name: string, text: string, cls = ""): HTMLButtonElement => el("button", { type: "button", class: `kefu-call-btn ${cls}`, ...id(name) }, text);
    this.accept = button("accept", t.accept, "accept");
    this.decline = button("decline", t.decline, "end");
    this.mute = button("mute", t.mute);
    this.camera = button("camera", t.cameraOff);
    this.screen = button("screen", t.share);
    this.hangUp = button("hangup", t.hangUp, "end");
    this.accept.onclick = () => void this.answer(true);
    this.decline.onclick = () => void this.answer(false);
    this.mute.onclick = () => this.session?.toggleMute();
    this.camera.onclick = () => this.session?.toggleCamera();
    this.screen.onclick = () => void this.session?.toggleScreen();
    this.hangUp.onclick = () => void this.end();
    const videos = el("div", { class: "kefu-call-videos" });
    videos.append(this.remote, this.local);
    const controls = el("div", { class: "kefu-call-controls" });
    controls.append(this.accept, this.decline, this.mute, this.camera, this.screen, this.hangUp);
    this.root.append(this.status, videos, controls, this.error);
  }

  /** Starts a call from this side: the agent offers, the visitor requests. */
  async start(conversationId: string, media: CallMedia): Promise<void> {
    const result = await this.hub.invoke<CallDto>(this.side === "agent" ? "OfferCall" : "RequestCall", conversationId, media);
    if (result.ok && result.value) this.onCallUpdated(result.value);
    else this.showError(result.error?.code);
  }

  onCallUpdated(call: CallDto): void {
    if (this.call && this.call.id !== call.id && this.call.state !== "ended" && call.state === "ended") return; // an older call
    this.call = call;
    this.error.hidden = true;
    if (call.state === "active") {
      if (!this.session || this.session.call.id !== call.id) {
        this.session = new CallSession(this.side, call, this.hub, () => this.render(), (code) => this.showError(code));
      }
      this.session.call = call;
      void this.session.begin().catch(() => this.showError("call_media_denied"));
    } else if (call.state === "ended") {
      this.session?.close();
      this.session = null;
    }
    this.render();
  }

  onSignal(signal: CallSignalEvent): void {
    void this.session?.onSignal(signal).catch(() => undefined);
  }

  private async answer(accept: boolean): Promise<void> {
    if (!this.call) return;
    const result = await this.hub.invoke<CallDto>(accept ? "AcceptCall" : "DeclineCall", this.call.id);
    if (result.ok && result.value) this.onCallUpdated(result.value);
    else this.showError(result.error?.code);
  }

  private async end(): Promise<void> {
    if (this.session) await this.session.hangUp();
    else if (this.call) {
      const result = await this.hub.invoke<CallDto>("HangUpCall", this.call.id, false);
      if (result.ok && result.value) this.onCallUpdated(result.value);
    }
  }

  private showError(code: string | undefined): void {
    this.error.textContent = (code && this.t.errors[code]) || this.t.errorGeneric;
    this.error.hidden = false;
    this.root.hidden = false;
  }

  private render(): void {
    const call = this.call;
    const state = call?.state ?? "idle";
    this.root.hidden = state === "idle";
    this.root.dataset["state"] = state;
    this.root.dataset["media"] = call?.media ?? "";
    const ringingHere = state === "ringing" && call!.startedBy !== this.side;
    const media = call ? this.t[call.media] : "";
    const connected = this.session?.pc?.iceConnectionState;
    this.root.dataset["ice"] = connected ?? "";
    this.root.dataset["restarting"] = this.session?.restarting ? "true" : "false";
    this.status.textContent = state === "ringing"
      ? (ringingHere ? this.t.incoming : this.t.calling).replace("{0}", media)
      : state === "active"
        ? (connected === "connected" || connected === "completed" ? this.t.live : this.t.connecting).replace("{0}", media)
        : state === "ended" ? this.t.ended : "";
    this.accept.hidden = !ringingHere;
    this.decline.hidden = !ringingHere;
    const live = state === "active";
    this.mute.hidden = !live;
    this.camera.hidden = !live || call!.media !== "video";
    this.screen.hidden = !live || call!.media !== "video";
    this.hangUp.hidden = !(live || (state === "ringing" && !ringingHere));
    this.mute.textContent = this.session?.muted ? this.t.unmute : this.t.mute;
    this.mute.setAttribute("aria-pressed", String(!!this.session?.muted));
    this.camera.textContent = this.session?.cameraOff ? this.t.cameraOn : this.t.cameraOff;
    this.camera.setAttribute("aria-pressed", String(!!this.session?.cameraOff));
    this.screen.textContent = this.session?.sharing ? this.t.stopShare : this.t.share;
    this.screen.setAttribute("aria-pressed", String(!!this.session?.sharing));
    const remote = this.session && this.session.remote.getTracks().length > 0 ? this.session.remote : null;
    if (this.remote.srcObject !== remote) this.remote.srcObject = remote;
    const local = this.session?.local ?? null;
    if (this.local.srcObject !== local) this.local.srcObject = local;
    this.remote.hidden = !live;
    this.local.hidden = !live || !local || local.getVideoTracks().length === 0;
  }
}
