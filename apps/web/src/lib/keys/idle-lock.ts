'use client';
import { useEffect, useRef, useState } from 'react';

/** "lock after N minutes idle": null is off. Not a secret, so localStorage, shared by every tab. */
const MINUTES_KEY = 'serfbort:idle-lock-minutes';
/**
 * Test-only: milliseconds per "minute" of the setting, so a browser test can wait seconds
 * instead of minutes. Nothing in the dashboard writes it.
 */
const UNIT_KEY = 'serfbort:idle-lock-unit-ms';
export const DEFAULT_IDLE_MINUTES = 15;
export const IDLE_CHOICES = [1, 5, 10, 15, 30, 60, 240] as const;

export function loadIdleMinutes(): number | null {
  try {
    const raw = localStorage.getItem(MINUTES_KEY);
    if (raw === null) return DEFAULT_IDLE_MINUTES;
    if (raw === 'off') return null;
    const n = Number(raw);
    return Number.isInteger(n) && n > 0 && n <= 24 * 60 ? n : DEFAULT_IDLE_MINUTES;
  } catch {
    return DEFAULT_IDLE_MINUTES;
  }
}

export function saveIdleMinutes(minutes: number | null): void {
  try {
    localStorage.setItem(MINUTES_KEY, minutes === null ? 'off' : String(minutes));
    // the storage event reaches other tabs only; this one hears it from here
    window.dispatchEvent(new Event(IDLE_SETTING_CHANGED));
  } catch {
    // storage blocked: the default stays in force
  }
}

const IDLE_SETTING_CHANGED = 'serfbort:idle-setting';

function unitMs(): number {
  try {
    const n = Number(localStorage.getItem(UNIT_KEY));
    return Number.isFinite(n) && n > 0 ? n : 60_000;
  } catch {
    return 60_000;
  }
}

/** The idle limit in milliseconds (null: off), following changes made in any tab. */
export function useIdleLimit(): { minutes: number | null; limitMs: number | null } {
  const [minutes, setMinutes] = useState<number | null>(DEFAULT_IDLE_MINUTES);
  const [unit, setUnit] = useState(60_000);
  useEffect(() => {
    const read = () => {
      setMinutes(loadIdleMinutes());
      setUnit(unitMs());
    };
    read();
    window.addEventListener('storage', read);
    window.addEventListener(IDLE_SETTING_CHANGED, read);
    return () => {
      window.removeEventListener('storage', read);
      window.removeEventListener(IDLE_SETTING_CHANGED, read);
    };
  }, []);
  return { minutes, limitMs: minutes === null ? null : minutes * unit };
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'pointermove', 'touchstart'] as const;

/**
 * While `armed`, calls `onIdle` once nobody used any tab of this origin for `limitMs`.
 * Activity here is announced to the other tabs (throttled) and theirs arrives through
 * `noteRemoteActivity`, so working in one tab keeps the others unlocked too.
 */
export function useIdleTimer({
  armed,
  limitMs,
  onIdle,
  announce,
}: {
  armed: boolean;
  limitMs: number | null;
  onIdle: () => void;
  announce: (at: number) => void;
}): { noteRemoteActivity(at: number): void } {
  const last = useRef(Date.now());
  const announced = useRef(0);
  const onIdleRef = useRef(onIdle);
  onIdleRef.current = onIdle;
  const announceRef = useRef(announce);
  announceRef.current = announce;

  useEffect(() => {
    if (!armed || limitMs === null) return;
    last.current = Date.now();
    const throttle = Math.min(5000, limitMs / 4);
    const touch = () => {
      const now = Date.now();
      last.current = now;
      if (now - announced.current >= throttle) {
        announced.current = now;
        announceRef.current(now);
      }
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, touch, { passive: true });
    const check = () => {
      if (Date.now() - last.current >= limitMs) onIdleRef.current();
    };
    // background tabs have their timers slowed: check again the moment one is looked at
    document.addEventListener('visibilitychange', check);
    const timer = setInterval(check, Math.max(250, Math.min(5000, limitMs / 8)));
    return () => {
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, touch);
      document.removeEventListener('visibilitychange', check);
      clearInterval(timer);
    };
  }, [armed, limitMs]);

  return {
    noteRemoteActivity: (at: number) => {
      if (at > last.current && at <= Date.now() + 1000) last.current = at;
    },
  };
}
