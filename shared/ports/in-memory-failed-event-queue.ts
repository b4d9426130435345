import type { FailedEventQueuePort, QueueDepth, QueuedMessage } from './failed-event-queue.ts';

interface Stored {
  id: string;
  body: string;
  sentAt: Date;
  receiveCount: number;
  hiddenUntil: number;
  receipt: string | null;
}

/**
 * The failed-event queue in memory, for use-case tests. Its rules are its own and simple: a receive
 * hides each message until `now + hideSeconds`; only the latest receipt deletes or releases it.
 */
export class InMemoryFailedEventQueue implements FailedEventQueuePort {
  private readonly messages: Stored[] = [];
  private seq = 0;
  private readonly now: () => number;
  /** Every call, in order (tests assert what was deleted and when). */
  readonly calls: string[] = [];

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  send(body: string): string {
    const id = `m-${++this.seq}`;
    this.messages.push({ id, body, sentAt: new Date(this.now()), receiveCount: 0, hiddenUntil: 0, receipt: null });
    return id;
  }

  bodies(): string[] {
    return this.messages.map((m) => m.body);
  }

  async receive(max: number, hideSeconds: number): Promise<QueuedMessage[]> {
    if (!Number.isInteger(max) || max < 1 || max > 10) throw new Error(`receive: max must be 1 to 10, got ${max}`);
    this.calls.push(`receive ${max}`);
    const t = this.now();
    const out: QueuedMessage[] = [];
    for (const m of this.messages) {
      if (out.length >= max || m.hiddenUntil > t) continue;
      m.receiveCount++;
      m.hiddenUntil = t + hideSeconds * 1000;
      m.receipt = `${m.id}#${m.receiveCount}`;
      out.push({ id: m.id, receipt: m.receipt, body: m.body, receiveCount: m.receiveCount, sentAt: m.sentAt });
    }
    return out;
  }

  private byReceipt(receipt: string): Stored {
    const m = this.messages.find((x) => x.receipt === receipt);
    if (!m) throw new Error(`no message with receipt ${receipt}`);
    return m;
  }

  async delete(receipt: string): Promise<void> {
    this.calls.push(`delete ${receipt}`);
    this.messages.splice(this.messages.indexOf(this.byReceipt(receipt)), 1);
  }

  async release(receipt: string): Promise<void> {
    this.calls.push(`release ${receipt}`);
    this.byReceipt(receipt).hiddenUntil = 0;
  }

  async depth(): Promise<QueueDepth> {
    const t = this.now();
    const inFlight = this.messages.filter((m) => m.hiddenUntil > t).length;
    return { visible: this.messages.length - inFlight, inFlight };
  }
}
