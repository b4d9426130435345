import type { RecordChange, RecordSet } from '../domain/traffic/record-set.ts';

export type ChangeStatus = 'PENDING' | 'INSYNC';

export interface ChangeInfo {
  id: string;
  status: ChangeStatus;
  submittedAt: Date;
}

/** What traffic shifting needs from Route 53 (record-set level, routing policies included). */
export interface TrafficDnsPort {
  /**
   * Every record (all types, all set identifiers) whose name is one of `names`, read from Route 53 in
   * as few ListResourceRecordSets pages as the names allow (they should sort near each other).
   */
  listRecordsAt(zoneId: string, names: readonly string[]): Promise<RecordSet[]>;
  /** One ChangeResourceRecordSets call: all or nothing. Checked against Route 53's rules before sending. */
  applyChanges(zoneId: string, changes: readonly RecordChange[], comment?: string): Promise<ChangeInfo>;
  getChange(changeId: string): Promise<ChangeInfo>;
  /** Polls GetChange until INSYNC or the deadline; returns the last status seen. */
  waitForInSync(changeId: string, deadlineMs: number): Promise<ChangeInfo>;
}
