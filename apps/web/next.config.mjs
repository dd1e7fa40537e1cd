// @ts-check
/** @type {import('next').NextConfig} */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  // core is TypeScript source with NodeNext-style `.js` import suffixes
  transpilePackages: ['@serfbort/core'],
  webpack(webpackConfig) {
    webpackConfig.resolve.extensionAlias = { '.js': ['.ts', '.tsx', '.js'] };
    return webpackConfig;
  },
};
export default config;
