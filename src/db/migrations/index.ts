/**
 * The ordered list of migrations. Listed explicitly (not read from the folder) so that the same
 * code runs from source under tsx and from any bundle, and so that a review sees every schema step.
 * Names sort by time; forward-only in production (`down` is for local use).
 */
import type { Migration } from 'kysely';
import * as m0001 from './2026-11-24T0000_accounts_sessions.ts';
import * as m0100 from './2026-11-24T0100_apps.ts';
import * as m0200 from './2026-11-24T0200_oidc.ts';
import * as m0300 from './2026-11-24T0300_connections.ts';
import * as m0400 from './2026-11-24T0400_notifications.ts';
import * as m0500 from './2026-11-24T0500_kakao_properties.ts';
import * as m0600 from './2026-11-24T0600_notification_claim_indexes.ts';
import * as m0601 from './2026-11-24T0600_notification_pending_app_idx.ts';
import * as m0800 from './2026-11-24T0800_oidc_sparse_indexes.ts';
import * as m1000 from './2026-12-05T0000_app_oauth_strictness.ts';
import * as m1001 from './2026-12-05T0100_api_quota.ts';
import * as m1002 from './2026-12-05T0200_refresh_replays.ts';
import * as m1100 from './2026-12-06T0000_oidc_payload_hashes.ts';
import * as m1101 from './2026-12-06T0100_secrets_at_rest.ts';
import * as m1102 from './2026-12-06T0200_abuse_limits.ts';
import * as m1103 from './2026-12-06T0300_devices_security_events.ts';
import * as m1104 from './2026-12-06T0400_mail_outbox.ts';
import * as m1105 from './2026-12-06T0500_account_recovery.ts';
import * as m1106 from './2026-12-06T0600_app_invitations.ts';
import * as m1107 from './2026-12-06T0700_receipt_links.ts';
import * as m1108 from './2026-12-06T0800_app_policy_links.ts';
import * as m1109 from './2026-12-06T0900_profile_images.ts';
import * as m1110 from './2026-12-06T1000_consent_events.ts';
import * as m1111 from './2026-12-06T1100_notifications_app_user_idx.ts';
import * as m1112 from './2026-12-06T1200_app_key_rotation.ts';
import * as m1113 from './2026-12-06T1300_delivery_log.ts';
import * as m1114 from './2026-12-06T1400_developer_token_expiry.ts';
import * as m1115 from './2026-12-06T1500_revocation_epoch.ts';
import * as m1116 from './2026-12-06T1600_app_deletion.ts';

export const migrations: Record<string, Migration> = {
  '2026-11-24T0000_accounts_sessions': m0001,
  '2026-11-24T0100_apps': m0100,
  '2026-11-24T0200_oidc': m0200,
  '2026-11-24T0300_connections': m0300,
  '2026-11-24T0400_notifications': m0400,
  '2026-11-24T0500_kakao_properties': m0500,
  '2026-11-24T0600_notification_claim_indexes': m0600,
  '2026-11-24T0600_notification_pending_app_idx': m0601,
  '2026-11-24T0800_oidc_sparse_indexes': m0800,
  '2026-12-05T0000_app_oauth_strictness': m1000,
  '2026-12-05T0100_api_quota': m1001,
  '2026-12-05T0200_refresh_replays': m1002,
  '2026-12-06T0000_oidc_payload_hashes': m1100,
  '2026-12-06T0100_secrets_at_rest': m1101,
  '2026-12-06T0200_abuse_limits': m1102,
  '2026-12-06T0300_devices_security_events': m1103,
  '2026-12-06T0400_mail_outbox': m1104,
  '2026-12-06T0500_account_recovery': m1105,
  '2026-12-06T0600_app_invitations': m1106,
  '2026-12-06T0700_receipt_links': m1107,
  '2026-12-06T0800_app_policy_links': m1108,
  '2026-12-06T0900_profile_images': m1109,
  '2026-12-06T1000_consent_events': m1110,
  '2026-12-06T1100_notifications_app_user_idx': m1111,
  '2026-12-06T1200_app_key_rotation': m1112,
  '2026-12-06T1300_delivery_log': m1113,
  '2026-12-06T1400_developer_token_expiry': m1114,
  '2026-12-06T1500_revocation_epoch': m1115,
  '2026-12-06T1600_app_deletion': m1116,
};
