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

export const ShiftStepsSchema = z.discriminatedUnion('model', [
  z.object({ model: z.literal('list'), weights: z.array(z.number().int().min(0).max(100)).min(1) }).strict(),
  z
    .object({ model: z.literal('linear'), percent: z.number().int().min(1).max(100), everyMinutes: z.number().positive() })
    .strict(),
  z.object({ model: z.literal('canary'), percent: z.number().int().min(1).max(99), minutes: z.number().positive() }).strict(),
]);

export const ShiftGateSchema = z.union([
  z.object({ healthCheckId: z.string().min(1) }).strict(),
  z.object({ alarm: z.string().min(1), region: z.string().optional() }).strict(),
  z.object({ deployment: z.object({ namespace: z.string().min(1), name: z.string().min(1) }).strict() }).strict(),
]);

export const ShiftSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and -'),
    hostedZoneId: z.string().min(1),
    record: z.string().min(1),
    type: z.enum(['A', 'AAAA', 'CNAME']),
    ttl: z.number().int().min(0).max(2147483647).default(60),
    legacy: ShiftTargetSchema,
    kubernetes: ShiftTargetSchema,
    steps: ShiftStepsSchema,
    /** Minutes between steps unless the step model says otherwise. */
    intervalMinutes: z.number().positive().default(10),
    gates: z.array(ShiftGateSchema).default([]),
    cluster: z.string().optional(),
  })
  .strict();
export type ShiftConfig = z.infer<typeof ShiftSchema>;
