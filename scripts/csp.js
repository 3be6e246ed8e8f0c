// The page's Content-Security-Policy, one place: scripts/serve.js sends it on
// every response and web/index.html carries it as a <meta> for a static copy
// of web/ (tests/browser/security.test.js holds the two to the same text).
// Scripts and workers only from this origin, no inline script and no eval
// (wasm-unsafe-eval lets WebAssembly compile, nothing else); no plugins, no
// <base>, no forms, no third-party origin for anything.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// A <meta> policy cannot say frame-ancestors (Chromium ignores it there, with a console error).
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((d) => !d.startsWith('frame-ancestors'))
  .join('; ');
