// Copies the non-TypeScript assets n8n loads at runtime next to the compiled output:
//   icons/*.svg                      -> dist/icons/        (shared icons: `file:../icons/…` from
//                                                           credentials, `file:../../icons/…` from nodes)
//   nodes/**/*.{png,svg,json}        -> dist/nodes/…       (codex *.node.json files and node-local icons;
//                                                           n8n reads <node>.node.json beside <node>.node.js)
//   credentials/**/*.{png,svg}       -> dist/credentials/… (credential-local icons, if any)
//   generated/schemas/<Node>/**      -> dist/nodes/<Node>/__schema__/v1.0.0/, v1.1.0/ (output schemas, written by
//                                       scripts/generate-descriptors.js; n8n reads them from the node's folder)
// Folder structure below each source root is preserved. `encoding: false` keeps PNGs byte-exact
// (gulp 5 reads files as UTF-8 text unless told otherwise).
const fs = require('fs');
const path = require('path');
const { src, dest, parallel, task } = require('gulp');

const copy = (glob, outDir) =>
	function copyAssets() {
		return src(glob, { encoding: false }).pipe(dest(outDir));
	};

const copyIcons = copy('icons/*.{svg,png}', 'dist/icons');
copyIcons.displayName = 'copy:icons';

const copyNodeAssets = copy('nodes/**/*.{png,svg,json}', 'dist/nodes');
copyNodeAssets.displayName = 'copy:node-assets';

const copyCredentialAssets = copy('credentials/**/*.{png,svg}', 'dist/credentials');
copyCredentialAssets.displayName = 'copy:credential-assets';

// Node versions 1 and 1.1 of the family nodes (same output): n8n pads them to v1.0.0 and v1.1.0 when it looks
// a schema up, exactly (its /schemas route has no fallback to another version).
const SCHEMA_VERSIONS = ['v1.0.0', 'v1.1.0'];
function copySchemas(done) {
	const from = 'generated/schemas';
	if (fs.existsSync(from)) {
		for (const node of fs.readdirSync(from)) {
			for (const v of SCHEMA_VERSIONS) fs.cpSync(path.join(from, node), path.join('dist/nodes', node, '__schema__', v), { recursive: true });
		}
	}
	done();
}
copySchemas.displayName = 'copy:output-schemas';

task('build:assets', parallel(copyIcons, copyNodeAssets, copyCredentialAssets, copySchemas));
