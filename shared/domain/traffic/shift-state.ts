import { MAX_TXT_STRING } from './check-change-batch.ts';
import { parseTxtValue, txtValue } from './record-set.ts';

/**
 * A shift's progress, kept in Route 53 itself as the TXT record `_switchyard.<name>` (docs/traffic-shifting.md, "State").
 * Compact on purpose: TXT strings hold at most 255 characters each and the whole value is rewritten by
 * an exact DELETE + CREATE on every transition (the compare-and-set).
 */
export type ShiftPhase = 'running' | 'paused' | 'aborted' | 'done';

export interface ShiftState {
  phase: ShiftPhase;
  /** Index of the applied step; -1 while the TTL is lowered and the old one waited out. */
  step: number;
  /** Highest step whose hold finished with every gate passing (-1: none). */
  good: number;
  /** When the current step was applied (epoch seconds). */
  at: number;
  /** Seconds to wait at step -1 (the old TTL). */
  wait: number;
  /** Why the shift is paused/aborted: `manual`, `gate:<which>`, `drift`, `config`, `rollback`. */
  reason?: string;
  /** A change that was still PENDING when its tick ended (bare id); nothing counts until it is INSYNC. */
  change?: string;
  /** Fingerprint of the config the steps came from. */
  fp: string;
  /** When the shift started (epoch seconds). */
  started: number;
  /** Kubernetes percent over time: [epoch seconds, percent]. */
  history: [number, number][];
  /**
   * A random id of the write that produced this state. When Route 53's answer to a batch is lost, a
   * state record carrying our own id proves the batch was applied (and by us, not by a racing writer).
   */
  op?: string;
}

const PHASES: Record<string, ShiftPhase> = { r: 'running', p: 'paused', a: 'aborted', d: 'done' };
const PHASE_CODES: Record<ShiftPhase, string> = { running: 'r', paused: 'p', aborted: 'a', done: 'd' };
/** Enough points to draw a shift of dozens of steps; older middle points are dropped first. */
export const MAX_HISTORY = 40;

const b36 = (n: number) => Math.max(0, Math.round(n)).toString(36);
const int36 = (s: string | undefined) => (s === undefined || s === '' ? Number.NaN : Number.parseInt(s, 36));

export function trimHistory(history: [number, number][]): [number, number][] {
  if (history.length <= MAX_HISTORY) return history;
  return [history[0]!, ...history.slice(history.length - (MAX_HISTORY - 1))];
}

/** `sy1;p=r;s=2;g=1;a=<b36>;w=300;f=<fp>;t=<b36>[;r=..][;c=..][;o=..];h=<dmin>.<pct>,...` in 255-char strings. */
export function encodeState(state: ShiftState): string[] {
  const fields = [
    'sy1',
    `p=${PHASE_CODES[state.phase]}`,
    `s=${state.step}`,
    `g=${state.good}`,
    `a=${b36(state.at)}`,
    `w=${b36(state.wait)}`,
    `f=${state.fp}`,
    `t=${b36(state.started)}`,
  ];
  if (state.reason) fields.push(`r=${state.reason.replace(/[^A-Za-z0-9:_.-]/g, '-').slice(0, 60)}`);
  if (state.change) fields.push(`c=${state.change.replace(/[^A-Za-z0-9]/g, '')}`);
  if (state.op) fields.push(`o=${state.op.replace(/[^A-Za-z0-9]/g, '').slice(0, 16)}`);
  const hist = trimHistory(state.history)
    .map(([t, p]) => `${b36((t - state.started) / 60)}.${b36(p)}`)
    .join(',');
  fields.push(`h=${hist}`);
  const text = fields.join(';');
  const out: string[] = [];
  for (let i = 0; i < text.length; i += MAX_TXT_STRING) out.push(text.slice(i, i + MAX_TXT_STRING));
  return out;
}

export function stateTxtValue(state: ShiftState): string {
  return txtValue(encodeState(state));
}

/** Null when the value is not ours or not readable (the caller reports it; nothing is guessed). */
export function decodeState(txt: string): ShiftState | null {
  const text = parseTxtValue(txt).join('');
  const parts = text.split(';');
  if (parts[0] !== 'sy1') return null;
  const kv = new Map<string, string>();
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq > 0) kv.set(p.slice(0, eq), p.slice(eq + 1));
  }
  const phase = PHASES[kv.get('p') ?? ''];
  const step = Number(kv.get('s'));
  const good = Number(kv.get('g'));
  const at = int36(kv.get('a'));
  const wait = int36(kv.get('w'));
  const started = int36(kv.get('t'));
  const fp = kv.get('f');
  if (!phase || ![step, good, at, wait, started].every(Number.isFinite) || fp === undefined) return null;
  const history: [number, number][] = [];
  for (const entry of (kv.get('h') ?? '').split(',').filter(Boolean)) {
    const [dm, pct] = entry.split('.');
    const t = int36(dm);
    const p = int36(pct);
    if (!Number.isFinite(t) || !Number.isFinite(p)) return null;
    history.push([started + t * 60, p]);
  }
  const state: ShiftState = { phase, step, good, at, wait, fp, started, history };
  const reason = kv.get('r');
  if (reason) state.reason = reason;
  const change = kv.get('c');
  if (change) state.change = change;
  const op = kv.get('o');
  if (op) state.op = op;
  return state;
}
