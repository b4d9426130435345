// Plain-words narration for the sandbox: numbered steps, waits with an elapsed-time spinner on a TTY
// (one line per state change otherwise), and a clear failure with what was being waited for.

const tty = process.stdout.isTTY === true;
const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[0m` : s);
const bold = (s: string) => (tty ? `\x1b[1m${s}\x1b[0m` : s);
const green = (s: string) => (tty ? `\x1b[32m${s}\x1b[0m` : s);
const red = (s: string) => (tty ? `\x1b[31m${s}\x1b[0m` : s);

let stepNo = 0;
let stepTotal = 0;

export function plan(total: number): void {
  stepNo = 0;
  stepTotal = total;
}

export function step(text: string): void {
  stepNo++;
  console.log(`\n${bold(`[${stepNo}/${stepTotal}]`)} ${text}`);
}

export function say(text: string): void {
  console.log(`      ${text}`);
}

export function ok(text: string): void {
  console.log(`      ${green('✓')} ${text}`);
}

export function warn(text: string): void {
  console.log(`      ${red('!')} ${text}`);
}

export function heading(text: string): void {
  console.log(`\n${bold(text)}`);
}

export function note(text: string): void {
  console.log(dim(text));
}

/**
 * Polls `probe` until it returns a value (not undefined), showing what it waits for and the progress
 * text the probe reports. Throws after `timeoutMs` naming the wait.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | { progress: string }>,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const start = Date.now();
  const timeout = opts.timeoutMs ?? 120_000;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  let lastProgress = '';
  for (;;) {
    let result: T | undefined | { progress: string };
    try {
      result = await probe();
    } catch (error) {
      result = { progress: `(${(error as Error).message})` };
    }
    const progress =
      result && typeof result === 'object' && 'progress' in (result as object)
        ? (result as { progress: string }).progress
        : '';
    if (result !== undefined && !progress) {
      if (tty) process.stdout.write('\r\x1b[K');
      return result as T;
    }
    const elapsed = Math.round((Date.now() - start) / 1000);
    if (elapsed * 1000 > timeout) {
      if (tty) process.stdout.write('\r\x1b[K');
      throw new Error(`timed out after ${elapsed}s waiting for ${what}${progress ? ` (last: ${progress})` : ''}`);
    }
    if (tty) {
      process.stdout.write(
        `\r\x1b[K      ${frames[frame++ % frames.length]} ${what} ${dim(`${elapsed}s${progress ? ` · ${progress}` : ''}`)}`,
      );
    } else if (progress !== lastProgress) {
      console.log(`      … ${what}${progress ? `: ${progress}` : ''}`);
    }
    lastProgress = progress;
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
  }
}
