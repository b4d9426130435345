import type { Clock } from '../../ports/clock.ts';

/**
 * Route 53 meters API calls with token buckets (burst 50, refill 10/s per account and per action:
 * throttling-api-requests). Waiting here is cheaper than a Throttling error and a backoff.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly burst: number;
  private readonly perSecond: number;
  private readonly clock: Clock;
  constructor(burst: number, perSecond: number, clock: Clock) {
    this.burst = burst;
    this.perSecond = perSecond;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.now().getTime();
  }

  async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now().getTime();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
    }
  }
}
