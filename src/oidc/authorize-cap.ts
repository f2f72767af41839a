/**
 * The cap on new login pages per client address: every `/oauth/authorize` that needs a sign-in or
 * consent stores an Interaction row before anyone has signed in, so without a cap one address
 * could grow the database without bound (OWASP ASVS V11.1.4 anti-automation; RFC 6749 §10.1 asks
 * the server to guard its endpoints against abuse).
 *
 * - Counted per address (IPv6 per /64, modules/abuse/address-subject.ts) in a fixed window in the
 *   database (modules/abuse/fixed-window.ts), so every instance shares one count. The address is
 *   Fastify's `request.ip`, which `YEON_TRUST_PROXY` governs.
 * - The hit is taken before oidc-provider runs, so a burst cannot slip past the count; when the
 *   answer turns out not to be a login page (an error page, or a code issued without one) the hit
 *   is given back, so signed-in people and broken links do not use up the allowance.
 * - Past the cap: 429 with `Retry-After` (RFC 6585 §4) and an error page in the person's language
 *   from the app's error handler; never a redirect to the app, whose `redirect_uri` has not even
 *   been checked yet.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/create-db.ts';
import { AppError } from '../errors/catalogue.ts';
import type { Clock } from '../lib/clock.ts';
import { addressSubject } from '../modules/abuse/address-subject.ts';
import { giveBack, takeHit, type WindowRule } from '../modules/abuse/fixed-window.ts';
import type { AdmitRequest } from './oidc.plugin.ts';
import { DEFAULT_INTERACTION_PATH, OIDC_ROUTES } from './provider.ts';

export interface AuthorizeCapOptions {
  db: Db;
  clock: Clock;
  /** new login pages per address and window (`YEON_AUTHORIZE_MAX_PER_IP`) */
  limit: number;
  windowMs: number;
  interactionPath?: string;
}

/** Whether oidc-provider answered with a redirect to a login or consent page. */
function openedLoginPage(res: ServerResponse, interactionPath: string): boolean {
  const location = res.getHeader('location');
  if (typeof location !== 'string') return false;
  try {
    return new URL(location, 'http://issuer.invalid').pathname.startsWith(`${interactionPath}/`);
  } catch {
    return false;
  }
}

export function createAuthorizeCap(options: AuthorizeCapOptions): AdmitRequest {
  const { db, clock } = options;
  const interactionPath = options.interactionPath ?? DEFAULT_INTERACTION_PATH;
  const rule: WindowRule = { rule: 'authorize_ip', limit: options.limit, windowMs: options.windowMs };

  return async function admitAuthorize(route: string, request: FastifyRequest) {
    if (route !== OIDC_ROUTES.authorization) return undefined;
    const subject = addressSubject(request.ip);
    const decision = await takeHit(db, rule, subject, clock.now());
    if (!decision.allowed) {
      const seconds = decision.retryAfterSeconds;
      throw new AppError('authorize_rate_limited', {
        retryAfterSeconds: seconds,
        params: { minutes: Math.max(1, Math.ceil(seconds / 60)) },
      });
    }
    return async (res: ServerResponse) => {
      if (openedLoginPage(res, interactionPath)) return;
      try {
        await giveBack(db, rule, subject, decision.windowStart);
      } catch (err) {
        // the answer is sent; a hit not given back only makes the cap a little stricter
        request.log.warn({ err }, 'authorize cap: could not give back a hit');
      }
    };
  };
}
