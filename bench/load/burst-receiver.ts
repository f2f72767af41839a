/**
 * Loopback receiver for the delivery burst (its own process): answers 200 at once, counts
 * arrivals, and prints when `expect` have arrived (or after `timeoutS`): first and last arrival
 * times, so deliveries/s = count / (last − first). Args: <port> <expect> <timeoutS>.
 */
import { createServer } from 'node:http';

const [port = '0', expect = '1', timeoutS = '120'] = process.argv.slice(2);
let count = 0;
let first = 0;
let last = 0;
function finish() {
  process.stdout.write(`${JSON.stringify({ count, first, last })}\n`);
  process.exit(0);
}
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    const t = performance.now();
    if (count === 0) first = t;
    last = t;
    count++;
    if (count >= Number(expect)) setImmediate(finish);
  });
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('LISTENING\n'));
setTimeout(finish, Number(timeoutS) * 1000).unref();
