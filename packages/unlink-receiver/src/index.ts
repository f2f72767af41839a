/**
 * @yeon/unlink-receiver: verify and parse unlink callbacks from yeon (Kakao-compatible wire
 * format plus Standard Webhooks signatures). No dependencies beyond node:crypto.
 */
export {
  type DeletionReceipt,
  handleUnlinkRequest,
  type UnlinkHandlerOptions,
  type UnlinkHandlerResult,
} from './handler.ts';
export { createIdempotencyStore, type IdempotencyStore } from './idempotency.ts';
export {
  isTestNotification,
  parseUnlinkRequest,
  rawQuery,
  signedPayload,
  type UnlinkEvent,
  UnlinkRequestError,
  type UnlinkRequestLike,
} from './parse.ts';
export {
  getHeader,
  type HeadersLike,
  verifyKakaoAK,
  verifyStandardWebhook,
  type WebhookVerification,
} from './verify.ts';
