// Static server for the playground, bound to loopback. Sends COOP/COEP so
// the page is crossOriginIsolated (SharedArrayBuffer for threads), the
// Content-Security-Policy (scripts/csp.js) on every response, and gzips
// compressible files once, caching them in memory.
import { createServer } from 'node:http';
import { readdir, readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY } from './csp.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// URL prefix → directory. The page is web/; the engine, wrapper and data
// are mounted beside it.
const MOUNTS = [
  ['/dist/', join(root, 'dist')],
  ['/bindings/', join(root, 'bindings')],
  ['/data/', join(root, 'data')],
  ['/', join(root, 'web')],
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.cldata': 'application/octet-stream',
  '.clmodel': 'application/octet-stream',
  '.map': 'application/json',
};

const gzip = promisify(gzipCallback);
const gzipCache = new Map(); // path → { mtimeMs, body: Promise<Buffer> }

// On zlib's thread pool, so a 9 MB dataset does not hold up other requests;
// concurrent requests for one file share one compression.
function gzipped(path, info) {
  let cached = gzipCache.get(path);
  if (!cached || cached.mtimeMs !== info.mtimeMs) {
    cached = { mtimeMs: info.mtimeMs, body: readFile(path).then((raw) => gzip(raw, { level: 9 })) };
    cached.body.catch(() => gzipCache.delete(path));
    gzipCache.set(path, cached);
  }
  return cached.body;
}

function resolvePath(urlPath) {
  for (const [prefix, dir] of MOUNTS) {
    if (!urlPath.startsWith(prefix)) continue;
    const rel = normalize(decodeURIComponent(urlPath.slice(prefix.length)));
    const full = join(dir, rel);
    if (full !== dir && !full.startsWith(dir + sep)) return null; // no escaping the mount
    return full;
  }
  return null;
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  let path = resolvePath(url.pathname);
  const headers = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
  if (!path) {
    res.writeHead(404, headers).end('not found');
    return;
  }
  try {
    let info = await stat(path);
    if (info.isDirectory()) {
      path = join(path, 'index.html');
      info = await stat(path);
    }
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    headers['Content-Type'] = type;
    const acceptsGzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    if (acceptsGzip && !type.startsWith('image/')) {
      const body = await gzipped(path, info);
      headers['Content-Encoding'] = 'gzip';
      headers['Content-Length'] = body.length;
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const body = await readFile(path);
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, headers).end('not found');
  }
}

/** Starts the server; port 0 picks a free port. Resolves to { server, url }. */
export function startServer({ port = 8080, host = '127.0.0.1' } = {}) {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      handle(req, res).catch(() => res.writeHead(500).end('server error'));
    });
    server.once('error', reject);
    server.listen(port, host, () => {
      // the datasets are the big files: compress them before the page asks
      readdir(join(root, 'data'))
        .then((names) =>
          Promise.all(
            names
              .filter((n) => n.endsWith('.cldata'))
              .map(async (n) => {
                const path = join(root, 'data', n);
                await gzipped(path, await stat(path));
              }),
          ),
        )
        .catch(() => {});
      const { port: actual } = server.address();
      resolve({ server, url: `http://${host}:${actual}/` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8080);
  startServer({ port })
    .then(({ url }) => console.log(`Convolab playground: ${url}  (Ctrl+C to stop)`))
    .catch((e) => {
      console.error(e.code === 'EADDRINUSE' ? `port ${port} is in use; set PORT=<another port>` : e.message);
      process.exit(1);
    });
}
