/**
 * Reissuing an app key with an overlap (Kakao Developers lets a developer reissue the REST API and
 * admin keys): the choices, and how keys in their overlap are shown. Pure: no I/O.
 */
import type { FieldIssue } from '../../errors/catalogue.ts';
import type { AppKeyKind } from './apps.types.ts';

/**
 * Keys that can be reissued. The native app key cannot: it is part of the app's redirect URI
 * (`kakao{NATIVE_APP_KEY}://oauth`, Kakao Android/iOS SDK), which lives in shipped app builds.
 */
export const ROTATABLE_KEY_KINDS = [
  'rest_api',
  'javascript',
  'admin',
] as const satisfies readonly AppKeyKind[];
export type RotatableKeyKind = (typeof ROTATABLE_KEY_KINDS)[number];

/** How long the replaced key keeps working: stop at once, or overlap for 1 hour, 24 hours or 7 days. */
export const KEY_OVERLAPS = { now: 0, '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 } as const;
export type KeyOverlap = keyof typeof KEY_OVERLAPS;
export const DEFAULT_KEY_OVERLAP: KeyOverlap = '24h';

/**
 * At most this many working keys of one kind: the current one and the replaced ones still in their
 * overlap. A double-clicked "reissue" leaves two old keys working, never stops one early.
 */
export const MAX_WORKING_KEYS_PER_KIND = 3;

export interface RotationInput {
  kind?: unknown;
  /** 'now' | '1h' | '24h' | '7d'; absent = 24h */
  overlap?: unknown;
}

export function parseRotation(input: RotationInput): {
  value?: { kind: RotatableKeyKind; overlap: KeyOverlap; overlapMs: number };
  issues: FieldIssue[];
} {
  const issues: FieldIssue[] = [];
  const kind = input.kind;
  const overlap = input.overlap === undefined || input.overlap === '' ? DEFAULT_KEY_OVERLAP : input.overlap;
  const kindOk = typeof kind === 'string' && (ROTATABLE_KEY_KINDS as readonly string[]).includes(kind);
  const overlapOk = typeof overlap === 'string' && Object.hasOwn(KEY_OVERLAPS, overlap);
  if (!kindOk) issues.push({ field: 'kind', message: 'console.rotation.kind_invalid' });
  if (!overlapOk) issues.push({ field: 'overlap', message: 'console.rotation.overlap_invalid' });
  if (!kindOk || !overlapOk) return { issues };
  const chosen = overlap as KeyOverlap;
  return {
    value: { kind: kind as RotatableKeyKind, overlap: chosen, overlapMs: KEY_OVERLAPS[chosen] },
    issues,
  };
}

/** A replaced key that still works until `expires_at`. Admin keys are null for plain members. */
export interface PreviousKey {
  id: string;
  kind: RotatableKeyKind;
  key: string | null;
  created_at: number;
  expires_at: number;
}

/** What a reissue answers: the new key, shown once here and always in the console after. */
export interface RotatedKey {
  id: string;
  kind: RotatableKeyKind;
  key: string;
  created_at: number;
  /** when the replaced keys stop (now, for overlap `now`) */
  previous_expires_at: number;
}

/** One working key of an app, as `yeon app keys list` and the JSON API list them. */
export interface WorkingKey {
  id: string;
  kind: AppKeyKind;
  /** null: an admin key, for a member who may not see secrets */
  key: string | null;
  created_at: number;
  /** null for a current key; otherwise the end of its overlap */
  expires_at: number | null;
}
