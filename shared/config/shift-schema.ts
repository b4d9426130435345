import { z } from 'zod';

/** Where a side of a shift points: plain record values or an alias target. */
export const ShiftTargetSchema = z.union([
  z.object({ values: z.array(z.string().min(1)).min(1) }).strict(),
  z
    .object({
      alias: z
        .object({
          hostedZoneId: z.string().min(1),
          dnsName: z.string().min(1),
          evaluateTargetHealth: z.boolean().default(true),
        })
        .strict(),
    })
    .strict(),
]);
export type ShiftTarget = z.infer<typeof ShiftTargetSchema>;

/** Minutes, or `indefinite`: wait for `switchyard shift promote` (Argo's `pause: {}`). */
export const PauseSchema = z.union([z.number().nonnegative(), z.literal('indefinite')]);

const ListStep = z.union([
  z.number().int().min(0).max(100),
  z.object({ weight: z.number().int().min(0).max(100), pause: PauseSchema.optional() }).strict(),
]);

export const ShiftStepsSchema = z.discriminatedUnion('model', [
  /** Explicit Kubernetes weights, e.g. [5, 25, 50, 100]; each waits `intervalMinutes` unless it says. */
  z.object({ model: z.literal('list'), weights: z.array(ListStep).min(1) }).strict(),
  /** N% more every M minutes up to 100 (CodeDeploy TimeBasedLinear); `holdAt` weights wait for promote. */
  z
    .object({
      model: z.literal('linear'),
      percent: z.number().int().min(1).max(100),
      everyMinutes: z.number().positive(),
      holdAt: z.array(z.number().int().min(1).max(100)).default([]),
    })
    .strict(),
  /** N% for M minutes, then all (CodeDeploy TimeBasedCanary); `confirm` waits for promote before 100. */
  z
    .object({
      model: z.literal('canary'),
      percent: z.number().int().min(1).max(99),
      minutes: z.number().positive(),
      confirm: z.boolean().default(false),
    })
    .strict(),
]);
export type ShiftSteps = z.infer<typeof ShiftStepsSchema>;

export const ShiftGateSchema = z.union([
  z.object({ healthCheckId: z.string().min(1) }).strict(),
  z.object({ alarm: z.string().min(1), region: z.string().optional() }).strict(),
  z.object({ deployment: z.object({ namespace: z.string().min(1), name: z.string().min(1) }).strict() }).strict(),
]);
export type ShiftGate = z.infer<typeof ShiftGateSchema>;

const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code (DE, FR, ...)');

/**
 * How the two sides share the name: weighted records (default), geolocation country by country (the
 * `*` default stays on legacy until the last step), or failover (primary Kubernetes, secondary legacy).
 */
export const ShiftRoutingSchema = z.discriminatedUnion('policy', [
  z.object({ policy: z.literal('weighted') }).strict(),
  z
    .object({
      policy: z.literal('geolocation'),
      countries: z.array(CountryCode).min(1),
    })
    .strict(),
  z
    .object({
      policy: z.literal('failover'),
      kubernetesHealthCheckId: z.string().min(1),
      legacyHealthCheckId: z.string().min(1),
    })
    .strict(),
]);
export type ShiftRouting = z.infer<typeof ShiftRoutingSchema>;

export const ShiftFinishSchema = z
  .object({
    /** The legacy load balancer's request metric; missing datapoints count as zero (ELB publishes none when idle). */
    requestCount: z
      .object({
        namespace: z.string().min(1).default('AWS/ApplicationELB'),
        metricName: z.string().min(1).default('RequestCount'),
        dimensions: z.record(z.string(), z.string()),
        region: z.string().optional(),
      })
      .strict()
      .optional(),
    /** Minutes of zero requests to legacy before the shift is reported done. */
    quietMinutes: z.number().positive().default(15),
    /** At the end, replace the group by one simple record pointing at Kubernetes. */
    collapse: z.boolean().default(false),
  })
  .strict();
export type ShiftFinish = z.infer<typeof ShiftFinishSchema>;

export const ShiftSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and -'),
    hostedZoneId: z.string().min(1),
    record: z.string().min(1),
    type: z.enum(['A', 'AAAA', 'CNAME']),
    /** The TTL during the shift; a higher current TTL is lowered first and waited out (section 4). */
    ttl: z.number().int().min(0).max(2147483647).default(60),
    legacy: ShiftTargetSchema,
    kubernetes: ShiftTargetSchema,
    steps: ShiftStepsSchema.default({ model: 'list', weights: [100] }),
    /** Minutes between steps unless the step model says otherwise. */
    intervalMinutes: z.number().positive().default(10),
    gates: z.array(ShiftGateSchema).default([]),
    cluster: z.string().optional(),
    routing: ShiftRoutingSchema.default({ policy: 'weighted' }),
    /** Route 53 health checks attached to the weighted records (weight-0 records then act as fallback). */
    healthChecks: z
      .object({ legacy: z.string().min(1).optional(), kubernetes: z.string().min(1).optional() })
      .strict()
      .optional(),
    finish: ShiftFinishSchema.default({ quietMinutes: 15, collapse: false }),
    /** How long one tick waits for a change to be INSYNC before recording it as pending. */
    inSyncDeadlineSeconds: z.number().nonnegative().default(60),
  })
  .strict()
  .superRefine((shift, ctx) => {
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
  });
export type ShiftConfig = z.infer<typeof ShiftSchema>;
