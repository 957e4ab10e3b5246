// `wxpay-coupon sandbox` in a process of its own (its own CPU, like a real server), for
// `npm run bench` and the tests (test/helpers.js). Development only: not in the package.
import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Starts the sandbox with its files in `<home>/sb` and resolves with the JSON line it prints
 * (`base_url`, `config`, …), the child process, and stop(), which sends Ctrl-C and waits for the
 * exit. Its output is read as a terminal would read it, unless `readStderr` is false: a test of a
 * sandbox whose log nobody reads.
 */
export async function spawnSandbox({ bin, home, env, args = [], readStderr = true }) {
  const child = spawn(process.execPath, [bin, 'sandbox', '--json', '--dir', path.join(home, 'sb'), ...args], {
    cwd: home,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!readStderr) child.stderr.pause();
  const info = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve(JSON.parse(text.split('\n')[0]));
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the sandbox exited with ${code}`)));
  });
  child.stdout.resume();
  if (readStderr) child.stderr.resume();
  const stop = () =>
    new Promise((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', resolve);
      child.kill('SIGINT');
    });
  return { info, child, stop };
}
