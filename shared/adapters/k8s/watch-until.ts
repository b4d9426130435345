import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { Watch } from '@kubernetes/client-node';
import { NotFoundError } from '../../errors.ts';
import { objectApi } from './apply-objects.ts';
import { isNetworkError, type KubeStatus, kubeStatusCode, toKubeError } from './kube-errors.ts';

/** What to watch: a kind, optionally in one namespace, narrowed by selectors. */
export interface WatchTarget {
  apiVersion: string;
  kind: string;
  /** Absent: all namespaces (or a cluster-scoped kind). */
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  /** e.g. `metadata.name=web` to follow one object. */
  fieldSelector?: string | undefined;
}

/**
 * JSON-shaped objects as the API server sends them (timestamps are strings). List results are
 * normalized to the same shape as watch events.
 */
export type WatchedObject = KubernetesObject & Record<string, unknown>;

export interface WatchUntilInput<R> extends WatchTarget {
  /**
   * Called with the current set of matching objects after the list and after every change; the first
   * non-undefined value it returns ends the watch.
   */
  until: (items: readonly WatchedObject[]) => R | undefined;
  /** Epoch milliseconds after which we give up (see deadlineFromRemaining for Lambda). */
  deadline: number;
  /** Start watching from this resourceVersion instead of listing first (resuming a previous watch). */
  resourceVersion?: string | undefined;
  /** Called when the watch had to relist because its resourceVersion expired (410). */
  onRelist?: ((reason: string) => void) | undefined;
  now?: (() => number) | undefined;
  /** Pause before reconnecting after a network failure. Default 500 ms. */
  retryDelayMs?: number | undefined;
}

export type WatchUntilResult<R> =
  | { met: true; value: R; items: WatchedObject[]; resourceVersion: string; relists: number; reconnects: number }
  | {
      met: false;
      items: WatchedObject[];
      resourceVersion: string | undefined;
      relists: number;
      reconnects: number;
      /** The last transient failure, when the deadline passed while the API server was unreachable. */
      lastError?: Error | undefined;
    };

/** The deadline for a Lambda invocation: its remaining time minus a margin to report and return. */
export function deadlineFromRemaining(remainingMs: number, nowMs: number, marginMs = 5_000): number {
  return nowMs + Math.max(0, remainingMs - marginMs);
}

// The API server closes a watch after this many seconds at most; we reconnect from the last version.
const SERVER_WATCH_TIMEOUT_S = 300;

/**
 * List, then watch from the list's resourceVersion, until `until` returns a value or the deadline passes.
 * - A resourceVersion that is too old (410 Expired/Gone, as an HTTP status or an in-stream ERROR event)
 *   is recovered by relisting, as client-go's reflector does.
 * - client-node 2.x aborts a raw watch after 30 s without data (TimeoutError); the server also closes
 *   watches after timeoutSeconds. Both are normal: we reconnect from the last resourceVersion seen.
 * - Network failures are retried until the deadline; other errors (404, 403, ...) are thrown mapped.
 */
export async function watchUntil<R>(kc: KubeConfig, input: WatchUntilInput<R>): Promise<WatchUntilResult<R>> {
  const now = input.now ?? Date.now;
  const retryDelay = input.retryDelayMs ?? 500;
  const path = await collectionPath(kc, input);
  const items = new Map<string, WatchedObject>();
  let rv: string | undefined = input.resourceVersion;
  let relists = 0;
  let reconnects = 0;
  let lastError: Error | undefined;
  const snapshot = () => [...items.values()];
  const done = (value: R): WatchUntilResult<R> => ({
    met: true,
    value,
    items: snapshot(),
    resourceVersion: rv ?? '',
    relists,
    reconnects,
  });

  while (now() < input.deadline) {
    if (rv === undefined) {
      try {
        const listed = await list(kc, input);
        items.clear();
        for (const item of listed.items) items.set(keyOf(item), item);
        rv = listed.resourceVersion;
        lastError = undefined;
      } catch (error) {
        const mapped = toKubeError(error, `list ${input.kind} for watch`);
        if (!mapped.retryable) throw mapped;
        lastError = mapped;
        await sleep(Math.min(retryDelay, Math.max(0, input.deadline - now())));
        continue;
      }
      const value = input.until(snapshot());
      if (value !== undefined) return done(value);
    }
    const session = await watchOnce(kc, path, input, rv, items, now);
    if (session.rv !== undefined) rv = session.rv;
    switch (session.outcome) {
      case 'met':
        return done(session.value as R);
      case 'expired':
        relists++;
        input.onRelist?.(session.reason);
        rv = undefined;
        break;
      case 'deadline':
        break;
      case 'closed':
        reconnects++;
        break;
      case 'failed':
        reconnects++;
        lastError = session.error;
        await sleep(Math.min(retryDelay, Math.max(0, input.deadline - now())));
        break;
    }
  }
  return { met: false, items: snapshot(), resourceVersion: rv, relists, reconnects, lastError };
}

type Session =
  | { outcome: 'met'; value: unknown; rv: string | undefined }
  | { outcome: 'expired'; reason: string; rv: undefined }
  | { outcome: 'closed' | 'deadline'; rv: string | undefined }
  | { outcome: 'failed'; error: Error; rv: string | undefined };

function watchOnce<R>(
  kc: KubeConfig,
  path: string,
  input: WatchUntilInput<R>,
  startRv: string | undefined,
  items: Map<string, WatchedObject>,
  now: () => number,
): Promise<Session> {
  return new Promise<Session>((resolve, reject) => {
    let rv = startRv;
    let settled = false;
    let controller: AbortController | undefined;
    const remainingS = Math.ceil((input.deadline - now()) / 1000);
    const finish = (session: Session | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      controller?.abort();
      if (session instanceof Error) reject(session);
      else resolve(session);
    };
    const timer = setTimeout(() => finish({ outcome: 'deadline', rv }), Math.max(0, input.deadline - now()));
    const onEvent = (type: string, object: unknown) => {
      if (settled) return;
      if (type === 'ERROR') {
        const status = object as KubeStatus;
        if (status.code === 410 || status.reason === 'Expired' || status.reason === 'Gone') {
          finish({ outcome: 'expired', reason: status.message ?? 'resourceVersion expired', rv: undefined });
        } else {
          finish({
            outcome: 'failed',
            error: new Error(`watch error: ${status.message ?? JSON.stringify(object)}`),
            rv,
          });
        }
        return;
      }
      const obj = object as WatchedObject;
      const objRv = obj.metadata?.resourceVersion;
      if (objRv) rv = objRv;
      if (type === 'BOOKMARK') return;
      if (type === 'DELETED') items.delete(keyOf(obj));
      else if (type === 'ADDED' || type === 'MODIFIED') items.set(keyOf(obj), obj);
      else return;
      const value = input.until([...items.values()]);
      if (value !== undefined) finish({ outcome: 'met', value, rv });
    };
    const onDone = (error: unknown) => {
      if (settled) return;
      if (!error) return finish({ outcome: 'closed', rv });
      if (kubeStatusCode(error) === 410) {
        return finish({ outcome: 'expired', reason: 'HTTP 410 Gone', rv: undefined });
      }
      const mapped = toKubeError(error, `watch ${input.kind}`);
      if ((error as { name?: string }).name === 'TimeoutError' || isNetworkError(error) || mapped.retryable) {
        return finish({ outcome: 'failed', error: mapped, rv });
      }
      finish(mapped);
    };
    new Watch(kc)
      .watch(
        path,
        {
          allowWatchBookmarks: true,
          resourceVersion: rv,
          labelSelector: input.labelSelector,
          fieldSelector: input.fieldSelector,
          timeoutSeconds: Math.max(1, Math.min(remainingS, SERVER_WATCH_TIMEOUT_S)),
        },
        onEvent,
        onDone,
      )
      .then((c) => {
        controller = c;
        if (settled) c.abort();
      }, onDone);
  });
}

async function list(kc: KubeConfig, target: WatchTarget): Promise<{ items: WatchedObject[]; resourceVersion: string }> {
  const result = await objectApi(kc).list(
    target.apiVersion,
    target.kind,
    target.namespace,
    undefined,
    undefined,
    undefined,
    target.fieldSelector,
    target.labelSelector,
  );
  // client-node deserializes lists into model classes (Date objects); watch events are plain JSON.
  const items = result.items.map((item) => ({
    ...(JSON.parse(JSON.stringify(item)) as WatchedObject),
    apiVersion: target.apiVersion,
    kind: target.kind,
  }));
  return { items, resourceVersion: result.metadata?.resourceVersion ?? '' };
}

/** The collection URL path of a kind (`/apis/apps/v1/namespaces/ns/deployments`), from API discovery. */
export async function collectionPath(kc: KubeConfig, target: WatchTarget): Promise<string> {
  // specUriPath is protected in client-node's types but is the library's own discovery-backed builder.
  const api = objectApi(kc) as unknown as {
    specUriPath(spec: KubernetesObject, action: 'list'): Promise<string>;
  };
  try {
    return await api.specUriPath(
      {
        apiVersion: target.apiVersion,
        kind: target.kind,
        metadata: target.namespace ? { namespace: target.namespace } : {},
      },
      'list',
    );
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('Unrecognized API version and kind')) {
      throw new NotFoundError(`the API server does not serve ${target.apiVersion} ${target.kind}`, { cause: error });
    }
    throw toKubeError(error, `discover ${target.apiVersion} ${target.kind}`);
  }
}

function keyOf(obj: KubernetesObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
