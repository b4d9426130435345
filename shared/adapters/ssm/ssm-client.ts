import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/**
 * The SSM client and the one command switchyard sends, named so the bundler keeps only these (a
 * dynamic `import('@aws-sdk/client-ssm')` would keep every SSM command, about 150 KB more).
 */
export function getParameterValue(
  client: Pick<SSMClient, 'send'> | undefined,
  name: string,
): Promise<string | undefined> {
  return (client ?? new SSMClient({}))
    .send(new GetParameterCommand({ Name: name, WithDecryption: true }))
    .then((res) => res.Parameter?.Value);
}
