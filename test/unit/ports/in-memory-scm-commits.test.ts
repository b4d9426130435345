import { describe, expect, it } from 'vitest';
import { InMemoryScm } from '../../../shared/ports/in-memory-scm.ts';

const sha = (c: string) => c.repeat(40);

describe('InMemoryScm commit reads', () => {
  const scm = new InMemoryScm();
  scm.branches.set('acme/web#main', [sha('a'), sha('b'), sha('c')]);
  scm.branches.set('acme/web#feature', [sha('a'), sha('d')]);

  it('compares as GitHub does: head relative to base, a branch name standing for its head', async () => {
    expect(await scm.compareCommits('acme/web', sha('a'), sha('c'))).toBe('ahead');
    expect(await scm.compareCommits('acme/web', 'main', sha('b'))).toBe('behind');
    expect(await scm.compareCommits('ACME/Web', 'main', sha('c'))).toBe('identical');
    expect(await scm.compareCommits('acme/web', 'main', sha('d'))).toBe('diverged');
    expect(await scm.compareCommits('acme/web', 'main', sha('e'))).toBeNull();
    expect(await scm.compareCommits('other/repo', 'main', sha('c'))).toBeNull();
  });

  it('answers the checks and required checks it was given, and none otherwise', async () => {
    scm.requiredChecks.set('acme/web#main', ['build']);
    scm.commitChecks.set(`acme/web@${sha('c')}`, {
      checkRuns: [{ name: 'build', status: 'completed', conclusion: 'success' }],
      statuses: [],
    } as never);
    expect(await scm.getRequiredChecks('acme/web', 'main')).toEqual(['build']);
    expect(await scm.getRequiredChecks('acme/web', 'feature')).toEqual([]);
    expect((await scm.getCommitChecks('acme/web', sha('c'))).checkRuns).toHaveLength(1);
    expect(await scm.getCommitChecks('acme/web', sha('b'))).toEqual({ checkRuns: [], statuses: [] });
  });
});
