import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded source of choices: the same seed gives the same schedule on every machine. */
export class Rng {
  private readonly gen;

  constructor(readonly seed: number) {
    this.gen = xoroshiro128plus(seed);
  }

  /** an integer in [from, to] */
  int(from: number, to: number): number {
    return uniformInt(this.gen, from, to);
  }

  chance(percent: number): boolean {
    return this.int(1, 100) <= percent;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** a random non-empty subset, in the original order */
  subset<T>(items: readonly T[]): T[] {
    const chosen = items.filter(() => this.chance(50));
    return chosen.length > 0 ? chosen : [this.pick(items)];
  }
}
