// Loaded before every test file (jest.config.js setupFiles): no test may reach the real vulnerability services.
// Endpoints point at a closed loopback port (discard, 9) so a test that forgets --offline or its loopback server
// fails fast with `error` instead of reaching api.osv.dev; tests that serve fixtures set their own URLs.
process.env.MTF_OSV_API = 'http://127.0.0.1:9';
process.env.MTF_EPSS_API = 'http://127.0.0.1:9/epss';
process.env.MTF_KEV_URL = 'http://127.0.0.1:9/kev.json';
process.env.MTF_CACHE_DIR = 'off';
