// tests/client/node/pg_test.js — node-postgres (npm "pg") against sluiced.
//
// pg sends every query with parameters through the extended protocol (Parse/Bind/
// Describe/Execute/Sync). Covered: parameterised INSERTs (numbers, text with quotes, a
// timestamp string, NULL), a named prepared statement reused, a parameterised pull query
// with typed results, SET/SHOW through pg, and LISTEN on a view: the client's
// 'notification' events carry the channel, the backend pid and a JSON payload of each
// row the view emits, in order; UNLISTEN stops them; LISTEN on an unknown view is 42P01.
//
// Run by tests/client/node_pg.sh (SLUICE_HOST, SLUICE_PORT from tests/run_tests.sh).
'use strict';
const { Client } = require('pg');

let passed = 0, failed = 0;
function ok(name) { passed++; console.log('ok   ' + name); }
function bad(name, detail) {
  failed++;
  console.log('FAIL ' + name);
  if (detail !== undefined) console.log('     ' + String(detail).split('\n').slice(0, 20).join('\n     '));
}
function check(name, want, got) {
  const w = JSON.stringify(want), g = JSON.stringify(got);
  if (w === g) ok(name); else bad(name, 'want ' + w + '\n got ' + g);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const config = {
  host: process.env.SLUICE_HOST || '127.0.0.1',
  port: Number(process.env.SLUICE_PORT),
  user: 'node', database: 'sluice', application_name: 'node-pg-test',
  connectionTimeoutMillis: 10000,
};

async function main() {
  if (!process.env.SLUICE_PORT) { console.log('SLUICE_PORT not set'); return 2; }
  const w = new Client(config);
  const l = new Client(config);
  await w.connect();
  await l.connect();

  await w.query('CREATE STREAM orders (id BIGINT, customer TEXT, amount DOUBLE, ts TIMESTAMP)');
  await w.query('CREATE VIEW big AS SELECT id, customer, amount, ts FROM orders WHERE amount > 100 EMIT APPEND');
  await w.query('CREATE VIEW by_customer AS SELECT customer, count(*) AS n, sum(amount) AS total FROM orders GROUP BY customer');

  const notes = [];
  l.on('notification', (m) => notes.push(m));
  const lr = await l.query('LISTEN big');
  check('LISTEN command', 'LISTEN', lr.command);

  // parameterised INSERTs (extended protocol), 50 rows; i > 20 pass the view's filter
  for (let i = 0; i < 50; i++) {
    const r = await w.query('INSERT INTO orders (id, customer, amount, ts) VALUES ($1, $2, $3, $4)',
                            [i, i % 3 === 0 ? "o'neil" : 'c' + (i % 3), i * 5, '2026-01-01 00:00:' + String(i % 60).padStart(2, '0')]);
    if (r.rowCount !== 1 || r.command !== 'INSERT') { bad('INSERT ' + i, JSON.stringify(r)); break; }
  }
  ok('50 parameterised INSERTs');
  const nul = await w.query('INSERT INTO orders VALUES ($1, $2, $3, $4)', [1000, null, null, null]);
  check('INSERT with NULL parameters', 1, nul.rowCount);

  // a named prepared statement, executed twice with different values
  const q = { name: 'by_min_n', text: 'SELECT customer, n, total FROM by_customer WHERE n >= $1 AND customer <> $2 ORDER BY customer' };
  const r1 = await w.query({ ...q, values: [10, 'zzz'] });
  check('parameterised pull query (typed: int8 as string, double as number)',
        [{ customer: 'c1', n: '17', total: 2125 }, { customer: 'c2', n: '16', total: 1960 },
         { customer: "o'neil", n: '17', total: 2040 }], r1.rows);
  const r2 = await w.query({ ...q, values: [10, 'c1'] });
  check('named prepared statement reused', ['c2', "o'neil"], r2.rows.map((x) => x.customer));

  // session commands through pg
  await w.query("SET statement_timeout = '2min'");
  const st = await w.query('SHOW statement_timeout');
  check('SET/SHOW statement_timeout', '2min', st.rows[0].statement_timeout);
  const an = await w.query('SHOW application_name');
  check('application_name from the startup packet', 'node-pg-test', an.rows[0].application_name);
  try { await w.query("SET client_encoding = 'SQL_ASCII'"); bad('client_encoding SQL_ASCII', 'no error'); }
  catch (e) { check('client_encoding SQL_ASCII is 22023', '22023', e.code); }

  // the notifications: rows 21..49, in order, JSON payloads
  const deadline = Date.now() + 10000;
  while (notes.length < 29 && Date.now() < deadline) await sleep(20);
  check('29 notifications (amount > 100)', 29, notes.length);
  check('channel', ['big'], [...new Set(notes.map((m) => m.channel))]);
  check('pid is the listener\'s', [l.processID], [...new Set(notes.map((m) => m.processId))]);
  try {
    const rows = notes.map((m) => JSON.parse(m.payload));
    check('ids in order', Array.from({ length: 29 }, (_, k) => 21 + k), rows.map((x) => x.id));
    const r = rows[0];
    check('payload of id 21', { _op: 'insert', id: 21, customer: "o'neil", amount: 105, ts: '2026-01-01 00:00:21' },
          { _op: r._op, id: r.id, customer: r.customer, amount: r.amount, ts: r.ts });
  } catch (e) { bad('JSON payloads', e); }

  // UNLISTEN stops them
  await l.query('UNLISTEN big');
  notes.length = 0;
  await w.query('INSERT INTO orders VALUES ($1, $2, $3, $4)', [2000, 'late', 500, '2026-01-01 00:01:00']);
  await sleep(300);
  await l.query('SELECT 1');
  check('no notification after UNLISTEN', 0, notes.length);

  try { await l.query('LISTEN no_such_view'); bad('LISTEN unknown', 'no error'); }
  catch (e) { check('LISTEN unknown view is 42P01', '42P01', e.code); }
  const one = await l.query('SELECT 1 AS x');
  check('listener usable after an error (integer literals are BIGINT: a string in pg)', [{ x: '1' }], one.rows);

  await w.end();
  await l.end();
  console.log(passed + ' passed, ' + failed + ' failed');
  return failed ? 1 : 0;
}

const watchdog = setTimeout(() => { console.log('FAIL watchdog: no end after 60 s'); process.exit(1); }, 60000);
main().then((rc) => { clearTimeout(watchdog); process.exit(rc); },
            (e) => { clearTimeout(watchdog); console.log('FAIL unexpected ' + (e && e.stack || e) + (e && e.code ? ' (SQLSTATE ' + e.code + ')' : '')); process.exit(1); });
