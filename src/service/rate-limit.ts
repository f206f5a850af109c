// Per-user limit on new consultations (a sliding hour), so one person or a runaway script cannot
// flood a workspace. In memory on purpose: losing it on restart only forgives a few requests.
import type { Clock } from './consult-service.js';

const HOUR_MS = 3_600_000;

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly perHour: number, private readonly clock: Clock) {}

  allow(workspace: string, userId: string): boolean {
    const key = `${workspace}\0${userId}`;
    const now = this.clock.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < HOUR_MS);
    if (recent.length >= this.perHour) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.sweep(now);
    return true;
  }

  private sweep(now: number): void {
    for (const [key, times] of this.hits) if (times.every((t) => now - t >= HOUR_MS)) this.hits.delete(key);
  }
}
