// Compiled against the generated sdk.d.ts by `npm run build`, as an integrator's code would be: the package's
// types must allow what docs/sdk.md shows, and refuse what the SDK refuses.
import type { KefuApi, KefuError, KefuMessage } from "@kefu/widget";

const kefu = window.Kefu as KefuApi;
kefu.on("ready", () => kefu.open());
kefu.on("message", (message: KefuMessage) => console.log(message.senderName ?? "bot", message.text));
kefu.on("unread", (count: number) => (document.title = count > 0 ? `(${count}) Shop` : "Shop"));
kefu.setLocale("zh-CN");
void kefu.setAttributes({ plan: "pro", seats: 12, trial: false, coupon: null }).then((all) => all["plan"]);
kefu.track("cart.updated", { items: 3, total: 129.5 }).catch((error: KefuError) => console.warn(error.code, error.field));
kefu("track", "signup");
// @ts-expect-error: events outside the catalogue are refused by the types
kefu.on("hover", () => undefined);
// @ts-expect-error: property values are strings, numbers or booleans, not objects
void kefu.track("checkout", { cart: { items: 3 } });
// identify: the hash comes from the shop's server (HMAC-SHA256 of the id with the inbox's identity secret).
void kefu.identify({ id: "customer-42", name: "Wang Fang", email: "wang@example.com", hash: "9f2c…" }).then((result) => result.verified);
// @ts-expect-error: an identity needs its id
void kefu.identify({ name: "No id" });
