'use client';
import { Label, Select } from '@/components/ui/input';
import { IDLE_CHOICES, saveIdleMinutes, useIdleLimit } from '@/lib/keys/idle-lock';

/** "Lock after N minutes idle", for every tab of this browser. */
export function IdleLockSetting() {
  const { minutes } = useIdleLimit();
  return (
    <div className="grid gap-1">
      <div className="flex flex-wrap items-center gap-2 text-[13px]">
        <Label htmlFor="idle-lock">Lock after</Label>
        <Select
          id="idle-lock"
          className="h-8 w-auto"
          value={minutes === null ? 'off' : String(minutes)}
          onChange={(e) =>
            saveIdleMinutes(e.target.value === 'off' ? null : Number(e.target.value))
          }
          data-testid="idle-lock"
        >
          {(minutes === null || (IDLE_CHOICES as readonly number[]).includes(minutes)
            ? []
            : [minutes]
          )
            .concat(IDLE_CHOICES)
            .map((m) => (
              <option key={m} value={String(m)}>
                {m === 1 ? '1 minute' : `${m} minutes`} idle
              </option>
            ))}
          <option value="off">never (no idle lock)</option>
        </Select>
      </div>
      <p className="text-xs text-muted-foreground">
        The unlocked key is shared by this browser&apos;s tabs of the dashboard and held in memory
        only; after this long without a keystroke or a click in any of them, every tab locks.
        Locking in one tab locks them all.
      </p>
    </div>
  );
}
