/** What `serfbort-hub --version` prints; kept equal to package.json's version (main.test.ts checks). */
export const HUB_VERSION = '0.1.0';
