/**
 * Two instances on one PostgreSQL database: what one revokes, the other refuses on its very next
 * request, though both had warm caches (docs/decisions/0006-caches-and-revocation.md).
 * The same scenarios run on the SQLite lane with two handles on one file
 * (cross-instance-revocation.test.ts).
 */
import { describe } from 'node:test';
import { crossInstanceScenarios } from './cross-instance.scenarios.ts';

describe('cross-instance revocation (PostgreSQL)', () => {
  crossInstanceScenarios();
});
