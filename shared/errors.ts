/**
 * The one error taxonomy. Adapters wrap SDK errors into these with `cause`; handlers map the class to
 * a status code or a retry. Messages tell the operator what to fix.
 */
export class AppError extends Error {
  /** Whether running the same work again later may succeed. */
  readonly retryable: boolean = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppError';
  }
}

/** Input is wrong (payload, config, CLI argument): never retried, nothing was changed. */
export class ValidationError extends AppError {
  readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = [], options?: ErrorOptions) {
    super(issues.length > 0 ? `${message}:\n  - ${issues.join('\n  - ')}` : message, options);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** A signature or credential did not verify. */
export class AuthError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuthError';
  }
}

/** A conditional write lost a race (resourceVersion, Route 53 exact DELETE, field manager conflict). */
export class ConflictError extends AppError {
  override readonly retryable = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConflictError';
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

/** A dependency is down, throttled or slow: retry with backoff, or leave it to the next run. */
export class TransientError extends AppError {
  override readonly retryable = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** The work is refused by policy (fork without opt-in, cap reached); not an error of the input. */
export class PolicyError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PolicyError';
  }
}

/** True when the error (ours or anything else) says a later retry may succeed. */
export function isRetryable(error: unknown): boolean {
  return error instanceof AppError ? error.retryable : false;
}
