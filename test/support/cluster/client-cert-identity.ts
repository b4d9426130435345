import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export interface Identity {
  /** The certificate's CN: the user name the API server sees. */
  user: string;
  /** The certificate's O entries: the groups the API server sees (e.g. switchyard:writer). */
  groups: readonly string[];
}

/**
 * A KubeConfig that authenticates with an X.509 client certificate signed by the test cluster's CA
 * (scripts/cluster/up.sh keeps it in <state dir>/pki beside the kubeconfig). The API server takes the
 * user from the CN and the groups from the O entries, exactly as it does for any client certificate
 * (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates):
 * the requests are the identity's own, not an admin's impersonation.
 */
export function clientCertIdentity(adminKubeconfigPath: string, identity: Identity): KubeConfig {
  const pki = join(dirname(adminKubeconfigPath), 'pki');
  const ca = { crt: join(pki, 'ca.crt'), key: join(pki, 'ca.key') };
  if (!existsSync(ca.key))
    throw new Error(`no cluster CA key at ${ca.key} (a cluster started by scripts/cluster/up.sh)`);
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-identity-'));
  try {
    const subject = `${identity.groups.map((g) => `/O=${g}`).join('')}/CN=${identity.user}`;
    const key = join(dir, 'client.key');
    const csr = join(dir, 'client.csr');
    const crt = join(dir, 'client.crt');
    const ext = join(dir, 'client.ext');
    const quiet = { stdio: ['ignore', 'ignore', 'pipe'] as ['ignore', 'ignore', 'pipe'] };
    execFileSync(
      'openssl',
      ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', key, '-out', csr],
      quiet,
    );
    writeFileSync(
      ext,
      'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n',
    );
    execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        ca.crt,
        '-CAkey',
        ca.key,
        '-CAcreateserial',
        '-CAserial',
        join(dir, 'ca.srl'),
        '-days',
        '1',
        '-out',
        crt,
        '-extfile',
        ext,
      ],
      quiet,
    );
    const admin = new KubeConfig();
    admin.loadFromFile(adminKubeconfigPath);
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser(admin.getCurrentCluster()!, {
      name: identity.user,
      certData: readFileSync(crt).toString('base64'),
      keyData: readFileSync(key).toString('base64'),
    });
    return kc;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** switchyard's two identities, as the functions are mapped on EKS (deploy/kubernetes/20-rbac.yml). */
export function switchyardIdentities(adminKubeconfigPath: string) {
  return {
    writer: clientCertIdentity(adminKubeconfigPath, { user: 'switchyard-writer-test', groups: ['switchyard:writer'] }),
    reader: clientCertIdentity(adminKubeconfigPath, { user: 'switchyard-reader-test', groups: ['switchyard:reader'] }),
  };
}
