import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, usage } from '../../../cli/commands.ts';
import { renderStatusText } from '../../../cli/render.ts';
import { renderDoraText } from '../../../cli/render-dora.ts';
import { computeDora } from '../../../shared/domain/delivery/dora-metrics.ts';
import { at, deployment, T0 } from '../delivery/fixtures.ts';

describe('switchyard dora', () => {
  it('maps its options onto the dora operation', () => {
    expect(parseCommandLine(['dora', '--app', 'shop', '--env', 'production', '--since', '7d', '--json'])).toEqual({
      command: 'dora',
      args: { app: 'shop', environment: 'production', since: '7d' },
      dryRun: false,
      json: true,
      watch: false,
    });
    expect(parseCommandLine(['dora']).args).toEqual({});
    expect(usage()).toContain('switchyard dora');
  });

  it('refuses what it does not know', () => {
    expect(() => parseCommandLine(['dora', 'shop'])).toThrow(UsageError);
    expect(() => parseCommandLine(['dora', '--track', 'x'])).toThrow(/unknown option --track/);
    expect(() => parseCommandLine(['dora', '--since'])).toThrow(/--since needs a value/);
  });

  it('prints one line per environment with the four metrics', () => {
    const metrics = computeDora(
      [
        deployment('a1', at(1), [['success', at(1, 1)]], { commitAt: at(0, 22) }),
        deployment('b2', at(2), [['failure', at(2, 1)]]),
        deployment('c3', at(3), [['success', at(3, 1)]], { commitAt: at(2, 23) }),
      ],
      { since: new Date(T0), until: new Date(T0 + 10 * 86_400_000) },
    );
    const text = renderDoraText({
      since: metrics.since,
      until: metrics.until,
      reports: [
        { app: 'shop', environment: 'production', githubEnvironment: 'shop/production', production: true, metrics },
      ],
    });
    const [head, header, row] = text.split('\n');
    expect(head).toBe('DORA metrics from 2026-11-01 to 2026-11-11 (GitHub deployments)');
    expect(header).toMatch(/^ENVIRONMENT\s+DEPLOYMENT FREQUENCY\s+LEAD TIME\s+CHANGE FAILURE RATE\s+TIME TO RESTORE$/);
    expect(row).toMatch(/^shop\/production\s+0\.2\/day \(2 in 10 days\)\s+2h 30m \(median of 2, p90 3h\)/);
    expect(row).toContain('33.3% (1 of 3, 0 rollbacks)');
    expect(row).toContain('1d (median of 1)');
  });

  it('adds a Delivery line per environment to switchyard status', () => {
    const metrics = computeDora([deployment('a1', at(1), [['success', at(1, 1)]])], {
      since: new Date(T0),
      until: new Date(T0 + 10 * 86_400_000),
    });
    const text = renderStatusText({
      generatedAt: at(10),
      previews: [],
      releases: [],
      shifts: [],
      health: [],
      delivery: [{ app: 'shop', environment: 'production', metrics }],
      errors: [],
    });
    expect(text).toContain(
      'shop/production: deployment frequency 0.1/day, lead time for changes -, change failure rate 0%, time to restore -',
    );
  });
});
