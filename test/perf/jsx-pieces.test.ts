/**
 * The JSX runtime keeps a long page in pieces (src/views/jsx/jsx-runtime.ts, `PIECE_CHARS`): a
 * flat string over 128 KB goes to V8's large-object space, which cost a fifth of the
 * connected-services page with 200 apps in Korean. The pieces must say exactly what one string
 * would, escaped the same way, and the body written must be the same bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentBody, Fragment, jsx, raw, renderDocument } from '../../src/views/jsx/jsx-runtime.ts';

function row(i: number) {
  return jsx('li', {
    'data-i': String(i),
    children: [
      jsx('strong', { children: `연결된 서비스 ${i} <script>` }),
      jsx('span', { class: 'hint', children: ['3분 전에 연결함', ' › ', i] }),
      raw('<br>'),
    ],
  });
}

test('a long page is kept in bounded pieces that read as the one string', () => {
  const rows = Array.from({ length: 600 }, (_, i) => row(i));
  const page = jsx('html', {
    children: [jsx('head', { children: 'x' }), jsx('body', { children: jsx('ul', { children: rows }) })],
  });
  assert.ok(Array.isArray(page.pieces), 'a long page is in pieces');
  const pieces = page.pieces as readonly string[];
  assert.ok(pieces.length > 2);
  for (const piece of pieces)
    assert.ok(piece.length <= 2 * 16_384 + 100, `piece of ${piece.length} characters`);
  const whole = page.html;
  assert.equal(pieces.join(''), whole);
  assert.ok(
    whole.startsWith(
      '<html><head>x</head><body><ul><li data-i="0"><strong>연결된 서비스 0 &lt;script&gt;</strong>',
    ),
  );
  assert.ok(whole.endsWith('<span class="hint">3분 전에 연결함 › 599</span><br></li></ul></body></html>'));
  assert.equal(whole.match(/&lt;script&gt;/g)?.length, 600, 'every text child is escaped');

  const body = documentBody(page);
  assert.ok(Buffer.isBuffer(body));
  assert.ok(body.equals(Buffer.from(renderDocument(page))), 'the bytes written are the document');
});

test('a short page stays one string, and pieces pass through elements and fragments', () => {
  const short = jsx('p', { children: ['a', jsx('b', { children: '<' })] });
  assert.equal(short.pieces, '<p>a<b>&lt;</b></p>');
  assert.equal(documentBody(short), '<!doctype html>\n<p>a<b>&lt;</b></p>');

  const long = Fragment({ children: Array.from({ length: 400 }, (_, i) => row(i)) });
  assert.ok(Array.isArray(long.pieces));
  const wrapped = jsx('main', { children: long });
  assert.ok(Array.isArray(wrapped.pieces));
  assert.equal(wrapped.html, `<main>${long.html}</main>`);
});
