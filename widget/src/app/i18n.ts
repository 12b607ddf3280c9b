// Every text the visitor sees, in English and Simplified Chinese.
const en = {
  chat: "Chat with us",
  close: "Close",
  placeholder: "Write a message…",
  send: "Send",
  sending: "Sending…",
  sent: "Sent",
  failed: "Not sent",
  retry: "Retry",
  typing: "{0} is typing…",
  agentDefault: "Agent",
  bot: "Assistant",
  you: "You",
  greeting: "Hi! How can we help you today?",
  resolved: "This conversation was marked as resolved. Write again any time to reopen it.",
  earlier: "Earlier conversation",
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  offline: "Offline — messages will be sent when the connection is back.",
  attach: "Attach a file",
  emoji: "Emoji",
  uploading: "Uploading {0}…",
  unread: "{0} new messages",
  error_text_empty: "The message is empty.",
  error_text_too_long: "The message is too long (4,000 characters at most).",
  error_attachment_too_large: "The file is too large (10 MB at most).",
  error_attachment_type_not_allowed: "This file type cannot be sent.",
  error_generic: "Something went wrong.",
  error_action_not_found: "This choice is no longer available.",
  error_rate_limited: "You are sending too quickly. Please wait a moment.",
  help: "Help",
  helpTitle: "How can we help?",
  searchPlaceholder: "Search our help articles…",
  noResults: "No articles found. Chat with us instead?",
  back: "Back",
  didThisHelp: "Did this help?",
  yes: "Yes",
  no: "No",
  feedbackThanks: "Thanks for your feedback!",
  stillNeedHelp: "Still need help?",
  queuePosition: "You are number {0} in line.",
  queueWait: "About {0} min.",
  queueLeave: "Leave a message instead",
  queueLeft: "Thanks — we will answer here as soon as we can.",
  previewVisitor: "Hello! Do you ship abroad?",
  previewReply: "Yes, we ship to most countries within 5 days.",
};

const zh: typeof en = {
  chat: "在线客服",
  close: "关闭",
  placeholder: "输入消息…",
  send: "发送",
  sending: "发送中…",
  sent: "已发送",
  failed: "发送失败",
  retry: "重试",
  typing: "{0} 正在输入…",
  agentDefault: "客服",
  bot: "智能助手",
  you: "我",
  greeting: "您好！请问有什么可以帮您？",
  resolved: "本次会话已标记为已解决。如需帮助，随时发送消息即可重新打开。",
  earlier: "之前的会话",
  connecting: "连接中…",
  reconnecting: "正在重新连接…",
  offline: "网络已断开，恢复后消息会自动发送。",
  attach: "发送文件",
  emoji: "表情",
  uploading: "正在上传 {0}…",
  unread: "{0} 条新消息",
  error_text_empty: "消息不能为空。",
  error_text_too_long: "消息太长（最多 4000 个字符）。",
  error_attachment_too_large: "文件太大（最大 10 MB）。",
  error_attachment_type_not_allowed: "不支持发送该类型的文件。",
  error_generic: "出错了，请重试。",
  error_action_not_found: "该选项已失效。",
  error_rate_limited: "发送太频繁，请稍候。",
  help: "帮助",
  helpTitle: "有什么可以帮您？",
  searchPlaceholder: "搜索帮助文章…",
  noResults: "没有找到相关文章。要不要直接联系客服？",
  back: "返回",
  didThisHelp: "这个回答有帮助吗？",
  yes: "有帮助",
  no: "没有",
  feedbackThanks: "感谢您的反馈！",
  stillNeedHelp: "还需要帮助？",
  queuePosition: "您排在第 {0} 位。",
  queueWait: "预计等待约 {0} 分钟。",
  queueLeave: "改为留言",
  queueLeft: "已收到，我们会尽快在这里回复您。",
  previewVisitor: "你好！可以寄到国外吗？",
  previewReply: "可以，大部分国家 5 天内送达。",
};

export type TextKey = keyof typeof en;

export function pickLanguage(requested: string | null): "en" | "zh-CN" {
  const lang = (requested || navigator.language || "en").toLowerCase();
  return lang.startsWith("zh") ? "zh-CN" : "en";
}

export function texts(language: "en" | "zh-CN") {
  const table = language === "zh-CN" ? zh : en;
  return (key: TextKey, arg?: string): string => table[key].replace("{0}", arg ?? "");
}

export function errorText(t: ReturnType<typeof texts>, code: string | undefined): string {
  const key = `error_${code ?? "generic"}` as TextKey;
  return key in en ? t(key) : t("error_generic");
}
