/**
 * A recording on any plain HTTP server or object store, read with `Range:` requests.
 *
 * `open` makes the two requests that opening a recording needs, at once: the first
 * bytes (header and metadata) and a suffix range (trailer and, usually, the index),
 * whose `Content-Range` also gives the file's size. Every later read is one request.
 * A server that answers a range request with the whole file (status 200) is refused
 * before its body is read: the player exists to avoid downloading the whole file.
 */

import { TdprError } from "../format/errors.js";
import { checkRange, type ByteSource } from "./byte-source.js";

export interface HttpRangeOptions {
  /** Bytes fetched from the start at open (default 64 KiB). */
  readonly headBytes?: number;
  /** Bytes fetched from the end at open (default 64 KiB). */
  readonly tailBytes?: number;
  /** The fetch function (default `globalThis.fetch`), for tests and custom credentials. */
  readonly fetch?: typeof fetch;
  /** Extra request headers (authorization, for instance). */
  readonly headers?: Record<string, string>;
}

/** What a source has transferred, for the curious and for tests. */
export interface TransferStats {
  requests: number;
  bytes: number;
}

interface Window {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

function io(detail: string): TdprError {
  return new TdprError("io", null, detail);
}

/** Parses `bytes START-END/TOTAL`, or the `bytes *\/TOTAL` of a 416 answer. */
function parseContentRange(header: string | null): { start: number; end: number; total: number } | { total: number } | null {
  if (header === null) return null;
  const full = /^bytes\s+(\d+)-(\d+)\/(\d+)$/.exec(header.trim());
  if (full) return { start: Number(full[1]), end: Number(full[2]), total: Number(full[3]) };
  const unsatisfied = /^bytes\s+\*\/(\d+)$/.exec(header.trim());
  return unsatisfied ? { total: Number(unsatisfied[1]) } : null;
}

export class HttpRangeSource implements ByteSource {
  readonly stats: TransferStats = { requests: 0, bytes: 0 };
  private windows: Window[] = [];
  private constructor(
    readonly url: string,
    readonly size: number,
    private readonly fetchFn: typeof fetch,
    private readonly headers: Record<string, string>,
  ) {}

  /** Opens `url`: two range requests at once, for its first and last bytes. */
  static async open(url: string, options: HttpRangeOptions = {}): Promise<HttpRangeSource> {
    const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    const headers = options.headers ?? {};
    const headBytes = options.headBytes ?? 65536;
    const tailBytes = options.tailBytes ?? 65536;
    const stats: TransferStats = { requests: 0, bytes: 0 };
    const [head, tail] = await Promise.all([
      HttpRangeSource.request(fetchFn, url, headers, `bytes=0-${headBytes - 1}`, stats),
      HttpRangeSource.request(fetchFn, url, headers, `bytes=-${tailBytes}`, stats),
    ]);
    if (head.total !== tail.total) throw io(`the file changed size between two requests (${head.total}, ${tail.total})`);
    if (head.offset !== 0 || tail.offset + tail.bytes.length !== tail.total) {
      throw io(`${url} answered bytes ${head.offset}… and …${tail.offset + tail.bytes.length} for its first and last bytes`);
    }
    const source = new HttpRangeSource(url, head.total, fetchFn, headers);
    source.stats.requests = stats.requests;
    source.stats.bytes = stats.bytes;
    source.windows = [head, tail].filter((w) => w.bytes.length > 0).map(({ offset, bytes }) => ({ offset, bytes }));
    return source;
  }

  private static async request(
    fetchFn: typeof fetch,
    url: string,
    headers: Record<string, string>,
    range: string,
    stats: TransferStats,
  ): Promise<{ offset: number; bytes: Uint8Array; total: number }> {
    let response: Response;
    try {
      stats.requests++;
      response = await fetchFn(url, { headers: { ...headers, Range: range } });
    } catch (e) {
      throw io(`GET ${url} (${range}) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    const contentRange = parseContentRange(response.headers.get("Content-Range"));
    if (response.status === 416 && contentRange && !("start" in contentRange) && contentRange.total === 0) {
      await response.body?.cancel();
      return { offset: 0, bytes: new Uint8Array(0), total: 0 };
    }
    if (response.status === 200) {
      await response.body?.cancel();
      throw io(`${url} answered a range request with the whole file (status 200): the server does not support range requests`);
    }
    if (response.status !== 206) {
      await response.body?.cancel();
      throw io(`GET ${url} (${range}): HTTP ${response.status} ${response.statusText}`);
    }
    if (contentRange === null || !("start" in contentRange)) {
      await response.body?.cancel();
      throw io(`${url}: a 206 response without a usable Content-Range (${response.headers.get("Content-Range")})`);
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      throw io(`reading ${url} (${range}) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    stats.bytes += bytes.length;
    if (bytes.length !== contentRange.end - contentRange.start + 1) {
      throw io(`${url}: Content-Range ${contentRange.start}-${contentRange.end} but ${bytes.length} bytes received`);
    }
    return { offset: contentRange.start, bytes, total: contentRange.total };
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this, offset, length);
    if (length === 0) return new Uint8Array(0);
    for (const w of this.windows) {
      if (offset >= w.offset && offset + length <= w.offset + w.bytes.length) {
        return w.bytes.subarray(offset - w.offset, offset - w.offset + length);
      }
    }
    const got = await HttpRangeSource.request(this.fetchFn, this.url, this.headers, `bytes=${offset}-${offset + length - 1}`, this.stats);
    if (got.total !== this.size) throw io(`${this.url} changed size from ${this.size} to ${got.total} bytes`);
    if (got.offset !== offset || got.bytes.length !== length) {
      throw io(`${this.url}: asked for bytes ${offset}-${offset + length - 1}, got ${got.offset}-${got.offset + got.bytes.length - 1}`);
    }
    return got.bytes;
  }
}
