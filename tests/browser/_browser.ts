// Real headless Chromium (Debian's, driven by playwright-core) against a real
// `sluice demo` process serving the web: the browser tests' shared parts.
// Without Chromium the tests skip with a printed reason, and fail under CI.
import { type Browser, chromium, type Page } from "playwright-core";
import { hasCommand, skipUnless } from "../_system.ts";
import { watchOutput } from "../_child_output.ts";
import { QUIET_CHROMIUM } from "../_chromium.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
/** Where screenshots go: beside the project's other test output, not in git. */
export const SHOT_DIR = `${ROOT}test-output/browser`;

const CHROMIUM = ["chromium", "chromium-browser", "google-chrome"].find(hasCommand);

/** `ignore` for a browser test: skip without Chromium (fail under CI). */
export const noChromium = skipUnless(CHROMIUM !== undefined, "Chromium (apt-get install chromium)");

/** A running `sluice demo`. */
export interface Demo {
  url: string;
  password: string;
  /** Its stderr and stdout so far. */
  output(): string;
  /** Waits for a line of its stdout (events, minute lines) matching `pattern`. */
  line(pattern: RegExp): Promise<string>;
}

/**
 * Starts `sluice demo` with `args` (a scenario and options) on a free port,
 * waits for its URL and admin password, runs `fn`, then stops it with SIGINT.
 */
export async function withDemo(args: string[], fn: (demo: Demo) => Promise<void>): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", "demo", ...args, "--listen", "127.0.0.1:0"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = watchOutput(child.stdout), stderr = watchOutput(child.stderr);
  try {
    const password = (await stderr.line(/shown this once: \S+/)).match(/once: (\S+)/)![1];
    const url = (await stderr.line(/web UI at http\S+/)).match(/http\S+/)![0];
    await fn({
      url,
      password,
      output: () => stderr.text() + stdout.text(),
      line: (pattern) => stdout.line(pattern),
    });
  } finally {
    child.kill("SIGINT");
    await child.status;
    await Promise.all([stdout.ended, stderr.ended]);
  }
}

/** Runs `fn` with a fresh headless Chromium; closes it after. */
export async function withBrowser(fn: (browser: Browser) => Promise<void>): Promise<void> {
  const browser = await chromium.launch({
    executablePath: Deno.env.get("CHROMIUM") ?? `/usr/bin/${CHROMIUM ?? "chromium"}`,
    // As root (CI) Chromium refuses its sandbox.
    args: [...(Deno.uid() === 0 ? ["--no-sandbox"] : []), ...QUIET_CHROMIUM],
  });
  try {
    await fn(browser);
  } finally {
    await browser.close();
  }
}

/** Signs in through the login page as `name`. */
export async function signIn(
  page: Page,
  url: string,
  name: string,
  password: string,
): Promise<void> {
  await page.goto(url);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("navigation", { name: "Sections" }).waitFor();
}

/** Saves a full-page screenshot as `name`.png and prints where. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await Deno.mkdir(SHOT_DIR, { recursive: true });
  const path = `${SHOT_DIR}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
}

/** Collects the page's console errors and uncaught exceptions. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}
