import { z } from 'zod';
import { AppError, ValidationError } from '../../errors.ts';

/** What the operator CLI sends to the ops function. */
export const OperationRequestSchema = z
  .object({
    command: z.string().min(1),
    args: z.record(z.string(), z.unknown()).default({}),
    dryRun: z.boolean().default(false),
  })
  .strict();
export type OperationRequest = z.infer<typeof OperationRequestSchema>;

export type OperationResponse =
  | { ok: true; command: string; dryRun: boolean; result: unknown }
  | { ok: false; command: string; error: { type: string; message: string; retryable: boolean } };

export interface Operation {
  /** One line for `switchyard --help`. */
  summary: string;
  args: z.ZodType<Record<string, unknown>>;
  run(args: Record<string, unknown>, opts: { dryRun: boolean }): Promise<unknown>;
}

export type OperationRegistry = Record<string, Operation>;

/**
 * Runs one operator command. Bad input comes back as a ValidationError naming the field and changes
 * nothing; every other failure comes back typed, so the CLI can pick its exit code.
 */
export async function runOperation(registry: OperationRegistry, request: unknown): Promise<OperationResponse> {
  const command = (request as { command?: unknown } | null)?.command;
  const name = typeof command === 'string' ? command : '(none)';
  try {
    const parsed = OperationRequestSchema.safeParse(request);
    if (!parsed.success) {
      throw new ValidationError(
        'invalid operation request',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      );
    }
    const op = registry[parsed.data.command];
    if (!op) {
      throw new ValidationError(
        `unknown command "${parsed.data.command}"; known: ${Object.keys(registry).sort().join(', ')}`,
      );
    }
    const args = op.args.safeParse(parsed.data.args);
    if (!args.success) {
      throw new ValidationError(
        `invalid arguments for ${parsed.data.command}`,
        args.error.issues.map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`),
      );
    }
    const result = await op.run(args.data, { dryRun: parsed.data.dryRun });
    return { ok: true, command: parsed.data.command, dryRun: parsed.data.dryRun, result };
  } catch (error) {
    return errorResponse(name, error);
  }
}

/** A failure as the CLI reads it: the error's type (its exit code), message, and whether to retry. */
export function errorResponse(command: string, error: unknown): OperationResponse {
  const e = error as Error;
  return {
    ok: false,
    command,
    error: {
      type: e.name || 'Error',
      message: e.message,
      retryable: error instanceof AppError ? error.retryable : false,
    },
  };
}
