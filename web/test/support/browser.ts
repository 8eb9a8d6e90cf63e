/**
 * Headless Debian Chromium driven by puppeteer-core, with a fresh profile each launch,
 * for the browser tests. Skipped where /usr/bin/chromium (or CHROMIUM) is missing.
 */

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";
import { skipWithout } from "./requirements.js";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const SKIP_WITHOUT_CHROMIUM = skipWithout(existsSync(CHROMIUM), `no browser at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)`);

export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "tdpr-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
