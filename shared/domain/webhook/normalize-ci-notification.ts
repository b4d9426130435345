import * as z from 'zod/mini';
import '../../config/zod.ts';
import { ValidationError } from '../../errors.ts';
import { imageAllowed } from '../ci/image-repository.ts';
import type { CiResultIntent } from '../intents.ts';
import { sameRepo } from '../naming.ts';
import type { Normalized } from './normalize-github-event.ts';

/** `POST /ci/notify` body: a public contract, documented in the README and docs/releases.md. */
export const CiNotificationSchema = z.strictObject({
  repo: z.string().check(z.regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'must be a GitHub repository as owner/name')),
  sha: z.string().check(z.regex(/^[0-9a-f]{40}$/, 'must be a full 40-character lowercase commit SHA')),
  branch: z.string().check(z.minLength(1)),
  image: z.string().check(z.minLength(1), z.maxLength(512)),
  result: z.enum(['success', 'failure']),
  pr: z.optional(z.int().check(z.positive())),
  // Shown as a link on GitHub and in logs: only web addresses, never javascript: or data:.
  url: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http or https URL' })),
});
export type CiNotification = z.infer<typeof CiNotificationSchema>;

/** What the ingress knows of the configured apps: repository, image repository and the allowed others. */
export interface CiNotificationApp {
  repo: string;
  image: string;
  imageRepositories: readonly string[];
}

/**
 * A verified CI notification -> a ci_result intent. The image must come from the image repository of an
 * app of that repository (or one of its `imageRepositories`): CI may not name any image it likes.
 */
export function normalizeCiNotification(
  body: unknown,
  ctx: { deliveryId: string; eventTime: string; apps: readonly CiNotificationApp[] },
): Normalized {
  const parsed = CiNotificationSchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(
      'the CI notification is malformed',
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const n = parsed.data;
  const apps = ctx.apps.filter((a) => sameRepo(a.repo, n.repo));
  const app = apps[0];
  if (!app) return { ignored: `repository ${n.repo} is not configured for any app` };
  const allowed = apps.flatMap((a) => [a.image, ...a.imageRepositories]);
  if (!imageAllowed(n.image, allowed)) {
    throw new ValidationError('the CI notification names an image switchyard may not deploy', [
      `image: ${n.image} is not in ${allowed.join(', ')} (set imageRepositories on the app to allow another)`,
    ]);
  }
  const intent: CiResultIntent = {
    kind: 'ci_result',
    deliveryId: ctx.deliveryId,
    repo: app.repo,
    eventTime: ctx.eventTime,
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
