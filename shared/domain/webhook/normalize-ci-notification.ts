import * as z from 'zod/mini';
import '../../config/zod.ts';
import { ValidationError } from '../../errors.ts';
import type { CiResultIntent } from '../intents.ts';
import { hasRepo } from '../naming.ts';
import type { Normalized } from './normalize-github-event.ts';

/** `POST /ci/notify` body: a public contract, documented in the README. */
export const CiNotificationSchema = z.strictObject({
  repo: z.string().check(z.regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'must be a GitHub repository as owner/name')),
  sha: z.string().check(z.regex(/^[0-9a-f]{40}$/, 'must be a full 40-character lowercase commit SHA')),
  branch: z.string().check(z.minLength(1)),
  image: z.string().check(z.minLength(1), z.maxLength(512)),
  result: z.enum(['success', 'failure']),
  pr: z.optional(z.int().check(z.positive())),
  url: z.optional(z.url()),
});
export type CiNotification = z.infer<typeof CiNotificationSchema>;

export function normalizeCiNotification(
  body: unknown,
  ctx: { deliveryId: string; receivedAt: string; repos: ReadonlySet<string> },
): Normalized {
  const parsed = CiNotificationSchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(
      'the CI notification is malformed',
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const n = parsed.data;
  if (!hasRepo(ctx.repos, n.repo)) return { ignored: `repository ${n.repo} is not configured for any app` };
  const intent: CiResultIntent = {
    kind: 'ci_result',
    deliveryId: ctx.deliveryId,
    repo: n.repo,
    eventTime: ctx.receivedAt,
    sha: n.sha,
    branch: n.branch,
    result: n.result,
    source: 'ci_notification',
    image: n.image,
    prs: n.pr === undefined ? [] : [n.pr],
    url: n.url ?? null,
    name: 'ci',
  };
  return { intents: [intent] };
}
