// Copies the non-TypeScript assets n8n loads at runtime next to the compiled output:
//   icons/*.svg                      -> dist/icons/        (shared icons: `file:../icons/…` from
//                                                           credentials, `file:../../icons/…` from nodes)
//   nodes/**/*.{png,svg,json}        -> dist/nodes/…       (codex *.node.json files and node-local icons;
//                                                           n8n reads <node>.node.json beside <node>.node.js)
//   credentials/**/*.{png,svg}       -> dist/credentials/… (credential-local icons, if any)
// Folder structure below each source root is preserved. `encoding: false` keeps PNGs byte-exact
// (gulp 5 reads files as UTF-8 text unless told otherwise).
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

task('build:assets', parallel(copyIcons, copyNodeAssets, copyCredentialAssets));
