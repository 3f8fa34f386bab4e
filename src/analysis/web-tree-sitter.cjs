// The CommonJS build of web-tree-sitter. ncc rewrites the ESM build's `await import("module")`
// into a namespace shim that lacks createRequire, so Parser.init() fails inside dist/.
module.exports = require('web-tree-sitter');
