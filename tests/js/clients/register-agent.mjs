// Connects with the official TypeScript MCP SDK over one transport, registers an agent and lists agents.
// Usage: node register-agent.mjs --name <agent> [--capability <c>]... <http|sse|ws|stdio> <url | command args...>
// Prints one JSON line: {"serverInfo", "tools", "registered", "agents"}.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const args = process.argv.slice(2);
const capabilities = [];
let name;
const positional = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--name') name = args[++i];
  else if (args[i] === '--capability') capabilities.push(args[++i]);
  else {
    positional.push(...args.slice(i));
    break;
  }
}
const [kind, ...target] = positional;
if (!kind || !name || target.length === 0) {
  console.error('usage: register-agent.mjs --name <agent> [--capability <c>]... <http|sse|ws|stdio> <url | command args...>');
  process.exit(2);
}

function transportFor() {
  switch (kind) {
    case 'http': return new StreamableHTTPClientTransport(new URL(target[0]));
    case 'sse': return new SSEClientTransport(new URL(target[0]));
    case 'ws': return new WebSocketClientTransport(new URL(target[0]));
    case 'stdio': return new StdioClientTransport({ command: target[0], args: target.slice(1), stderr: 'inherit' });
    default: throw new Error(`unknown transport ${kind}`);
  }
}

const parse = (result) => {
  if (result.isError) throw new Error(`tool error: ${JSON.stringify(result.content)}`);
  return JSON.parse(result.content.find((c) => c.type === 'text').text);
};

const client = new Client({ name: 'vibe-ensemble-ts-probe', version: '1.0.0' });
const transport = transportFor();
await client.connect(transport);
try {
  const tools = (await client.listTools()).tools.map((t) => t.name).sort();
  const registered = parse(await client.callTool({
    name: 'register_agent',
    arguments: { name, capabilities, specializations: ['testing'] },
  }));
  const agents = parse(await client.callTool({ name: 'list_agents', arguments: {} }));
  console.log(JSON.stringify({
    serverInfo: client.getServerVersion(),
    tools,
    registered,
    agents,
  }));
} finally {
  // A well-behaved Streamable HTTP client ends its session explicitly; the other transports end with the connection.
  if (kind === 'http') await transport.terminateSession();
  await client.close();
}
