import { describe, expect, it } from 'vitest';
import { dispatchIntents } from '../../../shared/app/dispatch-intents.ts';
import type { Intent } from '../../../shared/domain/intents.ts';
import { TransientError, ValidationError } from '../../../shared/errors.ts';
import type { LoggerPort } from '../../../shared/ports/logger.ts';

const pr: Intent = {
  kind: 'pull_request',
  deliveryId: 'd1',
  repo: 'acme/web',
  eventTime: '2026-11-22T00:00:00Z',
  action: 'opened',
  pr: 7,
  headSha: 'a'.repeat(40),
  headRef: 'feature',
  baseRef: 'main',
  headRepo: 'acme/web',
  fork: false,
  draft: false,
  merged: false,
  labels: [],
  author: 'octocat',
  title: 'x',
};
const push: Intent = {
  kind: 'push',
  deliveryId: 'd1',
  repo: 'acme/web',
  eventTime: '2026-11-22T00:00:00Z',
  branch: 'main',
  before: 'b'.repeat(40),
  after: 'c'.repeat(40),
  deleted: false,
};

function recordingLogger() {
  const lines: Array<{ level: string; message: string; extra: Record<string, unknown> | undefined }> = [];
  const at = (level: string) => (message: string, extra?: Record<string, unknown>) =>
    void lines.push({ level, message, extra });
  const logger: LoggerPort = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

describe('dispatchIntents', () => {
  it('runs every handler of an intent, logs with delivery, repo, PR and SHA, and counts unhandled kinds', async () => {
    const { logger, lines } = recordingLogger();
    const seen: string[] = [];
    const out = await dispatchIntents(
      {
        logger,
        handlers: {
          pull_request: [
            { name: 'a', run: async (i) => void seen.push(`a:${i.pr}`) },
            { name: 'b', run: async (i) => void seen.push(`b:${i.pr}`) },
          ],
        },
      },
      { deliveryId: 'd1', intents: [pr, push] },
    );
    expect(seen).toEqual(['a:7', 'b:7']);
    expect(out.handled.map((h) => h.handler)).toEqual(['a', 'b']);
    expect(out.unhandled).toEqual([{ kind: 'push', repo: 'acme/web' }]);
    expect(lines[0]).toMatchObject({
      message: 'intent received',
      extra: { deliveryId: 'd1', repo: 'acme/web', pr: 7, sha: 'a'.repeat(40) },
    });
    expect(lines.some((l) => l.level === 'warn' && l.message === 'no use case handles this intent')).toBe(true);
  });

  it('keeps going after a failing handler and says whether a retry may help', async () => {
    const { logger } = recordingLogger();
    const out = await dispatchIntents(
      {
        logger,
        handlers: {
          pull_request: [
            { name: 'flaky', run: async () => Promise.reject(new TransientError('GitHub 502')) },
            { name: 'broken', run: async () => Promise.reject(new ValidationError('bad template')) },
            { name: 'fine', run: async () => 'ok' },
          ],
        },
      },
      { deliveryId: 'd1', intents: [pr] },
    );
    expect(out.failed).toEqual([
      { kind: 'pull_request', handler: 'flaky', error: 'GitHub 502', retryable: true },
      { kind: 'pull_request', handler: 'broken', error: 'bad template', retryable: false },
    ]);
    expect(out.handled).toEqual([{ kind: 'pull_request', handler: 'fine', result: 'ok' }]);
  });

  it('refuses a malformed payload naming the bad field', async () => {
    const { logger } = recordingLogger();
    await expect(
      dispatchIntents({ logger, handlers: {} }, { deliveryId: 'd', intents: [{ ...pr, pr: -1 }] }),
    ).rejects.toThrow(/intents\[0\]\.pr/);
    await expect(dispatchIntents({ logger, handlers: {} }, null)).rejects.toThrow(ValidationError);
  });
});
