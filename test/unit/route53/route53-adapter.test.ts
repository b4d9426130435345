import {
  ChangeResourceRecordSetsCommand,
  InvalidChangeBatch,
  ListResourceRecordSetsCommand,
  Route53Client,
  Route53ServiceException,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { Route53Dns } from '../../../shared/adapters/route53/route53-dns.ts';
import { ConflictError, TransientError, ValidationError } from '../../../shared/errors.ts';
import { FakeClock } from '../../support/traffic/fake-clock.ts';

const mock = mockClient(Route53Client);
let clock: FakeClock;
let dns: Route53Dns;

beforeEach(() => {
  mock.reset();
  clock = new FakeClock();
  dns = new Route53Dns({ client: new Route53Client({ region: 'us-east-1' }), clock, random: () => 1, rateLimit: null });
});

function throttling(): Route53ServiceException {
  return new Route53ServiceException({
    name: 'Throttling',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Rate exceeded',
  });
}

const change = [
  { action: 'UPSERT' as const, record: { name: 'a.example.com', type: 'A', ttl: 60, values: ['192.0.2.1'] } },
];

describe('Route 53 adapter error paths', () => {
  it('retries Throttling with growing backoff, then succeeds', async () => {
    mock
      .on(ChangeResourceRecordSetsCommand)
      .rejectsOnce(throttling())
      .rejectsOnce(throttling())
      .resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } });
    const info = await dns.applyChanges('Z1', change);
    expect(info.id).toBe('/change/C1');
    expect(clock.sleeps).toEqual([200, 400]);
  });

  it('gives up after maxAttempts with a TransientError that keeps the cause', async () => {
    mock.on(ChangeResourceRecordSetsCommand).rejects(throttling());
    const err = await dns.applyChanges('Z1', change).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).retryable).toBe(true);
    expect((err as Error).cause).toBeInstanceOf(Route53ServiceException);
    expect(mock.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(6);
    expect(clock.sleeps).toEqual([200, 400, 800, 1600, 3200]);
  });

  it('retries PriorRequestNotComplete and 5xx, not InvalidInput', async () => {
    mock
      .on(ChangeResourceRecordSetsCommand)
      .rejectsOnce(
        new Route53ServiceException({
          name: 'PriorRequestNotComplete',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .rejectsOnce(
        new Route53ServiceException({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } }),
      )
      .rejectsOnce(
        new Route53ServiceException({
          name: 'InvalidInput',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'bad',
        }),
      );
    const err = await dns.applyChanges('Z1', change).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(mock.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(3);
  });

  it('InvalidChangeBatch: a lost compare-and-set is a ConflictError, a rule break a ValidationError listing every message', async () => {
    mock
      .on(ChangeResourceRecordSetsCommand)
      .rejectsOnce(
        new InvalidChangeBatch({
          $metadata: { httpStatusCode: 400 },
          message: 'x',
          messages: [
            "Tried to delete resource record set [name='_switchyard.a.', type='TXT'] but the values provided do not match the current values",
          ],
        }),
      )
      .rejectsOnce(
        new InvalidChangeBatch({ $metadata: { httpStatusCode: 400 }, message: 'x', messages: ['one', 'two'] }),
      );
    await expect(dns.applyChanges('Z1', change)).rejects.toBeInstanceOf(ConflictError);
    const err = (await dns.applyChanges('Z1', change).catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues).toEqual(['one', 'two']);
  });

  it('lists a name across pages and stops once past the names asked for', async () => {
    mock
      .on(ListResourceRecordSetsCommand, { StartRecordName: 'www.example.com.' })
      .resolves({
        ResourceRecordSets: [
          {
            Name: 'www.example.com.',
            Type: 'A',
            SetIdentifier: 'a',
            Weight: 1,
            TTL: 60,
            ResourceRecords: [{ Value: '192.0.2.1' }],
          },
        ],
        IsTruncated: true,
        NextRecordName: 'www.example.com.',
        NextRecordType: 'A',
        NextRecordIdentifier: 'b',
        MaxItems: 1,
      })
      .on(ListResourceRecordSetsCommand, { StartRecordIdentifier: 'b' })
      .resolves({
        ResourceRecordSets: [
          {
            Name: 'www.example.com.',
            Type: 'A',
            SetIdentifier: 'b',
            Weight: 2,
            TTL: 60,
            ResourceRecords: [{ Value: '192.0.2.2' }],
          },
          { Name: 'zzz.www.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.3' }] },
        ],
        IsTruncated: true,
        NextRecordName: 'zzzz.www.example.com.',
        NextRecordType: 'A',
        MaxItems: 2,
      });
    const records = await dns.listRecordsAt('Z1', ['WWW.example.com', '_switchyard.www.example.com']);
    expect(records.map((r) => r.setIdentifier)).toEqual(['a', 'b']);
    expect(mock.commandCalls(ListResourceRecordSetsCommand)).toHaveLength(2);
  });

  it('checks the batch shape before sending: nothing leaves for an invalid weight', async () => {
    const err = await dns
      .applyChanges('Z1', [
        {
          action: 'CREATE',
          record: { name: 'a.example.com', type: 'A', ttl: 60, values: ['192.0.2.1'], setIdentifier: 'x', weight: 300 },
        },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(mock.calls()).toHaveLength(0);
  });
});
