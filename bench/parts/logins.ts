import type { Figure } from '../lib/stats.ts';
import type { Ctx } from './http-parts.ts';

export async function benchLogins(_ctx: Ctx): Promise<Figure[]> {
  return [{ part: '2', name: 'part 2', unit: '', target: '—', note: 'not built yet' }];
}
