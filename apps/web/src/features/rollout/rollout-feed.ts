import type { RolloutView } from '@serfbort/core';

/**
 * The newest view of every rollout the hub pushed (rollout:changed) or answered, and
 * sleepers that a push wakes early: how a driver hears that someone paused or aborted.
 */
export class RolloutFeed {
  private readonly views = new Map<string, RolloutView>();
  private readonly sleepers = new Set<() => void>();
  private readonly listeners = new Set<(v: RolloutView) => void>();

  get(id: string): RolloutView | undefined {
    return this.views.get(id);
  }

  /** keeps the newer of what it has and what arrived, so a late answer cannot undo a push */
  put(view: RolloutView): void {
    const had = this.views.get(view.id);
    if (had && had.updatedAt > view.updatedAt) return;
    this.views.set(view.id, view);
    for (const wake of [...this.sleepers]) wake();
    for (const l of this.listeners) l(view);
  }

  listen(fn: (v: RolloutView) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** resolves after ms, or sooner when any rollout changes */
  idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      this.sleepers.add(wake);
    });
  }
}
