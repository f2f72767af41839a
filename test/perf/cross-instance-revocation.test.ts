/**
 * Two instances on one database of the lane (SQLite: two handles on one file; PostgreSQL: two
 * pools on one database): what one revokes, the other refuses on its very next request.
 */
import { describe } from 'node:test';
import { crossInstanceScenarios } from './cross-instance.scenarios.ts';

describe('cross-instance revocation', () => {
  crossInstanceScenarios();
});
