/** A message for people: Slack or any webhook. */
export interface Notification {
  title: string;
  text: string;
  severity: 'info' | 'warning' | 'error';
}

export interface NotifierPort {
  /** Delivers the message or throws (TransientError when a retry may help); never logs the target URL. */
  notify(message: Notification): Promise<void>;
}
