/**
 * The consent state of one person at one app, and the rules read from it, in one place: which
 * items the app offers and in which mode, which the person agreed to and has not withdrawn, and
 * which were withdrawn. Live consents are the truth for every answer: a withdrawn item leaves the
 * consent page, /v2/user/me, /v2/user/scopes, the connected-services page and every token answer
 * at once (Kakao REST API "Revoke consent"). Pure: the statements that read the rows are in
 * consent-reads.ts, and each of them builds its state with `consentStateOf`.
 */
import type { ConsentMode } from '../apps/apps.types.ts';

// The modes are the app registry's (Kakao "Consent items": 필수 / 선택 / 이용 중 동의 / 사용 안 함).
export type { ConsentMode } from '../apps/apps.types.ts';

/** An item as the app configured it; the purposes are read only where a page shows them. */
export interface ConfiguredItem {
  item: string;
  mode: ConsentMode;
  purpose_ko?: string | null;
  purpose_en?: string | null;
}

export interface ConsentState {
  /** item → mode; items never configured are absent (= off) */
  modes: Record<string, ConsentMode>;
  /** the configured items with their purposes, for the consent page */
  items: ConfiguredItem[];
  /** items the app offers now (mode not 'off') */
  offered: Set<string>;
  /** live agreed items, offered or not; undefined when the person is not linked to the app */
  agreed: Set<string> | undefined;
  /** items agreed on this link and withdrawn since */
  withdrawn: Set<string>;
}

export interface ConsentRows {
  items: readonly ConfiguredItem[];
  /** the live link's consent rows, withdrawn or not; undefined when not linked */
  consents: ReadonlyArray<{ item: string; withdrawn_at: number | null }> | undefined;
}

/** Whether an item in this mode is offered (asked for, answered, released). */
export function isOffered(mode: ConsentMode | undefined): boolean {
  return mode !== undefined && mode !== 'off';
}

/**
 * Whether the person may withdraw an agreed item in this mode through the Kakao API: optional and
 * during-use items only; a required item is stopped by unlinking (Kakao REST API "Revoke consent").
 */
export function isRevocable(mode: ConsentMode | undefined): boolean {
  return mode === 'optional' || mode === 'during_use';
}

/** The state from its rows: the one place that turns modes and consent rows into an answer. */
export function consentStateOf(rows: ConsentRows): ConsentState {
  const modes: Record<string, ConsentMode> = {};
  for (const i of rows.items) modes[i.item] = i.mode;
  const offered = new Set(Object.keys(modes).filter((item) => isOffered(modes[item])));
  if (!rows.consents)
    return { modes, items: [...rows.items], offered, agreed: undefined, withdrawn: new Set() };
  const agreed = new Set<string>();
  const withdrawn = new Set<string>();
  for (const c of rows.consents) (c.withdrawn_at === null ? agreed : withdrawn).add(c.item);
  return { modes, items: [...rows.items], offered, agreed, withdrawn };
}

/** An item whose value may be released: agreed, not withdrawn, and still offered by the app. */
export function isReleased(state: Pick<ConsentState, 'modes' | 'agreed'>, item: string): boolean {
  return !!state.agreed?.has(item) && isOffered(state.modes[item]);
}

/** Items the person agreed to at some time on this link, withdrawn or not. */
export function everAgreed(state: Pick<ConsentState, 'agreed' | 'withdrawn'>): Set<string> {
  return new Set([...(state.agreed ?? []), ...state.withdrawn]);
}
