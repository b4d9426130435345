import { type ShiftConfig, ShiftSchema } from '../../../shared/config/shift-schema.ts';

/** A shift config as the YAML would give it (defaults applied by the schema). */
export function shiftConfig(input: Record<string, unknown>): ShiftConfig {
  return ShiftSchema.parse({
    name: 'www',
    record: 'www.example.com',
    type: 'A',
    legacy: { values: ['192.0.2.10'] },
    kubernetes: { values: ['198.51.100.20'] },
    ...input,
  });
}
