import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/parse-config.ts';
import { EnvironmentSchema } from '../../../shared/config/release-schema.ts';

const base = { name: 'production', branch: 'main', namespace: 'shop' };

describe('release environment config', () => {
  it('defaults gray maxSurge to 0, autoRollback on and a history of 10', () => {
    const env = EnvironmentSchema.parse({
      ...base,
      gray: { canary: 'web-canary', stable: 'web', steps: [{ weight: 10 }] },
    });
    expect(env.gray?.maxSurge).toBe(0);
    expect(env.autoRollback).toBe(true);
    expect(env.historyLimit).toBe(10);
  });

  it('refuses a Deployment in two roles, duplicate tracks, and tracks with gray, naming the field', () => {
    const text = `
clusters: [{ name: main, kubeconfig: /tmp/k }]
apps:
  - name: shop
    repo: acme/shop
    image: registry.example.com/shop
    cluster: main
    environments:
      - name: production
        branch: main
        namespace: shop
        deployments: [{ name: web }]
        tracks:
          - { name: internal, deployment: web }
          - { name: internal, deployment: web-free }
        gray: { canary: web-canary, stable: web-canary, steps: [{ weight: 10 }] }
`;
    expect(() => parseConfig(text)).toThrow(
      [
        'switchyard.config.yml is invalid:',
        '  - apps[0].environments[0].gray: declare tracks or gray, not both',
        '  - apps[0].environments[0].tracks[0].deployment: Deployment "web" is already used by deployments.0.name',
        '  - apps[0].environments[0].tracks[1].name: duplicate track "internal"',
        '  - apps[0].environments[0].gray.stable: Deployment "web-canary" is already used by gray.canary',
      ].join('\n'),
    );
  });
});
