'use client';
import { PAYLOAD_TYPES, parseSelector } from '@serfbort/core';

export default function Home() {
  const p = parseSelector('role=web');
  return (
    <main>
      {PAYLOAD_TYPES.deploy} {String(p.ok)}
    </main>
  );
}
