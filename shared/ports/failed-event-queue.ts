/**
 * The queue that keeps the worker's failed asynchronous invocations (its on-failure destination):
 * at-least-once delivery, messages hidden while one reader works on them, gone only when deleted.
 */
export interface QueuedMessage {
  id: string;
  /** The handle of this receipt: deleting or releasing needs the latest one. */
  receipt: string;
  body: string;
  /** How many times the message has been received (listing counts too). */
  receiveCount: number;
  sentAt: Date;
}

export interface QueueDepth {
  /** Waiting to be received. */
  visible: number;
  /** Received and hidden, not deleted yet. */
  inFlight: number;
}

export interface FailedEventQueuePort {
  /** Up to `max` (1 to 10) messages, each hidden from other readers for `hideSeconds`. */
  receive(max: number, hideSeconds: number): Promise<QueuedMessage[]>;
  delete(receipt: string): Promise<void>;
  /** Makes a received message visible again at once (for the next reader). */
  release(receipt: string): Promise<void>;
  depth(): Promise<QueueDepth>;
}
