/**
 * Baseline for refresh_token grants: bare oidc-provider on node:http with an in-memory adapter,
 * the same client (public, PKCE), the same scope and the same rotation rule as yeon (no rotation
 * while more than 30 days remain). The stock MemoryAdapter is an LRU of 1,000 entries that would
 * evict the minted tokens, so this one is a plain Map. Args: <clientId> <tokenCount> <tokensFile>.
 * Prints `PORT <n>` once listening and the tokens are written.
 *
 * Fairness: the scope has no `openid` on either side, so neither signs an ID
 * token (RS256 would cost both the same); both store an opaque access token per grant. What yeon
 * does on top, by design, is the measured difference: its client comes from the apps registry on
 * every request (console edits apply at once) where this one is static and cached by oidc-provider,
 * its account is read from the database where this one is a stub, and its tokens and grant are SQL
 * rows where these are Map entries.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';

const [clientId = 'bench', countArg = '1000', tokensFile = '/dev/null'] = process.argv.slice(2);
const store = new Map<string, AdapterPayload>();
const grantIndex = new Map<string, string[]>();

class MapAdapter implements Adapter {
  constructor(private readonly name: string) {}
  private key(id: string) {
    return `${this.name}:${id}`;
  }
  async upsert(id: string, payload: AdapterPayload) {
    store.set(this.key(id), payload);
    if (payload.grantId) {
      const list = grantIndex.get(payload.grantId) ?? [];
      list.push(this.key(id));
      grantIndex.set(payload.grantId, list);
    }
  }
  async find(id: string) {
    return store.get(this.key(id));
  }
  async findByUserCode() {
    return undefined;
  }
  async findByUid(uid: string) {
    for (const v of store.values()) if (v.uid === uid) return v;
    return undefined;
  }
  async consume(id: string) {
    const v = store.get(this.key(id));
    if (v) v.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    store.delete(this.key(id));
  }
  async revokeByGrantId(grantId: string) {
    for (const k of grantIndex.get(grantId) ?? []) store.delete(k);
    grantIndex.delete(grantId);
  }
}

const DAY = 86_400;
const provider = new Provider('http://127.0.0.1', {
  adapter: MapAdapter,
  clients: [
    {
      client_id: clientId,
      token_endpoint_auth_method: 'none',
      redirect_uris: ['https://rp.bench.invalid/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ],
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  routes: { token: '/oauth/token' },
  scopes: ['openid', 'profile_nickname', 'account_email'],
  claims: { openid: ['sub'], profile_nickname: ['nickname'], account_email: ['email'] },
  issueRefreshToken: async () => true,
  rotateRefreshToken: (ctx) => (ctx.oidc.entities.RefreshToken?.remainingTTL ?? 0) < 30 * DAY,
  ttl: { AccessToken: 6 * 3600, RefreshToken: 60 * DAY, Grant: 60 * DAY },
  features: { devInteractions: { enabled: false } },
});

const client = await provider.Client.find(clientId);
if (!client) throw new Error('no client');
const tokens: string[] = [];
const people = 64;
const grants: string[] = [];
for (let i = 0; i < people; i++) {
  const grant = new provider.Grant({ accountId: `user${i}`, clientId });
  grant.addOIDCScope('profile_nickname account_email');
  grants.push(await grant.save());
}
for (let i = 0; i < Number(countArg); i++) {
  const rt = new provider.RefreshToken({
    accountId: `user${i % people}`,
    client,
    grantId: grants[i % people]!,
    scope: 'profile_nickname account_email',
    gty: 'authorization_code',
  });
  tokens.push(await rt.save());
}
writeFileSync(tokensFile, JSON.stringify(tokens));
const server = createServer(provider.callback());
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
