#!/usr/bin/env node
// A stand-in for `claude -p` in crash tests: takes the same arguments, reads the generated --mcp-config, reads the
// first stream-json user turn from stdin, and completes its task through our MCP tools over Streamable HTTP with
// the worker header, like a real worker session. Prints stream-json init and result lines, then waits for stdin to
// close and exits 0. Each accepted completion is appended to $QUICK_WORKER_LOG as "<taskId>\n".
// With QUICK_WORKER_MODE=usage-limit it ends instead as Claude Code does on a usage limit: a 429 result and exit 1.
import { readFileSync, appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const args = process.argv.slice(2);
const configPath = args[args.indexOf('--mcp-config') + 1];
const [server] = Object.values(JSON.parse(readFileSync(configPath, 'utf8')).mcpServers);
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const lines = createInterface({ input: process.stdin });
const iterator = lines[Symbol.asyncIterator]();
await iterator.next();
print({ type: 'system', subtype: 'init', session_id: 'quick', model: 'quick-worker', mcp_servers: [{ name: 'vibe-ensemble', status: 'connected' }] });
if (process.env.QUICK_WORKER_MODE === 'usage-limit') {
  print({ type: 'result', subtype: 'success', is_error: true, api_error_status: 429, result: 'API Error: 429 usage limit reached' });
  process.exit(1);
}

// Long enough that a crash of the server lands in the middle of some of these.
await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 350));
const client = new Client({ name: 'quick-worker', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: server.headers } }));
const reply = await client.callTool({ name: 'complete_task', arguments: { result: 'done by quick-worker' } });
if (reply.isError) {
  print({ type: 'result', subtype: 'success', is_error: true, result: reply.content?.[0]?.text ?? 'refused' });
  process.exit(1);
}
const task = reply.structuredContent ?? JSON.parse(reply.content[0].text);
if (process.env.QUICK_WORKER_LOG) appendFileSync(process.env.QUICK_WORKER_LOG, `${task.id}\n`);
print({ type: 'result', subtype: 'success', is_error: false, result: 'done by quick-worker', num_turns: 1, total_cost_usd: 0 });
await client.close();
for await (const _ of lines) { /* wait for stdin to close */ }
process.exit(0);
