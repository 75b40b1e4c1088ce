import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopProcess } from './built-app';

/** Debian's nginx, the reverse proxy a deployment puts in front of several instances. */
export const NGINX = '/usr/sbin/nginx';

export interface ReverseProxy {
  /** Round robin over every instance: the address users and tools know (PUBLIC_URL). */
  readonly publicUrl: string;
  /** Through the proxy to one instance only, by index, as a sticky route would send a request. */
  readonly via: readonly string[];
  stop(): Promise<void>;
}

/**
 * nginx in a temporary directory on loopback ports: `publicPort` balances over every upstream
 * (`127.0.0.1:<port>`), and one port per upstream reaches that one alone, through the same proxy
 * (same headers, same X-Forwarded-For). Every answer names the instance that served it in
 * `X-Upstream`. Requests reach the instances with the public Host, as behind a load balancer.
 */
export async function startReverseProxy(
  publicPort: number,
  upstreamPorts: readonly number[],
  viaPorts: readonly number[],
): Promise<ReverseProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'tms-nginx-'));
  const server = (port: number, upstream: string) => `
    server {
      listen 127.0.0.1:${port};
      location / { proxy_pass http://${upstream}; }
    }`;
  const config = `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream every_instance { ${upstreamPorts.map((port) => `server 127.0.0.1:${port};`).join(' ')} }
  ${upstreamPorts.map((port, i) => `upstream instance_${i} { server 127.0.0.1:${port}; }`).join('\n  ')}
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host 127.0.0.1:${publicPort};
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto $scheme;
  add_header X-Upstream $upstream_addr always;
  ${server(publicPort, 'every_instance')}
  ${viaPorts.map((port, i) => server(port, `instance_${i}`)).join('\n')}
}
`;
  const configFile = join(dir, 'nginx.conf');
  writeFileSync(configFile, config);
  const child: ChildProcess = spawn(NGINX, ['-c', configFile, '-p', dir, '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const publicUrl = `http://127.0.0.1:${publicPort}`;
  const stop = async () => {
    await stopProcess(child, 'SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilProxying(`${publicUrl}/health`, child, () => `${output}${errorLog(dir)}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { publicUrl, via: viaPorts.map((port) => `http://127.0.0.1:${port}`), stop };
}

async function waitUntilProxying(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}):\n${output()}`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nginx did not proxy within 20 s:\n${output()}`);
}

function errorLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8');
  } catch {
    return '';
  }
}
