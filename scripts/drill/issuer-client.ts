// The drill's issuer-side client: calls the origin's API as a careful integrator does during an
// outage, retrying with the same Idempotency-Key on network errors, 503 (honouring Retry-After) and
// 409 IDEMPOTENCY_KEY_IN_FLIGHT, until a deadline. Each call reports how many attempts it took.
export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
  attempts: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RETRYABLE = new Set([409, 429, 500, 502, 503, 504]);

export async function callApi<T = any>(
  originUrl: string,
  path: string,
  init: { method?: string; token: string; body?: unknown; headers?: Record<string, string>; retryForMs?: number },
): Promise<ApiAnswer<T>> {
  const until = Date.now() + (init.retryForMs ?? 0);
  for (let attempt = 1; ; attempt++) {
    let status = 0;
    let retryAfterMs = 1000;
    try {
      const res = await fetch(`${originUrl}${path}`, {
        method: init.method ?? "GET",
        headers: { authorization: `Bearer ${init.token}`, "content-type": "application/json", ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await res.text();
      status = res.status;
      if (!RETRYABLE.has(status) || Date.now() >= until) {
        return { status, body: text ? JSON.parse(text) : null, headers: res.headers, attempts: attempt };
      }
      const retryAfter = Number(res.headers.get("retry-after"));
      if (Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = Math.min(retryAfter * 1000, 10_000);
    } catch (error) {
      if (Date.now() >= until) throw new Error(`${init.method ?? "GET"} ${path}: ${String(error)} after ${attempt} attempts`);
    }
    await sleep(Math.min(retryAfterMs * Math.min(attempt, 3), 10_000));
  }
}

/** `callApi`, requiring a 2xx answer. */
export async function callApiOk<T = any>(originUrl: string, path: string, init: Parameters<typeof callApi>[2]): Promise<ApiAnswer<T>> {
  const answer = await callApi<T>(originUrl, path, init);
  if (answer.status >= 300) throw new Error(`${init.method ?? "GET"} ${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  return answer;
}
