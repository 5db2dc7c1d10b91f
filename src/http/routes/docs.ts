import path from 'node:path';
import fs from 'node:fs';
import { Router } from 'express';
import { staticFile } from '../answer/encoding/static-file';
import { methodNotAllowed } from './method-not-allowed';
import { VIEW_CSS, VIEW_JS } from '../answer/html/assets';
import { VIEW_SCRIPT, VIEW_STYLE } from '../answer/html/page';

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

// Operations listed, each expanded by a click: with every operation of every path (OPTIONS and the
// 405 of other methods included) expanded at once, the page took over a minute to render.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/docs/openapi.json',
  dom_id: '#docs',
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  defaultModelExpandDepth: 3,
  displayRequestDuration: true,
  tryItOutEnabled: false,
});
`;

/** The two package files the page loads, read on first request and compressed once; nothing else of the package is served. */
const ASSETS = { 'swagger-ui.css': 'text/css; charset=utf-8', 'swagger-ui-bundle.js': 'text/javascript; charset=utf-8' };

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
export function createDocsRouter(bundle: object, options: { compressMinBytes?: number } = {}): Router {
  const spec = Buffer.from(JSON.stringify(bundle));
  const router = Router();
  const page = { cacheControl: 'public, max-age=300', minBytes: options.compressMinBytes };
  const servePage = staticFile('text/html; charset=utf-8', PAGE, page);
  router.get('/docs', function serveDocsPage(req, res, next) {
    res.setHeader('Content-Security-Policy', CSP);
    return servePage(req, res, next);
  });
  router.get('/docs/init.js', staticFile('text/javascript; charset=utf-8', INIT, page));
  router.get('/docs/openapi.json', staticFile('application/json', spec, page));
  // The browsable view's script and stylesheet (src/http/answer/html): its pages allow no inline code.
  router.get(VIEW_SCRIPT, staticFile('text/javascript; charset=utf-8', VIEW_JS, page));
  router.get(VIEW_STYLE, staticFile('text/css; charset=utf-8', VIEW_CSS, page));
  // Nothing else of the package is served: any other /docs/assets path is the 404 handler's.
  for (const [file, type] of Object.entries(ASSETS)) {
    const load = () => fs.readFileSync(path.join(SWAGGER_UI, file));
    const serve = staticFile(type, load, { cacheControl: 'public, max-age=3600', minBytes: options.compressMinBytes });
    const exact = `/docs/assets/${file}`;
    // Express matches paths case-insensitively and with a trailing slash; a file has one name.
    router.get(exact, function serveAsset(req, res, next) {
      return req.path === exact ? serve(req, res, next) : next();
    });
  }
  router.all(['/docs', '/docs/init.js', '/docs/openapi.json', VIEW_SCRIPT, VIEW_STYLE], methodNotAllowed('GET, HEAD'));
  return router;
}
