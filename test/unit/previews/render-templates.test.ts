// biome-ignore-all lint/suspicious/noTemplateCurlyInString: preview placeholders are literal text in these fixtures
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { branchSlug } from '../../../shared/domain/naming.ts';
import { renderTemplates, type TemplateVars } from '../../../shared/domain/preview/render-templates.ts';
import { ValidationError } from '../../../shared/errors.ts';

const EXAMPLES = join(import.meta.dirname, '../../../examples/previews/web');
const exampleFiles = readdirSync(EXAMPLES).map((name) => ({ name, text: readFileSync(join(EXAMPLES, name), 'utf8') }));

const SHA = '0123456789abcdef0123456789abcdef01234567';
const vars = (over: Partial<TemplateVars> = {}): TemplateVars => ({
  pr: 42,
  sha: SHA,
  shortSha: SHA.slice(0, 7),
  branch: 'feature-login',
  image: `registry.example/web:${SHA}`,
  host: 'pr-42.web.preview.example.test',
  app: 'web',
  namespace: 'pr-42-web',
  ...over,
});
const labels = { 'app.kubernetes.io/managed-by': 'switchyard', 'switchyard.dev/pr': '42' };
const quota = { 'requests.cpu': '2', pods: '20' };
const render = (files: { name: string; text: string }[], v = vars()) =>
  renderTemplates({ files, vars: v, labels, quota });

describe('renderTemplates', () => {
  it('renders the example web app with quota and limits added, in apply order, all in the namespace', () => {
    const objects = render(exampleFiles);

    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ResourceQuota/preview-quota',
      'LimitRange/preview-limits',
      'ConfigMap/web-config',
      'Service/web',
      'Deployment/web',
      'Ingress/web',
    ]);
    expect(objects.every((o) => o.metadata.namespace === 'pr-42-web')).toBe(true);
    expect(objects.every((o) => o.metadata.labels?.['switchyard.dev/pr'] === '42')).toBe(true);
    const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
    };
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.spec.containers[0]?.image).toBe(`registry.example/web:${SHA}`);
    const config = objects.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
    expect(config.data).toEqual({
      PREVIEW_PR: '42',
      PREVIEW_COMMIT: SHA,
      PREVIEW_BRANCH: 'feature-login',
      PUBLIC_URL: 'https://pr-42.web.preview.example.test',
    });
    expect(objects[0]).toMatchObject({ spec: { hard: quota } });
  });

  it('keeps an injection attempt in a value as one inert string: no new keys, documents or objects', () => {
    const attack =
      'x"\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: pwn}\n';
    const objects = render(exampleFiles, vars({ branch: attack, host: 'a.test', image: '{evil: true}\n- item' }));

    expect(objects).toHaveLength(6);
    const config = objects.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, unknown> };
    expect(config.data.PREVIEW_BRANCH).toBe(attack);
    expect(Object.keys(config.data)).toHaveLength(4);
    const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { containers: { image: unknown }[] } } };
    };
    expect(deployment.spec.template.spec.containers[0]?.image).toBe('{evil: true}\n- item');
  });

  it('a real branch name goes through branchSlug before it reaches templates', () => {
    expect(branchSlug('feat/$(rm -rf)\n---\nkind: Secret')).toMatch(/^[a-z0-9-]+$/);
  });

  it('never substitutes inside keys', () => {
    const [cm] = render([
      { name: 'a.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  ${branch}: ${branch}\n' },
    ]).filter((o) => o.kind === 'ConfigMap');
    expect((cm as unknown as { data: Record<string, string> }).data).toEqual({ '${branch}': 'feature-login' });
  });

  it('keeps ResourceQuota and LimitRange brought by the templates instead of the defaults', () => {
    const objects = render([
      {
        name: 'q.yaml',
        text: 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: mine}\nspec: {hard: {pods: "3"}}\n---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: lr}\nspec: {limits: []}\n',
      },
    ]);
    expect(objects.map((o) => o.metadata.name)).toEqual(['mine', 'lr']);
  });

  it.each([
    [
      'an unknown placeholder',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "${title}"}\n',
      /unknown placeholder/,
    ],
    [
      'a cluster-scoped kind',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: x}\n',
      /not allowed/,
    ],
    ['a Namespace', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n', /not allowed/],
    [
      'another namespace',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: kube-system}\n',
      /namespace must be left out/,
    ],
    ['a missing name', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', /metadata.name is missing/],
    [
      'a name made invalid by a placeholder',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "c-${image}"}\n',
      /not a valid Kubernetes name/,
    ],
    ['invalid YAML', 'apiVersion: v1\nkind: [\n', /not valid YAML/],
    ['duplicate keys', 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: c}\n', /not valid YAML/],
    ['a List', 'apiVersion: v1\nkind: List\nmetadata: {name: l}\nitems: []\n', /not allowed/],
    [
      'an alias bomb',
      `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`,
      /alias|Excessive/i,
    ],
  ])('refuses %s', (_what, text, message) => {
    expect(() => render([{ name: 'bad.yaml', text }])).toThrow(ValidationError);
    expect(() => render([{ name: 'bad.yaml', text }])).toThrow(message);
  });

  it('refuses the same object declared twice across files', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
    expect(() =>
      render([
        { name: 'a.yaml', text: cm },
        { name: 'b.yaml', text: cm },
      ]),
    ).toThrow(/declared twice/);
  });

  it('drops status and skips empty documents', () => {
    const objects = render([
      { name: 'a.yaml', text: '---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nstatus: {x: 1}\n' },
    ]);
    expect(objects.find((o) => o.kind === 'ConfigMap')).not.toHaveProperty('status');
  });
});
