// @ts-check

/** Headers for every response; the Content-Security-Policy (with its per-request nonce) is set in src/proxy.ts. */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
  {
    key: 'Permissions-Policy',
    value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  },
];

/** @type {import('next').NextConfig} */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  // core and client are TypeScript source with NodeNext-style `.js` import suffixes; Turbopack cannot
  // map those to `.ts`, so the build uses webpack (`next build --webpack`) with an alias.
  transpilePackages: ['@serfbort/core', '@serfbort/client'],
  webpack(webpackConfig) {
    webpackConfig.resolve.extensionAlias = { '.js': ['.ts', '.tsx', '.js'] };
    return webpackConfig;
  },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};
export default config;
