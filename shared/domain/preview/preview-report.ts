import { commentMarker, shortSha } from '../naming.ts';

/**
 * What GitHub is told about a preview: the commit status text and the one PR comment. The comment
 * carries event times, never "now", so a redelivered event renders the same body and edits nothing.
 */

export type PreviewState = 'waiting-ci' | 'deploying' | 'ready' | 'failed' | 'ci-failed' | 'refused' | 'removed';

export interface CommentInput {
  app: string;
  state: PreviewState;
  /** The commit the message is about (head). */
  sha: string;
  /** The commit the running preview runs, if any. */
  deployedSha: string | null;
  url: string | null;
  message: string;
  /** When it happened (event or rollout time), ISO 8601. */
  time: string;
  ciUrl?: string | null;
}

const TITLE: Record<PreviewState, string> = {
  'waiting-ci': 'Waiting for CI',
  deploying: 'Deploying',
  ready: 'Ready',
  failed: 'Deployment failed',
  'ci-failed': 'CI failed',
  refused: 'No preview',
  removed: 'Removed',
};

const ICON: Record<PreviewState, string> = {
  'waiting-ci': '⏳',
  deploying: '🚧',
  ready: '✅',
  failed: '❌',
  'ci-failed': '❌',
  refused: '🚫',
  removed: '🗑️',
};

export function renderComment(input: CommentInput): string {
  const lines = [
    commentMarker(input.app),
    `### ${ICON[input.state]} Preview of \`${input.app}\`: ${TITLE[input.state]}`,
    '',
    input.message,
    '',
    '| | |',
    '|---|---|',
  ];
  if (input.url && input.state !== 'removed') lines.push(`| URL | ${input.url} |`);
  lines.push(`| Commit | \`${shortSha(input.sha)}\` |`);
  if (input.deployedSha && input.deployedSha !== input.sha && input.state !== 'removed') {
    lines.push(`| Running | \`${shortSha(input.deployedSha)}\` |`);
  }
  if (input.ciUrl) lines.push(`| CI | ${input.ciUrl} |`);
  lines.push(`| Updated | ${input.time} |`);
  return lines.join('\n');
}

/** Commit status descriptions (the adapter still truncates to GitHub's 140 characters). */
export const describe = {
  awaitCi: (sha: string) => `Waiting for CI to pass on ${shortSha(sha)} before deploying the preview`,
  deploying: (sha: string) => `Deploying ${shortSha(sha)} to the preview`,
  ready: (sha: string) => `Preview of ${shortSha(sha)} is ready`,
  failed: (sha: string, why: string) => `Preview of ${shortSha(sha)} failed: ${why}`,
  ciFailed: (sha: string, check: string | null) =>
    `CI failed on ${shortSha(sha)}${check ? ` (${check})` : ''}; preview not updated`,
};

export function previewUrl(host: string): string {
  return `https://${host}`;
}
