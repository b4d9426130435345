// Writes events/: real GitHub payloads from @octokit/webhooks-examples wrapped as API Gateway HTTP API
// events, signed with the documented test secret, plus a CI notification and schedule events.
// The same files drive `serverless invoke local`, the sandbox demo and the tests.
// Run: node --experimental-strip-types scripts/make-events.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { ciNotification, githubDelivery } from '../test/support/api-gateway-event.ts';
import { webhookExamples } from '../test/support/webhook-examples.ts';

const wanted: Array<[event: string, action: string | undefined, file: string]> = [
  ['ping', undefined, 'ping'],
  ['pull_request', 'opened', 'pull_request.opened'],
  ['pull_request', 'synchronize', 'pull_request.synchronize'],
  ['pull_request', 'closed', 'pull_request.closed'],
  ['pull_request', 'reopened', 'pull_request.reopened'],
  ['pull_request', 'labeled', 'pull_request.labeled'],
  ['pull_request', 'ready_for_review', 'pull_request.ready_for_review'],
  ['check_suite', 'completed', 'check_suite.completed'],
  ['status', undefined, 'status'],
  ['workflow_run', 'completed', 'workflow_run.completed'],
  ['push', undefined, 'push'],
];

mkdirSync('events/github', { recursive: true });
mkdirSync('events/ci', { recursive: true });
mkdirSync('events/schedule', { recursive: true });
for (const [event, action, file] of wanted) {
  const payload = webhookExamples(event).find((p) => action === undefined || p['action'] === action);
  if (!payload) throw new Error(`no ${event}.${action} example`);
  writeFileSync(`events/github/${file}.json`, `${JSON.stringify(payload, null, 2)}\n`);
  const apigw = githubDelivery(event, payload, { deliveryId: `example-${file}` });
  writeFileSync(`events/github/${file}.apigw.json`, `${JSON.stringify(apigw, null, 2)}\n`);
}

const ci = {
  repo: 'Codertocat/Hello-World',
  sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
  branch: 'changes',
  image: 'registry.example.com/hello-world:ec26c3e',
  result: 'success',
  pr: 2,
  url: 'https://ci.example.com/builds/1',
};
writeFileSync('events/ci/build-succeeded.json', `${JSON.stringify(ci, null, 2)}\n`);
writeFileSync('events/ci/build-succeeded.apigw.json', `${JSON.stringify(ciNotification(ci), null, 2)}\n`);
const failed = { ...ci, result: 'failure' };
writeFileSync('events/ci/build-failed.apigw.json', `${JSON.stringify(ciNotification(failed), null, 2)}\n`);

const schedule = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-11-22T10:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:events:eu-west-1:123456789012:rule/switchyard-tick'],
  detail: {},
};
writeFileSync('events/schedule/tick.json', `${JSON.stringify(schedule, null, 2)}\n`);
console.log('events/ written');
