import type { Figure } from '../lib/stats.ts';
import type { Ctx } from './http-parts.ts';

export async function benchPage(_ctx: Ctx): Promise<Figure[]> {
  return [{ part: '5', name: 'part 5', unit: '', target: '—', note: 'not built yet' }];
}
