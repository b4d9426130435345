import * as z from 'zod/mini';
import { nonEmpty } from './zod.ts';

/** RFC 1123 label, as Kubernetes namespaces and object names require. */
export const DnsLabel = z
  .string()
  .check(
    z.regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label (lowercase letters, digits and -)'),
    z.maxLength(63, 'must be a DNS-1123 label of at most 63 characters'),
  );

/** `owner/name` of a GitHub repository. */
export const RepoName = z
  .string()
  .check(z.regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'must be a GitHub repository as owner/name'));

/**
 * The name of an environment variable or SSM parameter that holds a secret. The value itself never
 * lives in the config file.
 */
export const SecretRef = z.union([
  z.strictObject({ env: z.string().check(z.regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name')) }),
  z.strictObject({ ssm: z.string().check(z.startsWith('/', 'must be an SSM parameter path starting with /')) }),
]);
export type SecretRef = z.infer<typeof SecretRef>;

/** A non-empty list of non-empty strings (container names, values). */
export const NonEmptyStrings = () => z.array(nonEmpty()).check(z.minLength(1));
