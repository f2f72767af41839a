/**
 * Table of migration 2026-12-06T1000_consent_events: every agreement to and withdrawal of an
 * optional item, kept after the grant changes again (`connection_consents` keeps only the latest).
 */

export interface ConsentEventsTable {
  id: string;
  account_id: string;
  app_id: number;
  item: string;
  /** 'agreed' | 'withdrawn' */
  kind: string;
  at: number;
}

export interface ConsentEventsTables {
  consent_events: ConsentEventsTable;
}
