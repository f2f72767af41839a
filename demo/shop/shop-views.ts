/** Demo Shop's pages (English only: it stands for a third-party app, not part of yeon's UI). */
import { type Html, html, page } from '../common/demo-app.ts';
import type { ShopUser } from './shop-db.ts';

const BRAND = 'Demo Shop · 데모 숍';
const COLOR = '#2f5d8a';

function shell(title: string, body: Html): string {
  return page({ title, brand: BRAND, color: COLOR, body });
}

export function homePage(current?: {
  user: ShopUser;
  csrf: string;
  wishes: Array<{ id: number; item: string; created_at: number }>;
}): string {
  if (!current) {
    return shell(
      'Demo Shop',
      html`<section data-testid="logged-out">
        <h1>Welcome to Demo Shop</h1>
        <p>Log in with your yeon account to keep a wish list here.</p>
        <p><a class="button" href="/login" data-testid="login">Log in with yeon</a></p>
        <p class="muted">Demo Shop asks for your nickname (required) and email (optional), and
        deletes everything it holds about you when you disconnect it in yeon.</p>
      </section>`,
    );
  }
  const { user, csrf, wishes } = current;
  return shell(
    'Demo Shop',
    html`<section data-testid="profile">
        <h1>Hello, ${user.nickname ?? 'there'}</h1>
        <table>
          <tr><th>App user id (sub)</th><td data-testid="user-id">${user.id}</td></tr>
          <tr><th>Email</th><td>${user.email ?? '(not shared)'}</td></tr>
        </table>
        <form method="post" action="/logout" style="margin-top:12px">
          <input type="hidden" name="csrf" value="${csrf}">
          <button class="secondary" type="submit">Log out</button>
        </form>
      </section>
      <section>
        <h2>Your wish list</h2>
        ${
          wishes.length
            ? html`<ul data-testid="wishes">${wishes.map((w) => html`<li>${w.item}</li>`)}</ul>`
            : html`<p class="muted" data-testid="no-wishes">Nothing yet.</p>`
        }
        <form method="post" action="/wishes">
          <input type="hidden" name="csrf" value="${csrf}">
          <input type="text" name="item" maxlength="100" placeholder="e.g. a blue mug" aria-label="Wish" required>
          <button type="submit">Add wish</button>
        </form>
      </section>
      <section>
        <h2>What yeon told us</h2>
        <p class="muted">ID token claims (OpenID Connect):</p>
        <pre data-testid="claims">${user.id_token_claims}</pre>
        <p class="muted">GET /v2/user/me (Kakao-compatible):</p>
        <pre data-testid="user-me">${user.user_me}</pre>
      </section>`,
  );
}

export function deletionPage(record: {
  code: string;
  referrer_type: string;
  wishes_deleted: number;
  profile_deleted: number;
  deleted_at: number;
}): string {
  return shell(
    'Deletion receipt · Demo Shop',
    html`<section data-testid="deletion">
      <h1>Your data is gone</h1>
      <p class="ok">Demo Shop deleted everything it held about you.</p>
      <table>
        <tr><th>Confirmation code</th><td data-testid="confirmation-code">${record.code}</td></tr>
        <tr><th>Deleted at</th><td>${new Date(record.deleted_at).toISOString()}</td></tr>
        <tr><th>Profile</th><td>${record.profile_deleted ? 'deleted' : 'none was stored'}</td></tr>
        <tr><th>Wishes</th><td>${record.wishes_deleted} deleted</td></tr>
        <tr><th>Reason</th><td>${record.referrer_type}</td></tr>
      </table>
      <p class="muted">This page keeps only the code, the time and the counts: nothing that
      identifies you.</p>
      <p><a href="/">Back to Demo Shop</a></p>
    </section>`,
  );
}

export function privacyPage(): string {
  return shell(
    'Privacy · Demo Shop',
    html`<section><h1>Privacy</h1>
      <p>Demo Shop stores your yeon app user id, nickname, email (if you share it) and your wish
      list. When you disconnect Demo Shop in yeon, yeon notifies us and we delete all of it at once,
      then send yeon a deletion receipt you can see in Manage Connected Services.</p></section>`,
  );
}

export function errorPage(message: string, detail?: string): string {
  return shell(
    'Demo Shop',
    html`<section><h1>${message}</h1>${detail ? html`<p class="muted">${detail}</p>` : ''}
      <p><a href="/">Back to Demo Shop</a></p></section>`,
  );
}
