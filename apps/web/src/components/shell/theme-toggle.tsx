'use client';
import { MonitorIcon, MoonIcon, SunIcon } from 'lucide-react';
import { useEffect, useSyncExternalStore } from 'react';
import { Button } from '@/components/ui/button';
import { applyTheme, loadTheme, saveTheme, type ThemeChoice } from '@/lib/theme';

const listeners = new Set<() => void>();
const subscribe = (l: () => void) => {
  listeners.add(l);
  const media = matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', l);
  return () => {
    listeners.delete(l);
    media.removeEventListener('change', l);
  };
};

export function useThemeChoice(): {
  choice: ThemeChoice;
  resolved: 'light' | 'dark';
  set(c: ThemeChoice): void;
} {
  const choice = useSyncExternalStore(subscribe, loadTheme, () => 'system' as const);
  const systemDark = useSyncExternalStore(
    subscribe,
    () => matchMedia('(prefers-color-scheme: dark)').matches,
    () => false,
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-apply when the OS theme flips
  useEffect(() => applyTheme(choice), [choice, systemDark]);
  const resolved = choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
  return {
    choice,
    resolved,
    set(c) {
      saveTheme(c);
      for (const l of listeners) l();
    },
  };
}

const next: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };

export function ThemeToggle() {
  const { choice, set } = useThemeChoice();
  const Icon = choice === 'system' ? MonitorIcon : choice === 'light' ? SunIcon : MoonIcon;
  return (
    <Button
      variant="ghost"
      size="icon"
      aria-label={`Theme: ${choice} (click to change)`}
      title={`Theme: ${choice}`}
      onClick={() => set(next[choice])}
    >
      <Icon />
    </Button>
  );
}
