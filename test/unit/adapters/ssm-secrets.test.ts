import type { GetParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { resolveSecret, resolveSecretWithRotation } from '../../../shared/adapters/ssm/ssm-secrets.ts';
import { TransientError, ValidationError } from '../../../shared/errors.ts';

function fakeSsm(answer: (name: string) => string | Error) {
  const asked: unknown[] = [];
  return {
    asked,
    client: {
      send: async (command: unknown) => {
        const input = (command as GetParameterCommand).input;
        asked.push(input);
        const value = answer(input.Name ?? '');
        if (value instanceof Error) throw value;
        return { Parameter: { Value: value } };
      },
    } as never,
  };
}

describe('resolveSecret', () => {
  it('prefers the environment and asks SSM nothing then', async () => {
    const ssm = fakeSsm(() => 'from-ssm');
    expect(await resolveSecret({ S: 'from-env', S_SSM: '/p' }, 'S', ssm.client)).toBe('from-env');
    expect(ssm.asked).toEqual([]);
  });

  it('reads the SSM parameter with decryption', async () => {
    const ssm = fakeSsm(() => 'from-ssm');
    expect(await resolveSecret({ S_SSM: '/switchyard/prod/s' }, 'S', ssm.client)).toBe('from-ssm');
    expect(ssm.asked).toEqual([{ Name: '/switchyard/prod/s', WithDecryption: true }]);
  });

  it('is undefined when neither is set', async () => {
    expect(await resolveSecret({}, 'S')).toBeUndefined();
  });

  it('names the missing parameter, and calls an outage temporary', async () => {
    const missing = fakeSsm(() => Object.assign(new Error('nope'), { name: 'ParameterNotFound' }));
    await expect(resolveSecret({ S_SSM: '/p' }, 'S', missing.client)).rejects.toThrow(ValidationError);
    await expect(resolveSecret({ S_SSM: '/p' }, 'S', missing.client)).rejects.toThrow(
      /SSM parameter \/p \(for S\) does not exist/,
    );
    const down = fakeSsm(() => Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    await expect(resolveSecret({ S_SSM: '/p' }, 'S', down.client)).rejects.toThrow(TransientError);
  });

  it('never puts the secret value in an error', async () => {
    const empty = fakeSsm(() => '');
    await expect(resolveSecret({ S_SSM: '/p' }, 'S', empty.client)).rejects.toThrow(/is empty/);
  });
});

describe('resolveSecretWithRotation', () => {
  it('returns the current and previous secrets, and refuses a missing one naming what to set', async () => {
    expect(await resolveSecretWithRotation({ S: 'new', S_PREVIOUS: 'old' }, 'S')).toEqual(['new', 'old']);
    await expect(resolveSecretWithRotation({}, 'S')).rejects.toThrow('secret S is not configured: set S or S_SSM');
  });
});
