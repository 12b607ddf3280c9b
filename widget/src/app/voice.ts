// Voice messages (ADR 0039): hold the microphone button to record, let go to send, slide away or press Esc to cancel.
// Opus in WebM (Chromium, Firefox) or Ogg, sent through the normal upload with its length; the server checks the bytes.
import type { TextKey } from "./i18n";
import { clock, el } from "./view";

/** Default longest recording; the server's own limit (Kefu:Conversations:MaxVoiceSeconds) refuses a longer one. */
export const MAX_VOICE_SECONDS = 120;
/** Shorter than this is a slip of the finger, not a message. */
const MIN_VOICE_MS = 500;
/** How far the pointer may slide off the button before letting go cancels. */
const CANCEL_DISTANCE = 60;

const FORMATS: [string, string][] = [["audio/webm;codecs=opus", "voice.webm"], ["audio/ogg;codecs=opus", "voice.ogg"], ["audio/webm", "voice.webm"]];

export function voiceSupported(): boolean {
  return typeof MediaRecorder !== "undefined" && !!navigator.mediaDevices?.getUserMedia && FORMATS.some(([m]) => MediaRecorder.isTypeSupported(m));
}

export class VoiceRecorder {
  readonly button: HTMLButtonElement;
  readonly bar = el("div", { class: "voice-recorder", "data-testid": "kefu-voice-recorder", role: "status", hidden: "" });
  private readonly timer = el("span", { class: "voice-timer", "data-testid": "kefu-voice-timer" }, "0:00");
  private readonly hint = el("span", { class: "voice-hint", "data-testid": "kefu-voice-hint" });
  private readonly cancelButton = el("button", { type: "button", class: "voice-cancel", "data-testid": "kefu-voice-cancel" });
  private recorder: MediaRecorder | null = null;
  private stream: MediaStream | null = null;
  private chunks: Blob[] = [];
  private started = 0;
  private tick: number | undefined;
  private origin: { x: number; y: number } | null = null;
  private cancelled = false;
  private starting = false;

  constructor(
    private readonly t: (key: TextKey, arg?: string) => string,
    private readonly send: (file: File, durationMs: number) => void,
    private readonly notice: (text: string) => void,
    private readonly maxSeconds = MAX_VOICE_SECONDS,
  ) {
    this.button = el("button", { type: "button", class: "icon voice", "data-testid": "kefu-record", "aria-label": t("voiceHold"), title: t("voiceHold") }, "🎤");
    this.hint.textContent = t("voiceHint");
    this.cancelButton.textContent = t("voiceCancel");
    this.bar.append(el("span", { class: "voice-dot", "aria-hidden": "true" }), this.timer, this.hint, this.cancelButton);
    this.button.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      this.origin = { x: e.clientX, y: e.clientY };
      this.button.setPointerCapture?.(e.pointerId);
      void this.start();
    });
    this.button.addEventListener("pointermove", (e) => {
      if (!this.origin || !this.recording) return;
      const away = Math.hypot(e.clientX - this.origin.x, e.clientY - this.origin.y) > CANCEL_DISTANCE;
      this.bar.dataset["cancel"] = away ? "true" : "false";
      this.hint.textContent = this.t(away ? "voiceReleaseToCancel" : "voiceHint");
    });
    this.button.addEventListener("pointerup", (e) => {
      const away = this.origin !== null && Math.hypot(e.clientX - this.origin.x, e.clientY - this.origin.y) > CANCEL_DISTANCE;
      this.origin = null;
      this.stop(!away);
    });
    this.button.addEventListener("pointercancel", () => this.stop(false));
    // Keyboard: hold Space or Enter on the button.
    this.button.addEventListener("keydown", (e) => {
      if ((e.key === " " || e.key === "Enter") && !e.repeat) {
        e.preventDefault();
        void this.start();
      }
    });
    this.button.addEventListener("keyup", (e) => {
      if (e.key === " " || e.key === "Enter") this.stop(true);
    });
    this.cancelButton.addEventListener("pointerdown", (e) => e.stopPropagation());
    this.cancelButton.addEventListener("click", () => this.stop(false));
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && (this.recording || this.starting)) this.stop(false);
    });
  }

  get recording(): boolean {
    return this.recorder !== null;
  }

  private async start(): Promise<void> {
    if (this.recorder || this.starting) return;
    this.starting = true;
    this.cancelled = false;
    const [mimeType, name] = FORMATS.find(([m]) => MediaRecorder.isTypeSupported(m)) ?? FORMATS[0];
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      this.starting = false;
      this.notice(this.t("voiceDenied"));
      return;
    }
    this.starting = false;
    if (this.cancelled) {
      this.release(); // let go (or Esc) before the microphone opened
      return;
    }
    const recorder = new MediaRecorder(this.stream, { mimeType, audioBitsPerSecond: 32000 });
    this.recorder = recorder;
    this.chunks = [];
    recorder.addEventListener("dataavailable", (e) => {
      if (e.data.size > 0) this.chunks.push(e.data);
    });
    recorder.addEventListener("stop", () => {
      const duration = Math.min(Date.now() - this.started, this.maxSeconds * 1000);
      const blob = new Blob(this.chunks, { type: mimeType.split(";")[0] });
      this.release();
      if (this.cancelled) return;
      if (duration < MIN_VOICE_MS) {
        this.notice(this.t("voiceTooShort"));
        return;
      }
      this.send(new File([blob], name, { type: blob.type }), duration);
    });
    this.started = Date.now();
    recorder.start(250);
    this.bar.hidden = false;
    this.bar.dataset["cancel"] = "false";
    this.button.classList.add("recording");
    this.hint.textContent = this.t("voiceHint");
    this.timer.textContent = clock(0);
    this.tick = window.setInterval(() => {
      const elapsed = Date.now() - this.started;
      this.timer.textContent = `${clock(elapsed)} / ${clock(this.maxSeconds * 1000)}`;
      if (elapsed >= this.maxSeconds * 1000) this.stop(true); // the longest message: sent as it is
    }, 200);
  }

  /** Ends the recording: sent when <send>, thrown away otherwise (Esc, the cancel button, sliding away). */
  stop(send: boolean): void {
    // Let go while the browser was still opening the microphone (its permission prompt on first use): nothing was
    // recorded, so nothing is sent, and the recording must not start by itself once access is granted.
    this.cancelled = !send || this.starting;
    if (this.recorder && this.recorder.state !== "inactive") this.recorder.stop();
    else if (!this.starting) this.release();
  }

  private release(): void {
    clearInterval(this.tick);
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.recorder = null;
    this.bar.hidden = true;
    this.button.classList.remove("recording");
  }
}
