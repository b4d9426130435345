import * as z from 'zod/mini';
import { nonEmpty } from './zod.ts';

/** Where a side of a shift points: plain record values or an alias target. */
export const ShiftTargetSchema = z.union([
  z.strictObject({ values: z.array(nonEmpty()).check(z.minLength(1)) }),
  z.strictObject({
    alias: z.strictObject({
      hostedZoneId: nonEmpty(),
      dnsName: nonEmpty(),
      evaluateTargetHealth: z._default(z.boolean(), true),
    }),
  }),
]);
export type ShiftTarget = z.infer<typeof ShiftTargetSchema>;

/** Minutes, or `indefinite`: wait for `switchyard shift promote` (Argo's `pause: {}`). */
export const PauseSchema = z.union([z.number().check(z.nonnegative()), z.literal('indefinite')]);

const Percent = () => z.int().check(z.minimum(0), z.maximum(100));

const ListStep = z.union([Percent(), z.strictObject({ weight: Percent(), pause: z.optional(PauseSchema) })]);

export const ShiftStepsSchema = z.discriminatedUnion('model', [
  /** Explicit Kubernetes weights, e.g. [5, 25, 50, 100]; each waits `intervalMinutes` unless it says. */
  z.strictObject({ model: z.literal('list'), weights: z.array(ListStep).check(z.minLength(1)) }),
  /** N% more every M minutes up to 100 (CodeDeploy TimeBasedLinear); `holdAt` weights wait for promote. */
  z.strictObject({
    model: z.literal('linear'),
    percent: z.int().check(z.minimum(1), z.maximum(100)),
    everyMinutes: z.number().check(z.positive()),
    holdAt: z._default(z.array(z.int().check(z.minimum(1), z.maximum(100))), []),
  }),
  /** N% for M minutes, then all (CodeDeploy TimeBasedCanary); `confirm` waits for promote before 100. */
  z.strictObject({
    model: z.literal('canary'),
    percent: z.int().check(z.minimum(1), z.maximum(99)),
    minutes: z.number().check(z.positive()),
    confirm: z._default(z.boolean(), false),
  }),
]);
export type ShiftSteps = z.infer<typeof ShiftStepsSchema>;

/**
 * What a gate does when its signal has no data (an alarm in INSUFFICIENT_DATA, a health check with no
 * recent datapoint): `hold` (default: nothing advances, nothing rolls back), `pass`, or `fail` (roll back
 * as on a failing gate). A dead side that emits nothing must not advance a shift by default.
 */
export const InsufficientDataSchema = z._default(z.enum(['hold', 'pass', 'fail']), 'hold');
export type InsufficientData = z.infer<typeof InsufficientDataSchema>;

export const ShiftGateSchema = z.union([
  z.strictObject({
    healthCheckId: nonEmpty(),
    /** `cloudwatch`: the AWS/Route53 HealthCheckStatus metric (default); `route53`: GetHealthCheckStatus. */
    source: z._default(z.enum(['cloudwatch', 'route53']), 'cloudwatch'),
    insufficientData: InsufficientDataSchema,
  }),
  z.strictObject({ alarm: nonEmpty(), region: z.optional(z.string()), insufficientData: InsufficientDataSchema }),
  z.strictObject({ deployment: z.strictObject({ namespace: nonEmpty(), name: nonEmpty() }) }),
]);
export type ShiftGate = z.infer<typeof ShiftGateSchema>;

const CountryCode = z.string().check(z.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code (DE, FR, ...)'));

/**
 * How the two sides share the name: weighted records (default), geolocation country by country (the
 * `*` default stays on legacy until the last step), or failover (primary Kubernetes, secondary legacy).
 */
export const ShiftRoutingSchema = z.discriminatedUnion('policy', [
  z.strictObject({ policy: z.literal('weighted') }),
  z.strictObject({ policy: z.literal('geolocation'), countries: z.array(CountryCode).check(z.minLength(1)) }),
  z.strictObject({
    policy: z.literal('failover'),
    kubernetesHealthCheckId: nonEmpty(),
    legacyHealthCheckId: nonEmpty(),
  }),
]);
export type ShiftRouting = z.infer<typeof ShiftRoutingSchema>;

export const ShiftFinishSchema = z.strictObject({
  /** The legacy load balancer's request metric; missing datapoints count as zero (ELB publishes none when idle). */
  requestCount: z.optional(
    z.strictObject({
      namespace: z._default(nonEmpty(), 'AWS/ApplicationELB'),
      metricName: z._default(nonEmpty(), 'RequestCount'),
      dimensions: z.record(z.string(), z.string()),
      region: z.optional(z.string()),
    }),
  ),
  /** Minutes of zero requests to legacy before the shift is reported done. */
  quietMinutes: z._default(z.number().check(z.positive()), 15),
  /** At the end, replace the group by one simple record pointing at Kubernetes. */
  collapse: z._default(z.boolean(), false),
});
export type ShiftFinish = z.infer<typeof ShiftFinishSchema>;

const ShiftShape = z.strictObject({
  name: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and -')),
  hostedZoneId: nonEmpty(),
  record: nonEmpty(),
  type: z.enum(['A', 'AAAA', 'CNAME']),
  /** The TTL during the shift; a higher current TTL is lowered first and waited out (docs/traffic-shifting.md). */
  ttl: z._default(z.int().check(z.minimum(0), z.maximum(2147483647)), 60),
  legacy: ShiftTargetSchema,
  kubernetes: ShiftTargetSchema,
  steps: z._default(ShiftStepsSchema, { model: 'list', weights: [100] }),
  /** Minutes between steps unless the step model says otherwise. */
  intervalMinutes: z._default(z.number().check(z.positive()), 10),
  gates: z._default(z.array(ShiftGateSchema), []),
  cluster: z.optional(z.string()),
  routing: z._default(ShiftRoutingSchema, { policy: 'weighted' }),
  /** Route 53 health checks attached to the weighted records (weight-0 records then act as fallback). */
  healthChecks: z.optional(z.strictObject({ legacy: z.optional(nonEmpty()), kubernetes: z.optional(nonEmpty()) })),
  finish: z._default(ShiftFinishSchema, { quietMinutes: 15, collapse: false }),
  /** How long one tick waits for a change to be INSYNC before recording it as pending. */
  inSyncDeadlineSeconds: z._default(z.number().check(z.nonnegative()), 60),
});

export const ShiftSchema = ShiftShape.check(
  z.superRefine((shift: z.infer<typeof ShiftShape>, ctx) => {
    for (const side of ['legacy', 'kubernetes'] as const) {
      const target = shift[side];
      if ('alias' in target && shift.type === 'CNAME') {
        ctx.addIssue({ code: 'custom', path: [side, 'alias'], message: 'alias targets need type A or AAAA' });
      }
      if ('values' in target && shift.type === 'CNAME' && target.values.length > 1) {
        ctx.addIssue({ code: 'custom', path: [side, 'values'], message: 'a CNAME has exactly one value' });
      }
    }
    if (
      shift.routing.policy === 'geolocation' &&
      new Set(shift.routing.countries).size !== shift.routing.countries.length
    ) {
      ctx.addIssue({ code: 'custom', path: ['routing', 'countries'], message: 'countries must be unique' });
    }
    if (shift.steps.model === 'list') {
      const weights = shift.steps.weights.map((w) => (typeof w === 'number' ? w : w.weight));
      if (weights.some((w, i) => i > 0 && w < weights[i - 1]!)) {
        ctx.addIssue({ code: 'custom', path: ['steps', 'weights'], message: 'weights must not decrease' });
      }
      if (weights[weights.length - 1] !== 100) {
        ctx.addIssue({ code: 'custom', path: ['steps', 'weights'], message: 'the last weight must be 100' });
      }
    }
  }),
);
export type ShiftConfig = z.infer<typeof ShiftSchema>;
