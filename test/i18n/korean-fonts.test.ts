/**
 * Korean text is drawn in a Korean face: the served stylesheet names the Korean fonts Debian ships
 * (Noto Sans CJK KR from fonts-noto-cjk, NanumGothic from fonts-nanum) before the generic family,
 * and the CI script installs them, so the browser tests' screenshots show Hangul as Koreans see it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-test-app.ts';

describe('Korean fonts', () => {
  it('the stylesheet names Noto Sans CJK KR and NanumGothic before sans-serif', async (t) => {
    const { app } = await buildTestApp(t);
    const css = (await app.inject({ method: 'GET', url: '/assets/yeon.css' })).body;
    const body = /:root\s*\{[^}]*?font-family:\s*([^;]+);/.exec(css);
    assert.ok(body, 'the page font stack is declared on :root');
    const families = (body[1] as string).split(',').map((f) => f.trim().replace(/^"|"$/g, ''));
    const generic = families.indexOf('sans-serif');
    assert.equal(generic, families.length - 1, 'sans-serif comes last');
    for (const face of ['Noto Sans CJK KR', 'NanumGothic', 'Apple SD Gothic Neo', 'Malgun Gothic']) {
      const at = families.indexOf(face);
      assert.ok(at >= 0 && at < generic, `${face} is named before sans-serif: ${families.join(', ')}`);
    }
  });

  it('the CI script installs fonts-noto-cjk and fonts-nanum', () => {
    const script = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    assert.match(script, /apt_install[^\n]*\bfonts-noto-cjk\b/);
    assert.match(script, /apt_install[^\n]*\bfonts-nanum\b/);
  });
});
