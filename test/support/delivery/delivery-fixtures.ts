import { createGitHubDeliveries } from '../../../shared/adapters/github/github-deliveries.ts';
import type { DeliveryDeps } from '../../../shared/app/delivery/read-delivery.ts';
import { parseConfig } from '../../../shared/config/parse-config.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';

export const REPO = 'acme/shop';
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Times as GitHub writes them: whole seconds, `Z`. */
export const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** One app, `shop` in acme/shop, with a staging and a production release environment. */
export const shopConfig = parseConfig(`
clusters: [{ name: main, kubeconfig: /dev/null }]
apps:
  - name: shop
    repo: ${REPO}
    image: registry.example.com/shop
    cluster: main
    environments:
      - { name: staging, branch: main, namespace: shop-staging, deployments: [{ name: web }] }
      - { name: production, branch: main, namespace: shop, production: true, deployments: [{ name: web }] }
`);

/** The production use case deps over the GitHub stand-in at `url`, with a fixed clock. */
export function deliveryDeps(url: string, now: number, token = 'test-token'): DeliveryDeps {
  return {
    apps: shopConfig.apps,
    record: createGitHubDeliveries({
      auth: { kind: 'token', token },
      baseUrl: url,
      logger: silentLogger,
      throttle: false,
      retryAfterBaseMs: 10,
    }),
    clock: { now: () => new Date(now), sleep: async () => {} },
    logger: silentLogger,
  };
}
