/**
 * `tdpr play` or `tdpr serve` run by the reference binary, for the browser tests that
 * load the player from the command line's own server: the URL it prints, and a way
 * to stop it.
 */

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { TDPR_BIN } from "./reference.js";

export interface TdprServer {
  /** The URL the command printed. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  stop(): Promise<void>;
}

/** Runs `tdpr ARGS...` and waits for the URL it prints on its first line. */
export async function startTdprServer(args: string[]): Promise<TdprServer> {
  const child = spawn(TDPR_BIN, args, { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`tdpr ${args.join(" ")} exited with ${code} before printing a URL`)));
  });
  lines.close();
  return {
    url,
    origin: new URL(url).origin,
    stop: async () => {
      child.kill();
      await exited;
    },
  };
}
