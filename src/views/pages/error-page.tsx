import type { SafeHtml } from '#jsx/jsx-runtime';
import { Layout } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';

export function ErrorPage(props: { ctx: ViewContext; message: string; requestId?: string }): SafeHtml {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={ctx.t('error.title')}>
      <h1>{ctx.t('error.title')}</h1>
      <div class="alert error" role="alert">
        <p>{props.message}</p>
      </div>
      {props.requestId ? <p class="muted">{ctx.t('error.reference', { id: props.requestId })}</p> : null}
      <p>
        <a href="/">{ctx.t('common.go_home')}</a>
      </p>
    </Layout>
  );
}
