/**
 * passport-kakao 1 ships JavaScript without type declarations; this is the part the real-client
 * test uses (dist/Strategy.js): an OAuth2Strategy whose constructor fixes Kakao's URLs and whose
 * profile URL is an instance field.
 */
declare module 'passport-kakao' {
  import OAuth2Strategy from 'passport-oauth2';

  export interface StrategyOptions {
    clientID: string;
    clientSecret?: string;
    callbackURL: string;
    state?: boolean;
    scopeSeparator?: string;
    userAgent?: string;
  }

  export type VerifyFunction = (
    accessToken: string,
    refreshToken: string | undefined,
    params: Record<string, unknown>,
    profile: { provider: 'kakao'; id: number; username?: string; _json: Record<string, unknown> },
    done: (err: Error | null, user?: object) => void,
  ) => void;

  export class Strategy extends OAuth2Strategy {
    constructor(options: StrategyOptions, verify: VerifyFunction);
    _userProfileURL: string;
  }
}
