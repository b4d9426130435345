import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, TransientError, ValidationError } from '../../../shared/errors.ts';
import { InMemoryDns } from '../../../shared/ports/in-memory-dns.ts';
import { InMemoryPreviewCluster } from '../../../shared/ports/in-memory-preview-cluster.ts';
import { InMemoryScm } from '../../../shared/ports/in-memory-scm.ts';

const cm = (name: string, labels: Record<string, string> = { mine: 'yes' }) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
});

describe('the in-memory twins keep their own API rules', () => {
  it('cluster: conflicts on a taken name or a stale resourceVersion; nothing created while terminating', async () => {
    const c = new InMemoryPreviewCluster();
    const ns = await c.createNamespace('pr-1-web', { labels: {}, annotations: { a: '1' } });
    await expect(c.createNamespace('pr-1-web', { labels: {}, annotations: {} })).rejects.toBeInstanceOf(ConflictError);
    await expect(c.createNamespace('Not_A_Label', { labels: {}, annotations: {} })).rejects.toBeInstanceOf(
      ValidationError,
    );
    const updated = await c.updateNamespace('pr-1-web', ns.resourceVersion, { annotations: { a: null, b: '2' } });
    expect(updated.annotations).toEqual({ b: '2' });
    await expect(c.updateNamespace('pr-1-web', ns.resourceVersion, { annotations: {} })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await c.deleteNamespace('pr-1-web');
    await expect(c.applyObjects('pr-1-web', [cm('x')], { selector: 'mine=yes', previous: [] })).rejects.toBeInstanceOf(
      TransientError,
    );
    await expect(c.applyObjects('pr-9-web', [cm('x')], { selector: 'mine=yes', previous: [] })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('cluster: prunes only objects with the selector labels, by record or by listing', async () => {
    const c = new InMemoryPreviewCluster();
    await c.createNamespace('pr-2-web', { labels: {}, annotations: {} });
    await c.applyObjects('pr-2-web', [cm('a'), cm('b'), cm('theirs', { other: 'x' })], {
      selector: 'mine=yes',
      previous: [],
    });
    const listed = await c.applyObjects('pr-2-web', [cm('a')], { selector: 'mine=yes', previous: null });
    expect(listed.pruned).toEqual(['ConfigMap/b']);
    expect(c.objectKeys('pr-2-web')).toEqual(['v1 ConfigMap a', 'v1 ConfigMap theirs']);
    const recorded = await c.applyObjects('pr-2-web', [], {
      selector: 'mine=yes',
      previous: ['v1 ConfigMap a', 'v1 ConfigMap theirs'],
    });
    expect(recorded.pruned).toEqual(['ConfigMap/a']);
  });

  it('scm: 140-character descriptions, statuses only on deployments that exist, a commit SHA as ref', async () => {
    const s = new InMemoryScm();
    const status = { repo: 'a/b', sha: 'a'.repeat(40), context: 'c', state: 'success' as const };
    await expect(s.postCommitStatus({ ...status, description: 'x'.repeat(141) })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      s.setDeploymentStatus({ repo: 'a/b', deploymentId: 5, state: 'success', description: 'ok' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const d = { repo: 'a/b', environment: 'e', description: 'd', transient: true, production: false };
    await expect(s.createDeployment({ ...d, ref: 'main' })).rejects.toBeInstanceOf(ValidationError);
    expect(await s.findDeployment('a/b', 'a'.repeat(40), 'e')).toBeNull();
    const id = await s.createDeployment({ ...d, ref: 'a'.repeat(40) });
    expect(await s.findDeployment('a/b', 'a'.repeat(40), 'e')).toBe(id);
    // Refused requests were requests all the same (GitHub counts them too).
    expect(s.writes()).toBe(4);
  });

  it('dns: names compare without case or trailing dot; a CNAME has one value; only the owner writes', async () => {
    const dns = new InMemoryDns();
    const rec = { zoneId: 'Z', name: 'Pr-1.Example.test.', type: 'CNAME' as const, ttl: 60, values: ['lb'] };
    expect(await dns.upsertOwnedRecord(rec, 'me')).toMatchObject({ outcome: 'changed' });
    expect(await dns.upsertOwnedRecord({ ...rec, name: 'pr-1.example.test' }, 'me')).toEqual({ outcome: 'unchanged' });
    expect(await dns.upsertOwnedRecord(rec, 'other')).toMatchObject({ outcome: 'not-owned' });
    await expect(dns.upsertOwnedRecord({ ...rec, values: ['a', 'b'] }, 'me')).rejects.toBeInstanceOf(ValidationError);
    dns.seedForeign({ zoneId: 'Z', name: 'taken.example.test', type: 'CNAME', ttl: 60, values: ['x'] });
    expect(await dns.deleteOwnedRecord({ zoneId: 'Z', name: 'taken.example.test', type: 'CNAME' }, 'me')).toMatchObject(
      {
        outcome: 'not-owned',
      },
    );
    expect(await dns.deleteOwnedRecord({ zoneId: 'Z', name: 'PR-1.example.test.', type: 'CNAME' }, 'me')).toMatchObject(
      {
        outcome: 'changed',
      },
    );
  });
});
