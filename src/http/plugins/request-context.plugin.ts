/**
 * Per-request context for pages: the negotiated locale and its translator, and `reply.page()`,
 * which renders a full HTML document with `cache-control: no-store` (pages may carry personal data).
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { type Locale, type Translate, translator } from '../../i18n/index.ts';
import { LOCALE_COOKIE, negotiateLocale } from '../../i18n/locale.ts';
import { documentBody, type SafeHtml } from '../../views/jsx/jsx-runtime.ts';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
  }
  interface FastifyReply {
    page(body: SafeHtml, status?: number): FastifyReply;
  }
}

const plugin: FastifyPluginAsync = async (app) => {
  app.decorateRequest('locale', 'ko');
  app.decorateRequest('t', null as unknown as Translate);
  // Callback style: this runs on every request, and an async hook costs a promise.
  app.addHook('onRequest', (request, _reply, done) => {
    request.locale = negotiateLocale(
      request.cookies[LOCALE_COOKIE],
      request.headers['accept-language'],
      app.config.defaultLocale,
    );
    request.t = translator(request.locale);
    done();
  });
  app.decorateReply('page', function page(this: FastifyReply, body: SafeHtml, status = 200) {
    return this.code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-language', this.request.locale)
      .send(documentBody(body));
  });
};

export default fp(plugin, { name: 'request-context', dependencies: ['@fastify/cookie'] });
