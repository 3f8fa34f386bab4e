/**
 * Names RG-02 (spec 3.7, Name Pattern Review) compares bundle names with: the scopes of well-known organizations,
 * services whose names invite impersonation, and well-known MCP server packages (the official reference servers
 * and vendors' own servers on npm and PyPI). Lower-case, ASCII. Extend by adding entries; keep generic English
 * words (time, memory, fetch, git, box) out of SERVICES, or every name using them reads as a service compound.
 */

/** npm-style scopes (without @) of organizations a registry reserves for their verified owners. */
export const WELL_KNOWN_SCOPES: readonly string[] = [
  'modelcontextprotocol', 'anthropic', 'anthropic-ai', 'openai', 'google', 'googleapis', 'google-cloud', 'microsoft',
  'azure', 'aws', 'aws-sdk', 'awslabs', 'amazon', 'github', 'octokit', 'gitlab', 'atlassian', 'slack', 'stripe',
  'notionhq', 'linear', 'sentry', 'supabase', 'vercel', 'cloudflare', 'netlify', 'mongodb', 'redis', 'elastic',
  'docker', 'hashicorp', 'playwright', 'puppeteer', 'shopify', 'twilio', 'sendgrid', 'paypal', 'figma', 'hubspot',
  'salesforce', 'datadog', 'grafana', 'langchain', 'huggingface', 'upstash', 'neondatabase', 'prisma', 'heroku',
  'browserbasehq', 'brave', 'firecrawl', 'tavily', 'perplexity-ai', 'exa-labs', 'zapier', 'pulumi', 'snowflake',
  'databricks', 'pinecone-database', 'qdrant', 'jetbrains', 'apify', 'mpak', 'mpaktrust',
];

/** Service and brand names: a name built on one needs an affiliation disclaimer unless its owner publishes it. */
export const WELL_KNOWN_SERVICES: readonly string[] = [
  'github', 'gitlab', 'bitbucket', 'slack', 'discord', 'telegram', 'whatsapp', 'stripe', 'paypal', 'notion',
  'linear', 'jira', 'confluence', 'atlassian', 'asana', 'trello', 'clickup', 'todoist', 'obsidian',
  'google', 'google-drive', 'gdrive', 'gmail', 'google-maps', 'google-calendar', 'youtube', 'postgres', 'postgresql',
  'mysql', 'sqlite', 'mongodb', 'redis', 'elasticsearch', 'supabase', 'firebase', 'aws', 'azure', 'gcp',
  'cloudflare', 'vercel', 'netlify', 'heroku', 'docker', 'kubernetes', 'sentry', 'datadog', 'grafana', 'openai',
  'anthropic', 'claude', 'chatgpt', 'gemini', 'brave-search', 'puppeteer', 'playwright', 'shopify', 'twilio',
  'sendgrid', 'mailchimp', 'hubspot', 'salesforce', 'zendesk', 'intercom', 'figma', 'dropbox', 'onedrive',
  'sharepoint', 'outlook', 'zoom', 'spotify', 'twitter', 'reddit', 'airtable', 'perplexity', 'tavily', 'firecrawl',
  'browserbase', 'upstash', 'snowflake', 'bigquery', 'databricks', 'clickhouse', 'pinecone', 'qdrant', 'huggingface',
  'zapier',
];

/** Full names of well-known MCP server packages (npm and PyPI), for typosquatting review. */
export const WELL_KNOWN_MCP_PACKAGES: readonly string[] = [
  '@modelcontextprotocol/server-filesystem', '@modelcontextprotocol/server-memory', '@modelcontextprotocol/server-everything',
  '@modelcontextprotocol/server-sequential-thinking', '@modelcontextprotocol/server-github', '@modelcontextprotocol/server-gitlab',
  '@modelcontextprotocol/server-slack', '@modelcontextprotocol/server-google-maps', '@modelcontextprotocol/server-gdrive',
  '@modelcontextprotocol/server-postgres', '@modelcontextprotocol/server-puppeteer', '@modelcontextprotocol/server-brave-search',
  '@modelcontextprotocol/server-redis', '@modelcontextprotocol/server-everart', '@modelcontextprotocol/server-aws-kb-retrieval',
  '@modelcontextprotocol/sdk', '@modelcontextprotocol/inspector',
  'mcp-server-fetch', 'mcp-server-git', 'mcp-server-time', 'mcp-server-sqlite', 'mcp', 'fastmcp',
  '@playwright/mcp', '@notionhq/notion-mcp-server', '@stripe/mcp', '@stripe/agent-toolkit', '@upstash/context7-mcp',
  '@browserbasehq/mcp-server-browserbase', '@cloudflare/mcp-server-cloudflare', '@supabase/mcp-server-supabase',
  '@sentry/mcp-server', '@heroku/mcp-server', '@azure/mcp', '@hubspot/mcp-server', 'firecrawl-mcp', 'tavily-mcp',
  'exa-mcp-server', 'github-mcp-server', 'mcp-server-kubernetes', 'awslabs.aws-documentation-mcp-server',
];

/**
 * Which scopes publish under a service's name: `@stripe/stripe-mcp` is the service's own package, not a compound
 * needing a disclaimer. A service whose name is itself the scope (stripe, github ...) needs no entry.
 */
export const SERVICE_OWNERS: Readonly<Record<string, readonly string[]>> = {
  notion: ['notionhq'],
  'google-drive': ['google', 'googleapis', 'google-cloud'],
  gdrive: ['google', 'googleapis', 'google-cloud'],
  gmail: ['google', 'googleapis', 'google-cloud'],
  'google-maps': ['google', 'googleapis', 'google-cloud'],
  'google-calendar': ['google', 'googleapis', 'google-cloud'],
  youtube: ['google', 'googleapis'],
  gemini: ['google', 'google-cloud'],
  bigquery: ['google-cloud', 'googleapis'],
  gcp: ['google-cloud', 'googleapis'],
  claude: ['anthropic', 'anthropic-ai'],
  chatgpt: ['openai'],
  aws: ['aws-sdk', 'awslabs', 'amazon'],
  'brave-search': ['brave'],
  browserbase: ['browserbasehq'],
  perplexity: ['perplexity-ai'],
  pinecone: ['pinecone-database'],
  onedrive: ['microsoft', 'azure'],
  sharepoint: ['microsoft', 'azure'],
  outlook: ['microsoft', 'azure'],
  github: ['octokit'],
};
