/**
 * POST /signup and POST /account: every validation error is specific, shown
 * accessibly, and saves nothing; emails are unique case-insensitively.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Db } from '../../src/db/create-db.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

const EN = { 'accept-language': 'en' };
const GOOD = { email: 'mina@example.com', password: 'correct horse battery', nickname: 'Mina' };

async function countAccounts(db: Db): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The text of the field's inline error, and whether its input is marked invalid. */
function fieldState(html: string, field: string): { error?: string; invalid: boolean } {
  const error = new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(html)?.[1];
  const input = new RegExp(`<(?:input|select) id="${field}"[^>]*>`).exec(html)?.[0] ?? '';
  return { error, invalid: input.includes('aria-invalid="true"') };
}

describe('POST /signup', () => {
  it('creates the account, starts a session and redirects to /account', async (t) => {
    const { app, db } = await buildTestApp(t);
    const agent = new Agent(app, EN);
    const res = await agent.signUp(GOOD.email, GOOD.password, GOOD.nickname);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account');
    assert.ok(agent.cookies.get('yeon_session'));
    const row = await db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.email, 'mina@example.com');
    assert.equal(row.nickname, 'Mina');
    assert.notEqual(row.password_hash, GOOD.password);
    assert.equal(row.locale, 'en');
    const page = await agent.get('/account');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /mina@example\.com/);
  });

  const cases: Array<{ name: string; form: Partial<typeof GOOD>; field: string; text: RegExp }> = [
    { name: 'a short password', form: { password: 'short7!' }, field: 'password', text: /at least 8/ },
    { name: 'a common password', form: { password: 'password1' }, field: 'password', text: /too common/ },
    { name: 'an invalid email', form: { email: 'not-an-email' }, field: 'email', text: /valid email/ },
    { name: 'a missing email', form: { email: '' }, field: 'email', text: /required/ },
    { name: 'a missing nickname', form: { nickname: '  ' }, field: 'nickname', text: /required/ },
    {
      name: 'a too long nickname',
      form: { nickname: 'x'.repeat(41) },
      field: 'nickname',
      text: /at most 40/,
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name} with a specific message and saves nothing`, async (t) => {
      const { app, db } = await buildTestApp(t);
      const agent = new Agent(app, EN);
      await agent.get('/signup');
      const res = await agent.post('/signup', { ...GOOD, ...c.form });
      assert.equal(res.statusCode, 400);
      const state = fieldState(res.body, c.field);
      assert.match(state.error ?? '', c.text);
      assert.equal(state.invalid, true, `${c.field} has aria-invalid`);
      assert.equal(await countAccounts(db), 0);
      assert.equal(agent.cookies.get('yeon_session'), undefined);
    });
  }

  it('re-renders the typed values (never the password) with an error summary linking to each field', async (t) => {
    const { app } = await buildTestApp(t);
    const agent = new Agent(app, EN);
    await agent.get('/signup');
    const res = await agent.post('/signup', {
      email: 'bad',
      password: 'short',
      nickname: '<b>Mina</b>',
    });
    assert.equal(res.statusCode, 400);
    const summary = /<div class="alert error" role="alert"[^>]*id="error-summary">([\s\S]*?)<\/div>/.exec(
      res.body,
    )?.[1];
    assert.ok(summary, 'error summary with role=alert');
    assert.match(summary, /href="#email"/);
    assert.match(summary, /href="#password"/);
    assert.doesNotMatch(summary, /href="#nickname"/);
    assert.match(res.body, /<input id="email" name="email" type="email" value="bad"/);
    assert.match(res.body, /value="&lt;b&gt;Mina&lt;\/b&gt;"/, 'values are escaped');
    assert.doesNotMatch(res.body, /value="short"/, 'the password is not echoed');
    assert.match(res.body, /aria-describedby="password-hint password-error"/);
    assert.equal(fieldState(res.body, 'nickname').invalid, false);
  });

  it('treats emails as unique case-insensitively: A@x.com then a@X.com is email_taken, one row', async (t) => {
    const { app, db } = await buildTestApp(t);
    const first = await new Agent(app, EN).signUp('A@x.com');
    assert.equal(first.statusCode, 303);
    const second = new Agent(app, EN);
    const res = await second.signUp('a@X.com', 'another good passphrase', 'Other');
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /already exists/);
    assert.equal(second.cookies.get('yeon_session'), undefined);
    assert.equal(await countAccounts(db), 1);
    const row = await db.selectFrom('accounts').select(['email', 'nickname']).executeTakeFirstOrThrow();
    assert.deepEqual(row, { email: 'A@x.com', nickname: 'Tester' });
  });

  it('lets the unique index decide between two simultaneous sign-ups for one email', async (t) => {
    const { app, db } = await buildTestApp(t);
    const a = new Agent(app, EN);
    const b = new Agent(app, EN);
    await Promise.all([a.get('/signup'), b.get('/signup')]);
    const results = await Promise.all([
      a.post('/signup', { ...GOOD, email: 'race@example.com' }),
      b.post('/signup', { ...GOOD, email: 'RACE@example.com' }),
    ]);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [303, 409]);
    assert.equal(await countAccounts(db), 1);
  });
});

describe('POST /account', () => {
  // The picture is uploaded (test/accounts/profile-picture.test.ts); the date of birth is one
  // date control stored as Kakao's MMDD `birthday` and `birthyear`.
  const PROFILE = {
    nickname: 'Mina',
    name: 'Kim Mina',
    gender: 'female',
    birth_date: '1994-09-15',
    age_range: '30~39',
    phone_number: '+82 10-1234-5678',
  };
  const { birth_date: _typed, ...STORED_TEXT } = PROFILE;
  const STORED = { ...STORED_TEXT, birthday: '0915', birthyear: '1994' };

  it('saves every optional profile field and shows them again', async (t) => {
    const { app, db } = await buildTestApp(t);
    const agent = new Agent(app, EN);
    await agent.signUp('mina@example.com');
    await agent.get('/account');
    const res = await agent.post('/account', PROFILE);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account?saved=1');
    const row = await db
      .selectFrom('accounts')
      .select(Object.keys(STORED) as Array<keyof typeof STORED>)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, STORED);
    const page = await agent.get('/account?saved=1');
    assert.match(page.body, /value="Kim Mina"/);
    assert.match(page.body, /<option value="30~39" selected>/);
    // Emptying a field stores NULL again.
    await agent.post('/account', { ...PROFILE, name: '' });
    const after = await db.selectFrom('accounts').select('name').executeTakeFirstOrThrow();
    assert.equal(after.name, null);
  });

  const bad: Array<[string, string]> = [
    ['name', 'n'.repeat(61)],
    ['gender', 'other'],
    ['birth_date', '1994-02-31'],
    ['birth_date', '94-09-15'],
    ['age_range', '25~30'],
    ['phone_number', 'call me'],
    ['nickname', ''],
  ];
  for (const [field, value] of bad) {
    it(`refuses ${field}=${JSON.stringify(value.slice(0, 20))} and changes nothing`, async (t) => {
      const { app, db } = await buildTestApp(t);
      const agent = new Agent(app, EN);
      await agent.signUp('mina@example.com', undefined, 'Mina');
      const before = await db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
      await agent.get('/account');
      const res = await agent.post('/account', { ...PROFILE, [field]: value });
      assert.equal(res.statusCode, 400);
      const state = fieldState(res.body, field);
      assert.ok(state.error, `${field} has its own message`);
      assert.equal(state.invalid, true);
      assert.match(res.body, /role="alert"/);
      const after = await db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual(after, before);
    });
  }
});
