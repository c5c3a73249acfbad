// Connects with the official TypeScript MCP SDK, registers an agent, and waits for one
// notifications/claude/channel (a message pushed into the session), then prints it as one JSON line.
// Usage: node channel-listener.mjs --name <agent> <http|ws> <url>
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';

const args = process.argv.slice(2);
const name = args[args.indexOf('--name') + 1];
const [kind, url] = args.slice(args.indexOf('--name') + 2);
if (!name || !kind || !url) {
  console.error('usage: channel-listener.mjs --name <agent> <http|ws> <url>');
  process.exit(2);
}

const client = new Client({ name: 'vibe-ensemble-channel-probe', version: '1.0.0' });
const received = new Promise((resolve) => {
  client.fallbackNotificationHandler = async (notification) => {
    if (notification.method === 'notifications/claude/channel') resolve(notification);
  };
});
const transport = kind === 'ws' ? new WebSocketClientTransport(new URL(url)) : new StreamableHTTPClientTransport(new URL(url));
await client.connect(transport);
const capability = client.getServerCapabilities()?.experimental?.['claude/channel'];
const registered = await client.callTool({ name: 'register_agent', arguments: { name } });
if (registered.isError) throw new Error(JSON.stringify(registered.content));
console.log(JSON.stringify({ ready: true }));
const timeout = setTimeout(() => { console.error('no channel notification within 30 s'); process.exit(1); }, 30_000);
const notification = await received;
clearTimeout(timeout);
console.log(JSON.stringify({ capability: capability !== undefined, notification }));
await client.close();
