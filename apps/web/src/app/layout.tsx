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
      <head>{themeBoot(nonce)}</head>
      <body>
        <Providers defaultHub={config.defaultHub} allowedOrigins={config.hubOrigins}>
          <AppShell>{children}</AppShell>
        </Providers>
      </body>
    </html>
  );
}
