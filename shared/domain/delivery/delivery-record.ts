/**
 * One GitHub deployment of an app's environment with its statuses, in our own terms: the raw material
 * of the delivery metrics. GitHub stays the record; nothing here is stored by switchyard.
 */
export interface DeliveryStatus {
  /** GitHub's deployment status state: queued, pending, in_progress, success, failure, error, inactive. */
  state: string;
  /** When GitHub recorded the status (ISO 8601). */
  at: string;
  description: string;
}

export interface DeliveryDeployment {
  id: number;
  sha: string;
  /** When the deployment was created (ISO 8601). */
  createdAt: string;
  /** Set on a rollback: the commit it replaced (`payload.rollbackOf`). */
  rollbackOf?: string;
  /** In any order. */
  statuses: DeliveryStatus[];
  /** Committer date of the deployed commit, or null when GitHub does not know the commit any more. */
  commitAt: string | null;
}

export type DeliveryOutcome = 'success' | 'failed' | 'pending';

export interface DeploymentSummary {
  deployment: DeliveryDeployment;
  /** Latest verdict: failed when the latest success/failure/error is a failure or error, or when rolled back. */
  outcome: DeliveryOutcome;
  /** First success: when the change reached the environment. */
  succeededAt: number | null;
  /** When it was found bad: its first failure/error after its last success, or the rollback that replaced it. */
  failedAt: number | null;
  /** Set when switchyard rolled it back by itself: its previous images were back at this time. */
  restoredAt: number | null;
  /** A later rollback deployment named this commit in `rollbackOf`. */
  rolledBack: boolean;
  /** Who acted, from the audit suffix of its statuses: the first person named, else automatic; null when none has one. */
  actor: string | null;
}
