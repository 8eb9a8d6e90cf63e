/**
 * A local HTTP server with range support (RFC 9110 single ranges: `bytes=a-b`, `a-`,
 * `-n`) for the loader and browser tests. It serves files from named roots and counts
 * every request and every body byte it sends, per path, so tests can assert what a
 * client downloaded. `ranges: false` makes it ignore `Range:` as a plain server would.
 */

import { createReadStream, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

export interface ServedRequest {
  readonly path: string;
  readonly range: string | null;
  readonly status: number;
  readonly bytes: number;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".tdpr": "application/octet-stream",
};

export class RangeServer {
  readonly log: ServedRequest[] = [];
  private server: Server | null = null;
  ranges = true;

  /** `roots` maps a URL prefix (`/rec/`) to a directory. */
  constructor(private readonly roots: Record<string, string>) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Requests and body bytes sent for paths starting with `prefix`, since `since` (a log length). */
  count(prefix: string, since = 0): { requests: number; bytes: number } {
    const entries = this.log.slice(since).filter((r) => r.path.startsWith(prefix));
    return { requests: entries.length, bytes: entries.reduce((n, r) => n + r.bytes, 0) };
  }

  private resolve(path: string): string | null {
    for (const [prefix, dir] of Object.entries(this.roots)) {
      if (!path.startsWith(prefix)) continue;
      const file = normalize(join(dir, decodeURIComponent(path.slice(prefix.length))));
      if (file !== dir && !file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return null;
      return file;
    }
    return null;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const range = req.headers.range ?? null;
    const entry = { path, range, status: 0, bytes: 0 };
    this.log.push(entry);
    const reply = (status: number, headers: Record<string, string | number>, file?: string, start = 0, end = -1) => {
      entry.status = status;
      res.writeHead(status, headers);
      if (!file || end < start || req.method === "HEAD") {
        res.end();
        return;
      }
      const stream = createReadStream(file, { start, end });
      stream.on("data", (chunk) => (entry.bytes += chunk.length));
      stream.pipe(res);
      res.on("close", () => stream.destroy());
    };
    const file = this.resolve(path === "/" ? "/index.html" : path);
    let size: number;
    try {
      const st = file ? statSync(file) : null;
      if (!st?.isFile()) throw new Error("not a file");
      size = st.size;
    } catch {
      reply(404, { "Content-Type": "text/plain" });
      return;
    }
    const type = TYPES[extname(file!)] ?? "application/octet-stream";
    const common = { "Content-Type": type, "Cache-Control": "no-store" };
    if (!this.ranges || range === null) {
      reply(200, { ...common, "Content-Length": size, ...(this.ranges ? { "Accept-Ranges": "bytes" } : {}) }, file!, 0, size - 1);
      return;
    }
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    let start: number;
    let end: number;
    if (!m || (m[1] === "" && m[2] === "")) {
      reply(416, { ...common, "Content-Range": `bytes */${size}` });
      return;
    }
    if (m[1] === "") {
      start = Math.max(0, size - Number(m[2]));
      end = size - 1;
    } else {
      start = Number(m[1]);
      end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    }
    if (start >= size || end < start) {
      reply(416, { ...common, "Content-Range": `bytes */${size}` });
      return;
    }
    reply(206, { ...common, "Accept-Ranges": "bytes", "Content-Range": `bytes ${start}-${end}/${size}`, "Content-Length": end - start + 1 }, file!, start, end);
  }
}
