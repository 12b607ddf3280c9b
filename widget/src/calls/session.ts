// One WebRTC call between a visitor and an agent, the same code in the widget and in the console. Kefu's hubs carry
// the signalling (SDP offers and answers, ICE candidates); media flows browser to browser, or through TURN.
// The side that started the call sends the first offer once the other side accepted, and it alone restarts ICE
// (one offerer: no glare). A connection that does not come back within RESTART_GRACE_MS ends the call as failed.

export type CallMedia = "voice" | "video" | "screen";
export type CallState = "requested" | "ringing" | "active" | "ended";
export type CallSide = "visitor" | "agent";

export interface CallDto {
  id: string;
  conversationId: string;
  media: CallMedia;
  state: CallState;
  startedBy: CallSide;
  endReason?: string | null;
  endedBy?: CallSide | null;
}

export interface CallSignalEvent { callId: string; kind: "offer" | "answer" | "ice"; payload: string }

export interface IceConfig {
  iceServers: { urls: string[]; username?: string | null; credential?: string | null }[];
  relayOnly: boolean;
  visitorsMayRequest: boolean;
  /** Which calls a visitor may start (their inbox's setting). */
  visitorMedia?: { voice: boolean; video: boolean; screen: boolean } | null;
}

export interface HubResult<T> { ok: boolean; value?: T | null; error?: { code: string } | null }

/** The hub methods a call needs; both hubs have them under the same names. */
export interface CallHub {
  invoke<T>(method: string, ...args: unknown[]): Promise<HubResult<T>>;
}

const RESTART_GRACE_MS = 15_000;

export class CallSession {
  pc: RTCPeerConnection | null = null;
  local: MediaStream | null = null;
  readonly remote = new MediaStream();
  muted = false;
  cameraOff = false;
  sharing = false;
  private pending: RTCIceCandidateInit[] = [];
  private camera: MediaStreamTrack | null = null;
  private restartTimer: number | undefined;
  private ready: Promise<void> | undefined;
  private signals: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly side: CallSide,
    public call: CallDto,
    private readonly hub: CallHub,
    private readonly changed: () => void,
    private readonly failed: (code: string) => void,
  ) {}

  get offerer(): boolean {
    return this.call.startedBy === this.side;
  }

  /** What this side sends: the visitor's screen in a screen call, the camera in a video call, always the microphone. */
  private async media(): Promise<MediaStream> {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: this.call.media === "video" });
    if (this.call.media === "screen" && this.side === "visitor") {
      const screen = await navigator.mediaDevices.getDisplayMedia({ video: true });
      for (const track of screen.getVideoTracks()) stream.addTrack(track);
    }
    return stream;
  }

  /**
   * The call became active: both sides set up; the offerer sends the first offer. Called from the call's push and from
   * the accept reply, and by a signal that arrives first: all of them share the one setup, so there is one peer
   * connection and one capture, and an offer is answered only once this side's tracks are on the connection (an
   * answer made while getUserMedia or the screen picker is still open would carry no media of this side).
   */
  begin(): Promise<void> {
    this.ready ??= this.setUp();
    return this.ready;
  }

  private async setUp(): Promise<void> {
    const config = await this.hub.invoke<IceConfig>("GetCallConfig");
    if (this.closed) return;
    const ice = config.value;
    const pc = new RTCPeerConnection({
      iceServers: (ice?.iceServers ?? []).map((s) => ({ urls: s.urls, ...(s.username ? { username: s.username } : {}), ...(s.credential ? { credential: s.credential } : {}) })),
      iceTransportPolicy: ice?.relayOnly ? "relay" : "all",
    });
    this.pc = pc;
    pc.onicecandidate = (e) => {
      if (e.candidate) void this.signal("ice", JSON.stringify(e.candidate.toJSON()));
    };
    pc.ontrack = (e) => {
      if (!this.remote.getTracks().includes(e.track)) this.remote.addTrack(e.track);
      this.changed();
    };
    pc.oniceconnectionstatechange = () => this.onIceState();
    try {
      const local = await this.media();
      if (this.closed) {
        // Hung up while the browser was still asking for the devices: release them at once.
        for (const t of local.getTracks()) t.stop();
        return;
      }
      this.local = local;
    } catch {
      this.failed("call_media_denied");
      await this.hangUp(true);
      return;
    }
    this.camera = this.local.getVideoTracks()[0] ?? null;
    for (const track of this.local.getTracks()) pc.addTrack(track, this.local);
    // The agent receives the visitor's screen without sending video of their own: ask for it explicitly.
    if (this.call.media === "screen" && this.side === "agent") pc.addTransceiver("video", { direction: "recvonly" });
    this.changed();
    if (this.offerer) await this.offer(false);
  }

  private async offer(iceRestart: boolean): Promise<void> {
    const pc = this.pc!;
    const offer = await pc.createOffer(iceRestart ? { iceRestart: true } : {});
    await pc.setLocalDescription(offer);
    await this.signal("offer", offer.sdp ?? "");
  }

  /** Signals are handled one after another, in the order they arrived, each after this side's setup. */
  onSignal(signal: CallSignalEvent): Promise<void> {
    if (signal.callId !== this.call.id) return Promise.resolve();
    this.signals = this.signals.then(() => this.handle(signal)).catch(() => undefined);
    return this.signals;
  }

  private async handle(signal: CallSignalEvent): Promise<void> {
    await this.begin();
    const pc = this.pc;
    if (!pc) return;
    if (signal.kind === "ice") {
      const candidate = JSON.parse(signal.payload) as RTCIceCandidateInit;
      if (pc.remoteDescription) await pc.addIceCandidate(candidate).catch(() => undefined);
      else this.pending.push(candidate);
      return;
    }
    await pc.setRemoteDescription({ type: signal.kind, sdp: signal.payload });
    for (const c of this.pending.splice(0)) await pc.addIceCandidate(c).catch(() => undefined);
    if (signal.kind === "offer") {
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      await this.signal("answer", answer.sdp ?? "");
    }
  }

  /** True while a dropped connection is being restarted (ICE restart), before the grace runs out and the call ends as failed. */
  get restarting(): boolean {
    return this.restartTimer !== undefined;
  }

  /** A dropped connection is restarted (by the offerer) before the call is given up. */
  private onIceState(): void {
    const state = this.pc?.iceConnectionState;
    if (state === "connected" || state === "completed") {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
    } else if ((state === "disconnected" || state === "failed") && this.restartTimer === undefined) {
      if (this.offerer) void this.offer(true).catch(() => undefined);
      this.restartTimer = window.setTimeout(() => void this.hangUp(true), RESTART_GRACE_MS);
    }
    this.changed();
  }

  private async signal(kind: string, payload: string): Promise<void> {
    const result = await this.hub.invoke<boolean>("SendCallSignal", this.call.id, kind, payload).catch(() => null);
    if (result && !result.ok && result.error) {
      if (result.error.code === "call_ended") this.close();
      else this.failed(result.error.code);
    }
  }

  toggleMute(): void {
    this.muted = !this.muted;
    for (const t of this.local?.getAudioTracks() ?? []) t.enabled = !this.muted;
    this.changed();
  }

  toggleCamera(): void {
    this.cameraOff = !this.cameraOff;
    if (this.camera) this.camera.enabled = !this.cameraOff;
    this.changed();
  }

  /** Replaces the camera track with the screen (no renegotiation: same sender), and back when sharing stops. */
  async toggleScreen(): Promise<void> {
    const sender = this.pc?.getSenders().find((s) => s.track?.kind === "video");
    if (!sender) return;
    if (this.sharing) {
      sender.track?.stop();
      await sender.replaceTrack(this.camera);
      this.sharing = false;
    } else {
      let screen: MediaStream;
      try {
        screen = await navigator.mediaDevices.getDisplayMedia({ video: true });
      } catch {
        this.failed("call_media_denied");
        return;
      }
      const track = screen.getVideoTracks()[0]!;
      track.onended = () => void (this.sharing ? this.toggleScreen() : undefined);
      await sender.replaceTrack(track);
      this.sharing = true;
    }
    this.changed();
  }

  async hangUp(failed = false): Promise<void> {
    await this.hub.invoke<CallDto>("HangUpCall", this.call.id, failed).catch(() => null);
    this.close();
  }

  /** Stops every track and the connection (the call ended on either side). */
  close(): void {
    this.closed = true;
    clearTimeout(this.restartTimer);
    for (const t of this.local?.getTracks() ?? []) t.stop();
    for (const s of this.pc?.getSenders() ?? []) s.track?.stop();
    this.pc?.close();
    this.pc = null;
    this.local = null;
    this.changed();
  }
}
