/** Builds dist/ once before the suites that start the real service as a process (npm start runs the same build). */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = function buildOnce() {
  const root = path.join(__dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
};
