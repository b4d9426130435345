/** Injected faults of an in-memory twin: the next N calls of a method fail with the given error. */
export class FaultQueue<M extends string> {
  private readonly faults: Array<{ method: M; error: Error; remaining: number }> = [];

  add(method: M, times: number, error: Error): void {
    this.faults.push({ method, error, remaining: times });
  }

  /** Throws the error queued for `method`, if any, and counts it down. */
  take(method: M): void {
    const i = this.faults.findIndex((f) => f.method === method && f.remaining > 0);
    const fault = this.faults[i];
    if (!fault) return;
    fault.remaining--;
    if (fault.remaining === 0) this.faults.splice(i, 1);
    throw fault.error;
  }
}
