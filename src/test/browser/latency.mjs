// Query latency over HTTP against a running server (BASE_URL, default http://127.0.0.1:8080):
// cached = the same query again and again (its embedding comes from the cache, so the time is HTTP
// + kNN + JSON); uncached = a new query text each time (the text encoder runs too). One client,
// sequential requests on a keep-alive connection, after a warm-up. Prints client-side percentiles
// and the server's own tookMs.
//   node src/test/browser/latency.mjs [cachedCount] [uncachedCount]
const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const cachedCount = Number(process.argv[2] ?? 500);
const uncachedCount = Number(process.argv[3] ?? 200);
const k = Number(process.env.K ?? 10);

async function timed(q) {
  const url = `${BASE_URL}/api/v1/search?k=${k}&q=${encodeURIComponent(q)}`;
  const start = performance.now();
  const response = await fetch(url);
  const body = await response.json();
  const ms = performance.now() - start;
  if (!response.ok) throw new Error(`${response.status} ${JSON.stringify(body)}`);
  return { ms, tookMs: body.tookMs, cached: body.cached };
}

function stats(label, samples) {
  if (!samples.length) return;
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  const server = samples.map((s) => s.tookMs).sort((a, b) => a - b);
  const cachedShare = samples.filter((s) => s.cached).length / samples.length;
  console.log(`${label}: n=${ms.length} p50=${at(0.5).toFixed(2)} ms p90=${at(0.9).toFixed(2)} ms `
    + `p99=${at(0.99).toFixed(2)} ms mean=${mean.toFixed(2)} ms; server tookMs p50=${server[Math.floor(server.length / 2)]} `
    + `(cache hits ${(cachedShare * 100).toFixed(0)}%)`);
}

const colours = ['빨간', '파란', '노란', '초록', '보라', '검은', 'red', 'blue', 'yellow', 'green', 'purple', 'black'];
const shapes = ['원', '네모', '세모', '동그라미', '사각형', '삼각형', 'circle', 'square', 'triangle'];

for (let i = 0; i < 20; i++) await timed('빨간 원'); // warm-up: JIT, connection, cache
const cached = [];
for (let i = 0; i < cachedCount; i++) cached.push(await timed('빨간 원'));
const uncached = [];
const run = Date.now(); // texts differ from every earlier run too (the cache lives for an hour)
for (let i = 0; i < uncachedCount; i++) {
  // a text never asked before: colour, shape and a number unique to this run
  uncached.push(await timed(`${colours[i % colours.length]} ${shapes[i % shapes.length]} ${run + i}`));
}
stats('cached  ', cached);
stats('uncached', uncached);
