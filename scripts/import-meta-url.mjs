// Injected into the CommonJS bundles: ESM packages (PGlite) locate their .wasm and .data files
// through import.meta.url, which esbuild leaves empty in CommonJS output.
export const import_meta_url = require('node:url').pathToFileURL(__filename).href;
