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
  router.get('/docs', send('text/html; charset=utf-8', PAGE));
  router.get('/docs/init.js', send('text/javascript; charset=utf-8', INIT));
  router.get('/docs/openapi.json', send('application/json', spec));
  router.use('/docs/assets', serveStatic(SWAGGER_UI, { index: false, maxAge: '1h' }));
  router.all(['/docs', '/docs/init.js', '/docs/openapi.json'], methodNotAllowed('GET, HEAD'));
  return router;
}
