import path from 'node:path';
import { Router, static as serveStatic } from 'express';
import type { RequestHandler } from 'express';
import { methodNotAllowed } from './method-not-allowed';

/** The folder of the swagger-ui-dist package: its prebuilt bundle and stylesheet. */
const SWAGGER_UI = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Facet API reference</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// Every operation expanded, so each response shows its media types and schemas without a click.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/docs/openapi.json',
  dom_id: '#docs',
  docExpansion: 'full',
  defaultModelsExpandDepth: 0,
  defaultModelExpandDepth: 3,
  displayRequestDuration: true,
  tryItOutEnabled: false,
});
`;

/** The files of swagger-ui-dist the page loads; nothing else of the package is served. */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);

// Swagger UI sets style attributes and shows data: images (icons); scripts, styles, the spec and
// fonts come from this origin only, and the page may not be framed.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** `/docs`: Swagger UI from its npm package (served locally, no CDN) over the bundled openapi.yaml. */
export function createDocsRouter(bundle: object): Router {
  const spec = Buffer.from(JSON.stringify(bundle));
  const router = Router();
  const send = (type: string, text: string | Buffer): RequestHandler => {
    const body = Buffer.from(text);
    return function serveDocsFile(_req, res) {
      res.setHeader('Content-Type', type);
      res.setHeader('Content-Length', body.length);
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.end(body);
    };
  };
  const page = send('text/html; charset=utf-8', PAGE);
  router.get('/docs', function serveDocsPage(req, res, next) {
    res.setHeader('Content-Security-Policy', CSP);
    page(req, res, next);
  });
  router.get('/docs/init.js', send('text/javascript; charset=utf-8', INIT));
  router.get('/docs/openapi.json', send('application/json', spec));
  const assets = serveStatic(SWAGGER_UI, { index: false, maxAge: '1h', fallthrough: false });
  router.use('/docs/assets', function serveDocsAsset(req, res, next) {
    if (!ASSETS.has(req.path.slice(1))) return next(); // the 404 handler answers
    assets(req, res, next);
  });
  router.all(['/docs', '/docs/init.js', '/docs/openapi.json'], methodNotAllowed('GET, HEAD'));
  return router;
}
