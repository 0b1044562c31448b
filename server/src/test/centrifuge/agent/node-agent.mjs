// The centrifuge client in Node under a test's control: commands are JSON lines on stdin, events
// JSON lines on stdout (see agent.js). The process ends when stdin closes.
import { createInterface } from 'node:readline';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { createAgent } from './agent.js';

const agent = createAgent({
  Centrifuge,
  WebSocket,
  emit: (event) => process.stdout.write(JSON.stringify(event) + '\n'),
});

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== '') {
    agent.handle(JSON.parse(line));
  }
});
lines.on('close', () => process.exit(0));
