'use client';
import {
  BarChart3Icon,
  HistoryIcon,
  InboxIcon,
  KeyRoundIcon,
  ListChecksIcon,
  RocketIcon,
  ServerIcon,
  StepForwardIcon,
} from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { PendingCount } from '@/features/proposals/pending-count';
import { cn } from '@/lib/utils';
import { StateBanner } from './state-banner';
import { StatusBar } from './status-bar';
import { ThemeToggle } from './theme-toggle';

const NAV = [
  { href: '/fleet', label: 'Fleet', icon: ServerIcon },
  { href: '/deploy', label: 'Deploy', icon: RocketIcon },
  { href: '/rollouts', label: 'Rollouts', icon: StepForwardIcon },
  { href: '/pending', label: 'Pending', icon: InboxIcon },
  { href: '/check', label: 'Check', icon: ListChecksIcon },
  { href: '/history', label: 'History', icon: HistoryIcon },
  { href: '/charts', label: 'Charts', icon: BarChart3Icon },
  { href: '/keys', label: 'Keys & trust', icon: KeyRoundIcon },
];

function Logo() {
  return (
    <Link href="/fleet" className="flex items-center gap-2 px-2 font-semibold tracking-tight">
      <span className="grid size-7 place-items-center rounded-md bg-primary text-primary-foreground">
        <svg
          viewBox="0 0 24 24"
          className="size-4"
          fill="none"
          stroke="currentColor"
          strokeWidth="2.2"
          aria-hidden="true"
        >
          <path d="M4 7h10a3 3 0 0 1 0 6H10a3 3 0 0 0 0 6h10" strokeLinecap="round" />
        </svg>
      </span>
      serfbort
    </Link>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  return (
    <div className="flex h-full min-h-0">
      <aside className="hidden w-52 shrink-0 flex-col border-r bg-card/60 md:flex">
        <div className="flex h-14 items-center border-b px-3">
          <Logo />
        </div>
        <nav className="grid gap-0.5 p-2" aria-label="Main">
          {NAV.map(({ href, label, icon: Icon }) => {
            const active =
              pathname === href ||
              pathname.startsWith(`${href}/`) ||
              (href === '/history' && pathname.startsWith('/deployments'));
            return (
              <Link
                key={href}
                href={href}
                aria-current={active ? 'page' : undefined}
                className={cn(
                  'flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-[13.5px] text-muted-foreground transition-colors hover:bg-accent hover:text-foreground',
                  active && 'bg-accent font-medium text-foreground',
                )}
              >
                <Icon className="size-4" />
                {label}
                {href === '/pending' ? <PendingCount /> : null}
              </Link>
            );
          })}
        </nav>
        <div className="mt-auto p-3 text-[11px] leading-4 text-muted-foreground">
          Requests are signed in this browser. The hub only relays them.
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 shrink-0 items-center gap-3 border-b bg-card/60 px-4">
          <div className="md:hidden">
            <Logo />
          </div>
          <nav className="flex gap-1 md:hidden" aria-label="Main (compact)">
            {NAV.map(({ href, icon: Icon, label }) => (
              <Link
                key={href}
                href={href}
                aria-label={label}
                className="relative rounded p-1.5 text-muted-foreground hover:bg-accent"
              >
                <Icon className="size-4" />
                {href === '/pending' ? <PendingCount compact /> : null}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-2">
            <StatusBar />
            <ThemeToggle />
          </div>
        </header>
        <main className="flex min-h-0 flex-1 flex-col overflow-auto">
          <StateBanner />
          {children}
        </main>
      </div>
    </div>
  );
}
