import type { DeliveryDeployment } from '../domain/delivery/delivery-record.ts';

/**
 * Where the delivery record is read from: GitHub's deployments, their statuses and commit dates. The
 * GitHub adapter pages through the REST API; tests use an in-memory twin.
 */
export interface DeliveryRecordPort {
  /**
   * Deployments of one GitHub environment created at or after `since`, with all their statuses and
   * the committer date of their commit. Newest first, as GitHub lists them.
   */
  listDeployments(repo: string, environment: string, since: Date): Promise<DeliveryDeployment[]>;
}
