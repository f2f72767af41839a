/**
 * The base-URL swap for client libraries that hard-code Kakao's hosts (arctic's `Kakao`,
 * passport-kakao, Auth.js's Kakao provider): https://kauth.kakao.com and https://kapi.kakao.com
 * both become yeon's one origin, paths and queries unchanged.
 */
export const KAKAO_HOSTS = ['https://kauth.kakao.com', 'https://kapi.kakao.com'] as const;

/** The same URL on yeon when it names a Kakao host; any other URL unchanged. */
export function toYeon(url: URL | string, yeonOrigin: string): URL {
  const parsed = new URL(url);
  if (!(KAKAO_HOSTS as readonly string[]).includes(parsed.origin)) return parsed;
  return new URL(parsed.pathname + parsed.search + parsed.hash, yeonOrigin);
}

/**
 * A `fetch` that sends requests for Kakao's hosts to yeon. For libraries that call the global
 * fetch with Kakao's URLs built in, installing it (`globalThis.fetch = kakaoToYeonFetch(…)`) is
 * the whole migration of their server-side requests.
 */
export function kakaoToYeonFetch(yeonOrigin: string, inner: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    if (input instanceof Request) {
      const target = toYeon(input.url, yeonOrigin);
      if (target.href === input.url) return inner(input, init);
      const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : await input.arrayBuffer();
      return inner(new Request(target, { method: input.method, headers: input.headers, body }), init);
    }
    return inner(toYeon(input, yeonOrigin), init);
  };
}
