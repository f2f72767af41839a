/**
 * Tables of migration 2026-12-06T0700_receipt_links: the links that open a deletion receipt
 * without a session. Timestamps are epoch ms.
 */
export interface ReceiptLinksTable {
  /** SHA-256 (base64url) of the link's token; the token itself is shown once, in the URL */
  token_hash: string;
  /** JSON array of the notification ids (outbox rows) this receipt follows */
  notification_ids: string;
  created_at: number;
  expires_at: number;
}

export interface ReceiptsTables {
  receipt_links: ReceiptLinksTable;
}
