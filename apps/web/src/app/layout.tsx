import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/app-shell';
import { Providers } from '@/components/shell/providers';
import { dashboardConfig } from '@/lib/server-config';
import { themeBootScript } from '@/lib/theme';
import './globals.css';

export const metadata: Metadata = {
  title: 'serfbort',
  description: 'Signed deploys for a fleet of servers',
};

function themeBoot(nonce: string | undefined) {
  const html = { __html: themeBootScript };
  return (
    <script
      nonce={nonce}
      suppressHydrationWarning
      // biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, allowed by the CSP nonce
      dangerouslySetInnerHTML={html}
    />
  );
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // reading the request makes every page dynamic, which the per-request CSP nonce needs
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  const config = dashboardConfig();
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {themeBoot(nonce)}
        {/*
          Here, not as app/icon.svg metadata: Next re-renders metadata on every in-app
          navigation, removing the icon link and adding it back; Chrome, seeing a page
          without an icon in between, asks for /favicon.ico (a 404 and a console error,
          issue 19). The root layout's head is never re-rendered.
        */}
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
      </head>
      <body>
        <Providers defaultHub={config.defaultHub} allowedOrigins={config.hubOrigins}>
          <AppShell>{children}</AppShell>
        </Providers>
      </body>
    </html>
  );
}
