import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/traffic-shift.ts';
import { operateShift } from '../../../shared/app/traffic/operate-shift.ts';
import { seedLegacy, shiftConfig, useTrafficHarness } from '../../support/traffic/traffic-harness.ts';

const h = useTrafficHarness();

describe('trafficShift handler', () => {
  it('runs one tick over the configured shifts with the injected deps', async () => {
    const shifts = [
      shiftConfig({ name: 'www', hostedZoneId: h().zoneId }),
      shiftConfig({ name: 'api', record: 'api.example.com', hostedZoneId: h().zoneId }),
    ];
    seedLegacy(h(), shifts[0]!);
    await operateShift(h().deps, shifts[0]!, 'start');
    const handler = createHandler({ traffic: h().deps, shifts: () => shifts });
    const report = await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' });
    expect(report.results.map((r) => [r.shift, r.action, r.outcome])).toEqual([
      ['www', 'advance', 'applied'],
      ['api', 'none', 'noop'],
    ]);
  });
});
