/**
 * Statement budgets of Manage Connected Services: the list page with its history, and an unlink
 * press (Delete All Data confirmation GET, then its POST). Counted, never timed: each statement is
 * a round trip on PostgreSQL and a lock on SQLite, and the page reads every link of the person, so
 * a listing read twice costs twice the rows. Raising a budget must be a decision, written next to
 * the list of what each statement is.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setupConnected } from '../connected/fixtures.ts';
import { describeStatements, recordStatements } from '../helpers/statement-budget.ts';

function assertBudget(statements: string[], budget: number, what: string): void {
  assert.equal(
    statements.length,
    budget,
    `${what}: ${statements.length} statements, budget ${budget}:\n${describeStatements(statements)}`,
  );
}

/** How many statements read all the person's links joined with their apps (the listing). */
function listings(statements: string[]): number {
  return statements.filter(
    (sql) => /from "connections" as "c" inner join "apps"/i.test(sql) && !/"c"\."app_id" = /i.test(sql),
  ).length;
}

/** How many statements read the consent rows of the person's links. */
function consentReads(statements: string[]): number {
  return statements.filter((sql) => /"connection_consents"/i.test(sql) && /^\s*select/i.test(sql)).length;
}

describe('statement budgets of Manage Connected Services', () => {
  test('the list page with a previous app reads the links once and the consents once', async (t) => {
    const recorder = recordStatements(t);
    const { agent, case1 } = await setupConnected(t);
    // One app previously connected (with its unlink notification), one still connected.
    await agent.get(`/account/connected-services/${case1.app_id}/delete-all`);
    await agent.post(`/account/connected-services/${case1.app_id}/delete-all`, {});
    const { result, statements } = await recorder.during(() =>
      agent.get(`/account/connected-services?unlinked=${case1.app_id}`),
    );
    assert.equal(result.statusCode, 200, result.body);
    assert.match(result.body, /Quiet Shop/);
    assert.match(result.body, /Callback Shop/);
    assert.match(result.body, /Notification to the app: /);
    const described = describeStatements(statements);
    assert.equal(listings(statements), 1, `one listing of the links:\n${described}`);
    assert.equal(consentReads(statements), 1, `one read of the consents:\n${described}`);
    // 1. the session with its account
    // 2. the links with their apps and icons, oldest first
    // 3. the consent rows of the apps whose link has ended
    // 4. their consent events
    // 5. their notifications, by the person's app user ids
    assertBudget(statements, 5, 'GET /account/connected-services');
  });

  test('the list page of a person whose links are all live reads the links alone', async (t) => {
    const recorder = recordStatements(t);
    const { agent } = await setupConnected(t);
    const { result, statements } = await recorder.during(() => agent.get('/account/connected-services'));
    assert.equal(result.statusCode, 200, result.body);
    assert.match(result.body, /Quiet Shop/);
    assert.match(result.body, /Callback Shop/);
    assert.match(result.body, /id="history-link"/, 'the history is still offered');
    assert.doesNotMatch(result.body, /id="previous-title"/);
    // 1. the session with its account
    // 2. the links with their apps and icons (none has ended: no history rows are needed)
    assertBudget(statements, 2, 'GET /account/connected-services, every link live');
  });

  test('an unlink press reads only the one live link, on the page and on the POST', async (t) => {
    const recorder = recordStatements(t);
    const { agent, case1 } = await setupConnected(t);
    const page = await recorder.during(() =>
      agent.get(`/account/connected-services/${case1.app_id}/delete-all`),
    );
    assert.equal(page.result.statusCode, 200, page.result.body);
    assert.equal(listings(page.statements), 0, describeStatements(page.statements));
    const post = await recorder.during(() =>
      agent.post(`/account/connected-services/${case1.app_id}/delete-all`, {}),
    );
    assert.equal(post.result.statusCode, 303, post.result.body);
    assert.equal(listings(post.statements), 0, describeStatements(post.statements));
    // 1. the session with its account
    // 2. the person's live link to the app with its app, icon and consent rows
    assertBudget(page.statements, 2, 'GET delete-all');
  });
});
