import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/parse-config.ts';

const base = `
clusters:
  - name: main
    kubeconfig: /tmp/kubeconfig
shifts:
`;

describe('shift config', () => {
  it('parses a weighted shift with defaults, and a geolocation and a failover one', () => {
    const config = parseConfig(`${base}
  - name: www
    hostedZoneId: Z0123456789ABC
    record: www.example.com
    type: A
    legacy: { alias: { hostedZoneId: Z35SXDOTRQ7X7K, dnsName: legacy.elb.amazonaws.com } }
    kubernetes: { alias: { hostedZoneId: Z35SXDOTRQ7X7K, dnsName: k8s.elb.amazonaws.com } }
    steps: { model: list, weights: [5, { weight: 25, pause: indefinite }, 100] }
    gates: [{ healthCheckId: abc }, { alarm: k8s-5xx }, { deployment: { namespace: shop, name: web } }]
  - name: eu
    hostedZoneId: Z0123456789ABC
    record: eu.example.com
    type: CNAME
    legacy: { values: [legacy.example.net] }
    kubernetes: { values: [k8s.example.net] }
    routing: { policy: geolocation, countries: [DE, FR] }
  - name: api
    hostedZoneId: Z0123456789ABC
    record: api.example.com
    type: A
    legacy: { values: [192.0.2.1] }
    kubernetes: { values: [198.51.100.1] }
    routing: { policy: failover, kubernetesHealthCheckId: hc-k8s, legacyHealthCheckId: hc-legacy }
`);
    const [www, eu, api] = config.shifts;
    expect(www).toMatchObject({
      ttl: 60,
      intervalMinutes: 10,
      routing: { policy: 'weighted' },
      inSyncDeadlineSeconds: 60,
    });
    expect(www!.finish).toEqual({ quietMinutes: 15, collapse: false });
    // Health gates read CloudWatch by default; a signal without data holds by default.
    expect(www!.gates).toEqual([
      { healthCheckId: 'abc', source: 'cloudwatch', insufficientData: 'hold' },
      { alarm: 'k8s-5xx', insufficientData: 'hold' },
      { deployment: { namespace: 'shop', name: 'web' } },
    ]);
    expect(eu!.routing).toEqual({ policy: 'geolocation', countries: ['DE', 'FR'] });
    expect(api!.steps).toEqual({ model: 'list', weights: [100] });
  });

  it('names the bad field', () => {
    const bad = (shift: string) => () =>
      parseConfig(`${base}
  - name: www
    hostedZoneId: Z1
    record: www.example.com
${shift}`);
    expect(
      bad(`    type: CNAME
    legacy: { alias: { hostedZoneId: Z2, dnsName: a.example.net } }
    kubernetes: { values: [b.example.net] }`),
    ).toThrow(/shifts\[0\]\.legacy\.alias: alias targets need type A or AAAA/);
    expect(
      bad(`    type: A
    legacy: { values: [192.0.2.1] }
    kubernetes: { values: [192.0.2.2] }
    routing: { policy: geolocation, countries: [DE, de] }`),
    ).toThrow(/shifts\[0\]\.routing\.countries\[1\]: must be an ISO 3166-1 alpha-2 country code/);
    expect(
      bad(`    type: A
    legacy: { values: [192.0.2.1] }
    kubernetes: { values: [192.0.2.2] }
    steps: { model: list, weights: [50, 20, 100] }`),
    ).toThrow(/shifts\[0\]\.steps\.weights: weights must not decrease/);
  });
});
