// A fetch for the Slack Web API client built on undici's request(): the same library as Node's own
// fetch, without the WHATWG stream layers that made each Web API call cost ~4x more CPU here.

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
