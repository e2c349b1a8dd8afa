/**
 * One browser-mode session for the end-to-end tests: the real server (startServer) over a case,
 * Debian's Chromium driven by playwright-core (never a downloaded browser), console and page
 * errors collected. Every e2e file uses this instead of repeating the launch options.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { startServer } from '../../src/main/server/start-server';
import type { RunningServer } from '../../src/main/server/start-server';
import type { FlowlabService } from '../../src/main/service/flowlab-service';
import { rendererDirectory } from './renderer-build';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Whether Chromium is installed. Missing: the suite is skipped with a warning naming it, or
 * fails when FLOWLAB_REQUIRE_BROWSER=1 (CI), so an e2e suite never passes silently.
 */
export function browserAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.FLOWLAB_REQUIRE_BROWSER === '1')
    throw new Error(`${CHROMIUM} is missing and FLOWLAB_REQUIRE_BROWSER=1 (${suite})`);
  console.warn(`SKIPPED ${suite}: ${CHROMIUM} not found (apt-get install chromium)`);
  return false;
}

export interface BrowserSession {
  server: RunningServer;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** Serves the built renderer over `service` and opens it in a fresh Chromium profile under `temporary`. */
export async function openBrowserSession(
  service: FlowlabService,
  temporary: string,
  viewport: { width: number; height: number } = { width: 1600, height: 950 },
): Promise<BrowserSession> {
  const server = await startServer({ service, rendererDir: await rendererDirectory(temporary) });
  const context = await chromium.launchPersistentContext(path.join(temporary, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    server,
    context,
    page,
    errors,
    async close() {
      await context.close();
      await server.close();
    },
  };
}
