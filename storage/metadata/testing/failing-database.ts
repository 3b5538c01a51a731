// A database that fails one kind of statement, to show a multi-statement write leaves nothing
// behind when a later statement fails.
import type { Database, Transaction } from '../database.ts';

export type FailingStatement = { insertInto: string } | { update: string } | { deleteFrom: string };

export class InjectedFailure extends Error {
  override name = 'InjectedFailure';
}

const patternOf = (statement: FailingStatement): RegExp => {
  const [verb, table] =
    'insertInto' in statement
      ? ['INSERT INTO', statement.insertInto]
      : 'update' in statement
        ? ['UPDATE', statement.update]
        : ['DELETE FROM', statement.deleteFrom];
  return new RegExp(`^\\s*${verb}\\s+${table}\\b`, 'i');
};

/** `db`, except that each statement of the given kind on the given table throws InjectedFailure instead of running. */
export function failingOn(db: Database, statement: FailingStatement): Database {
  const pattern = patternOf(statement);
  const guard = (q: Transaction): Transaction => ({
    query: <Row>(sql: string, params?: unknown[]) =>
      pattern.test(sql)
        ? Promise.reject(new InjectedFailure(`injected failure: ${sql.slice(0, 60)}`))
        : q.query<Row>(sql, params),
    exec: (sql: string) => q.exec(sql),
  });
  return {
    kind: db.kind,
    query: guard(db).query,
    exec: (sql) => db.exec(sql),
    transaction: (work) => db.transaction((tx) => work(guard(tx))),
    listen: (channel, onMessage) => db.listen(channel, onMessage),
    close: () => db.close(),
  };
}
