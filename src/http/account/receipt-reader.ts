/**
 * Whom a receipt's `.json` twin is worded for: the language and time zone of the page it feeds
 * (`viewContext` without the CSRF token, which a poll needs not and should not mint).
 */
import type { FastifyRequest } from 'fastify';
import { TIME_ZONE_COOKIE, timeZoneOr } from '../../i18n/dates.ts';
import type { ReceiptReader } from '../../views/pages/connected/receipt-pages.tsx';

export function receiptReaderOf(request: FastifyRequest): ReceiptReader {
  return {
    t: request.t,
    locale: request.locale,
    timeZone: timeZoneOr(request.cookies[TIME_ZONE_COOKIE], request.locale),
    now: request.server.services.clock.now(),
  };
}
