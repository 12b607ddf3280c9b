// The composer's voice recorder (ADR 0039). Hold the button to record, release to send; slide away, press Esc or the
// cancel button to throw it away. Opus in WebM or Ogg, uploaded through /api/v1/attachments (the console's cookie) with
// its length; the server checks the bytes and the length, and the component sends the message. Loaded by
// VoiceRecordButton only.
const formats = [['audio/webm;codecs=opus', 'voice.webm'], ['audio/ogg;codecs=opus', 'voice.ogg'], ['audio/webm', 'voice.webm']];
const cancelDistance = 60;
const minMs = 500;

const clock = ms => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export function attach(box, dotnet, maxSeconds) {
  const button = box.querySelector('[data-testid=record]');
  const bar = box.querySelector('[data-testid=voice-recorder]');
  const timer = box.querySelector('[data-testid=voice-timer]');
  const cancel = box.querySelector('[data-testid=voice-cancel]');
  const supported = typeof MediaRecorder !== 'undefined' && navigator.mediaDevices && formats.some(([m]) => MediaRecorder.isTypeSupported(m));
  if (!supported) {
    box.hidden = true;
    return;
  }

  const s = { recorder: null, stream: null, chunks: [], started: 0, tick: 0, origin: null, cancelled: false, starting: false };
  const release = () => {
    clearInterval(s.tick);
    s.stream?.getTracks().forEach(t => t.stop());
    s.stream = null;
    s.recorder = null;
    bar.hidden = true;
    button.classList.remove('recording');
  };
  const stop = send => {
    // Let go while the microphone was still opening (the permission prompt): nothing recorded, nothing sent, and
    // the recording must not start by itself once access is granted.
    s.cancelled = !send || s.starting;
    if (s.recorder && s.recorder.state !== 'inactive') s.recorder.stop();
    else if (!s.starting) release();
  };
  const upload = async (blob, name, durationMs) => {
    const body = new FormData();
    body.append('file', new File([blob], name, { type: blob.type }));
    body.append('durationMs', String(Math.round(durationMs)));
    try {
      const response = await fetch('/api/v1/attachments', { method: 'POST', body, credentials: 'same-origin' });
      const json = await response.json().catch(() => null);
      if (response.ok && json?.id) await dotnet.invokeMethodAsync('OnRecorded', json.id);
      else await dotnet.invokeMethodAsync('OnFailed', json?.code ?? 'generic');
    } catch {
      await dotnet.invokeMethodAsync('OnFailed', 'generic');
    }
  };
  const start = async () => {
    if (s.recorder || s.starting) return;
    s.starting = true;
    s.cancelled = false;
    const [mimeType, name] = formats.find(([m]) => MediaRecorder.isTypeSupported(m));
    try {
      s.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      s.starting = false;
      await dotnet.invokeMethodAsync('OnFailed', 'media_denied');
      return;
    }
    s.starting = false;
    if (s.cancelled) {
      release();
      return;
    }
    const recorder = new MediaRecorder(s.stream, { mimeType, audioBitsPerSecond: 32000 });
    s.recorder = recorder;
    s.chunks = [];
    recorder.addEventListener('dataavailable', e => e.data.size > 0 && s.chunks.push(e.data));
    recorder.addEventListener('stop', () => {
      const duration = Math.min(Date.now() - s.started, maxSeconds * 1000);
      const blob = new Blob(s.chunks, { type: mimeType.split(';')[0] });
      release();
      if (!s.cancelled && duration >= minMs) upload(blob, name, duration);
    });
    s.started = Date.now();
    recorder.start(250);
    bar.hidden = false;
    button.classList.add('recording');
    timer.textContent = `${clock(0)} / ${clock(maxSeconds * 1000)}`;
    s.tick = setInterval(() => {
      const elapsed = Date.now() - s.started;
      timer.textContent = `${clock(elapsed)} / ${clock(maxSeconds * 1000)}`;
      if (elapsed >= maxSeconds * 1000) stop(true);
    }, 200);
  };

  const away = e => s.origin !== null && Math.hypot(e.clientX - s.origin.x, e.clientY - s.origin.y) > cancelDistance;
  button.addEventListener('pointerdown', e => {
    e.preventDefault();
    s.origin = { x: e.clientX, y: e.clientY };
    button.setPointerCapture?.(e.pointerId);
    start();
  });
  button.addEventListener('pointermove', e => {
    if (s.recorder) bar.dataset.cancel = away(e) ? 'true' : 'false';
  });
  button.addEventListener('pointerup', e => {
    const send = !away(e);
    s.origin = null;
    stop(send);
  });
  button.addEventListener('pointercancel', () => stop(false));
  button.addEventListener('keydown', e => {
    if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) {
      e.preventDefault();
      start();
    }
  });
  button.addEventListener('keyup', e => (e.key === ' ' || e.key === 'Enter') && stop(true));
  cancel.addEventListener('pointerdown', e => e.stopPropagation());
  cancel.addEventListener('click', () => stop(false));
  const onKey = e => {
    if (e.key === 'Escape' && (s.recorder || s.starting)) stop(false);
  };
  document.addEventListener('keydown', onKey);
  box.kefuVoice = { stop, onKey };
}

export function detach(box) {
  if (box?.kefuVoice) {
    box.kefuVoice.stop(false);
    document.removeEventListener('keydown', box.kefuVoice.onKey);
    box.kefuVoice = null;
  }
}
