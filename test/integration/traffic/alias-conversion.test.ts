import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operateShift } from '../../../shared/app/traffic/operate-shift.ts';
import { readShiftStatuses } from '../../../shared/app/traffic/read-shift-status.ts';
import { tickShifts } from '../../../shared/app/traffic/tick-shifts.ts';
import { shiftConfig, startTrafficHarness, type TrafficHarness } from '../../support/traffic/traffic-harness.ts';

let h: TrafficHarness;
beforeEach(async () => {
  h = await startTrafficHarness();
});
afterEach(async () => {
  await h.close();
});

const ELB_ZONE = 'Z35SXDOTRQ7X7K';

describe('legacy CNAME to weighted alias A records', () => {
  it('deletes the CNAME in the batch that creates both alias members (a CNAME owns its name)', async () => {
    // The Elastic Beanstalk story: the name was a CNAME to the legacy environment, with a long TTL.
    h.server.control.seed(h.zoneId, [
      {
        action: 'CREATE',
        record: {
          name: 'www.example.com',
          type: 'CNAME',
          ttl: 900,
          values: ['legacy-env.eu-west-1.elasticbeanstalk.com'],
        },
      },
    ]);
    const shift = shiftConfig({
      hostedZoneId: h.zoneId,
      type: 'A',
      legacy: { alias: { hostedZoneId: ELB_ZONE, dnsName: 'awseb-legacy-1.eu-west-1.elb.amazonaws.com' } },
      kubernetes: { alias: { hostedZoneId: ELB_ZONE, dnsName: 'k8s-ingress-2.eu-west-1.elb.amazonaws.com' } },
      steps: { model: 'list', weights: [10, 100] },
    });
    await operateShift(h.deps, shift, 'start');
    // The CNAME's TTL (900 s) is lowered first and waited out.
    expect(h.server.control.records(h.zoneId).find((r) => r.type === 'CNAME')?.ttl).toBe(60);
    h.clock.advanceMinutes(14);
    expect((await tickShifts(h.deps, [shift])).results[0]!.action).toBe('none');
    h.clock.advanceMinutes(1);
    const tick = await tickShifts(h.deps, [shift]);
    const changes = (tick.results[0]!.batch as { Changes: { Action: string; ResourceRecordSet: { Type: string } }[] })
      .Changes;
    expect(changes.slice(0, 3).map((c) => `${c.Action} ${c.ResourceRecordSet.Type}`)).toEqual([
      'DELETE CNAME',
      'CREATE A',
      'CREATE A',
    ]);
    const group = h.server.control.records(h.zoneId).filter((r) => r.name === 'www.example.com.');
    expect(group.map((r) => [r.type, r.setIdentifier, r.weight, r.ttl, r.alias?.dnsName])).toEqual([
      ['A', 'kubernetes', 10, undefined, 'k8s-ingress-2.eu-west-1.elb.amazonaws.com.'],
      ['A', 'legacy', 90, undefined, 'awseb-legacy-1.eu-west-1.elb.amazonaws.com.'],
    ]);
    const [status] = await readShiftStatuses(h.deps, [shift]);
    expect(status!.weights).toEqual({ legacy: 90, kubernetes: 10 });
  });
});
