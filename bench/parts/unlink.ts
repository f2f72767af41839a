import type { Figure } from '../lib/stats.ts';
import type { Ctx } from './http-parts.ts';

export async function benchUnlink(_ctx: Ctx): Promise<Figure[]> {
  return [{ part: '4', name: 'part 4', unit: '', target: '—', note: 'not built yet' }];
}
