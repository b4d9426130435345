import { Route53Client } from '@aws-sdk/client-route-53';

/**
 * Points the real AWS SDK at the test server the way production config does: through
 * AWS_ENDPOINT_URL_ROUTE_53 (the SDK's own variable), with dummy credentials (the server ignores them).
 */
export function useRoute53Endpoint(url: string): void {
  process.env['AWS_ENDPOINT_URL_ROUTE_53'] = url;
  process.env['AWS_ACCESS_KEY_ID'] ??= 'AKIDTESTSWITCHYARD';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'test-secret';
  process.env['AWS_REGION'] ??= 'us-east-1';
}

/** A client built only from the environment (no endpoint in code), retries off so tests count calls. */
export function route53ClientFromEnv(): Route53Client {
  return new Route53Client({ region: 'us-east-1', maxAttempts: 1 });
}
