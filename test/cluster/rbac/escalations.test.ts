import { CoreV1Api, type KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createReleaseCluster } from '../../../shared/adapters/k8s/release-cluster.ts';
import {
  ENVIRONMENT_OPT_IN_LABEL,
  healthStateName,
  POD_SECURITY_ENFORCE_LABEL,
  previewNamespace,
  SWITCHYARD_NAMESPACE,
} from '../../../shared/domain/naming.ts';
import { previewLabels } from '../../../shared/domain/preview/preview-record.ts';
import { switchyardIdentities } from '../../support/cluster/client-cert-identity.ts';
import { installSwitchyard, waitForPolicies } from '../../support/cluster/install-switchyard.ts';
import { byPolicy, byRbac, refused, writes } from '../../support/cluster/refusals.ts';
import { testKubeConfig, testNamespaces } from '../../support/cluster/test-namespace.ts';
import { createDeployments } from '../../support/releases/cluster-fixtures.ts';

// deploy/kubernetes on a real API server, as switchyard's real identities (client certificates in the
// groups switchyard:writer and switchyard:reader): every escalation the issue lists, and more, is
// refused by the API server, each by the policy (or RBAC rule) meant to refuse it. A policy removed from
// deploy/kubernetes makes its tests fail: RBAC alone would allow those requests.
const admin = testKubeConfig();
const namespaces = testNamespaces(admin);
const core = admin.makeApiClient(CoreV1Api);
let writer: KubeConfig;
let reader: KubeConfig;
let victim: string;
let environment: string;
let preview: string;

const NS_POLICY = byPolicy('switchyard-writer-namespaces');
const SCOPE = byPolicy('switchyard-writer-scope');
const WORKLOADS = byPolicy('switchyard-writer-workloads');

const ns = (name: string, labels?: Record<string, string | null>) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, ...(labels ? { labels } : {}) },
});
const deployment = (namespace: string, name: string, podSpec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: podSpec },
  },
});
const plainPod = { containers: [{ name: 'app', image: 'registry.example.com/app:v1' }] };

beforeAll(async () => {
  await installSwitchyard(admin, ['secrets']);
  ({ writer, reader } = switchyardIdentities(inject('kubeconfig')));
  [victim, environment] = await Promise.all([
    namespaces.create('victim', { [POD_SECURITY_ENFORCE_LABEL]: 'restricted' }),
    namespaces.create('env', { [ENVIRONMENT_OPT_IN_LABEL]: 'true' }),
  ]);
  await createDeployments(admin, environment, [{ name: 'web', replicas: 1 }]);
  await core.createNamespacedServiceAccount({ namespace: environment, body: { metadata: { name: 'power' } } });
  await core.createNamespacedServiceAccount({ namespace: victim, body: { metadata: { name: 'admin-sa' } } });
  await admin.makeApiClient(RbacAuthorizationV1Api).createClusterRoleBinding({
    body: {
      metadata: { name: `${victim}-admin-sa` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'admin-sa', namespace: victim }],
    },
  });
  await core.createNamespacedService({
    namespace: victim,
    body: { metadata: { name: 'other-team' }, spec: { selector: { app: 'theirs' }, ports: [{ port: 80 }] } },
  });
  // The writer makes its own preview namespace, as a preview does.
  preview = previewNamespace(`esc-${victim.slice(-6)}`, 9);
  await writes(writer).create(ns(preview, previewLabels('esc', 9, 'acme/esc')));
  await waitForPolicies(writer, preview, { secrets: true });
});
afterAll(async () => {
  await admin
    .makeApiClient(RbacAuthorizationV1Api)
    .deleteClusterRoleBinding({ name: `${victim}-admin-sa` })
    .catch(() => undefined);
  await core.deleteNamespace({ name: preview }).catch(() => undefined);
  await namespaces.cleanup();
});

describe('the writer cannot take over namespaces it does not own', () => {
  it('cannot remove or weaken the pod-security label of a namespace switchyard does not manage', async () => {
    const w = writes(writer);
    await refused(() => w.mergePatch(ns(victim, { [POD_SECURITY_ENFORCE_LABEL]: null })), NS_POLICY);
    await refused(() => w.mergePatch(ns(victim, { [POD_SECURITY_ENFORCE_LABEL]: 'privileged' })), NS_POLICY);
    const stored = await core.readNamespace({ name: victim });
    expect(stored.metadata?.labels?.[POD_SECURITY_ENFORCE_LABEL]).toBe('restricted');
  });

  it('cannot adopt a namespace by labelling it as a preview, nor opt one in', async () => {
    const w = writes(writer);
    await refused(() => w.mergePatch(ns(victim, previewLabels('esc', 1, 'acme/esc'))), NS_POLICY);
    await refused(() => w.mergePatch(ns(victim, { [ENVIRONMENT_OPT_IN_LABEL]: 'true' })), NS_POLICY);
    await refused(() => w.mergePatch(ns('kube-system', previewLabels('esc', 1, 'acme/esc'))), NS_POLICY);
  });

  it('cannot delete a namespace switchyard did not create (dry run), opted in or not', async () => {
    const dry = writes(writer, true);
    await refused(() => dry.delete(ns(victim)), NS_POLICY);
    await refused(() => dry.delete(ns(environment)), NS_POLICY);
    // kube-system, kube-public and default the API server never deletes for anyone (NamespaceLifecycle).
  });

  it('creates only preview namespaces named pr-*, enforcing restricted or baseline, never opted in', async () => {
    const dry = writes(writer, true);
    const labels = previewLabels('esc', 2, 'acme/esc');
    await refused(() => dry.create(ns('pr-2-plain')), NS_POLICY);
    await refused(
      () => dry.create(ns('pr-2-priv', { ...labels, [POD_SECURITY_ENFORCE_LABEL]: 'privileged' })),
      NS_POLICY,
    );
    const { [POD_SECURITY_ENFORCE_LABEL]: _level, ...withoutLevel } = labels;
    await refused(() => dry.create(ns('pr-2-nopsa', withoutLevel)), NS_POLICY);
    await refused(
      () => dry.create(ns('pr-2-pinned', { ...labels, 'pod-security.kubernetes.io/enforce-version': 'v1.0' })),
      NS_POLICY,
    );
    await refused(() => dry.create(ns('pr-2-optin', { ...labels, [ENVIRONMENT_OPT_IN_LABEL]: 'true' })), NS_POLICY);
    await refused(() => dry.create(ns('team-payments', labels)), NS_POLICY);
    // The baseline level (preview.podSecurity: baseline) is allowed.
    await dry.create(ns('pr-2-baseline', previewLabels('esc', 2, 'acme/esc', 'baseline')));
  });

  it('cannot lower the pod-security level of its own preview namespace, nor unmark it', async () => {
    const w = writes(writer);
    for (const level of ['baseline', 'privileged', null]) {
      await refused(() => w.mergePatch(ns(preview, { [POD_SECURITY_ENFORCE_LABEL]: level })), NS_POLICY);
    }
    await refused(() => w.mergePatch(ns(preview, { 'pod-security.kubernetes.io/enforce-version': 'v1.0' })), NS_POLICY);
    await refused(() => w.mergePatch(ns(preview, { 'switchyard.dev/kind': null })), NS_POLICY);
    // Its own annotations (the preview's state) it may change.
    await w.mergePatch({ ...ns(preview), metadata: { name: preview, annotations: { 'switchyard.dev/x': '1' } } });
  });
});

describe('the writer writes only in preview and opted-in namespaces', () => {
  it('cannot create a privileged Deployment (hostPath /, hostPID, hostNetwork, cluster-admin ServiceAccount) elsewhere', async () => {
    const privileged = {
      hostPID: true,
      hostNetwork: true,
      serviceAccountName: 'admin-sa',
      volumes: [{ name: 'root', hostPath: { path: '/' } }],
      containers: [{ name: 'x', image: 'busybox', securityContext: { privileged: true } }],
    };
    await refused(() => writes(writer).create(deployment(victim, 'pwn', privileged)), SCOPE);
    await refused(() => writes(writer).create(deployment('kube-system', 'pwn', plainPod)), SCOPE);
  });

  it('cannot write kube-system/aws-auth (dry run), nor any ConfigMap outside its namespaces', async () => {
    const dry = writes(writer, true);
    const awsAuth = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' } };
    await refused(
      () => dry.create({ ...awsAuth, data: { mapRoles: '- rolearn: x\n  groups: [system:masters]\n' } }),
      SCOPE,
    );
    await refused(() => dry.apply({ ...awsAuth, data: { mapRoles: '' } }), SCOPE);
    await refused(
      () =>
        dry.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: SWITCHYARD_NAMESPACE } }),
      SCOPE,
    );
  });

  it("cannot rewrite another team's Service", async () => {
    const patch = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'other-team', namespace: victim } };
    await refused(() => writes(writer).mergePatch({ ...patch, spec: { selector: { app: 'mine' } } }), SCOPE);
    // Refused twice over (outside its namespaces, and externalIPs): the API server names one policy.
    await refused(
      () => writes(writer).mergePatch({ ...patch, spec: { externalIPs: ['192.0.2.10'] } }),
      /ValidatingAdmissionPolicy 'switchyard-writer-(scope|services)'/,
    );
  });

  it('in an opted-in environment namespace, only updates the images (and scale) of existing Deployments', async () => {
    const w = writes(writer);
    const web = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: environment } };
    await refused(() => w.create(deployment(environment, 'extra', plainPod)), SCOPE);
    await refused(() => writes(writer, true).delete(web), SCOPE);
    await refused(
      () => w.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: environment } }),
      SCOPE,
    );
    const template = (spec: Record<string, unknown>) => ({ ...web, spec: { template: { spec } } });
    await refused(() => w.mergePatch(template({ serviceAccountName: 'power' })), WORKLOADS);
    await refused(() => w.mergePatch(template({ hostNetwork: true })), WORKLOADS);
    await refused(() => w.mergePatch(template({ volumes: [{ name: 'root', hostPath: { path: '/' } }] })), WORKLOADS);
    await refused(
      () =>
        w.apply({
          ...web,
          spec: {
            template: { spec: { containers: [{ name: 'web', image: 'x', command: ['sh', '-c', 'curl evil'] }] } },
          },
        }),
      WORKLOADS,
    );
    // What a release does is allowed: the image by server-side apply, the replica count by the scale.
    const release = createReleaseCluster(writer);
    const current = (await release.getDeployments(environment, ['web'])).get('web');
    const updated = await release.applyChange({
      namespace: environment,
      name: 'web',
      resourceVersion: current!.resourceVersion,
      apply: { images: { web: 'registry.example.com/shop/web:v2' }, annotations: { 'switchyard.dev/release': 'r2' } },
    });
    expect(updated.containers.find((c) => c.name === 'web')?.image).toBe('registry.example.com/shop/web:v2');
    const scaled = await release.applyChange({
      namespace: environment,
      name: 'web',
      resourceVersion: updated.resourceVersion,
      replicas: 2,
    });
    expect(scaled.replicas).toBe(2);
  });
});

describe('in its own preview namespaces, the writer cannot reach the node or the cluster', () => {
  it.each([
    ['a hostPath volume', { volumes: [{ name: 'root', hostPath: { path: '/' } }], ...plainPod }],
    ['the host network', { hostNetwork: true, ...plainPod }],
    ['the host PID namespace', { hostPID: true, ...plainPod }],
    ['a privileged container', { containers: [{ name: 'x', image: 'i', securityContext: { privileged: true } }] }],
    [
      'an added capability',
      { containers: [{ name: 'x', image: 'i', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }] },
    ],
    ['a host port', { containers: [{ name: 'x', image: 'i', ports: [{ containerPort: 80, hostPort: 80 }] }] }],
  ])('refuses a Deployment with %s', async (_what, spec) => {
    await refused(() => writes(writer).create(deployment(preview, 'bad', spec)), WORKLOADS);
  });

  it('refuses a service account token Secret, and cannot read Secrets anywhere', async () => {
    await refused(
      () =>
        writes(writer).create({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: 'tok',
            namespace: preview,
            annotations: { 'kubernetes.io/service-account.name': 'default' },
          },
          type: 'kubernetes.io/service-account-token',
        }),
      byPolicy('switchyard-writer-secrets'),
    );
    const secrets = writer.makeApiClient(CoreV1Api);
    await refused(() => secrets.listNamespacedSecret({ namespace: 'kube-system' }), byRbac);
    await refused(() => secrets.listNamespacedSecret({ namespace: preview }), byRbac);
    // Writing an ordinary Secret into its preview is what the opt-in rule is for.
    await writes(writer).apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'app-config', namespace: preview },
      stringData: { KEY: 'value' },
    });
  });

  it('refuses a Service with externalIPs', async () => {
    await refused(
      () =>
        writes(writer).create({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'grab', namespace: preview },
          spec: { ports: [{ port: 80 }], externalIPs: ['192.0.2.1'] },
        }),
      byPolicy('switchyard-writer-services'),
    );
  });

  it('cannot grant itself anything (RBAC)', async () => {
    const w = writes(writer);
    await refused(
      () =>
        w.create({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: `${preview}-escalate` },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: [{ kind: 'Group', name: 'switchyard:writer' }],
        }),
      byRbac,
    );
    await refused(
      () =>
        w.create({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'escalate', namespace: preview },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
          subjects: [{ kind: 'Group', name: 'switchyard:writer' }],
        }),
      byRbac,
    );
    await refused(
      () => w.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: preview }, spec: plainPod }),
      byRbac,
    );
  });
});

describe('the reader only reads (and keeps the health alert state in switchyard-system)', () => {
  it("cannot patch any Service: neither another team's selector nor externalIPs", async () => {
    const r = writes(reader);
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'other-team', namespace: victim } };
    await refused(() => r.mergePatch({ ...svc, spec: { selector: { app: 'mine' } } }), byRbac);
    await refused(() => r.mergePatch({ ...svc, spec: { externalIPs: ['192.0.2.10'] } }), byRbac);
    await refused(() => r.mergePatch({ ...svc, metadata: { ...svc.metadata, annotations: { x: 'y' } } }), byRbac);
  });

  it('cannot write anything but ConfigMaps in switchyard-system, nor read Secrets', async () => {
    const r = writes(reader, true);
    await refused(
      () => r.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: victim } }),
      byRbac,
    );
    await refused(() => r.delete(ns(victim)), byRbac);
    await refused(() => r.create(deployment(victim, 'x', plainPod)), byRbac);
    await refused(
      () => reader.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: SWITCHYARD_NAMESPACE }),
      byRbac,
    );
    await refused(
      () => r.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: SWITCHYARD_NAMESPACE } }),
      byRbac,
    );
    await r.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: healthStateName(victim, 'other-team'), namespace: SWITCHYARD_NAMESPACE },
    });
  });
});
