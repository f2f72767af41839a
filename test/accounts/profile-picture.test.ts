/**
 * The account page's profile picture and date of birth. A picture is decoded and re-encoded by
 * sharp: turned upright by its EXIF orientation, stripped of every metadata block (GPS included),
 * kept as 640 px and a 110 px square, served at public immutable URLs that `/v2/user/me` and the
 * ID token hand to apps. Refused files change nothing. The date control is stored as Kakao's
 * MMDD `birthday` and `birthyear` (Kakao REST API "Retrieve user information").
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { createFindAccount } from '../../src/oidc/find-account.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { createKakaoApp, kapi, link, mintAccessToken } from '../kakao/helpers.ts';

const EN = { 'accept-language': 'en' };
const KO = { 'accept-language': 'ko' };

/** A multipart POST as the browser sends the picture form: `_csrf` first, then the file. */
function upload(agent: Agent, data: Buffer, type: string, name = 'photo.jpg') {
  const boundary = '----yeon-picture-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${agent.csrf()}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="picture"; filename="${name}"\r\n` +
        `Content-Type: ${type}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return agent.app.inject({
    method: 'POST',
    url: '/account/picture',
    payload,
    headers: {
      accept: 'text/html',
      ...agent.headers,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
}

/** A landscape photo stored sideways (EXIF orientation 6: shown turned 90°) with a GPS position. */
async function cameraJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: '#c33' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Copyright: 'Mina' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '37/1 33/1 59/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '126/1 58/1 40/1',
      },
    })
    .toBuffer();
}

const hasGps = (exif: Buffer | undefined) => !!exif?.includes(Buffer.from([0x25, 0x88])); // GPS IFD pointer, tag 0x8825

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/**
 * The start of an HEIF file as an iPhone writes it: an `ftyp` box (ISO/IEC 14496-12 §4.3) with the
 * major brand, a minor version and the compatible brands, then the start of a `meta` box.
 */
function heicHeader(major: string, compatible: string[]): Buffer {
  const ftyp = Buffer.alloc(16 + 4 * compatible.length);
  ftyp.writeUInt32BE(ftyp.length, 0);
  ftyp.write(`ftyp${major}`, 4, 'latin1');
  compatible.forEach((b, i) => {
    ftyp.write(b, 16 + 4 * i, 'latin1');
  });
  return Buffer.concat([ftyp, Buffer.from([0, 0, 0, 0x22]), Buffer.from('meta'), Buffer.alloc(64)]);
}

/** A few hundred bytes of PNG whose header claims 20000 × 20000 pixels (a decompression bomb). */
async function bombPng(): Promise<Buffer> {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
    .png()
    .toBuffer();
  const ihdr = Buffer.from(png.subarray(8, 8 + 25)); // length, 'IHDR', 13 bytes, CRC
  ihdr.writeUInt32BE(20000, 8);
  ihdr.writeUInt32BE(20000, 12);
  ihdr.writeUInt32BE(crc32(ihdr.subarray(4, 21)), 21);
  return Buffer.concat([png.subarray(0, 8), ihdr, png.subarray(33)]);
}

async function signedIn(t: TestContext, headers = EN) {
  const { app, db } = await buildTestApp(t);
  const agent = new Agent(app, headers);
  await agent.signUp('mina@example.com', undefined, 'Mina');
  await agent.get('/account');
  const account = (await app.services.accounts.getByEmail('mina@example.com'))!;
  return { app, db, agent, accountId: account.id };
}

async function pictureUrl(app: FastifyInstance, accountId: string) {
  return (await app.services.accounts.getById(accountId))!.profile_image_url;
}

/** GET a picture URL the way an app's page would, by its path on this server. */
async function fetchPicture(app: FastifyInstance, url: string) {
  const res = await app.inject({ method: 'GET', url: new URL(url).pathname });
  return { res, meta: res.statusCode === 200 ? await sharp(res.rawPayload).metadata() : undefined };
}

/** An app offering the picture and the birthday, and a token of the person who agreed to them. */
async function linkedApp(app: FastifyInstance, accountId: string) {
  const items = ['profile_nickname', 'profile_image', 'birthday', 'birthyear'];
  const client = await createKakaoApp(app, {
    consent_items: items.map((item) => ({
      item,
      mode: item === 'profile_nickname' ? 'required' : 'optional',
    })),
  } as never);
  await link(app, accountId, client, items);
  const token = await mintAccessToken(
    app,
    accountId,
    client,
    'profile_nickname profile_image birthday birthyear',
  );
  const me = async () => (await kapi(app, 'GET', '/v2/user/me', { bearer: token })).json();
  const idToken = async () => {
    const found = await createFindAccount(app.services.db)(
      { oidc: { client: { yeon_app_id: client.app_id } } } as never,
      accountId,
    );
    return found!.claims('id_token', 'openid', {}, []);
  };
  return { me, idToken };
}

describe('profile picture upload', () => {
  it('a sideways JPEG with a GPS position is stored upright, without metadata, at 640 and 110 px, and apps get both URLs', async (t) => {
    const { app, agent, accountId } = await signedIn(t);
    const original = await cameraJpeg();
    assert.ok(hasGps((await sharp(original).metadata()).exif), 'the test photo carries a GPS block');

    const res = await upload(agent, original, 'image/jpeg');
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, '/account?picture=updated');
    const url = (await pictureUrl(app, accountId))!;
    assert.match(url, /^http.+\/profile-images\/[A-Za-z0-9_-]{16,64}\/640\.webp$/);

    const big = await fetchPicture(app, url);
    assert.equal(big.res.statusCode, 200);
    assert.equal(big.res.headers['content-type'], 'image/webp');
    assert.match(String(big.res.headers['cache-control']), /immutable/);
    assert.equal(big.res.headers['cross-origin-resource-policy'], 'cross-origin');
    // 1200 × 800 stored with orientation 6 is a portrait 800 × 1200: 427 × 640 within 640.
    assert.deepEqual([big.meta!.format, big.meta!.width, big.meta!.height], ['webp', 427, 640]);
    assert.equal(big.meta!.exif, undefined, 'no EXIF (so no GPS) is served');
    assert.equal(big.meta!.orientation, undefined);

    const thumbUrl = url.replace(/640\.webp$/, '110.webp');
    const small = await fetchPicture(app, thumbUrl);
    assert.deepEqual([small.meta!.format, small.meta!.width, small.meta!.height], ['webp', 110, 110]);
    assert.equal(small.meta!.exif, undefined);

    const etag = String(big.res.headers.etag);
    const again = await app.inject({
      method: 'GET',
      url: new URL(url).pathname,
      headers: { 'if-none-match': etag },
    });
    assert.equal(again.statusCode, 304);

    const { me, idToken } = await linkedApp(app, accountId);
    const profile = (await me()).kakao_account.profile;
    assert.equal(profile.profile_image_url, url);
    assert.equal(profile.thumbnail_image_url, thumbUrl);
    assert.equal(profile.is_default_image, false);
    assert.equal((await idToken()).picture, url);

    const page = await agent.get('/account?picture=updated');
    assert.match(page.body, /Your profile picture is changed\./);
    assert.ok(page.body.includes(`src="${thumbUrl}"`));
  });

  it('a PNG is kept within 640 px on its long side; a new upload gets new URLs and the old ones are gone', async (t) => {
    const { app, agent, accountId } = await signedIn(t);
    const png = await sharp({ create: { width: 2000, height: 1000, channels: 4, background: '#3a6' } })
      .png()
      .toBuffer();
    assert.equal((await upload(agent, png, 'image/png', 'wide.png')).statusCode, 303);
    const first = (await pictureUrl(app, accountId))!;
    const big = await fetchPicture(app, first);
    assert.deepEqual([big.meta!.width, big.meta!.height], [640, 320]);
    const thumb = (await fetchPicture(app, first.replace('640.webp', '110.webp'))).meta!;
    assert.deepEqual([thumb.width, thumb.height], [110, 110], 'cropped to the square');

    await agent.get('/account');
    assert.equal((await upload(agent, await cameraJpeg(), 'image/jpeg')).statusCode, 303);
    const second = (await pictureUrl(app, accountId))!;
    assert.notEqual(second, first);
    assert.equal((await fetchPicture(app, first)).res.statusCode, 404);
    assert.equal((await fetchPicture(app, second)).res.statusCode, 200);
  });

  const refusals: Array<[string, () => Promise<Buffer>, string, string]> = [
    [
      'a 6 MB file',
      async () => Buffer.concat([await cameraJpeg(), Buffer.alloc(6 * 1024 * 1024)]),
      'image/jpeg',
      'larger than 5 MB',
    ],
    [
      'a text file named .jpg',
      async () => Buffer.from('these are not the pixels you are looking for\n'),
      'image/jpeg',
      'cannot be read as a JPEG, PNG or WebP picture',
    ],
    [
      'a truncated JPEG',
      async () => {
        const noisy = await sharp({
          create: {
            width: 600,
            height: 600,
            channels: 3,
            background: '#888',
            noise: { type: 'gaussian', mean: 128, sigma: 40 },
          },
        })
          .jpeg()
          .toBuffer();
        return noisy.subarray(0, Math.floor(noisy.length / 2));
      },
      'image/jpeg',
      'cannot be read as a JPEG, PNG or WebP picture',
    ],
    ['a PNG that claims 20000 × 20000 pixels', bombPng, 'image/png', 'too many pixels'],
    [
      'an iPhone HEIC photo',
      async () => heicHeader('heic', ['mif1', 'heic']),
      'image/heic',
      'HEIC photos cannot be read yet; choose a JPEG, PNG or WebP photo.',
    ],
    [
      'an HEIC photo whose major brand is mif1',
      async () => heicHeader('mif1', ['mif1', 'heic']),
      'image/heif',
      'HEIC photos cannot be read yet',
    ],
  ];
  for (const [what, make, type, message] of refusals) {
    it(`${what} is refused on the page with a message and changes nothing`, async (t) => {
      const { app, db, agent, accountId } = await signedIn(t);
      assert.equal((await upload(agent, await cameraJpeg(), 'image/jpeg')).statusCode, 303);
      const before = await pictureUrl(app, accountId);
      await agent.get('/account');
      const res = await upload(agent, await make(), type);
      assert.equal(res.statusCode, 400, res.body.slice(0, 300));
      assert.ok(res.body.includes(message), `the page says "${message}"`);
      assert.match(res.body, /id="picture-error"/);
      assert.equal(await pictureUrl(app, accountId), before);
      const rows = await db.selectFrom('profile_images').select('id').execute();
      assert.equal(rows.length, 1);
      assert.equal((await fetchPicture(app, before!)).res.statusCode, 200);
    });
  }

  it('the hint says HEIC photos cannot be read yet, and the HEIC refusal is in Korean too', async (t) => {
    const { agent } = await signedIn(t, KO);
    const page = await agent.get('/account');
    assert.ok(page.body.includes('(HEIC 사진은 아직 읽을 수 없습니다)'));
    const res = await upload(agent, heicHeader('heic', ['mif1', 'heic']), 'image/heic', 'IMG_0001.HEIC');
    assert.equal(res.statusCode, 400);
    assert.ok(res.body.includes('HEIC 사진은 아직 읽을 수 없습니다. JPEG, PNG, WebP 사진을 선택해 주세요.'));
  });

  it("the refusal is in the person's language", async (t) => {
    const { agent } = await signedIn(t, KO);
    const res = await upload(agent, Buffer.from('hello'), 'image/jpeg');
    assert.equal(res.statusCode, 400);
    assert.ok(res.body.includes('이 파일은 JPEG, PNG, WebP 사진으로 읽을 수 없습니다.'));
  });

  it('"Remove picture" clears both URLs: apps see the default image, the old URLs are gone', async (t) => {
    const { app, agent, accountId } = await signedIn(t);
    assert.equal((await upload(agent, await cameraJpeg(), 'image/jpeg')).statusCode, 303);
    const url = (await pictureUrl(app, accountId))!;
    await agent.get('/account');
    const res = await agent.post('/account/picture/remove', {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account?picture=removed');
    assert.equal(await pictureUrl(app, accountId), null);
    assert.equal((await fetchPicture(app, url)).res.statusCode, 404);
    assert.equal((await fetchPicture(app, url.replace('640.webp', '110.webp'))).res.statusCode, 404);
    const { me, idToken } = await linkedApp(app, accountId);
    const profile = (await me()).kakao_account.profile;
    assert.equal(profile.is_default_image, true);
    assert.equal('profile_image_url' in profile, false);
    assert.equal('thumbnail_image_url' in profile, false);
    assert.equal((await idToken()).picture, undefined);
  });

  it('saving the rest of the profile keeps the picture', async (t) => {
    const { app, agent, accountId } = await signedIn(t);
    assert.equal((await upload(agent, await cameraJpeg(), 'image/jpeg')).statusCode, 303);
    const url = await pictureUrl(app, accountId);
    await agent.get('/account');
    assert.equal((await agent.post('/account', { nickname: 'Mina K', birth_date: '' })).statusCode, 303);
    assert.equal(await pictureUrl(app, accountId), url);
  });

  it('an upload without the CSRF field first is refused before the file is read', async (t) => {
    const { app, agent, accountId } = await signedIn(t);
    const boundary = 'b';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="picture"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      await cameraJpeg(),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await app.inject({
      method: 'POST',
      url: '/account/picture',
      payload,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(await pictureUrl(app, accountId), null);
  });
});

describe('date of birth', () => {
  async function row(app: FastifyInstance, accountId: string) {
    const a = (await app.services.accounts.getById(accountId))!;
    return { birthday: a.birthday, birthyear: a.birthyear };
  }

  it('the date control is stored as MMDD and the year, shown again, and released to an app with consent', async (t) => {
    const { app, agent, accountId } = await signedIn(t);
    const res = await agent.post('/account', { nickname: 'Mina', birth_date: '1994-09-15' });
    assert.equal(res.statusCode, 303);
    assert.deepEqual(await row(app, accountId), { birthday: '0915', birthyear: '1994' });
    const page = await agent.get('/account');
    assert.match(page.body, /type="date"[^>]*value="1994-09-15"|value="1994-09-15"[^>]*type="date"/);
    const { me, idToken } = await linkedApp(app, accountId);
    const ka = (await me()).kakao_account;
    assert.equal(ka.birthday, '0915');
    assert.equal(ka.birthyear, '1994');
    assert.equal(ka.birthday_type, 'SOLAR');
    assert.equal((await idToken()).birthdate, undefined, 'the ID token carries no birthdate (userinfo does)');
  });

  it('"keep my birth year private" stores the month and day only; the box stays ticked', async (t) => {
    const { app, agent, accountId } = await signedIn(t);
    await agent.post('/account', {
      nickname: 'Mina',
      birth_date: '1994-02-29'.replace('1994', '1996'),
      birthyear_private: '1',
    });
    assert.deepEqual(await row(app, accountId), { birthday: '0229', birthyear: null });
    const page = await agent.get('/account');
    assert.match(page.body, /value="2000-02-29"/);
    assert.match(page.body, /id="birthyear_private"[^>]*checked|checked[^>]*id="birthyear_private"/);
    // Saved again as shown, nothing changes.
    await agent.post('/account', { nickname: 'Mina', birth_date: '2000-02-29', birthyear_private: '1' });
    assert.deepEqual(await row(app, accountId), { birthday: '0229', birthyear: null });
    const { me } = await linkedApp(app, accountId);
    const ka = (await me()).kakao_account;
    assert.equal(ka.birthday, '0229');
    assert.equal('birthyear' in ka, false);
  });

  const invalid: Array<[string, string]> = [
    ['1994-02-30', 'Enter a date that exists'],
    ['1995-02-29', 'Enter a date that exists'],
    ['15/09/1994', 'Enter a date that exists'],
    [new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10), 'cannot be in the future'],
  ];
  for (const [value, message] of invalid) {
    it(`${value} is refused with "${message}" and changes nothing`, async (t) => {
      const { app, agent, accountId } = await signedIn(t);
      await agent.post('/account', { nickname: 'Mina', birth_date: '1994-09-15' });
      await agent.get('/account');
      const res = await agent.post('/account', { nickname: 'Mina', birth_date: value });
      assert.equal(res.statusCode, 400);
      assert.ok(res.body.includes(message));
      assert.match(res.body, /id="birth_date-error"/);
      assert.deepEqual(await row(app, accountId), { birthday: '0915', birthyear: '1994' });
    });
  }

  it('an empty date clears the birthday and the year', async (t) => {
    const { app, agent, accountId } = await signedIn(t);
    await agent.post('/account', { nickname: 'Mina', birth_date: '1994-09-15' });
    await agent.get('/account');
    await agent.post('/account', { nickname: 'Mina', birth_date: '' });
    assert.deepEqual(await row(app, accountId), { birthday: null, birthyear: null });
  });
});
