import type { Clock } from '../../../shared/ports/clock.ts';

/** A clock tests move by hand; sleeping advances it at once (backoff and polling cost no real time). */
export class FakeClock implements Clock {
  private t: number;
  readonly sleeps: number[] = [];
  constructor(start = Date.parse('2026-11-23T08:00:00Z')) {
    this.t = start;
  }
  now(): Date {
    return new Date(this.t);
  }
  ms(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  advanceMinutes(minutes: number): void {
    this.t += minutes * 60_000;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
    await Promise.resolve();
  }
}
