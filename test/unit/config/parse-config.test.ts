import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/parse-config.ts';
import { ValidationError } from '../../../shared/errors.ts';

const minimal = `
clusters: [{ name: local, kubeconfig: /tmp/kubeconfig }]
apps:
  - name: web
    repo: acme/web
    image: registry.example.com/web
    cluster: local
    environments:
      - { name: staging, branch: main, namespace: web-staging, deployments: [{ name: web }] }
`;

function issuesOf(text: string): readonly string[] {
  try {
    parseConfig(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
  throw new Error('expected the config to be refused');
}

describe('parseConfig', () => {
  it('accepts the shipped example', () => {
    const config = parseConfig(readFileSync('switchyard.config.example.yml', 'utf8'));
    expect(config.apps[0]?.name).toBe('web');
    expect(config.shifts[0]?.name).toBe('web-migration');
  });

  it('fills defaults and freezes the result', () => {
    const config = parseConfig(minimal);
    expect(config.healthCheck.selector).toBe('tier=service');
    expect(config.apps[0]?.environments[0]?.autoRollback).toBe(true);
    expect(Object.isFrozen(config.apps[0])).toBe(true);
  });

  it('lists every problem with the path of the bad field', () => {
    const issues = issuesOf(`
clusters: [{ name: local, kubeconfig: /k }]
apps:
  - name: Web_App
    repo: not-a-repo
    image: x
    cluster: elsewhere
    environments:
      - { name: staging, branch: main, namespace: web, deployments: [{ name: web }] }
      - { name: prod, branch: main, namespace: "Bad NS", deployments: [{ name: web }] }
`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^apps\[0\]\.name: must be a DNS-1123 label/),
        expect.stringMatching(/^apps\[0\]\.repo: must be a GitHub repository/),
        expect.stringMatching(/^apps\[0\]\.environments\[1\]\.namespace: must be a DNS-1123 label/),
      ]),
    );
  });

  it('checks references between sections', () => {
    const issues = issuesOf(minimal.replace('cluster: local', 'cluster: other'));
    expect(issues).toContain('apps[0].cluster: no cluster named "other"');
  });

  it('refuses two shifts of one record', () => {
    const shift = (name: string, record: string) =>
      `  - { name: ${name}, hostedZoneId: Z1, record: ${record}, type: A, legacy: { values: [192.0.2.1] }, kubernetes: { values: [192.0.2.2] } }`;
    expect(
      issuesOf(`${minimal}shifts:\n${shift('a', 'www.example.com')}\n${shift('b', 'WWW.example.com.')}\n`),
    ).toEqual(['shifts[1].record: WWW.example.com. is already shifted by "a"']);
  });

  it('refuses a cluster with both or neither of kubeconfig and eks', () => {
    expect(
      issuesOf(minimal.replace('kubeconfig: /tmp/kubeconfig', 'eks: { name: a, region: b }, kubeconfig: /k')),
    ).toEqual(['clusters[0]: set exactly one of kubeconfig or eks']);
  });

  it('refuses unknown keys so typos are not silently ignored', () => {
    expect(issuesOf(minimal.replace('image:', 'imgae: x\n    image:'))).toEqual([
      expect.stringMatching(/^apps\[0\]: Unrecognized key: "imgae"/),
    ]);
  });

  it('refuses secrets written in the file instead of a reference', () => {
    const issues = issuesOf(`${minimal}
notifications:
  - { name: slack, type: slack, url: "https://hooks.slack.com/services/T/B/X" }
`);
    expect(issues[0]).toMatch(/^notifications\[0\]\.url:/);
  });

  it('reports YAML syntax errors as validation errors', () => {
    expect(() => parseConfig('clusters: [')).toThrow(/not valid YAML/);
  });
});
