// The frame's side of the SDK: what the host page asks for (track, setAttributes) goes to Kefu's API with the
// visitor's token, and the answer goes back to the page. The page's values travel as JSON data, never as code.
import type { KefuError } from "../protocol/sdk";
import type { FrameMessage } from "../protocol/types";

type Request = Extract<FrameMessage, { type: "kefu:track" | "kefu:attributes" | "kefu:identify" }>;
type Reply = Extract<FrameMessage, { type: "kefu:reply" }>;

/** Stores what the page asked for and says how it went: the server's code, field and wait on a refusal. */
export async function answer(request: Request, token: string | null, onIdentified: (token: string, contactId: string) => boolean = () => false): Promise<Reply> {
  const [method, path, body] = request.type === "kefu:track"
    ? ["POST", "/api/v1/widget/events", { name: request.name, props: request.props }]
    : request.type === "kefu:identify"
      ? ["POST", "/api/v1/widget/identify", request.identity]
      : ["PUT", "/api/v1/widget/attributes", { attributes: request.attributes }];
  try {
    const response = await fetch(path, {
      method,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token ?? ""}` },
      body: JSON.stringify(body),
    });
    if (response.ok && request.type === "kefu:identify") {
      // The frame keeps the new token (the contact it now speaks for); the loader reloads it when the contact changed.
      const identity = (await response.json()) as { token: string; contactId: string; verified: boolean };
      const changed = onIdentified(identity.token, identity.contactId);
      return { type: "kefu:reply", id: request.id, ok: true, value: { verified: identity.verified === true, reload: changed } };
    }
    if (response.ok) {
      const value = response.status === 204 ? undefined : ((await response.json()) as { attributes?: unknown }).attributes;
      return { type: "kefu:reply", id: request.id, ok: true, value };
    }
    const problem = (await response.json().catch(() => null)) as { code?: string; title?: string; field?: string; retryAfterSeconds?: number } | null;
    return { type: "kefu:reply", id: request.id, ok: false, error: refusal(response.status, problem) };
  } catch {
    return { type: "kefu:reply", id: request.id, ok: false, error: { code: "network", message: "Kefu could not be reached." } };
  }
}

function refusal(status: number, problem: { code?: string; title?: string; field?: string; retryAfterSeconds?: number } | null): KefuError {
  const error: KefuError = {
    code: typeof problem?.code === "string" ? problem.code : status === 413 ? "too_large" : "generic",
    message: typeof problem?.title === "string" ? problem.title : `Refused (${status}).`,
  };
  if (typeof problem?.field === "string") error.field = problem.field;
  if (typeof problem?.retryAfterSeconds === "number") error.retryAfterSeconds = problem.retryAfterSeconds;
  return error;
}
