import { PGlite } from '@electric-sql/pglite';
import { setFlagsFromString } from 'node:v8';
setFlagsFromString('--liftoff-only');
const [dir] = process.argv.slice(2);
const db = await PGlite.create(dir, { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=4MB', '-c', 'max_connections=3'] });
const t = Date.now();
const pad = "'" + 'A'.repeat(420) + "'";
await db.exec(`insert into agents select 'agent-' || i, 'kid' || i, 'MCowBQYDK2VwAyEA' || md5(i::text), '{"role":"web","dc":"a"}', '["app"]', '{"kind":"operator"}', 'left', 1, 1, '0.1.0', null, '{}', 1 from generate_series(0, 9999) i`);
for (let d = 0; d < 10; d++) {
  await db.exec(`insert into deployments values ('req-${d}', 'dig', 'app', 'v${d}', '{"selector":"role=web"}', '["k"]', '["alice"]', 1, 2, 3, null, '{"payload":"${'A'.repeat(420)}"}')`);
  await db.exec(`insert into deployment_hosts select 'req-${d}', 'agent-' || i, 'app', 1, 'succeeded', null, 0, 'v0', 'v1', jsonb_build_object('payloadType','application/vnd.serfbort.receipt+json','payload', ${pad} || md5(i::text), 'signatures', jsonb_build_array(jsonb_build_object('keyid', md5(i::text), 'sig', ${"'" + 'B'.repeat(88) + "'"}))), '[]', 5 from generate_series(0, 9999) i`);
  await db.exec(`insert into audit_log select ${d} * 10000 + i + 1000000, 1, 'receipt', '{"receipt":' || ${pad} || md5(i::text) || '}', md5(i::text), md5((i+1)::text) from generate_series(0, 9999) i`);
}
console.log('seeded in', Date.now() - t, 'ms', (await db.query('select count(*) from deployment_hosts where receipt is not null')).rows[0]);
await db.exec('vacuum analyze');
await db.close();
