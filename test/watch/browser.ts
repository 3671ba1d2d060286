import { access } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium, which playwright-core drives (no browser download). */
export const CHROMIUM = '/usr/bin/chromium';

/** Launches headless chromium; throws, saying how to install it, when it is missing: the tests fail rather than skip. */
export async function launchChromium(): Promise<Browser> {
  try {
    await access(CHROMIUM);
  } catch {
    throw new Error(`chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does so)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Resolves to the first line a child process prints on stdout (its URL). */
export function firstLine(output: () => string, exited: Promise<unknown>, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const text = output();
      const end = text.indexOf('\n');
      if (end >= 0) {
        clearInterval(timer);
        resolve(text.slice(0, end));
      }
    }, 10);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`${what} exited before printing its URL`));
    });
  });
}
