/** A poster is tens of kB (w500 ≈ 50–150 kB): past this, what comes back is not a poster. */
export const MAX_POSTER_BYTES = 2 * 1024 * 1024;

export type UpstreamImage = { ok: true; bytes: Buffer; contentType: string | null } | { ok: false; reason: string };

/**
 * TMDB's image server (or what TMDB_IMAGE_BASE_URL names). One GET, bounded in time (the whole
 * answer, body included) and in size; every failure is a value, never a throw: the caller answers
 * a placeholder whatever went wrong.
 */
export class TmdbImageRepository {
  constructor(
    private readonly timeoutMs: number,
    private readonly maxBytes = MAX_POSTER_BYTES,
  ) {}

  async fetch(url: string): Promise<UpstreamImage> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const res = await fetch(url, { signal, redirect: 'error', headers: { accept: 'image/jpeg' } });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        return { ok: false, reason: `upstream answered ${res.status}` };
      }
      const declared = Number(res.headers.get('content-length') ?? Number.NaN);
      if (declared > this.maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        return { ok: false, reason: `upstream announced ${declared} bytes, more than ${this.maxBytes}` };
      }
      const chunks: Buffer[] = [];
      let total = 0;
      if (res.body) {
        for await (const chunk of res.body) {
          total += chunk.length;
          if (total > this.maxBytes) {
            await res.body.cancel().catch(() => undefined);
            return { ok: false, reason: `upstream sent more than ${this.maxBytes} bytes` };
          }
          chunks.push(Buffer.from(chunk));
        }
      }
      return { ok: true, bytes: Buffer.concat(chunks), contentType: res.headers.get('content-type') };
    } catch (err) {
      if (signal.aborted) return { ok: false, reason: `no answer within ${this.timeoutMs} ms` };
      return { ok: false, reason: `upstream unreachable: ${(err as Error).message}` };
    }
  }
}
