// What the sandbox sets up: its config, the release Deployments of the demo app, and the DNS it shifts.
import { stringify } from 'yaml';

export const REPO = 'Codertocat/Hello-World';
export const APP = 'hello';
/** The PR and head commit of the recorded payloads in events/github (from @octokit/webhooks-examples). */
export const PR = 2;
export const FIRST_SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
export const SECOND_SHA = 'fa1e6b7d9e0c2a4f6b8d0e2c4a6f8b0d2e4c6a8f';
export const MERGE_SHA = 'b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6';
export const RELEASE_NAMESPACE = 'hello-prod';
export const TRACKS = ['internal', 'free', 'paid', 'production'] as const;
export const ZONE = 'example.test';
export const SHIFT = 'www';
export const RECORD = `www.${ZONE}`;
export const LEGACY_TARGET = `legacy-lb.${ZONE}`;
export const K8S_TARGET = `k8s-ingress.${ZONE}`;
/** The legacy record's TTL before the shift: lowered to 5 s first, then waited out (kept short for the demo). */
export const LEGACY_TTL = 20;

export function sandboxConfig(opts: {
  kubeconfig: string;
  templates: string;
  zoneId: string;
  healthCheckId: string;
}): string {
  const config = {
    clusters: [{ name: 'local', kubeconfig: opts.kubeconfig }],
    apps: [
      {
        name: APP,
        repo: REPO,
        image: 'registry.example.test/hello-world',
        cluster: 'local',
        environments: [
          {
            name: 'production',
            branch: 'master',
            namespace: RELEASE_NAMESPACE,
            production: true,
            // Short bakes so the demo moves; a person passes the gate before production.
            tracks: TRACKS.map((t) => ({
              name: t,
              deployment: `${APP}-${t}`,
              containers: [APP],
              bakeMinutes: 0.05,
              manualGate: t === 'paid',
            })),
          },
        ],
        preview: {
          templates: opts.templates,
          host: 'pr-{pr}.{app}.preview.example.test',
          ttlHours: 24,
          maxPerApp: 5,
          dns: { hostedZoneId: opts.zoneId, target: `preview-ingress.${ZONE}`, ttl: 30 },
          waitSeconds: 10,
        },
      },
    ],
    shifts: [
      {
        name: SHIFT,
        hostedZoneId: opts.zoneId,
        record: RECORD,
        type: 'CNAME',
        ttl: 5,
        legacy: { values: [LEGACY_TARGET] },
        kubernetes: { values: [K8S_TARGET] },
        steps: { model: 'list', weights: [10, 25, 50, 100] },
        intervalMinutes: 0.1,
        gates: [{ healthCheckId: opts.healthCheckId, source: 'route53' }],
        inSyncDeadlineSeconds: 5,
      },
    ],
    notifications: [],
    healthCheck: { selector: 'tier=service', minReadyEndpoints: 2 },
  };
  return `# Written by npm start: the sandbox's configuration.\n${stringify(config)}`;
}

/** The demo app's four track Deployments and its Service, as already running before any release. */
export function releaseObjects(): Array<Record<string, unknown>> {
  const objects: Array<Record<string, unknown>> = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: RELEASE_NAMESPACE } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: APP, namespace: RELEASE_NAMESPACE, labels: { tier: 'service' } },
      spec: { selector: { app: APP }, ports: [{ port: 80, targetPort: 8080 }] },
    },
  ];
  for (const track of TRACKS) {
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: `${APP}-${track}`,
        namespace: RELEASE_NAMESPACE,
        labels: { app: APP, 'switchyard.dev/track': track },
      },
      spec: {
        replicas: 2,
        progressDeadlineSeconds: 60,
        selector: { matchLabels: { app: APP, 'switchyard.dev/track': track } },
        template: {
          metadata: { labels: { app: APP, 'switchyard.dev/track': track } },
          spec: {
            containers: [
              { name: APP, image: 'registry.example.test/hello-world:legacy', ports: [{ containerPort: 8080 }] },
            ],
          },
        },
      },
    });
  }
  return objects;
}
