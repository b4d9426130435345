import { describe, expect, it } from 'vitest';
import { PreviewSchema } from '../../../shared/config/preview-schema.ts';
import { renderTemplates } from '../../../shared/domain/preview/render-templates.ts';
import { DEFAULT_PREVIEW_KINDS } from '../../../shared/domain/preview/template-policy.ts';
import { ValidationError } from '../../../shared/errors.ts';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const render = (text: string, allowedKinds?: { apiVersion: string; kind: string }[]) =>
  renderTemplates({
    files: [{ name: 'bad.yaml', text }],
    vars: {
      pr: 1,
      sha: SHA,
      shortSha: SHA.slice(0, 7),
      branch: 'b',
      image: 'img',
      host: 'pr-1.web.example.test',
      app: 'web',
      namespace: 'pr-1-web',
    },
    labels: {},
    quota: {},
    allowedKinds,
  });

const deployment = (podSpec: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n${podSpec
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n`;

describe('preview template policy', () => {
  it.each([
    ['lowercase clusterrole', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: clusterrole\nmetadata: {name: x}\n'],
    ['a Role', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: x}\n'],
    ['a RoleBinding', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: x}\n'],
    ['a CRD kind named Role', 'apiVersion: evil.example/v1\nkind: Role\nmetadata: {name: x}\n'],
    ['a DaemonSet', 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\n'],
  ])('refuses %s whatever the configuration', (_what, text) => {
    expect(() => render(text, [...DEFAULT_PREVIEW_KINDS, { apiVersion: 'evil.example/v1', kind: 'Role' }])).toThrow(
      /not allowed in preview templates, whatever the configuration/,
    );
  });

  it.each([
    ['a kind outside the set', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n'],
    ['a known kind in another group', 'apiVersion: evil.example/v1\nkind: Deployment\nmetadata: {name: x}\n'],
    ['a kind in the wrong case', 'apiVersion: v1\nkind: configmap\nmetadata: {name: x}\n'],
    [
      'an older apiVersion than the allowed one',
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: x}\n',
    ],
  ])('refuses %s (exact match on apiVersion and kind)', (_what, text) => {
    expect(() => render(text)).toThrow(ValidationError);
    expect(() => render(text)).toThrow(/is not an allowed kind for preview templates/);
  });

  it('accepts a kind the configuration adds, and refuses a default one it leaves out', () => {
    const monitor = 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m}\n';
    expect(() => render(monitor)).toThrow(/not an allowed kind/);
    const kinds = [{ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' }];
    expect(render(monitor, [...kinds, ...DEFAULT_PREVIEW_KINDS]).map((o) => o.kind)).toContain('ServiceMonitor');
    expect(() => render('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', kinds)).toThrow(
      /not an allowed kind/,
    );
  });

  it.each([
    ['hostNetwork', 'hostNetwork: true\ncontainers: [{name: c, image: i}]', /host's namespaces/],
    ['hostPID', 'hostPID: true\ncontainers: [{name: c, image: i}]', /host's namespaces/],
    ['hostIPC', 'hostIPC: true\ncontainers: [{name: c, image: i}]', /host's namespaces/],
    [
      'a hostPath volume',
      'volumes: [{name: root, hostPath: {path: /}}]\ncontainers: [{name: c, image: i}]',
      /hostPath/,
    ],
    ['a privileged container', 'containers: [{name: c, image: i, securityContext: {privileged: true}}]', /privileged/],
    [
      'a privileged init container',
      'initContainers: [{name: c, image: i, securityContext: {privileged: true}}]\ncontainers: [{name: c, image: i}]',
      /privileged/,
    ],
    ['a host port', 'containers: [{name: c, image: i, ports: [{containerPort: 80, hostPort: 80}]}]', /host ports/],
  ])('refuses a Deployment with %s', (_what, spec, message) => {
    expect(() => render(deployment(spec))).toThrow(ValidationError);
    expect(() => render(deployment(spec))).toThrow(message);
  });

  it('refuses a CronJob whose job template mounts a host path', () => {
    const cron =
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          volumes: [{name: r, hostPath: {path: /}}]\n          containers: [{name: c, image: i}]\n';
    expect(() => render(cron)).toThrow(/hostPath/);
  });

  it('refuses a service account token Secret, and accepts an Opaque one', () => {
    const token =
      'apiVersion: v1\nkind: Secret\nmetadata: {name: t, annotations: {kubernetes.io/service-account.name: default}}\ntype: kubernetes.io/service-account-token\n';
    expect(() => render(token)).toThrow(/service-account-token are not allowed/);
    expect(render('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: Opaque\n').map((o) => o.kind)).toContain(
      'Secret',
    );
  });

  it('refuses to configure a kind that can never be allowed', () => {
    const parsed = PreviewSchema.safeParse({
      templates: 't',
      host: 'pr-{pr}.example.test',
      allowedKinds: [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' }],
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('RoleBinding is not allowed in preview templates');
  });
});
