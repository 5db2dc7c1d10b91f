import path from 'node:path';
import fs from 'node:fs';
import { Router, static as serveStatic } from 'express';
import { staticFile } from '../encoding/static-file';
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

/** The two package files the page loads, read on first request and compressed once. */
const ASSETS = { 'swagger-ui.css': 'text/css; charset=utf-8', 'swagger-ui-bundle.js': 'text/javascript; charset=utf-8' };

/** `/docs`: Swagger UI from its npm package (served locally, no CDN) over the bundled openapi.yaml. */
export function createDocsRouter(bundle: object, options: { compressMinBytes?: number } = {}): Router {
  const spec = Buffer.from(JSON.stringify(bundle));
  const router = Router();
  const page = { cacheControl: 'public, max-age=300', minBytes: options.compressMinBytes };
  router.get('/docs', staticFile('text/html; charset=utf-8', PAGE, page));
  router.get('/docs/init.js', staticFile('text/javascript; charset=utf-8', INIT, page));
  router.get('/docs/openapi.json', staticFile('application/json', spec, page));
  for (const [file, type] of Object.entries(ASSETS)) {
    const load = () => fs.readFileSync(path.join(SWAGGER_UI, file));
    router.get(`/docs/assets/${file}`, staticFile(type, load, { cacheControl: 'public, max-age=3600', minBytes: options.compressMinBytes }));
  }
  router.use('/docs/assets', serveStatic(SWAGGER_UI, { index: false, maxAge: '1h' }));
  router.all(['/docs', '/docs/init.js', '/docs/openapi.json'], methodNotAllowed('GET, HEAD'));
  return router;
}
