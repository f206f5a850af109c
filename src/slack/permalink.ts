// Links to Slack messages, composed from what a payload already carries (the team's domain, channel and
// ts) instead of a chat.getPermalink call per message: the format Slack's own permalinks use.

/** `https://<domain>.slack.com/archives/<channel>/p<ts without the dot>`, with the thread for a reply. */
export function messageLink(where: { domain?: string | undefined; channel: string; ts: string; threadTs?: string | undefined }): string {
  const host = where.domain && /^[a-z0-9-]+$/i.test(where.domain) ? `${where.domain}.slack.com` : 'slack.com';
  const base = `https://${host}/archives/${encodeURIComponent(where.channel)}/p${where.ts.replace('.', '')}`;
  return where.threadTs && where.threadTs !== where.ts ? `${base}?thread_ts=${encodeURIComponent(where.threadTs)}&cid=${encodeURIComponent(where.channel)}` : base;
}
