// A fetch for the Slack Web API client built on undici's request(): the same library as Node's own
// fetch, without the WHATWG stream layers that made each Web API call cost ~4x more CPU here. And, for
// the one call on the slash command's hot path, a JSON post without even fetch's objects.

/** One POST of a JSON body: the status, Retry-After when given, and the answer's text. */
export type JsonPost = (url: string, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<{ status: number; retryAfter: string | undefined; text: string }>;

/**
 * undici's request() itself: the fetch() above on top of it (Request, Headers, Response and an AbortSignal
 * timer per call) cost ~200 µs more CPU per call than this, about the gap bench:slack found between a slash
 * command and a bare Bolt app's (a micro-benchmark against a local server: 430 vs 223 µs per call).
 */
export const undiciPost: JsonPost = async (url, headers, body, timeoutMs) => {
  // Loaded on the first call rather than at start, as undiciFetch below.
  const { request } = await import('undici');
  const response = await request(url, { method: 'POST', headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const text = await response.body.text();
  const retryAfter = response.headers['retry-after'];
  return { status: response.statusCode, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, text };
};

export const undiciFetch: typeof fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, key) => {
    headers[key] = value;
  });
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
    // Multipart uploads (FormData) keep Node's fetch, which knows how to encode them.
    return fetch(input, init);
  }
  // Loaded on the first Web API call rather than at start: start-up time is a goal of its own.
  const { request } = await import('undici');
  const response = await request(url, {
    method: (init?.method ?? 'GET') as 'GET' | 'POST',
    headers,
    ...(body !== undefined && body !== null ? { body } : {}),
    ...(init?.signal ? { signal: init.signal } : {}),
  });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const out = new Headers();
  for (const [key, value] of Object.entries(response.headers)) {
    if (Array.isArray(value)) value.forEach((v) => out.append(key, v));
    else if (value !== undefined) out.set(key, value);
  }
  return new Response(response.statusCode === 204 || response.statusCode === 304 ? null : bytes, { status: response.statusCode, headers: out });
};
