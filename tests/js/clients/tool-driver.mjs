// Connects with the official TypeScript MCP SDK and calls tools as told on stdin, so that a test can drive a
// TypeScript agent step by step.
// Usage: node tool-driver.mjs <http|ws> <url>
// Prints {"ready": true} once connected, then reads one JSON line per call, {"tool": "...", "arguments": {...}},
// and answers each with one line {"isError", "result" (the tool's JSON, or its text), "at" (ms since the epoch
// when the answer came)}. The session ends when stdin closes.
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';

const [kind, url] = process.argv.slice(2);
if (!['http', 'ws'].includes(kind) || !url) {
  console.error('usage: tool-driver.mjs <http|ws> <url>');
  process.exit(2);
}

const client = new Client({ name: 'vibe-ensemble-ts-driver', version: '1.0.0' });
const transport = kind === 'ws' ? new WebSocketClientTransport(new URL(url)) : new StreamableHTTPClientTransport(new URL(url));
await client.connect(transport);
console.log(JSON.stringify({ ready: true }));

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const { tool, arguments: args } = JSON.parse(line);
  // Calls are answered in the order they were asked; a test sends the next only after reading an answer, except
  // for a waiting call it means to overlap, which it sends last.
  const result = await client.callTool({ name: tool, arguments: args ?? {} }, undefined, { timeout: 120_000 });
  const text = result.content.find((c) => c.type === 'text')?.text ?? '';
  let parsed;
  try { parsed = JSON.parse(text); } catch { parsed = text; }
  console.log(JSON.stringify({ isError: !!result.isError, result: parsed, at: Date.now() }));
}

if (kind === 'http') await transport.terminateSession();
await client.close();
