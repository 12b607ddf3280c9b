// Proactive invitations (docs/invitations.md): the widget checks in with the server on every page and every half
// minute (the server decides, enforces the frequency cap and keeps the live visitor list), shows an invitation as a
// card beside the launcher, and reports accept or dismiss. An agent's invitation arrives over the hub.
import type * as signalR from "@microsoft/signalr";
import type { texts } from "./i18n";
import { el } from "./view";

/** As the server sends it (InvitationDto). */
export interface Invitation {
  id: string;
  textEn: string;
  textZh: string;
  openWidget: boolean;
  fromAgent: boolean;
}

interface CheckResult {
  invitation: Invitation | null;
  checkAgainInSeconds: number | null;
}

const HEARTBEAT_MS = 30_000;

export class Invitations {
  // A polite live region, not a focus grab: the visitor may be typing in the host page when it appears.
  readonly card = el("div", { class: "invite", "data-testid": "kefu-invitation", role: "region", "aria-live": "polite", hidden: "" });
  private readonly text = el("p", { class: "invite-text", "data-testid": "kefu-invitation-text" });
  private readonly accept = el("button", { type: "button", class: "invite-accept", "data-testid": "kefu-invitation-accept" });
  private readonly close = el("button", { type: "button", class: "invite-close icon", "data-testid": "kefu-invitation-close" }, "×");
  private current: Invitation | null = null;
  private timer: number | undefined;
  private readonly openedAt = Date.now();

  constructor(
    t: ReturnType<typeof texts>,
    private readonly zh: boolean,
    private readonly page: string | null,
    private readonly token: () => string | null,
    private readonly changed: (showing: boolean) => void,
    private readonly accepted: (text: string, openWidget: boolean) => void,
    private readonly isOpen: () => boolean,
  ) {
    this.card.setAttribute("aria-label", t("inviteLabel"));
    this.accept.textContent = t("inviteAccept");
    this.close.setAttribute("aria-label", t("inviteDismiss"));
    this.close.title = t("inviteDismiss");
    this.card.append(this.close, this.text, this.accept);
    this.accept.onclick = () => void this.answer(true);
    this.close.onclick = () => void this.answer(false);
    this.card.addEventListener("keydown", (e) => {
      if (e.key === "Escape") void this.answer(false);
    });
  }

  /** Starts checking in once the session exists; without the host page's address (preview, old loader) nothing is sent. */
  start(): void {
    if (this.page) void this.check();
  }

  /** Subscribes to agents' invitations on every new hub connection. */
  listen(connection: signalR.HubConnection): void {
    connection.on("Invitation", (invitation: Invitation) => this.show(invitation));
  }

  /** The chat window opened by other means: an invitation still showing no longer needs an answer. */
  hide(): void {
    if (!this.current) return;
    this.current = null;
    this.card.hidden = true;
    this.changed(false);
  }

  private async check(): Promise<void> {
    clearTimeout(this.timer);
    let next = HEARTBEAT_MS;
    try {
      const secondsOnPage = Math.floor((Date.now() - this.openedAt) / 1000);
      const response = await fetch("/api/v1/widget/invitations/check", {
        method: "POST",
        headers: { Authorization: `Bearer ${this.token() ?? ""}`, "Content-Type": "application/json" },
        body: JSON.stringify({ url: this.page, secondsOnPage, language: this.zh ? "zh" : "en" }),
      });
      if (response.ok) {
        const result = (await response.json()) as CheckResult;
        if (result.invitation) this.show(result.invitation);
        else if (result.checkAgainInSeconds) next = Math.min(next, result.checkAgainInSeconds * 1000 + 250);
      }
    } catch {
      // Offline or the server is busy: the next heartbeat tries again.
    }
    this.timer = window.setTimeout(() => void this.check(), next);
  }

  private show(invitation: Invitation): void {
    // The chat is already open: the words stand as its first line, and there is nothing to accept or dismiss.
    if (this.isOpen()) {
      this.accepted(this.zh ? invitation.textZh : invitation.textEn, false);
      return;
    }
    this.current = invitation;
    // Text, never markup: an agent's or an admin's words are shown as typed.
    this.text.textContent = this.zh ? invitation.textZh : invitation.textEn;
    this.card.hidden = false;
    this.changed(true);
    if (invitation.openWidget) void this.answer(true);
  }

  private async answer(accept: boolean): Promise<void> {
    const invitation = this.current;
    if (!invitation) return;
    this.hide();
    if (accept) this.accepted(this.zh ? invitation.textZh : invitation.textEn, invitation.openWidget);
    try {
      await fetch(`/api/v1/widget/invitations/${encodeURIComponent(invitation.id)}/${accept ? "accept" : "dismiss"}`, {
        method: "POST", headers: { Authorization: `Bearer ${this.token() ?? ""}` },
      });
    } catch {
      // Counted best effort: the visitor's choice already took effect on the page.
    }
  }
}
