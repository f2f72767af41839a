/** Account queries only. Every function takes the database or a transaction. */
import type { Kysely, Transaction } from 'kysely';
import type { Account, AccountUpdate, Database, NewAccount } from '../../db/database.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

export async function insertAccount(db: Executor, account: NewAccount): Promise<void> {
  await db.insertInto('accounts').values(account).execute();
}

export async function findAccountById(db: Executor, id: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAccountByEmail(
  db: Executor,
  emailNormalized: string,
): Promise<Account | undefined> {
  // PostgreSQL's text refuses NUL with an error; no stored email holds one (emailIssues).
  if (emailNormalized.includes('\u0000')) return undefined;
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('email_normalized', '=', emailNormalized)
    .executeTakeFirst();
}

export async function updateAccount(db: Executor, id: string, changes: AccountUpdate): Promise<void> {
  await db.updateTable('accounts').set(changes).where('id', '=', id).execute();
}
